/**
 * Outbound webhooks (Standard Webhooks): endpoints, the transactional outbox, signed delivery with retries on the
 * schedule, secret rotation, 410/redirect/timeout handling, the SSRF rule, and the audit-log API. Every delivery a
 * test receives is verified with the `standardwebhooks` package.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook } from '../../src/index.js';
import { rows, transaction } from '../../examples/server/db/index.js';
import { recordEvent } from '../../examples/server/domain/events.js';
import {
  RETRY_JITTER,
  RETRY_SCHEDULE_MS,
  retryDelay,
} from '../../examples/server/domain/webhook-delivery.js';
import { createStore, createUser } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { withApp, type TestApp } from '../support/app.js';
import { startReceiver, type Received, type Receiver } from '../support/receiver.js';

const DEV = { webhooks: { allowPrivateUrls: true, timeoutMs: 2_000 } };

/** Verifies a received message with `standardwebhooks`, at the message's own timestamp (the test clock is not now). */
function verify(secret: string, message: Received): unknown {
  const at = Number(message.headers['webhook-timestamp']) * 1000;
  const realNow = Date.now;
  Date.now = () => at;
  try {
    return new Webhook(secret).verify(message.body, message.headers as Record<string, string>);
  } finally {
    Date.now = realNow;
  }
}

async function createEndpoint(t: TestApp, body: Record<string, unknown>) {
  const reply = await t.call('POST', '/v1/webhook-endpoints', { key: t.store.secretKey, body });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as { id: string; secret: string; url: string };
}

async function deliveries(t: TestApp, endpointId: string, query = '') {
  const reply = await t.call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries${query}`, {
    key: t.store.secretKey,
  });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.data as any[];
}

async function count(t: TestApp, table: 'webhook_events' | 'webhook_endpoints' | 'audit_logs') {
  const [row] = await rows<{ n: number }>(t.handle.db, sql`select count(*)::int as n from ${sql.raw(table)}`);
  return row!.n;
}

async function reserve(t: TestApp, slotId: string) {
  const customer = await t.customer();
  const reply = await t.call('POST', '/v1/reservations', { token: customer.token, body: { slotId } });
  return { customer, reply };
}

async function withReceiver(fallback: number, body: (r: Receiver) => Promise<void>) {
  const receiver = await startReceiver(fallback);
  try {
    await body(receiver);
  } finally {
    await receiver.close();
  }
}

describe('webhook retry schedule', () => {
  it('retries 9 times over about three days, each delay within ±10 % jitter', () => {
    const total = RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0);
    assert.ok(total > 2.9 * 86_400_000 && total < 3.1 * 86_400_000, `${total / 3_600_000} h`);
    RETRY_SCHEDULE_MS.forEach((base, retry) => {
      assert.equal(
        retryDelay(retry, () => 0),
        Math.round(base * (1 - RETRY_JITTER)),
      );
      assert.equal(
        retryDelay(retry, () => 0.5),
        base,
      );
      assert.ok(retryDelay(retry, () => 0.999999)! <= base * (1 + RETRY_JITTER));
    });
    assert.equal(retryDelay(RETRY_SCHEDULE_MS.length), undefined);
  });
});

for (const kind of databaseKinds) {
  describe(`webhooks on ${kind}`, () => {
    it('manages endpoints: a whsec_ secret shown once, list pages, patch, delete, and clear 4xx for bad input', () =>
      withApp(
        kind,
        async (t) => {
          const created = await createEndpoint(t, {
            url: 'https://127.0.0.1:9/hooks',
            description: 'Order system',
            enabledEvents: ['reservation.created', 'reservation.created', 'rental.returned'],
          });
          assert.match(created.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
          assert.ok(Buffer.from(created.secret.slice(6), 'base64').length >= 24);
          assert.deepEqual((created as any).enabledEvents, ['rental.returned', 'reservation.created']);
          assert.equal((created as any).active, true);

          const got = await t.call('GET', `/v1/webhook-endpoints/${created.id}`, { key: t.store.secretKey });
          assert.equal(got.status, 200);
          assert.equal(got.body.secret, undefined, 'the secret is never shown again');
          assert.equal(got.body.description, 'Order system');

          t.clock.advance(1000);
          await createEndpoint(t, { url: 'http://127.0.0.1:9/b' });
          t.clock.advance(1000);
          await createEndpoint(t, { url: 'http://127.0.0.1:9/c' });
          const first = await t.call('GET', '/v1/webhook-endpoints?limit=2', { key: t.store.secretKey });
          assert.equal(first.body.data.length, 2);
          assert.equal(first.body.hasMore, true);
          assert.ok(first.body.data.every((e: Record<string, unknown>) => !('secret' in e)));
          const second = await t.call(
            'GET',
            `/v1/webhook-endpoints?limit=2&startingAfter=${first.body.data[1].id}`,
            { key: t.store.secretKey },
          );
          assert.equal(second.body.data.length, 1);
          assert.equal(second.body.hasMore, false);
          assert.equal(second.body.data[0].id, created.id);

          const patched = await t.call('PATCH', `/v1/webhook-endpoints/${created.id}`, {
            key: t.store.secretKey,
            body: { enabledEvents: ['*'], description: null, active: false },
          });
          assert.equal(patched.status, 200);
          assert.deepEqual(patched.body.enabledEvents, ['*']);
          assert.equal(patched.body.description, null);
          assert.equal(patched.body.active, false);

          const before = await t.fingerprint();
          const endpointsBefore = await count(t, 'webhook_endpoints');
          const bad = [
            await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: 'ftp://x.test/' },
            }),
            await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: 'not a url' },
            }),
            await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: 'https://user:pw@hooks.test/' },
            }),
            await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: 'https://hooks.test/', enabledEvents: ['DROP TABLE'] },
            }),
            await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: 'https://hooks.test/', secret: 'whsec_mine' },
            }),
            await t.call('PATCH', `/v1/webhook-endpoints/${created.id}`, {
              key: t.store.secretKey,
              body: { enabledEvents: [] },
            }),
            await t.call('POST', `/v1/webhook-endpoints/${created.id}/rotate-secret`, {
              key: t.store.secretKey,
              body: { expiresPreviousAfter: -1 },
            }),
          ];
          for (const reply of bad) {
            assert.equal(reply.status, 400, JSON.stringify(reply.body));
            assert.equal(reply.body.code, 'validation_failed');
            assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
          }
          const forbidden = await t.call('GET', '/v1/webhook-endpoints', {});
          assert.equal(forbidden.status, 403);
          const missing = await t.call('GET', '/v1/webhook-endpoints/00000000-0000-4000-8000-000000000000', {
            key: t.store.secretKey,
          });
          assert.equal(missing.status, 404);
          assert.deepEqual(await t.fingerprint(), before);
          assert.equal(await count(t, 'webhook_endpoints'), endpointsBefore);

          // Another store's secret key sees none of this store's endpoints.
          const other = await createStore(
            t.handle.db,
            { name: 'Other', slug: `other-${Date.now()}` },
            t.clock.now(),
          );
          for (const [method, path] of [
            ['GET', `/v1/webhook-endpoints/${created.id}`],
            ['PATCH', `/v1/webhook-endpoints/${created.id}`],
            ['DELETE', `/v1/webhook-endpoints/${created.id}`],
            ['POST', `/v1/webhook-endpoints/${created.id}/rotate-secret`],
            ['GET', `/v1/webhook-endpoints/${created.id}/deliveries`],
          ] as const) {
            const reply = await t.call(method, path, {
              key: other.secretKey,
              ...(method === 'PATCH' && { body: { description: 'x' } }),
            });
            assert.equal(reply.status, 404, `${method} ${path}`);
          }
          const otherList = await t.call('GET', '/v1/webhook-endpoints', { key: other.secretKey });
          assert.deepEqual(otherList.body.data, []);
          // And the database itself refuses a message of one store to another store's endpoint.
          await assert.rejects(
            t.handle.db.execute(
              sql`insert into webhook_events (store_id, endpoint_id, type, payload)
                  values (${other.storeId}, ${created.id}, 'reservation.created', '{}')`,
            ),
          );

          const deleted = await t.call('DELETE', `/v1/webhook-endpoints/${created.id}`, {
            key: t.store.secretKey,
          });
          assert.equal(deleted.status, 200);
          assert.deepEqual(deleted.body, { id: created.id, deleted: true });
          const gone = await t.call('GET', `/v1/webhook-endpoints/${created.id}`, { key: t.store.secretKey });
          assert.equal(gone.status, 404);
        },
        DEV,
      ));

    it('lets an owner manage endpoints with their token, not staff', () =>
      withApp(
        kind,
        async (t) => {
          for (const role of ['owner', 'staff'] as const) {
            const email = `${role}@hooks.example`;
            await createUser(
              t.handle.db,
              t.store.storeId,
              { email, password: 'pw-123456', roles: [role] },
              t.clock.now(),
            );
            const signIn = await t.call('POST', '/v1/customers/sign-in', {
              body: { email, password: 'pw-123456' },
            });
            assert.equal(signIn.status, 200);
            const reply = await t.call('POST', '/v1/webhook-endpoints', {
              token: signIn.body.token,
              body: { url: 'http://127.0.0.1:9/owner' },
            });
            assert.equal(reply.status, role === 'owner' ? 201 : 403, JSON.stringify(reply.body));
          }
        },
        DEV,
      ));

    it('writes one message per subscribed active endpoint in the transaction of the change; a refused request writes none', () =>
      withApp(
        kind,
        async (t) => {
          const all = await createEndpoint(t, { url: 'http://127.0.0.1:9/all' });
          const confirmedOnly = await createEndpoint(t, {
            url: 'http://127.0.0.1:9/confirmed',
            enabledEvents: ['reservation.confirmed'],
          });
          const inactive = await createEndpoint(t, { url: 'http://127.0.0.1:9/off', active: false });
          const { slotIds } = await t.drop({ capacity: 1 });

          // The single-statement reserve writes its event in SQL: the trigger on `events` still sees it.
          const { customer, reply } = await reserve(t, slotIds[0]!);
          assert.equal(reply.status, 201);
          const [message] = await deliveries(t, all.id);
          assert.equal(message.type, 'reservation.created');
          assert.equal(message.status, 'pending');
          assert.match(message.messageId, /^msg_[0-9a-f]{32}$/);
          assert.equal(message.payload.type, 'reservation.created');
          assert.equal(message.payload.timestamp, t.clock.now().toISOString());
          assert.equal(message.payload.data.reservationId, reply.body.id);
          assert.equal(message.payload.data.slotId, slotIds[0]);
          assert.deepEqual(message.attempts, []);
          assert.equal((await deliveries(t, confirmedOnly.id)).length, 0);
          assert.equal((await deliveries(t, inactive.id)).length, 0);

          // Slot full: the refused reserve changes nothing, so no message either.
          const messagesBefore = await count(t, 'webhook_events');
          const refused = await reserve(t, slotIds[0]!);
          assert.equal(refused.reply.status, 409);
          assert.equal(refused.reply.body.code, 'slot_full');
          assert.equal(await count(t, 'webhook_events'), messagesBefore);

          t.clock.advance(1000);
          const confirmed = await t.call('POST', `/v1/reservations/${reply.body.id}/confirm`, {
            token: customer.token,
          });
          assert.equal(confirmed.status, 200);
          const toConfirmed = await deliveries(t, confirmedOnly.id);
          assert.deepEqual(
            toConfirmed.map((d) => d.type),
            ['reservation.confirmed'],
          );
          assert.deepEqual(
            (await deliveries(t, all.id)).map((d) => d.type),
            ['reservation.confirmed', 'reservation.created'],
          );
          // One message id per event, shared by every endpoint it goes to.
          assert.equal(toConfirmed[0].messageId, (await deliveries(t, all.id))[0].messageId);

          // An event type this code has never heard of (payment.*, from recordEvent) reaches `*` subscribers...
          t.clock.advance(1000);
          await transaction(t.handle.db, (tx) =>
            recordEvent(tx, {
              storeId: t.store.storeId,
              type: 'payment.succeeded',
              at: t.clock.now(),
              data: { paymentId: 'p_1', amount: 500, currency: 'EUR', provider: 'test' },
            }),
          );
          assert.equal((await deliveries(t, all.id))[0].type, 'payment.succeeded');
          // ...and an event whose transaction rolls back leaves no message.
          const beforeRollback = await count(t, 'webhook_events');
          await assert.rejects(
            transaction(t.handle.db, async (tx) => {
              await recordEvent(tx, {
                storeId: t.store.storeId,
                type: 'payment.failed',
                at: t.clock.now(),
                data: {},
              });
              throw new Error('the change fails');
            }),
            /the change fails/,
          );
          assert.equal(await count(t, 'webhook_events'), beforeRollback);
        },
        DEV,
      ));

    it('signs every attempt (standardwebhooks verifies it); 500 three times then 200: delivered once, one webhook-id, retries on the schedule', () =>
      withApp(
        kind,
        (t) =>
          withReceiver(200, async (receiver) => {
            receiver.script.push(500, 500, 500);
            const endpoint = await createEndpoint(t, { url: `${receiver.url}/hook` });
            const { slotIds } = await t.drop();
            const { reply } = await reserve(t, slotIds[0]!);
            assert.equal(reply.status, 201);

            assert.equal(await t.dropslot.deliverWebhooks(), 1);
            for (let retry = 0; retry < 3; retry++) {
              const [message] = await deliveries(t, endpoint.id);
              assert.equal(message.status, 'pending');
              const lastAttempt = message.attempts.at(-1);
              assert.equal(lastAttempt.statusCode, 500);
              const delay = Date.parse(message.nextAttemptAt) - Date.parse(lastAttempt.attemptedAt);
              const base = RETRY_SCHEDULE_MS[retry]!;
              assert.ok(
                delay >= base * (1 - RETRY_JITTER) && delay <= base * (1 + RETRY_JITTER),
                `retry ${retry + 1} after ${delay} ms, schedule ${base} ms`,
              );
              // Not due yet: nothing is sent.
              t.clock.set(Date.parse(message.nextAttemptAt) - 1);
              assert.equal(await t.dropslot.deliverWebhooks(), 0);
              t.clock.set(Date.parse(message.nextAttemptAt));
              assert.equal(await t.dropslot.deliverWebhooks(), 1);
            }
            assert.equal(receiver.received.length, 4);
            const [message] = await deliveries(t, endpoint.id);
            assert.equal(message.status, 'delivered');
            assert.equal(message.nextAttemptAt, null);
            assert.deepEqual(
              message.attempts.map((a: { statusCode: number }) => a.statusCode),
              [500, 500, 500, 200],
            );
            assert.deepEqual(
              message.attempts.map((a: { attempt: number }) => a.attempt),
              [1, 2, 3, 4],
            );
            for (const attempt of message.attempts) assert.ok(Number.isInteger(attempt.durationMs));
            assert.equal(message.attempts[0].error, 'HTTP 500');
            assert.equal(message.attempts[3].error, null);

            const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
            assert.deepEqual([...ids], [message.messageId]);
            for (const [i, request] of receiver.received.entries()) {
              assert.equal(request.path, '/hook');
              assert.equal(request.headers['content-type'], 'application/json');
              assert.equal(
                Number(request.headers['webhook-timestamp']),
                Math.floor(Date.parse(message.attempts[i].attemptedAt) / 1000),
              );
              assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);
              const payload = verify(endpoint.secret, request) as Record<string, any>;
              // The SDK's helper accepts it too.
              const event = await verifyWebhook(endpoint.secret, request.headers, request.body, {
                now: Number(request.headers['webhook-timestamp']) * 1000,
              });
              assert.deepEqual(event, payload);
              assert.equal(payload.type, 'reservation.created');
              assert.equal(payload.data.reservationId, reply.body.id);
              assert.deepEqual(Object.keys(payload), ['type', 'timestamp', 'data']);
            }
            // A tampered body fails verification.
            assert.throws(() =>
              verify(endpoint.secret, {
                ...receiver.received[0]!,
                body: receiver.received[0]!.body.replace('created', 'cancelled'),
              }),
            );
            // Delivered: later passes send nothing.
            t.clock.advance(86_400_000);
            assert.equal(await t.dropslot.deliverWebhooks(), 0);
            assert.equal(receiver.received.length, 4);
          }),
        DEV,
      ));

    it('rotates the secret: both signatures verify during the overlap, only the new one after', () =>
      withApp(
        kind,
        (t) =>
          withReceiver(200, async (receiver) => {
            const endpoint = await createEndpoint(t, { url: `${receiver.url}/hook` });
            const rotated = await t.call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
              key: t.store.secretKey,
            });
            assert.equal(rotated.status, 200);
            const fresh = rotated.body.secret as string;
            assert.notEqual(fresh, endpoint.secret);
            assert.match(fresh, /^whsec_/);
            assert.equal(
              rotated.body.previousSecretExpiresAt,
              new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
            );

            const { slotIds } = await t.drop({ capacity: 5 });
            await reserve(t, slotIds[0]!);
            await t.dropslot.deliverWebhooks();
            const during = receiver.received[0]!;
            assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
            assert.equal((verify(fresh, during) as { type: string }).type, 'reservation.created');
            assert.equal((verify(endpoint.secret, during) as { type: string }).type, 'reservation.created');

            t.clock.advance(86_400_000 + 1000);
            const got = await t.call('GET', `/v1/webhook-endpoints/${endpoint.id}`, {
              key: t.store.secretKey,
            });
            assert.equal(got.body.previousSecretExpiresAt, null);
            await reserve(t, slotIds[0]!);
            await t.dropslot.deliverWebhooks();
            const afterOverlap = receiver.received[1]!;
            assert.equal(String(afterOverlap.headers['webhook-signature']).split(' ').length, 1);
            verify(fresh, afterOverlap);
            assert.throws(() => verify(endpoint.secret, afterOverlap), /No matching signature/);
            const sdkAt = { now: Number(afterOverlap.headers['webhook-timestamp']) * 1000 };
            await verifyWebhook([endpoint.secret, fresh], afterOverlap.headers, afterOverlap.body, sdkAt);
            await assert.rejects(
              verifyWebhook(endpoint.secret, afterOverlap.headers, afterOverlap.body, sdkAt),
              /No matching signature/,
            );

            // `expiresPreviousAfter: 0` drops the old secret at once.
            const again = await t.call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
              key: t.store.secretKey,
              body: { expiresPreviousAfter: 0 },
            });
            assert.equal(again.status, 200);
            await reserve(t, slotIds[0]!);
            await t.dropslot.deliverWebhooks();
            const third = receiver.received[2]!;
            verify(again.body.secret, third);
            assert.throws(() => verify(fresh, third), /No matching signature/);
          }),
        DEV,
      ));

    it('410 Gone disables the endpoint and stops its pending messages; re-enabled, a redelivery keeps the webhook-id', () =>
      withApp(
        kind,
        (t) =>
          withReceiver(410, async (receiver) => {
            const endpoint = await createEndpoint(t, { url: `${receiver.url}/gone` });
            const { slotIds } = await t.drop({ capacity: 5 });
            await reserve(t, slotIds[0]!);
            await reserve(t, slotIds[0]!);
            assert.equal(await t.dropslot.deliverWebhooks(), 1, 'batch of one');
            assert.equal(receiver.received.length, 1);

            const got = await t.call('GET', `/v1/webhook-endpoints/${endpoint.id}`, {
              key: t.store.secretKey,
            });
            assert.equal(got.body.active, false);
            assert.match(got.body.disabledReason, /410/);
            const log = await deliveries(t, endpoint.id);
            assert.deepEqual(
              log.map((d) => d.status),
              ['disabled', 'disabled'],
            );
            t.clock.advance(3_600_000);
            assert.equal(await t.dropslot.deliverWebhooks(), 0);
            // New events skip a disabled endpoint.
            await reserve(t, slotIds[0]!);
            assert.equal((await deliveries(t, endpoint.id)).length, 2);
            assert.equal(receiver.received.length, 1);

            // Redelivery needs an active endpoint.
            const gone = log.find((d) => d.attempts.length === 1)!;
            const refused = await t.call(
              'POST',
              `/v1/webhook-endpoints/${endpoint.id}/deliveries/${gone.id}/redeliver`,
              { key: t.store.secretKey },
            );
            assert.equal(refused.status, 409);
            const enabled = await t.call('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
              key: t.store.secretKey,
              body: { active: true },
            });
            assert.equal(enabled.body.active, true);
            assert.equal(enabled.body.disabledReason, null);
            receiver.fallback = 200;
            const queued = await t.call(
              'POST',
              `/v1/webhook-endpoints/${endpoint.id}/deliveries/${gone.id}/redeliver`,
              { key: t.store.secretKey },
            );
            assert.equal(queued.status, 202);
            assert.equal(queued.body.status, 'pending');
            assert.equal(await t.dropslot.deliverWebhooks(), 1);
            assert.equal(receiver.received.length, 2);
            assert.equal(
              receiver.received[1]!.headers['webhook-id'],
              receiver.received[0]!.headers['webhook-id'],
            );
            verify(endpoint.secret, receiver.received[1]!);
            const redelivered = (await deliveries(t, endpoint.id)).find((d) => d.id === gone.id);
            assert.equal(redelivered.status, 'delivered');
            assert.deepEqual(
              redelivered.attempts.map((a: { statusCode: number }) => a.statusCode),
              [410, 200],
            );
          }),
        { webhooks: { ...DEV.webhooks, batchSize: 1, concurrency: 1 } },
      ));

    it('does not follow a redirect (a failed attempt, retried), and times out a receiver that hangs', () =>
      withApp(
        kind,
        (t) =>
          withReceiver(200, async (elsewhere) =>
            withReceiver(200, async (receiver) => {
              const endpoint = await createEndpoint(t, { url: `${receiver.url}/hook` });
              receiver.script.push({ status: 302, headers: { location: `${elsewhere.url}/stolen` } }, 'hang');
              const { slotIds } = await t.drop();
              await reserve(t, slotIds[0]!);

              await t.dropslot.deliverWebhooks();
              assert.equal(elsewhere.received.length, 0, 'the redirect is not followed');
              let [message] = await deliveries(t, endpoint.id);
              assert.equal(message.status, 'pending');
              assert.equal(message.attempts[0].statusCode, 302);
              assert.match(message.attempts[0].error, /redirect .* not followed/);

              t.clock.set(Date.parse(message.nextAttemptAt));
              const started = performance.now();
              assert.equal(await t.dropslot.deliverWebhooks(), 1);
              const took = performance.now() - started;
              assert.ok(took >= 280 && took < 5_000, `the hanging attempt took ${took} ms`);
              [message] = await deliveries(t, endpoint.id);
              assert.equal(message.status, 'pending');
              assert.equal(message.attempts[1].statusCode, null);
              assert.match(message.attempts[1].error, /timeout after 300 ms/);
              assert.ok(message.attempts[1].durationMs >= 280);
              const delay = Date.parse(message.nextAttemptAt) - Date.parse(message.attempts[1].attemptedAt);
              assert.ok(delay >= RETRY_SCHEDULE_MS[1]! * 0.9 && delay <= RETRY_SCHEDULE_MS[1]! * 1.1);

              t.clock.set(Date.parse(message.nextAttemptAt));
              assert.equal(await t.dropslot.deliverWebhooks(), 1);
              [message] = await deliveries(t, endpoint.id);
              assert.equal(message.status, 'delivered');
              assert.equal(receiver.received.length, 3);
              for (const request of receiver.received) verify(endpoint.secret, request);
            }),
          ),
        { webhooks: { allowPrivateUrls: true, timeoutMs: 300 } },
      ));

    it('refuses receiver URLs on loopback, private, link-local and unique-local addresses outside development mode', () => {
      const dns: Record<string, string[]> = {
        'public.example.test': ['93.184.215.14'],
        'internal.example.test': ['10.1.2.3'],
        'mixed.example.test': ['93.184.215.14', '192.168.1.10'],
        'metadata.example.test': ['169.254.169.254'],
        'loopback6.example.test': ['::1'],
        'mapped.example.test': ['::ffff:127.0.0.1'],
        'ula.example.test': ['fd12:3456::1'],
        localhost: ['127.0.0.1', '::1'],
      };
      const resolve = async (host: string) => {
        const found = dns[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found;
      };
      return withApp(
        kind,
        async (t) => {
          const before = await t.fingerprint();
          const refused = [
            'http://127.0.0.1:8080/hook',
            'http://10.0.0.5/hook',
            'http://172.16.3.4/hook',
            'http://[::1]/hook',
            'http://169.254.169.254/latest/meta-data',
            'http://0.0.0.0/',
            'http://2130706433/',
            'https://localhost/hook',
            'https://internal.example.test/hook',
            'https://mixed.example.test/hook',
            'https://metadata.example.test/',
            'https://loopback6.example.test/',
            'https://mapped.example.test/',
            'https://ula.example.test/',
            'https://[fe80::1]/',
            'https://nowhere.example.test/',
          ];
          for (const url of refused) {
            const reply = await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url },
            });
            assert.equal(reply.status, 422, `${url}: ${JSON.stringify(reply.body)}`);
            assert.equal(reply.body.code, 'url_not_allowed');
            assert.ok(reply.body.detail.length > 10);
          }
          assert.equal(await count(t, 'webhook_endpoints'), 0);
          assert.deepEqual(await t.fingerprint(), before);

          // A public name is accepted; changing it to a private address is refused and changes nothing.
          const receiver = await startReceiver(200);
          try {
            const port = new URL(receiver.url).port;
            const endpoint = await createEndpoint(t, { url: `http://public.example.test:${port}/hook` });
            const patch = await t.call('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
              key: t.store.secretKey,
              body: { url: 'http://10.9.9.9/' },
            });
            assert.equal(patch.status, 422);
            const got = await t.call('GET', `/v1/webhook-endpoints/${endpoint.id}`, {
              key: t.store.secretKey,
            });
            assert.equal(got.body.url, `http://public.example.test:${port}/hook`);

            // DNS rebinding: the name now resolves to loopback; the delivery re-checks and never connects.
            dns['public.example.test'] = ['127.0.0.1'];
            const { slotIds } = await t.drop();
            await reserve(t, slotIds[0]!);
            assert.equal(await t.dropslot.deliverWebhooks(), 1);
            assert.equal(receiver.received.length, 0);
            const [message] = await deliveries(t, endpoint.id);
            assert.equal(message.status, 'pending');
            assert.equal(message.attempts[0].statusCode, null);
            assert.match(message.attempts[0].error, /127\.0\.0\.1.*public addresses only/);

            // Rebinding between the check and the connection: the connection's own lookup refuses the new address.
            let lookups = 0;
            dns['public.example.test'] = ['93.184.215.14'];
            const flip = t.dropslot.services.webhooks.resolve;
            t.dropslot.services.webhooks.resolve = async (host) => {
              lookups++;
              return lookups === 1 ? flip(host) : ['127.0.0.1'];
            };
            t.clock.set(Date.parse(message.nextAttemptAt));
            assert.equal(await t.dropslot.deliverWebhooks(), 1);
            assert.equal(lookups, 2, 'checked once, then resolved again by the connection');
            assert.equal(receiver.received.length, 0);
            const [after] = await deliveries(t, endpoint.id);
            assert.match(
              after.attempts[1].error,
              /resolves to 127\.0\.0\.1; webhooks go to public addresses only/,
            );
          } finally {
            await receiver.close();
          }
        },
        { webhooks: { allowPrivateUrls: false, resolve } },
      );
    });

    it('lists the audit trail with filters and cursor pages; rows are never changed', () =>
      withApp(
        kind,
        async (t) => {
          const endpoint = await createEndpoint(t, { url: 'http://127.0.0.1:9/a' });
          t.clock.advance(1000);
          const t1 = t.clock.now().toISOString();
          await t.call('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, {
            key: t.store.secretKey,
            body: { description: 'changed' },
          });
          t.clock.advance(1000);
          await t.call('POST', `/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {
            key: t.store.secretKey,
          });
          t.clock.advance(1000);
          const t3 = t.clock.now().toISOString();
          await t.call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`, { key: t.store.secretKey });
          const { slotIds } = await t.drop({ capacity: 5 });
          const { customer, reply } = await reserve(t, slotIds[0]!);
          const confirmed = await t.call('POST', `/v1/reservations/${reply.body.id}/confirm`, {
            token: customer.token,
          });
          assert.equal(confirmed.status, 200);

          const list = (query: string, key = t.store.secretKey) =>
            t.call('GET', `/v1/audit-logs${query}`, { key });
          const hooks = await list('?entity=webhook_endpoint');
          assert.equal(hooks.status, 200);
          assert.deepEqual(
            hooks.body.data.map((r: { action: string }) => r.action),
            [
              'webhook_endpoint.delete',
              'webhook_endpoint.rotate_secret',
              'webhook_endpoint.update',
              'webhook_endpoint.create',
            ],
          );
          const created = hooks.body.data[3];
          assert.equal(created.entityId, endpoint.id);
          assert.equal(created.actor.keyId !== null, true);
          assert.equal(created.before, null);
          assert.equal(created.after.url, 'http://127.0.0.1:9/a');
          assert.ok(!JSON.stringify(hooks.body).includes('whsec_'), 'no secret in the audit trail');
          assert.match(created.requestId, /./);

          const windowed = await list(`?entity=webhook_endpoint&from=${t1}&to=${t3}`);
          assert.deepEqual(
            windowed.body.data.map((r: { action: string }) => r.action),
            ['webhook_endpoint.rotate_secret', 'webhook_endpoint.update'],
          );
          const byAction = await list('?action=webhook_endpoint.update');
          assert.equal(byAction.body.data.length, 1);
          assert.deepEqual(byAction.body.data[0].after.description, 'changed');
          const byEntityId = await list(`?entityId=${reply.body.id}`);
          assert.ok(byEntityId.body.data.length >= 1);
          assert.ok(byEntityId.body.data.every((r: { entityId: string }) => r.entityId === reply.body.id));
          const byActor = await list(`?actorUserId=${customer.id}`);
          assert.ok(byActor.body.data.length >= 1);
          assert.ok(
            byActor.body.data.every((r: { actor: { userId: string } }) => r.actor.userId === customer.id),
          );

          // Cursor pages walk every row once, newest first.
          const seen: string[] = [];
          let cursor = '';
          for (;;) {
            const pageReply = await list(`?limit=2${cursor}`);
            seen.push(...pageReply.body.data.map((r: { id: string }) => r.id));
            if (!pageReply.body.hasMore) break;
            cursor = `&startingAfter=${pageReply.body.data.at(-1).id}`;
          }
          assert.equal(new Set(seen).size, seen.length);
          assert.equal(seen.length, (await list('?limit=100')).body.data.length);

          assert.equal((await list('', t.store.publishableKey)).status, 403);
          const badFrom = await list('?from=yesterday');
          assert.equal(badFrom.status, 400);
          assert.equal((await list(`?from=${t3}&to=${t1}`)).status, 400);
          assert.equal((await list('?actorUserId=nope')).status, 400);

          await assert.rejects(t.handle.db.execute(sql`update audit_logs set action = 'tampered'`));
          await assert.rejects(t.handle.db.execute(sql`delete from audit_logs`));
        },
        DEV,
      ));
  });
}
