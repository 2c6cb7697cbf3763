/**
 * The notification worker. One pass (`Notifier.pass`) does two things:
 *
 * 1. **Derive**: takes the queued events of `notification_inbox` (filled by a trigger on `events` in the event's own
 *    transaction) and turns each into notifications — one row per fact, guarded by a unique dedupe key — or cancels
 *    reminders the event made pointless (a confirmed hold needs no expiry reminder).
 * 2. **Deliver**: claims due `pending` rows with `FOR UPDATE SKIP LOCKED` (a claim moves `next_attempt_at` a lease
 *    ahead, so no other process takes the row while it is sent), re-checks that a reminder still applies, renders the
 *    template in the row's locale, sends it through the channel and records `sent`, or a retry with backoff, or
 *    `failed` after the last attempt.
 *
 * Time comes from the injected clock, so tests move time and run a pass instead of sleeping.
 */
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import { schema, transaction, type Database, type Executor } from '../db/index.js';
import type { Logger } from '../services.js';
import type { Attachment, Channel } from './channel.js';
import type { Tokens } from '../domain/tokens.js';
import { signInvitation } from '../domain/stores.js';
import { qrPng } from './qr-png.js';
import { nextHandoverToken, rentalLink, ticketLink } from './ticket-link.js';
import {
  NotificationTemplate,
  render,
  templateLocale,
  type TemplateFacts,
  type TemplateLocale,
} from './templates.js';

const n = schema.notifications;
const inbox = schema.notificationInbox;

/** How early reminders go out, in milliseconds before the moment they are about. */
export interface Leads {
  /** Before a hold's `expiresAt` (direct holds and waitlist claims). @default 2 minutes */
  holdExpiring: number;
  /** Before a rental's pickup. @default 24 hours */
  rentalPickup: number;
  /** Before a rental's return. @default 24 hours */
  rentalReturn: number;
}

export const defaultLeads: Leads = {
  holdExpiring: 2 * 60_000,
  rentalPickup: 24 * 3_600_000,
  rentalReturn: 24 * 3_600_000,
};

export interface NotifierOptions {
  leads?: Partial<Leads> | undefined;
  /** Sends per notification before it is `failed`. @default 4 */
  maxAttempts?: number | undefined;
  /** Wait before the first retry; each later retry waits four times longer. @default 30 s */
  retryBaseMs?: number | undefined;
  /** How long a claimed notification stays away from other workers while it is sent. @default 5 minutes */
  leaseMs?: number | undefined;
  /** Rows per claim or derive batch. @default 50 */
  batchSize?: number | undefined;
  /**
   * Signs the links and codes a message carries when it is sent (never stored in the row): with it, a reservation's
   * confirmation links to its ticket page and attaches its check-in QR code.
   */
  tokens?: Tokens | undefined;
  /** The server's public base URL, for links in messages (`PUBLIC_URL`). */
  publicUrl?: string | undefined;
}

/** What one pass did. */
export interface PassResult {
  /** Inbox events processed. */
  derived: number;
  sent: number;
  /** Attempts that failed (retried later, or given up: `failed`). */
  failedAttempts: number;
  /** Reminders found obsolete when due. */
  cancelled: number;
}

interface InboxEvent {
  seq: number;
  id: string;
  storeId: string;
  type: string;
  occurredAt: Date;
  userId: string | null;
  rentalOrderId: string | null;
  metadata: Record<string, unknown>;
}

interface NewNotification {
  storeId: string;
  userId: string | null;
  template: NotificationTemplate;
  entityId: string;
  eventId: string;
  dedupeKey: string;
  scheduledFor: Date;
  facts: Record<string, unknown>;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const iso = (value: Date | null | undefined) => (value ? value.toISOString() : undefined);

export class Notifier {
  readonly leads: Leads;
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;
  readonly #leaseMs: number;
  readonly #batch: number;
  readonly #tokens: Tokens | undefined;
  readonly #publicUrl: string | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    readonly channel: Channel,
    private readonly log: Logger,
    options: NotifierOptions = {},
  ) {
    this.leads = { ...defaultLeads, ...options.leads };
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#retryBaseMs = options.retryBaseMs ?? 30_000;
    this.#leaseMs = options.leaseMs ?? 5 * 60_000;
    this.#batch = options.batchSize ?? 50;
    this.#tokens = options.tokens;
    this.#publicUrl = options.publicUrl;
  }

  /** Derives notifications from every queued event, then delivers every due one. */
  async pass(): Promise<PassResult> {
    const derived = await this.derive();
    return { derived, ...(await this.deliver()) };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Derive
  // -------------------------------------------------------------------------------------------------------------

  /** Turns queued events into notifications; returns how many events it processed. */
  async derive(): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await transaction(this.db, async (tx) => {
        const batch = (await tx
          .select({
            seq: inbox.seq,
            id: schema.events.id,
            storeId: schema.events.storeId,
            type: schema.events.type,
            occurredAt: schema.events.occurredAt,
            userId: schema.events.userId,
            rentalOrderId: schema.events.rentalOrderId,
            metadata: schema.events.metadata,
          })
          .from(inbox)
          .innerJoin(schema.events, eq(schema.events.id, inbox.eventId))
          .orderBy(asc(inbox.seq))
          .limit(this.#batch)
          .for('update', { of: inbox, skipLocked: true })) as InboxEvent[];
        const processed: number[] = [];
        for (const event of batch) {
          // A savepoint per event: one event that cannot be processed stays queued (and is logged) without
          // holding back the others.
          await tx.execute(sql`savepoint notification_event`);
          try {
            await this.#deriveOne(tx, event);
            await tx.execute(sql`release savepoint notification_event`);
            processed.push(event.seq);
          } catch (error) {
            await tx.execute(sql`rollback to savepoint notification_event`);
            this.log.error('notification: event not processed', {
              eventId: event.id,
              type: event.type,
              error: String(error),
            });
          }
        }
        if (processed.length > 0) await tx.delete(inbox).where(inArray(inbox.seq, processed));
        return { fetched: batch.length, processed: processed.length };
      });
      total += done.processed;
      if (done.fetched < this.#batch || done.processed === 0) return total;
    }
  }

  async #deriveOne(tx: Executor, event: InboxEvent): Promise<void> {
    const data = event.metadata ?? {};
    const now = this.clock.now();
    const reservationId = str(data.reservationId);
    switch (event.type) {
      case 'reservation.created':
        if (reservationId) await this.#holdReminder(tx, event, reservationId, now);
        return;
      case 'waitlist.promoted': {
        const entryId = str(data.waitlistEntryId);
        if (!reservationId || !entryId) return;
        const facts = await this.#reservationFacts(tx, reservationId);
        if (!facts) return;
        await this.#create(tx, {
          storeId: event.storeId,
          userId: facts.userId,
          template: NotificationTemplate.waitlistPromoted,
          entityId: entryId,
          eventId: event.id,
          dedupeKey: `${NotificationTemplate.waitlistPromoted}:${entryId}`,
          scheduledFor: now,
          facts: {
            ...facts.facts,
            waitlistEntryId: entryId,
            claimDeadline: str(data.claimDeadline) ?? facts.facts.expiresAt,
          },
        });
        await this.#holdReminder(tx, event, reservationId, now);
        return;
      }
      case 'reservation.confirmed': {
        if (!reservationId) return;
        await this.#cancel(
          tx,
          reservationId,
          [NotificationTemplate.holdExpiring],
          'the hold was confirmed',
          now,
        );
        const facts = await this.#reservationFacts(tx, reservationId);
        if (!facts) return;
        await this.#create(tx, {
          storeId: event.storeId,
          userId: facts.userId,
          template: NotificationTemplate.reservationConfirmed,
          entityId: reservationId,
          eventId: event.id,
          dedupeKey: `${NotificationTemplate.reservationConfirmed}:${reservationId}`,
          scheduledFor: now,
          facts: { ...facts.facts, expiresAt: undefined },
        });
        return;
      }
      case 'reservation.cancelled':
      case 'reservation.expired':
      case 'reservation.checked_in':
        if (reservationId) {
          const reason = `the hold is ${event.type.slice('reservation.'.length).replace('_', ' ')}`;
          await this.#cancel(tx, reservationId, [NotificationTemplate.holdExpiring], reason, now);
        }
        return;
      case 'rental.confirmed':
        if (event.rentalOrderId) await this.#rentalReminders(tx, event, event.rentalOrderId, now);
        return;
      case 'rental.cancelled':
      case 'rental.picked_up':
      case 'rental.returned': {
        if (!event.rentalOrderId) return;
        const templates =
          event.type === 'rental.picked_up'
            ? [NotificationTemplate.rentalPickupReminder]
            : [NotificationTemplate.rentalPickupReminder, NotificationTemplate.rentalReturnReminder];
        const reason = `the rental was ${event.type.slice('rental.'.length).replace('_', ' ')}`;
        await this.#cancel(tx, event.rentalOrderId, templates, reason, now);
        return;
      }
      case 'payment.succeeded':
        await this.#receipt(tx, event, now);
        return;
      case 'subscription.started':
      case 'subscription.renewal_due':
      case 'subscription.cancelled':
      case 'subscription.ended':
        await this.#subscriptionNotice(tx, event, now);
        return;
      default:
        return;
    }
  }

  /**
   * One mail per subscription event: started (activated), renewal due, cancelled (at period end or now), ended. A
   * cancellation or an end withdraws a renewal notice not sent yet.
   */
  async #subscriptionNotice(tx: Executor, event: InboxEvent, now: Date): Promise<void> {
    const subscriptionId = str(event.metadata.subscriptionId);
    if (!subscriptionId) return;
    const template = {
      'subscription.started': NotificationTemplate.subscriptionStarted,
      'subscription.renewal_due': NotificationTemplate.subscriptionRenewalDue,
      'subscription.cancelled': NotificationTemplate.subscriptionCancelled,
      'subscription.ended': NotificationTemplate.subscriptionEnded,
    }[event.type]!;
    if (event.type === 'subscription.cancelled' || event.type === 'subscription.ended') {
      await this.#cancel(
        tx,
        subscriptionId,
        [NotificationTemplate.subscriptionRenewalDue],
        `the subscription was ${event.type.slice('subscription.'.length)}`,
        now,
      );
    }
    const [row] = await tx
      .select({
        userId: schema.subscriptions.userId,
        startsAt: schema.subscriptions.startsAt,
        endsAt: schema.subscriptions.endsAt,
        status: schema.subscriptions.status,
        planName: schema.subscriptionPlans.name,
        discountPct: schema.subscriptionPlans.discountPct,
      })
      .from(schema.subscriptions)
      .innerJoin(schema.subscriptionPlans, eq(schema.subscriptionPlans.id, schema.subscriptions.planId))
      .where(eq(schema.subscriptions.id, subscriptionId));
    if (!row) return;
    // A cancellation is announced once per kind (at period end, then possibly now by the store).
    const at = str(event.metadata.at);
    await this.#create(tx, {
      storeId: event.storeId,
      userId: row.userId,
      template,
      entityId: subscriptionId,
      eventId: event.id,
      dedupeKey: `${template}:${subscriptionId}${at ? `:${at}` : ''}`,
      scheduledFor: now,
      facts: {
        subscriptionId,
        planName: row.planName,
        discountPct: row.discountPct,
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt.toISOString(),
        ...(at && { at }),
        ...(event.type === 'subscription.ended' && { status: row.status }),
      },
    });
  }

  async #reservationFacts(tx: Executor, reservationId: string) {
    const [row] = await tx
      .select({
        userId: schema.reservations.userId,
        state: schema.reservations.state,
        expiresAt: schema.reservations.expiresAt,
        slotStartsAt: schema.slots.startTime,
        dropName: schema.drops.name,
        productName: schema.products.name,
      })
      .from(schema.reservations)
      .innerJoin(schema.slots, eq(schema.slots.id, schema.reservations.slotId))
      .innerJoin(schema.drops, eq(schema.drops.id, schema.reservations.dropId))
      .leftJoin(schema.products, eq(schema.products.id, schema.drops.productId))
      .where(eq(schema.reservations.id, reservationId));
    if (!row) return undefined;
    return {
      userId: row.userId,
      state: row.state,
      expiresAt: row.expiresAt,
      facts: {
        reservationId,
        dropName: row.dropName,
        productName: row.productName ?? undefined,
        slotStartsAt: iso(row.slotStartsAt),
        expiresAt: iso(row.expiresAt),
      } as Record<string, unknown>,
    };
  }

  /** The "hold about to expire" reminder of a PENDING hold, due `leads.holdExpiring` before it lapses. */
  async #holdReminder(tx: Executor, event: InboxEvent, reservationId: string, now: Date): Promise<void> {
    const facts = await this.#reservationFacts(tx, reservationId);
    if (!facts?.expiresAt || facts.expiresAt <= now) return;
    const due = Math.max(now.getTime(), facts.expiresAt.getTime() - this.leads.holdExpiring);
    await this.#create(
      tx,
      {
        storeId: event.storeId,
        userId: facts.userId,
        template: NotificationTemplate.holdExpiring,
        entityId: reservationId,
        eventId: event.id,
        dedupeKey: `${NotificationTemplate.holdExpiring}:${reservationId}`,
        scheduledFor: new Date(due),
        facts: facts.facts,
      },
      facts.state === 'PENDING' ? undefined : `the hold is ${facts.state}`,
    );
  }

  /**
   * A confirmed rental: its confirmation at once (with the pickup code, made when it is sent), and pickup and return
   * reminders, each `leads.*` before its schedule.
   */
  async #rentalReminders(tx: Executor, event: InboxEvent, orderId: string, now: Date): Promise<void> {
    const [order] = await tx
      .select({
        userId: schema.rentalOrders.userId,
        status: schema.rentalOrders.status,
        startsAt: schema.rentalOrders.startsAt,
        endsAt: schema.rentalOrders.endsAt,
      })
      .from(schema.rentalOrders)
      .where(eq(schema.rentalOrders.id, orderId));
    if (!order) return;
    const planned = await tx
      .select({ type: schema.schedules.type, at: schema.schedules.scheduledFor })
      .from(schema.schedules)
      .where(eq(schema.schedules.rentalOrderId, orderId));
    const items = await tx
      .select({ name: schema.products.name })
      .from(schema.rentalItems)
      .innerJoin(schema.products, eq(schema.products.id, schema.rentalItems.productId))
      .where(eq(schema.rentalItems.rentalOrderId, orderId))
      .orderBy(asc(schema.rentalItems.createdAt), asc(schema.rentalItems.id));
    const pickupAt = planned.find((p) => p.type === 'pickup')?.at ?? order.startsAt;
    const returnAt = planned.find((p) => p.type === 'return')?.at ?? order.endsAt;
    const facts = {
      rentalOrderId: orderId,
      items: items.map((i) => i.name),
      pickupAt: pickupAt.toISOString(),
      returnAt: returnAt.toISOString(),
    };
    await this.#create(tx, {
      storeId: event.storeId,
      userId: order.userId,
      template: NotificationTemplate.rentalConfirmed,
      entityId: orderId,
      eventId: event.id,
      dedupeKey: `${NotificationTemplate.rentalConfirmed}:${orderId}`,
      scheduledFor: now,
      facts,
    });
    const reminders = [
      [NotificationTemplate.rentalPickupReminder, pickupAt, this.leads.rentalPickup],
      [NotificationTemplate.rentalReturnReminder, returnAt, this.leads.rentalReturn],
    ] as const;
    for (const [template, at, lead] of reminders) {
      if (at <= now) continue;
      await this.#create(tx, {
        storeId: event.storeId,
        userId: order.userId,
        template,
        entityId: orderId,
        eventId: event.id,
        dedupeKey: `${template}:${orderId}`,
        scheduledFor: new Date(Math.max(now.getTime(), at.getTime() - lead)),
        facts,
      });
    }
  }

  /** `payment.succeeded` `{paymentId, amount, currency, reservationId | invoiceId, customerId}` → a receipt. */
  async #receipt(tx: Executor, event: InboxEvent, now: Date): Promise<void> {
    const data = event.metadata;
    const paymentId = str(data.paymentId);
    const amount = typeof data.amount === 'number' ? data.amount : Number(data.amount);
    const currency = str(data.currency);
    if (!paymentId || !Number.isInteger(amount) || !currency) {
      this.log.warn('notification: payment.succeeded without paymentId, amount or currency', {
        eventId: event.id,
      });
      return;
    }
    await this.#create(tx, {
      storeId: event.storeId,
      userId: str(data.customerId) ?? event.userId,
      template: NotificationTemplate.paymentReceipt,
      entityId: paymentId,
      eventId: event.id,
      dedupeKey: `${NotificationTemplate.paymentReceipt}:${paymentId}`,
      scheduledFor: now,
      facts: {
        paymentId,
        amount,
        currency,
        ...(str(data.reservationId) && { reservationId: str(data.reservationId) }),
        ...(str(data.invoiceId) && { invoiceId: str(data.invoiceId) }),
        ...(await this.#paidFor(tx, str(data.reservationId), str(data.invoiceId))),
      },
    });
  }

  /**
   * What a payment paid for, for its receipt: a reservation's drop and slot, a rental invoice's lines (product and
   * unit, each amount), its period, and the discounts between the lines and the total, or a subscription's plan.
   */
  async #paidFor(tx: Executor, reservationId: string | undefined, invoiceId: string | undefined) {
    if (reservationId) {
      const facts = await this.#reservationFacts(tx, reservationId);
      if (!facts) return {};
      return { dropName: facts.facts.dropName, slotStartsAt: facts.facts.slotStartsAt };
    }
    if (!invoiceId) return {};
    const [subscription] = await tx
      .select({ id: schema.subscriptions.id, planName: schema.subscriptionPlans.name })
      .from(schema.invoices)
      .innerJoin(schema.subscriptions, eq(schema.subscriptions.id, schema.invoices.subscriptionId))
      .innerJoin(schema.subscriptionPlans, eq(schema.subscriptionPlans.id, schema.subscriptions.planId))
      .where(eq(schema.invoices.id, invoiceId));
    if (subscription) return { subscriptionId: subscription.id, planName: subscription.planName };
    const [invoice] = await tx
      .select({
        orderId: schema.invoices.rentalOrderId,
        startsAt: schema.rentalOrders.startsAt,
        endsAt: schema.rentalOrders.endsAt,
        subtotal: schema.rentalOrders.subtotalCents,
        total: schema.rentalOrders.totalCents,
      })
      .from(schema.invoices)
      .innerJoin(schema.rentalOrders, eq(schema.rentalOrders.id, schema.invoices.rentalOrderId))
      .where(eq(schema.invoices.id, invoiceId));
    if (!invoice) return {};
    const lines = await tx
      .select({
        name: schema.products.name,
        serial: schema.inventoryItems.serial,
        amount: schema.rentalItems.priceCents,
      })
      .from(schema.rentalItems)
      .innerJoin(schema.products, eq(schema.products.id, schema.rentalItems.productId))
      .innerJoin(schema.inventoryItems, eq(schema.inventoryItems.id, schema.rentalItems.inventoryItemId))
      .where(eq(schema.rentalItems.rentalOrderId, invoice.orderId!))
      .orderBy(asc(schema.products.name), asc(schema.inventoryItems.serial));
    return {
      rentalOrderId: invoice.orderId,
      pickupAt: invoice.startsAt.toISOString(),
      returnAt: invoice.endsAt.toISOString(),
      lines: lines.map((l) => ({ label: `${l.name} (${l.serial})`, amount: l.amount })),
      discount: Math.max(0, invoice.subtotal - invoice.total),
    };
  }

  /**
   * Inserts one notification (nothing if its dedupe key exists). The recipient is the customer's email and the
   * language the store's locale; without an email address, or with `cancelReason`, it is stored `cancelled`.
   */
  async #create(tx: Executor, row: NewNotification, cancelReason?: string): Promise<void> {
    const now = this.clock.now();
    const [who] = await tx
      .select({
        userId: schema.users.id,
        email: schema.users.email,
        name: schema.users.name,
        storeName: schema.stores.name,
        locale: schema.stores.locale,
      })
      .from(schema.stores)
      .leftJoin(
        schema.users,
        and(eq(schema.users.id, row.userId ?? sql`null`), eq(schema.users.storeId, schema.stores.id)),
      )
      .where(eq(schema.stores.id, row.storeId));
    if (!who) return;
    const recipient = who.email ?? null;
    const reason = cancelReason ?? (recipient ? undefined : 'the customer has no email address');
    await tx
      .insert(n)
      .values({
        storeId: row.storeId,
        userId: who.userId ?? null,
        channel: this.channel.kind,
        template: row.template,
        payload: { ...row.facts, storeName: who.storeName, customerName: who.name ?? null },
        status: reason ? 'cancelled' : 'pending',
        scheduledFor: row.scheduledFor,
        nextAttemptAt: row.scheduledFor,
        recipient,
        locale: templateLocale(who.locale),
        dedupeKey: row.dedupeKey,
        eventId: row.eventId,
        entityId: row.entityId,
        lastError: reason ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: n.dedupeKey });
  }

  async #cancel(
    tx: Executor,
    entityId: string,
    templates: NotificationTemplate[],
    reason: string,
    now: Date,
  ): Promise<void> {
    await tx
      .update(n)
      .set({ status: 'cancelled', lastError: reason, updatedAt: now })
      .where(and(eq(n.entityId, entityId), eq(n.status, 'pending'), inArray(n.template, templates)));
  }

  // -------------------------------------------------------------------------------------------------------------
  // Deliver
  // -------------------------------------------------------------------------------------------------------------

  /** Sends every due notification (batch after batch); returns the counts. */
  async deliver(): Promise<Omit<PassResult, 'derived'>> {
    const result = { sent: 0, failedAttempts: 0, cancelled: 0 };
    for (;;) {
      const claimed = await this.#claim();
      for (const row of claimed) {
        const outcome = await this.#deliverOne(row);
        if (outcome === 'sent') result.sent++;
        else if (outcome === 'failed') result.failedAttempts++;
        else result.cancelled++;
      }
      if (claimed.length < this.#batch) return result;
    }
  }

  /** Takes due rows no other worker holds and leases them: `next_attempt_at` moves past the time a send can take. */
  async #claim() {
    const now = this.clock.now();
    const due = this.db
      .select({ id: n.id })
      .from(n)
      .where(and(eq(n.status, 'pending'), lte(n.nextAttemptAt, now)))
      .orderBy(asc(n.nextAttemptAt), asc(n.id))
      .limit(this.#batch)
      .for('update', { skipLocked: true });
    return this.db
      .update(n)
      .set({ nextAttemptAt: new Date(now.getTime() + this.#leaseMs), updatedAt: now })
      .where(and(inArray(n.id, due), eq(n.status, 'pending')))
      .returning();
  }

  /** Why a due reminder (or a team invitation) no longer applies, if it does not. */
  async #obsolete(row: typeof n.$inferSelect, now: Date): Promise<string | undefined> {
    if (!row.entityId) return undefined;
    if (row.template === NotificationTemplate.memberInvitation) {
      const member = await this.#invitee(row);
      if (!member) return 'the invitation was withdrawn';
      return undefined;
    }
    if (row.template === NotificationTemplate.holdExpiring) {
      const [hold] = await this.db
        .select({ state: schema.reservations.state, expiresAt: schema.reservations.expiresAt })
        .from(schema.reservations)
        .where(eq(schema.reservations.id, row.entityId));
      if (!hold) return 'the hold no longer exists';
      if (hold.state !== 'PENDING') return `the hold is ${hold.state}`;
      if (!hold.expiresAt || hold.expiresAt <= now) return 'the hold has expired';
      return undefined;
    }
    if (row.template === NotificationTemplate.subscriptionRenewalDue) {
      const [subscription] = await this.db
        .select({
          status: schema.subscriptions.status,
          cancelAtPeriodEnd: schema.subscriptions.cancelAtPeriodEnd,
        })
        .from(schema.subscriptions)
        .where(eq(schema.subscriptions.id, row.entityId));
      if (!subscription) return 'the subscription no longer exists';
      if (subscription.status !== 'active') return `the subscription is ${subscription.status}`;
      if (subscription.cancelAtPeriodEnd) return 'the subscription is cancelled at the end of its period';
      return undefined;
    }
    if (
      row.template === NotificationTemplate.rentalConfirmed ||
      row.template === NotificationTemplate.rentalPickupReminder ||
      row.template === NotificationTemplate.rentalReturnReminder
    ) {
      const [order] = await this.db
        .select({ status: schema.rentalOrders.status })
        .from(schema.rentalOrders)
        .where(eq(schema.rentalOrders.id, row.entityId));
      if (!order) return 'the rental no longer exists';
      // A confirmation is moot once the order was cancelled or has already been picked up.
      const live =
        row.template === NotificationTemplate.rentalReturnReminder ? ['confirmed', 'active'] : ['confirmed'];
      if (!live.includes(order.status)) return `the rental is ${order.status}`;
    }
    return undefined;
  }

  /**
   * The invitee of a team invitation if they still are an active member of the store: their current role, and whether
   * they have yet to set a password.
   */
  async #invitee(row: typeof n.$inferSelect) {
    const found = await this.db
      .select({ code: schema.roles.code, pending: sql<boolean>`${schema.users.passwordHash} is null` })
      .from(schema.users)
      .innerJoin(schema.userRoles, eq(schema.userRoles.userId, schema.users.id))
      .innerJoin(schema.roles, eq(schema.roles.id, schema.userRoles.roleId))
      .where(
        and(
          eq(schema.users.id, row.entityId ?? sql`null`),
          eq(schema.users.storeId, row.storeId ?? sql`null`),
          eq(schema.users.status, 'active'),
          eq(schema.userRoles.storeId, row.storeId ?? sql`null`),
          inArray(schema.roles.code, ['owner', 'staff']),
        ),
      );
    if (found.length === 0) return undefined;
    return {
      role: found.some((f) => f.code === 'owner') ? ('owner' as const) : ('staff' as const),
      pending: found[0]!.pending,
    };
  }

  /**
   * The facts of a row plus what is made only when it is sent: a confirmed reservation's signed ticket link and its
   * check-in QR code (a PNG attached by Content-ID); a confirmed rental's signed booking link, its pickup QR code and
   * what is left to pay at pickup; a team invitation's signed link (valid 7 days from sending). None of them is stored
   * in the notification.
   */
  async #sendTimeFacts(
    row: typeof n.$inferSelect,
  ): Promise<{ facts: TemplateFacts; attachments: Attachment[] }> {
    const facts = { ...(row.payload as TemplateFacts) };
    const attachments: Attachment[] = [];
    if (row.template === NotificationTemplate.memberInvitation && row.entityId && row.storeId) {
      const invitee = await this.#invitee(row);
      const base = this.#publicUrl ?? (typeof facts.linkBase === 'string' ? facts.linkBase : undefined);
      if (invitee) facts.role = invitee.role;
      // Someone who has a password already (a customer of the store, a former member) signs in instead.
      if (invitee?.pending) {
        if (!base) throw new Error('the invitation link needs the server’s public URL (PUBLIC_URL)');
        const invitation = await signInvitation(
          this.db,
          { userId: row.entityId, storeId: row.storeId, role: invitee.role },
          this.clock.now(),
          base,
        );
        facts.invitationUrl = invitation.url;
        facts.invitationExpiresAt = invitation.expiresAt;
      }
    }
    if (row.template === NotificationTemplate.reservationConfirmed && row.entityId && this.#tokens) {
      const [hold] = await this.db
        .select({ state: schema.reservations.state, slotEndsAt: schema.slots.endTime })
        .from(schema.reservations)
        .innerJoin(schema.slots, eq(schema.slots.id, schema.reservations.slotId))
        .where(eq(schema.reservations.id, row.entityId));
      if (hold && (hold.state === 'CONFIRMED' || hold.state === 'CHECKED_IN')) {
        if (this.#publicUrl) {
          facts.ticketUrl = ticketLink(this.#tokens, this.#publicUrl, row.entityId, hold.slotEndsAt);
        }
        const cid = `ticket-qr-${row.entityId}@dropslot`;
        attachments.push({
          filename: 'ticket-qr.png',
          contentType: 'image/png',
          content: qrPng(this.#tokens.checkInToken(row.entityId)),
          cid,
        });
        facts.qrCid = cid;
      }
    }
    if (row.template === NotificationTemplate.rentalConfirmed && row.entityId && this.#tokens) {
      const [order] = await this.db
        .select({
          status: schema.rentalOrders.status,
          endsAt: schema.rentalOrders.endsAt,
          invoiceStatus: schema.invoices.status,
          due: schema.invoices.amountDueCents,
          paid: schema.invoices.amountPaidCents,
          currency: schema.invoices.currency,
        })
        .from(schema.rentalOrders)
        .leftJoin(schema.invoices, eq(schema.invoices.rentalOrderId, schema.rentalOrders.id))
        .where(eq(schema.rentalOrders.id, row.entityId));
      const pickup = order && (await nextHandoverToken(this.db, this.#tokens, row.entityId, order.status));
      if (order && pickup?.type === 'pickup') {
        if (this.#publicUrl) {
          facts.ticketUrl = rentalLink(this.#tokens, this.#publicUrl, row.entityId, order.endsAt);
        }
        const cid = `pickup-qr-${row.entityId}@dropslot`;
        attachments.push({
          filename: 'pickup-qr.png',
          contentType: 'image/png',
          content: qrPng(pickup.token),
          cid,
        });
        facts.qrCid = cid;
      }
      // Paid at the counter: say how much (what is left on an open invoice, as the desk collects it).
      if (
        order?.invoiceStatus === 'open' &&
        order.due !== null &&
        order.paid !== null &&
        order.due > order.paid
      ) {
        facts.toPay = order.due - order.paid;
        facts.currency = order.currency ?? undefined;
      }
    }
    return { facts, attachments };
  }

  async #deliverOne(row: typeof n.$inferSelect): Promise<'sent' | 'failed' | 'cancelled'> {
    const now = this.clock.now();
    const pending = and(eq(n.id, row.id), eq(n.status, 'pending'));
    const obsolete = await this.#obsolete(row, now);
    if (obsolete || !row.recipient) {
      await this.db
        .update(n)
        .set({ status: 'cancelled', lastError: obsolete ?? 'no recipient', updatedAt: now })
        .where(pending);
      return 'cancelled';
    }
    const attempts = row.attempts + 1;
    try {
      const [store] = await this.db
        .select({ locale: schema.stores.locale, timeZone: schema.stores.timeZone })
        .from(schema.stores)
        .where(eq(schema.stores.id, row.storeId ?? sql`null`));
      const language = templateLocale(row.locale) as TemplateLocale;
      const { facts, attachments } = await this.#sendTimeFacts(row);
      const rendered = render(row.template as NotificationTemplate, language, facts, {
        locale: store?.locale ?? language,
        timeZone: store?.timeZone ?? 'UTC',
      });
      const result = await this.channel.send({
        notificationId: row.id,
        template: row.template,
        locale: language,
        to: row.recipient,
        ...rendered,
        ...(attachments.length > 0 && { attachments }),
      });
      const sentAt = this.clock.now();
      await this.db
        .update(n)
        .set({
          status: 'sent',
          attempts,
          sentAt,
          providerId: result.providerId ?? null,
          lastError: null,
          updatedAt: sentAt,
        })
        .where(pending);
      return 'sent';
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      const giveUp = attempts >= this.#maxAttempts;
      const retryAt = new Date(now.getTime() + this.#retryBaseMs * 4 ** (attempts - 1));
      await this.db
        .update(n)
        .set({
          attempts,
          lastError: message,
          updatedAt: now,
          ...(giveUp ? { status: 'failed' } : { nextAttemptAt: retryAt }),
        })
        .where(pending);
      this.log.warn('notification: send failed', {
        notificationId: row.id,
        attempts,
        giveUp,
        error: message,
      });
      return 'failed';
    }
  }
}
