/**
 * Holds, confirmation, cancellation, expiry, waitlist promotion and check-in. Capacity is guarded by the database:
 * one conditional UPDATE of the slot row takes a place (the CHECK on capacity_reserved backs it up), and a release
 * hands the place to the head of the waitlist in the same transaction, so nothing oversells and nothing is lost.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import {
  defaultReservationRule,
  ProblemCode,
  type Reservation,
  type ReservationListQuery,
} from '../../../src/schemas/index.js';
import {
  afterCommit,
  EVENTS_CHANNEL,
  inUnitOfWork,
  pgError,
  rows,
  schema,
  transaction,
  type Database,
  type Executor,
} from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import type { Tokens } from './tokens.js';
import type { Semaphore } from '../semaphore.js';
import { audit, systemActor, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';
import { refundOnCancelInTx } from './refunds.js';
import { EventType, recordEvent, reservationCreatedSql, reservationData } from './events.js';
import { assertWithin, windowAround } from './check-in-window.js';

type ReservationRow = typeof schema.reservations.$inferSelect;
const r = schema.reservations;
const w = schema.waitlist;

export function serializeReservation(row: ReservationRow, tokens: Tokens, showToken: boolean): Reservation {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    storeId: row.storeId,
    dropId: row.dropId,
    slotId: row.slotId,
    customerId: row.userId,
    state: row.state as Reservation['state'],
    source: row.source as Reservation['source'],
    expiresAt: row.state === 'PENDING' ? iso(row.expiresAt) : null,
    customerNote: row.customerNote,
    qrToken: showToken && row.state === 'CONFIRMED' ? tokens.checkInToken(row.id) : null,
    createdAt: row.createdAt.toISOString(),
    confirmedAt: iso(row.confirmedAt),
    cancelledAt: iso(row.cancelledAt),
    checkedInAt: iso(row.checkedInAt),
    expiredAt: iso(row.expiredAt),
  };
}

/** Maps a raw `reservations.*` row (snake_case, from hand-written SQL) to the Drizzle shape. */
function fromSql(raw: Record<string, unknown>): ReservationRow {
  return {
    id: raw.id as string,
    storeId: raw.store_id as string,
    dropId: raw.drop_id as string,
    slotId: raw.slot_id as string,
    userId: raw.user_id as string,
    state: raw.state as string,
    source: raw.source as string,
    expiresAt: toDate(raw.expires_at),
    qrCodeUrl: (raw.qr_code_url as string | null) ?? null,
    customerNote: (raw.customer_note as string | null) ?? null,
    createdAt: toDate(raw.created_at)!,
    updatedAt: toDate(raw.updated_at)!,
    confirmedAt: toDate(raw.confirmed_at),
    cancelledAt: toDate(raw.cancelled_at),
    checkedInAt: toDate(raw.checked_in_at),
    expiredAt: toDate(raw.expired_at),
  };
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/**
 * The NOTIFY of a slot's new figures. With `window`, the alias also carries the drop's `starts_at`/`ends_at`, so
 * every process can mark a full slot without asking the database.
 */
const slotNotice = (alias: string, window = false): SQL =>
  sql.raw(
    `pg_notify('${EVENTS_CHANNEL}', json_build_object('t', 'slot', 'dropId', ${alias}.drop_id, 'slotId', ${alias}.id, ` +
      `'storeId', ${alias}.store_id, 'total', ${alias}.capacity_total, 'reserved', ${alias}.capacity_reserved, ` +
      `'waitlist', ${alias}.capacity_waitlist` +
      (window ? `, 'startsAt', ${alias}.starts_at, 'endsAt', ${alias}.ends_at` : '') +
      `)::text)`,
  );

export interface ReserveInput {
  slotId: string;
  userId: string;
  customerNote?: string | undefined;
}

/** What the hot path may know without the database: whether a slot is full and when its drop is open. */
export interface CapacityCache {
  knownFull(
    slotId: string,
    storeId: string,
    now: Date,
  ): { dropId: string; waitlistCount: number } | undefined;
  markFull(
    slotId: string,
    info: { storeId: string; dropId: string; startsAt: Date; endsAt: Date; waitlistCount: number },
  ): void;
}

export function slotFullError(slotId: string, waitlistCount: number): ApiError {
  return new ApiError(
    409,
    ProblemCode.slotFull,
    'This slot is full. Join its waitlist to be offered the next free place.',
    {
      slotId,
      waitlist: { available: true, count: waitlistCount, join: `/v1/slots/${slotId}/waitlist` },
    },
  );
}

/** Refuses a reserve from memory when the slot is known full (no database round trip). */
export function refuseIfKnownFull(cache: CapacityCache, slotId: string, storeId: string, now: Date): void {
  const full = cache.knownFull(slotId, storeId, now);
  if (full) throw slotFullError(slotId, full.waitlistCount);
}

/**
 * Takes a hold on a slot: one atomic statement takes the place, inserts the reservation and its audit row. Outside a
 * unit of work, requests queue at `gate` before taking a connection; inside one the request already holds its
 * connection, so it goes straight on (queueing would let gate and pool wait on each other).
 */
export async function reserve(
  db: Database,
  cache: CapacityCache,
  gate: Semaphore,
  actor: Actor,
  input: ReserveInput,
  now: Date,
): Promise<ReservationRow> {
  const refuseIfFull = () => refuseIfKnownFull(cache, input.slotId, actor.storeId, now);
  refuseIfFull();
  try {
    if (inUnitOfWork()) return await reserveInTx(db, cache, actor, input, now);
    // Requests queue here for a database connection; by the time one gets a turn the slot may be known full.
    return await gate.run(() => {
      refuseIfFull();
      return reserveInTx(db, cache, actor, input, now);
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'reservations_active_user_slot_key') {
      throw new ApiError(409, ProblemCode.alreadyReserved, 'You already hold a place in this slot.');
    }
    throw error;
  }
}

async function reserveInTx(
  db: Database,
  cache: CapacityCache,
  actor: Actor,
  input: ReserveInput,
  now: Date,
): Promise<ReservationRow> {
  {
    return await transaction(db, async (tx) => {
      // One customer's reserves run one at a time, so per-customer limits hold under concurrency.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${input.userId}, 7270))`);
      const created = await rows<Record<string, unknown>>(
        tx,
        sql`
        with s as (
          update slots set
            capacity_reserved = slots.capacity_reserved + 1,
            capacity_waitlist = slots.capacity_waitlist - (
              select count(*) from waitlist wl
              where wl.slot_id = slots.id and wl.user_id = ${input.userId} and wl.state = 'WAITING')::int,
            updated_at = ${now}
          from drops d
          where slots.id = ${input.slotId} and slots.store_id = ${actor.storeId} and d.id = slots.drop_id
            and d.status = 'published' and d.starts_at <= ${now} and d.ends_at > ${now}
            and slots.capacity_reserved < slots.capacity_total
            and (select count(*) from reservations x
                 where x.user_id = ${input.userId} and x.drop_id = d.id
                   and x.state in ('PENDING', 'CONFIRMED', 'CHECKED_IN'))
                < coalesce((d.reservation_rule->>'maxPerCustomer')::int, ${defaultReservationRule.maxPerCustomer})
          returning slots.id, slots.drop_id, slots.store_id, slots.capacity_total, slots.capacity_reserved,
            slots.capacity_waitlist, d.starts_at, d.ends_at,
            coalesce((d.reservation_rule->>'holdTtlSeconds')::int, ${defaultReservationRule.holdTtlSeconds}) as hold_ttl
        ),
        ins as (
          insert into reservations (store_id, drop_id, slot_id, user_id, state, source, expires_at, customer_note,
            created_at, updated_at)
          select s.store_id, s.drop_id, s.id, ${input.userId}, 'PENDING', 'direct',
            ${now}::timestamptz + make_interval(secs => s.hold_ttl), ${input.customerNote ?? null}, ${now}, ${now}
          from s
          returning *
        ),
        left_line as (
          update waitlist set state = 'LEFT', updated_at = ${now}
          where slot_id = ${input.slotId} and user_id = ${input.userId} and state = 'WAITING'
            and exists (select 1 from ins)
          returning id
        ),
        logged as (
          insert into audit_logs (store_id, actor_user_id, actor_key_id, action, entity, entity_id, before, after,
            ip, ua, request_id, created_at)
          select ins.store_id, ${actor.userId ?? null}::uuid, ${actor.keyId ?? null}::uuid, 'reservation.create',
            'reservation', ins.id::text, null, to_jsonb(ins), ${actor.ip ?? null}, ${actor.ua ?? null},
            ${actor.requestId ?? null}, ${now}
          from ins
          returning id
        ),
        evented as (${reservationCreatedSql(now)}),
        notified as (select ${slotNotice('s', true)} from s)
        select ins.*, s.capacity_total as slot_total, s.capacity_reserved as slot_reserved,
          s.capacity_waitlist as slot_waitlist, s.starts_at as drop_starts_at, s.ends_at as drop_ends_at,
          (select count(*) from notified) as notices, (select count(*) from left_line) as left_lines,
          (select count(*) from logged) as audits, (select count(*) from evented) as events
        from ins cross join s`,
      );
      const row = created[0];
      if (!row) throw await refusal(tx, cache, actor.storeId, input, now);
      if (Number(row.slot_reserved) >= Number(row.slot_total)) {
        // This hold took the last place: later requests here are refused without the database, once it commits.
        afterCommit(() =>
          cache.markFull(input.slotId, {
            storeId: actor.storeId,
            dropId: row.drop_id as string,
            startsAt: toDate(row.drop_starts_at)!,
            endsAt: toDate(row.drop_ends_at)!,
            waitlistCount: Number(row.slot_waitlist),
          }),
        );
      }
      return fromSql(row);
    });
  }
}

/** Why a reserve took no place: the most specific of unknown slot, drop not open/closed, limit, full. */
async function refusal(tx: Executor, cache: CapacityCache, storeId: string, input: ReserveInput, now: Date) {
  const [found] = await rows<{
    capacity_total: number;
    capacity_reserved: number;
    capacity_waitlist: number;
    drop_id: string;
    status: string;
    starts_at: Date;
    ends_at: Date;
    max_per_customer: number | null;
    held: number;
  }>(
    tx,
    sql`select s.capacity_total, s.capacity_reserved, s.capacity_waitlist, s.drop_id, d.status, d.starts_at, d.ends_at,
          (d.reservation_rule->>'maxPerCustomer')::int as max_per_customer,
          (select count(*) from reservations x where x.user_id = ${input.userId} and x.drop_id = d.id
             and x.state in ('PENDING', 'CONFIRMED', 'CHECKED_IN'))::int as held
        from slots s join drops d on d.id = s.drop_id
        where s.id = ${input.slotId} and s.store_id = ${storeId}`,
  );
  if (!found || found.status === 'draft') return notFound('slot');
  const startsAt = toDate(found.starts_at)!;
  const endsAt = toDate(found.ends_at)!;
  if (found.status === 'cancelled')
    return new ApiError(409, ProblemCode.dropClosed, 'This drop was cancelled.');
  if (now < startsAt) {
    return new ApiError(409, ProblemCode.dropNotOpen, 'This drop is not open yet.', {
      startsAt: startsAt.toISOString(),
    });
  }
  if (now >= endsAt) {
    return new ApiError(409, ProblemCode.dropClosed, 'This drop has ended.', {
      endsAt: endsAt.toISOString(),
    });
  }
  const max = found.max_per_customer ?? defaultReservationRule.maxPerCustomer;
  if (found.held >= max) {
    return new ApiError(
      409,
      ProblemCode.reservationLimitReached,
      `You may hold ${max} reservation${max === 1 ? '' : 's'} in this drop.`,
      { maxPerCustomer: max },
    );
  }
  if (found.capacity_reserved >= found.capacity_total) {
    cache.markFull(input.slotId, {
      storeId,
      dropId: found.drop_id,
      startsAt,
      endsAt,
      waitlistCount: found.capacity_waitlist,
    });
    return slotFullError(input.slotId, found.capacity_waitlist);
  }
  // The place was free when we looked again (a release committed in between): ask the client to retry.
  return new ApiError(
    409,
    ProblemCode.conflict,
    'The slot changed while reserving; retry.',
    {},
    { 'retry-after': '0' },
  );
}

export async function lockReservation(
  tx: Executor,
  storeId: string,
  id: string,
): Promise<ReservationRow | undefined> {
  const [row] = await tx
    .select()
    .from(r)
    .where(and(eq(r.storeId, storeId), eq(r.id, id)))
    .for('update');
  return row;
}

/** Hands a place to the head of the slot's waitlist: `transfer` keeps a released place taken, `grow` takes a free one. */
export async function promoteWaiting(
  tx: Executor,
  actor: Actor,
  slotId: string,
  now: Date,
  mode: 'transfer' | 'grow',
): Promise<boolean> {
  const [slot] = await rows<{
    drop_id: string;
    store_id: string;
    status: string;
    ends_at: Date;
    claim_ttl: number | null;
  }>(
    tx,
    sql`select s.drop_id, s.store_id, d.status, d.ends_at, (d.reservation_rule->>'claimTtlSeconds')::int as claim_ttl
        from slots s join drops d on d.id = s.drop_id where s.id = ${slotId} for update of s`,
  );
  if (!slot || slot.status !== 'published' || toDate(slot.ends_at)! <= now) return false;
  const claimTtl = slot.claim_ttl ?? defaultReservationRule.claimTtlSeconds;
  for (;;) {
    const [head] = await tx
      .select()
      .from(w)
      .where(and(eq(w.slotId, slotId), eq(w.state, 'WAITING')))
      .orderBy(w.position)
      .limit(1)
      .for('update');
    if (!head) return false;
    const [holding] = await rows<{ n: number }>(
      tx,
      sql`select count(*)::int as n from reservations where user_id = ${head.userId} and slot_id = ${slotId}
            and state in ('PENDING', 'CONFIRMED', 'CHECKED_IN')`,
    );
    if (holding!.n > 0) {
      // Already holds a place here: the line moves on without them.
      await tx.update(w).set({ state: 'LEFT', updatedAt: now }).where(eq(w.id, head.id));
      await tx.execute(sql`update slots set capacity_waitlist = capacity_waitlist - 1 where id = ${slotId}`);
      continue;
    }
    const claimDeadline = new Date(now.getTime() + claimTtl * 1000);
    const [hold] = await tx
      .insert(r)
      .values({
        storeId: slot.store_id,
        dropId: slot.drop_id,
        slotId,
        userId: head.userId,
        state: 'PENDING',
        source: 'waitlist',
        expiresAt: claimDeadline,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx
      .update(w)
      .set({ state: 'PROMOTED', reservationId: hold!.id, claimDeadline, promotedAt: now, updatedAt: now })
      .where(eq(w.id, head.id));
    await tx.execute(
      mode === 'grow'
        ? sql`update slots set capacity_waitlist = capacity_waitlist - 1, capacity_reserved = capacity_reserved + 1,
                updated_at = ${now} where id = ${slotId}`
        : sql`update slots set capacity_waitlist = capacity_waitlist - 1, updated_at = ${now} where id = ${slotId}`,
    );
    await audit(
      tx,
      { ...systemActor(slot.store_id), ...actor },
      'waitlist.promote',
      'waitlist',
      head.id,
      head,
      {
        ...head,
        state: 'PROMOTED',
        reservationId: hold!.id,
        claimDeadline,
      },
      now,
    );
    await recordEvent(tx, {
      storeId: slot.store_id,
      type: EventType.waitlistPromoted,
      at: now,
      userId: head.userId,
      data: {
        waitlistEntryId: head.id,
        claimDeadline: claimDeadline.toISOString(),
        ...reservationData(hold!),
      },
    });
    return true;
  }
}

/** Frees the place of a reservation that stopped being active: to the waitlist's head if any, else back to the slot. */
async function release(tx: Executor, actor: Actor, slotId: string, now: Date): Promise<void> {
  if (!(await promoteWaiting(tx, actor, slotId, now, 'transfer'))) {
    await tx.execute(
      sql`update slots set capacity_reserved = capacity_reserved - 1, updated_at = ${now} where id = ${slotId}`,
    );
  }
  await notifySlotById(tx, slotId);
}

/** Tells every server process a slot's current figures, on commit. */
export async function notifySlotById(tx: Executor, slotId: string): Promise<void> {
  await tx.execute(sql`select ${slotNotice('x')} from slots x where x.id = ${slotId}`);
}

/** Expires one due hold, exactly once whoever finds it first (sweeper, a read, a confirm). */
export async function expireInTx(tx: Executor, id: string, now: Date): Promise<ReservationRow | undefined> {
  const [expired] = await tx
    .update(r)
    .set({ state: 'EXPIRED', expiredAt: now, updatedAt: now })
    .where(and(eq(r.id, id), eq(r.state, 'PENDING'), sql`${r.expiresAt} <= ${now}`))
    .returning();
  if (!expired) return undefined;
  const actor = systemActor(expired.storeId);
  await tx
    .update(w)
    .set({ state: 'EXPIRED', updatedAt: now })
    .where(and(eq(w.reservationId, id), eq(w.state, 'PROMOTED')));
  await audit(
    tx,
    actor,
    'reservation.expire',
    'reservation',
    id,
    { state: 'PENDING' },
    { state: 'EXPIRED' },
    now,
  );
  await recordEvent(tx, {
    storeId: expired.storeId,
    type: EventType.reservationExpired,
    at: now,
    userId: expired.userId,
    data: reservationData(expired),
  });
  await release(tx, actor, expired.slotId, now);
  return expired;
}

export async function expireReservation(db: Database, id: string, now: Date): Promise<boolean> {
  return Boolean(await transaction(db, (tx) => expireInTx(tx, id, now)));
}

/** Expires every due hold (a batch); returns how many expired here. Safe to run from many processes at once. */
export async function expireDue(db: Database, now: Date, batch = 500): Promise<number> {
  const due = await db
    .select({ id: r.id })
    .from(r)
    .where(and(eq(r.state, 'PENDING'), sql`${r.expiresAt} <= ${now}`))
    .orderBy(r.expiresAt)
    .limit(batch);
  let expired = 0;
  for (const { id } of due) if (await expireReservation(db, id, now)) expired++;
  return expired;
}

/** Reads a reservation the caller may see, expiring it first if its hold lapsed. */
export async function getReservation(
  db: Database,
  storeId: string,
  id: string,
  customerId: string | undefined,
  now: Date,
): Promise<ReservationRow> {
  const [row] = await db
    .select()
    .from(r)
    .where(and(eq(r.storeId, storeId), eq(r.id, id)));
  if (!row || (customerId && row.userId !== customerId)) throw notFound('reservation');
  if (row.state === 'PENDING' && row.expiresAt && row.expiresAt <= now) {
    await expireReservation(db, id, now);
    return getReservation(db, storeId, id, customerId, now);
  }
  return row;
}

export async function listReservations(
  db: Database,
  storeId: string,
  customerId: string | undefined,
  query: ReservationListQuery,
) {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: r,
    sort: r.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'reservation',
  });
  const found = await db
    .select()
    .from(r)
    .where(
      and(
        eq(r.storeId, storeId),
        where,
        customerId ? eq(r.userId, customerId) : undefined,
        query.state ? eq(r.state, query.state) : undefined,
        query.dropId ? eq(r.dropId, query.dropId) : undefined,
        query.slotId ? eq(r.slotId, query.slotId) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  return page(found, limit);
}

/** A thrown error that must not roll back the work already done (the expiry found on confirm). */
class AfterCommit {
  constructor(readonly error: ApiError) {}
}

export async function confirmReservation(
  db: Database,
  actor: Actor,
  id: string,
  customerId: string | undefined,
  now: Date,
): Promise<ReservationRow> {
  const outcome = await transaction(db, async (tx) => {
    const row = await lockReservation(tx, actor.storeId, id);
    if (!row || (customerId && row.userId !== customerId)) throw notFound('reservation');
    if (row.state === 'CONFIRMED') return row;
    if (row.state === 'EXPIRED') throw holdExpired(row);
    if (row.state !== 'PENDING') throw invalidState(row, 'confirmed');
    if (row.expiresAt && row.expiresAt <= now) {
      await expireInTx(tx, id, now);
      return new AfterCommit(holdExpired(row));
    }
    // A paid drop's hold is confirmed by the provider's success webhook, not by its customer.
    if (customerId && (await paymentRequired(tx, row.dropId))) {
      throw new ApiError(
        409,
        ProblemCode.paymentRequired,
        'This drop is paid: pay the hold (POST /v1/payments); it is confirmed when the payment succeeds.',
        { reservationId: row.id },
      );
    }
    return confirmLockedInTx(tx, actor, row, now, 'customer');
  });
  if (outcome instanceof AfterCommit) throw outcome.error;
  return outcome;
}

/**
 * Whether a hold in the drop must be paid before it is confirmed: its product has a price (`priceCents > 0`) and the
 * store takes payment online (`stores.drop_payment_required`, the default).
 */
export async function paymentRequired(tx: Executor, dropId: string): Promise<boolean> {
  const [found] = await rows<{ required: boolean }>(
    tx,
    sql`select p.price_cents > 0 and s.drop_payment_required as required
        from drops d join products p on p.id = d.product_id join stores s on s.id = d.store_id
        where d.id = ${dropId}`,
  );
  return found?.required === true;
}

/**
 * PENDING → CONFIRMED of a hold the caller has locked and checked (state PENDING, not lapsed), in the caller's
 * transaction: by its customer or a secret key (`customer`), or by the payment-succeeded webhook (`payment`).
 */
export async function confirmLockedInTx(
  tx: Executor,
  actor: Actor,
  row: ReservationRow,
  now: Date,
  via: 'customer' | 'payment',
): Promise<ReservationRow> {
  const id = row.id;
  const [confirmed] = await tx
    .update(r)
    .set({ state: 'CONFIRMED', confirmedAt: now, expiresAt: null, updatedAt: now })
    .where(eq(r.id, id))
    .returning();
  if (row.source === 'waitlist') {
    await tx
      .update(w)
      .set({ state: 'CLAIMED', updatedAt: now })
      .where(and(eq(w.reservationId, id), eq(w.state, 'PROMOTED')));
  }
  await audit(
    tx,
    actor,
    'reservation.confirm',
    'reservation',
    id,
    { state: row.state },
    via === 'payment' ? { state: 'CONFIRMED', via } : { state: 'CONFIRMED' },
    now,
  );
  await recordEvent(tx, {
    storeId: confirmed!.storeId,
    type: EventType.reservationConfirmed,
    at: now,
    userId: confirmed!.userId,
    data: via === 'payment' ? { ...reservationData(confirmed!), via } : reservationData(confirmed!),
  });
  return confirmed!;
}

const holdExpired = (row: ReservationRow) =>
  new ApiError(409, ProblemCode.holdExpired, 'The hold expired before it was confirmed; reserve again.', {
    expiredAt: (row.expiredAt ?? row.expiresAt)?.toISOString(),
  });

const invalidState = (row: ReservationRow, verb: string) =>
  new ApiError(409, ProblemCode.invalidState, `A ${row.state} reservation cannot be ${verb}.`, {
    state: row.state,
  });

export async function cancelReservation(
  db: Database,
  actor: Actor,
  id: string,
  customerId: string | undefined,
  now: Date,
): Promise<ReservationRow> {
  return transaction(db, (tx) => cancelInTx(tx, actor, id, customerId, now));
}

export async function cancelInTx(
  tx: Executor,
  actor: Actor,
  id: string,
  customerId: string | undefined,
  now: Date,
): Promise<ReservationRow> {
  const row = await lockReservation(tx, actor.storeId, id);
  if (!row || (customerId && row.userId !== customerId)) throw notFound('reservation');
  if (row.state !== 'PENDING' && row.state !== 'CONFIRMED') throw invalidState(row, 'cancelled');
  const [cancelled] = await tx
    .update(r)
    .set({ state: 'CANCELLED', cancelledAt: now, updatedAt: now })
    .where(eq(r.id, id))
    .returning();
  await tx
    .update(w)
    .set({ state: 'LEFT', updatedAt: now })
    .where(and(eq(w.reservationId, id), inArray(w.state, ['PROMOTED'])));
  await audit(
    tx,
    actor,
    'reservation.cancel',
    'reservation',
    id,
    { state: row.state },
    { state: 'CANCELLED' },
    now,
  );
  await recordEvent(tx, {
    storeId: cancelled!.storeId,
    type: EventType.reservationCancelled,
    at: now,
    userId: cancelled!.userId,
    data: reservationData(cancelled!),
  });
  await release(tx, actor, row.slotId, now);
  const [slot] = await tx
    .select({ startTime: schema.slots.startTime })
    .from(schema.slots)
    .where(eq(schema.slots.id, row.slotId));
  await refundOnCancelInTx(tx, actor, { reservationId: id }, slot!.startTime, customerId !== undefined, now);
  return cancelled!;
}

/** Redeems a check-in token once: the conditional update is the single point of truth. */
export async function checkIn(db: Database, tokens: Tokens, actor: Actor, qrToken: string, now: Date) {
  const id = tokens.verifyCheckInToken(qrToken);
  if (!id) throw new ApiError(400, ProblemCode.qrInvalid, 'This is not a valid DropSlot check-in code.');
  return transaction(db, async (tx) => {
    // The check-in window of the slot (drop rule, store setting, default): a confirmed ticket outside it is 409.
    const [ticket] = await rows<{
      state: string;
      starts_at: Date | string;
      ends_at: Date | string;
      rule: { checkInOpensMinutesBefore?: number; checkInClosesMinutesAfter?: number } | null;
      opens: number | null;
      closes: number | null;
    }>(
      tx,
      sql`select r.state, s.start_time as starts_at, s.end_time as ends_at, d.reservation_rule as rule,
            st.check_in_opens_minutes as opens, st.check_in_closes_minutes as closes
          from reservations r join slots s on s.id = r.slot_id join drops d on d.id = r.drop_id
          join stores st on st.id = r.store_id
          where r.store_id = ${actor.storeId} and r.id = ${id}`,
    );
    if (ticket?.state === 'CONFIRMED') {
      const window = windowAround(
        new Date(ticket.starts_at),
        new Date(ticket.ends_at),
        {
          opensMinutesBefore: ticket.rule?.checkInOpensMinutesBefore,
          closesMinutesAfter: ticket.rule?.checkInClosesMinutesAfter,
        },
        { opensMinutesBefore: ticket.opens, closesMinutesAfter: ticket.closes },
      );
      assertWithin(window, now, 'Check-in for this slot', { reservationId: id });
    }
    const [row] = await tx
      .update(r)
      .set({ state: 'CHECKED_IN', checkedInAt: now, updatedAt: now })
      .where(and(eq(r.storeId, actor.storeId), eq(r.id, id), eq(r.state, 'CONFIRMED')))
      .returning();
    if (row) {
      await audit(
        tx,
        actor,
        'reservation.check_in',
        'reservation',
        id,
        { state: 'CONFIRMED' },
        { state: 'CHECKED_IN' },
        now,
      );
      await recordEvent(tx, {
        storeId: row.storeId,
        type: EventType.reservationCheckedIn,
        at: now,
        userId: row.userId,
        data: reservationData(row),
      });
      return row;
    }
    const [existing] = await tx
      .select()
      .from(r)
      .where(and(eq(r.storeId, actor.storeId), eq(r.id, id)));
    if (!existing)
      throw new ApiError(400, ProblemCode.qrInvalid, 'This code belongs to no reservation of this store.');
    if (existing.state === 'CHECKED_IN') {
      throw new ApiError(409, ProblemCode.qrAlreadyUsed, 'This ticket was already used.', {
        firstUsedAt: existing.checkedInAt?.toISOString(),
        reservationId: id,
      });
    }
    throw invalidState(existing, 'checked in');
  });
}
