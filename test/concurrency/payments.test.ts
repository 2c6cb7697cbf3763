/**
 * At most one successful payment per reservation or invoice under real concurrency: PostgreSQL, two server
 * processes, 20 payment requests at once with different Idempotency-Keys; and a process killed in the middle of a
 * payment, the request retried against the other process.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../../examples/server/clock.js';
import { rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import { Tokens } from '../../examples/server/domain/tokens.js';
import { createRentalProduct, createStore, type CreatedStore } from '../../examples/server/seed.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-09-01T08:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Setup {
  handle: DatabaseHandle;
  store: CreatedStore;
  tokens: Tokens;
}

async function call(
  url: string,
  method: string,
  path: string,
  o: { key: string; token?: string; body?: unknown; idempotencyKey?: string },
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${o.key}`,
      ...(o.token && { 'x-customer-token': o.token }),
      ...(o.idempotencyKey && { 'idempotency-key': o.idempotencyKey }),
      ...(o.body !== undefined && { 'content-type': 'application/json' }),
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function customer(s: Setup, name: string) {
  const [user] = await rows<{ id: string }>(
    s.handle.db,
    sql`insert into users (store_id, external_id) values (${s.store.storeId}, ${name}) returning id`,
  );
  const { token } = await s.tokens.signCustomerToken(
    { userId: user!.id, storeId: s.store.storeId },
    3 * 3600,
  );
  return { id: user!.id, token };
}

/** A hold on a new paid drop (price 2500) of a new customer, taken through `url`. */
async function paidHold(s: Setup, url: string, name: string) {
  const [product] = await rows<{ id: string }>(
    s.handle.db,
    sql`insert into products (store_id, sku, name, currency, price_cents)
        values (${s.store.storeId}, ${`SKU-${name}`}, 'Sneaker', 'EUR', 2500) returning id`,
  );
  const drop = await call(url, 'POST', '/v1/drops', {
    key: s.store.secretKey,
    body: {
      productId: product!.id,
      name: `Drop ${name}`,
      startsAt: new Date(NOW - HOUR).toISOString(),
      endsAt: new Date(NOW + 7 * DAY).toISOString(),
    },
  });
  assert.equal(drop.status, 201, JSON.stringify(drop.body));
  const slot = await call(url, 'POST', `/v1/drops/${drop.body.id}/slots`, {
    key: s.store.secretKey,
    body: {
      startsAt: new Date(NOW + 2 * DAY).toISOString(),
      endsAt: new Date(NOW + 2 * DAY + HOUR).toISOString(),
      capacityTotal: 5,
    },
  });
  assert.equal(slot.status, 201);
  const shopper = await customer(s, name);
  const hold = await call(url, 'POST', '/v1/reservations', {
    key: s.store.publishableKey,
    token: shopper.token,
    body: { slotId: slot.body.id },
  });
  assert.equal(hold.status, 201, JSON.stringify(hold.body));
  return { shopper, reservationId: hold.body.id as string };
}

async function count(s: Setup, query: ReturnType<typeof sql>) {
  const [row] = await rows<{ n: number }>(s.handle.db, query);
  return row!.n;
}

describe('payments on PostgreSQL with 2 server processes', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let s: Setup;

  before(async () => {
    database = await createTestDatabase('postgres');
    const handle = await database.open(4);
    cluster = await startCluster({
      processes: 2,
      databaseUrl: database.url!,
      clockStart: NOW,
      env: { RATE_LIMITS: 'off' },
    });
    const store = await createStore(handle.db, { name: 'Pay store', slug: 'pay-load' }, new Date(NOW));
    s = { handle, store, tokens: await Tokens.load(handle.db, new ManualClock(NOW)) };
  });
  after(async () => {
    await cluster?.stop();
    await s?.handle.close();
    await database?.drop();
  });

  it('20 concurrent payments of one reservation (different keys, 2 processes): one payment, one success', async () => {
    const { shopper, reservationId } = await paidHold(s, cluster.urls[0]!, 'double-submit');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(cluster.urls[i % 2]!, 'POST', '/v1/payments', {
          key: s.store.publishableKey,
          token: shopper.token,
          idempotencyKey: `submit-${i}`,
          body: { reservationId, paymentMethod: 'pm_card_visa' },
        }),
      ),
    );
    for (const reply of replies) {
      assert.ok(
        reply.status === 200 || (reply.status === 409 && reply.body.code === 'already_paid'),
        JSON.stringify(reply.body),
      );
    }
    const ids = new Set(replies.filter((r) => r.status === 200).map((r) => r.body.id));
    assert.equal(ids.size, 1, 'every answer names the same payment');
    assert.equal(
      await count(s, sql`select count(*)::int as n from payments where reservation_id = ${reservationId}`),
      1,
    );
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from payments where reservation_id = ${reservationId} and status = 'succeeded'`,
      ),
      1,
    );
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from test_provider_intents where metadata->>'reservationId' = ${reservationId}`,
      ),
      1,
      'one provider intent',
    );
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from events where type = 'payment.succeeded'
              and metadata->>'reservationId' = ${reservationId}`,
      ),
      1,
    );
    const [reservation] = await rows<{ state: string }>(
      s.handle.db,
      sql`select state from reservations where id = ${reservationId}`,
    );
    assert.equal(reservation!.state, 'CONFIRMED');
  });

  it('20 concurrent payments of one invoice: it is paid once, not twice', async () => {
    const { productId } = await createRentalProduct(
      s.handle.db,
      s.store.storeId,
      { sku: 'CAM-PAY', name: 'Camera', basePriceCents: 2500, pricingUnit: 'day', units: 1 },
      new Date(NOW),
    );
    const renter = await customer(s, 'renter');
    const order = await call(cluster.urls[0]!, 'POST', '/v1/rentals', {
      key: s.store.publishableKey,
      token: renter.token,
      body: {
        items: [{ productId, quantity: 1 }],
        start: new Date(NOW + 3 * DAY).toISOString(),
        end: new Date(NOW + 5 * DAY).toISOString(),
      },
    });
    assert.equal(order.status, 201, JSON.stringify(order.body));
    const invoiceId = order.body.invoice.id as string;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(cluster.urls[i % 2]!, 'POST', '/v1/payments', {
          key: s.store.publishableKey,
          token: renter.token,
          idempotencyKey: `invoice-${i}`,
          body: { invoiceId, paymentMethod: 'pm_card_visa' },
        }),
      ),
    );
    for (const reply of replies) {
      assert.ok(
        reply.status === 200 || (reply.status === 409 && reply.body.code === 'already_paid'),
        JSON.stringify(reply.body),
      );
    }
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from payments where invoice_id = ${invoiceId} and status = 'succeeded'`,
      ),
      1,
    );
    assert.equal(
      await count(s, sql`select count(*)::int as n from payments where invoice_id = ${invoiceId}`),
      1,
    );
    const [invoice] = await rows<{ status: string; amount_paid_cents: number; amount_due_cents: number }>(
      s.handle.db,
      sql`select status, amount_paid_cents, amount_due_cents from invoices where id = ${invoiceId}`,
    );
    assert.equal(invoice!.status, 'paid');
    assert.equal(invoice!.amount_paid_cents, invoice!.amount_due_cents, 'paid once, not twice');
    const [rental] = await rows<{ status: string }>(
      s.handle.db,
      sql`select status from rental_orders where id = ${order.body.id}`,
    );
    assert.equal(rental!.status, 'confirmed');
  });
});

describe('a server process killed in the middle of a payment', () => {
  let database: TestDatabase;
  let cluster: Cluster;
  let s: Setup;

  before(async () => {
    database = await createTestDatabase('postgres');
    const handle = await database.open(4);
    // Every confirmation with the test provider takes 1.5 s: long enough to kill a process during one.
    cluster = await startCluster({
      processes: 2,
      databaseUrl: database.url!,
      clockStart: NOW,
      env: { RATE_LIMITS: 'off', TEST_PROVIDER_LATENCY_MS: '1500' },
    });
    const store = await createStore(handle.db, { name: 'Crash store', slug: 'pay-crash' }, new Date(NOW));
    s = { handle, store, tokens: await Tokens.load(handle.db, new ManualClock(NOW)) };
  });
  after(async () => {
    await cluster?.stop();
    await s?.handle.close();
    await database?.drop();
  });

  it('the request retried against the other process finds the same payment and intent: still one payment', async () => {
    const { shopper, reservationId } = await paidHold(s, cluster.urls[1]!, 'crash');
    const request = {
      key: s.store.publishableKey,
      token: shopper.token,
      idempotencyKey: 'pay-once',
      body: { reservationId, paymentMethod: 'pm_card_visa' },
    };
    const first = call(cluster.urls[0]!, 'POST', '/v1/payments', request).then(
      (reply) => ({ reply }),
      (error: unknown) => ({ error }),
    );
    // Wait until process 0 created the payment and the provider intent, then kill it during the confirmation.
    const deadline = Date.now() + 20_000;
    while (
      (await count(
        s,
        sql`select count(*)::int as n from test_provider_intents where metadata->>'reservationId' = ${reservationId}`,
      )) === 0
    ) {
      assert.ok(Date.now() < deadline, 'process 0 never created the intent');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await cluster.kill(0);
    const outcome = await first;
    assert.ok('error' in outcome, 'the killed process never answered');
    const [before] = await rows<{ status: string }>(
      s.handle.db,
      sql`select status from payments where reservation_id = ${reservationId}`,
    );
    assert.equal(before!.status, 'requires_payment_method', 'killed before the confirmation');

    // The same request on process 1 runs at once: the dead request's key lock went with its connection (no lease to
    // wait out), and it recorded no answer, so the saga runs again and converges on the same payment and intent.
    const retried = await call(cluster.urls[1]!, 'POST', '/v1/payments', request);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'succeeded');

    assert.equal(
      await count(s, sql`select count(*)::int as n from payments where reservation_id = ${reservationId}`),
      1,
    );
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from test_provider_intents where metadata->>'reservationId' = ${reservationId}`,
      ),
      1,
      'the retry found the intent of the dead request (same idempotency key)',
    );
    assert.equal(
      await count(
        s,
        sql`select count(*)::int as n from events where type = 'payment.succeeded'
              and metadata->>'reservationId' = ${reservationId}`,
      ),
      1,
    );
    const [reservation] = await rows<{ state: string }>(
      s.handle.db,
      sql`select state from reservations where id = ${reservationId}`,
    );
    assert.equal(reservation!.state, 'CONFIRMED');
  });
});
