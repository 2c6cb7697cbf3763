import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  Product,
  ProductList,
  type ProductCreate,
  type ProductListQuery,
  type ProductUpdate,
} from '../schemas/products.js';
import { list, seg } from './shared.js';

/**
 * The catalog (`/v1/products`). Reading works with a publishable key; `create` and `update` need the secret key.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * for await (const product of client.products.list({ active: 'true' })) console.log(product.name);
 * ```
 */
export interface ProductsResource {
  /** Lists products (`GET /v1/products`); await for the first page or `for await` over all. */
  list(query?: ProductListQuery, options?: RequestOptions): ListPromise<Product>;
  /** Reads one product (`GET /v1/products/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<Product>;
  /** Creates a product (`POST /v1/products`, secret key). */
  create(body: ProductCreate, options?: RequestOptions): Promise<Product>;
  /** Changes a product (`PATCH /v1/products/{id}`, secret key). */
  update(id: string, body: ProductUpdate, options?: RequestOptions): Promise<Product>;
}

export function productsResource(t: Transport): ProductsResource {
  return {
    list: (query, options) => list(t, 'products', ProductList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `products/${seg(id)}`, schema: Product }, options),
    create: (body, options) =>
      t.request({ method: 'POST', path: 'products', body, schema: Product }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `products/${seg(id)}`, body, schema: Product }, options),
  };
}
