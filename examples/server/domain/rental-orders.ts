/**
 * The rental order lifecycle after creation: pending_payment → confirmed → active (picked up) → completed
 * (returned), or cancelled (before pickup), or overdue (still out after `ends_at`, found by the sweeper). Each step is
 * one transaction that locks the order, checks its status, changes it with the units (`rental_items`), schedules and
 * handover codes, and writes an audit row and an `events` row. Refusals are `ApiError`s thrown before anything is
 * written, or inside the transaction so it rolls back.
 */
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import {
  ProblemCode,
  type Handover,
  type RentalOrder,
  type RentalOrderListQuery,
} from '../../../src/schemas/index.js';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, systemActor, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';
import { loadOrder } from './rentals.js';
import { EventType, recordEvent } from './events.js';
import { minorDigits } from '../../../src/money.js';
import { refundOnCancelInTx } from './refunds.js';
import { assertWithin, windowAround } from './check-in-window.js';
import { rentalTicket } from './desk.js';
import type { Tokens } from './tokens.js';

type OrderRow = typeof schema.rentalOrders.$inferSelect;
type OrderStatus = RentalOrder['status'];
const o = schema.rentalOrders;

async function lockOrder(tx: Executor, storeId: string, id: string): Promise<OrderRow | undefined> {
  const [row] = await tx
    .select()
    .from(o)
    .where(and(eq(o.storeId, storeId), eq(o.id, id)))
    .for('update');
  return row;
}

const invalidState = (row: { status: string }, verb: string) =>
  new ApiError(409, ProblemCode.invalidState, `A ${row.status} rental cannot be ${verb}.`, {
    rentalStatus: row.status,
  });

async function event(
  tx: Executor,
  row: OrderRow,
  type: EventType,
  now: Date,
  metadata: Record<string, unknown> = {},
): Promise<void> {
  await recordEvent(tx, {
    storeId: row.storeId,
    type,
    at: now,
    userId: row.userId,
    rentalOrderId: row.id,
    data: { rentalOrderId: row.id, customerId: row.userId, ...metadata },
  });
}

/**
 * Loyalty points earned when an order completes: **1 point per whole unit of the currency of the order's total**
 * (`floor(total / 10^d)`, `d` the currency's minor digits: 2 for EUR, 0 for JPY). The total is what the invoice
 * charges, after discounts and redeemed points, so redeemed points never earn points.
 */
export function pointsEarned(totalMinor: number, currency: string): number {
  return Math.floor(totalMinor / 10 ** minorDigits(currency));
}

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

/** A page of orders, newest first: one customer's (`customerId`) or the whole store's. */
export async function listRentals(
  db: Database,
  storeId: string,
  customerId: string | undefined,
  query: RentalOrderListQuery,
  tokensFor: (order: { customerId: string }) => Tokens | undefined,
): Promise<{ data: RentalOrder[]; hasMore: boolean }> {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: o,
    sort: o.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'rental',
  });
  const found = await db
    .select({ id: o.id, userId: o.userId })
    .from(o)
    .where(
      and(
        eq(o.storeId, storeId),
        where,
        customerId ? eq(o.userId, customerId) : undefined,
        query.status ? eq(o.status, query.status) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  const data: RentalOrder[] = [];
  for (const row of result.data) {
    data.push(await loadOrder(db, storeId, row.id, tokensFor({ customerId: row.userId })));
  }
  return { data, hasMore: result.hasMore };
}

// ---------------------------------------------------------------------------------------------------------------
// Confirmation (the payments seam)
// ---------------------------------------------------------------------------------------------------------------

/** How an order got confirmed. Only `manual` exists in this phase; the payments issue adds `payment`. */
export type ConfirmVia = 'manual' | 'payment' | 'at_pickup';

/**
 * pending_payment → confirmed inside the caller's transaction. **This is the payments seam**: today
 * `POST /v1/rentals/{id}/confirm` (secret key, owner or staff) calls it with `via: 'manual'`, the invoice stays
 * `open`; the payments issue will call it from its payment-succeeded handler with `via: 'payment'` in the same
 * transaction that marks the invoice paid. Confirming a confirmed order again is a no-op (returns `false`).
 */
export async function confirmRentalInTx(
  tx: Executor,
  actor: Actor,
  id: string,
  now: Date,
  via: ConfirmVia,
): Promise<boolean> {
  const row = await lockOrder(tx, actor.storeId, id);
  if (!row) throw notFound('rental');
  if (row.status === 'confirmed') return false;
  if (row.status !== 'pending_payment') throw invalidState(row, 'confirmed');
  await tx.update(o).set({ status: 'confirmed', confirmedAt: now, updatedAt: now }).where(eq(o.id, id));
  await audit(
    tx,
    actor,
    'rental.confirm',
    'rental_order',
    id,
    { status: row.status },
    { status: 'confirmed', via },
    now,
  );
  await event(tx, row, EventType.rentalConfirmed, now, { via });
  return true;
}

/**
 * Confirms a pending order without a payment: `manual` by staff or a secret key, or `at_pickup` by the order's own
 * customer when the store takes rental payments at the counter (`stores.rental_payment = 'at_pickup'`).
 */
export async function confirmRental(
  db: Database,
  actor: Actor,
  id: string,
  now: Date,
  tokens: Tokens,
  customerId?: string,
): Promise<RentalOrder> {
  return transaction(db, async (tx) => {
    if (customerId) {
      const [found] = await rows<{ user_id: string; rental_payment: string }>(
        tx,
        sql`select o.user_id, s.rental_payment from rental_orders o join stores s on s.id = o.store_id
            where o.store_id = ${actor.storeId} and o.id = ${id}`,
      );
      if (!found || found.user_id !== customerId) throw notFound('rental');
      if (found.rental_payment !== 'at_pickup') {
        throw new ApiError(
          402,
          ProblemCode.paymentRequired,
          'This store confirms rentals by payment: pay the invoice to confirm the order.',
        );
      }
    }
    await confirmRentalInTx(tx, actor, id, now, customerId ? 'at_pickup' : 'manual');
    return loadOrder(tx, actor.storeId, id, tokens);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------------------------------------

/**
 * Cancels a pending or confirmed order (before pickup): its units are `released` (the exclusion constraint stops
 * counting them, so the period is free again), the invoice is voided, redeemed points are refunded with a ledger
 * row. The promo code's redemption stays used. `customerId` limits it to that customer's own orders.
 */
export async function cancelRental(
  db: Database,
  actor: Actor,
  id: string,
  customerId: string | undefined,
  now: Date,
): Promise<RentalOrder> {
  return transaction(db, async (tx) => {
    const row = await lockOrder(tx, actor.storeId, id);
    if (!row || (customerId && row.userId !== customerId)) throw notFound('rental');
    if (row.status !== 'pending_payment' && row.status !== 'confirmed') throw invalidState(row, 'cancelled');
    await tx.update(o).set({ status: 'cancelled', cancelledAt: now, updatedAt: now }).where(eq(o.id, id));
    const released = await tx
      .update(schema.rentalItems)
      .set({ status: 'released', updatedAt: now })
      .where(and(eq(schema.rentalItems.rentalOrderId, id), eq(schema.rentalItems.status, 'held')))
      .returning({ id: schema.rentalItems.id });
    await tx
      .update(schema.invoices)
      .set({ status: 'void', updatedAt: now })
      .where(and(eq(schema.invoices.rentalOrderId, id), eq(schema.invoices.status, 'open')));
    if (row.pointsRedeemed > 0) await creditPoints(tx, row, row.pointsRedeemed, 'refund', now);
    await refundOnCancelInTx(tx, actor, { rentalOrderId: id }, row.startsAt, customerId !== undefined, now);
    await audit(
      tx,
      actor,
      'rental.cancel',
      'rental_order',
      id,
      { status: row.status },
      { status: 'cancelled', releasedUnits: released.length, pointsRefunded: row.pointsRedeemed },
      now,
    );
    await event(tx, row, EventType.rentalCancelled, now, { releasedUnits: released.length });
    return loadOrder(tx, actor.storeId, id);
  });
}

/** Adds points to the customer's account (created on first earn) with a ledger row; returns the new balance. */
async function creditPoints(
  tx: Executor,
  row: OrderRow,
  points: number,
  reason: 'earn' | 'refund',
  now: Date,
): Promise<number> {
  const [account] = await tx
    .insert(schema.loyaltyAccounts)
    .values({
      storeId: row.storeId,
      userId: row.userId,
      pointsBalance: points,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: schema.loyaltyAccounts.userId,
      set: {
        pointsBalance: sql`${schema.loyaltyAccounts.pointsBalance} + ${points}`,
        updatedAt: now,
      },
    })
    .returning();
  await tx.insert(schema.loyaltyLedger).values({
    storeId: row.storeId,
    accountId: account!.id,
    rentalOrderId: row.id,
    delta: points,
    reason,
    balanceAfter: account!.pointsBalance,
    createdAt: now,
  });
  return account!.pointsBalance;
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------------------------------------------

/** Assigns (or with `null` unassigns) a staff member of the store to an order's pickup or return. */
export async function assignSchedule(
  db: Database,
  actor: Actor,
  orderId: string,
  scheduleId: string,
  assignedTo: string | null,
  now: Date,
): Promise<RentalOrder> {
  return transaction(db, async (tx) => {
    const row = await lockOrder(tx, actor.storeId, orderId);
    if (!row) throw notFound('rental');
    const [schedule] = await tx
      .select()
      .from(schema.schedules)
      .where(and(eq(schema.schedules.id, scheduleId), eq(schema.schedules.rentalOrderId, orderId)));
    if (!schedule) throw notFound('schedule');
    if (assignedTo) {
      const [staff] = await rows<{ id: string }>(
        tx,
        sql`select u.id from users u
            where u.id = ${assignedTo} and u.store_id = ${actor.storeId} and u.status = 'active'
              and exists (select 1 from user_roles ur join roles r on r.id = ur.role_id
                          where ur.user_id = u.id and ur.store_id = ${actor.storeId}
                            and r.code in ('staff', 'owner'))`,
      );
      if (!staff) {
        throw new ApiError(
          400,
          ProblemCode.validationFailed,
          '`assignedTo` names no staff member of this store.',
          {
            errors: [
              { path: 'body.assignedTo', message: 'Not a staff member of this store', code: 'invalid_value' },
            ],
          },
        );
      }
    }
    await tx
      .update(schema.schedules)
      .set({ assignedTo, updatedAt: now })
      .where(eq(schema.schedules.id, scheduleId));
    await audit(
      tx,
      actor,
      'rental.schedule_assign',
      'schedule',
      scheduleId,
      { assignedTo: schedule.assignedTo },
      { assignedTo },
      now,
    );
    await event(tx, row, EventType.rentalScheduleAssigned, now, {
      scheduleId,
      type: schedule.type,
      assignedTo,
    });
    return loadOrder(tx, actor.storeId, orderId);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Handovers
// ---------------------------------------------------------------------------------------------------------------

const qrInvalid = () =>
  new ApiError(400, ProblemCode.qrInvalid, 'This is not a valid DropSlot pickup or return code.');

/**
 * Verifies a pickup or return code once. The conditional update of `handover_qr.verified_at` is the single point of
 * truth: a second scan finds nothing to update and is answered 409 `qr_already_used` with `firstUsedAt`. Pickup needs
 * a confirmed order (→ active, units `out`); return needs an active or overdue one (→ completed, units `returned`,
 * loyalty points earned). A wrong status rolls the whole transaction back, so the code stays unused.
 */
export async function verifyHandover(
  db: Database,
  tokens: Tokens,
  actor: Actor,
  qrToken: string,
  now: Date,
): Promise<Handover> {
  const handoverId = tokens.verifyHandoverToken(qrToken);
  if (!handoverId) throw qrInvalid();
  return transaction(db, async (tx) => {
    const q = schema.handoverQr;
    const [used] = await tx
      .update(q)
      .set({ verifiedAt: now, verifiedBy: actor.userId ?? null })
      .where(and(eq(q.storeId, actor.storeId), eq(q.id, handoverId), isNull(q.verifiedAt)))
      .returning();
    if (!used) {
      const [existing] = await tx
        .select()
        .from(q)
        .where(and(eq(q.storeId, actor.storeId), eq(q.id, handoverId)));
      if (!existing) {
        throw new ApiError(400, ProblemCode.qrInvalid, 'This code belongs to no rental of this store.');
      }
      throw new ApiError(409, ProblemCode.qrAlreadyUsed, 'This code was already used.', {
        firstUsedAt: existing.verifiedAt?.toISOString(),
        rentalOrderId: existing.rentalOrderId,
        handoverType: existing.type,
      });
    }
    const row = (await lockOrder(tx, actor.storeId, used.rentalOrderId))!;
    const type = used.type as 'pickup' | 'return';
    let earned = 0;
    let next: OrderStatus;
    if (type === 'pickup') {
      if (row.status !== 'confirmed') throw invalidState(row, 'picked up');
      // A pickup is verified from the store's check-in lead (default 2 h) before the rental starts until it ends.
      const [store] = await tx
        .select({ opens: schema.stores.checkInOpensMinutes })
        .from(schema.stores)
        .where(eq(schema.stores.id, actor.storeId));
      assertWithin(
        windowAround(row.startsAt, row.endsAt, { opensMinutesBefore: store?.opens, closesMinutesAfter: 0 }),
        now,
        'Pickup of this rental',
        { rentalOrderId: row.id },
      );
      next = 'active';
      await tx.update(o).set({ status: next, updatedAt: now }).where(eq(o.id, row.id));
      await tx
        .update(schema.rentalItems)
        .set({ status: 'out', updatedAt: now })
        .where(and(eq(schema.rentalItems.rentalOrderId, row.id), eq(schema.rentalItems.status, 'held')));
    } else {
      if (row.status !== 'active' && row.status !== 'overdue') throw invalidState(row, 'returned');
      next = 'completed';
      await tx.update(o).set({ status: next, completedAt: now, updatedAt: now }).where(eq(o.id, row.id));
      await tx
        .update(schema.rentalItems)
        .set({ status: 'returned', updatedAt: now })
        .where(and(eq(schema.rentalItems.rentalOrderId, row.id), eq(schema.rentalItems.status, 'out')));
      earned = pointsEarned(row.totalCents, row.currency);
      if (earned > 0) await creditPoints(tx, row, earned, 'earn', now);
    }
    await tx
      .update(schema.schedules)
      .set({ actualAt: now, updatedAt: now })
      .where(and(eq(schema.schedules.rentalOrderId, row.id), eq(schema.schedules.type, type)));
    await audit(
      tx,
      actor,
      type === 'pickup' ? 'rental.pickup' : 'rental.return',
      'rental_order',
      row.id,
      { status: row.status },
      { status: next, handoverId: used.id, ...(type === 'return' && { pointsEarned: earned }) },
      now,
    );
    await event(tx, row, type === 'pickup' ? EventType.rentalPickedUp : EventType.rentalReturned, now, {
      handoverId: used.id,
      verifiedBy: actor.userId ?? null,
      ...(type === 'return' && { pointsEarned: earned, late: row.status === 'overdue' }),
    });
    return {
      id: used.id,
      type,
      rentalOrderId: row.id,
      verifiedAt: now.toISOString(),
      verifiedBy: used.verifiedBy,
      pointsEarned: earned,
      rental: await loadOrder(tx, actor.storeId, row.id),
      ticket: (await rentalTicket(tx, actor.storeId, row.id, type, now))!,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Overdue (swept)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Marks every active order whose `ends_at` has passed as `overdue` (a batch), each in its own transaction with an
 * audit row and an event; the conditional update makes it exactly once even with several sweepers. Returns how many
 * were marked here. Run by the app's sweeper next to the hold expiry.
 */
export async function markOverdue(db: Database, now: Date, batch = 500): Promise<number> {
  const due = await db
    .select({ id: o.id })
    .from(o)
    .where(and(eq(o.status, 'active'), lte(o.endsAt, now)))
    .orderBy(o.endsAt)
    .limit(batch);
  let marked = 0;
  for (const { id } of due) {
    const done = await transaction(db, async (tx) => {
      const [row] = await tx
        .update(o)
        .set({ status: 'overdue', updatedAt: now })
        .where(and(eq(o.id, id), eq(o.status, 'active'), lte(o.endsAt, now)))
        .returning();
      if (!row) return false;
      await audit(
        tx,
        systemActor(row.storeId),
        'rental.overdue',
        'rental_order',
        id,
        { status: 'active' },
        { status: 'overdue' },
        now,
      );
      await event(tx, row, EventType.rentalOverdue, now, { endsAt: row.endsAt.toISOString() });
      return true;
    });
    if (done) marked++;
  }
  return marked;
}
