/** `client.rentals` sends exactly the contract request for every method, and maps refusals to the error classes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  ConflictError,
  InvalidResponseError,
  type Handover,
  type RentalOrder,
  type RentalQuote,
} from '../../src/index.js';
import {
  BASE,
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

const TOKEN = 'ct_shopper';
const ids = { product: id(), rental: id(), schedule: id(), staff: id(), category: id(), handover: id() };
const period = { start: '2030-03-02T09:00:00.000Z', end: '2030-03-04T09:00:00.000Z' };
const promotion = {
  id: ids.handover,
  code: 'SPRING25',
  discountType: 'percent' as const,
  value: 25,
  currency: null,
  validFrom: T,
  validTo: period.end,
  maxRedemptions: null,
  redemptions: 0,
  active: true,
  createdAt: T,
};
const unit = {
  id: ids.schedule,
  productId: ids.product,
  serial: 'CAM-001',
  status: 'available' as const,
  createdAt: T,
  updatedAt: T,
};

function quote(): RentalQuote {
  return {
    currency: 'EUR',
    ...period,
    lines: [
      {
        productId: ids.product,
        name: 'Camera',
        quantity: 1,
        pricingUnit: 'day',
        units: 2,
        unitPrice: 3500,
        amount: 7000,
        subscriptionDiscount: 0,
        freeUnits: 2,
        available: true,
      },
    ],
    subtotal: 7000,
    subscriptionDiscount: 0,
    subscriptionId: null,
    promotion: null,
    promoDiscount: 0,
    pointsRedeemed: 0,
    pointsDiscount: 0,
    total: 7000,
    available: true,
  };
}

function order(over: Partial<RentalOrder> = {}): RentalOrder {
  return {
    id: ids.rental,
    storeId: id(),
    customerId: id(),
    status: 'pending_payment',
    ...period,
    currency: 'EUR',
    total: 7000,
    quote: quote(),
    items: [
      {
        id: id(),
        productId: ids.product,
        inventoryItemId: id(),
        serial: 'CAM-1',
        units: 2,
        unitPrice: 3500,
        amount: 7000,
        status: 'held',
      },
    ],
    invoice: {
      id: id(),
      rentalOrderId: ids.rental,
      amountDue: 7000,
      amountPaid: 0,
      currency: 'EUR',
      status: 'open',
      dueDate: '2030-03-02',
      issuedAt: T,
    },
    schedules: [
      { id: ids.schedule, type: 'pickup', scheduledFor: period.start, actualAt: null, assignedTo: null },
      { id: id(), type: 'return', scheduledFor: period.end, actualAt: null, assignedTo: null },
    ],
    qrToken: null,
    qrType: null,
    createdAt: T,
    confirmedAt: null,
    cancelledAt: null,
    completedAt: null,
    ...over,
  };
}

const confirmed = order({ status: 'confirmed', confirmedAt: T, qrToken: 'ds1h.abc.def', qrType: 'pickup' });
const handover: Handover = {
  id: ids.handover,
  type: 'pickup',
  rentalOrderId: ids.rental,
  verifiedAt: T,
  verifiedBy: ids.staff,
  pointsEarned: 0,
  rental: order({ status: 'active' }),
  ticket: {
    kind: 'pickup',
    id: ids.rental,
    customer: { id: ids.staff, name: 'Ada' },
    drop: null,
    slot: null,
    period: { start: T, end: T },
    units: [],
    amountToCollect: 0,
    currency: 'EUR',
    usedAt: T,
    timeZone: 'Europe/Berlin',
  },
};

const cases: ContractCase[] = [
  {
    name: 'rentals.categories.list',
    key: 'pk',
    method: 'GET',
    path: 'categories',
    response: {
      data: [{ id: ids.category, parentId: null, name: 'Gear', slug: 'gear', position: 0, children: [] }],
    },
    call: (c) => c.rentals.categories.list(),
  },
  {
    name: 'rentals.availability (period)',
    key: 'pk',
    method: 'GET',
    path: `products/${ids.product}/availability`,
    query: period,
    response: { productId: ids.product, ...period, totalUnits: 2, freeUnits: 1 },
    call: (c) => c.rentals.availability(ids.product, period),
  },
  {
    name: 'rentals.availability (month)',
    key: 'pk',
    method: 'GET',
    path: `products/${ids.product}/availability`,
    query: { month: '2030-03' },
    response: {
      productId: ids.product,
      month: '2030-03',
      timeZone: 'Europe/Berlin',
      totalUnits: 2,
      days: [
        {
          date: '2030-03-01',
          start: '2030-02-28T23:00:00.000Z',
          end: '2030-03-01T23:00:00.000Z',
          freeUnits: 2,
        },
      ],
    },
    call: (c) => c.rentals.availability(ids.product, { month: '2030-03' }),
  },
  {
    name: 'rentals.quotes.create',
    key: 'pk',
    method: 'POST',
    path: 'rental-quotes',
    body: { items: [{ productId: ids.product, quantity: 1 }], ...period, promoCode: 'SAVE10' },
    response: quote(),
    call: (c) =>
      c.rentals.quotes.create({
        items: [{ productId: ids.product, quantity: 1 }],
        ...period,
        promoCode: 'SAVE10',
      }),
  },
  {
    name: 'rentals.create',
    key: 'pk',
    method: 'POST',
    path: 'rentals',
    body: { items: [{ productId: ids.product, quantity: 1 }], ...period, expectedTotal: 7000 },
    status: 201,
    response: order(),
    call: (c) =>
      c.rentals.create({ items: [{ productId: ids.product, quantity: 1 }], ...period, expectedTotal: 7000 }),
  },
  {
    name: 'rentals.list',
    key: 'sk',
    method: 'GET',
    path: 'rentals',
    query: { limit: '10', status: 'confirmed', startingAfter: ids.rental },
    response: { data: [confirmed], hasMore: false },
    call: async (c) => await c.rentals.list({ limit: 10, status: 'confirmed', startingAfter: ids.rental }),
  },
  {
    name: 'rentals.retrieve',
    key: 'pk',
    method: 'GET',
    path: `rentals/${ids.rental}`,
    response: confirmed,
    call: (c) => c.rentals.retrieve(ids.rental),
  },
  {
    name: 'rentals.confirm',
    key: 'sk',
    method: 'POST',
    path: `rentals/${ids.rental}/confirm`,
    response: confirmed,
    call: (c) => c.rentals.confirm(ids.rental),
  },
  {
    name: 'rentals.cancel',
    key: 'pk',
    method: 'POST',
    path: `rentals/${ids.rental}/cancel`,
    response: order({ status: 'cancelled', cancelledAt: T }),
    call: (c) => c.rentals.cancel(ids.rental),
  },
  {
    name: 'rentals.schedules.update',
    key: 'sk',
    method: 'PATCH',
    path: `rentals/${ids.rental}/schedules/${ids.schedule}`,
    body: { assignedTo: ids.staff },
    response: order(),
    call: (c) => c.rentals.schedules.update(ids.rental, ids.schedule, { assignedTo: ids.staff }),
  },
  {
    name: 'rentals.handovers.create',
    key: 'pk',
    method: 'POST',
    path: 'handovers',
    body: { qrToken: 'ds1h.abc.def' },
    status: 201,
    response: handover,
    call: (c) => c.rentals.handovers.create({ qrToken: 'ds1h.abc.def' }),
  },
  {
    name: 'rentals.categories.create',
    key: 'sk',
    method: 'POST',
    path: 'categories',
    body: { name: 'Cameras', slug: 'cameras', parentId: ids.category },
    status: 201,
    response: {
      id: ids.handover,
      parentId: ids.category,
      name: 'Cameras',
      slug: 'cameras',
      position: 0,
      children: [],
    },
    call: (c) => c.rentals.categories.create({ name: 'Cameras', slug: 'cameras', parentId: ids.category }),
  },
  {
    name: 'rentals.units.list',
    key: 'sk',
    method: 'GET',
    path: `products/${ids.product}/units`,
    response: { data: [unit] },
    call: (c) => c.rentals.units.list(ids.product),
  },
  {
    name: 'rentals.units.create',
    key: 'sk',
    method: 'POST',
    path: `products/${ids.product}/units`,
    body: { serial: 'CAM-001' },
    status: 201,
    response: unit,
    call: (c) => c.rentals.units.create(ids.product, { serial: 'CAM-001' }),
  },
  {
    name: 'rentals.units.update',
    key: 'sk',
    method: 'PATCH',
    path: `inventory-items/${ids.schedule}`,
    body: { status: 'maintenance' },
    response: { ...unit, status: 'maintenance' },
    call: (c) => c.rentals.units.update(ids.schedule, { status: 'maintenance' }),
  },
  {
    name: 'rentals.promotions.create',
    key: 'sk',
    method: 'POST',
    path: 'promotions',
    body: { code: 'SPRING25', discountType: 'percent', value: 25, validFrom: T, validTo: period.end },
    status: 201,
    response: promotion,
    call: (c) =>
      c.rentals.promotions.create({
        code: 'SPRING25',
        discountType: 'percent',
        value: 25,
        validFrom: T,
        validTo: period.end,
      }),
  },
  {
    name: 'rentals.promotions.list',
    key: 'sk',
    method: 'GET',
    path: 'promotions',
    response: { data: [promotion] },
    call: (c) => c.rentals.promotions.list(),
  },
  {
    name: 'rentals.promotions.update',
    key: 'sk',
    method: 'PATCH',
    path: `promotions/${ids.handover}`,
    body: { active: false },
    response: { ...promotion, active: false },
    call: (c) => c.rentals.promotions.update(ids.handover, { active: false }),
  },
  {
    name: 'rentals.subscriptionPlans.create',
    key: 'sk',
    method: 'POST',
    path: 'subscription-plans',
    body: {
      name: 'Pro',
      discountPct: 15,
      durationDays: 30,
      price: { amount: 2900, currency: 'EUR' },
      includedProductIds: [ids.product],
    },
    status: 201,
    response: {
      id: ids.category,
      name: 'Pro',
      discountPct: 15,
      durationDays: 30,
      price: { amount: 2900, currency: 'EUR' },
      includedProductIds: [ids.product],
    },
    call: (c) =>
      c.rentals.subscriptionPlans.create({
        name: 'Pro',
        discountPct: 15,
        durationDays: 30,
        price: { amount: 2900, currency: 'EUR' },
        includedProductIds: [ids.product],
      }),
  },
  {
    name: 'rentals.loyalty.retrieve',
    key: 'pk',
    method: 'GET',
    path: 'customers/me/loyalty',
    response: {
      pointsBalance: 70,
      tier: 'standard',
      ledger: [
        {
          id: ids.handover,
          delta: 70,
          reason: 'earn',
          balanceAfter: 70,
          rentalOrderId: ids.rental,
          createdAt: T,
        },
      ],
      subscription: null,
    },
    call: (c) => c.rentals.loyalty.retrieve(),
  },
  {
    name: 'rentals.subscriptionPlans.list',
    key: 'pk',
    method: 'GET',
    path: 'subscription-plans',
    response: {
      data: [
        {
          id: ids.category,
          name: 'Creator',
          discountPct: 20,
          durationDays: 30,
          price: { amount: 1900, currency: 'EUR' },
          includedProductIds: [ids.product],
        },
      ],
    },
    call: (c) => c.rentals.subscriptionPlans.list(),
  },
];

describe('client.rentals sends the contract request', () => {
  contractTests(
    cases.map((c) => ({ ...c, token: TOKEN })),
    seen,
  );
});

describe('client.rentals errors', () => {
  test('ids are percent-encoded into the path', async () => {
    server.use(http.get(`${BASE}/v1/rentals/:id`, () => HttpResponse.json(order())));
    await client().rentals.retrieve('a/b?c');
    assert.equal(seen[0]!.url.pathname, '/v1/rentals/a%2Fb%3Fc');
  });

  test('a second scan is a ConflictError qr_already_used with firstUsedAt', async () => {
    server.use(
      http.post(`${BASE}/v1/handovers`, () =>
        HttpResponse.json(
          problem(409, 'qr_already_used', { firstUsedAt: T, rentalOrderId: ids.rental, type: 'pickup' }),
          { status: 409, headers: problemHeaders },
        ),
      ),
    );
    const error = await client()
      .rentals.handovers.create({ qrToken: 'ds1h.abc.def' })
      .catch((e: unknown) => e);
    assert.ok(ConflictError.is(error));
    assert.equal(error.code, 'qr_already_used');
    assert.equal(error.problem?.['firstUsedAt'], T);
  });

  test('unit_unavailable on create is a ConflictError; a retry reuses the idempotency key', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/rentals`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
          : HttpResponse.json(problem(409, 'unit_unavailable'), { status: 409, headers: problemHeaders });
      }),
    );
    const error = await client({ maxRetries: 1 })
      .rentals.create({ items: [{ productId: ids.product, quantity: 1 }], ...period })
      .catch((e: unknown) => e);
    assert.ok(ConflictError.is(error));
    assert.equal(error.code, 'unit_unavailable');
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.headers.get('idempotency-key'), seen[1]!.headers.get('idempotency-key'));
  });

  test('an order that does not match the contract is an InvalidResponseError', async () => {
    server.use(http.get(`${BASE}/v1/rentals/:id`, () => HttpResponse.json({ ...order(), status: 'lost' })));
    const error = await client()
      .rentals.retrieve(ids.rental)
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidResponseError);
  });
});
