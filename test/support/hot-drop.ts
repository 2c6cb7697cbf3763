/** Data for load tests: a store, an open drop with one slot, and many customers with tokens — inserted in bulk. */
import { sql } from 'drizzle-orm';
import { ManualClock } from '../../examples/server/clock.js';
import { rows, schema, type DatabaseHandle } from '../../examples/server/db/index.js';
import { Tokens } from '../../examples/server/domain/tokens.js';
import { createStore, type CreatedStore } from '../../examples/server/seed.js';

export interface HotDrop {
  store: CreatedStore;
  dropId: string;
  slotId: string;
  customers: { id: string; token: string }[];
}

export async function setupHotDrop(
  handle: DatabaseHandle,
  options: { capacity: number; customers: number; now: number; rule?: Record<string, number> },
): Promise<HotDrop> {
  const { db } = handle;
  const now = new Date(options.now);
  const store = await createStore(
    db,
    { name: 'Hot drop store', slug: `hot-${Math.random().toString(36).slice(2)}` },
    now,
  );
  const [product] = await db
    .insert(schema.products)
    .values({ storeId: store.storeId, sku: 'HOT-1', name: 'Hot sneaker', currency: 'EUR', priceCents: 0 })
    .returning();
  const [drop] = await db
    .insert(schema.drops)
    .values({
      storeId: store.storeId,
      productId: product!.id,
      name: 'Hot drop',
      startsAt: new Date(options.now - 1000),
      endsAt: new Date(options.now + 86_400_000),
      reservationRule: { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1, ...options.rule },
      status: 'published',
    })
    .returning();
  const [slot] = await db
    .insert(schema.slots)
    .values({
      storeId: store.storeId,
      dropId: drop!.id,
      startTime: new Date(options.now + 86_400_000),
      endTime: new Date(options.now + 90_000_000),
      capacityTotal: options.capacity,
    })
    .returning();
  const ids = await rows<{ id: string }>(
    db,
    sql`insert into users (store_id, external_id, name)
        select ${store.storeId}, 'load-' || g, 'Customer ' || g from generate_series(1, ${options.customers}) g
        returning id`,
  );
  const tokens = await Tokens.load(db, new ManualClock(options.now));
  const customers = await Promise.all(
    ids.map(async ({ id }) => ({
      id,
      token: (await tokens.signCustomerToken({ userId: id, storeId: store.storeId }, 3600)).token,
    })),
  );
  return { store, dropId: drop!.id, slotId: slot!.id, customers };
}
