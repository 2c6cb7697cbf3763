import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { Validator } from '@seriousme/openapi-schema-validator';
import { pgError, schema } from '../../examples/server/db/index.js';
import { hashKey } from '../../examples/server/http/auth.js';
import { createStore, type CreatedStore } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { withApp, type Call, type Reply, type TestApp } from '../support/app.js';

const MIN = 60_000;
const UNKNOWN_ID = '0b7c4c1e-5d2a-4f3b-9a8e-1c2d3e4f5a6b';

/** Asserts an RFC 9457 problem with a stable code whose `requestId` is the response's `X-Request-Id`. */
function assertProblem(reply: Reply, status: number, code: string, label = ''): void {
  const where = `${label} → ${reply.status} ${JSON.stringify(reply.body)}`;
  assert.equal(reply.status, status, where);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/, where);
  assert.equal(reply.body.code, code, where);
  assert.equal(reply.body.status, status, where);
  assert.equal(typeof reply.body.title, 'string', where);
  assert.equal(reply.body.type, `https://dropslot.dev/problems/${code.replaceAll('_', '-')}`, where);
  const requestId = reply.headers.get('x-request-id');
  assert.ok(requestId, where);
  assert.equal(reply.body.requestId, requestId, where);
}

interface BadCase {
  label: string;
  method: string;
  path: string;
  options?: Call;
  status: number;
  code: string;
  check?: (reply: Reply) => void;
}

/** Runs each case and checks that it left the database exactly as it was. */
async function expectRefusals(t: TestApp, cases: BadCase[]): Promise<void> {
  for (const c of cases) {
    const before = await t.fingerprint();
    const reply = await t.call(c.method, c.path, c.options);
    assertProblem(reply, c.status, c.code, c.label);
    c.check?.(reply);
    assert.deepEqual(await t.fingerprint(), before, `${c.label} changed the database`);
  }
}

/** A second store on the same database with a product, a drop, a slot, a customer and a reservation. */
async function otherStore(t: TestApp) {
  const store: CreatedStore = await createStore(
    t.handle.db,
    { name: 'Other store', slug: `other-${Math.random().toString(36).slice(2)}` },
    t.clock.now(),
  );
  const sk = { key: store.secretKey };
  const product = await t.call('POST', '/v1/products', {
    ...sk,
    body: { sku: 'OTHER-1', name: 'Other shoe', price: { amount: 5000, currency: 'EUR' } },
  });
  assert.equal(product.status, 201);
  const drop = await t.call('POST', '/v1/drops', {
    ...sk,
    body: {
      productId: product.body.id,
      name: 'Other drop',
      startsAt: new Date(t.clock.now().getTime() - MIN).toISOString(),
      endsAt: new Date(t.clock.now().getTime() + 60 * MIN).toISOString(),
    },
  });
  assert.equal(drop.status, 201);
  const slot = await t.call('POST', `/v1/drops/${drop.body.id}/slots`, {
    ...sk,
    body: {
      startsAt: new Date(t.clock.now().getTime() + 120 * MIN).toISOString(),
      endsAt: new Date(t.clock.now().getTime() + 180 * MIN).toISOString(),
      capacityTotal: 5,
    },
  });
  assert.equal(slot.status, 201);
  const session = await t.call('POST', '/v1/customer-sessions', { ...sk, body: { externalId: 'other-1' } });
  assert.equal(session.status, 201);
  const reservation = await t.call('POST', '/v1/reservations', {
    key: store.publishableKey,
    token: session.body.token,
    body: { slotId: slot.body.id },
  });
  assert.equal(reservation.status, 201);
  return {
    store,
    productId: product.body.id as string,
    dropId: drop.body.id as string,
    slotId: slot.body.id as string,
    reservationId: reservation.body.id as string,
    token: session.body.token as string,
  };
}

for (const kind of databaseKinds) {
  describe(`API edges on ${kind}`, () => {
    it('answers bad input with a problem and leaves the database unchanged', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 3 });
        const slotId = slotIds[0]!;
        const alice = await t.customer();
        const json = { 'content-type': 'application/json' };
        await expectRefusals(t, [
          {
            label: 'malformed JSON',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, rawBody: '{"slotId": ', headers: json },
            status: 400,
            code: 'malformed_json',
          },
          {
            label: 'wrong type',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId: 42 } },
            status: 400,
            code: 'validation_failed',
            check: (r) =>
              assert.deepEqual(
                r.body.errors.map((e: { path: string }) => e.path),
                ['body.slotId'],
              ),
          },
          {
            label: 'not a uuid',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId: 'slot-1' } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.slotId'),
          },
          {
            label: 'nested wrong type',
            method: 'POST',
            path: '/v1/products',
            options: {
              key: t.store.secretKey,
              body: { sku: 'NEST-1', name: 'Nested', price: { amount: '12.50', currency: 'EUR' } },
            },
            status: 400,
            code: 'validation_failed',
            check: (r) =>
              assert.ok(r.body.errors.some((e: { path: string }) => e.path === 'body.price.amount')),
          },
          {
            label: 'JSON null body',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, rawBody: 'null', headers: json },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'unknown extra field',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId, admin: true } },
            status: 400,
            code: 'validation_failed',
            check: (r) => {
              assert.equal(r.body.errors[0].code, 'unrecognized_keys');
              assert.match(r.body.errors[0].message, /admin/);
            },
          },
          {
            label: 'unknown field on a PATCH',
            method: 'PATCH',
            path: `/v1/slots/${slotId}`,
            options: { key: t.store.secretKey, body: { capacityTotal: 4, capacityReserved: 0 } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'wrong content type',
            method: 'POST',
            path: '/v1/reservations',
            options: {
              token: alice.token,
              rawBody: JSON.stringify({ slotId }),
              headers: { 'content-type': 'text/plain' },
            },
            status: 415,
            code: 'unsupported_media_type',
          },
          {
            label: 'form body',
            method: 'POST',
            path: '/v1/reservations',
            options: {
              token: alice.token,
              rawBody: `slotId=${slotId}`,
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            },
            status: 415,
            code: 'unsupported_media_type',
          },
          {
            label: 'missing body',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body'),
          },
          {
            label: 'body over 64 KiB',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId, customerNote: 'x'.repeat(70 * 1024) } },
            status: 413,
            code: 'payload_too_large',
          },
          {
            label: 'a long but allowed body is validated, not refused for size',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId, customerNote: 'x'.repeat(60 * 1024) } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.customerNote'),
          },
          {
            label: 'NUL character in a string',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId, customerNote: 'door\u0000code' } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.customerNote'),
          },
          {
            label: 'NUL character in a product name',
            method: 'POST',
            path: '/v1/products',
            options: {
              key: t.store.secretKey,
              body: { sku: 'NUL-1', name: 'Sneaker\u0000', price: { amount: 100, currency: 'EUR' } },
            },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.name'),
          },
          {
            label: 'a price beyond what can be stored',
            method: 'POST',
            path: '/v1/products',
            options: {
              key: t.store.secretKey,
              body: { sku: 'BIG-1', name: 'Gold shoe', price: { amount: 2 ** 40, currency: 'EUR' } },
            },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'a timestamp out of the database range (year 0)',
            method: 'PATCH',
            path: `/v1/slots/${slotId}`,
            options: { key: t.store.secretKey, body: { startsAt: '0000-01-01T00:00:00Z' } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'bad query',
            method: 'GET',
            path: '/v1/drops?limit=0',
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'query.limit'),
          },
          {
            label: 'unknown slot id in body',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId: UNKNOWN_ID } },
            status: 404,
            code: 'not_found',
          },
          {
            label: 'unknown drop',
            method: 'GET',
            path: `/v1/drops/${UNKNOWN_ID}`,
            status: 404,
            code: 'not_found',
          },
          {
            label: 'unknown slot',
            method: 'GET',
            path: `/v1/slots/${UNKNOWN_ID}`,
            status: 404,
            code: 'not_found',
          },
          {
            label: 'unknown product',
            method: 'GET',
            path: `/v1/products/${UNKNOWN_ID}`,
            status: 404,
            code: 'not_found',
          },
          {
            label: 'unknown reservation',
            method: 'POST',
            path: `/v1/reservations/${UNKNOWN_ID}/confirm`,
            options: { token: alice.token },
            status: 404,
            code: 'not_found',
          },
          {
            label: 'unknown waitlist entry',
            method: 'DELETE',
            path: `/v1/waitlist/${UNKNOWN_ID}`,
            options: { token: alice.token },
            status: 404,
            code: 'not_found',
          },
          {
            label: 'malformed drop id',
            method: 'GET',
            path: '/v1/drops/not-a-uuid',
            status: 404,
            code: 'not_found',
          },
          {
            label: 'malformed slot id on a PATCH',
            method: 'PATCH',
            path: "/v1/slots/1'%20or%201=1",
            options: { key: t.store.secretKey, body: { capacityTotal: 1 } },
            status: 404,
            code: 'not_found',
          },
          {
            label: 'malformed reservation id',
            method: 'POST',
            path: '/v1/reservations/12345/cancel',
            options: { token: alice.token },
            status: 404,
            code: 'not_found',
          },
          { label: 'unknown route', method: 'GET', path: '/v1/nothing-here', status: 404, code: 'not_found' },
          {
            label: 'bad Idempotency-Key',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: alice.token, body: { slotId }, idempotencyKey: 'k'.repeat(256) },
            status: 400,
            code: 'invalid_idempotency_key',
          },
        ]);
      }));

    it('answers 404 to another store’s ids', () =>
      withApp(kind, async (t) => {
        const other = await otherStore(t);
        const alice = await t.customer();
        const sk = { key: t.store.secretKey };
        const otherBefore = await t.call('GET', `/v1/reservations/${other.reservationId}`, {
          key: other.store.secretKey,
        });
        assert.equal(otherBefore.status, 200);
        await expectRefusals(
          t,
          [
            ['GET', `/v1/drops/${other.dropId}`, {}],
            ['GET', `/v1/drops/${other.dropId}`, sk],
            ['GET', `/v1/drops/${other.dropId}/slots`, {}],
            ['GET', `/v1/drops/${other.dropId}/stream`, {}],
            ['GET', `/v1/slots/${other.slotId}`, sk],
            ['GET', `/v1/products/${other.productId}`, sk],
            ['PATCH', `/v1/products/${other.productId}`, { ...sk, body: { name: 'Mine now' } }],
            ['PATCH', `/v1/drops/${other.dropId}`, { ...sk, body: { name: 'Mine now' } }],
            ['PATCH', `/v1/slots/${other.slotId}`, { ...sk, body: { capacityTotal: 50 } }],
            [
              'POST',
              `/v1/drops/${other.dropId}/slots`,
              {
                ...sk,
                body: {
                  startsAt: '2030-03-05T10:00:00.000Z',
                  endsAt: '2030-03-05T11:00:00.000Z',
                  capacityTotal: 1,
                },
              },
            ],
            [
              'POST',
              '/v1/drops',
              {
                ...sk,
                body: {
                  productId: other.productId,
                  name: 'Borrowed product',
                  startsAt: '2030-03-05T10:00:00.000Z',
                  endsAt: '2030-03-05T11:00:00.000Z',
                },
              },
            ],
            ['POST', '/v1/reservations', { token: alice.token, body: { slotId: other.slotId } }],
            ['POST', `/v1/slots/${other.slotId}/waitlist`, { token: alice.token }],
            ['GET', `/v1/reservations/${other.reservationId}`, sk],
            ['POST', `/v1/reservations/${other.reservationId}/confirm`, sk],
            ['POST', `/v1/reservations/${other.reservationId}/cancel`, sk],
          ].map(([method, path, options]) => ({
            label: `${method as string} ${path as string}`,
            method: method as string,
            path: path as string,
            options: options as Call,
            status: 404,
            code: 'not_found',
          })),
        );
        const listed = await t.call('GET', '/v1/drops', sk);
        assert.ok(!listed.body.data.some((d: { id: string }) => d.id === other.dropId));
        const reservations = await t.call('GET', '/v1/reservations', sk);
        assert.equal(reservations.body.data.length, 0);
        const otherAfter = await t.call('GET', `/v1/reservations/${other.reservationId}`, {
          key: other.store.secretKey,
        });
        assert.deepEqual(otherAfter.body, otherBefore.body);
      }));

    it('authenticates keys and customer tokens, and refuses the wrong kind of key', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop();
        const slotId = slotIds[0]!;
        const other = await otherStore(t);
        const product = { sku: 'AUTH-1', name: 'Shoe', price: { amount: 100, currency: 'EUR' } };
        const shortLived = await t.call('POST', '/v1/customer-sessions', {
          key: t.store.secretKey,
          body: { externalId: 'short', ttlSeconds: 60 },
        });
        assert.equal(shortLived.status, 201);
        assert.equal(
          (await t.call('GET', '/v1/customers/me', { token: shortLived.body.token })).status,
          200,
          'the token works while fresh',
        );
        await expectRefusals(t, [
          {
            label: 'no key',
            method: 'GET',
            path: '/v1/drops',
            options: { key: null },
            status: 401,
            code: 'unauthenticated',
            check: (r) => assert.equal(r.headers.get('www-authenticate'), 'Bearer'),
          },
          {
            label: 'malformed key',
            method: 'GET',
            path: '/v1/drops',
            options: { key: 'pk_nope' },
            status: 401,
            code: 'invalid_api_key',
          },
          {
            label: 'not a bearer',
            method: 'GET',
            path: '/v1/drops',
            options: { key: null, headers: { authorization: `Basic ${t.store.publishableKey}` } },
            status: 401,
            code: 'invalid_api_key',
          },
          {
            label: 'unknown well-formed key',
            method: 'GET',
            path: '/v1/drops',
            options: { key: `pk_test_${'A'.repeat(32)}` },
            status: 401,
            code: 'invalid_api_key',
          },
          {
            label: 'unknown well-formed secret key',
            method: 'POST',
            path: '/v1/products',
            options: { key: `sk_test_${'b'.repeat(32)}`, body: product },
            status: 401,
            code: 'invalid_api_key',
          },
          {
            label: 'publishable key creates a product',
            method: 'POST',
            path: '/v1/products',
            options: { body: product },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'publishable key creates a drop',
            method: 'POST',
            path: '/v1/drops',
            options: {
              body: {
                productId: UNKNOWN_ID,
                name: 'x',
                startsAt: '2030-03-05T10:00:00.000Z',
                endsAt: '2030-03-05T11:00:00.000Z',
              },
            },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'publishable key changes a slot',
            method: 'PATCH',
            path: `/v1/slots/${slotId}`,
            options: { body: { capacityTotal: 100 } },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'a customer changes a slot',
            method: 'PATCH',
            path: `/v1/slots/${slotId}`,
            options: { token: shortLived.body.token, body: { capacityTotal: 100 } },
            status: 403,
            code: 'forbidden',
          },
          {
            label: 'publishable key mints a customer session',
            method: 'POST',
            path: '/v1/customer-sessions',
            options: { body: { externalId: 'sneaky' } },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'secret key signs up',
            method: 'POST',
            path: '/v1/customers/sign-up',
            options: { key: t.store.secretKey, body: { email: 'sk@test.example', password: 'long-enough' } },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'secret key signs in',
            method: 'POST',
            path: '/v1/customers/sign-in',
            options: { key: t.store.secretKey, body: { email: 'sk@test.example', password: 'long-enough' } },
            status: 403,
            code: 'wrong_key_kind',
          },
          {
            label: 'garbage customer token',
            method: 'GET',
            path: '/v1/customers/me',
            options: { token: 'not-a-token' },
            status: 401,
            code: 'invalid_customer_token',
          },
          {
            label: 'forged customer token',
            method: 'POST',
            path: '/v1/reservations',
            options: {
              token:
                shortLived.body.token.slice(0, -4) +
                (shortLived.body.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'),
              body: { slotId },
            },
            status: 401,
            code: 'invalid_customer_token',
          },
          {
            label: 'another store’s customer token',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: other.token, body: { slotId } },
            status: 401,
            code: 'invalid_customer_token',
          },
          {
            label: 'no customer token',
            method: 'POST',
            path: '/v1/reservations',
            options: { body: { slotId } },
            status: 401,
            code: 'customer_token_required',
          },
          {
            label: 'no customer token on me',
            method: 'GET',
            path: '/v1/customers/me',
            status: 401,
            code: 'customer_token_required',
          },
        ]);

        t.clock.advance(61_000);
        await expectRefusals(t, [
          {
            label: 'expired customer token (verified before, so cached)',
            method: 'POST',
            path: '/v1/reservations',
            options: { token: shortLived.body.token, body: { slotId } },
            status: 401,
            code: 'invalid_customer_token',
          },
        ]);
      }));

    it('refuses revoked keys and origins a key does not allow', () =>
      withApp(kind, async (t) => {
        const keys = schema.apiKeys;
        const pk = t.store.publishableKey;
        assert.equal((await t.call('GET', '/v1/store')).status, 200);
        await t.handle.db
          .update(keys)
          .set({ allowedOrigins: ['https://shop.example'] })
          .where(eq(keys.keyHash, hashKey(pk)));
        t.dropslot.services.keys.clear();
        await expectRefusals(t, [
          {
            label: 'origin not allowed',
            method: 'GET',
            path: '/v1/drops',
            options: { headers: { origin: 'https://evil.example' } },
            status: 403,
            code: 'origin_not_allowed',
          },
          {
            label: 'origin that only starts like an allowed one',
            method: 'GET',
            path: '/v1/drops',
            options: { headers: { origin: 'https://shop.example.evil.example' } },
            status: 403,
            code: 'origin_not_allowed',
          },
        ]);
        const allowed = await t.call('GET', '/v1/drops', { headers: { origin: 'https://shop.example' } });
        assert.equal(allowed.status, 200);
        assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
        assert.equal((await t.call('GET', '/v1/drops')).status, 200, 'server-to-server calls send no Origin');
        // Secret keys are for servers: allowed origins do not apply to them.
        const sk = await t.call('GET', '/v1/drops', {
          key: t.store.secretKey,
          headers: { origin: 'https://evil.example' },
        });
        assert.equal(sk.status, 200);

        await t.handle.db
          .update(keys)
          .set({ revokedAt: t.clock.now() })
          .where(eq(keys.keyHash, hashKey(pk)));
        // Within the cache window the key still answers from the cache; clearing it stands in for waiting 10 s.
        t.dropslot.services.keys.clear();
        await expectRefusals(t, [
          {
            label: 'revoked publishable key',
            method: 'GET',
            path: '/v1/store',
            status: 401,
            code: 'invalid_api_key',
          },
        ]);
        await t.handle.db
          .update(keys)
          .set({ revokedAt: t.clock.now() })
          .where(eq(keys.keyHash, hashKey(t.store.secretKey)));
        t.dropslot.services.keys.clear();
        await expectRefusals(t, [
          {
            label: 'revoked secret key',
            method: 'POST',
            path: '/v1/customer-sessions',
            options: { key: t.store.secretKey, body: { externalId: 'after-revoke' } },
            status: 401,
            code: 'invalid_api_key',
          },
        ]);
      }));

    it('sends X-Request-Id on every response and echoes a valid incoming one', () =>
      withApp(kind, async (t) => {
        const { dropId } = await t.drop();
        const replies: [string, Reply][] = [
          ['time', await t.call('GET', '/v1/time', { key: null })],
          ['store', await t.call('GET', '/v1/store')],
          ['401', await t.call('GET', '/v1/store', { key: null })],
          ['404 route', await t.call('GET', '/v1/nope')],
          ['404 id', await t.call('GET', '/v1/drops/nope')],
          [
            '415',
            await t.call('POST', '/v1/customers/sign-in', {
              rawBody: 'x',
              headers: { 'content-type': 'text/plain' },
            }),
          ],
          ['413', await t.call('POST', '/v1/customers/sign-in', { body: { email: 'x'.repeat(70_000) } })],
          [
            'preflight',
            await t.call('OPTIONS', '/v1/drops', { key: null, headers: { origin: 'https://a.example' } }),
          ],
          ['healthz', await t.call('GET', '/healthz', { key: null })],
          ['openapi', await t.call('GET', '/openapi.json', { key: null })],
          ['docs', await t.call('GET', '/docs', { key: null })],
        ];
        const seen = new Set<string>();
        for (const [label, reply] of replies) {
          const id = reply.headers.get('x-request-id');
          assert.match(id ?? '', /^req_[0-9a-f]{32}$/, label);
          seen.add(id!);
        }
        assert.equal(seen.size, replies.length, 'request ids are unique');
        const stream = await fetch(`${t.baseUrl}/v1/drops/${dropId}/stream`, {
          headers: { authorization: `Bearer ${t.store.publishableKey}` },
        });
        assert.match(stream.headers.get('x-request-id') ?? '', /^req_[0-9a-f]{32}$/);
        await stream.body!.cancel();

        const given = 'trace-abc.123:XYZ_9';
        const echoed = await t.call('GET', '/v1/store', { headers: { 'x-request-id': given } });
        assert.equal(echoed.headers.get('x-request-id'), given);
        const problem = await t.call('GET', '/v1/drops/nope', { headers: { 'x-request-id': given } });
        assert.equal(problem.headers.get('x-request-id'), given);
        assert.equal(problem.body.requestId, given);
        for (const bad of ['short', 'has spaces in it', 'x'.repeat(200), 'inject\u00e9header']) {
          const reply = await t.call('GET', '/v1/store', { headers: { 'x-request-id': encodeURI(bad) } });
          assert.match(reply.headers.get('x-request-id')!, /^req_[0-9a-f]{32}$/, bad);
        }
      }));

    it('answers CORS preflights with the exact origin, and error responses carry CORS headers too', () =>
      withApp(kind, async (t) => {
        const origin = 'https://shop.example';
        const preflight = await t.call('OPTIONS', '/v1/reservations', {
          key: null,
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers':
              'authorization, content-type, x-customer-token, idempotency-key',
          },
        });
        assert.equal(preflight.status, 204);
        assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
        assert.match(preflight.headers.get('vary') ?? '', /\bOrigin\b/);
        assert.notEqual(preflight.headers.get('access-control-allow-origin'), '*');
        assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
        assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /\bDELETE\b/);
        const allowHeaders = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase();
        for (const h of ['authorization', 'content-type', 'x-customer-token', 'idempotency-key']) {
          assert.ok(allowHeaders.includes(h), h);
        }
        const simple = await t.call('GET', '/v1/drops', { headers: { origin } });
        assert.equal(simple.headers.get('access-control-allow-origin'), origin);
        assert.match(simple.headers.get('vary') ?? '', /\bOrigin\b/);
        assert.match(simple.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);

        // A widget must be able to read a refusal (slot_full, customer_token_required, …): errors carry CORS too.
        const { slotIds } = await t.drop({ capacity: 1 });
        const alice = await t.customer();
        const bob = await t.customer();
        await t.call('POST', '/v1/reservations', { token: alice.token, body: { slotId: slotIds[0] } });
        const refusals = [
          await t.call('POST', '/v1/reservations', {
            token: bob.token,
            body: { slotId: slotIds[0] },
            headers: { origin },
          }),
          await t.call('POST', '/v1/reservations', { body: { slotId: slotIds[0] }, headers: { origin } }),
          await t.call('GET', '/v1/drops/nope', { headers: { origin } }),
          await t.call('GET', '/v1/nope', { headers: { origin } }),
          await t.call('POST', '/v1/customers/sign-in', {
            body: { email: 'x'.repeat(70_000) },
            headers: { origin },
          }),
        ];
        assert.deepEqual(
          refusals.map((r) => r.status),
          [409, 401, 404, 404, 413],
        );
        for (const reply of refusals) {
          assert.equal(reply.headers.get('access-control-allow-origin'), origin, JSON.stringify(reply.body));
          assert.match(reply.headers.get('vary') ?? '', /\bOrigin\b/);
          assert.match(reply.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/);
        }
        const noOrigin = await t.call('GET', '/v1/drops/nope');
        assert.equal(noOrigin.headers.get('access-control-allow-origin'), null);
      }));

    it('serves the store, and creates, lists, retrieves and updates products', () =>
      withApp(kind, async (t) => {
        await t.handle.db.insert(schema.branches).values({
          storeId: t.store.storeId,
          name: 'Mitte',
          address: 'Torstraße 1, Berlin',
          lat: 52.53,
          lng: 13.4,
          timeZone: 'Europe/Berlin',
          openingHours: { mon: ['10:00-20:00'] },
        });
        const store = await t.call('GET', '/v1/store');
        assert.equal(store.status, 200);
        assert.equal(store.body.id, t.store.storeId);
        assert.equal(store.body.currency, 'EUR');
        assert.equal(store.body.branches.length, 1);
        assert.equal(store.body.branches[0].name, 'Mitte');
        assert.equal(store.body.branches[0].timeZone, 'Europe/Berlin');
        assert.deepEqual(store.body.branches[0].openingHours, { mon: ['10:00-20:00'] });
        const other = await otherStore(t);
        assert.equal(
          (await t.call('GET', '/v1/store', { key: other.store.publishableKey })).body.branches.length,
          0,
          'branches are per store',
        );

        const sk = { key: t.store.secretKey };
        const created = await t.call('POST', '/v1/products', {
          ...sk,
          body: {
            sku: 'RUN-1',
            name: '  Runner  ',
            description: 'Fast',
            images: ['https://cdn.example/run.png'],
            price: { amount: 12900, currency: 'EUR' },
          },
        });
        assert.equal(created.status, 201);
        assert.equal(created.body.name, 'Runner');
        assert.deepEqual(created.body.price, { amount: 12900, currency: 'EUR' });
        assert.equal(created.body.isActive, true);
        assert.equal(created.body.storeId, t.store.storeId);
        assert.equal(created.body.createdAt, t.clock.now().toISOString());
        const id: string = created.body.id;

        const got = await t.call('GET', `/v1/products/${id}`);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, created.body);
        const listed = await t.call('GET', '/v1/products');
        assert.deepEqual(
          listed.body.data.map((p: { id: string }) => p.id),
          [id],
        );
        assert.equal(listed.body.hasMore, false);

        t.clock.advance(MIN);
        const patched = await t.call('PATCH', `/v1/products/${id}`, {
          ...sk,
          body: { name: 'Runner II', price: { amount: 13900, currency: 'EUR' }, description: null },
        });
        assert.equal(patched.status, 200);
        assert.equal(patched.body.name, 'Runner II');
        assert.equal(patched.body.price.amount, 13900);
        assert.equal(patched.body.description, null);
        assert.equal(patched.body.sku, 'RUN-1');
        assert.equal(patched.body.updatedAt, t.clock.now().toISOString());
        assert.equal(patched.body.createdAt, created.body.createdAt);
        assert.equal((await t.call('GET', `/v1/products/${id}`)).body.name, 'Runner II');

        const second = await t.call('POST', '/v1/products', {
          ...sk,
          body: { sku: 'RUN-2', name: 'Runner 2', price: { amount: 100, currency: 'EUR' } },
        });
        assert.equal(second.status, 201);
        await expectRefusals(t, [
          {
            label: 'duplicate SKU',
            method: 'POST',
            path: '/v1/products',
            options: { ...sk, body: { sku: 'RUN-1', name: 'Copy', price: { amount: 1, currency: 'EUR' } } },
            status: 409,
            code: 'conflict',
          },
          {
            label: 'PATCH to a taken SKU',
            method: 'PATCH',
            path: `/v1/products/${second.body.id}`,
            options: { ...sk, body: { sku: 'RUN-1' } },
            status: 409,
            code: 'conflict',
          },
          {
            label: 'wrong currency',
            method: 'POST',
            path: '/v1/products',
            options: { ...sk, body: { sku: 'USD-1', name: 'Dollar', price: { amount: 1, currency: 'USD' } } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.price.currency'),
          },
          {
            label: 'PATCH to a wrong currency',
            method: 'PATCH',
            path: `/v1/products/${id}`,
            options: { ...sk, body: { price: { amount: 1, currency: 'USD' } } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'lower-case currency',
            method: 'POST',
            path: '/v1/products',
            options: { ...sk, body: { sku: 'EUR-1', name: 'Euro', price: { amount: 1, currency: 'eur' } } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'negative price',
            method: 'POST',
            path: '/v1/products',
            options: { ...sk, body: { sku: 'NEG-1', name: 'Neg', price: { amount: -1, currency: 'EUR' } } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'fractional price',
            method: 'POST',
            path: '/v1/products',
            options: {
              ...sk,
              body: { sku: 'FRC-1', name: 'Frac', price: { amount: 9.99, currency: 'EUR' } },
            },
            status: 400,
            code: 'validation_failed',
          },
        ]);
        // The same SKU in another store is fine.
        const elsewhere = await t.call('POST', '/v1/products', {
          key: other.store.secretKey,
          body: { sku: 'RUN-1', name: 'Their runner', price: { amount: 1, currency: 'EUR' } },
        });
        assert.equal(elsewhere.status, 201);

        // Lists are oldest first; products made at the same instant would tie-break by id.
        t.clock.advance(MIN);
        const hidden = await t.call('POST', '/v1/products', {
          ...sk,
          body: { sku: 'OLD-1', name: 'Retired', price: { amount: 1, currency: 'EUR' }, isActive: false },
        });
        assert.equal(hidden.status, 201);
        assert.equal(hidden.body.isActive, false);
        const ids = (r: Reply) => r.body.data.map((p: { id: string }) => p.id);
        assert.deepEqual(ids(await t.call('GET', '/v1/products')), [id, second.body.id]);
        assertProblem(await t.call('GET', `/v1/products/${hidden.body.id}`), 404, 'not_found');
        assert.deepEqual(ids(await t.call('GET', '/v1/products', sk)), [id, second.body.id, hidden.body.id]);
        assert.deepEqual(ids(await t.call('GET', '/v1/products?active=false', sk)), [hidden.body.id]);
        assert.deepEqual(ids(await t.call('GET', '/v1/products?active=true', sk)), [id, second.body.id]);
        assert.deepEqual(
          ids(await t.call('GET', '/v1/products?active=false')),
          [id, second.body.id],
          'a publishable key cannot ask for inactive products',
        );
        assert.equal((await t.call('GET', `/v1/products/${hidden.body.id}`, sk)).status, 200);
        await t.call('PATCH', `/v1/products/${id}`, { ...sk, body: { isActive: false } });
        assert.deepEqual(ids(await t.call('GET', '/v1/products')), [second.body.id]);
        const page1 = await t.call('GET', '/v1/products?limit=2', sk);
        assert.equal(page1.body.hasMore, true);
        const page2 = await t.call('GET', `/v1/products?limit=2&startingAfter=${ids(page1).at(-1)}`, sk);
        assert.equal(page2.body.hasMore, false);
        assert.deepEqual([...ids(page1), ...ids(page2)], [id, second.body.id, hidden.body.id]);
      }));

    it('creates and updates drops; drafts exist only for the secret key; phase follows server time', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const product = await t.call('POST', '/v1/products', {
          ...sk,
          body: { sku: 'DRP-1', name: 'Drop shoe', price: { amount: 100, currency: 'EUR' } },
        });
        const startsAt = new Date(t.clock.now().getTime() + 10 * MIN);
        const endsAt = new Date(startsAt.getTime() + 60 * MIN);
        const draft = await t.call('POST', '/v1/drops', {
          ...sk,
          body: {
            productId: product.body.id,
            name: 'Secret drop',
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
            status: 'draft',
            reservationRule: { holdTtlSeconds: 120 },
          },
        });
        assert.equal(draft.status, 201);
        assert.equal(draft.body.status, 'draft');
        assert.equal(draft.body.phase, 'upcoming');
        assert.deepEqual(draft.body.reservationRule, {
          holdTtlSeconds: 120,
          claimTtlSeconds: 900,
          maxPerCustomer: 1,
        });
        assert.equal(draft.body.capacityTotal, 0);
        const dropId: string = draft.body.id;
        const slot = await t.call('POST', `/v1/drops/${dropId}/slots`, {
          ...sk,
          body: {
            startsAt: endsAt.toISOString(),
            endsAt: new Date(endsAt.getTime() + MIN).toISOString(),
            capacityTotal: 4,
          },
        });
        assert.equal(slot.status, 201);

        assertProblem(await t.call('GET', `/v1/drops/${dropId}`), 404, 'not_found');
        assertProblem(await t.call('GET', `/v1/drops/${dropId}/slots`), 404, 'not_found');
        assertProblem(await t.call('GET', `/v1/slots/${slot.body.id}`), 404, 'not_found');
        assertProblem(await t.call('GET', `/v1/drops/${dropId}/stream`), 404, 'not_found');
        assert.equal((await t.call('GET', '/v1/drops')).body.data.length, 0);
        const asOwner = await t.call('GET', `/v1/drops/${dropId}`, sk);
        assert.equal(asOwner.status, 200);
        assert.equal(asOwner.body.capacityTotal, 4);
        assert.equal(asOwner.body.capacityRemaining, 4);
        assert.equal((await t.call('GET', '/v1/drops', sk)).body.data.length, 1);

        t.clock.advance(MIN);
        const published = await t.call('PATCH', `/v1/drops/${dropId}`, {
          ...sk,
          body: { status: 'published', name: 'Public drop', reservationRule: { maxPerCustomer: 2 } },
        });
        assert.equal(published.status, 200);
        assert.equal(published.body.name, 'Public drop');
        assert.equal(published.body.updatedAt, t.clock.now().toISOString());
        assert.deepEqual(published.body.reservationRule, {
          holdTtlSeconds: 120,
          claimTtlSeconds: 900,
          maxPerCustomer: 2,
        });
        assert.equal(published.body.capacityTotal, 4);
        const seen = await t.call('GET', `/v1/drops/${dropId}`);
        assert.equal(seen.status, 200);
        assert.equal(seen.body.phase, 'upcoming');
        assert.equal((await t.call('GET', `/v1/drops/${dropId}/slots`)).body.data.length, 1);

        await expectRefusals(t, [
          {
            label: 'end before start on create',
            method: 'POST',
            path: '/v1/drops',
            options: {
              ...sk,
              body: {
                productId: product.body.id,
                name: 'Backwards',
                startsAt: endsAt.toISOString(),
                endsAt: startsAt.toISOString(),
              },
            },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.endsAt'),
          },
          {
            label: 'end before start on PATCH',
            method: 'PATCH',
            path: `/v1/drops/${dropId}`,
            options: { ...sk, body: { endsAt: startsAt.toISOString() } },
            status: 400,
            code: 'validation_failed',
          },
          {
            label: 'unknown product',
            method: 'POST',
            path: '/v1/drops',
            options: {
              ...sk,
              body: {
                productId: UNKNOWN_ID,
                name: 'Nothing',
                startsAt: startsAt.toISOString(),
                endsAt: endsAt.toISOString(),
              },
            },
            status: 404,
            code: 'not_found',
          },
          {
            label: 'timestamp with an offset',
            method: 'PATCH',
            path: `/v1/drops/${dropId}`,
            options: { ...sk, body: { startsAt: '2030-03-01T10:00:00+01:00' } },
            status: 400,
            code: 'validation_failed',
          },
        ]);

        const phase = async () => (await t.call('GET', `/v1/drops/${dropId}`)).body.phase;
        const inPhase = async (p: string) =>
          (await t.call('GET', `/v1/drops?phase=${p}`)).body.data.map((d: { id: string }) => d.id);
        assert.deepEqual(await inPhase('upcoming'), [dropId]);
        t.clock.set(startsAt.getTime() - 1);
        assert.equal(await phase(), 'upcoming');
        t.clock.set(startsAt);
        assert.equal(await phase(), 'live');
        assert.deepEqual(await inPhase('live'), [dropId]);
        assert.deepEqual(await inPhase('upcoming'), []);
        t.clock.set(endsAt.getTime() - 1);
        assert.equal(await phase(), 'live');
        t.clock.set(endsAt);
        assert.equal(await phase(), 'ended');
        assert.deepEqual(await inPhase('ended'), [dropId]);
        assert.deepEqual(await inPhase('live'), []);
      }));

    it('pages through drops with a cursor, each drop once', () =>
      withApp(kind, async (t) => {
        const base = t.clock.now().getTime();
        const made: string[] = [];
        // Two drops share a start time: the cursor must break the tie by id.
        for (const offset of [40, 10, 20, 20, 30]) {
          made.push((await t.drop({ startsAt: new Date(base + offset * MIN) })).dropId);
        }
        const all = await t.call('GET', '/v1/drops?limit=100');
        const expected = all.body.data.map((d: { id: string }) => d.id);
        assert.equal(expected.length, 5);
        assert.deepEqual([...expected].sort(), [...made].sort());
        const starts = all.body.data.map((d: { startsAt: string }) => d.startsAt);
        assert.deepEqual(starts, [...starts].sort());

        const pages: { ids: string[]; hasMore: boolean }[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 5; i++) {
          const reply = await t.call('GET', `/v1/drops?limit=2${cursor ? `&startingAfter=${cursor}` : ''}`);
          assert.equal(reply.status, 200);
          const ids = reply.body.data.map((d: { id: string }) => d.id);
          pages.push({ ids, hasMore: reply.body.hasMore });
          if (!reply.body.hasMore) break;
          cursor = ids.at(-1);
        }
        assert.deepEqual(
          pages.map((p) => [p.ids.length, p.hasMore]),
          [
            [2, true],
            [2, true],
            [1, false],
          ],
        );
        assert.deepEqual(
          pages.flatMap((p) => p.ids),
          expected,
        );
        assertProblem(
          await t.call('GET', `/v1/drops?limit=2&startingAfter=${UNKNOWN_ID}`),
          400,
          'validation_failed',
        );
      }));

    it('refuses to shrink a slot below its places and gives new places to the waitlist in order', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 2 });
        const slotId = slotIds[0]!;
        const sk = { key: t.store.secretKey };
        const [a, b, c, d] = [await t.customer(), await t.customer(), await t.customer(), await t.customer()];
        for (const x of [a, b]) {
          assert.equal(
            (await t.call('POST', '/v1/reservations', { token: x.token, body: { slotId } })).status,
            201,
          );
        }
        await expectRefusals(t, [
          {
            label: 'capacity below places taken',
            method: 'PATCH',
            path: `/v1/slots/${slotId}`,
            options: { ...sk, body: { capacityTotal: 1 } },
            status: 409,
            code: 'conflict',
            check: (r) => assert.equal(r.body.capacityReserved, 2),
          },
        ]);
        const entries = [];
        for (const x of [c, d]) {
          const joined = await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: x.token });
          assert.equal(joined.status, 201);
          entries.push(joined.body.id as string);
        }
        const entry = async (id: string, token: string) =>
          (await t.call('GET', `/v1/waitlist/${id}`, { token })).body;

        const grown = await t.call('PATCH', `/v1/slots/${slotId}`, { ...sk, body: { capacityTotal: 3 } });
        assert.equal(grown.status, 200);
        assert.equal(grown.body.capacityTotal, 3);
        assert.equal(grown.body.capacityReserved, 3);
        assert.equal(grown.body.capacityRemaining, 0);
        assert.equal(grown.body.waitlistCount, 1);
        const first = await entry(entries[0]!, c.token);
        assert.equal(first.state, 'PROMOTED', 'the head of the line gets the new place');
        assert.ok(first.reservationId);
        const second = await entry(entries[1]!, d.token);
        assert.equal(second.state, 'WAITING');
        assert.equal(second.position, 1);
        const hold = await t.call('GET', `/v1/reservations/${first.reservationId}`, { token: c.token });
        assert.equal(hold.body.state, 'PENDING');
        assert.equal(hold.body.source, 'waitlist');

        const more = await t.call('PATCH', `/v1/slots/${slotId}`, { ...sk, body: { capacityTotal: 10 } });
        assert.equal(more.body.capacityReserved, 4);
        assert.equal(more.body.capacityRemaining, 6);
        assert.equal(more.body.waitlistCount, 0);
        assert.equal((await entry(entries[1]!, d.token)).state, 'PROMOTED');
        const shrink = await t.call('PATCH', `/v1/slots/${slotId}`, { ...sk, body: { capacityTotal: 4 } });
        assert.equal(shrink.status, 200);
        assert.equal(shrink.body.capacityRemaining, 0);
      }));

    it('signs customers up and in, and mints sessions for a store’s own users', () =>
      withApp(kind, async (t) => {
        const up = await t.call('POST', '/v1/customers/sign-up', {
          body: { email: '  Ada@Example.COM ', password: 'correct horse', name: 'Ada' },
        });
        assert.equal(up.status, 201);
        assert.equal(typeof up.body.token, 'string');
        assert.deepEqual(up.body.customer.roles, ['customer']);
        assert.equal(up.body.customer.email, 'ada@example.com');
        assert.equal(up.body.customer.name, 'Ada');
        assert.equal(up.body.expiresAt, new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString());
        const me = await t.call('GET', '/v1/customers/me', { token: up.body.token });
        assert.equal(me.status, 200);
        assert.equal(me.body.id, up.body.customer.id);
        assert.equal(me.body.email, 'ada@example.com');

        await expectRefusals(t, [
          {
            label: 'duplicate email (other case)',
            method: 'POST',
            path: '/v1/customers/sign-up',
            options: { body: { email: 'ADA@example.com', password: 'another password' } },
            status: 409,
            code: 'email_taken',
          },
          {
            label: 'short password',
            method: 'POST',
            path: '/v1/customers/sign-up',
            options: { body: { email: 'bob@example.com', password: 'short' } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.password'),
          },
          {
            label: 'bad email',
            method: 'POST',
            path: '/v1/customers/sign-up',
            options: { body: { email: 'not-an-email', password: 'long enough' } },
            status: 400,
            code: 'validation_failed',
            check: (r) => assert.equal(r.body.errors[0].path, 'body.email'),
          },
        ]);
        const wrong = await t.call('POST', '/v1/customers/sign-in', {
          body: { email: 'ada@example.com', password: 'wrong horse' },
        });
        assertProblem(wrong, 401, 'invalid_credentials');
        const unknown = await t.call('POST', '/v1/customers/sign-in', {
          body: { email: 'nobody@example.com', password: 'correct horse' },
        });
        assertProblem(unknown, 401, 'invalid_credentials');
        assert.equal(unknown.body.detail, wrong.body.detail, 'the answer does not tell which was wrong');
        const other = await otherStore(t);
        assertProblem(
          await t.call('POST', '/v1/customers/sign-in', {
            key: other.store.publishableKey,
            body: { email: 'ada@example.com', password: 'correct horse' },
          }),
          401,
          'invalid_credentials',
        );
        const sameEmailElsewhere = await t.call('POST', '/v1/customers/sign-up', {
          key: other.store.publishableKey,
          body: { email: 'ada@example.com', password: 'correct horse' },
        });
        assert.equal(sameEmailElsewhere.status, 201, 'accounts are per store');
        const ok = await t.call('POST', '/v1/customers/sign-in', {
          body: { email: 'ADA@example.com', password: 'correct horse' },
        });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.customer.id, up.body.customer.id);
        assert.equal(
          (await t.call('GET', '/v1/customers/me', { token: ok.body.token })).body.id,
          up.body.customer.id,
        );

        const sk = { key: t.store.secretKey };
        const first = await t.call('POST', '/v1/customer-sessions', {
          ...sk,
          body: { externalId: 'shop-user-42', name: 'Grace' },
        });
        assert.equal(first.status, 201);
        assert.equal(first.body.customer.externalId, 'shop-user-42');
        assert.deepEqual(first.body.customer.roles, ['customer']);
        assert.equal(first.body.expiresAt, new Date(t.clock.now().getTime() + 3600_000).toISOString());
        const users = (await t.fingerprint()).users;
        const again = await t.call('POST', '/v1/customer-sessions', {
          ...sk,
          body: { externalId: 'shop-user-42', ttlSeconds: 600 },
        });
        assert.equal(again.status, 201);
        assert.equal(again.body.customer.id, first.body.customer.id);
        assert.equal(again.body.expiresAt, new Date(t.clock.now().getTime() + 600_000).toISOString());
        assert.equal((await t.fingerprint()).users, users, 'no second user');
        const elsewhere = await t.call('POST', '/v1/customer-sessions', {
          key: other.store.secretKey,
          body: { externalId: 'shop-user-42' },
        });
        assert.notEqual(elsewhere.body.customer.id, first.body.customer.id, 'external ids are per store');
        const me2 = await t.call('GET', '/v1/customers/me', { token: again.body.token });
        assert.equal(me2.body.id, first.body.customer.id);
        assert.equal(me2.body.name, 'Grace');
        assertProblem(
          await t.call('POST', '/v1/customer-sessions', {
            ...sk,
            body: { externalId: 'shop-user-43', email: 'ada@example.com' },
          }),
          409,
          'email_taken',
        );
      }));

    it('serves time without a key, and health and readiness', () =>
      withApp(kind, async (t) => {
        const time = await t.call('GET', '/v1/time', { key: null });
        assert.equal(time.status, 200);
        assert.deepEqual(time.body, { now: t.clock.now().getTime(), iso: t.clock.now().toISOString() });
        t.clock.advance(1234);
        assert.equal((await t.call('GET', '/v1/time', { key: null })).body.now, t.clock.now().getTime());
        const withBadKey = await t.call('GET', '/v1/time', { key: 'garbage' });
        assert.equal(withBadKey.status, 200, 'time needs no key, so a bad one does not matter');
        const health = await t.call('GET', '/healthz', { key: null });
        assert.equal(health.status, 200);
        assert.deepEqual(health.body, { status: 'ok' });
        const ready = await t.call('GET', '/readyz', { key: null });
        assert.equal(ready.status, 200);
        assert.deepEqual(ready.body, {
          status: 'ready',
          database: kind,
          checks: { draining: false, database: true, listening: true },
        });
      }));

    it('publishes a valid OpenAPI 3.1 document listing every route, and renders it at /docs', () =>
      withApp(kind, async (t) => {
        const served = await t.call('GET', '/openapi.json', { key: null });
        assert.equal(served.status, 200);
        assert.match(served.headers.get('content-type') ?? '', /application\/json/);
        const doc = served.body;
        assert.equal(doc.openapi, '3.1.0');
        const validator = new Validator();
        const result = await validator.validate(doc);
        assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2)?.slice(0, 2000));
        assert.equal(validator.version, '3.1');

        const documented = new Set<string>();
        for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
          for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${path}`);
        }
        const fromApp = new Set<string>();
        for (const [path, item] of Object.entries(
          t.dropslot.openapi.paths as Record<string, Record<string, unknown>>,
        )) {
          for (const method of Object.keys(item)) fromApp.add(`${method.toUpperCase()} ${path}`);
        }
        assert.deepEqual([...documented].sort(), [...fromApp].sort());
        // And the routes the server really answers (Hono's table) are exactly the documented ones.
        const mounted = new Set(
          t.dropslot.app.routes
            .filter((r) => r.path.startsWith('/v1/') && r.method !== 'ALL')
            .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, '{$1}')}`),
        );
        assert.deepEqual([...documented].sort(), [...mounted].sort());
        const required = [
          'GET /v1/time',
          'GET /v1/store',
          'GET /v1/products',
          'POST /v1/products',
          'GET /v1/products/{id}',
          'PATCH /v1/products/{id}',
          'GET /v1/drops',
          'POST /v1/drops',
          'GET /v1/drops/{id}',
          'PATCH /v1/drops/{id}',
          'GET /v1/drops/{id}/slots',
          'POST /v1/drops/{id}/slots',
          'GET /v1/slots/{id}',
          'PATCH /v1/slots/{id}',
          'GET /v1/drops/{id}/stream',
          'POST /v1/reservations',
          'GET /v1/reservations',
          'GET /v1/reservations/{id}',
          'POST /v1/reservations/{id}/confirm',
          'POST /v1/reservations/{id}/cancel',
          'POST /v1/check-ins',
          'POST /v1/slots/{id}/waitlist',
          'GET /v1/waitlist',
          'GET /v1/waitlist/{id}',
          'DELETE /v1/waitlist/{id}',
          'POST /v1/customers/sign-up',
          'POST /v1/customers/sign-in',
          'POST /v1/customer-sessions',
          'GET /v1/customers/me',
          'GET /v1/categories',
          'GET /v1/products/{id}/availability',
          'POST /v1/rental-quotes',
          'POST /v1/rentals',
          'GET /v1/rentals/{id}',
          'GET /v1/rentals',
          'POST /v1/rentals/{id}/confirm',
          'POST /v1/rentals/{id}/cancel',
          'PATCH /v1/rentals/{id}/schedules/{scheduleId}',
          'POST /v1/handovers',
          'GET /v1/customers/me/loyalty',
          'GET /v1/customers/me/products/{id}/rentals',
          'GET /v1/subscription-plans',
          'POST /v1/categories',
          'GET /v1/products/{id}/units',
          'POST /v1/products/{id}/units',
          'PATCH /v1/inventory-items/{id}',
          'POST /v1/subscription-plans',
          'GET /v1/promotions',
          'POST /v1/promotions',
          'PATCH /v1/promotions/{id}',
          'GET /v1/customers/me/notifications',
          'GET /v1/notifications',
          'POST /v1/webhook-endpoints',
          'GET /v1/webhook-endpoints',
          'GET /v1/webhook-endpoints/{id}',
          'PATCH /v1/webhook-endpoints/{id}',
          'DELETE /v1/webhook-endpoints/{id}',
          'POST /v1/webhook-endpoints/{id}/rotate-secret',
          'GET /v1/webhook-endpoints/{id}/deliveries',
          'POST /v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver',
          'GET /v1/audit-logs',
          'POST /v1/payments',
          'GET /v1/payments/{id}',
          'GET /v1/invoices/{id}',
          'POST /v1/webhooks/stripe',
          'POST /v1/webhooks/test',
          'POST /v1/test-provider/intents/{intent}/authenticate',
        ];
        for (const pair of required) assert.ok(documented.has(pair), `${pair} is documented`);

        // Every $ref resolves, and operations are unique and described.
        const schemas = doc.components.schemas as Record<string, unknown>;
        for (const match of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
          assert.ok(schemas[match[1]!], `$ref ${match[1]} resolves`);
        }
        const operationIds = new Set<string>();
        for (const item of Object.values(
          doc.paths as Record<string, Record<string, Record<string, unknown>>>,
        )) {
          for (const op of Object.values(item)) {
            assert.ok(!operationIds.has(op.operationId as string), `${op.operationId as string} is unique`);
            operationIds.add(op.operationId as string);
          }
        }
        const reserve = doc.paths['/v1/reservations'].post;
        assert.ok(reserve.responses['201'] && reserve.responses['409'] && reserve.responses['401']);
        assert.ok(reserve.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key'));
        assert.equal(
          doc.paths['/v1/drops/{id}/stream'].get.responses['200'].content['text/event-stream'] !== undefined,
          true,
        );
        assert.deepEqual(doc.paths['/v1/time'].get.security, []);

        const docs = await t.call('GET', '/docs', { key: null });
        assert.equal(docs.status, 200);
        assert.match(docs.headers.get('content-type') ?? '', /text\/html/);
        assert.match(docs.body, /<script src="\/docs\/assets\/swagger-ui-bundle\.js"><\/script>/);
        const bundle = await fetch(`${t.baseUrl}/docs/assets/swagger-ui-bundle.js`);
        assert.equal(bundle.status, 200);
        assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
        assert.ok((await bundle.text()).length > 100_000);
        const css = await fetch(`${t.baseUrl}/docs/assets/swagger-ui.css`);
        assert.equal(css.status, 200);
        assert.match(css.headers.get('content-type') ?? '', /text\/css/);
        await css.body?.cancel();
        const init = await t.call('GET', '/docs/assets/init.js', { key: null });
        assert.match(init.body, /\/openapi\.json/);
        assertProblem(await t.call('GET', '/docs/assets/package.json', { key: null }), 404, 'not_found');
        assertProblem(await t.call('GET', '/docs/assets/..%2Fpackage.json', { key: null }), 404, 'not_found');
      }));

    it('enforces capacity and the append-only audit log in the database itself', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 2 });
        const slotId = slotIds[0]!;
        const failure = async (query: ReturnType<typeof sql>) => {
          try {
            await t.handle.db.execute(query);
          } catch (error) {
            return pgError(error);
          }
          assert.fail(`expected the database to refuse: ${JSON.stringify(query)}`);
        };
        const over = await failure(
          sql`update slots set capacity_reserved = capacity_total + 1 where id = ${slotId}`,
        );
        assert.equal(over?.code, '23514');
        assert.equal(over?.constraint, 'slots_capacity_reserved_check');
        const under = await failure(sql`update slots set capacity_reserved = -1 where id = ${slotId}`);
        assert.equal(under?.code, '23514');
        const shrink = await failure(
          sql`update slots set capacity_reserved = 2, capacity_total = 1 where id = ${slotId}`,
        );
        assert.equal(shrink?.code, '23514');
        const slot = await t.call('GET', `/v1/slots/${slotId}`);
        assert.equal(slot.body.capacityReserved, 0);
        assert.equal(slot.body.capacityTotal, 2);

        const before = await t.fingerprint();
        assert.ok(before.audit_logs! > 0, 'creating the drop wrote audit rows');
        const edit = await failure(sql`update audit_logs set action = 'nothing.happened'`);
        assert.equal(edit?.code, '42501');
        const remove = await failure(sql`delete from audit_logs`);
        assert.equal(remove?.code, '42501');
        assert.deepEqual(await t.fingerprint(), before);
        await t.handle.db.execute(
          sql`insert into audit_logs (store_id, action, entity, entity_id, created_at)
              values (${t.store.storeId}, 'test.append', 'test', 'x', now())`,
        );
        assert.equal((await t.fingerprint()).audit_logs, before.audit_logs! + 1, 'appending still works');
      }));
  });
}
