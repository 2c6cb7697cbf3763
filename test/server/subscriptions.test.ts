/**
 * Subscriptions, black box over HTTP (and the SDK) on PGlite and PostgreSQL: subscribe, pay the invoice with the test
 * provider, the discount in quotes while active, the renewal notice once, the end after `duration_days` on the manual
 * clock; renewals that start where the running one ends; free plans and payment at the counter; cancellation at
 * period end or now (with a refund); plans switched off; webhooks and mails of every step. Then every new route
 * against every kind of caller, and bad input on every new route (database unchanged).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { ConflictError, createClient, ValidationError } from '../../src/index.js';
import { pgError, rows, schema } from '../../examples/server/db/index.js';
import { createRentalProduct, createUser } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { Outbox } from '../support/outbox.js';
import { OPERATOR_TOKEN, START, withApp, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

const DEV = { webhooks: { allowPrivateUrls: true } };

let seq = 0;
/**
 * A customer with an e-mail address (so mails go out) and their token; `renew()` mints a new token after the clock
 * moved past the old one's hour.
 */
async function shopper(t: TestApp, name = 'Ada') {
  const email = `sub${++seq}-${Math.random().toString(36).slice(2, 8)}@test.example`;
  const externalId = `s${seq}-${email}`;
  const mint = async () => {
    const reply = await t.call('POST', '/v1/customer-sessions', {
      key: t.store.secretKey,
      body: { externalId, email, name },
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body as { customer: { id: string }; token: string };
  };
  const first = await mint();
  const who = {
    id: first.customer.id,
    token: first.token,
    email,
    async renew() {
      who.token = (await mint()).token;
    },
  };
  return who;
}

/** A signed-in owner of the test store. */
async function owner(t: TestApp) {
  const email = `owner-${Math.random().toString(36).slice(2)}@team.example`;
  const id = await createUser(
    t.handle.db,
    t.store.storeId,
    { email, password: 'owner-password', name: 'Olga Owner', roles: ['owner'] },
    t.clock.now(),
  );
  const signIn = async () => {
    const reply = await t.call('POST', '/v1/customers/sign-in', {
      body: { email, password: 'owner-password' },
    });
    assert.equal(reply.status, 200);
    return reply.body.token as string;
  };
  const who = {
    id,
    token: await signIn(),
    async renew() {
      who.token = await signIn();
    },
  };
  return who;
}

/** A rentable camera (35.00 a day) and a 30-day plan giving 20 % off it, priced `price`. */
async function planAndCamera(t: TestApp, price = 1900, durationDays = 30) {
  const { productId } = await createRentalProduct(
    t.handle.db,
    t.store.storeId,
    {
      sku: `CAM-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Camera',
      basePriceCents: 3500,
      pricingUnit: 'day',
      units: 2,
    },
    t.clock.now(),
  );
  const plan = await t.call('POST', '/v1/subscription-plans', {
    key: t.store.secretKey,
    body: {
      name: 'Creator',
      discountPct: 20,
      durationDays,
      price: { amount: price, currency: 'EUR' },
      includedProductIds: [productId],
    },
  });
  assert.equal(plan.status, 201, JSON.stringify(plan.body));
  assert.equal(plan.body.active, true);
  return { productId, planId: plan.body.id as string };
}

/** The subscription discount of a two-day rental of the camera starting at `start` (ms after START), for `token`. */
async function discountAt(t: TestApp, token: string, productId: string, start: number) {
  const quote = await t.call('POST', '/v1/rental-quotes', {
    token,
    body: { items: [{ productId, quantity: 1 }], start: at(start), end: at(start + 2 * DAY) },
  });
  assert.equal(quote.status, 200, JSON.stringify(quote.body));
  return { discount: quote.body.subscriptionDiscount as number, subscriptionId: quote.body.subscriptionId };
}

async function eventsOf(t: TestApp, type: string) {
  return rows<{ metadata: Record<string, unknown> }>(
    t.handle.db,
    sql`select metadata from events where type = ${type} order by occurred_at, id`,
  );
}

async function auditActions(t: TestApp, entityId: string) {
  const found = await rows<{ action: string }>(
    t.handle.db,
    sql`select action from audit_logs where entity_id = ${entityId} order by created_at, id`,
  );
  return found.map((r) => r.action);
}

const subscribe = (t: TestApp, token: string, planId: string, idempotencyKey?: string) =>
  t.call('POST', '/v1/subscriptions', {
    token,
    body: { planId },
    ...(idempotencyKey && { idempotencyKey }),
  });

const pay = (t: TestApp, token: string, invoiceId: string) =>
  t.call('POST', '/v1/payments', { token, body: { invoiceId, paymentMethod: 'pm_card_visa' } });

for (const kind of databaseKinds) {
  describe(`subscriptions on ${kind}`, () => {
    it('subscribe → pay with the test provider → active → discounted quotes → one renewal notice → ends after duration_days', () => {
      const box = new Outbox();
      return withApp(
        kind,
        async (t) => {
          const hook = await t.call('POST', '/v1/webhook-endpoints', {
            key: t.store.secretKey,
            body: { url: 'http://127.0.0.1:9/hooks', enabledEvents: ['subscription.started'] },
          });
          assert.equal(hook.status, 201, JSON.stringify(hook.body));
          const all = await t.call('POST', '/v1/webhook-endpoints', {
            key: t.store.secretKey,
            body: { url: 'http://127.0.0.1:9/all' },
          });
          assert.equal(all.status, 201);
          const ada = await shopper(t);
          const { productId, planId } = await planAndCamera(t);
          assert.equal((await discountAt(t, ada.token, productId, DAY)).discount, 0, 'no subscription yet');

          // Subscribing answers a pending subscription and its open invoice; the quote is not discounted yet.
          const created = await subscribe(t, ada.token, planId, 'sub-1');
          assert.equal(created.status, 201, JSON.stringify(created.body));
          const sub = created.body;
          assert.equal(sub.status, 'pending_payment');
          assert.equal(sub.customerId, ada.id);
          assert.equal(sub.planName, 'Creator');
          assert.equal(sub.discountPct, 20);
          assert.equal(sub.cancelAtPeriodEnd, false);
          assert.deepEqual(
            {
              amountDue: sub.invoice.amountDue,
              amountPaid: sub.invoice.amountPaid,
              status: sub.invoice.status,
              subscriptionId: sub.invoice.subscriptionId,
              rentalOrderId: sub.invoice.rentalOrderId,
              currency: sub.invoice.currency,
            },
            {
              amountDue: 1900,
              amountPaid: 0,
              status: 'open',
              subscriptionId: sub.id,
              rentalOrderId: null,
              currency: 'EUR',
            },
          );
          const replay = await subscribe(t, ada.token, planId, 'sub-1');
          assert.equal(replay.status, 201);
          assert.equal(replay.body.id, sub.id, 'the Idempotency-Key replays the same subscription');
          const again = await subscribe(t, ada.token, planId);
          assert.equal(again.status, 409);
          assert.equal(again.body.code, 'already_subscribed');
          assert.equal(again.body.subscriptionId, sub.id);
          assert.equal((await discountAt(t, ada.token, productId, DAY)).discount, 0, 'pending gives nothing');
          const invoice = await t.call('GET', `/v1/invoices/${sub.invoice.id}`, { token: ada.token });
          assert.equal(invoice.status, 200);
          assert.equal(invoice.body.subscriptionId, sub.id);

          // Paid an hour later through the one payment path: the signed webhook activates it from then.
          t.clock.advance(HOUR);
          await ada.renew();
          const paid = await pay(t, ada.token, sub.invoice.id);
          assert.equal(paid.status, 200, JSON.stringify(paid.body));
          assert.equal(paid.body.status, 'succeeded');
          assert.equal(paid.body.amount, 1900);
          assert.equal(paid.body.invoiceId, sub.invoice.id);
          const active = (await t.call('GET', `/v1/subscriptions/${sub.id}`, { token: ada.token })).body;
          assert.equal(active.status, 'active');
          assert.equal(active.startsAt, at(HOUR));
          assert.equal(active.endsAt, at(HOUR + 30 * DAY));
          assert.equal(active.invoice.status, 'paid');
          assert.equal(active.invoice.amountPaid, 1900);
          const twice = await pay(t, ada.token, sub.invoice.id);
          assert.equal(twice.status, 409);
          assert.equal(twice.body.code, 'already_paid');

          const started = await eventsOf(t, 'subscription.started');
          assert.equal(started.length, 1);
          assert.deepEqual(started[0]!.metadata, {
            subscriptionId: sub.id,
            customerId: ada.id,
            planId,
            status: 'active',
            startsAt: at(HOUR),
            endsAt: at(HOUR + 30 * DAY),
            via: 'payment',
          });
          const invoicePaid = await eventsOf(t, 'invoice.paid');
          assert.equal(invoicePaid.at(-1)!.metadata.subscriptionId, sub.id);
          assert.deepEqual(await auditActions(t, sub.id), ['subscription.create', 'subscription.activate']);

          // The discount: 20 % of 2 days × 35.00 on rentals starting in the period, none on one starting after it.
          assert.deepEqual(await discountAt(t, ada.token, productId, DAY), {
            discount: 1400,
            subscriptionId: sub.id,
          });
          assert.equal(
            (await discountAt(t, ada.token, productId, 31 * DAY)).discount,
            0,
            'starts after the end',
          );
          const loyalty = await t.call('GET', '/v1/customers/me/loyalty', { token: ada.token });
          assert.equal(loyalty.body.subscription.id, sub.id);
          const mine = await t.call('GET', '/v1/customers/me/subscriptions', { token: ada.token });
          assert.deepEqual(
            mine.body.data.map((s: { id: string; status: string }) => [s.id, s.status]),
            [[sub.id, 'active']],
          );

          await t.dropslot.notify();
          assert.deepEqual(box.templates().sort(), ['payment_receipt', 'subscription_started']);
          const receipt = box.sent.find((m) => m.template === 'payment_receipt')!;
          assert.match(receipt.text, /Paid for: your subscription to Creator\./);
          assert.equal(receipt.to, ada.email);
          const startedMail = box.sent.find((m) => m.template === 'subscription_started')!;
          assert.match(startedMail.text, /Your subscription to Creator is active from .+ until .+\./);
          assert.match(startedMail.text, /cost 20% less/);

          // The renewal notice: three days before the end, recorded once however often the sweeper runs.
          t.clock.set(new Date(START.getTime() + HOUR + 27 * DAY - 1));
          await t.dropslot.sweep();
          assert.equal((await eventsOf(t, 'subscription.renewal_due')).length, 0, 'not yet');
          t.clock.advance(1);
          await ada.renew();
          assert.equal(await t.dropslot.sweep(), 1);
          await t.dropslot.sweep();
          await t.dropslot.sweep();
          const due = await eventsOf(t, 'subscription.renewal_due');
          assert.equal(due.length, 1, 'sent once');
          assert.equal(due[0]!.metadata.subscriptionId, sub.id);
          const noticed = (await t.call('GET', `/v1/subscriptions/${sub.id}`, { token: ada.token })).body;
          assert.equal(noticed.renewalNoticeAt, at(HOUR + 27 * DAY));
          await t.dropslot.notify();
          await t.dropslot.notify();
          const renewalMails = box.sent.filter((m) => m.template === 'subscription_renewal_due');
          assert.equal(renewalMails.length, 1);
          assert.match(renewalMails[0]!.text, /Your subscription to Creator ends on/);

          // Still discounted up to the end; then the sweeper ends it and quotes are full price.
          assert.equal((await discountAt(t, ada.token, productId, 28 * DAY)).discount, 1400);
          t.clock.set(new Date(START.getTime() + HOUR + 30 * DAY));
          await ada.renew();
          assert.equal(await t.dropslot.sweep(), 1);
          const ended = (await t.call('GET', `/v1/subscriptions/${sub.id}`, { token: ada.token })).body;
          assert.equal(ended.status, 'expired');
          assert.equal(ended.endedAt, at(HOUR + 30 * DAY));
          assert.deepEqual(await discountAt(t, ada.token, productId, 31 * DAY), {
            discount: 0,
            subscriptionId: null,
          });
          assert.equal(
            (await t.call('GET', '/v1/customers/me/loyalty', { token: ada.token })).body.subscription,
            null,
          );
          assert.equal((await eventsOf(t, 'subscription.ended')).length, 1);
          assert.equal(await t.dropslot.sweep(), 0, 'ended once');
          await t.dropslot.notify();
          const endedMail = box.sent.filter((m) => m.template === 'subscription_ended');
          assert.equal(endedMail.length, 1);
          assert.match(endedMail[0]!.text, /ended on/);
          assert.deepEqual(await auditActions(t, sub.id), [
            'subscription.create',
            'subscription.activate',
            'subscription.renewal_due',
            'subscription.end',
          ]);
          const notices = await t.call('GET', '/v1/customers/me/notifications', { token: ada.token });
          assert.equal(notices.status, 200);
          assert.deepEqual(
            notices.body.data
              .map((n: { template: string; status: string }) => `${n.template}:${n.status}`)
              .sort(),
            [
              'payment_receipt:sent',
              'subscription_ended:sent',
              'subscription_renewal_due:sent',
              'subscription_started:sent',
            ],
          );

          // Webhooks: the outbox holds one message per event for each endpoint subscribed to its type.
          const messages = await rows<{ endpoint_id: string; type: string }>(
            t.handle.db,
            sql`select endpoint_id, type from webhook_events where type like 'subscription.%' order by created_at, type`,
          );
          assert.deepEqual(
            messages.filter((m) => m.endpoint_id === all.body.id).map((m) => m.type),
            ['subscription.started', 'subscription.renewal_due', 'subscription.ended'],
          );
          assert.deepEqual(
            messages.filter((m) => m.endpoint_id === hook.body.id).map((m) => m.type),
            ['subscription.started'],
          );
        },
        { notifications: { channel: box }, ...DEV },
      );
    });

    it('subscribing again while one runs queues a renewal from its end; the two never overlap', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const { productId, planId } = await planAndCamera(t, 1900, 10);
        const first = (await subscribe(t, ada.token, planId)).body;
        await pay(t, ada.token, first.invoice.id);
        t.clock.advance(5 * DAY);
        await ada.renew();
        const renewal = await subscribe(t, ada.token, planId);
        assert.equal(renewal.status, 201);
        assert.equal(renewal.body.status, 'pending_payment');
        assert.equal(renewal.body.startsAt, at(10 * DAY), 'provisionally from the running one’s end');
        // Paid later: still from the running one's end, never overlapping it.
        t.clock.advance(2 * DAY);
        await ada.renew();
        assert.equal((await pay(t, ada.token, renewal.body.invoice.id)).body.status, 'succeeded');
        const queued = (await t.call('GET', `/v1/subscriptions/${renewal.body.id}`, { token: ada.token }))
          .body;
        assert.equal(queued.status, 'active');
        assert.equal(queued.startsAt, at(10 * DAY));
        assert.equal(queued.endsAt, at(20 * DAY));
        const third = await subscribe(t, ada.token, planId);
        assert.equal(third.status, 409);
        assert.equal(third.body.code, 'already_subscribed', 'one renewal may be queued');

        // A renewed subscription gets no renewal notice; the discount runs on without a gap.
        t.clock.set(new Date(START.getTime() + 9 * DAY));
        await ada.renew();
        await t.dropslot.sweep();
        assert.equal((await eventsOf(t, 'subscription.renewal_due')).length, 0);
        assert.equal((await discountAt(t, ada.token, productId, 12 * DAY)).subscriptionId, renewal.body.id);
        t.clock.set(new Date(START.getTime() + 10 * DAY));
        await ada.renew();
        await t.dropslot.sweep();
        const statuses = await t.call('GET', '/v1/customers/me/subscriptions', { token: ada.token });
        assert.deepEqual(
          statuses.body.data.map((s: { id: string; status: string }) => [s.id, s.status]),
          [
            [renewal.body.id, 'active'],
            [first.id, 'expired'],
          ],
        );
        assert.equal((await discountAt(t, ada.token, productId, 10 * DAY)).discount, 1400);

        // The database refuses two overlapping active subscriptions of a customer to a plan, whoever writes them.
        await assert.rejects(
          t.handle.db.insert(schema.subscriptions).values({
            storeId: t.store.storeId,
            userId: ada.id,
            planId,
            status: 'active',
            startsAt: new Date(START.getTime() + 15 * DAY),
            endsAt: new Date(START.getTime() + 25 * DAY),
          }),
          (error: unknown) => pgError(error)?.constraint === 'subscriptions_no_overlap',
        );
      }));

    it('free plans start at once; a store paid at the counter starts them with an open invoice staff mark paid', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const staff = await t.staff();
        const free = await planAndCamera(t, 0);
        const created = await subscribe(t, ada.token, free.planId);
        assert.equal(created.body.status, 'active');
        assert.equal(created.body.invoice.status, 'paid');
        assert.equal(created.body.invoice.amountDue, 0);
        assert.equal((await eventsOf(t, 'subscription.started'))[0]!.metadata.via, 'free');
        const nothing = await pay(t, ada.token, created.body.invoice.id);
        assert.equal(nothing.status, 409);
        assert.equal(nothing.body.code, 'already_paid');

        // Online store, paid in cash at the counter: staff mark it paid and it starts then.
        const paidPlan = await planAndCamera(t, 2500);
        const pending = (await subscribe(t, ada.token, paidPlan.planId)).body;
        t.clock.advance(HOUR / 2);
        const marked = await t.call('POST', `/v1/subscriptions/${pending.id}/mark-paid`, {
          token: staff.token,
        });
        assert.equal(marked.status, 200, JSON.stringify(marked.body));
        assert.equal(marked.body.status, 'active');
        assert.equal(marked.body.startsAt, at(HOUR / 2));
        assert.equal(marked.body.invoice.status, 'paid');
        assert.equal(marked.body.invoice.amountPaid, 2500);
        const paidEvent = (await eventsOf(t, 'invoice.paid')).find(
          (e) => e.metadata.subscriptionId === pending.id,
        )!.metadata;
        assert.equal(paidEvent.via, 'counter');
        assert.deepEqual(await auditActions(t, pending.invoice.id), ['invoice.mark_paid']);
        const before = await t.fingerprint();
        const repeat = await t.call('POST', `/v1/subscriptions/${pending.id}/mark-paid`, {
          token: staff.token,
        });
        assert.equal(repeat.status, 409);
        assert.equal(repeat.body.code, 'already_paid');
        assert.deepEqual(await t.fingerprint(), before);

        // A store that takes payment at the counter: active at once, the invoice open until staff mark it paid.
        await t.handle.db.execute(
          sql`update stores set rental_payment = 'at_pickup' where id = ${t.store.storeId}`,
        );
        const counter = await planAndCamera(t, 900);
        const bob = await shopper(t, 'Bob');
        const atCounter = (await subscribe(t, bob.token, counter.planId)).body;
        assert.equal(atCounter.status, 'active');
        assert.equal(atCounter.invoice.status, 'open');
        assert.equal(
          (await eventsOf(t, 'subscription.started')).find((e) => e.metadata.subscriptionId === atCounter.id)!
            .metadata.via,
          'at_counter',
        );
        assert.equal((await discountAt(t, bob.token, counter.productId, DAY)).discount, 1400);
        const settled = await t.call('POST', `/v1/subscriptions/${atCounter.id}/mark-paid`, {
          key: t.store.secretKey,
        });
        assert.equal(settled.body.status, 'active');
        assert.equal(settled.body.startsAt, atCounter.startsAt, 'the period is unchanged');
        assert.equal(settled.body.invoice.status, 'paid');
      }));

    it('cancel: pending at once, active at period end (customer) or now (store, refunded); then 409', () => {
      const box = new Outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await shopper(t);
          const bob = await shopper(t, 'Bob');
          const boss = await owner(t);
          const { productId, planId } = await planAndCamera(t);

          // Pending: cancelled at once, its invoice void and no longer payable.
          const pending = (await subscribe(t, ada.token, planId)).body;
          const stranger = await t.call('POST', `/v1/subscriptions/${pending.id}/cancel`, {
            token: bob.token,
          });
          assert.equal(stranger.status, 404, 'another customer’s subscription does not exist for them');
          const cancelled = await t.call('POST', `/v1/subscriptions/${pending.id}/cancel`, {
            token: ada.token,
          });
          assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
          assert.equal(cancelled.body.status, 'cancelled');
          assert.equal(cancelled.body.invoice.status, 'void');
          assert.equal(cancelled.body.endedAt, at(0));
          const late = await pay(t, ada.token, pending.invoice.id);
          assert.equal(late.status, 409);
          assert.equal(late.body.code, 'invalid_state');
          const before = await t.fingerprint();
          const again = await t.call('POST', `/v1/subscriptions/${pending.id}/cancel`, { token: ada.token });
          assert.equal(again.status, 409);
          assert.equal(again.body.code, 'invalid_state');
          assert.equal(again.body.subscriptionStatus, 'cancelled');
          assert.deepEqual(await t.fingerprint(), before);

          // Active, by its customer: at the end of the period; the discount stays until then, no renewal notice.
          const sub = (await subscribe(t, ada.token, planId)).body;
          await pay(t, ada.token, sub.invoice.id);
          const now = await t.call('POST', `/v1/subscriptions/${sub.id}/cancel`, {
            token: ada.token,
            body: { at: 'now' },
          });
          assert.equal(now.status, 403, 'only the store ends a running subscription now');
          const atEnd = await t.call('POST', `/v1/subscriptions/${sub.id}/cancel`, { token: ada.token });
          assert.equal(atEnd.status, 200);
          assert.equal(atEnd.body.status, 'active');
          assert.equal(atEnd.body.cancelAtPeriodEnd, true);
          assert.equal(atEnd.body.cancelledAt, at(0));
          const repeat = await t.call('POST', `/v1/subscriptions/${sub.id}/cancel`, {
            token: ada.token,
            body: { at: 'period_end' },
          });
          assert.equal(repeat.status, 200);
          assert.equal((await eventsOf(t, 'subscription.cancelled')).length, 2, 'pending + period end, once');
          assert.equal((await discountAt(t, ada.token, productId, DAY)).discount, 1400);
          t.clock.set(new Date(START.getTime() + 28 * DAY));
          await ada.renew();
          await t.dropslot.sweep();
          assert.equal((await eventsOf(t, 'subscription.renewal_due')).length, 0, 'no notice once cancelled');
          t.clock.set(new Date(START.getTime() + 30 * DAY));
          await Promise.all([ada.renew(), bob.renew(), boss.renew()]);
          await t.dropslot.sweep();
          const over = (await t.call('GET', `/v1/subscriptions/${sub.id}`, { token: ada.token })).body;
          assert.equal(over.status, 'cancelled');
          assert.equal(over.endedAt, at(30 * DAY));
          assert.equal((await eventsOf(t, 'subscription.ended')).at(-1)!.metadata.status, 'cancelled');

          // By the store, now: it ends at once and the online payment is refunded in full.
          const bobs = (await subscribe(t, bob.token, planId)).body;
          assert.equal((await pay(t, bob.token, bobs.invoice.id)).body.status, 'succeeded');
          assert.equal((await discountAt(t, bob.token, productId, 31 * DAY)).discount, 1400);
          const ended = await t.call('POST', `/v1/subscriptions/${bobs.id}/cancel`, {
            token: boss.token,
            body: { at: 'now' },
          });
          assert.equal(ended.status, 200, JSON.stringify(ended.body));
          assert.equal(ended.body.status, 'cancelled');
          assert.equal(ended.body.invoice.status, 'void', 'the refund voided the invoice');
          const [payment] = await rows<{ status: string; refund_status: string; refund_reason: string }>(
            t.handle.db,
            sql`select status, refund_status, refund_reason from payments where invoice_id = ${bobs.invoice.id}`,
          );
          assert.deepEqual(
            { ...payment },
            {
              status: 'refunded',
              refund_status: 'succeeded',
              refund_reason: 'cancelled',
            },
          );
          assert.equal((await discountAt(t, bob.token, productId, 31 * DAY)).discount, 0);
          const cancelledEvent = (await eventsOf(t, 'subscription.cancelled')).at(-1)!.metadata;
          assert.deepEqual([cancelledEvent.at, cancelledEvent.by], ['now', 'store']);

          await t.dropslot.notify();
          const mails = box.sent.filter((m) => m.template === 'subscription_cancelled');
          assert.equal(mails.length, 3);
          assert.ok(mails.some((m) => /still applies to rentals starting before/.test(m.text)));
          assert.ok(mails.some((m) => /is cancelled and has ended/.test(m.text)));
        },
        { notifications: { channel: box } },
      );
    });

    it('a payment that succeeds after the subscription was cancelled is refunded; plans switched off keep their subscribers', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const bob = await shopper(t, 'Bob');
        const { productId, planId } = await planAndCamera(t);
        // Ada's payment needs her bank's step; meanwhile she cancels; the late success is refunded.
        const sub = (await subscribe(t, ada.token, planId)).body;
        const started = await t.call('POST', '/v1/payments', {
          token: ada.token,
          body: { invoiceId: sub.invoice.id, paymentMethod: 'pm_card_requires_action' },
        });
        assert.equal(started.body.status, 'requires_action');
        await t.call('POST', `/v1/subscriptions/${sub.id}/cancel`, { token: ada.token });
        const url = new URL(started.body.nextAction.url, t.baseUrl);
        const approved = await t.call('POST', url.pathname, {
          key: null,
          body: { token: started.body.nextAction.token, result: 'approve' },
        });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        await t.dropslot.sweep();
        const payment = await t.call('GET', `/v1/payments/${started.body.id}`, { token: ada.token });
        assert.equal(payment.body.status, 'refunded');
        const after = (await t.call('GET', `/v1/subscriptions/${sub.id}`, { token: ada.token })).body;
        assert.equal(after.status, 'cancelled', 'a late payment never revives it');

        // Bob subscribes; then the plan is switched off: no new subscribers, Bob keeps his discount.
        const bobs = (await subscribe(t, bob.token, planId)).body;
        await pay(t, bob.token, bobs.invoice.id);
        const off = await t.call('PATCH', `/v1/subscription-plans/${planId}`, {
          key: t.store.secretKey,
          body: { active: false, name: 'Creator (old)' },
        });
        assert.equal(off.status, 200);
        assert.equal(off.body.active, false);
        assert.equal(off.body.name, 'Creator (old)');
        assert.deepEqual(off.body.includedProductIds, [productId]);
        assert.equal((await t.call('GET', '/v1/subscription-plans')).body.data.length, 0);
        const listed = await t.call('GET', '/v1/subscription-plans?includeInactive=true', {
          key: t.store.secretKey,
        });
        assert.deepEqual(
          listed.body.data.map((p: { id: string; active: boolean }) => [p.id, p.active]),
          [[planId, false]],
        );
        const refused = await t.call('GET', '/v1/subscription-plans?includeInactive=true');
        assert.equal(refused.status, 403);
        const closed = await subscribe(t, ada.token, planId);
        assert.equal(closed.status, 422);
        assert.equal(closed.body.code, 'plan_inactive');
        assert.equal((await discountAt(t, bob.token, productId, DAY)).discount, 1400);
        assert.deepEqual((await auditActions(t, planId)).sort(), [
          'subscription_plan.create',
          'subscription_plan.update',
        ]);
        const on = await t.call('PATCH', `/v1/subscription-plans/${planId}`, {
          key: t.store.secretKey,
          body: { active: true },
        });
        assert.equal(on.body.active, true);
        assert.equal((await subscribe(t, ada.token, planId)).status, 201);
      }));

    it('the SDK: client.subscriptions create, mine, retrieve, list, cancel, markPaid; errors by class and code', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const { planId } = await planAndCamera(t);
        const shop = createClient({
          baseUrl: t.baseUrl,
          publishableKey: t.store.publishableKey,
          customerToken: ada.token,
          maxRetries: 0,
        });
        const admin = createClient({ baseUrl: t.baseUrl, secretKey: t.store.secretKey, maxRetries: 0 });
        const plans = await shop.rentals.subscriptionPlans.list();
        assert.deepEqual(
          plans.data.map((p) => p.id),
          [planId],
        );
        const sub = await shop.subscriptions.create({ planId });
        assert.equal(sub.status, 'pending_payment');
        await assert.rejects(shop.subscriptions.create({ planId }), (e: unknown) => {
          assert.ok(ConflictError.is(e));
          assert.equal(e.code, 'already_subscribed');
          return true;
        });
        const mine: string[] = [];
        for await (const s of shop.subscriptions.mine()) mine.push(s.id);
        assert.deepEqual(mine, [sub.id]);
        const marked = await admin.subscriptions.markPaid(sub.id);
        assert.equal(marked.status, 'active');
        assert.equal((await shop.subscriptions.retrieve(sub.id)).status, 'active');
        const all: string[] = [];
        for await (const s of admin.subscriptions.list({ status: 'active', customerId: ada.id }))
          all.push(s.id);
        assert.deepEqual(all, [sub.id]);
        const atEnd = await shop.subscriptions.cancel(sub.id);
        assert.equal(atEnd.cancelAtPeriodEnd, true);
        const now = await admin.subscriptions.cancel(sub.id, { at: 'now' });
        assert.equal(now.status, 'cancelled');
        const off = await admin.rentals.subscriptionPlans.update(planId, { active: false });
        assert.equal(off.active, false);
        await assert.rejects(shop.subscriptions.create({ planId }), (e: unknown) => {
          assert.ok(ValidationError.is(e));
          assert.equal(e.code, 'plan_inactive');
          return true;
        });
        const listed = await admin.rentals.subscriptionPlans.list({ includeInactive: 'true' });
        assert.equal(listed.data[0]!.active, false);
      }));

    it('every new route: none, publishable, customer, staff, owner, secret key, another store → 401/403/404, never its data', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const bob = await shopper(t, 'Bob');
        const staff = await t.staff();
        const boss = await owner(t);
        const { planId } = await planAndCamera(t);
        const other = await t.call('POST', '/v1/stores', {
          key: null,
          headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
          body: { name: 'Other store', ownerEmail: 'other@store.example' },
        });
        assert.equal(other.status, 201);
        const sk = { key: t.store.secretKey };
        const adas = (await subscribe(t, ada.token, planId)).body;
        type Caller = { key?: string | null; token?: string };
        type Route = [string, string, unknown?];
        const routes = (id: string): Route[] => [
          ['POST', '/v1/subscriptions', { planId }],
          ['GET', '/v1/customers/me/subscriptions'],
          ['GET', '/v1/subscriptions'],
          ['GET', `/v1/subscriptions/${id}`],
          ['POST', `/v1/subscriptions/${id}/mark-paid`],
          ['POST', `/v1/subscriptions/${id}/cancel`, {}],
          ['PATCH', `/v1/subscription-plans/${planId}`, { name: 'Creator' }],
          ['GET', '/v1/subscription-plans?includeInactive=true'],
        ];
        /**
         * What each caller gets on each route (by index). A customer token (staff's too) subscribes and lists its own
         * customer; staff read any subscription and mark it paid at the counter; only owners and secret keys cancel
         * others' subscriptions, list them all and change plans.
         */
        const expected: [string, Caller, number[], boolean][] = [
          ['none', { key: null }, [401, 401, 401, 401, 401, 401, 401, 401], false],
          ['publishable key', {}, [401, 401, 403, 401, 403, 401, 403, 403], false],
          ['another customer', { token: bob.token }, [201, 200, 403, 404, 403, 404, 403, 403], false],
          [
            'another store’s key with this store’s token',
            { key: other.body.publishableKey, token: ada.token },
            [401, 401, 401, 401, 401, 401, 401, 401],
            false,
          ],
          ['staff', { token: staff.token }, [201, 200, 403, 200, 200, 404, 403, 403], true],
        ];
        for (const [who, caller, want, seesAda] of expected) {
          for (const [i, [method, path, body]] of routes(adas.id).entries()) {
            const reply = await t.call(method, path, { ...caller, ...(body !== undefined && { body }) });
            assert.equal(reply.status, want[i], `${method} ${path} as ${who}: ${JSON.stringify(reply.body)}`);
            if (reply.status >= 400) assert.match(reply.headers.get('content-type') ?? '', /problem\+json/);
            if (!seesAda) {
              for (const id of [ada.id, adas.id])
                assert.ok(
                  !JSON.stringify(reply.body ?? '').includes(id),
                  `${method} ${path} as ${who} leaks ${id}`,
                );
            }
          }
        }
        const ours = (await t.call('GET', `/v1/subscriptions/${adas.id}`, sk)).body;
        assert.equal(ours.status, 'active', 'staff marked it paid; nobody else changed it');
        assert.equal(ours.cancelAtPeriodEnd, false);

        // Another store's secret key: this store's ids are 404, its lists are its own (empty) and hold nothing of ours.
        const otherKey = { key: other.body.secretKey as string };
        const state = await t.fingerprint();
        for (const [method, path, body] of routes(adas.id)) {
          const reply = await t.call(method, path, { ...otherKey, ...(body !== undefined && { body }) });
          if (path.includes(adas.id) || path.includes(planId))
            assert.equal(reply.status, 404, `${method} ${path} with another store's key: ${reply.status}`);
          else if (method === 'POST') assert.equal(reply.status, 400, 'a secret key names the customer');
          else if (path === '/v1/customers/me/subscriptions') assert.equal(reply.status, 401);
          else assert.equal(reply.status, 200, `${method} ${path} on its own store`);
          for (const id of [adas.id, ada.id, planId, t.store.storeId])
            assert.ok(!JSON.stringify(reply.body ?? '').includes(id), `${path} leaks ${id}`);
        }
        const subscribeForOurs = await t.call('POST', '/v1/subscriptions', {
          ...otherKey,
          body: { planId, customerId: ada.id },
        });
        assert.equal(subscribeForOurs.status, 404);
        assert.deepEqual(await t.fingerprint(), state, 'another store changed nothing here');

        // Owner and secret key: every route answers 2xx (the secret key names the customer it subscribes).
        for (const [who, caller] of [
          ['owner', { token: boss.token }],
          ['secret', sk],
        ] as const) {
          const customer = await shopper(t, who);
          const newcomer = await shopper(t, `${who} 2`);
          const target = (await subscribe(t, customer.token, planId)).body;
          for (const [method, path, body] of routes(target.id)) {
            const payload =
              who === 'secret' && method === 'POST' && path === '/v1/subscriptions'
                ? { planId, customerId: newcomer.id }
                : body;
            const reply = await t.call(method, path, {
              ...caller,
              ...(payload !== undefined && { body: payload }),
            });
            const ok = path === '/v1/customers/me/subscriptions' && who === 'secret' ? 401 : undefined;
            if (ok) assert.equal(reply.status, ok, `${path} needs a customer token`);
            else
              assert.ok(
                reply.status === 200 || reply.status === 201,
                `${method} ${path} as ${who}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
              );
          }
        }
      }));

    it('bad input on every new route → 4xx problem+json, database unchanged', () =>
      withApp(kind, async (t) => {
        const ada = await shopper(t);
        const staff = await t.staff();
        const sk = { key: t.store.secretKey };
        const me = { token: ada.token };
        const { planId } = await planAndCamera(t);
        const pending = (await subscribe(t, ada.token, planId)).body;
        const unknown = '00000000-0000-4000-8000-000000000000';
        const json = { 'content-type': 'application/json' };
        const cases: [string, string, Record<string, unknown>, number][] = [
          ['POST', '/v1/subscriptions', { ...me, body: {} }, 400],
          ['POST', '/v1/subscriptions', { ...me, body: { planId: 'nope' } }, 400],
          ['POST', '/v1/subscriptions', { ...me, body: { planId: 5 } }, 400],
          ['POST', '/v1/subscriptions', { ...me, body: { planId, extra: 1 } }, 400],
          ['POST', '/v1/subscriptions', { ...me, body: { planId: unknown } }, 404],
          ['POST', '/v1/subscriptions', { ...me, body: { planId, customerId: staff.id } }, 403],
          ['POST', '/v1/subscriptions', { ...sk, body: { planId } }, 400],
          ['POST', '/v1/subscriptions', { ...sk, body: { planId, customerId: unknown } }, 404],
          ['POST', '/v1/subscriptions', { ...me, body: [{ planId }] }, 400],
          ['POST', '/v1/subscriptions', { ...me, rawBody: '{"planId":', headers: json }, 400],
          [
            'POST',
            '/v1/subscriptions',
            { ...me, rawBody: 'planId=x', headers: { 'content-type': 'text/plain' } },
            415,
          ],
          ['POST', '/v1/subscriptions', { ...me }, 400],
          ['POST', '/v1/subscriptions', { ...me, body: { planId } }, 409],
          ['GET', '/v1/customers/me/subscriptions?limit=0', me, 400],
          ['GET', '/v1/customers/me/subscriptions?limit=101', me, 400],
          ['GET', '/v1/customers/me/subscriptions?status=paused', me, 400],
          ['GET', `/v1/customers/me/subscriptions?startingAfter=${unknown}`, me, 400],
          ['GET', '/v1/customers/me/subscriptions?startingAfter=nope', me, 400],
          ['GET', '/v1/subscriptions?status=gone', sk, 400],
          ['GET', '/v1/subscriptions?customerId=nope', sk, 400],
          ['GET', '/v1/subscriptions?planId=nope', sk, 400],
          ['GET', '/v1/subscriptions?limit=1.5', sk, 400],
          ['GET', `/v1/subscriptions?startingAfter=${ada.id}`, sk, 400],
          ['GET', `/v1/subscriptions/${unknown}`, sk, 404],
          ['GET', '/v1/subscriptions/nope', sk, 404],
          ['POST', `/v1/subscriptions/${pending.id}/cancel`, { ...me, body: { at: 'tomorrow' } }, 400],
          ['POST', `/v1/subscriptions/${pending.id}/cancel`, { ...me, body: { at: 'now', why: 'x' } }, 400],
          ['POST', `/v1/subscriptions/${pending.id}/cancel`, { ...me, rawBody: '{', headers: json }, 400],
          ['POST', `/v1/subscriptions/${unknown}/cancel`, me, 404],
          ['POST', '/v1/subscriptions/nope/cancel', me, 404],
          ['POST', `/v1/subscriptions/${unknown}/mark-paid`, sk, 404],
          ['POST', '/v1/subscriptions/nope/mark-paid', sk, 404],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { name: '' } }, 400],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { name: '   ' } }, 400],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { name: 'x'.repeat(101) } }, 400],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { active: 'no' } }, 400],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { discountPct: 50 } }, 400],
          ['PATCH', `/v1/subscription-plans/${planId}`, { ...sk, body: { name: 'a\u0000b' } }, 400],
          ['PATCH', `/v1/subscription-plans/${unknown}`, { ...sk, body: { name: 'x' } }, 404],
          ['PATCH', '/v1/subscription-plans/nope', { ...sk, body: { name: 'x' } }, 404],
          ['GET', '/v1/subscription-plans?includeInactive=yes', sk, 400],
          [
            'POST',
            '/v1/payments',
            { ...me, body: { invoiceId: unknown, paymentMethod: 'pm_card_visa' } },
            404,
          ],
        ];
        const before = await t.fingerprint();
        for (const [method, path, options, want] of cases) {
          const reply = await t.call(method, path, options);
          assert.equal(
            reply.status,
            want,
            `${method} ${path} ${JSON.stringify(options.body)}: ${JSON.stringify(reply.body)}`,
          );
          assert.match(
            reply.headers.get('content-type') ?? '',
            /application\/problem\+json/,
            `${method} ${path}`,
          );
          assert.equal(typeof reply.body.code, 'string');
        }
        assert.deepEqual(await t.fingerprint(), before, 'bad input changed nothing');
      }));
  });
}
