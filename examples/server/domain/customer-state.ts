/**
 * A customer's standing in one drop, for the shopper's elements to restore after a reload, in a new tab or on another
 * device: the reservations that still hold a place and the waitlist entries still in line. Lapsed holds are expired on
 * read (exactly once), like `GET /reservations/{id}`. And, the same way, a customer's rentals of one product that still
 * need them (to pay or confirm, to pick up, to return).
 */
import { and, asc, desc, eq, exists, gt, inArray, or } from 'drizzle-orm';
import type { CustomerDropState, CustomerRentalState } from '../../../src/schemas/index.js';
import { schema, type Database } from '../db/index.js';
import { getProduct } from './catalog.js';
import { getDrop } from './drops.js';
import { loadOrder } from './rentals.js';
import { expireReservation, serializeReservation } from './reservations.js';
import type { Tokens } from './tokens.js';
import { serializeEntry } from './waitlist.js';

const r = schema.reservations;
const w = schema.waitlist;

export async function customerDropState(
  db: Database,
  tokens: Tokens,
  storeId: string,
  userId: string,
  dropId: string,
  now: Date,
): Promise<CustomerDropState> {
  await getDrop(db, storeId, dropId, false, now); // 404 for an unknown or draft drop
  const mine = and(eq(r.storeId, storeId), eq(r.userId, userId), eq(r.dropId, dropId));
  const held = await db
    .select()
    .from(r)
    .where(and(mine, inArray(r.state, ['PENDING', 'CONFIRMED', 'CHECKED_IN'])))
    .orderBy(desc(r.createdAt), desc(r.id));
  const reservations = [];
  for (const row of held) {
    if (row.state === 'PENDING' && row.expiresAt && row.expiresAt <= now) {
      await expireReservation(db, row.id, now);
      continue;
    }
    reservations.push(serializeReservation(row, tokens, true));
  }
  const entries = await db
    .select()
    .from(w)
    .where(
      and(
        eq(w.storeId, storeId),
        eq(w.userId, userId),
        eq(w.dropId, dropId),
        inArray(w.state, ['WAITING', 'PROMOTED']),
      ),
    )
    .orderBy(desc(w.createdAt), desc(w.id));
  return {
    dropId,
    reservations,
    waitlistEntries: await Promise.all(entries.map((row) => serializeEntry(db, row))),
  };
}

const o = schema.rentalOrders;
const ri = schema.rentalItems;

/** Orders restored at most: a shopper with more open rentals of one product sees the soonest. */
const RENTALS_RESTORED = 50;

/**
 * The customer's orders with a unit of `productId` that still need them: `pending_payment` or `confirmed` and not over
 * yet, or picked up (`active`, `overdue`); soonest pickup first, each with its next handover code.
 */
export async function customerRentalState(
  db: Database,
  tokens: Tokens,
  storeId: string,
  userId: string,
  productId: string,
  now: Date,
): Promise<CustomerRentalState> {
  await getProduct(db, storeId, productId, true); // 404 for an unknown product (a retired one's rentals still show)
  const found = await db
    .select({ id: o.id })
    .from(o)
    .where(
      and(
        eq(o.storeId, storeId),
        eq(o.userId, userId),
        or(
          and(inArray(o.status, ['pending_payment', 'confirmed']), gt(o.endsAt, now)),
          inArray(o.status, ['active', 'overdue']),
        ),
        exists(
          db
            .select({ one: ri.id })
            .from(ri)
            .where(and(eq(ri.rentalOrderId, o.id), eq(ri.productId, productId))),
        ),
      ),
    )
    .orderBy(asc(o.startsAt), asc(o.id))
    .limit(RENTALS_RESTORED);
  const orders = [];
  for (const row of found) orders.push(await loadOrder(db, storeId, row.id, tokens));
  return { productId, orders };
}
