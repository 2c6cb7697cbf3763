/** Shared test helpers: an msw server, a request recorder and valid contract objects. */
import { after, afterEach, before } from 'node:test';
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
  return { reservationId: r.id, checkedInAt: T, reservation: r };
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
