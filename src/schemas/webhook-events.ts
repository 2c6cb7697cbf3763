import * as z from 'zod/mini';

/*
 * The `data` of every webhook event, by type (the catalogue of docs/webhooks.md): one schema each, so a receiver's
 * handler is typed from the contract (`DropSlotWebhookEvent`, narrowed by `type`) and the server's events are checked
 * against the same schemas in its test suites. Objects are loose: a later version may add members.
 */

/** A reservation's facts, carried by every `reservation.*` event. */
const ReservationEventData = z.looseObject({
  reservationId: z.string(),
  dropId: z.string(),
  slotId: z.string(),
  customerId: z.string(),
  /** `PENDING`, `CONFIRMED`, `CANCELLED`, `EXPIRED` or `CHECKED_IN`. */
  state: z.string(),
  /** When a hold runs out (ISO 8601). */
  expiresAt: z.optional(z.nullable(z.string())),
});

/** A waitlist entry's facts; `waitlist.promoted` adds the hold it got and its claim deadline. */
const WaitlistEventData = z.looseObject({
  waitlistEntryId: z.string(),
  dropId: z.string(),
  slotId: z.string(),
  customerId: z.string(),
  state: z.string(),
  position: z.optional(z.int()),
  reservationId: z.optional(z.string()),
  claimDeadline: z.optional(z.nullable(z.string())),
});

/** A rental order's id and customer, with what the change adds (`total`, `units`, `via`, `handoverId`, …). */
const RentalEventData = z.looseObject({
  rentalOrderId: z.string(),
  customerId: z.string(),
  total: z.optional(z.int()),
  units: z.optional(z.unknown()),
  via: z.optional(z.string()),
  releasedUnits: z.optional(z.unknown()),
  scheduleId: z.optional(z.string()),
  type: z.optional(z.string()),
  assignedTo: z.optional(z.nullable(z.string())),
  handoverId: z.optional(z.string()),
  verifiedBy: z.optional(z.nullable(z.string())),
  pointsEarned: z.optional(z.int()),
  late: z.optional(z.boolean()),
  endsAt: z.optional(z.string()),
});

/** A payment and what it paid for: a reservation, a rental's invoice or a subscription's. */
const PaymentEventData = z.looseObject({
  paymentId: z.string(),
  /** Minor units. */
  amount: z.int(),
  currency: z.string(),
  provider: z.string(),
  reservationId: z.optional(z.nullable(z.string())),
  invoiceId: z.optional(z.nullable(z.string())),
  rentalOrderId: z.optional(z.string()),
  subscriptionId: z.optional(z.string()),
  /** `payment.failed`: the provider's code and message. */
  code: z.optional(z.string()),
  message: z.optional(z.string()),
  /** `payment.refunded`. */
  refundId: z.optional(z.nullable(z.string())),
  reason: z.optional(z.nullable(z.string())),
});

/** An invoice that is paid in full, and what it billed. */
const InvoiceEventData = z.looseObject({
  invoiceId: z.string(),
  rentalOrderId: z.optional(z.string()),
  subscriptionId: z.optional(z.nullable(z.string())),
});

/** A subscription's facts; `via` on `subscription.started`, `at` and `by` on `subscription.cancelled`. */
const SubscriptionEventData = z.looseObject({
  subscriptionId: z.string(),
  customerId: z.string(),
  planId: z.string(),
  status: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  via: z.optional(z.string()),
  at: z.optional(z.string()),
  by: z.optional(z.string()),
});

/** The schema of each event type's `data`. */
export const WebhookEventData = {
  'reservation.created': ReservationEventData,
  'reservation.confirmed': ReservationEventData,
  'reservation.cancelled': ReservationEventData,
  'reservation.expired': ReservationEventData,
  'reservation.checked_in': ReservationEventData,
  'waitlist.joined': WaitlistEventData,
  'waitlist.promoted': WaitlistEventData,
  'waitlist.left': WaitlistEventData,
  'rental.created': RentalEventData,
  'rental.confirmed': RentalEventData,
  'rental.cancelled': RentalEventData,
  'rental.schedule_assigned': RentalEventData,
  'rental.picked_up': RentalEventData,
  'rental.overdue': RentalEventData,
  'rental.returned': RentalEventData,
  'payment.succeeded': PaymentEventData,
  'payment.failed': PaymentEventData,
  'payment.refunded': PaymentEventData,
  'invoice.paid': InvoiceEventData,
  'subscription.started': SubscriptionEventData,
  'subscription.renewal_due': SubscriptionEventData,
  'subscription.cancelled': SubscriptionEventData,
  'subscription.ended': SubscriptionEventData,
} as const;

/** Every event type with a typed `data`. */
export type WebhookEventName = keyof typeof WebhookEventData;

/** The `data` of each event type. */
export type WebhookEventDataMap = { [K in WebhookEventName]: z.infer<(typeof WebhookEventData)[K]> };

/**
 * A verified webhook message, discriminated by `type`: narrowing on it types `data`.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from 'dropslot';
 *
 * const event = await verifyWebhook(secret, req.headers, rawBody);
 * if (event.type === 'reservation.confirmed') console.log(event.data.reservationId, event.data.slotId);
 * ```
 */
export type DropSlotWebhookEvent = {
  [K in WebhookEventName]: { type: K; timestamp: string; data: WebhookEventDataMap[K] };
}[WebhookEventName];
