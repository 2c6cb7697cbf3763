/**
 * The Stripe adapter, offline: outgoing calls to api.stripe.com are intercepted (msw) and asserted — amount, currency,
 * Idempotency-Key, metadata — and inbound events are signed with a test secret (`generateTestHeaderString`) and
 * verified by the `stripe` package. The same event ten times at once is applied once; events in any order end the same;
 * a tampered body or signature is 400 and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import Stripe from 'stripe';
import { sql } from 'drizzle-orm';
import { rows } from '../../examples/server/db/index.js';
import { databaseKinds } from '../support/db.js';
import { withApp, type TestApp } from '../support/app.js';

const WEBHOOK_SECRET = 'whsec_test_dropslot';
const stripeOptions = {
  secretKey: 'sk_test_dropslot_offline',
  webhookSecret: WEBHOOK_SECRET,
  publishableKey: 'pk_test_dropslot_offline',
  maxNetworkRetries: 0,
};
const signer = new Stripe('sk_test_signer');

interface Captured {
  method: string;
  path: string;
  headers: Headers;
  form: URLSearchParams;
}
const captured: Captured[] = [];
let intentSeq = 0;

const server = setupServer(
  http.post('https://api.stripe.com/v1/payment_intents', async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    captured.push({ method: 'POST', path: '/v1/payment_intents', headers: request.headers, form });
    const id = `pi_test_${++intentSeq}`;
    const metadata: Record<string, string> = {};
    for (const [key, value] of form) {
      const m = /^metadata\[(.+)\]$/.exec(key);
      if (m) metadata[m[1]!] = value;
    }
    return HttpResponse.json({
      id,
      object: 'payment_intent',
      amount: Number(form.get('amount')),
      currency: form.get('currency'),
      status: 'requires_payment_method',
      client_secret: `${id}_secret_abc`,
      metadata,
      last_payment_error: null,
      next_action: null,
    });
  }),
  http.post('https://api.stripe.com/v1/payment_intents/:id/confirm', async ({ request, params }) => {
    const form = new URLSearchParams(await request.text());
    captured.push({
      method: 'POST',
      path: `/v1/payment_intents/${params.id}/confirm`,
      headers: request.headers,
      form,
    });
    const error = {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    };
    return HttpResponse.json(
      {
        error: {
          type: 'card_error',
          ...error,
          payment_intent: {
            id: params.id,
            object: 'payment_intent',
            amount: 2500,
            currency: 'eur',
            status: 'requires_payment_method',
            client_secret: `${params.id}_secret_abc`,
            metadata: {},
            last_payment_error: { type: 'card_error', ...error },
            next_action: null,
          },
        },
      },
      { status: 402 },
    );
  }),
  http.post('https://api.stripe.com/v1/refunds', async ({ request }) => {
    const form = new URLSearchParams(await request.text());
    captured.push({ method: 'POST', path: '/v1/refunds', headers: request.headers, form });
    return HttpResponse.json({
      id: `re_for_${form.get('payment_intent')}`,
      object: 'refund',
      amount: Number(form.get('amount')),
      payment_intent: form.get('payment_intent'),
      status: 'succeeded',
    });
  }),
);

before(() => server.listen({ onUnhandledRequest: 'bypass' }));
after(() => server.close());

async function paidHold(t: TestApp, price = 2500) {
  const customer = await t.customer();
  const { slotIds } = await t.drop({ priceCents: price });
  const hold = await t.call('POST', '/v1/reservations', {
    token: customer.token,
    body: { slotId: slotIds[0] },
  });
  assert.equal(hold.status, 201);
  return { customer, reservationId: hold.body.id as string };
}

/** A signed Stripe event about `intent` and the headers to send it with. */
function stripeEvent(
  id: string,
  type: string,
  created: number,
  intent: { id: string; amount: number; metadata: Record<string, string> },
  status: string,
  error?: { code: string; message: string },
) {
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type,
    data: {
      object: {
        id: intent.id,
        object: 'payment_intent',
        amount: intent.amount,
        currency: 'eur',
        status,
        metadata: intent.metadata,
        last_payment_error: error ?? null,
        next_action: null,
      },
    },
  });
  return {
    payload,
    signature: signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
  };
}

function send(t: TestApp, payload: string, signature?: string) {
  return t.call('POST', '/v1/webhooks/stripe', {
    key: null,
    rawBody: payload,
    headers: { 'content-type': 'application/json', ...(signature && { 'stripe-signature': signature }) },
  });
}

async function finalState(t: TestApp, paymentId: string, reservationId: string) {
  const [payment] = await rows<{ status: string; last_error: unknown }>(
    t.handle.db,
    sql`select status, last_error from payments where id = ${paymentId}`,
  );
  const [reservation] = await rows<{ state: string }>(
    t.handle.db,
    sql`select state from reservations where id = ${reservationId}`,
  );
  const events = await rows<{ type: string; n: number }>(
    t.handle.db,
    sql`select type, count(*)::int as n from events where metadata->>'paymentId' = ${paymentId}
          or (type like 'reservation.%' and metadata->>'reservationId' = ${reservationId})
        group by type order by type`,
  );
  return { payment, reservation: reservation!.state, events };
}

for (const kind of databaseKinds) {
  describe(`payments with Stripe (offline) on ${kind}`, () => {
    it('creates one PaymentIntent per payment with an idempotency key, amount, currency and metadata', () =>
      withApp(
        kind,
        async (t) => {
          captured.length = 0;
          const { customer, reservationId } = await paidHold(t, 2500);
          const created = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId },
            idempotencyKey: 'browser-attempt-1',
          });
          assert.equal(created.status, 200, JSON.stringify(created.body));
          assert.equal(created.body.provider, 'stripe');
          assert.equal(created.body.status, 'requires_payment_method');
          assert.match(created.body.clientSecret, /^pi_test_\d+_secret_abc$/);
          assert.equal(created.body.publishableKey, 'pk_test_dropslot_offline');

          assert.equal(captured.length, 1);
          const call = captured[0]!;
          assert.equal(call.form.get('amount'), '2500');
          assert.equal(call.form.get('currency'), 'eur');
          assert.equal(call.form.get('automatic_payment_methods[enabled]'), 'true');
          assert.equal(call.form.get('metadata[paymentId]'), created.body.id);
          assert.equal(call.form.get('metadata[reservationId]'), reservationId);
          assert.equal(call.form.get('metadata[storeId]'), t.store.storeId);
          assert.equal(call.headers.get('idempotency-key'), `dropslot_payment_${created.body.id}`);
          assert.equal(call.headers.get('authorization'), 'Bearer sk_test_dropslot_offline');

          // A second request (another tab, another key) answers the same payment without a second intent.
          const again = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId },
            idempotencyKey: 'browser-attempt-2',
          });
          assert.equal(again.body.id, created.body.id);
          assert.equal(again.body.clientSecret, created.body.clientSecret);
          assert.equal(captured.length, 1, 'no second PaymentIntent');

          // Someone else never sees the client secret.
          const other = await t.customer();
          const hidden = await t.call('GET', `/v1/payments/${created.body.id}`, { token: other.token });
          assert.equal(hidden.status, 404);
        },
        { payments: { stripe: stripeOptions } },
      ));

    it('confirms on the server with a payment method: a decline answers the reason, the hold stays pending', () =>
      withApp(
        kind,
        async (t) => {
          captured.length = 0;
          const { customer, reservationId } = await paidHold(t, 2500);
          const declined = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId, paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds' },
            idempotencyKey: 'confirm-1',
          });
          assert.equal(declined.status, 200, JSON.stringify(declined.body));
          assert.equal(declined.body.status, 'requires_payment_method');
          assert.deepEqual(declined.body.lastError, {
            code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
          });
          assert.deepEqual(
            captured.map((c) => c.path),
            [
              '/v1/payment_intents',
              `/v1/payment_intents/${declined.body.clientSecret.replace(/_secret_abc$/, '')}/confirm`,
            ],
          );
          const confirm = captured[1]!;
          assert.equal(confirm.form.get('payment_method'), 'pm_card_chargeDeclinedInsufficientFunds');
          assert.equal(
            confirm.headers.get('idempotency-key'),
            `dropslot_confirm_${declined.body.id}_confirm-1`,
          );
          const hold = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
          assert.equal(hold.body.state, 'PENDING');
        },
        { payments: { stripe: stripeOptions } },
      ));

    it('applies the same signed event sent 10 times at once exactly once', () =>
      withApp(
        kind,
        async (t) => {
          const { customer, reservationId } = await paidHold(t, 2500);
          const created = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId },
          });
          const intentId = (created.body.clientSecret as string).replace(/_secret_abc$/, '');
          const intent = {
            id: intentId,
            amount: 2500,
            metadata: { paymentId: created.body.id, reservationId, storeId: t.store.storeId },
          };
          const event = stripeEvent(
            'evt_same',
            'payment_intent.succeeded',
            1_900_000_000,
            intent,
            'succeeded',
          );
          const replies = await Promise.all(
            Array.from({ length: 10 }, () => send(t, event.payload, event.signature)),
          );
          assert.ok(
            replies.every((r) => r.status === 200),
            JSON.stringify(replies.map((r) => r.body)),
          );
          assert.equal(replies.filter((r) => r.body.duplicate === false).length, 1);
          const state = await finalState(t, created.body.id, reservationId);
          assert.equal(state.payment!.status, 'succeeded');
          assert.equal(state.reservation, 'CONFIRMED');
          assert.deepEqual(state.events, [
            { type: 'payment.succeeded', n: 1 },
            { type: 'reservation.confirmed', n: 1 },
            { type: 'reservation.created', n: 1 },
          ]);
          const webhooks = await rows<{ n: number }>(
            t.handle.db,
            sql`select count(*)::int as n from audit_logs where action = 'payment.webhook'`,
          );
          assert.equal(webhooks[0]!.n, 1);
        },
        { payments: { stripe: stripeOptions } },
      ));

    it('ends in the same state whatever order the events arrive in, duplicates and late ones included', () =>
      withApp(
        kind,
        async (t) => {
          const orders = [
            ['processing', 'failed', 'succeeded', 'processing'],
            ['succeeded', 'failed', 'processing', 'processing'],
            ['failed', 'succeeded', 'processing', 'failed'],
            ['processing', 'succeeded', 'failed', 'succeeded'],
          ];
          const finals = [];
          for (const [n, order] of orders.entries()) {
            const { customer, reservationId } = await paidHold(t, 3000);
            const created = await t.call('POST', '/v1/payments', {
              token: customer.token,
              body: { reservationId },
            });
            const intent = {
              id: (created.body.clientSecret as string).replace(/_secret_abc$/, ''),
              amount: 3000,
              metadata: { paymentId: created.body.id, reservationId },
            };
            // The provider's story: processing at t, the card failed at t+1, a second card succeeded at t+2.
            const events = {
              processing: stripeEvent(
                `evt_${n}_p`,
                'payment_intent.processing',
                1_900_000_000,
                intent,
                'processing',
              ),
              failed: stripeEvent(
                `evt_${n}_f`,
                'payment_intent.payment_failed',
                1_900_000_001,
                intent,
                'requires_payment_method',
                { code: 'card_declined', message: 'Your card was declined.' },
              ),
              succeeded: stripeEvent(
                `evt_${n}_s`,
                'payment_intent.succeeded',
                1_900_000_002,
                intent,
                'succeeded',
              ),
            };
            for (const name of order) {
              const event = events[name as keyof typeof events];
              const reply = await send(t, event.payload, event.signature);
              assert.equal(reply.status, 200);
            }
            const state = await finalState(t, created.body.id, reservationId);
            finals.push(state);
          }
          for (const state of finals) {
            assert.deepEqual(state, { ...finals[0], payment: finals[0]!.payment });
          }
          assert.equal(finals[0]!.payment!.status, 'succeeded');
          assert.equal(finals[0]!.payment!.last_error, null);
          assert.equal(finals[0]!.reservation, 'CONFIRMED');
          assert.deepEqual(finals[0]!.events, [
            { type: 'payment.failed', n: 1 },
            { type: 'payment.succeeded', n: 1 },
            { type: 'reservation.confirmed', n: 1 },
            { type: 'reservation.created', n: 1 },
          ]);
        },
        { payments: { stripe: stripeOptions } },
      ));

    it('refuses a tampered body or signature with 400 and changes nothing', () =>
      withApp(
        kind,
        async (t) => {
          const { customer, reservationId } = await paidHold(t, 2500);
          const created = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId },
          });
          const intent = {
            id: (created.body.clientSecret as string).replace(/_secret_abc$/, ''),
            amount: 2500,
            metadata: { paymentId: created.body.id, reservationId },
          };
          const event = stripeEvent(
            'evt_tamper',
            'payment_intent.succeeded',
            1_900_000_000,
            intent,
            'succeeded',
          );
          const before = await t.fingerprint();
          const otherSecret = signer.webhooks.generateTestHeaderString({
            payload: event.payload,
            secret: 'whsec_someone_else',
          });
          const stale = signer.webhooks.generateTestHeaderString({
            payload: event.payload,
            secret: WEBHOOK_SECRET,
            timestamp: Math.floor(Date.now() / 1000) - 3600,
          });
          for (const [payload, signature] of [
            [event.payload.replace('"amount":2500', '"amount":1'), event.signature],
            [event.payload, otherSecret],
            [event.payload, stale],
            [event.payload, 't=1,v1=deadbeef'],
            [event.payload, undefined],
          ] as const) {
            const reply = await send(t, payload, signature);
            assert.equal(reply.status, 400, JSON.stringify(reply.body));
            assert.equal(reply.body.code, 'invalid_signature');
          }
          assert.deepEqual(await t.fingerprint(), before);
          const [payment] = await rows<{ status: string; n: number }>(
            t.handle.db,
            sql`select status, (select count(*)::int from payment_provider_events) as n from payments
                where id = ${created.body.id}`,
          );
          assert.deepEqual({ ...payment }, { status: 'requires_payment_method', n: 0 });
        },
        { payments: { stripe: stripeOptions } },
      ));

    it('refunds through the Refunds API with an idempotency key when a paid reservation is cancelled', () =>
      withApp(
        kind,
        async (t) => {
          const { customer, reservationId } = await paidHold(t, 2500);
          const created = await t.call('POST', '/v1/payments', {
            token: customer.token,
            body: { reservationId },
          });
          const intentId = (created.body.clientSecret as string).replace(/_secret_abc$/, '');
          const intent = {
            id: intentId,
            amount: 2500,
            metadata: { paymentId: created.body.id, reservationId },
          };
          const paid = stripeEvent(
            'evt_paid',
            'payment_intent.succeeded',
            1_900_000_000,
            intent,
            'succeeded',
          );
          assert.equal((await send(t, paid.payload, paid.signature)).status, 200);

          captured.length = 0;
          const cancelled = await t.call('POST', `/v1/reservations/${reservationId}/cancel`, {
            token: customer.token,
          });
          assert.equal(cancelled.status, 200);
          assert.equal(captured.length, 1);
          const call = captured[0]!;
          assert.equal(call.path, '/v1/refunds');
          assert.equal(call.form.get('payment_intent'), intentId);
          assert.equal(call.form.get('amount'), '2500');
          assert.equal(call.headers.get('idempotency-key'), `dropslot_refund_${created.body.id}`);
          const refunded = await t.call('GET', `/v1/payments/${created.body.id}`, { token: customer.token });
          assert.equal(refunded.body.status, 'refunded');

          // Stripe's own charge.refunded webhook then changes nothing more.
          const payload = JSON.stringify({
            id: 'evt_refunded',
            object: 'event',
            created: 1_900_000_100,
            type: 'charge.refunded',
            data: {
              object: {
                id: 'ch_1',
                object: 'charge',
                payment_intent: intentId,
                refunded: true,
                amount_refunded: 2500,
                metadata: intent.metadata,
              },
            },
          });
          const signature = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
          assert.equal((await send(t, payload, signature)).status, 200);
          const refundEvents = await rows<{ n: number }>(
            t.handle.db,
            sql`select count(*)::int as n from events where type = 'payment.refunded'`,
          );
          assert.equal(refundEvents[0]!.n, 1);
        },
        { payments: { stripe: stripeOptions } },
      ));
  });
}
