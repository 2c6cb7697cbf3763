/**
 * `/metrics` on drop day: scraped during a burst of reserves, it shows the decisions made (by outcome), their latency,
 * the streams open on this process, the holds and waitlist entries active, rate-limit refusals; it answers only with
 * its token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseKinds } from '../support/db.js';
import { METRICS_TOKEN, withApp, type TestApp } from '../support/app.js';

/** The value of one sample of the text exposition (`name{labels} value`), 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function scrape(t: TestApp): Promise<string> {
  const response = await fetch(`${t.baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return response.text();
}

for (const kind of databaseKinds) {
  describe(`metrics on ${kind}`, () => {
    it('counts a burst of reserves by outcome, the streams open and the holds active; only with its token', () =>
      withApp(kind, async (t) => {
        const { dropId, slotIds } = await t.drop({ capacity: 3, slots: 2 });
        const streams = await Promise.all(
          [1, 2].map(async () => {
            const controller = new AbortController();
            const response = await fetch(`${t.baseUrl}/v1/drops/${dropId}/stream`, {
              headers: { authorization: `Bearer ${t.store.publishableKey}` },
              signal: controller.signal,
            });
            assert.equal(response.status, 200);
            return controller;
          }),
        );
        try {
          const customers = await Promise.all(Array.from({ length: 8 }, () => t.customer()));
          const replies = await Promise.all(
            customers.map((c) =>
              t.call('POST', '/v1/reservations', { token: c.token, body: { slotId: slotIds[0] } }),
            ),
          );
          assert.equal(replies.filter((r) => r.status === 201).length, 3);
          // A replay of the first key counts as a replay, not as a second hold.
          const keyed = await t.customer();
          const first = await t.call('POST', '/v1/reservations', {
            token: keyed.token,
            idempotencyKey: 'once',
            body: { slotId: slotIds[1] },
          });
          const again = await t.call('POST', '/v1/reservations', {
            token: keyed.token,
            idempotencyKey: 'once',
            body: { slotId: slotIds[1] },
          });
          assert.equal(first.status, 201);
          assert.equal(again.headers.get('idempotent-replayed'), 'true');

          const text = await scrape(t);
          assert.equal(sample(text, 'dropslot_reserve_decisions_total', 'outcome="held"'), 4);
          assert.equal(sample(text, 'dropslot_reserve_decisions_total', 'outcome="slot_full"'), 5);
          assert.equal(sample(text, 'dropslot_reserve_decisions_total', 'outcome="replayed"'), 1);
          assert.equal(sample(text, 'dropslot_reserve_decision_seconds_count', 'outcome="slot_full"'), 5);
          assert.equal(sample(text, 'dropslot_sse_subscribers'), 2);
          assert.equal(sample(text, 'dropslot_active', 'kind="holds"'), 4);
          assert.equal(sample(text, 'dropslot_active', 'kind="waitlist"'), 0);
          assert.ok(sample(text, 'dropslot_process_resident_memory_bytes') > 0, 'process metrics');
          if (kind === 'postgres')
            assert.ok(sample(text, 'dropslot_db_pool_connections', 'state="total"') >= 1);
        } finally {
          for (const controller of streams) controller.abort();
        }

        const refused = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong' } });
        assert.equal(refused.status, 401);
        assert.equal((await fetch(`${t.baseUrl}/metrics`)).status, 401);
      }));

    it('counts 429 refusals by route', () =>
      withApp(
        kind,
        async (t) => {
          const { slotIds } = await t.drop({ capacity: 50 });
          const alice = await t.customer();
          const statuses: number[] = [];
          for (let i = 0; i < 4; i++) {
            const reply = await t.call('POST', '/v1/reservations', {
              token: alice.token,
              body: { slotId: slotIds[0] },
            });
            statuses.push(reply.status);
          }
          assert.ok(statuses.includes(429), statuses.join(','));
          const text = await scrape(t);
          assert.equal(
            sample(text, 'dropslot_rate_limit_refusals_total', 'route="/v1/reservations"'),
            statuses.filter((s) => s === 429).length,
          );
          assert.equal(
            sample(text, 'dropslot_reserve_decisions_total', 'outcome="rate_limited"'),
            statuses.filter((s) => s === 429).length,
          );
        },
        {
          rateLimits: {
            reservePerCustomer: { points: 2, duration: 60 },
            reservePerIp: { points: 1000, duration: 60 },
            authPerIp: { points: 1000, duration: 60 },
            trustProxy: false,
          },
        },
      ));
  });
}
