/**
 * Retention: what the background worker deletes, and when. Each pass (every `intervalMs`, one hour by default, on
 * every process; deletes are idempotent so processes may overlap) removes:
 *
 * - idempotency records older than their 24 h replay window (`purgeIdempotencyKeys`);
 * - notifications that are finished (`sent`, `failed`, `cancelled`) and older than `notificationsDays`;
 * - webhook messages that are finished (`delivered`, `failed`, `disabled`) and older than `webhookDays`, with their
 *   delivery attempts (attempts of messages still pending are kept whatever their age);
 * - expired rate-limit counters (failed sign-in counts, locks), the only server-side session state: customer tokens
 *   are signed and stateless, so nothing else about a session is stored.
 *
 * Audit rows are never deleted (the table is append-only by trigger), nor are domain events, orders, payments or
 * anything a store's books need.
 */
import { sql } from 'drizzle-orm';
import { rows } from '../db/index.js';
import { purgeIdempotencyKeys } from '../http/idempotency.js';
import type { Services } from '../services.js';

export interface RetentionSettings {
  /** How often the worker purges. @default 3600000 (1 h) */
  intervalMs: number;
  /** Days a finished notification is kept. @default 30 */
  notificationsDays: number;
  /** Days a finished webhook message and its attempts are kept. @default 30 */
  webhookDays: number;
}

export const defaultRetention: RetentionSettings = {
  intervalMs: 3_600_000,
  notificationsDays: 30,
  webhookDays: 30,
};

export function retentionSettings(partial: Partial<RetentionSettings> = {}): RetentionSettings {
  const settings = { ...defaultRetention, ...partial };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`retention ${name} must be > 0, got ${value}`);
  }
  return settings;
}

export interface Purged {
  notifications: number;
  webhookMessages: number;
  webhookAttempts: number;
  rateLimits: number;
}

const DAY = 86_400_000;

/** One retention pass now; how many rows of each kind went. */
export async function purgeExpired(services: Services, settings: RetentionSettings): Promise<Purged> {
  const now = services.clock.now().getTime();
  await purgeIdempotencyKeys(services);
  const notificationsBefore = new Date(now - settings.notificationsDays * DAY);
  const [notifications] = await rows<{ n: number }>(
    services.db,
    sql`with gone as (delete from notifications where status in ('sent', 'failed', 'cancelled')
          and coalesce(sent_at, updated_at, created_at) < ${notificationsBefore} returning 1)
        select count(*)::int as n from gone`,
  );
  const webhooksBefore = new Date(now - settings.webhookDays * DAY);
  const [attempts] = await rows<{ n: number }>(
    services.db,
    sql`with gone as (delete from webhook_attempts a using webhook_events e
          where a.delivery_id = e.id and e.delivery_status in ('delivered', 'failed', 'disabled')
          and coalesce(e.delivered_at, e.last_attempt_at, e.updated_at) < ${webhooksBefore} returning 1)
        select count(*)::int as n from gone`,
  );
  const [messages] = await rows<{ n: number }>(
    services.db,
    sql`with gone as (delete from webhook_events where delivery_status in ('delivered', 'failed', 'disabled')
          and coalesce(delivered_at, last_attempt_at, updated_at) < ${webhooksBefore} returning 1)
        select count(*)::int as n from gone`,
  );
  // rate-limiter-flexible keeps `expire` in epoch ms (null: never expires); its own timer is off (one table, many
  // processes), so expired counters are removed here.
  const [limits] = await rows<{ n: number }>(
    services.db,
    sql`with gone as (delete from rate_limits where expire is not null and expire < ${Date.now()} returning 1)
        select count(*)::int as n from gone`,
  );
  return {
    notifications: notifications?.n ?? 0,
    webhookMessages: messages?.n ?? 0,
    webhookAttempts: attempts?.n ?? 0,
    rateLimits: limits?.n ?? 0,
  };
}
