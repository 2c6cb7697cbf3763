import {
  Product,
  ProductCreate,
  ProductList,
  ProductListQuery,
  ProductUpdate,
  ServerTime,
  Store,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { createProduct, getProduct, getStore, listProducts, updateProduct } from '../domain/catalog.js';

export function catalogRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/time',
        operationId: 'getTime',
        summary: 'Server time',
        description:
          'The server clock in epoch milliseconds, for estimating a client clock offset. Needs no key.',
        tag: 'Time',
        access: 'none',
        success: { status: 200, schema: ServerTime, description: 'The server clock.' },
      },
      async ({ services }) => {
        const now = services.clock.now();
        return { now: now.getTime(), iso: now.toISOString() };
      },
    )
    .add(
      {
        method: 'get',
        path: '/store',
        operationId: 'getStore',
        summary: 'The store of the key',
        tag: 'Store',
        access: 'key',
        success: { status: 200, schema: Store, description: 'The store with its branches.' },
      },
      async ({ services, auth }) => getStore(services.db, auth.storeId),
    )
    .add(
      {
        method: 'get',
        path: '/products',
        operationId: 'listProducts',
        summary: 'List products',
        description:
          'Active products, oldest first. A secret key also sees inactive ones and may filter by `active`.',
        tag: 'Products',
        access: 'key',
        query: ProductListQuery,
        success: { status: 200, schema: ProductList, description: 'A page of products.' },
      },
      async ({ services, auth, query }) =>
        listProducts(services.db, auth.storeId, query, auth.keyKind === 'secret'),
    )
    .add(
      {
        method: 'get',
        path: '/products/:id',
        operationId: 'getProduct',
        summary: 'Retrieve a product',
        tag: 'Products',
        access: 'key',
        success: { status: 200, schema: Product, description: 'The product.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getProduct(services.db, auth.storeId, params.id!, auth.keyKind === 'secret'),
    )
    .add(
      {
        method: 'post',
        path: '/products',
        operationId: 'createProduct',
        summary: 'Create a product',
        tag: 'Products',
        access: 'owner',
        body: ProductCreate,
        success: { status: 201, schema: Product, description: 'The new product.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body }) =>
        createProduct(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/products/:id',
        operationId: 'updateProduct',
        summary: 'Update a product',
        tag: 'Products',
        access: 'owner',
        body: ProductUpdate,
        success: { status: 200, schema: Product, description: 'The updated product.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body, params }) =>
        updateProduct(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    );
}
