/** Writing the rental catalog: categories and the physical units of rentable products. */
import { and, asc, eq } from 'drizzle-orm';
import {
  ProblemCode,
  type Category,
  type CategoryCreate,
  type InventoryItem,
  type InventoryItemCreate,
} from '../../../src/schemas/index.js';
import { pgError, schema, transaction, type Database } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';

type UnitRow = typeof schema.inventoryItems.$inferSelect;
const u = schema.inventoryItems;

function serializeUnit(row: UnitRow): InventoryItem {
  return {
    id: row.id,
    productId: row.productId,
    serial: row.serial,
    status: row.status as InventoryItem['status'],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function createCategory(
  db: Database,
  actor: Actor,
  input: CategoryCreate,
  now: Date,
): Promise<Category> {
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(schema.categories)
        .values({
          storeId: actor.storeId,
          parentId: input.parentId ?? null,
          name: input.name,
          slug: input.slug,
          position: input.position ?? 0,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const category: Category = {
        id: row!.id,
        parentId: row!.parentId,
        name: row!.name,
        slug: row!.slug,
        position: row!.position,
        children: [],
      };
      await audit(tx, actor, 'category.create', 'category', category.id, null, category, now);
      return category;
    });
  } catch (error) {
    const constraint = pgError(error)?.constraint;
    if (constraint === 'categories_store_slug_key') {
      throw new ApiError(409, ProblemCode.conflict, 'Another category of this store has that slug.');
    }
    if (constraint === 'categories_store_parent_fkey') throw notFound('parent category');
    throw error;
  }
}

async function rentableProduct(db: Database, storeId: string, productId: string) {
  const [product] = await db
    .select({ id: schema.products.id, isRentable: schema.products.isRentable })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), eq(schema.products.id, productId)));
  if (!product) throw notFound('product');
  return product;
}

export async function listUnits(
  db: Database,
  storeId: string,
  productId: string,
): Promise<{ data: InventoryItem[] }> {
  await rentableProduct(db, storeId, productId);
  const found = await db
    .select()
    .from(u)
    .where(and(eq(u.storeId, storeId), eq(u.productId, productId)))
    .orderBy(asc(u.serial));
  return { data: found.map(serializeUnit) };
}

export async function createUnit(
  db: Database,
  actor: Actor,
  productId: string,
  input: InventoryItemCreate,
  now: Date,
): Promise<InventoryItem> {
  const product = await rentableProduct(db, actor.storeId, productId);
  if (!product.isRentable) {
    throw new ApiError(422, ProblemCode.notRentable, 'Give the product rental terms before adding units.');
  }
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(u)
        .values({
          storeId: actor.storeId,
          productId,
          serial: input.serial,
          status: input.status ?? 'available',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const unit = serializeUnit(row!);
      await audit(tx, actor, 'inventory_item.create', 'inventory_item', unit.id, null, unit, now);
      return unit;
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'inventory_items_store_serial_key') {
      throw new ApiError(409, ProblemCode.conflict, 'Another unit of this store has that serial.');
    }
    throw error;
  }
}

export async function updateUnit(
  db: Database,
  actor: Actor,
  id: string,
  status: InventoryItem['status'],
  now: Date,
): Promise<InventoryItem> {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(u)
      .where(and(eq(u.storeId, actor.storeId), eq(u.id, id)))
      .for('update');
    if (!before) throw notFound('inventory item');
    const [row] = await tx.update(u).set({ status, updatedAt: now }).where(eq(u.id, id)).returning();
    const unit = serializeUnit(row!);
    await audit(
      tx,
      actor,
      'inventory_item.update',
      'inventory_item',
      id,
      { status: before.status },
      { status },
      now,
    );
    return unit;
  });
}
