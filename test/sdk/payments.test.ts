/** `client.payments` and `client.invoices` send exactly the contract request and map refusals to the error classes. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  ConflictError,
  InvalidResponseError,
  ValidationError,
  type Invoice,
  type Payment,
} from '../../src/index.js';
import {
  BASE,
  PK,
  SK,
  T,
  client,
  id,
  problem,
  problemHeaders,
  recordRequests,
  server,
  useServer,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = 'ct_shopper';
const ids = { payment: id(), reservation: id(), invoice: id(), rental: id(), store: id(), customer: id() };

function payment(over: Partial<Payment> = {}): Payment {
  return {
    id: ids.payment,
    storeId: ids.store,
    provider: 'test',
    status: 'requires_action',
    amount: 2500,
    currency: 'EUR',
    reservationId: ids.reservation,
    invoiceId: null,
    customerId: ids.customer,
    clientSecret: null,
    publishableKey: null,
    nextAction: {
      type: 'authenticate',
      url: '/v1/test-provider/intents/tpi_1/authenticate',
      token: 'tok',
    },
    lastError: null,
    refundStatus: null,
    createdAt: T,
    paidAt: null,
    refundedAt: null,
    ...over,
  };
}

const invoice: Invoice = {
  id: ids.invoice,
  rentalOrderId: ids.rental,
  amountDue: 7000,
  amountPaid: 7000,
  currency: 'EUR',
  status: 'paid',
  dueDate: '2030-03-02',
  issuedAt: T,
};

describe('client.payments and client.invoices', () => {
  test('payments.create: POST /v1/payments with the body, the customer token and an idempotency key', async () => {
    server.use(http.post(`${BASE}/v1/payments`, () => HttpResponse.json(payment())));
    const api = client({ publishableKey: PK, customerToken: TOKEN });
    const result = await api.payments.create({
      reservationId: ids.reservation,
      paymentMethod: 'pm_card_requires_action',
    });
    assert.equal(seen.length, 1);
    const req = seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url.href, `${BASE}/v1/payments`);
    assert.equal(req.headers.get('authorization'), `Bearer ${PK}`);
    assert.equal(req.headers.get('x-customer-token'), TOKEN);
    assert.equal(req.headers.get('content-type'), 'application/json');
    assert.match(req.headers.get('idempotency-key') ?? '', UUID);
    assert.deepEqual(JSON.parse(await req.body), {
      reservationId: ids.reservation,
      paymentMethod: 'pm_card_requires_action',
    });
    assert.deepEqual(result, payment());
  });

  test('payments.create for an invoice with Stripe answers the client secret and publishable key', async () => {
    const stripe = payment({
      provider: 'stripe',
      status: 'requires_payment_method',
      reservationId: null,
      invoiceId: ids.invoice,
      clientSecret: 'pi_1_secret_2',
      publishableKey: 'pk_test_stripe',
      nextAction: null,
    });
    server.use(http.post(`${BASE}/v1/payments`, () => HttpResponse.json(stripe)));
    const result = await client({ secretKey: SK }).payments.create({ invoiceId: ids.invoice });
    assert.deepEqual(JSON.parse(await seen[0]!.body), { invoiceId: ids.invoice });
    assert.equal(seen[0]!.headers.get('authorization'), `Bearer ${SK}`);
    assert.equal(result.clientSecret, 'pi_1_secret_2');
    assert.equal(result.publishableKey, 'pk_test_stripe');
  });

  test('payments.retrieve and invoices.retrieve: GET with the id percent-encoded, no idempotency key', async () => {
    server.use(
      http.get(`${BASE}/v1/payments/:id`, () =>
        HttpResponse.json(payment({ status: 'succeeded', paidAt: T })),
      ),
      http.get(`${BASE}/v1/invoices/:id`, () => HttpResponse.json(invoice)),
    );
    const api = client({ customerToken: TOKEN });
    const paid = await api.payments.retrieve(ids.payment);
    assert.equal(paid.status, 'succeeded');
    assert.deepEqual(await api.invoices.retrieve(ids.invoice), invoice);
    assert.deepEqual(
      seen.map((r) => [r.method, r.url.pathname, r.headers.get('idempotency-key')]),
      [
        ['GET', `/v1/payments/${ids.payment}`, null],
        ['GET', `/v1/invoices/${ids.invoice}`, null],
      ],
    );
    await api.payments.retrieve('a/b').catch(() => {});
    assert.equal(seen[2]!.url.pathname, '/v1/payments/a%2Fb');
  });

  test('already paid is a ConflictError with its code; a bad payment method a ValidationError', async () => {
    server.use(
      http.post(`${BASE}/v1/payments`, async ({ request }) => {
        const body = (await request.json()) as { paymentMethod?: string };
        return body.paymentMethod === 'bad'
          ? HttpResponse.json(problem(400, 'validation_failed', { detail: 'Unknown test payment method.' }), {
              status: 400,
              headers: problemHeaders,
            })
          : HttpResponse.json(problem(409, 'already_paid', { detail: 'This reservation is paid.' }), {
              status: 409,
              headers: problemHeaders,
            });
      }),
    );
    const api = client({ customerToken: TOKEN });
    await assert.rejects(api.payments.create({ reservationId: ids.reservation }), (e: unknown) => {
      assert.ok(ConflictError.is(e));
      assert.equal(e.code, 'already_paid');
      assert.equal(e.status, 409);
      assert.equal(e.requestId, 'req_123');
      return true;
    });
    await assert.rejects(
      api.payments.create({ reservationId: ids.reservation, paymentMethod: 'bad' }),
      (e: unknown) => ValidationError.is(e) && e.code === 'validation_failed',
    );
  });

  test('a response that breaks the contract is an InvalidResponseError', async () => {
    server.use(http.get(`${BASE}/v1/payments/:id`, () => HttpResponse.json({ ...payment(), amount: 12.5 })));
    await assert.rejects(
      client().payments.retrieve(ids.payment),
      (e: unknown) => e instanceof InvalidResponseError,
    );
  });
});
