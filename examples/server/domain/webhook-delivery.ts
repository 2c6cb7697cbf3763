/**
 * The webhook delivery worker. Messages are outbox rows (`webhook_events`) written by the `events` trigger in the
 * transaction of each change (migration 0007). A pass claims due rows with `FOR UPDATE SKIP LOCKED` and a lease (so
 * processes never send the same row at once, and a process killed mid-delivery leaves a row that another one takes
 * once the lease ran out), POSTs each with Standard Webhooks headers, and records the attempt:
 * 2xx delivered; 410 Gone disables the endpoint and stops its pending messages; anything else (3xx included: redirects
 * are never followed, timeouts, connection errors, refused addresses) is retried on {@link RETRY_SCHEDULE_MS} with
 * jitter, then failed. All times come from the injected clock.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { Agent, fetch as undiciFetch } from 'undici';
import { rows, schema, transaction, type Database } from '../db/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../services.js';
import { audit, systemActor } from './audit.js';
import { checkDestination, guardedLookup, systemResolver, type Resolver } from './webhook-url.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Delays before each retry after a failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h (each ±10 %
 * jitter). Ten attempts over about three days (71 h 35 min without jitter), then the message is `failed`.
 */
export const RETRY_SCHEDULE_MS = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  14 * HOUR,
  20 * HOUR,
  20 * HOUR,
] as const;

/** Jitter of a retry delay: the delay times a uniform factor in [1 − JITTER, 1 + JITTER]. */
export const RETRY_JITTER = 0.1;

/** How webhooks are checked and delivered. */
export interface WebhookSettings {
  /**
   * Development mode: receiver URLs may resolve to loopback, private and link-local addresses. Never in production.
   * @default false
   */
  allowPrivateUrls: boolean;
  /** Milliseconds one attempt may take (connect, headers and body) before it fails as a timeout. @default 10000 */
  timeoutMs: number;
  /** Milliseconds a claimed row stays leased to the worker that claimed it. @default 60000 (at least timeout + 30 s) */
  leaseMs: number;
  /** Rows claimed per pass. @default 50 */
  batchSize: number;
  /** Attempts in flight at once per pass. @default 8 */
  concurrency: number;
  /** Host name resolution, for delivery and URL checks. @default the system resolver */
  resolve: Resolver;
  /** Jitter source in [0, 1). @default Math.random */
  random: () => number;
}

export const defaultWebhookSettings: WebhookSettings = {
  allowPrivateUrls: false,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  batchSize: 50,
  concurrency: 8,
  resolve: systemResolver,
  random: Math.random,
};

export function webhookSettings(partial: Partial<WebhookSettings> = {}): WebhookSettings {
  const settings = { ...defaultWebhookSettings, ...partial };
  if (partial.leaseMs === undefined) settings.leaseMs = Math.max(60_000, settings.timeoutMs + 30_000);
  return settings;
}

/** The delay before retry number `retry` (0 for the first retry), jittered; undefined when retries are exhausted. */
export function retryDelay(retry: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_SCHEDULE_MS[retry];
  if (base === undefined) return undefined;
  return Math.round(base * (1 + (random() * 2 - 1) * RETRY_JITTER));
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the secret's base64-decoded bytes (Standard Webhooks). */
export function signMessage(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

interface Claimed {
  id: string;
  store_id: string;
  endpoint_id: string;
  message_id: string;
  payload: { type: string; timestamp: string; data: unknown };
  retry_count: number;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
}

interface Outcome {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The message body: the stored payload with its members in the Standard Webhooks order. */
export function messageBody(payload: { type: string; timestamp: string; data: unknown }): string {
  return JSON.stringify({ type: payload.type, timestamp: payload.timestamp, data: payload.data });
}

const MAX_RESPONSE_BYTES = 64 * 1024;

async function drain(body: AsyncIterable<Uint8Array> | null): Promise<void> {
  if (!body) return;
  let read = 0;
  // Leaving the loop early cancels the stream.
  for await (const chunk of body) {
    read += chunk.byteLength;
    if (read >= MAX_RESPONSE_BYTES) return;
  }
}

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return 'timeout';
  const cause = e?.cause;
  const text = cause?.message ?? e?.message ?? String(error);
  return (cause?.code ? `${cause.code}: ${text}` : text).slice(0, 500);
}

/** Delivers due webhook messages; one instance per process. */
export class WebhookDeliverer {
  readonly settings: WebhookSettings;
  readonly #agent: Agent;
  #stopping = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: Logger,
    settings: WebhookSettings,
  ) {
    this.settings = settings;
    this.#agent = new Agent({
      connect: {
        // Read at each connection, so the settings object stays the one source of truth.
        lookup: guardedLookup({
          get allowPrivate() {
            return settings.allowPrivateUrls;
          },
          resolve: (hostname) => settings.resolve(hostname),
        }),
      },
      keepAliveTimeout: 4_000,
    });
  }

  /** One pass: claims the due messages and attempts each once. Resolves to how many were attempted. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    const lease = randomUUID();
    const claimed = await rows<Claimed>(
      this.db,
      sql`with due as (
            select d.id from webhook_events d join webhook_endpoints e on e.id = d.endpoint_id
            where d.delivery_status = 'pending' and d.next_attempt_at <= ${now} and e.active
              and (d.locked_until is null or d.locked_until <= ${now})
            order by d.next_attempt_at, d.id
            limit ${this.settings.batchSize}
            for update of d skip locked)
          update webhook_events w
          set lease_token = ${lease}, locked_until = ${new Date(now.getTime() + this.settings.leaseMs)}
          from due, webhook_endpoints e
          where w.id = due.id and e.id = w.endpoint_id
          returning w.id, w.store_id, w.endpoint_id, w.message_id, w.payload, w.retry_count,
            e.url, e.secret, e.previous_secret, e.previous_secret_expires_at`,
    );
    let next = 0;
    const work = async () => {
      while (next < claimed.length && !this.#stopping) {
        const row = claimed[next++]!;
        try {
          await this.#attempt(row, lease);
        } catch (error) {
          this.log.error('webhook attempt failed to record', { deliveryId: row.id, error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, claimed.length) }, work));
    const untouched = claimed.slice(next).map((row) => row.id);
    if (untouched.length > 0) {
      // Stopping: the messages not attempted go back at once, not when their lease runs out.
      const w = schema.webhookEvents;
      await this.db
        .update(w)
        .set({ leaseToken: null, lockedUntil: null })
        .where(and(eq(w.leaseToken, lease), inArray(w.id, untouched)));
    }
    return next;
  }

  /** Stops taking claimed messages: a running pass finishes its attempts and gives the rest back. */
  stop(): void {
    this.#stopping = true;
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #send(row: Claimed, at: Date): Promise<Outcome> {
    const timestamp = Math.floor(at.getTime() / 1000);
    const body = messageBody(row.payload);
    const signatures = [signMessage(row.secret, row.message_id, timestamp, body)];
    const previousUntil = row.previous_secret_expires_at ? new Date(row.previous_secret_expires_at) : null;
    if (row.previous_secret && previousUntil && previousUntil > at) {
      signatures.push(signMessage(row.previous_secret, row.message_id, timestamp, body));
    }
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    try {
      // The URL was checked when saved; check again now (DNS may have changed). The connection's own lookup
      // re-checks the address it actually connects to.
      await checkDestination(row.url, {
        allowPrivate: this.settings.allowPrivateUrls,
        resolve: this.settings.resolve,
      });
      const response = await undiciFetch(row.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DropSlot-Webhooks/1',
          'webhook-id': row.message_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signatures.join(' '),
        },
        body,
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: this.#agent,
      });
      // Read (and discard) the body within the same timeout: a receiver that never finishes is a timeout too.
      // Only the first 64 KiB are read; the rest is not waited for.
      await drain(response.body);
      const ok = response.status >= 200 && response.status < 300;
      return {
        statusCode: response.status,
        error: ok
          ? null
          : response.status >= 300 && response.status < 400
            ? `redirect to ${response.headers.get('location') ?? '(no location)'} not followed`
            : `HTTP ${response.status}`,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      return {
        statusCode: null,
        error: controller.signal.aborted
          ? `timeout after ${this.settings.timeoutMs} ms`
          : describeError(error),
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async #attempt(row: Claimed, lease: string): Promise<void> {
    const at = this.clock.now();
    const outcome = await this.#send(row, at);
    const after = this.clock.now();
    await transaction(this.db, async (tx) => {
      const status = outcome.statusCode;
      let next: { status: string; nextAttemptAt: Date | null; retryCount: number };
      if (status !== null && status >= 200 && status < 300) {
        next = { status: 'delivered', nextAttemptAt: null, retryCount: row.retry_count };
      } else if (status === 410) {
        next = { status: 'disabled', nextAttemptAt: null, retryCount: row.retry_count };
      } else {
        const delay = retryDelay(row.retry_count, this.settings.random);
        next =
          delay === undefined
            ? { status: 'failed', nextAttemptAt: null, retryCount: row.retry_count + 1 }
            : {
                status: 'pending',
                nextAttemptAt: new Date(after.getTime() + delay),
                retryCount: row.retry_count + 1,
              };
      }
      const updated = await rows<{ id: string }>(
        tx,
        sql`update webhook_events set delivery_status = ${next.status}, next_attempt_at = ${next.nextAttemptAt},
              retry_count = ${next.retryCount}, lease_token = null, locked_until = null,
              last_attempt_at = ${at}, last_status_code = ${status}, last_error = ${outcome.error},
              delivered_at = ${next.status === 'delivered' ? at : null}, updated_at = ${after}
            where id = ${row.id} and lease_token = ${lease}
            returning id`,
      );
      // The lease ran out and another worker took the row: its attempt is the one on record.
      if (updated.length === 0) return;
      await tx.execute(
        sql`insert into webhook_attempts (store_id, delivery_id, attempt, attempted_at, status_code, error, duration_ms)
            select ${row.store_id}, ${row.id}, count(*) + 1, ${at}, ${status}, ${outcome.error}, ${outcome.durationMs}
            from webhook_attempts where delivery_id = ${row.id}`,
      );
      if (status === 410) {
        const reason = 'The receiver answered 410 Gone.';
        const disabled = await rows<{ id: string }>(
          tx,
          sql`update webhook_endpoints set active = false, disabled_at = ${after}, disabled_reason = ${reason},
                updated_at = ${after}
              where id = ${row.endpoint_id} and active returning id`,
        );
        await tx.execute(
          sql`update webhook_events set delivery_status = 'disabled', next_attempt_at = null, updated_at = ${after}
              where endpoint_id = ${row.endpoint_id} and delivery_status = 'pending'`,
        );
        if (disabled.length > 0) {
          await audit(
            tx,
            systemActor(row.store_id),
            'webhook_endpoint.disable',
            'webhook_endpoint',
            row.endpoint_id,
            { active: true },
            { active: false, disabledReason: reason },
            after,
          );
        }
      }
    });
  }
}
