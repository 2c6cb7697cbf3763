/**
 * Payments with the built-in test provider: paid holds confirmed by the provider's signed webhook, declines, the
 * authentication step, rental invoices, refunds by the store's rule, automatic refunds of late successes, and inbound
 * webhooks that are verified, applied once and change nothing when tampered with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../../examples/server/db/index.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

/** A hold of a new customer on a drop priced `price` (its slot starts a day after START). */
async function paidHold(t: TestApp, price = 2500, rule?: Record<string, number>) {
  const customer = await t.customer();
  const { slotIds } = await t.drop({ priceCents: price, ...(rule && { rule }) });
  const hold = await t.call('POST', '/v1/reservations', {
    token: customer.token,
    body: { slotId: slotIds[0] },
  });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  return { customer, reservationId: hold.body.id as string, hold: hold.body };
}

function pay(t: TestApp, token: string, body: Record<string, unknown>, idempotencyKey?: string) {
  return t.call('POST', '/v1/payments', { token, body, ...(idempotencyKey && { idempotencyKey }) });
}

async function eventsOf(t: TestApp, type: string) {
  return rows<{ type: string; metadata: Record<string, unknown> }>(
    t.handle.db,
    sql`select type, metadata from events where type = ${type} order by occurred_at, id`,
  );
}

async function auditActions(t: TestApp, entityId: string) {
  const found = await rows<{ action: string }>(
    t.handle.db,
    sql`select action from audit_logs where entity_id = ${entityId} order by created_at, id`,
  );
  return found.map((r) => r.action).sort();
}

let skuSeq = 0;
async function rentalOrder(t: TestApp, token: string, start = DAY) {
  const { productId } = await createRentalProduct(
    t.handle.db,
    t.store.storeId,
    {
      sku: `PAY${++skuSeq}-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Camera',
      basePriceCents: 3500,
      pricingUnit: 'day',
      units: 1,
    },
    t.clock.now(),
  );
  const reply = await t.call('POST', '/v1/rentals', {
    token,
    body: { items: [{ productId, quantity: 1 }], start: at(start), end: at(start + 2 * DAY) },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as { id: string; total: number; invoice: { id: string; amountDue: number } };
}

for (const kind of databaseKinds) {
  describe(`payments (test provider) on ${kind}`, () => {
    it('a paid hold is not confirmed by its customer; pm_card_visa pays it and the signed webhook confirms it', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId, hold } = await paidHold(t, 2500);
        const drop = await t.call('GET', `/v1/drops/${hold.dropId}`);
        assert.equal(drop.body.paymentRequired, true, 'the drop says its holds are paid');
        await t.handle.db.execute(
          sql`update stores set drop_payment_required = false where id = ${t.store.storeId}`,
        );
        assert.equal(
          (await t.call('GET', `/v1/drops/${hold.dropId}`)).body.paymentRequired,
          false,
          'pay at pickup',
        );
        await t.handle.db.execute(
          sql`update stores set drop_payment_required = true where id = ${t.store.storeId}`,
        );
        const before = await t.fingerprint();
        const refused = await t.call('POST', `/v1/reservations/${reservationId}/confirm`, {
          token: customer.token,
        });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'payment_required');
        assert.deepEqual(await t.fingerprint(), before, 'the refused confirm changed nothing');

        const paid = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_visa' }, 'pay-1');
        assert.equal(paid.status, 200, JSON.stringify(paid.body));
        assert.equal(paid.body.status, 'succeeded');
        assert.equal(paid.body.provider, 'test');
        assert.equal(paid.body.amount, 2500);
        assert.equal(paid.body.currency, 'EUR');
        assert.equal(paid.body.reservationId, reservationId);
        assert.equal(paid.body.customerId, customer.id);
        assert.ok(paid.body.paidAt);

        const reservation = await t.call('GET', `/v1/reservations/${reservationId}`, {
          token: customer.token,
        });
        assert.equal(reservation.body.state, 'CONFIRMED');
        assert.ok(reservation.body.qrToken, 'the confirmed reservation carries its check-in token');

        // Success came through the signed webhook: the event row is there, applied once.
        const received = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from payment_provider_events where payment_id = ${paid.body.id}
                and type = 'payment_intent.succeeded'`,
        );
        assert.equal(received[0]!.n, 1);
        const succeeded = await eventsOf(t, 'payment.succeeded');
        assert.equal(succeeded.length, 1);
        assert.deepEqual(
          { ...succeeded[0]!.metadata },
          {
            paymentId: paid.body.id,
            amount: 2500,
            currency: 'EUR',
            provider: 'test',
            reservationId,
          },
        );
        const confirmed = await eventsOf(t, 'reservation.confirmed');
        assert.equal(confirmed.length, 1);
        assert.equal(confirmed[0]!.metadata.via, 'payment');
        assert.deepEqual(await auditActions(t, paid.body.id), [
          'payment.create',
          'payment.provider_call', // the intent was created
          'payment.provider_call', // and confirmed with pm_card_visa
          'payment.webhook', // payment_intent.succeeded
        ]);

        // Paying again is refused; retrieving shows the same payment.
        const again = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_visa' });
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'already_paid');
        const got = await t.call('GET', `/v1/payments/${paid.body.id}`, { token: customer.token });
        assert.equal(got.status, 200);
        assert.equal(got.body.status, 'succeeded');
        const payments = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from payments where reservation_id = ${reservationId}`,
        );
        assert.equal(payments[0]!.n, 1);
      }));

    it('free drops are unchanged: the customer confirms, and there is nothing to pay', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId, hold } = await paidHold(t, 0);
        assert.equal((await t.call('GET', `/v1/drops/${hold.dropId}`)).body.paymentRequired, false);
        const before = await t.fingerprint();
        const refused = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_visa' });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'payment_not_required');
        assert.deepEqual(await t.fingerprint(), before);
        const confirmed = await t.call('POST', `/v1/reservations/${reservationId}/confirm`, {
          token: customer.token,
        });
        assert.equal(confirmed.status, 200);
        assert.equal(confirmed.body.state, 'CONFIRMED');
      }));

    it('a declined card leaves the hold pending with the reason; another card on the same payment succeeds', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId } = await paidHold(t, 4000);
        const declined = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_declined' });
        assert.equal(declined.status, 200);
        assert.equal(declined.body.status, 'requires_payment_method');
        assert.deepEqual(declined.body.lastError, {
          code: 'card_declined',
          message: 'Your card was declined.',
        });
        const failed = await eventsOf(t, 'payment.failed');
        assert.equal(failed.length, 1);
        assert.equal(failed[0]!.metadata.code, 'card_declined');
        assert.equal(failed[0]!.metadata.amount, 4000);
        const pending = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(pending.body.state, 'PENDING');

        const retried = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_visa' });
        assert.equal(retried.body.id, declined.body.id, 'one payment per reservation');
        assert.equal(retried.body.status, 'succeeded');
        assert.equal(retried.body.lastError, null);
        const confirmed = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(confirmed.body.state, 'CONFIRMED');
      }));

    it('requires action: the authentication step approves (or denies) and the webhook carries the outcome', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId } = await paidHold(t, 1500);
        const started = await pay(t, customer.token, {
          reservationId,
          paymentMethod: 'pm_card_requires_action',
        });
        assert.equal(started.body.status, 'requires_action');
        const action = started.body.nextAction as { type: string; url: string; token: string };
        assert.equal(action.type, 'authenticate');
        assert.match(action.url, /^\/v1\/test-provider\/intents\/tpi_[0-9a-f]+\/authenticate$/);

        const before = await t.fingerprint();
        const forged = await t.call('POST', action.url, {
          key: null,
          body: { token: 'forged', result: 'approve' },
        });
        assert.equal(forged.status, 400);
        assert.deepEqual(await t.fingerprint(), before, 'a wrong token changes nothing');
        const held = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(held.body.state, 'PENDING');

        const approved = await t.call('POST', action.url, {
          key: null,
          body: { token: action.token, result: 'approve' },
        });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        assert.equal(approved.body.status, 'succeeded');
        const payment = await t.call('GET', `/v1/payments/${started.body.id}`, { token: customer.token });
        assert.equal(payment.body.status, 'succeeded');
        assert.equal(payment.body.nextAction, null);
        const confirmed = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(confirmed.body.state, 'CONFIRMED');

        // Denied: back to requires_payment_method with the reason; the hold stays pending.
        const other = await paidHold(t, 1500);
        const second = await pay(t, other.customer.token, {
          reservationId: other.reservationId,
          paymentMethod: 'pm_card_requires_action',
        });
        const denied = await t.call('POST', second.body.nextAction.url, {
          key: null,
          body: { token: second.body.nextAction.token, result: 'deny' },
        });
        assert.equal(denied.body.status, 'requires_payment_method');
        const after = await t.call('GET', `/v1/payments/${second.body.id}`, { token: other.customer.token });
        assert.equal(after.body.status, 'requires_payment_method');
        assert.equal(after.body.lastError.code, 'authentication_failed');
      }));

    it('a rental invoice is paid in full: the invoice is paid and the order confirmed by the payment', () =>
      withApp(kind, async (t) => {
        const customer = await t.customer();
        const order = await rentalOrder(t, customer.token);
        assert.equal(order.invoice.amountDue, 7000);
        const paid = await pay(t, customer.token, {
          invoiceId: order.invoice.id,
          paymentMethod: 'pm_card_visa',
        });
        assert.equal(paid.status, 200, JSON.stringify(paid.body));
        assert.equal(paid.body.status, 'succeeded');
        assert.equal(paid.body.amount, 7000);
        assert.equal(paid.body.invoiceId, order.invoice.id);

        const invoice = await t.call('GET', `/v1/invoices/${order.invoice.id}`, { token: customer.token });
        assert.equal(invoice.status, 200);
        assert.equal(invoice.body.status, 'paid');
        assert.equal(invoice.body.amountPaid, 7000);
        const rental = await t.call('GET', `/v1/rentals/${order.id}`, { token: customer.token });
        assert.equal(rental.body.status, 'confirmed');
        assert.ok(rental.body.qrToken, 'the pickup code exists once confirmed');

        const invoicePaid = await eventsOf(t, 'invoice.paid');
        assert.equal(invoicePaid.length, 1);
        assert.deepEqual(
          { ...invoicePaid[0]!.metadata },
          {
            invoiceId: order.invoice.id,
            rentalOrderId: order.id,
            amountDue: 7000,
            amountPaid: 7000,
            currency: 'EUR',
            paymentId: paid.body.id,
          },
        );
        const confirmed = await eventsOf(t, 'rental.confirmed');
        assert.equal(confirmed[0]!.metadata.via, 'payment');
        assert.deepEqual(await auditActions(t, order.invoice.id), ['invoice.payment']);

        // Someone else's invoice is not found; a paid one cannot be paid again.
        const stranger = await t.customer();
        const hidden = await t.call('GET', `/v1/invoices/${order.invoice.id}`, { token: stranger.token });
        assert.equal(hidden.status, 404);
        const again = await pay(t, customer.token, { invoiceId: order.invoice.id });
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'already_paid');
      }));

    it('cancelling within the rule refunds in full; a late customer cancel does not, a store cancel does', () =>
      withApp(kind, async (t) => {
        // The slot starts at START + 1 day; the default rule refunds until 24 h before it.
        const early = await paidHold(t, 2500);
        const paid = await pay(t, early.customer.token, {
          reservationId: early.reservationId,
          paymentMethod: 'pm_card_visa',
        });
        const cancelled = await t.call('POST', `/v1/reservations/${early.reservationId}/cancel`, {
          token: early.customer.token,
        });
        assert.equal(cancelled.status, 200);
        const refunded = await t.call('GET', `/v1/payments/${paid.body.id}`, { token: early.customer.token });
        assert.equal(refunded.body.status, 'refunded');
        assert.equal(refunded.body.refundStatus, 'succeeded');
        assert.ok(refunded.body.refundedAt);
        const events = await eventsOf(t, 'payment.refunded');
        assert.equal(events.length, 1);
        assert.equal(events[0]!.metadata.amount, 2500);
        assert.equal(events[0]!.metadata.reason, 'cancelled');
        assert.match(String(events[0]!.metadata.refundId), /^tpr_/);
        assert.deepEqual(await auditActions(t, paid.body.id), [
          'payment.create',
          'payment.provider_call',
          'payment.provider_call',
          'payment.refund',
          'payment.refund_request',
          'payment.webhook', // payment_intent.succeeded
          'payment.webhook', // charge.refunded
        ]);

        // 2 hours before the slot: a customer's cancel is past the rule, nothing is refunded.
        const late = await paidHold(t, 2500);
        const latePaid = await pay(t, late.customer.token, {
          reservationId: late.reservationId,
          paymentMethod: 'pm_card_visa',
        });
        t.clock.set(START.getTime() + DAY - 2 * HOUR);
        await t.call('POST', `/v1/reservations/${late.reservationId}/cancel`, { token: late.customer.token });
        const kept = await t.call('GET', `/v1/payments/${latePaid.body.id}`, { key: t.store.secretKey });
        assert.equal(kept.body.status, 'succeeded');
        assert.equal(kept.body.refundStatus, null);

        // The same timing cancelled by the store (secret key) is refunded.
        t.clock.set(START.getTime());
        const byStore = await paidHold(t, 2500);
        const storePaid = await pay(t, byStore.customer.token, {
          reservationId: byStore.reservationId,
          paymentMethod: 'pm_card_visa',
        });
        t.clock.set(START.getTime() + DAY - 2 * HOUR);
        await t.call('POST', `/v1/reservations/${byStore.reservationId}/cancel`, { key: t.store.secretKey });
        const storeRefund = await t.call('GET', `/v1/payments/${storePaid.body.id}`, {
          key: t.store.secretKey,
        });
        assert.equal(storeRefund.body.status, 'refunded');
      }));

    it('a paid rental cancelled within the rule is refunded and its invoice voided', () =>
      withApp(kind, async (t) => {
        const customer = await t.customer();
        const order = await rentalOrder(t, customer.token, 3 * DAY);
        const paid = await pay(t, customer.token, {
          invoiceId: order.invoice.id,
          paymentMethod: 'pm_card_visa',
        });
        assert.equal(paid.body.status, 'succeeded');
        const cancelled = await t.call('POST', `/v1/rentals/${order.id}/cancel`, { token: customer.token });
        assert.equal(cancelled.status, 200);
        assert.equal(cancelled.body.status, 'cancelled');
        assert.equal(cancelled.body.invoice.status, 'void');
        const refunded = await t.call('GET', `/v1/payments/${paid.body.id}`, { token: customer.token });
        assert.equal(refunded.body.status, 'refunded');
        const events = await eventsOf(t, 'payment.refunded');
        assert.equal(events[0]!.metadata.rentalOrderId, order.id);
        assert.equal(events[0]!.metadata.amount, 7000);
      }));

    it('a payment that succeeds after its hold lapsed is refunded automatically', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId, hold } = await paidHold(t, 1800);
        const started = await pay(t, customer.token, {
          reservationId,
          paymentMethod: 'pm_card_requires_action',
        });
        t.clock.set(new Date(hold.expiresAt).getTime() + 1000);
        const approved = await t.call('POST', started.body.nextAction.url, {
          key: null,
          body: { token: started.body.nextAction.token, result: 'approve' },
        });
        assert.equal(approved.body.status, 'succeeded');
        const reservation = await t.call('GET', `/v1/reservations/${reservationId}`, {
          token: customer.token,
        });
        assert.equal(reservation.body.state, 'EXPIRED');
        const payment = await t.call('GET', `/v1/payments/${started.body.id}`, { token: customer.token });
        assert.equal(payment.body.status, 'refunded');
        const events = await eventsOf(t, 'payment.refunded');
        assert.equal(events.length, 1);
        assert.equal(events[0]!.metadata.reason, 'hold_expired');
      }));

    it('inbound test webhooks: a tampered body or signature is 400 and changes nothing; a replay is applied once', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId } = await paidHold(t, 2500);
        const started = await pay(t, customer.token, {
          reservationId,
          paymentMethod: 'pm_card_requires_action',
        });
        const intentId = /intents\/(tpi_[0-9a-f]+)\//.exec(started.body.nextAction.url)![1]!;
        const body = JSON.stringify({
          id: 'tpevt_forged',
          object: 'event',
          type: 'payment_intent.succeeded',
          created: Math.floor(t.clock.now().getTime() / 1000),
          data: {
            object: {
              id: intentId,
              object: 'payment_intent',
              amount: 2500,
              currency: 'eur',
              status: 'succeeded',
              metadata: { paymentId: started.body.id },
            },
          },
        });
        const provider = t.dropslot.services.testProvider;
        const signature = provider.sign(body);
        const send = (raw: string, sig?: string) =>
          t.call('POST', '/v1/webhooks/test', {
            key: null,
            rawBody: raw,
            headers: { 'content-type': 'application/json', ...(sig && { 'test-provider-signature': sig }) },
          });
        const before = await t.fingerprint();
        for (const [raw, sig] of [
          [body.replace('"amount":2500', '"amount":1'), signature],
          [body, signature.replace(/v1=./, (m) => (m.endsWith('0') ? 'v1=1' : 'v1=0'))],
          [body, undefined],
          [body, provider.sign(body, new Date(t.clock.now().getTime() - 3600_000))],
          ['not json', provider.sign('not json')],
        ] as const) {
          const reply = await send(raw, sig);
          assert.equal(reply.status, 400, `${raw.slice(0, 20)} ${sig}`);
          assert.equal(reply.body.code, 'invalid_signature');
        }
        assert.deepEqual(await t.fingerprint(), before, 'refused webhooks changed nothing');
        const stillHeld = await t.call('GET', `/v1/payments/${started.body.id}`, { token: customer.token });
        assert.equal(stillHeld.body.status, 'requires_action');

        // Signed correctly it is applied (once): the webhook alone confirms the payment.
        const first = await send(body, signature);
        assert.equal(first.status, 200);
        assert.deepEqual(first.body, { received: true, duplicate: false });
        const afterFirst = await t.fingerprint();
        const replay = await send(body, signature);
        assert.deepEqual(replay.body, { received: true, duplicate: true });
        assert.deepEqual(await t.fingerprint(), afterFirst, 'a replay changes nothing');
        const reservation = await t.call('GET', `/v1/reservations/${reservationId}`, {
          token: customer.token,
        });
        assert.equal(reservation.body.state, 'CONFIRMED');
      }));

    it('a webhook that cannot be delivered leaves the payment processing; the sweeper delivers it later', () =>
      withApp(kind, async (t) => {
        const provider = t.dropslot.services.testProvider;
        const deliveries: number[] = [];
        // The server is unreachable for the provider's first attempt.
        provider.attach(async () => {
          deliveries.push(t.clock.now().getTime());
          return false;
        });
        const { customer, reservationId } = await paidHold(t, 2500);
        const pending = await pay(t, customer.token, { reservationId, paymentMethod: 'pm_card_visa' });
        assert.equal(
          pending.body.status,
          'processing',
          'accepted by the provider, not yet confirmed by its webhook',
        );
        assert.equal(deliveries.length, 1);
        const held = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(held.body.state, 'PENDING');

        provider.attach(async (body, signature) => {
          deliveries.push(t.clock.now().getTime());
          const response = await t.dropslot.app.request('/v1/webhooks/test', {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json', 'test-provider-signature': signature },
          });
          return response.ok;
        });
        await t.dropslot.sweep();
        assert.equal(deliveries.length, 1, 'not before its backoff');
        t.clock.advance(2_000);
        await t.dropslot.sweep();
        assert.equal(deliveries.length, 2);
        const paid = await t.call('GET', `/v1/payments/${pending.body.id}`, { token: customer.token });
        assert.equal(paid.body.status, 'succeeded');
        const confirmed = await t.call('GET', `/v1/reservations/${reservationId}`, { token: customer.token });
        assert.equal(confirmed.body.state, 'CONFIRMED');
        await t.dropslot.sweep();
        assert.equal(deliveries.length, 2, 'delivered events are not sent again');
      }));

    it('refuses bad requests with 4xx and changes nothing', () =>
      withApp(kind, async (t) => {
        const { customer, reservationId } = await paidHold(t, 2500);
        const stranger = await t.customer();
        const before = await t.fingerprint();
        const cases: [Record<string, unknown>, string | undefined, number, string][] = [
          [{}, customer.token, 400, 'validation_failed'],
          [{ reservationId, invoiceId: reservationId }, customer.token, 400, 'validation_failed'],
          [{ reservationId, paymentMethod: 'pm_card_unknown' }, customer.token, 400, 'validation_failed'],
          [{ reservationId, paymentMethod: 'bad method!' }, customer.token, 400, 'validation_failed'],
          [{ reservationId, extra: 1 }, customer.token, 400, 'validation_failed'],
          [{ reservationId }, stranger.token, 404, 'not_found'],
          [{ reservationId }, undefined, 401, 'customer_token_required'],
          [{ invoiceId: reservationId }, customer.token, 404, 'not_found'],
        ];
        for (const [body, token, status, code] of cases) {
          const reply = await t.call('POST', '/v1/payments', { ...(token && { token }), body });
          assert.equal(reply.status, status, `${JSON.stringify(body)} → ${JSON.stringify(reply.body)}`);
          assert.equal(reply.body.code, code);
        }
        assert.deepEqual(await t.fingerprint(), before);
        const missing = await t.call('GET', `/v1/payments/${reservationId}`, { token: customer.token });
        assert.equal(missing.status, 404);
        const notStripe = await t.call('POST', '/v1/webhooks/stripe', {
          key: null,
          rawBody: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(notStripe.status, 404);
        assert.equal(notStripe.body.code, 'provider_not_configured');
      }));
  });
}
