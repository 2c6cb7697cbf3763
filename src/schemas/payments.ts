import * as z from 'zod/mini';
import { Currency, Id, Timestamp } from './common.js';
import { named } from './registry.js';

/**
 * Where a payment stands. `requires_payment_method` (no method yet, or the last one failed: see `lastError`) →
 * `requires_action` (the customer must authenticate) → `processing` (waiting for the provider's signed webhook) →
 * `succeeded`; `refunded` after a refund; `cancelled` when the provider cancelled it; `failed` is kept for providers
 * that end a payment on failure.
 */
export const PaymentStatus = z.enum([
  'requires_payment_method',
  'requires_action',
  'processing',
  'succeeded',
  'failed',
  'cancelled',
  'refunded',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** The payment providers of the reference backend: the built-in `test` provider and Stripe. */
export const PaymentProvider = z.enum(['test', 'stripe']);
export type PaymentProvider = z.infer<typeof PaymentProvider>;

/** Body of `POST /payments`: pay a reservation (a paid drop's hold) or a rental invoice. Exactly one of the two. */
export const PaymentCreate = named(
  'PaymentCreate',
  'Pay a held reservation of a paid drop, or a rental invoice: name exactly one.',
  z.strictObject({
    reservationId: z.optional(Id),
    invoiceId: z.optional(Id),
    /**
     * A payment method to confirm with on the server. Test provider: `pm_card_visa` (succeeds),
     * `pm_card_declined` (declined), `pm_card_requires_action` (needs the authentication step). Stripe: a `pm_…` id;
     * usually omitted and confirmed in the browser with Stripe.js and `clientSecret`.
     */
    paymentMethod: z.optional(z.string().check(z.minLength(1), z.maxLength(255), z.regex(/^[A-Za-z0-9_]+$/))),
  }),
);
export type PaymentCreate = z.infer<typeof PaymentCreate>;

/** What the customer must do before the payment can go on. */
export const PaymentNextAction = named(
  'PaymentNextAction',
  'A step the customer must complete. Test provider: POST `{ token, result }` to `url` (relative to the API base).',
  z.object({ type: z.enum(['authenticate']), url: z.string(), token: z.string() }),
);
export type PaymentNextAction = z.infer<typeof PaymentNextAction>;

/** The provider's reason a payment attempt failed. */
export const PaymentError = named(
  'PaymentError',
  "The provider's reason the last payment attempt failed.",
  z.object({ code: z.string(), message: z.string() }),
);
export type PaymentError = z.infer<typeof PaymentError>;

/** A payment of a reservation or an invoice, with what the paying page needs from the provider. */
export const Payment = named(
  'Payment',
  'A payment of one reservation or one invoice. Succeeds only on the provider’s signed webhook.',
  z.object({
    id: Id,
    storeId: Id,
    provider: PaymentProvider,
    status: PaymentStatus,
    /** Minor units of `currency`. */
    amount: z.int(),
    currency: Currency,
    reservationId: z.nullable(Id),
    invoiceId: z.nullable(Id),
    customerId: z.nullable(Id),
    /** Stripe: the PaymentIntent's client secret for Stripe.js (only to the paying customer or a secret key). */
    clientSecret: z.nullable(z.string()),
    /** Stripe: the publishable key to load Stripe.js with. */
    publishableKey: z.nullable(z.string()),
    nextAction: z.nullable(PaymentNextAction),
    lastError: z.nullable(PaymentError),
    /** `pending` once a refund was asked, `succeeded` when done. */
    refundStatus: z.nullable(z.enum(['pending', 'succeeded'])),
    createdAt: Timestamp,
    paidAt: z.nullable(Timestamp),
    refundedAt: z.nullable(Timestamp),
  }),
);
export type Payment = z.infer<typeof Payment>;

/** The answer to an inbound provider webhook. */
export const WebhookReceipt = named(
  'WebhookReceipt',
  'The event was verified; `duplicate` when it had been applied before.',
  z.object({ received: z.boolean(), duplicate: z.boolean() }),
);
export type WebhookReceipt = z.infer<typeof WebhookReceipt>;

/** Body of the test provider's authentication step: approve or refuse the payment. */
export const TestProviderAuthentication = named(
  'TestProviderAuthentication',
  'The answer of the test provider’s 3-D Secure-like step.',
  z.strictObject({
    /** The token of the payment's `nextAction.url`. */
    token: z.string().check(z.minLength(1), z.maxLength(500)),
    result: z.enum(['approve', 'deny']),
  }),
);
export type TestProviderAuthentication = z.infer<typeof TestProviderAuthentication>;

/** The test provider's answer to its authentication step. */
export const TestProviderIntent = named(
  'TestProviderIntent',
  'A payment intent of the built-in test provider.',
  z.object({ id: z.string(), status: z.string() }),
);
