/** Every resource method sends exactly the request of the contract: method, path, query, headers and body. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import type { DropSlotClient } from '../../src/index.js';
import {
  BASE,
  PK,
  SK,
  checkIn,
  client,
  drop,
  id,
  product,
  recordRequests,
  reservation,
  server,
  session,
  customer,
  slot,
  store,
  useServer,
  waitlistEntry,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = 'ct_shopper';

interface Case {
  name: string;
  key: 'pk' | 'sk';
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under /v1 as the server sees it. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  status?: number;
  response: unknown;
  call: (c: DropSlotClient) => Promise<unknown>;
}

const ids = { drop: id(), slot: id(), product: id(), reservation: id(), entry: id(), customer: id() };
const pages = (item: unknown) => ({ data: [item], hasMore: false });

const cases: Case[] = [
  {
    name: 'time.now',
    key: 'pk',
    method: 'GET',
    path: 'time',
    response: { now: 1_800_000_000_000, iso: '2027-01-15T08:00:00.000Z' },
    call: (c) => c.time.now(),
  },
  {
    name: 'store.retrieve',
    key: 'pk',
    method: 'GET',
    path: 'store',
    response: store(),
    call: (c) => c.store.retrieve(),
  },
  {
    name: 'products.list',
    key: 'pk',
    method: 'GET',
    path: 'products',
    query: { limit: '5', active: 'true', startingAfter: ids.product },
    response: pages(product()),
    call: async (c) => await c.products.list({ limit: 5, active: 'true', startingAfter: ids.product }),
  },
  {
    name: 'products.retrieve',
    key: 'pk',
    method: 'GET',
    path: `products/${ids.product}`,
    response: product(),
    call: (c) => c.products.retrieve(ids.product),
  },
  {
    name: 'products.create',
    key: 'sk',
    method: 'POST',
    path: 'products',
    body: { sku: 'SKU-9', name: 'Boot', price: { amount: 9900, currency: 'EUR' } },
    status: 201,
    response: product(),
    call: (c) => c.products.create({ sku: 'SKU-9', name: 'Boot', price: { amount: 9900, currency: 'EUR' } }),
  },
  {
    name: 'products.update',
    key: 'sk',
    method: 'PATCH',
    path: `products/${ids.product}`,
    body: { isActive: false },
    response: product({ isActive: false }),
    call: (c) => c.products.update(ids.product, { isActive: false }),
  },
  {
    name: 'drops.list',
    key: 'pk',
    method: 'GET',
    path: 'drops',
    query: { limit: '50', phase: 'live', productId: ids.product },
    response: pages(drop()),
    call: async (c) => await c.drops.list({ limit: 50, phase: 'live', productId: ids.product }),
  },
  {
    name: 'drops.retrieve',
    key: 'pk',
    method: 'GET',
    path: `drops/${ids.drop}`,
    response: drop(),
    call: (c) => c.drops.retrieve(ids.drop),
  },
  {
    name: 'drops.create',
    key: 'sk',
    method: 'POST',
    path: 'drops',
    body: {
      productId: ids.product,
      name: 'Drop',
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-01T12:00:00.000Z',
    },
    status: 201,
    response: drop(),
    call: (c) =>
      c.drops.create({
        productId: ids.product,
        name: 'Drop',
        startsAt: '2026-12-01T10:00:00.000Z',
        endsAt: '2026-12-01T12:00:00.000Z',
      }),
  },
  {
    name: 'drops.update',
    key: 'sk',
    method: 'PATCH',
    path: `drops/${ids.drop}`,
    body: { status: 'cancelled' },
    response: drop({ status: 'cancelled' }),
    call: (c) => c.drops.update(ids.drop, { status: 'cancelled' }),
  },
  {
    name: 'drops.slots',
    key: 'pk',
    method: 'GET',
    path: `drops/${ids.drop}/slots`,
    response: pages(slot()),
    call: async (c) => await c.drops.slots(ids.drop),
  },
  {
    name: 'slots.list',
    key: 'pk',
    method: 'GET',
    path: `drops/${ids.drop}/slots`,
    response: pages(slot()),
    call: async (c) => await c.slots.list(ids.drop),
  },
  {
    name: 'slots.retrieve',
    key: 'pk',
    method: 'GET',
    path: `slots/${ids.slot}`,
    response: slot(),
    call: (c) => c.slots.retrieve(ids.slot),
  },
  {
    name: 'slots.create',
    key: 'sk',
    method: 'POST',
    path: `drops/${ids.drop}/slots`,
    body: { startsAt: '2026-12-01T10:00:00.000Z', endsAt: '2026-12-01T10:30:00.000Z', capacityTotal: 20 },
    status: 201,
    response: slot(),
    call: (c) =>
      c.slots.create(ids.drop, {
        startsAt: '2026-12-01T10:00:00.000Z',
        endsAt: '2026-12-01T10:30:00.000Z',
        capacityTotal: 20,
      }),
  },
  {
    name: 'slots.update',
    key: 'sk',
    method: 'PATCH',
    path: `slots/${ids.slot}`,
    body: { capacityTotal: 30 },
    response: slot({ capacityTotal: 30 }),
    call: (c) => c.slots.update(ids.slot, { capacityTotal: 30 }),
  },
  {
    name: 'reservations.list',
    key: 'pk',
    method: 'GET',
    path: 'reservations',
    query: { state: 'PENDING', dropId: ids.drop, slotId: ids.slot },
    response: pages(reservation()),
    call: async (c) => await c.reservations.list({ state: 'PENDING', dropId: ids.drop, slotId: ids.slot }),
  },
  {
    name: 'reservations.retrieve',
    key: 'pk',
    method: 'GET',
    path: `reservations/${ids.reservation}`,
    response: reservation(),
    call: (c) => c.reservations.retrieve(ids.reservation),
  },
  {
    name: 'reservations.create',
    key: 'pk',
    method: 'POST',
    path: 'reservations',
    body: { slotId: ids.slot, customerNote: 'size 42' },
    status: 201,
    response: reservation(),
    call: (c) => c.reservations.create({ slotId: ids.slot, customerNote: 'size 42' }),
  },
  {
    name: 'reservations.confirm',
    key: 'pk',
    method: 'POST',
    path: `reservations/${ids.reservation}/confirm`,
    response: reservation({ state: 'CONFIRMED', expiresAt: null }),
    call: (c) => c.reservations.confirm(ids.reservation),
  },
  {
    name: 'reservations.cancel',
    key: 'pk',
    method: 'POST',
    path: `reservations/${ids.reservation}/cancel`,
    response: reservation({ state: 'CANCELLED' }),
    call: (c) => c.reservations.cancel(ids.reservation),
  },
  {
    name: 'checkIns.create',
    key: 'pk',
    method: 'POST',
    path: 'check-ins',
    body: { qrToken: 'qr.signed.token' },
    status: 201,
    response: checkIn(),
    call: (c) => c.checkIns.create({ qrToken: 'qr.signed.token' }),
  },
  {
    name: 'waitlist.join (no body → {})',
    key: 'pk',
    method: 'POST',
    path: `slots/${ids.slot}/waitlist`,
    body: {},
    status: 201,
    response: waitlistEntry(),
    call: (c) => c.waitlist.join(ids.slot),
  },
  {
    name: 'waitlist.join (sk names the customer)',
    key: 'sk',
    method: 'POST',
    path: `slots/${ids.slot}/waitlist`,
    body: { customerId: ids.customer },
    status: 201,
    response: waitlistEntry(),
    call: (c) => c.waitlist.join(ids.slot, { customerId: ids.customer }),
  },
  {
    name: 'waitlist.retrieve',
    key: 'pk',
    method: 'GET',
    path: `waitlist/${ids.entry}`,
    response: waitlistEntry(),
    call: (c) => c.waitlist.retrieve(ids.entry),
  },
  {
    name: 'waitlist.leave',
    key: 'pk',
    method: 'DELETE',
    path: `waitlist/${ids.entry}`,
    response: waitlistEntry({ state: 'LEFT', position: null }),
    call: (c) => c.waitlist.leave(ids.entry),
  },
  {
    name: 'waitlist.list',
    key: 'pk',
    method: 'GET',
    path: 'waitlist',
    query: { slotId: ids.slot, state: 'WAITING' },
    response: pages(waitlistEntry()),
    call: async (c) => await c.waitlist.list({ slotId: ids.slot, state: 'WAITING' }),
  },
  {
    name: 'customers.signUp',
    key: 'pk',
    method: 'POST',
    path: 'customers/sign-up',
    body: { email: 'ada@example.com', password: 'correct horse', name: 'Ada' },
    status: 201,
    response: session(),
    call: (c) => c.customers.signUp({ email: 'ada@example.com', password: 'correct horse', name: 'Ada' }),
  },
  {
    name: 'customers.signIn',
    key: 'pk',
    method: 'POST',
    path: 'customers/sign-in',
    body: { email: 'ada@example.com', password: 'correct horse' },
    response: session(),
    call: (c) => c.customers.signIn({ email: 'ada@example.com', password: 'correct horse' }),
  },
  {
    name: 'customers.createSession',
    key: 'sk',
    method: 'POST',
    path: 'customer-sessions',
    body: { externalId: 'user-42', ttlSeconds: 600 },
    status: 201,
    response: session(),
    call: (c) => c.customers.createSession({ externalId: 'user-42', ttlSeconds: 600 }),
  },
  {
    name: 'customers.me',
    key: 'pk',
    method: 'GET',
    path: 'customers/me',
    response: customer(),
    call: (c) => c.customers.me(),
  },
];

describe('every resource method sends the contract request', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.method} /v1/${c.path}`, async () => {
      const handler = http[c.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'];
      server.use(
        handler(`${BASE}/v1/${c.path}`, () =>
          HttpResponse.json(c.response as object, { status: c.status ?? 200 }),
        ),
      );
      const api =
        c.key === 'sk'
          ? client({ secretKey: SK, customerToken: TOKEN })
          : client({ publishableKey: PK, customerToken: TOKEN });

      const result = await c.call(api);

      assert.equal(seen.length, 1, 'exactly one request');
      const req = seen[0]!;
      assert.equal(req.method, c.method);
      assert.equal(req.url.origin + req.url.pathname, `${BASE}/v1/${c.path}`);
      assert.deepEqual(Object.fromEntries(req.url.searchParams), c.query ?? {});
      assert.equal(req.headers.get('authorization'), `Bearer ${c.key === 'sk' ? SK : PK}`);
      assert.equal(req.headers.get('x-customer-token'), TOKEN);
      assert.equal(req.headers.get('accept'), 'application/json');
      if (c.method === 'POST') assert.match(req.headers.get('idempotency-key') ?? '', UUID);
      else assert.equal(req.headers.get('idempotency-key'), null);
      const body = await req.body;
      if (c.body === undefined) {
        assert.equal(body, '');
        assert.equal(req.headers.get('content-type'), null);
      } else {
        assert.deepEqual(JSON.parse(body), c.body);
        assert.equal(req.headers.get('content-type'), 'application/json');
      }
      assert.deepEqual(result, c.response, 'returns the validated body');
    });
  }
});

describe('client options', () => {
  test('ids are percent-encoded into the path', async () => {
    server.use(http.get(`${BASE}/v1/drops/:id`, () => HttpResponse.json(drop())));
    await client().drops.retrieve('a/b?c');
    assert.equal(seen[0]!.url.pathname, '/v1/drops/a%2Fb%3Fc');
  });

  test('no X-Customer-Token until one is set; setCustomerToken switches and clears it', async () => {
    server.use(http.get(`${BASE}/v1/store`, () => HttpResponse.json(store())));
    const api = client();
    await api.store.retrieve();
    api.setCustomerToken('ct_1');
    assert.equal(api.customerToken, 'ct_1');
    await api.store.retrieve();
    api.setCustomerToken(null);
    await api.store.retrieve();
    assert.deepEqual(
      seen.map((r) => r.headers.get('x-customer-token')),
      [null, 'ct_1', null],
    );
  });

  test('baseUrl with a path prefix and trailing slash; extra headers cannot override auth', async () => {
    server.use(http.get('https://gw.test/api/v1/store', () => HttpResponse.json(store())));
    const api = client({
      baseUrl: 'https://gw.test/api/',
      headers: { 'X-Partner': 'acme', Authorization: 'Bearer stolen' },
    });
    await api.store.retrieve();
    assert.equal(seen[0]!.url.href, 'https://gw.test/api/v1/store');
    assert.equal(seen[0]!.headers.get('x-partner'), 'acme');
    assert.equal(seen[0]!.headers.get('authorization'), `Bearer ${PK}`);
  });

  test('the fetch option is used for every request', async () => {
    const urls: string[] = [];
    const api = client({
      fetch: (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return Promise.resolve(HttpResponse.json(store()));
      },
    });
    await api.store.retrieve();
    await api.time.now().catch(() => undefined); // answered with a Store → invalid, but it went through our fetch
    assert.deepEqual(urls, [`${BASE}/v1/store`, `${BASE}/v1/time`]);
    assert.equal(seen.length, 0, 'the global fetch was never called');
  });

  test('a caller-supplied idempotency key is sent as is', async () => {
    server.use(http.post(`${BASE}/v1/reservations`, () => HttpResponse.json(reservation(), { status: 201 })));
    await client().reservations.create({ slotId: ids.slot }, { idempotencyKey: 'my-key-1' });
    assert.equal(seen[0]!.headers.get('idempotency-key'), 'my-key-1');
  });

  test('createClient rejects a missing key, both keys, or no baseUrl', async () => {
    const { createClient } = await import('../../src/index.js');
    assert.throws(() => createClient({ baseUrl: BASE } as never), TypeError);
    assert.throws(
      () => createClient({ baseUrl: BASE, publishableKey: PK, secretKey: SK } as never),
      TypeError,
    );
    assert.throws(() => createClient({ baseUrl: '', publishableKey: PK }), TypeError);
  });
});
