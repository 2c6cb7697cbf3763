/**
 * The Stripe adapter: PaymentIntents created with an idempotency key (one per payment attempt), the `client_secret`
 * handed to the paying page for Stripe.js, refunds through the Refunds API, and inbound webhooks verified with
 * `stripe.webhooks.constructEvent` over the exact raw body. Enabled when `STRIPE_SECRET_KEY` and
 * `STRIPE_WEBHOOK_SECRET` are set.
 */
import Stripe from 'stripe';
import {
  intentFromObject,
  normalizeEvent,
  ProviderError,
  WebhookSignatureError,
  type CreateIntentInput,
  type InboundEvent,
  type IntentSnapshot,
  type PaymentProvider,
  type RefundResult,
} from './provider.js';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** `pk_…`, handed to the page with the client secret. */
  publishableKey?: string | undefined;
  /** Where Stripe sends the customer back after a redirect-based method confirmed on the server. */
  returnUrl?: string | undefined;
  /** Transport (tests intercept it); defaults to the fetch client. */
  httpClient?: Stripe.HttpClient;
  /** @default 2 */
  maxNetworkRetries?: number;
}

export class StripeProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly publishableKey: string | null;
  readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    this.publishableKey = options.publishableKey ?? null;
    this.stripe = new Stripe(options.secretKey, {
      httpClient: options.httpClient ?? Stripe.createFetchHttpClient(),
      maxNetworkRetries: options.maxNetworkRetries ?? 2,
      timeout: 20_000,
    });
  }

  async create(input: CreateIntentInput): Promise<IntentSnapshot> {
    const intent = await this.#call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          metadata: input.metadata,
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return snapshot(intent);
  }

  async retrieve(intentId: string): Promise<IntentSnapshot> {
    return snapshot(await this.#call(() => this.stripe.paymentIntents.retrieve(intentId)));
  }

  async confirm(intentId: string, paymentMethod: string, idempotencyKey: string): Promise<IntentSnapshot> {
    try {
      const intent = await this.stripe.paymentIntents.confirm(
        intentId,
        {
          payment_method: paymentMethod,
          ...(this.options.returnUrl && { return_url: this.options.returnUrl }),
        },
        { idempotencyKey },
      );
      return snapshot(intent);
    } catch (error) {
      // A declined card answers 402 with the intent attached; an intent already past confirmation answers 400.
      const raw = (error as { raw?: { payment_intent?: Stripe.PaymentIntent } }).raw;
      if (raw?.payment_intent) return snapshot(raw.payment_intent);
      if (
        error instanceof Stripe.errors.StripeInvalidRequestError &&
        error.code === 'payment_intent_unexpected_state'
      ) {
        return this.retrieve(intentId);
      }
      throw asProviderError(error);
    }
  }

  async refund(intentId: string, amount: number, idempotencyKey: string): Promise<RefundResult> {
    const refund = await this.#call(() =>
      this.stripe.refunds.create({ payment_intent: intentId, amount }, { idempotencyKey }),
    );
    const status =
      refund.status === 'succeeded' ? 'succeeded' : refund.status === 'failed' ? 'failed' : 'pending';
    return { refundId: refund.id, status };
  }

  parseWebhook(rawBody: string, header: (name: string) => string | undefined): InboundEvent {
    const signature = header('stripe-signature');
    if (!signature) throw new WebhookSignatureError('Missing Stripe-Signature header.');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, this.options.webhookSecret);
    } catch (error) {
      throw new WebhookSignatureError((error as Error).message);
    }
    return normalizeEvent(event as unknown as Parameters<typeof normalizeEvent>[0]);
  }

  async #call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw asProviderError(error);
    }
  }
}

function snapshot(intent: Stripe.PaymentIntent): IntentSnapshot {
  return intentFromObject(intent as unknown as Record<string, unknown>);
}

function asProviderError(error: unknown): ProviderError {
  if (
    error instanceof Stripe.errors.StripeInvalidRequestError ||
    error instanceof Stripe.errors.StripeCardError
  ) {
    return new ProviderError('invalid_request', error.message, { cause: error });
  }
  return new ProviderError('unavailable', (error as Error).message ?? 'Stripe is unavailable.', {
    cause: error,
  });
}
