import { sql } from 'drizzle-orm';
import { rows, type Database } from '../../examples/server/db/index.js';

/**
 * The baseline the benchmark compares against: count the places taken, then insert if one looked free.
 * Two requests that read at the same time both insert — this is what oversells.
 */
export async function naiveReserve(
  db: Database,
  slotId: string,
  userId: string,
  now: Date,
): Promise<[object, 201 | 409]> {
  const [slot] = await rows<{ capacity_total: number; store_id: string; drop_id: string; taken: number }>(
    db,
    sql`select capacity_total, store_id, drop_id,
          (select count(*) from reservations where slot_id = ${slotId} and state in ('PENDING', 'CONFIRMED'))::int as taken
        from slots where id = ${slotId}`,
  );
  if (!slot || slot.taken >= slot.capacity_total) return [{ code: 'slot_full' }, 409];
  const [row] = await rows<{ id: string }>(
    db,
    sql`insert into reservations (store_id, drop_id, slot_id, user_id, state, expires_at, created_at, updated_at)
        values (${slot.store_id}, ${slot.drop_id}, ${slotId}, ${userId}, 'PENDING', ${new Date(now.getTime() + 600_000)}, ${now}, ${now})
        returning id`,
  );
  return [{ id: row!.id }, 201];
}
