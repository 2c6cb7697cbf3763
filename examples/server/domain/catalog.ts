/** The store and its product catalog. */
import { and, eq, type SQL } from 'drizzle-orm';
import type {
  Product,
  ProductCreate,
  ProductListQuery,
  ProductUpdate,
  Store,
} from '../../../src/schemas/index.js';
import { ProblemCode } from '../../../src/schemas/index.js';
import { pgError, schema, transaction, type Database } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';

type ProductRow = typeof schema.products.$inferSelect;

export function serializeProduct(row: ProductRow): Product {
  return {
    id: row.id,
    storeId: row.storeId,
    sku: row.sku,
    name: row.name,
    description: row.description,
    images: row.images,
    price: { amount: row.priceCents, currency: row.currency },
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getStore(db: Database, storeId: string): Promise<Store> {
  const [store] = await db.select().from(schema.stores).where(eq(schema.stores.id, storeId));
  if (!store) throw notFound('store');
  const branches = await db
    .select()
    .from(schema.branches)
    .where(eq(schema.branches.storeId, storeId))
    .orderBy(schema.branches.createdAt, schema.branches.id);
  return {
    id: store.id,
    name: store.name,
    slug: store.slug,
    logoUrl: store.logoUrl,
    currency: store.currency,
    timeZone: store.timeZone,
    locale: store.locale,
    createdAt: store.createdAt.toISOString(),
    branches: branches.map((b) => ({
      id: b.id,
      storeId: b.storeId,
      name: b.name,
      address: b.address,
      lat: b.lat,
      lng: b.lng,
      phone: b.phone,
      timeZone: b.timeZone,
      openingHours: b.openingHours as Store['branches'][number]['openingHours'],
    })),
  };
}

async function productRow(db: Database, storeId: string, id: string): Promise<ProductRow> {
  const [row] = await db
    .select()
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), eq(schema.products.id, id)));
  if (!row) throw notFound('product');
  return row;
}

export async function getProduct(db: Database, storeId: string, id: string, includeInactive: boolean) {
  const row = await productRow(db, storeId, id);
  if (!row.isActive && !includeInactive) throw notFound('product');
  return serializeProduct(row);
}

export async function listProducts(
  db: Database,
  storeId: string,
  query: ProductListQuery,
  includeInactive: boolean,
) {
  const t = schema.products;
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: t,
    sort: t.createdAt,
    direction: 'asc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'product',
  });
  const filters: (SQL | undefined)[] = [eq(t.storeId, storeId), where];
  if (!includeInactive) filters.push(eq(t.isActive, true));
  else if (query.active) filters.push(eq(t.isActive, query.active === 'true'));
  const found = await db
    .select()
    .from(t)
    .where(and(...filters))
    .orderBy(...orderBy)
    .limit(take);
  return page(found.map(serializeProduct), limit);
}

function skuConflict(error: unknown): never {
  if (pgError(error)?.constraint === 'products_store_sku_key') {
    throw new ApiError(409, ProblemCode.conflict, 'Another product of this store has that SKU.');
  }
  throw error;
}

export async function createProduct(db: Database, actor: Actor, input: ProductCreate, now: Date) {
  const store = await getStore(db, actor.storeId);
  if (input.price.currency !== store.currency) {
    throw new ApiError(400, ProblemCode.validationFailed, `Prices of this store are in ${store.currency}.`, {
      errors: [{ path: 'body.price.currency', message: `Expected ${store.currency}`, code: 'invalid_value' }],
    });
  }
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(schema.products)
        .values({
          storeId: actor.storeId,
          sku: input.sku,
          name: input.name,
          description: input.description ?? null,
          images: input.images ?? [],
          priceCents: input.price.amount,
          currency: input.price.currency,
          isActive: input.isActive ?? true,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const product = serializeProduct(row!);
      await audit(tx, actor, 'product.create', 'product', product.id, null, product, now);
      return product;
    });
  } catch (error) {
    skuConflict(error);
  }
}

export async function updateProduct(db: Database, actor: Actor, id: string, input: ProductUpdate, now: Date) {
  const before = await productRow(db, actor.storeId, id);
  if (input.price && input.price.currency !== before.currency) {
    throw new ApiError(400, ProblemCode.validationFailed, `Prices of this store are in ${before.currency}.`);
  }
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .update(schema.products)
        .set({
          ...(input.sku !== undefined && { sku: input.sku }),
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.images !== undefined && { images: input.images }),
          ...(input.price !== undefined && { priceCents: input.price.amount }),
          ...(input.isActive !== undefined && { isActive: input.isActive }),
          updatedAt: now,
        })
        .where(and(eq(schema.products.storeId, actor.storeId), eq(schema.products.id, id)))
        .returning();
      const product = serializeProduct(row!);
      await audit(tx, actor, 'product.update', 'product', id, serializeProduct(before), product, now);
      return product;
    });
  } catch (error) {
    skuConflict(error);
  }
}
