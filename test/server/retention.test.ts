/**
 * Retention: one purge pass deletes finished notifications and webhook messages (with their attempts) past their
 * days, idempotency records past their replay window and expired rate-limit counters; it keeps everything recent,
 * everything still pending, and every audit row.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../../examples/server/db/index.js';
import { loadConfig } from '../../examples/server/config.js';
import { retentionSettings } from '../../examples/server/domain/retention.js';
import { databaseKinds } from '../support/db.js';
import { withApp } from '../support/app.js';

const DAY = 86_400_000;

for (const kind of databaseKinds) {
  describe(`retention (${kind})`, () => {
    it('purges what is finished and old; keeps what is recent, pending, and every audit row', () =>
      withApp(
        kind,
        async (t) => {
          const db = t.handle.db;
          const now = t.clock.now().getTime();
          const ago = (days: number) => new Date(now - days * DAY);
          const store = t.store.storeId;
          const endpoint = await t.call('POST', '/v1/webhook-endpoints', {
            key: t.store.secretKey,
            body: { url: 'http://127.0.0.1:9/hook' },
          });
          assert.equal(endpoint.status, 201);
          for (const [status, days] of [
            ['sent', 40],
            ['cancelled', 40],
            ['sent', 5],
            ['pending', 40],
          ] as const) {
            await db.execute(
              sql`insert into notifications (store_id, channel, template, status, sent_at, created_at, updated_at)
                  values (${store}, 'log', 'payment_receipt', ${status}, ${status === 'sent' ? ago(days) : null},
                          ${ago(days)}, ${ago(days)})`,
            );
          }
          const messages: Record<string, string> = {};
          for (const [label, status, days] of [
            ['old delivered', 'delivered', 40],
            ['old pending', 'pending', 40],
            ['new delivered', 'delivered', 5],
          ] as const) {
            const [row] = await rows<{ id: string }>(
              db,
              sql`insert into webhook_events (store_id, endpoint_id, type, payload, delivery_status, delivered_at,
                    last_attempt_at, created_at, updated_at)
                  values (${store}, ${endpoint.body.id}, 'reservation.created', '{}'::jsonb, ${status},
                          ${status === 'delivered' ? ago(days) : null}, ${ago(days)}, ${ago(days)}, ${ago(days)})
                  returning id`,
            );
            messages[label] = row!.id;
            await db.execute(
              sql`insert into webhook_attempts (store_id, delivery_id, attempt, attempted_at, status_code, duration_ms)
                  values (${store}, ${row!.id}, 1, ${ago(days)}, 500, 3)`,
            );
          }
          const idempotency = (key: string, at: Date) =>
            db.execute(
              sql`insert into idempotency_keys (scope, key, method, path, request_hash, response_status,
                    response_text, response_headers, created_at)
                  values ('k', ${key}, 'POST', '/v1/x', 'h', 200, '{}', '{}'::jsonb, ${at})`,
            );
          await idempotency('old', ago(2));
          await idempotency('new', new Date(now - 3_600_000));
          await db.execute(
            sql`insert into rate_limits (key, points, expire) values ('gone', 1, ${Date.now() - 1000}),
                ('live', 1, ${Date.now() + 600_000}), ('forever', 1, null)`,
          );
          const audit = async () =>
            (await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_logs`))[0]!.n;
          const auditBefore = await audit();
          assert.ok(auditBefore > 0);

          const purged = await t.dropslot.purge();
          assert.deepEqual(purged, {
            notifications: 2,
            webhookMessages: 1,
            webhookAttempts: 1,
            rateLimits: 1,
          });
          const left = async (q: ReturnType<typeof sql>) =>
            (await rows<{ v: string }>(db, q)).map((r) => r.v);
          assert.deepEqual(
            await left(sql`select status || ':' || extract(day from ${new Date(now)} - created_at)::int as v
                           from notifications order by 1`),
            ['pending:40', 'sent:5'],
          );
          assert.deepEqual(
            (await left(sql`select id::text as v from webhook_events`)).sort(),
            [messages['old pending']!, messages['new delivered']!].sort(),
          );
          assert.equal((await left(sql`select delivery_id::text as v from webhook_attempts`)).length, 2);
          assert.deepEqual(await left(sql`select key as v from idempotency_keys`), ['new']);
          assert.deepEqual(await left(sql`select key as v from rate_limits order by key`), [
            'forever',
            'live',
          ]);
          assert.equal(await audit(), auditBefore, 'audit rows are kept');
          assert.deepEqual(await t.dropslot.purge(), {
            notifications: 0,
            webhookMessages: 0,
            webhookAttempts: 0,
            rateLimits: 0,
          });
        },
        { webhooks: { allowPrivateUrls: true } },
      ));
  });
}

describe('retention settings', () => {
  it('come from the environment, with documented defaults', () => {
    assert.deepEqual(loadConfig({}).retention, {
      intervalMs: 3_600_000,
      notificationsDays: 30,
      webhookDays: 30,
    });
    assert.deepEqual(
      loadConfig({
        RETENTION_INTERVAL_SECONDS: '600',
        RETENTION_NOTIFICATIONS_DAYS: '7',
        RETENTION_WEBHOOK_DAYS: '90',
      }).retention,
      { intervalMs: 600_000, notificationsDays: 7, webhookDays: 90 },
    );
    assert.throws(() => loadConfig({ RETENTION_WEBHOOK_DAYS: '0' }));
    assert.throws(() => retentionSettings({ notificationsDays: -1 }));
  });
});
