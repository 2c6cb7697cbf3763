/** Shared test helpers: an msw server, a request recorder and valid contract objects. */
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { createClient, type ClientOptions, type DropSlotClient } from '../../src/index.js';
import type {
  CheckIn,
  Customer,
  CustomerSession,
  Drop,
  Product,
  Reservation,
  Slot,
  Store,
  WaitlistEntry,
} from '../../src/index.js';

export const BASE = 'https://api.test';
export const PK = 'pk_test_abc';
export const SK = 'sk_test_xyz';

/** One msw server per test file, failing on any request no handler answers. */
export const server = setupServer();

/** Wires the server into the node:test lifecycle of the calling file. */
export function useServer(): void {
  before(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  after(() => server.close());
}

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  /** The request body as text (read from a clone, so it resolves independently of the handler). */
  body: Promise<string>;
}

/** Records every request the server sees, body included. */
export function recordRequests(): Recorded[] {
  const seen: Recorded[] = [];
  const listener = ({ request }: { request: Request }): void => {
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: request.clone().text(),
    });
  };
  before(() => server.events.on('request:start', listener));
  afterEach(() => {
    seen.length = 0;
  });
  after(() => server.events.removeListener('request:start', listener));
  return seen;
}

export function client(options: Partial<ClientOptions> = {}): DropSlotClient {
  const key = options.secretKey === undefined ? { publishableKey: options.publishableKey ?? PK } : {};
  return createClient({ baseUrl: BASE, maxRetries: 0, ...key, ...options } as ClientOptions);
}

let n = 0;
/** A deterministic, valid v4 UUID. */
export function id(): string {
  n++;
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export const T = '2026-11-21T18:00:00.000Z';
export const iso = (ms: number): string => new Date(ms).toISOString();

export function product(over: Partial<Product> = {}): Product {
  return {
    id: id(),
    storeId: id(),
    sku: 'SKU-1',
    name: 'Sneaker',
    description: null,
    images: [],
    assets: [],
    price: { amount: 12_000, currency: 'EUR' },
    isActive: true,
    rental: null,
    createdAt: T,
    updatedAt: T,
    ...over,
  };
}

export function drop(over: Partial<Drop> = {}): Drop {
  return {
    id: id(),
    storeId: id(),
    productId: id(),
    branchId: null,
    name: 'Winter drop',
    description: null,
    startsAt: T,
    endsAt: '2026-11-22T18:00:00.000Z',
    status: 'published',
    phase: 'live',
    reservationRule: { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1 },
    capacityTotal: 20,
    capacityRemaining: 20,
    paymentRequired: false,
    createdAt: T,
    updatedAt: T,
    ...over,
  };
}

export function slot(over: Partial<Slot> = {}): Slot {
  return {
    id: id(),
    dropId: id(),
    startsAt: T,
    endsAt: '2026-11-21T18:30:00.000Z',
    capacityTotal: 10,
    capacityReserved: 0,
    capacityRemaining: 10,
    waitlistCount: 0,
    ...over,
  };
}

export function reservation(over: Partial<Reservation> = {}): Reservation {
  return {
    id: id(),
    storeId: id(),
    dropId: id(),
    slotId: id(),
    customerId: id(),
    state: 'PENDING',
    source: 'direct',
    expiresAt: '2026-11-21T18:10:00.000Z',
    customerNote: null,
    qrToken: null,
    createdAt: T,
    confirmedAt: null,
    cancelledAt: null,
    checkedInAt: null,
    expiredAt: null,
    ...over,
  };
}

export function waitlistEntry(over: Partial<WaitlistEntry> = {}): WaitlistEntry {
  return {
    id: id(),
    slotId: id(),
    dropId: id(),
    customerId: id(),
    state: 'WAITING',
    position: 3,
    reservationId: null,
    claimDeadline: null,
    createdAt: T,
    promotedAt: null,
    ...over,
  };
}

export function customer(over: Partial<Customer> = {}): Customer {
  return {
    id: id(),
    email: 'ada@example.com',
    name: 'Ada',
    externalId: null,
    roles: ['customer'],
    status: 'active',
    createdAt: T,
    ...over,
  };
}

export function session(over: Partial<CustomerSession> = {}): CustomerSession {
  return { token: 'ct_123', expiresAt: T, customer: customer(), ...over };
}

export function store(): Store {
  return {
    id: id(),
    name: 'Shop',
    slug: 'shop',
    logoUrl: null,
    currency: 'EUR',
    timeZone: 'Europe/Berlin',
    locale: 'de-DE',
    rentalPayment: 'online',
    branches: [],
    createdAt: T,
  };
}

export function checkIn(): CheckIn {
  const r = reservation({ state: 'CHECKED_IN', checkedInAt: T, expiresAt: null });
  return {
    reservationId: r.id,
    checkedInAt: T,
    reservation: r,
    ticket: {
      kind: 'check_in',
      id: r.id,
      customer: { id: r.customerId, name: 'Ada' },
      drop: { id: r.dropId, name: 'Drop' },
      slot: { id: r.slotId, startsAt: T, endsAt: T },
      period: null,
      units: [],
      amountToCollect: 0,
      currency: null,
      usedAt: T,
      timeZone: 'Europe/Berlin',
    },
  };
}

/** A problem+json response body. */
export function problem(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: `https://docs.dropslot.dev/problems/${code}`,
    title: code.replace(/_/g, ' '),
    status,
    code,
    ...extra,
  };
}

export const problemHeaders = { 'Content-Type': 'application/problem+json', 'X-Request-Id': 'req_123' };

/** One SDK method and exactly the request it must send, with the contract answer it gets back. */
export interface ContractCase {
  name: string;
  /** The key the client uses. @default 'sk' */
  key?: 'pk' | 'sk';
  /** A customer token the client sends as `X-Customer-Token`. */
  token?: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below `/v1/`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  status?: number;
  response: unknown;
  call: (c: DropSlotClient) => PromiseLike<unknown>;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * One test per case: the SDK sends exactly one request with the method, URL, query, keys, token, Idempotency-Key (POST
 * only), Accept and JSON body the contract names, and answers the validated body (a list's items for a page).
 */
export function contractTests(cases: ContractCase[], seen: Recorded[]): void {
  for (const c of cases) {
    test(`${c.name}: ${c.method} /v1/${c.path}`, async () => {
      const handler = http[c.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'];
      server.use(
        handler(`${BASE}/v1/${c.path}`, () =>
          HttpResponse.json(c.response as object, { status: c.status ?? 200 }),
        ),
      );
      const key = (c.key ?? 'sk') === 'sk' ? SK : PK;
      const api = client({
        ...(key === SK ? { secretKey: SK } : { publishableKey: PK }),
        ...(c.token && { customerToken: c.token }),
      });
      const result = await c.call(api);

      assert.equal(seen.length, 1, 'exactly one request');
      const req = seen[0]!;
      assert.equal(req.method, c.method);
      assert.equal(req.url.origin + req.url.pathname, `${BASE}/v1/${c.path}`);
      assert.deepEqual(Object.fromEntries(req.url.searchParams), c.query ?? {});
      assert.equal(req.headers.get('authorization'), `Bearer ${key}`);
      assert.equal(req.headers.get('x-customer-token'), c.token ?? null);
      assert.equal(req.headers.get('accept'), 'application/json');
      if (c.method === 'POST') assert.match(req.headers.get('idempotency-key') ?? '', UUID_V4);
      else assert.equal(req.headers.get('idempotency-key'), null);
      const body = await req.body;
      if (c.body === undefined) {
        assert.equal(body, '');
        assert.equal(req.headers.get('content-type'), null);
      } else {
        assert.deepEqual(JSON.parse(body), c.body);
        assert.equal(req.headers.get('content-type'), 'application/json');
      }
      // A list answers its first page's items when awaited.
      const page = (value: unknown) =>
        Array.isArray((value as { data?: unknown })?.data) ? (value as { data: unknown }).data : value;
      assert.deepEqual(page(result), page(c.response), 'returns the validated body');
    });
  }
}
