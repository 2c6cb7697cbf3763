/**
 * An in-page fake of the DropSlot API for component tests and the render benchmark: `fetch`-compatible, with state the
 * test controls (drops, slots, reservations, waitlist, customers), a server clock independent of `Date.now` (so tests
 * can skew the device clock), and live streams the test pushes server-sent events into. Responses follow the contract
 * (`src/schemas/`): the SDK validates every one of them.
 *
 * Route it with `setFetchForTesting(api.fetch)` (components/internal/client.ts): that covers the shared SDK client and
 * the plain fetches of `<drop-countdown>`.
 */
import type { Drop } from '../../../src/schemas/drops.js';
import type { Reservation } from '../../../src/schemas/reservations.js';
import type { Slot } from '../../../src/schemas/slots.js';
import type { Store } from '../../../src/schemas/store.js';
import type { WaitlistEntry } from '../../../src/schemas/waitlist.js';
import { FakeRentals } from './fake-rentals.js';
import { FakePayments } from './fake-payments.js';

export const FAKE_API = 'https://api.dropslot.test';
export const FAKE_KEY = 'pk_test_fake';
export const STORE_ID = '5b0c3f7e-2c1d-4d5e-8f90-1a2b3c4d5e6f';
export const BRANCH_ID = '6c1d4a8f-3d2e-4e6f-9a01-2b3c4d5e6f70';
export const PRODUCT_ID = '7d2e5b90-4e3f-4f70-8b12-3c4d5e6f7081';

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: unknown;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  code: string;
  times: number;
}

interface Stream {
  dropId: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
}

/** Roles of an account, as the contract names them (`staff`, `owner` and `admin` may check tickets in). */
export type Role = 'admin' | 'owner' | 'staff' | 'customer';

interface Customer {
  id: string;
  email: string;
  password: string;
  roles: Role[];
}

/** Roles that may check tickets in (`POST /v1/check-ins`), as on the reference server. */
const STAFF_ROLES: readonly Role[] = ['staff', 'owner', 'admin'];

export interface ReservationInit {
  /** Default `CONFIRMED`. */
  state?: Reservation['state'];
  /** For `CHECKED_IN`: when it was checked in (default server now). */
  checkedInAt?: string;
}

export interface SlotInit {
  /** Minutes after the drop's start. */
  offsetMinutes?: number;
  /** Start instant; overrides `offsetMinutes`. */
  startsAt?: string;
  durationMinutes?: number;
  capacityTotal?: number;
  capacityReserved?: number;
}

export interface DropInit {
  /** Start relative to server now, in ms (negative: already live). */
  startsIn?: number;
  /** Length of the drop, in ms. */
  lengthMs?: number;
  branchId?: string | null;
  status?: Drop['status'];
  slots?: SlotInit[];
}

const encoder = new TextEncoder();
const json = (status: number, body: unknown, extra: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'x-request-id': crypto.randomUUID(), ...extra },
  });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}): Response =>
  new Response(
    JSON.stringify({ type: `https://dropslot.dev/problems/${code}`, title: code, status, code, ...extra }),
    { status, headers: { 'content-type': 'application/problem+json', 'x-request-id': crypto.randomUUID() } },
  );
const iso = (ms: number): string => new Date(ms).toISOString();
/** Orders by an ISO 8601 field (plain comparison: `localeCompare` is slow, and ISO strings sort as text). */
const byKey =
  <K extends string>(key: K) =>
  (a: Record<K, string>, b: Record<K, string>): number =>
    a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0;
/** Real time, unaffected by a test replacing `Date.now`. */
const realNow = (): number => performance.timeOrigin + performance.now();

export class FakeApi {
  readonly api = FAKE_API;
  readonly key = FAKE_KEY;
  /** Server time minus real time, in ms. */
  skew = 0;
  /** Milliseconds every request waits before it is answered (a simulated round trip). */
  latency = 0;
  /** Length of a hold. */
  holdTtlMs = 10 * 60_000;
  /** Time a promoted waitlist entry has to claim its place. */
  claimTtlMs = 15 * 60_000;
  /** When true every request fails like a dropped connection (and open streams are cut). */
  offline = false;
  /** Every request, in order. */
  readonly requests: RecordedRequest[] = [];

  readonly store: Store;
  /** Rentable products, their calendars, quotes and orders (see fake-rentals.ts). */
  readonly rentals: FakeRentals;
  /** Payments with the test provider's behaviour (see fake-payments.ts); `payments.paidDrops` makes drops paid. */
  readonly payments: FakePayments;
  readonly drops = new Map<string, Drop>();
  readonly slots = new Map<string, Slot>();
  readonly reservations = new Map<string, Reservation>();
  readonly waitlist = new Map<string, WaitlistEntry>();
  readonly #customers = new Map<string, Customer>();
  readonly #tokens = new Map<string, string>();
  readonly #streams = new Set<Stream>();
  readonly #failures: Failure[] = [];
  #eventId = 0;

  constructor(options: { storeZone?: string; branchZone?: string } = {}) {
    this.store = {
      id: STORE_ID,
      name: 'Fake Sneakers',
      slug: 'fake-sneakers',
      logoUrl: null,
      currency: 'EUR',
      timeZone: options.storeZone ?? 'Europe/Berlin',
      locale: 'en',
      rentalPayment: 'online',
      branches: [
        {
          id: BRANCH_ID,
          storeId: STORE_ID,
          name: 'Downtown',
          address: '1 Main Street',
          lat: null,
          lng: null,
          phone: null,
          timeZone: options.branchZone ?? 'America/New_York',
          openingHours: null,
        },
      ],
      createdAt: iso(realNow() - 86_400_000),
    };
    this.rentals = new FakeRentals(this);
    this.payments = new FakePayments(this);
  }

  /** Server time (epoch ms). */
  serverNow(): number {
    return realNow() + this.skew;
  }

  /** Sets the server clock to `ms` from now on (it keeps running at real speed). */
  setServerNow(ms: number): void {
    this.skew = ms - realNow();
  }

  // ---- Test controls ----------------------------------------------------------------------------------------

  /** Adds a published drop with its slots; start and end relative to server now. */
  addDrop(init: DropInit = {}): { drop: Drop; slots: Slot[] } {
    const now = this.serverNow();
    const start = now + (init.startsIn ?? -60_000);
    const end = start + (init.lengthMs ?? 7 * 86_400_000);
    const id = crypto.randomUUID();
    const drop: Drop = {
      id,
      storeId: STORE_ID,
      productId: PRODUCT_ID,
      branchId: init.branchId === undefined ? BRANCH_ID : init.branchId,
      name: 'Fake drop',
      description: null,
      startsAt: iso(start),
      endsAt: iso(end),
      status: init.status ?? 'published',
      phase: 'upcoming',
      reservationRule: { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1 },
      capacityTotal: 0,
      capacityRemaining: 0,
      paymentRequired: false,
      createdAt: iso(now - 86_400_000),
      updatedAt: iso(now - 86_400_000),
    };
    this.drops.set(id, drop);
    const slots = (init.slots ?? [{}]).map((slotInit, i) => {
      const slotStart =
        slotInit.startsAt !== undefined
          ? Date.parse(slotInit.startsAt)
          : start + 3_600_000 + (slotInit.offsetMinutes ?? i * 30) * 60_000;
      const capacityTotal = slotInit.capacityTotal ?? 5;
      const capacityReserved = slotInit.capacityReserved ?? 0;
      const slot: Slot = {
        id: crypto.randomUUID(),
        dropId: id,
        startsAt: iso(slotStart),
        endsAt: iso(slotStart + (slotInit.durationMinutes ?? 30) * 60_000),
        capacityTotal,
        capacityReserved,
        capacityRemaining: capacityTotal - capacityReserved,
        waitlistCount: 0,
      };
      this.slots.set(slot.id, slot);
      return slot;
    });
    return { drop: this.#drop(id), slots };
  }

  /** A customer account and its token (as if signed in before). */
  addCustomer(
    email = `shopper-${this.#customers.size + 1}@example.com`,
    password = 'correct horse',
    roles: Role[] = ['customer'],
  ): string {
    const customer = { id: crypto.randomUUID(), email, password, roles };
    this.#customers.set(email, customer);
    const token = `ct_${crypto.randomUUID()}`;
    this.#tokens.set(token, customer.id);
    return token;
  }

  /** The customer id behind a token. */
  customerIdOf(token: string): string {
    const id = this.#tokens.get(token);
    if (!id) throw new Error(`FakeApi: unknown customer token ${token}`);
    return id;
  }

  /** A staff account (may check tickets in) and its token. */
  addStaff(email = `staff-${this.#customers.size + 1}@example.com`, password = 'correct horse'): string {
    return this.addCustomer(email, password, ['staff']);
  }

  /**
   * A reservation of the token's customer in the slot, in any state, as the server would hold it: a place taken while
   * PENDING, CONFIRMED or CHECKED_IN; the check-in token (`qrToken`) set once confirmed.
   */
  addReservation(customerToken: string, slotId: string, init: ReservationInit = {}): Reservation {
    const customerId = this.#tokens.get(customerToken);
    if (!customerId) throw new Error(`FakeApi: unknown customer token ${customerToken}`);
    const state = init.state ?? 'CONFIRMED';
    const reservation = this.#newReservation(slotId, customerId, 'direct');
    const now = iso(this.serverNow());
    reservation.state = state;
    if (state !== 'PENDING') reservation.expiresAt = null;
    if (state === 'CONFIRMED' || state === 'CHECKED_IN' || state === 'CANCELLED') {
      reservation.confirmedAt = now;
      reservation.qrToken = `qr_${reservation.id}`;
    }
    if (state === 'CHECKED_IN') reservation.checkedInAt = init.checkedInAt ?? now;
    if (state === 'CANCELLED') reservation.cancelledAt = now;
    if (state === 'EXPIRED') reservation.expiredAt = now;
    if (state === 'PENDING' || state === 'CONFIRMED' || state === 'CHECKED_IN')
      this.#changeSlot(slotId, 1, 0);
    return reservation;
  }

  /** Staff at the door check a confirmed reservation in (elsewhere than the element under test). */
  checkInReservation(id: string): Reservation {
    const reservation = this.reservations.get(id)!;
    reservation.state = 'CHECKED_IN';
    reservation.checkedInAt = iso(this.serverNow());
    return reservation;
  }

  /** Makes the next `times` requests matching `method` and `path` fail with a problem. */
  fail(method: string, path: RegExp, status: number, code: string, times = 1): void {
    this.#failures.push({ method, path, status, code, times });
  }

  /** Another customer takes a place (a confirmed reservation). */
  takePlace(slotId: string): Reservation {
    const reservation = this.#newReservation(slotId, crypto.randomUUID(), 'direct');
    reservation.state = 'CONFIRMED';
    reservation.expiresAt = null;
    reservation.confirmedAt = iso(this.serverNow());
    this.#changeSlot(slotId, 1, 0);
    return reservation;
  }

  /** Fills a slot with other customers' reservations. */
  fillSlot(slotId: string): void {
    const slot = this.slots.get(slotId)!;
    while (slot.capacityRemaining > 0) this.takePlace(slotId);
  }

  /** A reservation is cancelled (by its customer, elsewhere): its place goes to the waitlist's head, or back to the pool. */
  cancelReservation(id: string): void {
    const reservation = this.reservations.get(id)!;
    reservation.state = 'CANCELLED';
    reservation.cancelledAt = iso(this.serverNow());
    this.#release(reservation.slotId);
  }

  /** Sends one server-sent event to every open stream of the drop. */
  push(dropId: string, event: string, data: unknown): void {
    const frame = encoder.encode(
      `id: ${++this.#eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
    );
    for (const stream of this.#streams) if (stream.dropId === dropId) stream.controller.enqueue(frame);
  }

  /** Sends the slot's current figures (`event: slot`). */
  pushSlot(slotId: string): void {
    const slot = this.slots.get(slotId)!;
    this.push(slot.dropId, 'slot', {
      dropId: slot.dropId,
      slotId: slot.id,
      capacityTotal: slot.capacityTotal,
      capacityReserved: slot.capacityReserved,
      capacityRemaining: slot.capacityRemaining,
      waitlistCount: slot.waitlistCount,
    });
  }

  /** Open streams (of one drop, or all). */
  streamCount(dropId?: string): number {
    return [...this.#streams].filter((s) => dropId === undefined || s.dropId === dropId).length;
  }

  /** Cuts every stream and fails every request until {@link goOnline}. */
  goOffline(): void {
    this.offline = true;
    for (const stream of this.#streams) stream.controller.error(new TypeError('network error'));
    this.#streams.clear();
  }

  goOnline(): void {
    this.offline = false;
  }

  /** Requests with this method whose path matches. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  // ---- fetch ------------------------------------------------------------------------------------------------

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!request.url.startsWith(this.api)) throw new TypeError(`FakeApi: unexpected URL ${request.url}`);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const path = url.pathname;
    this.requests.push({ method: request.method, path, headers: request.headers, body });
    if (this.latency > 0) await new Promise((resolve) => setTimeout(resolve, this.latency));
    if (this.offline) throw new TypeError('Failed to fetch');
    const failure = this.#failures.find(
      (f) => f.method === request.method && f.path.test(path) && f.times > 0,
    );
    if (failure) {
      failure.times--;
      return problem(failure.status, failure.code);
    }
    return this.#route(request, path, body);
  };

  #route(request: Request, path: string, body: unknown): Response {
    const method = request.method;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/v1/time') {
      const now = Math.round(this.serverNow());
      return json(200, { now, iso: iso(now) });
    }
    if (path.startsWith('/v1/test-provider/')) {
      const answer = this.payments.route(method, path, body, undefined);
      if (answer) return json(answer.status, answer.body);
    }
    if (!request.headers.get('authorization')?.startsWith('Bearer pk_'))
      return problem(401, 'unauthenticated');
    if (method === 'GET' && path === '/v1/store') return json(200, this.store);
    if (method === 'GET' && (m = path.match(/^\/v1\/drops\/([^/]+)$/))) {
      return this.drops.has(m[1]!) ? json(200, this.#drop(m[1]!)) : problem(404, 'not_found');
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/drops\/([^/]+)\/slots$/))) {
      if (!this.drops.has(m[1]!)) return problem(404, 'not_found');
      return json(200, { data: this.#slotsOf(m[1]!), hasMore: false });
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/drops\/([^/]+)\/stream$/)))
      return this.#stream(m[1]!, request);
    if (method === 'GET' && (m = path.match(/^\/v1\/slots\/([^/]+)$/))) {
      const slot = this.slots.get(m[1]!);
      return slot ? json(200, { ...slot }) : problem(404, 'not_found');
    }
    if (method === 'POST' && path === '/v1/customers/sign-in') return this.#signIn(body);
    if (method === 'POST' && path === '/v1/customers/sign-up') return this.#signUp(body);

    const customerId = this.#tokens.get(request.headers.get('x-customer-token') ?? '');
    const needCustomer = (): Response =>
      request.headers.get('x-customer-token')
        ? problem(401, 'invalid_customer_token')
        : problem(401, 'customer_token_required');

    if (method === 'POST' && path === '/v1/check-ins') {
      if (!request.headers.get('x-customer-token')) return problem(403, 'wrong_key_kind');
      if (!customerId) return problem(401, 'invalid_customer_token');
      if (!this.#isStaff(customerId)) return problem(403, 'forbidden');
      return this.#checkIn((body as { qrToken: string }).qrToken);
    }
    if (method === 'POST' && path === '/v1/reservations') {
      if (!customerId) return needCustomer();
      return this.#reserve(customerId, (body as { slotId: string }).slotId);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/customers\/me\/drops\/([^/]+)$/))) {
      // The customer's standing in a drop, as the reference server answers it (newest first).
      if (!customerId) return needCustomer();
      this.#expireHolds();
      const dropId = m[1]!;
      const newest = <T extends { createdAt: string }>(a: T, b: T) => b.createdAt.localeCompare(a.createdAt);
      return json(200, {
        dropId,
        reservations: [...this.reservations.values()]
          .filter((r) => r.customerId === customerId && r.dropId === dropId)
          .filter((r) => r.state === 'PENDING' || r.state === 'CONFIRMED' || r.state === 'CHECKED_IN')
          .sort(newest),
        waitlistEntries: [...this.waitlist.values()]
          .filter((e) => e.customerId === customerId && e.dropId === dropId)
          .filter((e) => e.state === 'WAITING' || e.state === 'PROMOTED')
          .map((e) => this.#entry(e))
          .sort(newest),
      });
    }
    if ((m = path.match(/^\/v1\/reservations\/([^/]+)(?:\/(confirm|cancel))?$/))) {
      if (!customerId) return needCustomer();
      this.#expireHolds();
      const reservation = this.reservations.get(m[1]!);
      const own = reservation?.customerId === customerId;
      // Staff read every reservation of the store (without its check-in token); only its customer changes it.
      if (reservation && !own && method === 'GET' && !m[2] && this.#isStaff(customerId))
        return json(200, { ...reservation, qrToken: null });
      if (!reservation || !own) return problem(404, 'not_found');
      if (method === 'GET' && !m[2]) return json(200, reservation);
      if (method === 'POST' && m[2] === 'confirm') {
        if (reservation.state === 'EXPIRED') return problem(409, 'hold_expired');
        if (reservation.state === 'PENDING' && this.payments.requiresPayment(reservation))
          return problem(409, 'payment_required');
        if (reservation.state !== 'PENDING') return problem(409, 'invalid_state');
        reservation.state = 'CONFIRMED';
        reservation.expiresAt = null;
        reservation.confirmedAt = iso(this.serverNow());
        reservation.qrToken = `qr_${reservation.id}`;
        const entry = [...this.waitlist.values()].find((e) => e.reservationId === reservation.id);
        if (entry) entry.state = 'CLAIMED';
        return json(200, reservation);
      }
      if (method === 'POST' && m[2] === 'cancel') {
        if (reservation.state !== 'PENDING' && reservation.state !== 'CONFIRMED')
          return problem(409, 'invalid_state');
        this.cancelReservation(reservation.id);
        return json(200, reservation);
      }
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/slots\/([^/]+)\/waitlist$/))) {
      if (!customerId) return needCustomer();
      return this.#join(customerId, m[1]!);
    }
    if ((m = path.match(/^\/v1\/waitlist\/([^/]+)$/))) {
      if (!customerId) return needCustomer();
      this.#expireHolds();
      const entry = this.waitlist.get(m[1]!);
      if (!entry || entry.customerId !== customerId) return problem(404, 'not_found');
      if (method === 'GET') return json(200, this.#entry(entry));
      if (method === 'DELETE') {
        entry.state = 'LEFT';
        this.#changeSlot(entry.slotId, 0, -1);
        return json(200, this.#entry(entry));
      }
    }
    const rental =
      this.rentals.route(method, new URL(request.url), body, customerId) ??
      this.payments.route(method, path, body, customerId);
    if (rental) {
      return rental.status >= 400
        ? problem(
            rental.status,
            (rental.body as { code: string }).code,
            rental.body as Record<string, unknown>,
          )
        : json(rental.status, rental.body);
    }
    return problem(404, 'not_found');
  }

  #signIn(body: unknown): Response {
    const { email, password } = body as { email: string; password: string };
    const customer = this.#customers.get(email);
    if (!customer || customer.password !== password) return problem(401, 'invalid_credentials');
    return json(200, this.#session(customer));
  }

  #signUp(body: unknown): Response {
    const { email, password } = body as { email: string; password: string };
    if (!/^[^@\s]+@[^@\s]+$/.test(email) || password.length < 8) {
      return problem(400, 'validation_failed', {
        errors: [{ path: 'password', message: 'Too short', code: 'too_small' }],
      });
    }
    if (this.#customers.has(email)) return problem(409, 'email_taken');
    const customer: Customer = { id: crypto.randomUUID(), email, password, roles: ['customer'] };
    this.#customers.set(email, customer);
    return json(201, this.#session(customer));
  }

  #session(customer: Customer) {
    const token = `ct_${crypto.randomUUID()}`;
    this.#tokens.set(token, customer.id);
    return {
      token,
      expiresAt: iso(this.serverNow() + 3_600_000),
      customer: {
        id: customer.id,
        email: customer.email,
        name: null,
        externalId: null,
        roles: customer.roles,
        status: 'active',
        createdAt: iso(this.serverNow()),
      },
    };
  }

  #isStaff(customerId: string): boolean {
    const customer = [...this.#customers.values()].find((c) => c.id === customerId);
    return customer?.roles.some((role) => STAFF_ROLES.includes(role)) ?? false;
  }

  /** `POST /v1/check-ins`, as the reference server: redeems a CONFIRMED reservation's token once. */
  #checkIn(qrToken: string): Response {
    this.#expireHolds();
    const reservation = [...this.reservations.values()].find((r) => r.qrToken === qrToken);
    if (!reservation) return problem(400, 'qr_invalid');
    if (reservation.state === 'CHECKED_IN') {
      return problem(409, 'qr_already_used', {
        firstUsedAt: reservation.checkedInAt,
        reservationId: reservation.id,
        ticket: this.#deskTicket(reservation),
      });
    }
    if (reservation.state !== 'CONFIRMED') return problem(409, 'invalid_state', { state: reservation.state });
    this.checkInReservation(reservation.id);
    return json(201, {
      reservationId: reservation.id,
      checkedInAt: reservation.checkedInAt,
      reservation: { ...reservation, qrToken: null },
      ticket: this.#deskTicket(reservation),
    });
  }

  /** What the server's check-in answers (and its 409) name: the customer (named after their email), drop, slot, zone. */
  #deskTicket(reservation: Reservation) {
    const customer = [...this.#customers.values()].find((c) => c.id === reservation.customerId);
    const drop = this.#drop(reservation.dropId);
    const slot = this.slots.get(reservation.slotId)!;
    const branch = this.store.branches.find((b) => b.id === drop.branchId);
    return {
      kind: 'check_in',
      id: reservation.id,
      customer: { id: reservation.customerId, name: customer ? customer.email.split('@')[0]! : null },
      drop: { id: drop.id, name: drop.name },
      slot: { id: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt },
      period: null,
      units: [],
      amountToCollect: 0,
      currency: null,
      usedAt: reservation.checkedInAt,
      timeZone: branch?.timeZone ?? this.store.timeZone,
    };
  }

  #reserve(customerId: string, slotId: string): Response {
    this.#expireHolds();
    const slot = this.slots.get(slotId);
    if (!slot) return problem(404, 'not_found');
    const drop = this.#drop(slot.dropId);
    if (drop.phase === 'upcoming') return problem(409, 'drop_not_open');
    if (drop.phase === 'ended') return problem(409, 'drop_closed');
    const active = [...this.reservations.values()].some(
      (r) =>
        r.customerId === customerId &&
        r.dropId === slot.dropId &&
        (r.state === 'PENDING' || r.state === 'CONFIRMED'),
    );
    if (active) return problem(409, 'already_reserved');
    if (slot.capacityRemaining <= 0) {
      return problem(409, 'slot_full', {
        slotId,
        waitlist: { available: true, count: slot.waitlistCount, join: `/v1/slots/${slotId}/waitlist` },
      });
    }
    const reservation = this.#newReservation(slotId, customerId, 'direct');
    this.#changeSlot(slotId, 1, 0);
    return json(201, reservation);
  }

  #join(customerId: string, slotId: string): Response {
    this.#expireHolds();
    const slot = this.slots.get(slotId);
    if (!slot) return problem(404, 'not_found');
    if (slot.capacityRemaining > 0) return problem(409, 'slot_available');
    const waiting = [...this.waitlist.values()].some(
      (e) => e.slotId === slotId && e.customerId === customerId && e.state === 'WAITING',
    );
    if (waiting) return problem(409, 'already_waitlisted');
    const entry: WaitlistEntry = {
      id: crypto.randomUUID(),
      slotId,
      dropId: slot.dropId,
      customerId,
      state: 'WAITING',
      position: null,
      reservationId: null,
      claimDeadline: null,
      createdAt: iso(this.serverNow()),
      promotedAt: null,
    };
    this.waitlist.set(entry.id, entry);
    this.#changeSlot(slotId, 0, 1);
    return json(201, this.#entry(entry));
  }

  #newReservation(slotId: string, customerId: string, source: Reservation['source']): Reservation {
    const slot = this.slots.get(slotId)!;
    const now = this.serverNow();
    const reservation: Reservation = {
      id: crypto.randomUUID(),
      storeId: STORE_ID,
      dropId: slot.dropId,
      slotId,
      customerId,
      state: 'PENDING',
      source,
      expiresAt: iso(now + (source === 'waitlist' ? this.claimTtlMs : this.holdTtlMs)),
      customerNote: null,
      qrToken: null,
      createdAt: iso(now),
      confirmedAt: null,
      cancelledAt: null,
      checkedInAt: null,
      expiredAt: null,
    };
    this.reservations.set(reservation.id, reservation);
    return reservation;
  }

  /** Expires holds past their time (on read, like the real server), releasing their places. */
  #expireHolds(): void {
    const now = this.serverNow();
    for (const reservation of this.reservations.values()) {
      if (
        reservation.state === 'PENDING' &&
        reservation.expiresAt &&
        Date.parse(reservation.expiresAt) <= now
      ) {
        reservation.state = 'EXPIRED';
        reservation.expiredAt = iso(now);
        const entry = [...this.waitlist.values()].find((e) => e.reservationId === reservation.id);
        if (entry) entry.state = 'EXPIRED';
        this.#release(reservation.slotId);
      }
    }
  }

  /** A place of the slot was freed: the head of its waitlist gets it as a hold, else it goes back to the pool. */
  #release(slotId: string): void {
    const head = [...this.waitlist.values()]
      .filter((e) => e.slotId === slotId && e.state === 'WAITING')
      .sort(byKey('createdAt'))[0];
    if (!head) {
      this.#changeSlot(slotId, -1, 0);
      return;
    }
    const hold = this.#newReservation(slotId, head.customerId, 'waitlist');
    head.state = 'PROMOTED';
    head.reservationId = hold.id;
    head.claimDeadline = hold.expiresAt;
    head.promotedAt = iso(this.serverNow());
    this.#changeSlot(slotId, 0, -1); // the place stays taken, by the promoted hold
  }

  #changeSlot(slotId: string, reserved: number, waiting: number): void {
    const slot = this.slots.get(slotId)!;
    slot.capacityReserved += reserved;
    slot.capacityRemaining = slot.capacityTotal - slot.capacityReserved;
    slot.waitlistCount += waiting;
    this.pushSlot(slotId);
  }

  #entry(entry: WaitlistEntry): WaitlistEntry {
    if (entry.state !== 'WAITING') return { ...entry, position: null };
    const line = [...this.waitlist.values()]
      .filter((e) => e.slotId === entry.slotId && e.state === 'WAITING')
      .sort(byKey('createdAt'));
    return { ...entry, position: line.indexOf(entry) + 1 };
  }

  #slotsOf(dropId: string): Slot[] {
    return [...this.slots.values()]
      .filter((s) => s.dropId === dropId)
      .sort(byKey('startsAt'))
      .map((s) => ({ ...s }));
  }

  #drop(id: string): Drop {
    const drop = this.drops.get(id)!;
    const now = this.serverNow();
    const slots = this.#slotsOf(id);
    drop.phase =
      now < Date.parse(drop.startsAt) ? 'upcoming' : now < Date.parse(drop.endsAt) ? 'live' : 'ended';
    drop.capacityTotal = slots.reduce((n, s) => n + s.capacityTotal, 0);
    drop.capacityRemaining = slots.reduce((n, s) => n + s.capacityRemaining, 0);
    drop.paymentRequired = this.payments.paidDrops.has(id);
    return { ...drop };
  }

  #stream(dropId: string, request: Request): Response {
    if (!this.drops.has(dropId)) return problem(404, 'not_found');
    let stream: Stream | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        stream = { dropId, controller };
        this.#streams.add(stream);
        controller.enqueue(encoder.encode('retry: 100\n\n'));
        const snapshot = { drop: this.#drop(dropId), slots: this.#slotsOf(dropId) };
        controller.enqueue(
          encoder.encode(`id: ${++this.#eventId}\nevent: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`),
        );
      },
      cancel: () => {
        if (stream) this.#streams.delete(stream);
      },
    });
    request.signal.addEventListener('abort', () => {
      if (stream) this.#streams.delete(stream);
    });
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
    });
  }
}
