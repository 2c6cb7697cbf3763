/** The fair waitlist of a full slot: positions in commit order, live position, leaving, declining a promotion. */
import { and, eq, sql } from 'drizzle-orm';
import { ProblemCode, type WaitlistEntry } from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { EventType, recordEvent, waitlistData } from './events.js';
import { cancelInTx, notifySlotById } from './reservations.js';
import { page, pageWindow } from './pagination.js';

type EntryRow = typeof schema.waitlist.$inferSelect;
const w = schema.waitlist;

async function positionOf(db: Executor, row: EntryRow): Promise<number | null> {
  if (row.state !== 'WAITING') return null;
  const [ahead] = await rows<{ n: number }>(
    db,
    sql`select count(*)::int as n from waitlist where slot_id = ${row.slotId} and state = 'WAITING'
          and position < ${row.position}`,
  );
  return ahead!.n + 1;
}

export async function serializeEntry(db: Executor, row: EntryRow): Promise<WaitlistEntry> {
  return {
    id: row.id,
    slotId: row.slotId,
    dropId: row.dropId,
    customerId: row.userId,
    state: row.state as WaitlistEntry['state'],
    position: await positionOf(db, row),
    reservationId: row.reservationId,
    claimDeadline: row.claimDeadline?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    promotedAt: row.promotedAt?.toISOString() ?? null,
  };
}

/** Joins the line of a full slot. Taking a position locks the slot row, so positions follow commit order. */
export async function joinWaitlist(db: Database, actor: Actor, slotId: string, userId: string, now: Date) {
  try {
    return await transaction(db, async (tx) => {
      const [holding] = await rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from reservations where user_id = ${userId} and slot_id = ${slotId}
              and store_id = ${actor.storeId} and state in ('PENDING', 'CONFIRMED', 'CHECKED_IN')`,
      );
      if (holding!.n > 0)
        throw new ApiError(409, ProblemCode.alreadyReserved, 'You already hold a place in this slot.');
      const [taken] = await rows<{ waitlist_seq: number; drop_id: string }>(
        tx,
        sql`update slots set waitlist_seq = slots.waitlist_seq + 1, capacity_waitlist = slots.capacity_waitlist + 1,
              updated_at = ${now}
            from drops d
            where slots.id = ${slotId} and slots.store_id = ${actor.storeId} and d.id = slots.drop_id
              and d.status = 'published' and d.ends_at > ${now}
              and slots.capacity_reserved >= slots.capacity_total
            returning slots.waitlist_seq, slots.drop_id`,
      );
      if (!taken) throw await joinRefusal(tx, actor.storeId, slotId, now);
      const [row] = await tx
        .insert(w)
        .values({
          storeId: actor.storeId,
          dropId: taken.drop_id,
          slotId,
          userId,
          position: Number(taken.waitlist_seq),
          state: 'WAITING',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit(tx, actor, 'waitlist.join', 'waitlist', row!.id, null, row, now);
      await recordEvent(tx, {
        storeId: row!.storeId,
        type: EventType.waitlistJoined,
        at: now,
        userId: row!.userId,
        data: waitlistData(row!),
      });
      await notifySlotById(tx, slotId);
      return serializeEntry(tx, row!);
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'waitlist_active_user_slot_key') {
      throw new ApiError(409, ProblemCode.alreadyWaitlisted, 'You are already in this waitlist.');
    }
    throw error;
  }
}

async function joinRefusal(tx: Executor, storeId: string, slotId: string, now: Date): Promise<ApiError> {
  const [found] = await rows<{
    status: string;
    ends_at: Date;
    capacity_total: number;
    capacity_reserved: number;
  }>(
    tx,
    sql`select d.status, d.ends_at, s.capacity_total, s.capacity_reserved from slots s join drops d on d.id = s.drop_id
        where s.id = ${slotId} and s.store_id = ${storeId}`,
  );
  if (!found || found.status === 'draft') return notFound('slot');
  if (found.status === 'cancelled' || new Date(found.ends_at) <= now) {
    return new ApiError(409, ProblemCode.dropClosed, 'This drop has ended.');
  }
  return new ApiError(409, ProblemCode.slotAvailable, 'This slot has free places: reserve one instead.', {
    capacityRemaining: found.capacity_total - found.capacity_reserved,
  });
}

async function entryRow(db: Executor, storeId: string, id: string, userId: string | undefined, lock = false) {
  const query = db
    .select()
    .from(w)
    .where(and(eq(w.storeId, storeId), eq(w.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || (userId && row.userId !== userId)) throw notFound('waitlist entry');
  return row;
}

export async function getEntry(db: Database, storeId: string, id: string, userId: string | undefined) {
  return serializeEntry(db, await entryRow(db, storeId, id, userId));
}

export async function listEntries(
  db: Database,
  storeId: string,
  userId: string | undefined,
  query: {
    limit?: number | undefined;
    startingAfter?: string | undefined;
    dropId?: string | undefined;
    slotId?: string | undefined;
    state?: string | undefined;
  },
) {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: w,
    sort: w.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'waitlist entry',
  });
  const found = await db
    .select()
    .from(w)
    .where(
      and(
        eq(w.storeId, storeId),
        where,
        userId ? eq(w.userId, userId) : undefined,
        query.dropId ? eq(w.dropId, query.dropId) : undefined,
        query.slotId ? eq(w.slotId, query.slotId) : undefined,
        query.state ? eq(w.state, query.state) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return {
    data: await Promise.all(result.data.map((row) => serializeEntry(db, row))),
    hasMore: result.hasMore,
  };
}

/** Leaves the line; leaving after a promotion declines the offered hold, which passes to the next in line. */
export async function leaveWaitlist(
  db: Database,
  actor: Actor,
  id: string,
  userId: string | undefined,
  now: Date,
) {
  return transaction(db, async (tx) => {
    const seen = await entryRow(tx, actor.storeId, id, userId);
    // Same lock order as promotions: the slot row before the line's rows.
    if (seen.state === 'WAITING')
      await tx.execute(sql`select 1 from slots where id = ${seen.slotId} for update`);
    const row = await entryRow(tx, actor.storeId, id, userId, true);
    if (row.state === 'PROMOTED' && row.reservationId) {
      await cancelInTx(tx, actor, row.reservationId, undefined, now);
    } else if (row.state === 'WAITING') {
      await tx.update(w).set({ state: 'LEFT', updatedAt: now }).where(eq(w.id, id));
      await tx.execute(
        sql`update slots set capacity_waitlist = capacity_waitlist - 1, updated_at = ${now} where id = ${row.slotId}`,
      );
      await notifySlotById(tx, row.slotId);
    } else {
      throw new ApiError(409, ProblemCode.invalidState, `A ${row.state} waitlist entry cannot be left.`, {
        state: row.state,
      });
    }
    const [after] = await tx.select().from(w).where(eq(w.id, id));
    await audit(
      tx,
      actor,
      'waitlist.leave',
      'waitlist',
      id,
      { state: row.state },
      { state: after!.state },
      now,
    );
    await recordEvent(tx, {
      storeId: after!.storeId,
      type: EventType.waitlistLeft,
      at: now,
      userId: after!.userId,
      data: waitlistData(after!),
    });
    return serializeEntry(tx, after!);
  });
}
