/**
 * `client.subscriptions` and `client.rentals.subscriptionPlans.update` send exactly the contract request for every
 * method, and map refusals to the error classes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  AuthenticationError,
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  ValidationError,
  type Subscription,
} from '../../src/index.js';
import {
  BASE,
  T,
  client,
  contractTests,
  id,
  problem,
  problemHeaders,
  recordRequests,
  server,
  useServer,
  type ContractCase,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const TOKEN = 'ct_shopper';
const ids = { subscription: id(), plan: id(), customer: id(), store: id(), invoice: id(), product: id() };
const END = '2030-03-31T09:00:00.000Z';

function subscription(over: Partial<Subscription> = {}): Subscription {
  return {
    id: ids.subscription,
    storeId: ids.store,
    customerId: ids.customer,
    planId: ids.plan,
    planName: 'Creator',
    discountPct: 20,
    status: 'pending_payment',
    startsAt: T,
    endsAt: END,
    cancelAtPeriodEnd: false,
    cancelledAt: null,
    endedAt: null,
    renewalNoticeAt: null,
    invoice: {
      id: ids.invoice,
      rentalOrderId: null,
      subscriptionId: ids.subscription,
      amountDue: 1900,
      amountPaid: 0,
      currency: 'EUR',
      status: 'open',
      dueDate: '2030-03-01',
      issuedAt: T,
    },
    createdAt: T,
    ...over,
  };
}

const plan = {
  id: ids.plan,
  name: 'Creator',
  discountPct: 20,
  durationDays: 30,
  price: { amount: 1900, currency: 'EUR' },
  includedProductIds: [ids.product],
  active: false,
};

const cases: ContractCase[] = [
  {
    name: 'subscriptions.create',
    key: 'pk',
    token: TOKEN,
    method: 'POST',
    path: 'subscriptions',
    body: { planId: ids.plan },
    status: 201,
    response: subscription(),
    call: (c) => c.subscriptions.create({ planId: ids.plan }),
  },
  {
    name: 'subscriptions.create for a customer (secret key)',
    method: 'POST',
    path: 'subscriptions',
    body: { planId: ids.plan, customerId: ids.customer },
    status: 201,
    response: subscription({ status: 'active' }),
    call: (c) => c.subscriptions.create({ planId: ids.plan, customerId: ids.customer }),
  },
  {
    name: 'subscriptions.retrieve',
    key: 'pk',
    token: TOKEN,
    method: 'GET',
    path: `subscriptions/${ids.subscription}`,
    response: subscription(),
    call: (c) => c.subscriptions.retrieve(ids.subscription),
  },
  {
    name: 'subscriptions.list',
    method: 'GET',
    path: 'subscriptions',
    query: { status: 'active', planId: ids.plan, limit: '10' },
    response: { data: [subscription({ status: 'active' })], hasMore: false },
    call: (c) => c.subscriptions.list({ status: 'active', planId: ids.plan, limit: 10 }),
  },
  {
    name: 'subscriptions.mine',
    key: 'pk',
    token: TOKEN,
    method: 'GET',
    path: 'customers/me/subscriptions',
    query: { status: 'active' },
    response: { data: [subscription({ status: 'active' })], hasMore: false },
    call: (c) => c.subscriptions.mine({ status: 'active' }),
  },
  {
    name: 'subscriptions.cancel (at period end, no body)',
    key: 'pk',
    token: TOKEN,
    method: 'POST',
    path: `subscriptions/${ids.subscription}/cancel`,
    response: subscription({ status: 'active', cancelAtPeriodEnd: true, cancelledAt: T }),
    call: (c) => c.subscriptions.cancel(ids.subscription),
  },
  {
    name: 'subscriptions.cancel now',
    method: 'POST',
    path: `subscriptions/${ids.subscription}/cancel`,
    body: { at: 'now' },
    response: subscription({ status: 'cancelled', cancelledAt: T, endedAt: T }),
    call: (c) => c.subscriptions.cancel(ids.subscription, { at: 'now' }),
  },
  {
    name: 'subscriptions.markPaid',
    method: 'POST',
    path: `subscriptions/${ids.subscription}/mark-paid`,
    response: subscription({ status: 'active' }),
    call: (c) => c.subscriptions.markPaid(ids.subscription),
  },
  {
    name: 'rentals.subscriptionPlans.update',
    method: 'PATCH',
    path: `subscription-plans/${ids.plan}`,
    body: { active: false },
    response: plan,
    call: (c) => c.rentals.subscriptionPlans.update(ids.plan, { active: false }),
  },
  {
    name: 'rentals.subscriptionPlans.list with switched-off plans',
    method: 'GET',
    path: 'subscription-plans',
    query: { includeInactive: 'true' },
    response: { data: [plan] },
    call: (c) => c.rentals.subscriptionPlans.list({ includeInactive: 'true' }),
  },
];

describe('client.subscriptions sends the contract request', () => {
  contractTests(cases, seen);
});

describe('client.subscriptions errors', () => {
  const refuse = (method: 'post' | 'get', path: string, status: number, code: string, extra = {}) =>
    server.use(
      http[method](`${BASE}/v1/${path}`, () =>
        HttpResponse.json(problem(status, code, extra), { status, headers: problemHeaders }),
      ),
    );

  test('already_subscribed is a ConflictError naming the subscription that waits; a retry reuses the key', async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/v1/subscriptions`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse(null, { status: 503, headers: { 'retry-after': '0' } })
          : HttpResponse.json(problem(409, 'already_subscribed', { subscriptionId: ids.subscription }), {
              status: 409,
              headers: problemHeaders,
            });
      }),
    );
    const error = await client({ maxRetries: 1, publishableKey: 'pk_test_abc', customerToken: TOKEN })
      .subscriptions.create({ planId: ids.plan })
      .catch((e: unknown) => e);
    assert.ok(ConflictError.is(error));
    assert.equal(error.code, 'already_subscribed');
    assert.equal(error.problem?.['subscriptionId'], ids.subscription);
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.headers.get('idempotency-key'), seen[1]!.headers.get('idempotency-key'));
  });

  test('plan_inactive is a ValidationError', async () => {
    refuse('post', 'subscriptions', 422, 'plan_inactive', { planId: ids.plan });
    const error = await client()
      .subscriptions.create({ planId: ids.plan, customerId: ids.customer })
      .catch((e: unknown) => e);
    assert.ok(ValidationError.is(error));
    assert.equal(error.code, 'plan_inactive');
  });

  test('a customer ending a running subscription now is an AuthenticationError (403); an unknown id NotFoundError', async () => {
    refuse('post', `subscriptions/${ids.subscription}/cancel`, 403, 'forbidden');
    const forbidden = await client()
      .subscriptions.cancel(ids.subscription, { at: 'now' })
      .catch((e: unknown) => e);
    assert.ok(AuthenticationError.is(forbidden));
    assert.equal(forbidden.status, 403);
    refuse('get', `subscriptions/${ids.subscription}`, 404, 'not_found');
    const missing = await client()
      .subscriptions.retrieve(ids.subscription)
      .catch((e: unknown) => e);
    assert.ok(NotFoundError.is(missing));
  });

  test('mark-paid twice is a ConflictError already_paid; ids are percent-encoded', async () => {
    refuse('post', 'subscriptions/:id/mark-paid', 409, 'already_paid');
    const error = await client()
      .subscriptions.markPaid('a/b?c')
      .catch((e: unknown) => e);
    assert.ok(ConflictError.is(error));
    assert.equal(error.code, 'already_paid');
    assert.equal(seen[0]!.url.pathname, '/v1/subscriptions/a%2Fb%3Fc/mark-paid');
  });

  test('a subscription that does not match the contract is an InvalidResponseError', async () => {
    server.use(
      http.get(`${BASE}/v1/subscriptions/:id`, () =>
        HttpResponse.json({ ...subscription(), status: 'paused' }),
      ),
    );
    const error = await client()
      .subscriptions.retrieve(ids.subscription)
      .catch((e: unknown) => e);
    assert.ok(error instanceof InvalidResponseError);
  });
});
