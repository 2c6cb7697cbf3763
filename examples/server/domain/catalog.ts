/** The store and its product catalog. */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type {
  PricingUnit,
  Product,
  ProductAsset,
  RentalTerms,
  RentalTermsInput,
  ProductCreate,
  ProductListQuery,
  ProductUpdate,
  Store,
} from '../../../src/schemas/index.js';
import { ProblemCode } from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';
import { assetsOf } from './assets.js';

type ProductRow = typeof schema.products.$inferSelect;

export function serializeProduct(
  row: ProductRow,
  rental: RentalTerms | null = null,
  assets: ProductAsset[] = [],
): Product {
  return {
    id: row.id,
    storeId: row.storeId,
    sku: row.sku,
    name: row.name,
    description: row.description,
    images: row.images,
    assets,
    price: { amount: row.priceCents, currency: row.currency },
    isActive: row.isActive,
    rental,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Products with their assets and rental terms (assets and units in service loaded in two queries for the whole page). */
async function withRentalTerms(db: Executor, found: ProductRow[]): Promise<Product[]> {
  const rentable = found.filter((p) => p.isRentable).map((p) => p.id);
  const assets = await assetsOf(
    db,
    found.map((p) => p.id),
  );
  const units = rentable.length
    ? await rows<{ product_id: string; n: number }>(
        db,
        sql`select product_id, count(*)::int as n from inventory_items
            where product_id in ${rentable} and status = 'available' group by product_id`,
      )
    : [];
  return found.map((row) =>
    serializeProduct(
      row,
      row.isRentable
        ? {
            categoryId: row.categoryId,
            basePrice: { amount: row.basePriceCents ?? 0, currency: row.currency },
            pricingUnit: row.pricingUnit as PricingUnit,
            assets: assets.get(row.id) ?? [],
            unitsInService: units.find((u) => u.product_id === row.id)?.n ?? 0,
          }
        : null,
      assets.get(row.id) ?? [],
    ),
  );
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
    rentalPayment: store.rentalPayment as Store['rentalPayment'],
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
  return (await withRentalTerms(db, [row]))[0]!;
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
  if (query.rentable) filters.push(eq(t.isRentable, query.rentable === 'true'));
  if (query.categoryId) {
    filters.push(
      sql`${t.categoryId} in (with recursive sub as (
            select id from categories where id = ${query.categoryId} and store_id = ${storeId}
            union all select c.id from categories c join sub on c.parent_id = sub.id)
          select id from sub)`,
    );
  }
  const found = await db
    .select()
    .from(t)
    .where(and(...filters))
    .orderBy(...orderBy)
    .limit(take);
  return page(await withRentalTerms(db, found), limit);
}

function skuConflict(error: unknown): never {
  const constraint = pgError(error)?.constraint;
  if (constraint === 'products_store_sku_key') {
    throw new ApiError(409, ProblemCode.conflict, 'Another product of this store has that SKU.');
  }
  if (constraint === 'products_store_category_fkey') throw notFound('category');
  throw error;
}

/** The columns of rental terms (`null` stops renting), after checking the currency. */
function rentalColumns(rental: RentalTermsInput | null, currency: string, field: string) {
  if (!rental) return { isRentable: false };
  if (rental.basePrice.currency !== currency) {
    throw invalidField(`${field}.currency`, `Prices of this store are in ${currency}.`);
  }
  return {
    isRentable: true,
    basePriceCents: rental.basePrice.amount,
    pricingUnit: rental.pricingUnit,
    categoryId: rental.categoryId ?? null,
  };
}

export async function createProduct(db: Database, actor: Actor, input: ProductCreate, now: Date) {
  const store = await getStore(db, actor.storeId);
  if (input.price.currency !== store.currency) {
    throw invalidField('body.price.currency', `Prices of this store are in ${store.currency}.`);
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
          ...(input.rental && rentalColumns(input.rental, store.currency, 'body.rental.basePrice')),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const [product] = await withRentalTerms(tx, [row!]);
      await audit(tx, actor, 'product.create', 'product', product!.id, null, product, now);
      return product!;
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
          ...(input.rental !== undefined &&
            rentalColumns(input.rental, before.currency, 'body.rental.basePrice')),
          updatedAt: now,
        })
        .where(and(eq(schema.products.storeId, actor.storeId), eq(schema.products.id, id)))
        .returning();
      const [product] = await withRentalTerms(tx, [row!]);
      const [previous] = await withRentalTerms(tx, [before]);
      await audit(tx, actor, 'product.update', 'product', id, previous, product, now);
      return product!;
    });
  } catch (error) {
    skuConflict(error);
  }
}
