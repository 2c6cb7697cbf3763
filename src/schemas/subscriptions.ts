import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';
import { Invoice } from './rentals.js';

/**
 * `pending_payment` (its invoice is open; the period is provisional until it is paid) → `active` (the plan's discount
 * applies to rentals starting in the period) → `expired` (the period ended) or `cancelled`.
 */
export const SubscriptionStatus = z.enum(['pending_payment', 'active', 'cancelled', 'expired']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

/** A customer's subscription to a plan over the half-open period `[startsAt, endsAt)`, with its invoice. */
export const Subscription = named(
  'Subscription',
  'A customer’s subscription to a plan: its period, status and invoice.',
  z.object({
    id: Id,
    storeId: Id,
    customerId: Id,
    planId: Id,
    planName: z.string(),
    /** Percent off the rental lines of the plan's products, for rentals starting in the period. */
    discountPct: z.int(),
    status: SubscriptionStatus,
    /**
     * The period. While `pending_payment` it is provisional: it is set again when the invoice is paid (from then, or
     * from the end of the customer's running subscription to the plan when this one renews it).
     */
    startsAt: Timestamp,
    endsAt: Timestamp,
    /** Cancelled to end with its period: it stays `active` until `endsAt`, and no renewal notice is sent. */
    cancelAtPeriodEnd: z.boolean(),
    cancelledAt: z.nullable(Timestamp),
    /** When it stopped applying: `endsAt` once expired, or the moment it was cancelled. */
    endedAt: z.nullable(Timestamp),
    /** When the renewal notice (`subscription.renewal_due`) went out, if it did. */
    renewalNoticeAt: z.nullable(Timestamp),
    /** The invoice of the period: paid online (`POST /payments`), at the counter, or nothing to pay. */
    invoice: Invoice,
    createdAt: Timestamp,
  }),
);
export type Subscription = z.infer<typeof Subscription>;

/** A page of subscriptions, newest first. */
export const SubscriptionList = Page('SubscriptionList', Subscription);
export type SubscriptionList = z.infer<typeof SubscriptionList>;

/** Body of `POST /subscriptions`. */
export const SubscriptionCreate = named(
  'SubscriptionCreate',
  'Subscribe a customer to a plan: the token’s customer, or `customerId` with a secret key.',
  z.strictObject({
    planId: Id,
    /** With a secret key: the customer to subscribe. With a customer token it may only name that customer. */
    customerId: z.optional(Id),
  }),
);
export type SubscriptionCreate = z.infer<typeof SubscriptionCreate>;

/** Body of `POST /subscriptions/{id}/cancel` (optional). */
export const SubscriptionCancel = named(
  'SubscriptionCancel',
  'When a cancellation takes effect: at the end of the period (default), or now (the store only).',
  z.strictObject({
    /**
     * `period_end` (default): the subscription keeps its discount until `endsAt`, then ends. `now` (secret key or
     * owner): it ends at once and an online payment of its invoice is refunded in full. A subscription waiting for
     * its payment is always cancelled at once.
     */
    at: z.optional(z.enum(['period_end', 'now'])),
  }),
);
export type SubscriptionCancel = z.infer<typeof SubscriptionCancel>;

/** Query of `GET /subscriptions` (secret key or owner). */
export const SubscriptionListQuery = z.extend(ListQuery, {
  status: z.optional(SubscriptionStatus),
  customerId: z.optional(Id),
  planId: z.optional(Id),
});
export type SubscriptionListQuery = z.infer<typeof SubscriptionListQuery>;

/** Query of `GET /customers/me/subscriptions`. */
export const MySubscriptionListQuery = z.extend(ListQuery, {
  status: z.optional(SubscriptionStatus),
});
export type MySubscriptionListQuery = z.infer<typeof MySubscriptionListQuery>;
