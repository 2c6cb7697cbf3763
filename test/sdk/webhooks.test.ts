/**
 * `client.webhookEndpoints` and `client.auditLogs` send exactly the contract requests; `verifyWebhook` accepts what the
 * server signs and what the `standardwebhooks` package signs, and refuses tampered, unsigned and stale messages.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { Webhook } from 'standardwebhooks';
import {
  ValidationError,
  WebhookVerificationError,
  verifyWebhook,
  type AuditLog,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '../../src/index.js';
import { messageBody, signMessage } from '../../examples/server/domain/webhook-delivery.js';
import {
  BASE,
  SK,
  T,
  client,
  id,
  problem,
  problemHeaders,
  recordRequests,
  contractTests,
  type ContractCase,
  server,
  useServer,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const ids = { endpoint: id(), delivery: id(), attempt: id(), audit: id(), user: id(), key: id() };
const SECRET = `whsec_${Buffer.from('a'.repeat(32)).toString('base64')}`;

const endpoint: WebhookEndpoint = {
  id: ids.endpoint,
  url: 'https://shop.example.com/hooks',
  description: null,
  enabledEvents: ['*'],
  active: true,
  disabledReason: null,
  disabledAt: null,
  previousSecretExpiresAt: null,
  createdAt: T,
  updatedAt: T,
};
const delivery: WebhookDelivery = {
  id: ids.delivery,
  endpointId: ids.endpoint,
  messageId: 'msg_0123456789abcdef0123456789abcdef',
  eventId: id(),
  type: 'reservation.created',
  payload: { type: 'reservation.created', timestamp: T, data: { reservationId: id() } },
  status: 'delivered',
  nextAttemptAt: null,
  deliveredAt: T,
  lastStatusCode: 200,
  lastError: null,
  createdAt: T,
  attempts: [{ id: ids.attempt, attempt: 1, attemptedAt: T, statusCode: 200, error: null, durationMs: 12 }],
};
const auditRow: AuditLog = {
  id: ids.audit,
  action: 'webhook_endpoint.create',
  entity: 'webhook_endpoint',
  entityId: ids.endpoint,
  actor: { userId: null, keyId: ids.key },
  before: null,
  after: { url: endpoint.url },
  ip: '203.0.113.9',
  userAgent: 'curl/8',
  requestId: 'req_1',
  createdAt: T,
};

const cases: ContractCase[] = [
  {
    name: 'webhookEndpoints.create',
    method: 'POST',
    path: 'webhook-endpoints',
    body: { url: endpoint.url, enabledEvents: ['reservation.created'] },
    status: 201,
    response: { ...endpoint, secret: SECRET },
    call: (c) => c.webhookEndpoints.create({ url: endpoint.url, enabledEvents: ['reservation.created'] }),
  },
  {
    name: 'webhookEndpoints.list',
    method: 'GET',
    path: 'webhook-endpoints',
    query: { limit: '5' },
    response: { data: [endpoint], hasMore: false },
    call: (c) => c.webhookEndpoints.list({ limit: 5 }),
  },
  {
    name: 'webhookEndpoints.retrieve',
    method: 'GET',
    path: `webhook-endpoints/${ids.endpoint}`,
    response: endpoint,
    call: (c) => c.webhookEndpoints.retrieve(ids.endpoint),
  },
  {
    name: 'webhookEndpoints.update',
    method: 'PATCH',
    path: `webhook-endpoints/${ids.endpoint}`,
    body: { active: false, description: 'paused' },
    response: { ...endpoint, active: false, description: 'paused' },
    call: (c) => c.webhookEndpoints.update(ids.endpoint, { active: false, description: 'paused' }),
  },
  {
    name: 'webhookEndpoints.delete',
    method: 'DELETE',
    path: `webhook-endpoints/${ids.endpoint}`,
    response: { id: ids.endpoint, deleted: true },
    call: (c) => c.webhookEndpoints.delete(ids.endpoint),
  },
  {
    name: 'webhookEndpoints.rotateSecret (default overlap)',
    method: 'POST',
    path: `webhook-endpoints/${ids.endpoint}/rotate-secret`,
    body: {},
    response: { ...endpoint, previousSecretExpiresAt: T, secret: SECRET },
    call: (c) => c.webhookEndpoints.rotateSecret(ids.endpoint),
  },
  {
    name: 'webhookEndpoints.rotateSecret (1 h overlap)',
    method: 'POST',
    path: `webhook-endpoints/${ids.endpoint}/rotate-secret`,
    body: { expiresPreviousAfter: 3600 },
    response: { ...endpoint, previousSecretExpiresAt: T, secret: SECRET },
    call: (c) => c.webhookEndpoints.rotateSecret(ids.endpoint, { expiresPreviousAfter: 3600 }),
  },
  {
    name: 'webhookEndpoints.deliveries.list',
    method: 'GET',
    path: `webhook-endpoints/${ids.endpoint}/deliveries`,
    query: { status: 'failed' },
    response: { data: [delivery], hasMore: false },
    call: (c) => c.webhookEndpoints.deliveries.list(ids.endpoint, { status: 'failed' }),
  },
  {
    name: 'webhookEndpoints.deliveries.redeliver',
    method: 'POST',
    path: `webhook-endpoints/${ids.endpoint}/deliveries/${ids.delivery}/redeliver`,
    status: 202,
    response: { ...delivery, status: 'pending', nextAttemptAt: T },
    call: (c) => c.webhookEndpoints.deliveries.redeliver(ids.endpoint, ids.delivery),
  },
  {
    name: 'auditLogs.list',
    method: 'GET',
    path: 'audit-logs',
    query: { entity: 'webhook_endpoint', actorUserId: ids.user, from: T, limit: '10' },
    response: { data: [auditRow], hasMore: false },
    call: (c) => c.auditLogs.list({ entity: 'webhook_endpoint', actorUserId: ids.user, from: T, limit: 10 }),
  },
];

describe('client.webhookEndpoints and client.auditLogs send the contract request', () => {
  contractTests(cases, seen);

  test('for await walks every page of the audit trail with startingAfter', async () => {
    const second = { ...auditRow, id: id() };
    server.use(
      http.get(`${BASE}/v1/audit-logs`, ({ request }) => {
        const after = new URL(request.url).searchParams.get('startingAfter');
        return HttpResponse.json(
          after === null ? { data: [auditRow], hasMore: true } : { data: [second], hasMore: false },
        );
      }),
    );
    const rowsSeen: string[] = [];
    for await (const row of client({ secretKey: SK }).auditLogs.list({ entity: 'webhook_endpoint' })) {
      rowsSeen.push(row.id);
    }
    assert.deepEqual(rowsSeen, [auditRow.id, second.id]);
    assert.equal(seen[1]!.url.searchParams.get('startingAfter'), auditRow.id);
    assert.equal(seen[1]!.url.searchParams.get('entity'), 'webhook_endpoint');
  });

  test('a private receiver URL is a ValidationError url_not_allowed', async () => {
    server.use(
      http.post(`${BASE}/v1/webhook-endpoints`, () =>
        HttpResponse.json(problem(422, 'url_not_allowed'), { status: 422, headers: problemHeaders }),
      ),
    );
    const error = await client({ secretKey: SK })
      .webhookEndpoints.create({ url: 'http://10.0.0.1/' })
      .catch((e: unknown) => e);
    assert.ok(ValidationError.is(error));
    assert.equal(error.code, 'url_not_allowed');
    assert.equal(error.status, 422);
  });
});

describe('verifyWebhook', () => {
  const now = 1_900_000_000;
  const id1 = 'msg_2d1f0c7e9b8a4c3d';
  const body = messageBody({
    type: 'reservation.created',
    timestamp: T,
    data: { reservationId: ids.delivery },
  });
  const headers = (signature: string, timestamp = now, msgId = id1) => ({
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  });
  const at = { now: now * 1000 };

  test('accepts what the server signs: string or bytes body, Headers or a plain record', async () => {
    const signature = signMessage(SECRET, id1, now, body);
    const event = await verifyWebhook(SECRET, headers(signature), body, at);
    assert.equal(event.type, 'reservation.created');
    assert.deepEqual(event.data, { reservationId: ids.delivery });
    await verifyWebhook(SECRET, new Headers(headers(signature)), new TextEncoder().encode(body), at);
    await verifyWebhook(
      SECRET,
      { 'Webhook-Id': id1, 'Webhook-Timestamp': String(now), 'Webhook-Signature': signature },
      Buffer.from(body),
      at,
    );
  });

  test('accepts what the standardwebhooks package signs, and standardwebhooks accepts what the server signs', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const theirs = new Webhook(secret).sign(id1, new Date(now * 1000), body);
    assert.equal(theirs, signMessage(secret, id1, now, body));
    await verifyWebhook(secret, headers(theirs), body, at);
    const realNow = Date.now;
    Date.now = () => now * 1000;
    try {
      new Webhook(secret).verify(body, headers(signMessage(secret, id1, now, body)));
    } finally {
      Date.now = realNow;
    }
  });

  test('during a rotation: two signatures, either secret verifies; after it, only the new one', async () => {
    const fresh = `whsec_${randomBytes(32).toString('base64')}`;
    const both = `${signMessage(fresh, id1, now, body)} ${signMessage(SECRET, id1, now, body)}`;
    await verifyWebhook(fresh, headers(both), body, at);
    await verifyWebhook(SECRET, headers(both), body, at);
    await verifyWebhook([SECRET, fresh], headers(both), body, at);
    const onlyNew = signMessage(fresh, id1, now, body);
    await verifyWebhook([SECRET, fresh], headers(onlyNew), body, at);
    await assert.rejects(verifyWebhook(SECRET, headers(onlyNew), body, at), (e: unknown) => {
      assert.ok(WebhookVerificationError.is(e));
      assert.equal(e.reason, 'invalid_signature');
      return true;
    });
  });

  const refused: Array<[string, () => Promise<unknown>, string]> = [
    [
      'a tampered body',
      () =>
        verifyWebhook(
          SECRET,
          headers(signMessage(SECRET, id1, now, body)),
          body.replace('created', 'expired'),
          at,
        ),
      'invalid_signature',
    ],
    [
      'a tampered signature',
      () => {
        const sig = signMessage(SECRET, id1, now, body);
        const flipped = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
        return verifyWebhook(SECRET, headers(flipped), body, at);
      },
      'invalid_signature',
    ],
    [
      'another message id',
      () => verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now, body), now, 'msg_other'), body, at),
      'invalid_signature',
    ],
    [
      'a re-signed timestamp',
      () => verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now, body), now + 1), body, at),
      'invalid_signature',
    ],
    [
      'a wrong secret',
      () =>
        verifyWebhook(
          `whsec_${randomBytes(32).toString('base64')}`,
          headers(signMessage(SECRET, id1, now, body)),
          body,
          at,
        ),
      'invalid_signature',
    ],
    [
      'an unsupported signature version',
      () =>
        verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now, body).replace('v1,', 'v2,')), body, at),
      'invalid_signature',
    ],
    [
      'an old timestamp',
      () =>
        verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now - 301, body), now - 301), body, {
          ...at,
          toleranceSeconds: 300,
        }),
      'timestamp_too_old',
    ],
    [
      'a future timestamp',
      () => verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now + 600, body), now + 600), body, at),
      'timestamp_too_new',
    ],
    [
      'a timestamp that is not a number',
      () => verifyWebhook(SECRET, headers(signMessage(SECRET, id1, now, body), 'soon' as never), body, at),
      'invalid_timestamp',
    ],
    [
      'missing headers',
      () => verifyWebhook(SECRET, { 'webhook-id': id1, 'webhook-timestamp': String(now) }, body, at),
      'missing_header',
    ],
    [
      'a secret that is not base64',
      () => verifyWebhook('whsec_***', headers(signMessage(SECRET, id1, now, body)), body, at),
      'invalid_secret',
    ],
  ];
  for (const [name, run, reason] of refused) {
    test(`refuses ${name} (${reason})`, async () => {
      await assert.rejects(run(), (e: unknown) => {
        assert.ok(WebhookVerificationError.is(e), String(e));
        assert.ok(e instanceof Error);
        assert.equal(e.reason, reason);
        return true;
      });
    });
  }

  test('an old message verifies with a wider tolerance', async () => {
    const old = now - 3600;
    const sig = signMessage(SECRET, id1, old, body);
    await verifyWebhook(SECRET, headers(sig, old), body, { ...at, toleranceSeconds: 7200 });
  });
});
