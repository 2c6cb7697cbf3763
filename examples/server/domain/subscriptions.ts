/**
 * Subscriptions: a customer subscribes to a plan and gets its `discountPct` off the rental lines of its products, for
 * rentals starting in the subscription's period (quotes find it: `rentals.ts` `buildQuote`).
 *
 * - **Subscribing** issues an invoice for the plan's price. A free plan, or a store that takes payment at the counter
 *   (`stores.rental_payment = 'at_pickup'`), makes the subscription `active` at once (a counter invoice stays `open`
 *   until staff mark it paid); otherwise it is `pending_payment` until its invoice is paid online (`POST /payments`,
 *   settled by the provider's signed webhook in `payments.ts`) or at the counter (`markSubscriptionPaid`). The period
 *   (`duration_days` long) starts when it becomes active, or where the customer's running subscription to the same
 *   plan ends: subscribing again while one runs renews it without a gap. The database keeps two active
 *   subscriptions of a customer to one plan from overlapping (`subscriptions_no_overlap`); one may wait for payment.
 * - **Cancelling** a pending subscription voids its invoice. An active one is cancelled at the end of its period (it
 *   keeps its discount until then, and gets no renewal notice); the store (secret key or owner) may end it now, which
 *   refunds an online payment of its invoice in full.
 * - **The sweeper** (`sweepSubscriptions`, every second) records the renewal notice once, `RENEWAL_NOTICE_MS` before
 *   the end (half the period for short plans), unless the subscription is cancelled or already renewed; and ends
 *   subscriptions whose period is over (`expired`, or `cancelled` when cancelled at period end).
 *
 * Every change writes an audit row and an event (`subscription.started`, `.renewal_due`, `.cancelled`, `.ended`,
 * `invoice.paid`) in its transaction; webhooks and notifications are derived from the events.
 */
import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import {
  ProblemCode,
  type Invoice,
  type MySubscriptionListQuery,
  type Subscription,
  type SubscriptionListQuery,
  type SubscriptionPlan,
  type SubscriptionPlanUpdate,
} from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, systemActor, type Actor } from './audit.js';
import { EventType, recordEvent } from './events.js';
import { page, pageWindow } from './pagination.js';
import { requestRefundInTx } from './refunds.js';

const s = schema.subscriptions;
const plans = schema.subscriptionPlans;
const inv = schema.invoices;

const DAY_MS = 86_400_000;
/** How long before its end a subscription's renewal notice goes out (at most half its period). */
export const RENEWAL_NOTICE_MS = 3 * DAY_MS;

type SubscriptionRow = typeof s.$inferSelect;
type InvoiceRow = typeof inv.$inferSelect;

/** How a subscription became active. */
export type ActivatedVia = 'free' | 'at_counter' | 'payment' | 'counter';

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

export function serializeInvoice(row: InvoiceRow): Invoice {
  return {
    id: row.id,
    rentalOrderId: row.rentalOrderId,
    subscriptionId: row.subscriptionId,
    amountDue: row.amountDueCents,
    amountPaid: row.amountPaidCents,
    currency: row.currency,
    status: row.status as Invoice['status'],
    dueDate: row.dueDate,
    issuedAt: row.issuedAt.toISOString(),
  };
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The subscriptions of `ids` as the API answers them, in the order of `ids`. */
async function serializeMany(db: Executor, storeId: string, ids: string[]): Promise<Subscription[]> {
  if (ids.length === 0) return [];
  const found = await db
    .select({ sub: s, planName: plans.name, discountPct: plans.discountPct, invoice: inv })
    .from(s)
    .innerJoin(plans, and(eq(plans.id, s.planId), eq(plans.storeId, s.storeId)))
    .innerJoin(inv, eq(inv.subscriptionId, s.id))
    .where(and(eq(s.storeId, storeId), inArray(s.id, ids)));
  const byId = new Map(found.map((row) => [row.sub.id, row]));
  return ids.map((id) => {
    const { sub, planName, discountPct, invoice } = byId.get(id)!;
    return {
      id: sub.id,
      storeId: sub.storeId,
      customerId: sub.userId,
      planId: sub.planId,
      planName,
      discountPct,
      status: sub.status as Subscription['status'],
      startsAt: sub.startsAt.toISOString(),
      endsAt: sub.endsAt.toISOString(),
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
      cancelledAt: iso(sub.cancelledAt),
      endedAt: iso(sub.endedAt),
      renewalNoticeAt: iso(sub.renewalNoticeAt),
      invoice: serializeInvoice(invoice),
      createdAt: sub.createdAt.toISOString(),
    };
  });
}

export async function loadSubscription(db: Executor, storeId: string, id: string): Promise<Subscription> {
  const [found] = await serializeMany(db, storeId, [id]);
  return found!;
}

/** One subscription of the store; `customerId` limits it to that customer's own (others are 404). */
export async function getSubscription(
  db: Database,
  storeId: string,
  id: string,
  customerId: string | undefined,
): Promise<Subscription> {
  const [row] = await db
    .select({ userId: s.userId })
    .from(s)
    .where(and(eq(s.storeId, storeId), eq(s.id, id)));
  if (!row || (customerId && row.userId !== customerId)) throw notFound('subscription');
  return loadSubscription(db, storeId, id);
}

/** A page of the store's subscriptions (or one customer's), newest first, filtered by status, customer and plan. */
export async function listSubscriptions(
  db: Database,
  storeId: string,
  query: SubscriptionListQuery | MySubscriptionListQuery,
  customerId?: string,
): Promise<{ data: Subscription[]; hasMore: boolean }> {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: s,
    sort: s.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'subscription',
  });
  const filters = query as SubscriptionListQuery;
  const found = await db
    .select({ id: s.id })
    .from(s)
    .where(
      and(
        eq(s.storeId, storeId),
        where,
        customerId ? eq(s.userId, customerId) : undefined,
        filters.customerId ? eq(s.userId, filters.customerId) : undefined,
        filters.planId ? eq(s.planId, filters.planId) : undefined,
        query.status ? eq(s.status, query.status) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return {
    data: await serializeMany(
      db,
      storeId,
      result.data.map((row) => row.id),
    ),
    hasMore: result.hasMore,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------------------

/** The facts of a subscription its events carry. */
function subscriptionData(row: SubscriptionRow): Record<string, unknown> {
  return {
    subscriptionId: row.id,
    customerId: row.userId,
    planId: row.planId,
    status: row.status,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
  };
}

async function event(
  tx: Executor,
  row: SubscriptionRow,
  type: EventType,
  now: Date,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await recordEvent(tx, {
    storeId: row.storeId,
    type,
    at: now,
    userId: row.userId,
    data: { ...subscriptionData(row), ...extra },
  });
}

/** What the audit trail keeps of a subscription. */
const facts = (row: SubscriptionRow) => ({
  status: row.status,
  planId: row.planId,
  customerId: row.userId,
  startsAt: row.startsAt.toISOString(),
  endsAt: row.endsAt.toISOString(),
  cancelAtPeriodEnd: row.cancelAtPeriodEnd,
});

// ---------------------------------------------------------------------------------------------------------------
// Subscribing
// ---------------------------------------------------------------------------------------------------------------

/** Serialises every change of one customer's subscriptions to one plan (subscribe, activate), across processes. */
async function lockCustomerPlan(tx: Executor, userId: string, planId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${userId}:${planId}`}, 7272))`);
}

/** The end of the customer's latest active subscription to the plan still running at `now`, if any. */
async function runningEnd(
  tx: Executor,
  userId: string,
  planId: string,
  now: Date,
  except?: string,
): Promise<{ end: Date | undefined; queued: boolean }> {
  const [row] = await rows<{ ends_at: string | Date | null; queued: boolean }>(
    tx,
    sql`select max(ends_at) as ends_at, coalesce(bool_or(starts_at > ${now.toISOString()}::timestamptz), false) as queued
        from subscriptions
        where user_id = ${userId} and plan_id = ${planId} and status = 'active'
          and ends_at > ${now.toISOString()}::timestamptz
          ${except ? sql`and id <> ${except}` : sql``}`,
  );
  return { end: row?.ends_at ? new Date(row.ends_at) : undefined, queued: Boolean(row?.queued) };
}

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

const alreadySubscribed = (detail: string, subscriptionId?: string) =>
  new ApiError(409, ProblemCode.alreadySubscribed, detail, subscriptionId ? { subscriptionId } : {});

/**
 * Subscribes `customerId` to a plan of the store: a subscription with its invoice, `active` at once when the plan is
 * free or the store takes payment at the counter, else `pending_payment`. Refusals: unknown plan 404, switched-off
 * plan 422 `plan_inactive`, a subscription to the plan waiting for payment or a renewal already queued 409
 * `already_subscribed` (with `subscriptionId`).
 */
export async function subscribe(
  db: Database,
  actor: Actor,
  customerId: string,
  planId: string,
  now: Date,
): Promise<Subscription> {
  try {
    return await transaction(db, async (tx) => {
      const [plan] = await tx
        .select()
        .from(plans)
        .where(and(eq(plans.storeId, actor.storeId), eq(plans.id, planId)));
      if (!plan) throw notFound('subscription plan');
      if (!plan.isActive) {
        throw new ApiError(422, ProblemCode.planInactive, 'This plan takes no new subscribers.', { planId });
      }
      await lockCustomerPlan(tx, customerId, planId);
      const [pending] = await tx
        .select({ id: s.id })
        .from(s)
        .where(and(eq(s.userId, customerId), eq(s.planId, planId), eq(s.status, 'pending_payment')));
      if (pending) {
        throw alreadySubscribed(
          'A subscription to this plan is waiting for its payment: pay or cancel it.',
          pending.id,
        );
      }
      const running = await runningEnd(tx, customerId, planId, now);
      if (running.queued) {
        throw alreadySubscribed('A renewal of this subscription is queued already.');
      }
      const [store] = await tx
        .select({ rentalPayment: schema.stores.rentalPayment, timeZone: schema.stores.timeZone })
        .from(schema.stores)
        .where(eq(schema.stores.id, actor.storeId));
      const free = plan.priceCents === 0;
      const atCounter = !free && store!.rentalPayment === 'at_pickup';
      const start = running.end && running.end > now ? running.end : now;
      const [row] = await tx
        .insert(s)
        .values({
          storeId: actor.storeId,
          userId: customerId,
          planId,
          status: free || atCounter ? 'active' : 'pending_payment',
          startsAt: start,
          endsAt: new Date(start.getTime() + plan.durationDays * DAY_MS),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const [invoice] = await tx
        .insert(inv)
        .values({
          storeId: actor.storeId,
          subscriptionId: row!.id,
          amountDueCents: plan.priceCents,
          amountPaidCents: 0,
          currency: plan.currency,
          status: free ? 'paid' : 'open',
          dueDate: localDate(now, store!.timeZone),
          issuedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit(
        tx,
        actor,
        'subscription.create',
        'subscription',
        row!.id,
        null,
        {
          ...facts(row!),
          invoiceId: invoice!.id,
          amountDue: invoice!.amountDueCents,
        },
        now,
      );
      if (row!.status === 'active') {
        await event(tx, row!, EventType.subscriptionStarted, now, {
          via: free ? 'free' : 'at_counter',
          invoiceId: invoice!.id,
        });
      }
      return loadSubscription(tx, actor.storeId, row!.id);
    });
  } catch (error) {
    const constraint = pgError(error)?.constraint;
    if (constraint === 'subscriptions_one_pending_key' || constraint === 'subscriptions_no_overlap') {
      throw alreadySubscribed('The customer subscribed to this plan meanwhile.');
    }
    throw error;
  }
}

/**
 * pending_payment → active inside the caller's transaction (the subscription row locked by it): the period starts now,
 * or where the customer's running subscription to the plan ends. Called when its invoice is paid online (the payment
 * webhook) or at the counter.
 */
export async function activateSubscriptionInTx(
  tx: Executor,
  actor: Actor,
  row: SubscriptionRow,
  now: Date,
  via: ActivatedVia,
): Promise<void> {
  if (row.status !== 'pending_payment') return;
  await lockCustomerPlan(tx, row.userId, row.planId);
  const [plan] = await tx
    .select({ durationDays: plans.durationDays })
    .from(plans)
    .where(eq(plans.id, row.planId));
  const running = await runningEnd(tx, row.userId, row.planId, now, row.id);
  const start = running.end && running.end > now ? running.end : now;
  const [active] = await tx
    .update(s)
    .set({
      status: 'active',
      startsAt: start,
      endsAt: new Date(start.getTime() + plan!.durationDays * DAY_MS),
      updatedAt: now,
    })
    .where(and(eq(s.id, row.id), eq(s.status, 'pending_payment')))
    .returning();
  if (!active) return;
  await audit(
    tx,
    actor,
    'subscription.activate',
    'subscription',
    row.id,
    facts(row),
    { ...facts(active), via },
    now,
  );
  await event(tx, active, EventType.subscriptionStarted, now, { via });
}

async function lockSubscription(
  tx: Executor,
  storeId: string,
  id: string,
): Promise<SubscriptionRow | undefined> {
  const [row] = await tx
    .select()
    .from(s)
    .where(and(eq(s.storeId, storeId), eq(s.id, id)))
    .for('update');
  return row;
}

async function lockInvoice(tx: Executor, subscriptionId: string): Promise<InvoiceRow> {
  const [row] = await tx.select().from(inv).where(eq(inv.subscriptionId, subscriptionId)).for('update');
  return row!;
}

const invalidState = (row: { status: string }, verb: string) =>
  new ApiError(409, ProblemCode.invalidState, `A ${row.status} subscription cannot be ${verb}.`, {
    subscriptionStatus: row.status,
  });

/**
 * Staff took the payment of a subscription's invoice at the counter: the invoice is paid (`invoice.paid` with
 * `via: 'counter'`) and a pending subscription becomes active. 409 `already_paid` when it is paid; `invalid_state`
 * when the subscription is cancelled or over.
 */
export async function markSubscriptionPaid(
  db: Database,
  actor: Actor,
  id: string,
  now: Date,
): Promise<Subscription> {
  return transaction(db, async (tx) => {
    const row = await lockSubscription(tx, actor.storeId, id);
    if (!row) throw notFound('subscription');
    const invoice = await lockInvoice(tx, id);
    if (invoice.status === 'paid') {
      throw new ApiError(409, ProblemCode.alreadyPaid, 'This subscription’s invoice is paid.', {
        invoiceId: invoice.id,
      });
    }
    if (invoice.status !== 'open' || !['pending_payment', 'active'].includes(row.status)) {
      throw invalidState(row, 'paid');
    }
    await tx
      .update(inv)
      .set({ status: 'paid', amountPaidCents: invoice.amountDueCents, updatedAt: now })
      .where(eq(inv.id, invoice.id));
    await audit(
      tx,
      actor,
      'invoice.mark_paid',
      'invoice',
      invoice.id,
      { status: invoice.status, amountPaid: invoice.amountPaidCents },
      { status: 'paid', amountPaid: invoice.amountDueCents, via: 'counter', subscriptionId: id },
      now,
    );
    await recordEvent(tx, {
      storeId: actor.storeId,
      type: EventType.invoicePaid,
      at: now,
      userId: row.userId,
      data: {
        invoiceId: invoice.id,
        subscriptionId: id,
        amountDue: invoice.amountDueCents,
        amountPaid: invoice.amountDueCents,
        currency: invoice.currency,
        via: 'counter',
      },
    });
    await activateSubscriptionInTx(tx, actor, row, now, 'counter');
    return loadSubscription(tx, actor.storeId, id);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Cancelling
// ---------------------------------------------------------------------------------------------------------------

/**
 * Cancels a subscription. `customerId` limits it to that customer's own (others are 404); `byStore` (secret key or
 * owner) allows `at: 'now'` on an active subscription. Pending ones are cancelled at once and their invoice voided;
 * active ones at period end (no change when already so), or now by the store (an online payment is then refunded in
 * full: the refund is asked in this transaction, made after it by `processRefunds`). Cancelled or ended ones are 409
 * `invalid_state`. Answers the subscription and whether a refund was asked.
 */
export async function cancelSubscription(
  db: Database,
  actor: Actor,
  id: string,
  options: { customerId: string | undefined; byStore: boolean; at: 'period_end' | 'now' },
  now: Date,
): Promise<{ subscription: Subscription; refunds: number }> {
  return transaction(db, async (tx) => {
    const row = await lockSubscription(tx, actor.storeId, id);
    if (!row || (options.customerId && row.userId !== options.customerId)) throw notFound('subscription');
    if (row.status !== 'pending_payment' && row.status !== 'active') throw invalidState(row, 'cancelled');
    const invoice = await lockInvoice(tx, id);
    const by = options.byStore ? 'store' : 'customer';
    let refunds = 0;
    if (row.status === 'active' && options.at === 'period_end') {
      if (row.cancelAtPeriodEnd)
        return { subscription: await loadSubscription(tx, actor.storeId, id), refunds };
      const [updated] = await tx
        .update(s)
        .set({ cancelAtPeriodEnd: true, cancelledAt: now, updatedAt: now })
        .where(eq(s.id, id))
        .returning();
      await audit(
        tx,
        actor,
        'subscription.cancel',
        'subscription',
        id,
        facts(row),
        {
          ...facts(updated!),
          at: 'period_end',
          by,
        },
        now,
      );
      await event(tx, updated!, EventType.subscriptionCancelled, now, { at: 'period_end', by });
      return { subscription: await loadSubscription(tx, actor.storeId, id), refunds };
    }
    if (row.status === 'active' && !options.byStore) {
      throw new ApiError(
        403,
        ProblemCode.forbidden,
        'A customer cancels a running subscription at the end of its period (`at: "period_end"`); only the store ends it now.',
      );
    }
    const [updated] = await tx
      .update(s)
      .set({ status: 'cancelled', cancelledAt: now, endedAt: now, updatedAt: now })
      .where(eq(s.id, id))
      .returning();
    if (invoice.status === 'open') {
      await tx.update(inv).set({ status: 'void', updatedAt: now }).where(eq(inv.id, invoice.id));
      await audit(
        tx,
        actor,
        'invoice.void',
        'invoice',
        invoice.id,
        { status: 'open' },
        { status: 'void' },
        now,
      );
    }
    if (row.status === 'active') {
      // The store ended it early: the online payment of its period is refunded in full.
      const paid = await tx
        .select({ id: schema.payments.id })
        .from(schema.payments)
        .where(and(eq(schema.payments.invoiceId, invoice.id), eq(schema.payments.status, 'succeeded')))
        .for('update');
      for (const payment of paid) {
        if (await requestRefundInTx(tx, actor, payment.id, 'cancelled', now)) refunds++;
      }
    }
    await audit(
      tx,
      actor,
      'subscription.cancel',
      'subscription',
      id,
      facts(row),
      {
        ...facts(updated!),
        at: 'now',
        by,
        refunds,
      },
      now,
    );
    await event(tx, updated!, EventType.subscriptionCancelled, now, { at: 'now', by });
    return { subscription: await loadSubscription(tx, actor.storeId, id), refunds };
  });
}

/** Payments of a subscription's invoice waiting for their refund (to run after the cancellation's commit). */
export async function pendingRefunds(db: Database, subscriptionId: string): Promise<string[]> {
  const found = await rows<{ id: string }>(
    db,
    sql`select p.id from payments p join invoices i on i.id = p.invoice_id
        where i.subscription_id = ${subscriptionId} and p.refund_status = 'pending'`,
  );
  return found.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------------------------
// The sweeper
// ---------------------------------------------------------------------------------------------------------------

/**
 * Records due renewal notices (once each) and ends subscriptions whose period is over; returns how many changed.
 * Safe on every process at once: each change is a conditional update.
 */
export async function sweepSubscriptions(db: Database, now: Date, batch = 500): Promise<number> {
  const at = now.toISOString();
  let changed = 0;
  // Renewal notices: active, running, not cancelled, not renewed already (no later subscription to the plan).
  const due = await rows<{ id: string }>(
    db,
    sql`select s.id from subscriptions s
        where s.status = 'active' and not s.cancel_at_period_end and s.renewal_notice_at is null
          and s.starts_at <= ${at}::timestamptz and s.ends_at > ${at}::timestamptz
          and s.ends_at - least(interval '1 millisecond' * ${RENEWAL_NOTICE_MS}, (s.ends_at - s.starts_at) / 2)
              <= ${at}::timestamptz
          and not exists (select 1 from subscriptions n
            where n.user_id = s.user_id and n.plan_id = s.plan_id and n.id <> s.id
              and n.status in ('active', 'pending_payment') and n.starts_at >= s.ends_at)
        order by s.ends_at limit ${batch}`,
  );
  for (const { id } of due) {
    const done = await transaction(db, async (tx) => {
      const [row] = await tx
        .update(s)
        .set({ renewalNoticeAt: now, updatedAt: now })
        .where(and(eq(s.id, id), eq(s.status, 'active'), sql`${s.renewalNoticeAt} is null`))
        .returning();
      if (!row) return false;
      await audit(
        tx,
        systemActor(row.storeId),
        'subscription.renewal_due',
        'subscription',
        id,
        null,
        {
          endsAt: row.endsAt.toISOString(),
        },
        now,
      );
      await event(tx, row, EventType.subscriptionRenewalDue, now);
      return true;
    });
    if (done) changed++;
  }
  // Ends: active subscriptions whose period is over.
  const over = await db
    .select({ id: s.id })
    .from(s)
    .where(and(eq(s.status, 'active'), lte(s.endsAt, now)))
    .orderBy(s.endsAt)
    .limit(batch);
  for (const { id } of over) {
    const done = await transaction(db, async (tx) => {
      const [before] = await tx
        .select()
        .from(s)
        .where(and(eq(s.id, id), eq(s.status, 'active'), lte(s.endsAt, now)))
        .for('update');
      if (!before) return false;
      const [row] = await tx
        .update(s)
        .set({
          status: before.cancelAtPeriodEnd ? 'cancelled' : 'expired',
          endedAt: before.endsAt,
          updatedAt: now,
        })
        .where(eq(s.id, id))
        .returning();
      await audit(
        tx,
        systemActor(row!.storeId),
        'subscription.end',
        'subscription',
        id,
        facts(before),
        facts(row!),
        now,
      );
      await event(tx, row!, EventType.subscriptionEnded, now);
      return true;
    });
    if (done) changed++;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------------------------

async function serializePlan(db: Executor, row: typeof plans.$inferSelect): Promise<SubscriptionPlan> {
  const included = await db
    .select({ productId: schema.subscriptionPlanProducts.productId })
    .from(schema.subscriptionPlanProducts)
    .where(eq(schema.subscriptionPlanProducts.planId, row.id))
    .orderBy(schema.subscriptionPlanProducts.productId);
  return {
    id: row.id,
    name: row.name,
    discountPct: row.discountPct,
    durationDays: row.durationDays,
    price: { amount: row.priceCents, currency: row.currency },
    includedProductIds: included.map((p) => p.productId),
    active: row.isActive,
  };
}

/**
 * Renames a plan or switches it off or on. A switched-off plan is no longer listed and takes no new subscribers;
 * subscriptions to it keep their discount until they end.
 */
export async function updateSubscriptionPlan(
  db: Database,
  actor: Actor,
  id: string,
  input: SubscriptionPlanUpdate,
  now: Date,
): Promise<SubscriptionPlan> {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(plans)
      .where(and(eq(plans.storeId, actor.storeId), eq(plans.id, id)))
      .for('update');
    if (!before) throw notFound('subscription plan');
    const [row] = await tx
      .update(plans)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.active !== undefined && { isActive: input.active }),
        updatedAt: now,
      })
      .where(eq(plans.id, id))
      .returning();
    await audit(
      tx,
      actor,
      'subscription_plan.update',
      'subscription_plan',
      id,
      { name: before.name, active: before.isActive },
      { name: row!.name, active: row!.isActive },
      now,
    );
    return serializePlan(tx, row!);
  });
}
