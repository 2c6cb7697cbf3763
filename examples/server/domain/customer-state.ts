/**
 * A customer's standing in one drop, for the shopper's elements to restore after a reload, in a new tab or on another
 * device: the reservations that still hold a place and the waitlist entries still in line. Lapsed holds are expired on
 * read (exactly once), like `GET /reservations/{id}`.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { CustomerDropState } from '../../../src/schemas/index.js';
import { schema, type Database } from '../db/index.js';
import { getDrop } from './drops.js';
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
