/**
 * Payments of paid drops' holds and of invoices (of rental orders and subscriptions). `POST /v1/payments` finds or creates the one live payment of
 * its target (the database allows one per reservation, and one live or succeeded per invoice), creates the provider
 * intent under an idempotency key derived from the payment (so a retry after a crash finds the same intent), and
 * confirms it when a payment method is given. A payment **succeeds only on the provider's signed webhook**
 * (`applyProviderEvent`): each event is applied once (its id is stored in the transaction of its effect) and in any
 * order to the same end (success is final; other statuses follow the provider's event time). Success confirms the
 * hold, or pays the invoice and confirms the order (or activates the subscription); a success for a hold that lapsed, an
 * order or a subscription cancelled meanwhile is refunded automatically.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { ProblemCode, type Payment, type PaymentCreate } from '../../../src/schemas/index.js';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import type { Logger } from '../services.js';
import type { Clock } from '../clock.js';
import {
  ProviderError,
  type InboundEvent,
  type IntentSnapshot,
  type PaymentProvider,
} from '../payments/provider.js';
import { TEST_PAYMENT_METHODS } from '../payments/test-provider.js';
import { audit, systemActor, type Actor } from './audit.js';
import { EventType, recordEvent } from './events.js';
import { confirmLockedInTx, expireInTx, expireReservation, lockReservation } from './reservations.js';
import { confirmRentalInTx } from './rental-orders.js';
import { activateSubscriptionInTx } from './subscriptions.js';
import { requestRefundInTx, type RefundReason } from './refunds.js';

export type PaymentRow = typeof schema.payments.$inferSelect;
const p = schema.payments;

/** The providers of one app: the test provider always, Stripe when configured; new payments use `default`. */
export interface PaymentProviders {
  default: PaymentProvider;
  byName: Map<string, PaymentProvider>;
}

interface PaymentDeps {
  db: Database;
  clock: Clock;
  log: Logger;
  payments: PaymentProviders;
}

const LIVE = ['requires_payment_method', 'requires_action', 'processing'] as const;
const FINAL = new Set(['succeeded', 'refunded', 'cancelled', 'failed']);

/**
 * The order of non-final statuses reported at the same provider instant: a failed attempt (back to
 * `requires_payment_method` with an error) follows `processing`, which follows `requires_action`.
 */
function weight(status: string, failed: boolean): number {
  if (status === 'requires_payment_method') return failed ? 3 : 0;
  return status === 'requires_action' ? 1 : status === 'processing' ? 2 : 0;
}

export function serializePayment(row: PaymentRow, providers: PaymentProviders, showSecret: boolean): Payment {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    storeId: row.storeId,
    provider: row.provider as Payment['provider'],
    status: row.status as Payment['status'],
    amount: row.amountCents,
    currency: row.currency,
    reservationId: row.reservationId,
    invoiceId: row.invoiceId,
    customerId: row.userId,
    clientSecret: showSecret && LIVE.includes(row.status as never) ? row.clientSecret : null,
    publishableKey: providers.byName.get(row.provider)?.publishableKey ?? null,
    nextAction:
      showSecret && row.status === 'requires_action' && row.nextAction
        ? (row.nextAction as Payment['nextAction'])
        : null,
    lastError: row.status === 'requires_payment_method' ? (row.lastError ?? null) : null,
    refundStatus: (row.refundStatus as Payment['refundStatus']) ?? null,
    createdAt: row.createdAt.toISOString(),
    paidAt: iso(row.paidAt),
    refundedAt: iso(row.refundedAt),
  };
}

interface Target {
  reservationId: string | null;
  invoiceId: string | null;
  customerId: string;
  amount: number;
  currency: string;
  rentalOrderId: string | null;
  subscriptionId: string | null;
}

const problem = (code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) =>
  new ApiError(409, code, detail, extra);

/** What is owed for a reservation or an invoice, checked payable now; `customerId` limits it to that customer's. */
async function payableTarget(
  deps: PaymentDeps,
  storeId: string,
  input: PaymentCreate,
  customerId: string | undefined,
  now: Date,
): Promise<Target> {
  if (input.reservationId) {
    const [row] = await deps.db
      .select()
      .from(schema.reservations)
      .where(and(eq(schema.reservations.storeId, storeId), eq(schema.reservations.id, input.reservationId)));
    if (!row || (customerId && row.userId !== customerId)) throw notFound('reservation');
    const [product] = await rows<{ price: number; currency: string }>(
      deps.db,
      sql`select p.price_cents as price, p.currency from drops d join products p on p.id = d.product_id
          where d.id = ${row.dropId}`,
    );
    if (Number(product!.price) <= 0) {
      throw problem(ProblemCode.paymentNotRequired, 'This drop is free: confirm the hold instead.');
    }
    if (row.state !== 'PENDING') {
      const [paid] = await deps.db
        .select({ id: p.id })
        .from(p)
        .where(and(eq(p.reservationId, row.id), eq(p.status, 'succeeded')));
      if (paid) throw problem(ProblemCode.alreadyPaid, 'This reservation is paid.', { paymentId: paid.id });
    }
    if (row.state === 'PENDING' && row.expiresAt && row.expiresAt <= now) {
      await expireReservation(deps.db, row.id, now);
      throw problem(ProblemCode.holdExpired, 'The hold expired before it was paid; reserve again.');
    }
    if (row.state === 'EXPIRED') {
      throw problem(ProblemCode.holdExpired, 'The hold expired before it was paid; reserve again.');
    }
    if (row.state !== 'PENDING') {
      throw problem(ProblemCode.invalidState, `A ${row.state} reservation cannot be paid.`, {
        state: row.state,
      });
    }
    return {
      reservationId: row.id,
      invoiceId: null,
      customerId: row.userId,
      amount: Number(product!.price),
      currency: product!.currency,
      rentalOrderId: null,
      subscriptionId: null,
    };
  }
  const [row] = await rows<{
    id: string;
    rental_order_id: string | null;
    subscription_id: string | null;
    amount_due_cents: number;
    amount_paid_cents: number;
    currency: string;
    status: string;
    user_id: string;
    order_status: string | null;
    subscription_status: string | null;
  }>(
    deps.db,
    sql`select i.id, i.rental_order_id, i.subscription_id, i.amount_due_cents, i.amount_paid_cents, i.currency,
          i.status, coalesce(o.user_id, s.user_id) as user_id, o.status as order_status,
          s.status as subscription_status
        from invoices i
          left join rental_orders o on o.id = i.rental_order_id
          left join subscriptions s on s.id = i.subscription_id
        where i.store_id = ${storeId} and i.id = ${input.invoiceId!}`,
  );
  if (!row || (customerId && row.user_id !== customerId)) throw notFound('invoice');
  if (row.status === 'paid') throw problem(ProblemCode.alreadyPaid, 'This invoice is paid.');
  // A rental's invoice is payable until pickup; a subscription's while it waits for payment or runs.
  const payable = row.rental_order_id
    ? ['pending_payment', 'confirmed'].includes(row.order_status ?? '')
    : ['pending_payment', 'active'].includes(row.subscription_status ?? '');
  if (row.status !== 'open' || !payable) {
    throw problem(
      ProblemCode.invalidState,
      row.rental_order_id
        ? `A ${row.status} invoice of a ${row.order_status} rental cannot be paid.`
        : `A ${row.status} invoice of a ${row.subscription_status} subscription cannot be paid.`,
      {
        status: row.status,
      },
    );
  }
  const amount = row.amount_due_cents - row.amount_paid_cents;
  if (amount <= 0) throw problem(ProblemCode.paymentNotRequired, 'Nothing is owed on this invoice.');
  return {
    reservationId: null,
    invoiceId: row.id,
    customerId: row.user_id,
    amount,
    currency: row.currency.trim(),
    rentalOrderId: row.rental_order_id,
    subscriptionId: row.subscription_id,
  };
}

/** The live payment of a target, created if there is none; refuses a target already paid. */
async function livePayment(deps: PaymentDeps, actor: Actor, target: Target, now: Date): Promise<PaymentRow> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const created = await transaction(deps.db, async (tx) => {
      const [row] = await tx
        .insert(p)
        .values({
          storeId: actor.storeId,
          reservationId: target.reservationId,
          invoiceId: target.invoiceId,
          userId: target.customerId,
          provider: deps.payments.default.name,
          amountCents: target.amount,
          currency: target.currency,
          status: 'requires_payment_method',
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (row) {
        await audit(tx, actor, 'payment.create', 'payment', row.id, null, paymentFacts(row), now);
      }
      return row;
    });
    if (created) return created;
    const [existing] = await deps.db
      .select()
      .from(p)
      .where(
        target.reservationId
          ? eq(p.reservationId, target.reservationId)
          : and(eq(p.invoiceId, target.invoiceId!), inArray(p.status, [...LIVE, 'succeeded'])),
      );
    if (!existing) continue; // it stopped being live between the two statements
    if (existing.status === 'succeeded' || existing.status === 'refunded') {
      throw problem(ProblemCode.alreadyPaid, 'This is paid already.', { paymentId: existing.id });
    }
    if (FINAL.has(existing.status)) {
      throw problem(ProblemCode.invalidState, `The payment of this reservation is ${existing.status}.`, {
        paymentId: existing.id,
      });
    }
    return existing;
  }
  throw new ApiError(409, ProblemCode.conflict, 'The payment changed while it was being created; retry.');
}

function paymentFacts(row: PaymentRow): Record<string, unknown> {
  return {
    status: row.status,
    amount: row.amountCents,
    currency: row.currency,
    provider: row.provider,
    ...(row.reservationId ? { reservationId: row.reservationId } : { invoiceId: row.invoiceId }),
  };
}

function providerFailure(error: unknown): never {
  if (error instanceof ProviderError) {
    if (error.kind === 'invalid_request') {
      throw new ApiError(400, ProblemCode.validationFailed, error.message, {
        errors: [{ path: 'body.paymentMethod', message: error.message, code: 'invalid_value' }],
      });
    }
    throw new ApiError(502, ProblemCode.providerError, 'The payment provider is unavailable; retry shortly.');
  }
  throw error;
}

/**
 * `POST /v1/payments`: the target's one live payment, with a provider intent, confirmed with `paymentMethod` if given.
 * `customerId` limits it to that customer's own reservation or invoice (publishable key); `attemptKey` is the request's
 * Idempotency-Key (if any), so retries of one confirmation reuse one provider call.
 */
export async function createPayment(
  deps: PaymentDeps,
  actor: Actor,
  customerId: string | undefined,
  input: PaymentCreate,
  attemptKey: string | undefined,
): Promise<PaymentRow> {
  const now = deps.clock.now();
  if (
    input.paymentMethod &&
    deps.payments.default.name === 'test' &&
    !(TEST_PAYMENT_METHODS as readonly string[]).includes(input.paymentMethod)
  ) {
    const message = `Unknown test payment method; use one of ${TEST_PAYMENT_METHODS.join(', ')}.`;
    throw new ApiError(400, ProblemCode.validationFailed, message, {
      errors: [{ path: 'body.paymentMethod', message, code: 'invalid_value' }],
    });
  }
  const target = await payableTarget(deps, actor.storeId, input, customerId, now);
  let payment = await livePayment(deps, actor, target, now);
  const provider = deps.payments.byName.get(payment.provider);
  if (!provider) {
    throw new ApiError(
      502,
      ProblemCode.providerNotConfigured,
      `The ${payment.provider} provider is not configured.`,
    );
  }
  try {
    let snapshot: IntentSnapshot | undefined;
    if (!payment.providerIntentId) {
      snapshot = await provider.create({
        amount: payment.amountCents,
        currency: payment.currency,
        idempotencyKey: `dropslot_payment_${payment.id}`,
        metadata: {
          paymentId: payment.id,
          storeId: payment.storeId,
          ...(payment.reservationId
            ? { reservationId: payment.reservationId }
            : target.rentalOrderId
              ? { invoiceId: payment.invoiceId!, rentalOrderId: target.rentalOrderId }
              : { invoiceId: payment.invoiceId!, subscriptionId: target.subscriptionId! }),
        },
      });
      payment = await applyApiSnapshot(deps.db, actor, payment.id, snapshot, undefined, deps.clock.now());
    }
    if (input.paymentMethod && payment.status === 'requires_payment_method') {
      snapshot = await provider.confirm(
        payment.providerIntentId!,
        input.paymentMethod,
        `dropslot_confirm_${payment.id}_${attemptKey ?? randomUUID()}`,
      );
      payment = await applyApiSnapshot(
        deps.db,
        actor,
        payment.id,
        snapshot,
        input.paymentMethod,
        deps.clock.now(),
      );
    }
  } catch (error) {
    providerFailure(error);
  }
  return payment;
}

/**
 * Records what the provider answered a call: the intent id, client secret and next step. Its status counts only
 * until the first webhook arrived (webhooks carry the provider's time; an answer does not) and never as success:
 * success is the signed webhook's alone.
 */
async function applyApiSnapshot(
  db: Database,
  actor: Actor,
  id: string,
  snapshot: IntentSnapshot,
  paymentMethod: string | undefined,
  now: Date,
): Promise<PaymentRow> {
  return transaction(db, async (tx) => {
    const [row] = await tx.select().from(p).where(eq(p.id, id)).for('update');
    const status = snapshot.status === 'succeeded' ? 'processing' : snapshot.status;
    const set: Partial<PaymentRow> = {
      providerIntentId: row!.providerIntentId ?? snapshot.intentId,
      clientSecret: snapshot.clientSecret ?? row!.clientSecret,
      paymentMethod: paymentMethod ?? row!.paymentMethod,
    };
    if (
      !FINAL.has(row!.status) &&
      row!.providerStatusAt === null &&
      status !== 'canceled' &&
      weight(status, snapshot.lastError !== null) >= weight(row!.status, row!.lastError !== null)
    ) {
      Object.assign(set, { status, nextAction: snapshot.nextAction, lastError: snapshot.lastError });
    }
    const [updated] = await tx
      .update(p)
      .set({ ...set, updatedAt: now })
      .where(eq(p.id, id))
      .returning();
    const facts = (r: PaymentRow) => ({
      status: r.status,
      providerIntentId: r.providerIntentId,
      paymentMethod: r.paymentMethod,
      lastError: r.lastError?.code ?? null,
    });
    if (JSON.stringify(facts(row!)) !== JSON.stringify(facts(updated!))) {
      await audit(tx, actor, 'payment.provider_call', 'payment', id, facts(row!), facts(updated!), now);
    }
    return updated!;
  });
}

/** A payment the caller may read: their own, or any of the store with a secret key or as staff (`customerId` unset). */
export async function getPayment(
  db: Database,
  storeId: string,
  id: string,
  customerId: string | undefined,
): Promise<PaymentRow> {
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.storeId, storeId), eq(p.id, id)));
  if (!row || (customerId && row.userId !== customerId)) throw notFound('payment');
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// Inbound provider events
// ---------------------------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Applies one verified provider event, once: the event id goes into `payment_provider_events` in the same transaction
 * as its effect, so a duplicate (or ten at once) finds it there and changes nothing. Answers whether it was a
 * duplicate. Locks follow the cancellation paths' order (reservation or order, invoice, then payment).
 */
export async function applyProviderEvent(
  deps: PaymentDeps,
  provider: string,
  event: InboundEvent,
): Promise<{ duplicate: boolean; paymentId: string | null }> {
  const now = deps.clock.now();
  const intentId =
    event.kind === 'intent' ? event.intent.intentId : event.kind === 'refund' ? event.intentId : null;
  const metadata =
    event.kind === 'intent' ? event.intent.metadata : event.kind === 'refund' ? event.metadata : {};
  const candidate =
    event.kind === 'ignored' ? undefined : await findPayment(deps.db, provider, intentId, metadata);
  return transaction(deps.db, async (tx) => {
    const inserted = await tx
      .insert(schema.paymentProviderEvents)
      .values({
        provider,
        eventId: event.id,
        type: event.type,
        paymentId: candidate?.id ?? null,
        receivedAt: now,
      })
      .onConflictDoNothing()
      .returning({ eventId: schema.paymentProviderEvents.eventId });
    if (inserted.length === 0) return { duplicate: true, paymentId: candidate?.id ?? null };
    if (!candidate || event.kind === 'ignored') return { duplicate: false, paymentId: null };
    const target = await lockTarget(tx, candidate);
    const [payment] = await tx.select().from(p).where(eq(p.id, candidate.id)).for('update');
    const actor = systemActor(payment!.storeId);
    const before = payment!.status;
    if (event.kind === 'refund') {
      if (event.refunded) await completeRefundLocked(tx, actor, payment!, target, event.refundId, now);
    } else {
      await applyIntentEvent(tx, actor, payment!, target, event, now);
    }
    const [after] = await tx.select().from(p).where(eq(p.id, candidate.id));
    await audit(
      tx,
      actor,
      'payment.webhook',
      'payment',
      payment!.id,
      { status: before },
      { status: after!.status, event: event.type, eventId: event.id, provider },
      now,
    );
    return { duplicate: false, paymentId: payment!.id };
  });
}

async function findPayment(
  db: Database,
  provider: string,
  intentId: string | null,
  metadata: Record<string, string>,
): Promise<PaymentRow | undefined> {
  if (metadata.paymentId && UUID.test(metadata.paymentId)) {
    const [row] = await db
      .select()
      .from(p)
      .where(and(eq(p.id, metadata.paymentId), eq(p.provider, provider)));
    if (row && (!row.providerIntentId || !intentId || row.providerIntentId === intentId)) return row;
  }
  if (!intentId) return undefined;
  const [row] = await db
    .select()
    .from(p)
    .where(and(eq(p.provider, provider), eq(p.providerIntentId, intentId)));
  return row;
}

type LockedTarget =
  | { kind: 'reservation'; reservation: typeof schema.reservations.$inferSelect }
  | {
      kind: 'invoice';
      order: typeof schema.rentalOrders.$inferSelect;
      invoice: typeof schema.invoices.$inferSelect;
    }
  | {
      kind: 'subscription';
      subscription: typeof schema.subscriptions.$inferSelect;
      invoice: typeof schema.invoices.$inferSelect;
    };

async function lockTarget(tx: Executor, payment: PaymentRow): Promise<LockedTarget> {
  if (payment.reservationId) {
    const reservation = await lockReservation(tx, payment.storeId, payment.reservationId);
    return { kind: 'reservation', reservation: reservation! };
  }
  const [invoice] = await tx.select().from(schema.invoices).where(eq(schema.invoices.id, payment.invoiceId!));
  const lockInvoice = async () =>
    (await tx.select().from(schema.invoices).where(eq(schema.invoices.id, invoice!.id)).for('update'))[0]!;
  if (invoice!.subscriptionId) {
    // The cancellation's lock order: the subscription, its invoice, then the payment.
    const [subscription] = await tx
      .select()
      .from(schema.subscriptions)
      .where(eq(schema.subscriptions.id, invoice!.subscriptionId))
      .for('update');
    return { kind: 'subscription', subscription: subscription!, invoice: await lockInvoice() };
  }
  const [order] = await tx
    .select()
    .from(schema.rentalOrders)
    .where(eq(schema.rentalOrders.id, invoice!.rentalOrderId!))
    .for('update');
  return { kind: 'invoice', order: order!, invoice: await lockInvoice() };
}

function eventData(payment: PaymentRow, target: LockedTarget, extra: Record<string, unknown> = {}) {
  return {
    paymentId: payment.id,
    amount: payment.amountCents,
    currency: payment.currency,
    provider: payment.provider,
    ...(target.kind === 'reservation'
      ? { reservationId: payment.reservationId }
      : target.kind === 'invoice'
        ? { invoiceId: payment.invoiceId, rentalOrderId: target.order.id }
        : { invoiceId: payment.invoiceId, subscriptionId: target.subscription.id }),
    ...extra,
  };
}

async function applyIntentEvent(
  tx: Executor,
  actor: Actor,
  payment: PaymentRow,
  target: LockedTarget,
  event: Extract<InboundEvent, { kind: 'intent' }>,
  now: Date,
): Promise<void> {
  const snapshot = event.intent;
  const rentalOrderId = target.kind === 'invoice' ? target.order.id : null;
  if (event.failed) {
    // A failed attempt is a fact whatever arrives around it: recorded once per event, in any order.
    await recordEvent(tx, {
      storeId: payment.storeId,
      type: EventType.paymentFailed,
      at: now,
      userId: payment.userId,
      rentalOrderId,
      data: eventData(payment, target, {
        code: snapshot.lastError?.code ?? 'payment_failed',
        message: snapshot.lastError?.message ?? 'The payment failed.',
      }),
    });
  }
  if (snapshot.status === 'succeeded') {
    if (payment.status === 'succeeded' || payment.status === 'refunded') return;
    const [paid] = await tx
      .update(p)
      .set({
        status: 'succeeded',
        paidAt: now,
        providerIntentId: payment.providerIntentId ?? snapshot.intentId,
        providerStatusAt: latest(payment.providerStatusAt, event.at),
        nextAction: null,
        lastError: null,
        updatedAt: now,
      })
      .where(eq(p.id, payment.id))
      .returning();
    await recordEvent(tx, {
      storeId: payment.storeId,
      type: EventType.paymentSucceeded,
      at: now,
      userId: payment.userId,
      rentalOrderId,
      data: eventData(paid!, target),
    });
    await settle(tx, actor, paid!, target, now);
    return;
  }
  if (FINAL.has(payment.status)) return;
  if (snapshot.status === 'canceled') {
    await tx
      .update(p)
      .set({
        status: 'cancelled',
        providerStatusAt: latest(payment.providerStatusAt, event.at),
        updatedAt: now,
      })
      .where(eq(p.id, payment.id));
    return;
  }
  const newer =
    payment.providerStatusAt === null ||
    event.at > payment.providerStatusAt ||
    (event.at.getTime() === payment.providerStatusAt.getTime() &&
      weight(snapshot.status, event.failed) >= weight(payment.status, payment.lastError !== null));
  if (!newer) return;
  await tx
    .update(p)
    .set({
      status: snapshot.status,
      nextAction: snapshot.nextAction,
      lastError: event.failed ? snapshot.lastError : null,
      providerIntentId: payment.providerIntentId ?? snapshot.intentId,
      providerStatusAt: event.at,
      updatedAt: now,
    })
    .where(eq(p.id, payment.id));
}

const latest = (a: Date | null, b: Date) => (a && a > b ? a : b);

/**
 * What a succeeded payment does to its target: confirm the hold, or pay the invoice (confirming its rental order or
 * activating its subscription); refund if the target is gone.
 */
async function settle(tx: Executor, actor: Actor, payment: PaymentRow, target: LockedTarget, now: Date) {
  const refund = (reason: RefundReason) => requestRefundInTx(tx, actor, payment.id, reason, now);
  if (target.kind === 'reservation') {
    const row = target.reservation;
    if (row.state === 'PENDING' && row.expiresAt && row.expiresAt > now) {
      await confirmLockedInTx(tx, actor, row, now, 'payment');
    } else if (row.state === 'PENDING') {
      await expireInTx(tx, row.id, now);
      await refund('hold_expired');
    } else if (row.state !== 'CONFIRMED' && row.state !== 'CHECKED_IN') {
      await refund(row.state === 'EXPIRED' ? 'hold_expired' : 'target_gone');
    }
    return;
  }
  const { invoice } = target;
  const live =
    target.kind === 'invoice'
      ? ['pending_payment', 'confirmed'].includes(target.order.status)
      : ['pending_payment', 'active'].includes(target.subscription.status);
  if (invoice.status !== 'open' || !live) {
    await refund('target_gone');
    return;
  }
  const amountPaid = invoice.amountPaidCents + payment.amountCents;
  const paid = amountPaid >= invoice.amountDueCents;
  await tx
    .update(schema.invoices)
    .set({ amountPaidCents: amountPaid, status: paid ? 'paid' : 'open', updatedAt: now })
    .where(eq(schema.invoices.id, invoice.id));
  await audit(
    tx,
    actor,
    'invoice.payment',
    'invoice',
    invoice.id,
    { status: invoice.status, amountPaid: invoice.amountPaidCents },
    { status: paid ? 'paid' : 'open', amountPaid, paymentId: payment.id },
    now,
  );
  if (!paid) return;
  const order = target.kind === 'invoice' ? target.order : undefined;
  await recordEvent(tx, {
    storeId: invoice.storeId,
    type: EventType.invoicePaid,
    at: now,
    userId: order?.userId ?? payment.userId,
    rentalOrderId: order?.id ?? null,
    data: {
      invoiceId: invoice.id,
      ...(order ? { rentalOrderId: order.id } : { subscriptionId: invoice.subscriptionId }),
      amountDue: invoice.amountDueCents,
      amountPaid,
      currency: invoice.currency,
      paymentId: payment.id,
    },
  });
  if (target.kind === 'subscription') {
    await activateSubscriptionInTx(tx, actor, target.subscription, now, 'payment');
  } else if (target.order.status === 'pending_payment') {
    await confirmRentalInTx(tx, actor, target.order.id, now, 'payment');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------------------------

/** Marks a succeeded payment refunded (once), with its event and audit row; an invoice it paid is voided. */
async function completeRefundLocked(
  tx: Executor,
  actor: Actor,
  payment: PaymentRow,
  target: LockedTarget,
  refundId: string | null,
  now: Date,
): Promise<boolean> {
  if (payment.status !== 'succeeded') return false;
  const [refunded] = await tx
    .update(p)
    .set({
      status: 'refunded',
      refundStatus: 'succeeded',
      refundedAt: now,
      providerRefundId: payment.providerRefundId ?? refundId,
      refundReason: payment.refundReason ?? 'provider',
      refundRequestedAt: payment.refundRequestedAt ?? now,
      updatedAt: now,
    })
    .where(and(eq(p.id, payment.id), eq(p.status, 'succeeded')))
    .returning();
  if (!refunded) return false;
  await audit(
    tx,
    actor,
    'payment.refund',
    'payment',
    payment.id,
    { status: 'succeeded' },
    { status: 'refunded', amount: payment.amountCents, refundId: refunded.providerRefundId },
    now,
  );
  await recordEvent(tx, {
    storeId: payment.storeId,
    type: EventType.paymentRefunded,
    at: now,
    userId: payment.userId,
    rentalOrderId: target.kind === 'invoice' ? target.order.id : null,
    data: eventData(refunded, target, { refundId: refunded.providerRefundId, reason: refunded.refundReason }),
  });
  if (target.kind !== 'reservation' && target.invoice.id === payment.invoiceId) {
    const amountPaid = Math.max(0, target.invoice.amountPaidCents - payment.amountCents);
    await tx
      .update(schema.invoices)
      .set({ amountPaidCents: amountPaid, status: 'void', updatedAt: now })
      .where(eq(schema.invoices.id, target.invoice.id));
    await audit(
      tx,
      actor,
      'invoice.void',
      'invoice',
      target.invoice.id,
      { status: target.invoice.status, amountPaid: target.invoice.amountPaidCents },
      { status: 'void', amountPaid, refundedPaymentId: payment.id },
      now,
    );
  }
  return true;
}

/**
 * Calls the provider for every payment waiting for its refund (or only `paymentIds`), after the commit that asked
 * for it; run by the cancel routes right away and by the sweeper for leftovers. The provider's idempotency key is
 * derived from the payment, so two processes refunding at once make one refund. Answers how many completed.
 */
export async function processRefunds(deps: PaymentDeps, paymentIds?: string[]): Promise<number> {
  const due = await deps.db
    .select()
    .from(p)
    .where(and(eq(p.refundStatus, 'pending'), paymentIds ? inArray(p.id, paymentIds) : undefined))
    .orderBy(p.refundRequestedAt)
    .limit(50);
  let done = 0;
  for (const payment of due) {
    const provider = deps.payments.byName.get(payment.provider);
    if (!provider || !payment.providerIntentId) continue;
    try {
      const result = await provider.refund(
        payment.providerIntentId,
        payment.amountCents,
        `dropslot_refund_${payment.id}`,
      );
      if (result.status === 'succeeded') {
        const completed = await transaction(deps.db, async (tx) => {
          const [current] = await tx.select().from(p).where(eq(p.id, payment.id));
          if (!current || current.status !== 'succeeded') return false;
          const target = await lockTarget(tx, current);
          const [locked] = await tx.select().from(p).where(eq(p.id, payment.id)).for('update');
          return completeRefundLocked(
            tx,
            systemActor(payment.storeId),
            locked!,
            target,
            result.refundId,
            deps.clock.now(),
          );
        });
        if (completed) done++;
      } else {
        await deps.db
          .update(p)
          .set({ providerRefundId: result.refundId })
          .where(and(eq(p.id, payment.id), isNull(p.providerRefundId)));
      }
    } catch (error) {
      deps.log.warn('refund failed; retried by the sweeper', { paymentId: payment.id, error: String(error) });
    }
  }
  return done;
}

/** Runs the refunds a cancellation just asked for (after its commit); answers how many there were. */
export async function settleRefunds(
  deps: PaymentDeps,
  target: { reservationId: string } | { rentalOrderId: string },
): Promise<number> {
  const pending = await deps.db
    .select({ id: p.id })
    .from(p)
    .where(
      and(
        eq(p.refundStatus, 'pending'),
        'reservationId' in target
          ? eq(p.reservationId, target.reservationId)
          : inArray(
              p.invoiceId,
              deps.db
                .select({ id: schema.invoices.id })
                .from(schema.invoices)
                .where(eq(schema.invoices.rentalOrderId, target.rentalOrderId)),
            ),
      ),
    );
  if (pending.length > 0) {
    await processRefunds(
      deps,
      pending.map((row) => row.id),
    );
  }
  return pending.length;
}
