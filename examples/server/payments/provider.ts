/**
 * The payment provider interface of the reference backend. A provider creates a payment intent for an amount under an
 * idempotency key (one per payment attempt, so a retry after a crash finds the same intent), confirms it with a
 * payment method, reads it, refunds it, and verifies and parses its signed inbound webhooks. Two implementations:
 * the built-in test provider (no network, the default) and Stripe (PaymentIntents).
 */

/** A provider's intent status, in Stripe's words. */
export type IntentStatus =
  'requires_payment_method' | 'requires_action' | 'processing' | 'succeeded' | 'canceled';

/** What a provider says about one intent at one moment. */
export interface IntentSnapshot {
  intentId: string;
  status: IntentStatus;
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  metadata: Record<string, string>;
  clientSecret: string | null;
  nextAction: { type: 'authenticate'; url: string; token: string } | null;
  lastError: { code: string; message: string } | null;
}

export interface CreateIntentInput {
  amount: number;
  currency: string;
  /** One per payment attempt: the same key answers the same intent. */
  idempotencyKey: string;
  /** `paymentId`, `storeId`, and `reservationId` or `invoiceId`: webhooks find the payment by them. */
  metadata: Record<string, string>;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending' | 'failed';
}

/** A verified inbound event, reduced to what the payments domain needs. */
export type InboundEvent =
  | {
      id: string;
      kind: 'intent';
      type: string;
      /** The provider's time of the event. */
      at: Date;
      /** The event reports a failed attempt (`payment_intent.payment_failed`). */
      failed: boolean;
      intent: IntentSnapshot;
    }
  | {
      id: string;
      kind: 'refund';
      type: string;
      at: Date;
      intentId: string;
      metadata: Record<string, string>;
      /** The whole amount was refunded. */
      refunded: boolean;
      refundId: string | null;
    }
  | { id: string; kind: 'ignored'; type: string };

/** A refusal of the provider: `invalid_request` is the caller's mistake (400), `unavailable` the provider's (502). */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'invalid_request' | 'unavailable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderError';
  }
}

/** An inbound webhook whose signature or body does not verify. */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

export interface PaymentProvider {
  readonly name: 'test' | 'stripe';
  /** What the browser needs to load the provider's script (Stripe's publishable key); null for the test provider. */
  readonly publishableKey: string | null;
  create(input: CreateIntentInput): Promise<IntentSnapshot>;
  retrieve(intentId: string): Promise<IntentSnapshot>;
  /** Confirms the intent with a payment method; a confirmed or finished intent is answered as it is. */
  confirm(intentId: string, paymentMethod: string, idempotencyKey: string): Promise<IntentSnapshot>;
  refund(intentId: string, amount: number, idempotencyKey: string): Promise<RefundResult>;
  /** Verifies the signature over the exact raw body and parses the event; throws `WebhookSignatureError`. */
  parseWebhook(rawBody: string, header: (name: string) => string | undefined): InboundEvent;
}

/** Stripe-shaped event bodies (the test provider writes the same shape) reduced to an `InboundEvent`. */
export function normalizeEvent(event: {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> };
}): InboundEvent {
  const at = new Date(event.created * 1000);
  const object = event.data.object;
  if (event.type.startsWith('payment_intent.') && object.object === 'payment_intent') {
    return {
      id: event.id,
      kind: 'intent',
      type: event.type,
      at,
      failed: event.type === 'payment_intent.payment_failed',
      intent: intentFromObject(object),
    };
  }
  if (event.type === 'charge.refunded' && object.object === 'charge') {
    const refunds = (object.refunds as { data?: { id: string }[] } | undefined)?.data;
    return {
      id: event.id,
      kind: 'refund',
      type: event.type,
      at,
      intentId: String(object.payment_intent),
      metadata: (object.metadata as Record<string, string> | undefined) ?? {},
      refunded: object.refunded === true,
      refundId: refunds?.[0]?.id ?? null,
    };
  }
  return { id: event.id, kind: 'ignored', type: event.type };
}

const STATUS_MAP: Record<string, IntentStatus> = {
  requires_payment_method: 'requires_payment_method',
  requires_confirmation: 'requires_payment_method',
  requires_action: 'requires_action',
  processing: 'processing',
  requires_capture: 'processing',
  succeeded: 'succeeded',
  canceled: 'canceled',
};

/** A Stripe-shaped `payment_intent` object as a snapshot. */
export function intentFromObject(object: Record<string, unknown>): IntentSnapshot {
  const error = object.last_payment_error as {
    code?: string;
    decline_code?: string;
    message?: string;
  } | null;
  const next = object.next_action as { type?: string; authenticate?: { url: string; token: string } } | null;
  return {
    intentId: String(object.id),
    status: STATUS_MAP[String(object.status)] ?? 'requires_payment_method',
    amount: Number(object.amount),
    currency: String(object.currency).toUpperCase(),
    metadata: (object.metadata as Record<string, string> | undefined) ?? {},
    clientSecret: typeof object.client_secret === 'string' ? object.client_secret : null,
    nextAction: next?.authenticate
      ? { type: 'authenticate', url: next.authenticate.url, token: next.authenticate.token }
      : null,
    lastError: error
      ? {
          code: error.decline_code ?? error.code ?? 'payment_failed',
          message: error.message ?? 'The payment failed.',
        }
      : null,
  };
}
