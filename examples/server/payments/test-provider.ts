/**
 * The built-in test provider: a stand-in for a card processor that needs no network, used by default (`npm start`,
 * the tests, the demos). Its intents live in `test_provider_intents` so every server process sees the same ones, and
 * the same idempotency key always answers the same intent. Test payment methods:
 *
 * - `pm_card_visa` — succeeds;
 * - `pm_card_declined` — declined (`card_declined`), the intent waits for another method;
 * - `pm_card_requires_action` — needs the customer's authentication step (3-D Secure-like): the intent's `nextAction`
 *   names `POST /v1/test-provider/intents/{id}/authenticate`, answered with `{ token, result: 'approve' | 'deny' }`.
 *
 * Every change is announced by a Stripe-shaped event signed with HMAC-SHA256 under a server secret
 * (`Test-Provider-Signature: t=<unix seconds>,v1=<hex>` over `<t>.<body>`, like Stripe's scheme) and delivered to
 * `POST /v1/webhooks/test`, the same inbound path as Stripe's: a payment succeeds only when that signed event arrives.
 * Events wait in `test_provider_outbox` and are delivered at least once (right away, then retried by the sweeper).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import type { Clock } from '../clock.js';
import {
  normalizeEvent,
  ProviderError,
  WebhookSignatureError,
  type CreateIntentInput,
  type InboundEvent,
  type IntentSnapshot,
  type PaymentProvider,
  type RefundResult,
} from './provider.js';

type IntentRow = typeof schema.testProviderIntents.$inferSelect;
const ti = schema.testProviderIntents;
const outbox = schema.testProviderOutbox;

/** The test payment methods and what they do. */
export const TEST_PAYMENT_METHODS = ['pm_card_visa', 'pm_card_declined', 'pm_card_requires_action'] as const;

export const TEST_SIGNATURE_HEADER = 'test-provider-signature';
/** Signed events older (or newer) than this are refused, against replays. */
const TOLERANCE_SECONDS = 300;

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export interface TestProviderOptions {
  /** Simulated network latency of every confirmation, in milliseconds. @default 0 */
  latencyMs?: number;
}

export class TestProvider implements PaymentProvider {
  readonly name = 'test' as const;
  readonly publishableKey = null;
  #deliver: ((body: string, signature: string) => Promise<boolean>) | undefined;
  /** Events this process is delivering now: a delivery that triggers another one never re-sends them. */
  readonly #inFlight = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly secret: string,
    private readonly options: TestProviderOptions = {},
  ) {}

  /** Loads the shared signing secret, creating it on the first boot of the first process. */
  static async load(db: Database, clock: Clock, options: TestProviderOptions = {}): Promise<TestProvider> {
    await db
      .insert(schema.serverSecrets)
      .values({ name: 'test_provider_webhook_secret', value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await rows<{ value: string }>(
      db,
      sql`select value from ${schema.serverSecrets} where name = 'test_provider_webhook_secret'`,
    );
    return new TestProvider(db, clock, row!.value, options);
  }

  /** Where events go: the app's own `POST /v1/webhooks/test`; resolves whether it answered 2xx. */
  attach(deliver: (body: string, signature: string) => Promise<boolean>): void {
    this.#deliver = deliver;
  }

  /** The signature header of `body` at `at` (tests use it to forge or replay events). */
  sign(body: string, at = this.clock.now()): string {
    const t = Math.floor(at.getTime() / 1000);
    const v1 = createHmac('sha256', this.secret).update(`${t}.${body}`).digest('hex');
    return `t=${t},v1=${v1}`;
  }

  async create(input: CreateIntentInput): Promise<IntentSnapshot> {
    const now = this.clock.now();
    await this.db
      .insert(ti)
      .values({
        id: id('tpi'),
        idempotencyKey: input.idempotencyKey,
        amountCents: input.amount,
        currency: input.currency,
        status: 'requires_payment_method',
        metadata: input.metadata,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    const [row] = await this.db.select().from(ti).where(eq(ti.idempotencyKey, input.idempotencyKey));
    if (row!.amountCents !== input.amount || row!.currency !== input.currency) {
      throw new ProviderError('invalid_request', 'The idempotency key was used with another amount.');
    }
    return this.#snapshot(row!);
  }

  async retrieve(intentId: string): Promise<IntentSnapshot> {
    const [row] = await this.db.select().from(ti).where(eq(ti.id, intentId));
    if (!row) throw new ProviderError('invalid_request', `No such intent ${intentId}.`);
    return this.#snapshot(row);
  }

  async confirm(intentId: string, paymentMethod: string): Promise<IntentSnapshot> {
    if (!(TEST_PAYMENT_METHODS as readonly string[]).includes(paymentMethod)) {
      throw new ProviderError(
        'invalid_request',
        `Unknown test payment method ${paymentMethod}; use one of ${TEST_PAYMENT_METHODS.join(', ')}.`,
      );
    }
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const row = await this.#change(intentId, ['requires_payment_method'], () => {
      if (paymentMethod === 'pm_card_visa') {
        return {
          set: { status: 'succeeded', paymentMethod, lastError: null },
          type: 'payment_intent.succeeded',
        };
      }
      if (paymentMethod === 'pm_card_declined') {
        return {
          set: {
            paymentMethod,
            lastError: { code: 'card_declined', message: 'Your card was declined.' },
          },
          type: 'payment_intent.payment_failed',
        };
      }
      return {
        set: { status: 'requires_action', paymentMethod, lastError: null },
        type: 'payment_intent.requires_action',
      };
    });
    await this.deliverPending();
    return this.#snapshot(row);
  }

  /** The customer's answer to the authentication step of `pm_card_requires_action`. */
  async authenticate(intentId: string, token: string, result: 'approve' | 'deny'): Promise<IntentSnapshot> {
    if (!safeEqual(token, this.#actionToken(intentId))) {
      throw new ProviderError('invalid_request', 'The authentication token does not match this intent.');
    }
    const row = await this.#change(intentId, ['requires_action'], () =>
      result === 'approve'
        ? { set: { status: 'succeeded', lastError: null }, type: 'payment_intent.succeeded' }
        : {
            set: {
              status: 'requires_payment_method',
              lastError: {
                code: 'authentication_failed',
                message: 'The customer did not complete the authentication.',
              },
            },
            type: 'payment_intent.payment_failed',
          },
    );
    await this.deliverPending();
    return this.#snapshot(row);
  }

  async refund(intentId: string, amount: number, idempotencyKey: string): Promise<RefundResult> {
    void idempotencyKey; // one refund per intent: the intent row remembers it
    const now = this.clock.now();
    const refundId = await transaction(this.db, async (tx) => {
      const [row] = await tx.select().from(ti).where(eq(ti.id, intentId)).for('update');
      if (!row) throw new ProviderError('invalid_request', `No such intent ${intentId}.`);
      if (row.refundId) return row.refundId;
      if (row.status !== 'succeeded') {
        throw new ProviderError('invalid_request', `A ${row.status} intent cannot be refunded.`);
      }
      if (amount !== row.amountCents) {
        throw new ProviderError('invalid_request', 'The test provider refunds whole amounts only.');
      }
      const refund = id('tpr');
      await tx.update(ti).set({ refundId: refund, updatedAt: now }).where(eq(ti.id, intentId));
      await this.#enqueue(tx, 'charge.refunded', now, {
        id: id('tpch'),
        object: 'charge',
        payment_intent: intentId,
        amount: row.amountCents,
        amount_refunded: row.amountCents,
        refunded: true,
        metadata: row.metadata,
        refunds: { data: [{ id: refund }] },
      });
      return refund;
    });
    await this.deliverPending();
    return { refundId, status: 'succeeded' };
  }

  parseWebhook(rawBody: string, header: (name: string) => string | undefined): InboundEvent {
    const signature = header(TEST_SIGNATURE_HEADER);
    const match = signature && /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(signature);
    if (!match) throw new WebhookSignatureError(`Missing or malformed ${TEST_SIGNATURE_HEADER} header.`);
    const t = Number(match[1]);
    if (Math.abs(this.clock.now().getTime() / 1000 - t) > TOLERANCE_SECONDS) {
      throw new WebhookSignatureError('The signature timestamp is outside the tolerance.');
    }
    const expected = createHmac('sha256', this.secret).update(`${t}.${rawBody}`).digest('hex');
    if (!safeEqual(match[2]!, expected))
      throw new WebhookSignatureError('The signature does not match the body.');
    let event: unknown;
    try {
      event = JSON.parse(rawBody);
    } catch {
      throw new WebhookSignatureError('The signed body is not JSON.');
    }
    return normalizeEvent(event as Parameters<typeof normalizeEvent>[0]);
  }

  /** Delivers due events (oldest first); answers how many were accepted. Safe from many processes at once. */
  async deliverPending(limit = 100): Promise<number> {
    const deliver = this.#deliver;
    if (!deliver) return 0;
    const now = this.clock.now();
    const due = await this.db
      .select()
      .from(outbox)
      .where(and(isNull(outbox.deliveredAt), lte(outbox.nextAttemptAt, now)))
      .orderBy(outbox.createdAt, outbox.id)
      .limit(limit);
    let delivered = 0;
    for (const event of due) {
      if (this.#inFlight.has(event.id)) continue;
      this.#inFlight.add(event.id);
      let ok = false;
      try {
        ok = await deliver(event.payload, this.sign(event.payload));
      } catch {
        ok = false;
      } finally {
        this.#inFlight.delete(event.id);
      }
      if (ok) {
        delivered++;
        await this.db.update(outbox).set({ deliveredAt: now }).where(eq(outbox.id, event.id));
      } else {
        const backoff = Math.min(3600, 2 ** Math.min(event.attempts, 12)) * 1000;
        await this.db
          .update(outbox)
          .set({ attempts: event.attempts + 1, nextAttemptAt: new Date(now.getTime() + backoff) })
          .where(eq(outbox.id, event.id));
      }
    }
    return delivered;
  }

  async #change(
    intentId: string,
    from: string[],
    decide: () => { set: Partial<Pick<IntentRow, 'status' | 'paymentMethod' | 'lastError'>>; type: string },
  ): Promise<IntentRow> {
    const now = this.clock.now();
    return transaction(this.db, async (tx) => {
      const [row] = await tx.select().from(ti).where(eq(ti.id, intentId)).for('update');
      if (!row) throw new ProviderError('invalid_request', `No such intent ${intentId}.`);
      if (!from.includes(row.status)) return row; // already past this step: answer it as it is
      const { set, type } = decide();
      const [changed] = await tx
        .update(ti)
        .set({ ...set, updatedAt: now })
        .where(eq(ti.id, intentId))
        .returning();
      await this.#enqueue(tx, type, now, this.#object(changed!));
      return changed!;
    });
  }

  async #enqueue(tx: Executor, type: string, now: Date, object: Record<string, unknown>): Promise<void> {
    const eventId = id('tpevt');
    const payload = JSON.stringify({
      id: eventId,
      object: 'event',
      type,
      created: Math.floor(now.getTime() / 1000),
      data: { object },
    });
    await tx.insert(outbox).values({ id: eventId, payload, nextAttemptAt: now, createdAt: now });
  }

  #actionToken(intentId: string): string {
    return createHmac('sha256', this.secret).update(`authenticate:${intentId}`).digest('base64url');
  }

  #object(row: IntentRow): Record<string, unknown> {
    return {
      id: row.id,
      object: 'payment_intent',
      amount: row.amountCents,
      currency: row.currency.toLowerCase(),
      status: row.status,
      metadata: row.metadata,
      payment_method: row.paymentMethod,
      last_payment_error: row.lastError,
      next_action:
        row.status === 'requires_action'
          ? {
              type: 'authenticate',
              authenticate: {
                url: `/v1/test-provider/intents/${row.id}/authenticate`,
                token: this.#actionToken(row.id),
              },
            }
          : null,
    };
  }

  #snapshot(row: IntentRow): IntentSnapshot {
    const snapshot = normalizeEvent({
      id: 'snapshot',
      type: 'payment_intent.snapshot',
      created: 0,
      data: { object: this.#object(row) },
    });
    if (snapshot.kind !== 'intent') throw new Error('unreachable');
    return snapshot.intent;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
