/**
 * `GET /v1/customers/me/products/{id}/rentals`: the shopper's open rentals of a product, what `<rental-checkout>`
 * restores after a reload, in a new tab or on another device.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, NotFoundError, createClient } from '../../src/index.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const DAY = 86_400_000;

async function product(t: TestApp, name: string) {
  const { productId } = await createRentalProduct(
    t.handle.db,
    t.store.storeId,
    {
      sku: `${name}-${Math.random().toString(36).slice(2, 8)}`,
      name,
      basePriceCents: 3500,
      pricingUnit: 'day',
      units: 3,
    },
    t.clock.now(),
  );
  return productId;
}

/** Days `from` to `to` after START, as a rental period. */
const period = (from: number, to: number) => ({
  start: new Date(START.getTime() + from * DAY).toISOString(),
  end: new Date(START.getTime() + to * DAY).toISOString(),
});

for (const kind of databaseKinds) {
  describe(`the customer's rentals of a product on ${kind}`, () => {
    it('lists the token’s own open orders of that product, soonest first, each with its next handover code', () =>
      withApp(kind, async (t) => {
        const camera = await product(t, 'Camera');
        const tent = await product(t, 'Tent');
        const shopper = async (email: string) => {
          const client = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
          client.setCustomerToken(
            (await client.customers.signUp({ email, password: 'correct horse' })).token,
          );
          return client;
        };
        const alice = await shopper('alice@example.com');
        const bob = await shopper('bob@example.com');

        assert.deepEqual(await alice.customers.rentalState(camera), { productId: camera, orders: [] });

        const later = await alice.rentals.create({
          items: [{ productId: camera, quantity: 1 }],
          ...period(5, 7),
        });
        const sooner = await alice.rentals.create({
          items: [{ productId: camera, quantity: 1 }],
          ...period(1, 3),
        });
        await alice.rentals.create({ items: [{ productId: tent, quantity: 1 }], ...period(1, 3) });
        await bob.rentals.create({ items: [{ productId: camera, quantity: 1 }], ...period(1, 3) });

        const pending = await alice.customers.rentalState(camera);
        assert.deepEqual(
          pending.orders.map((o) => [o.id, o.status]),
          [
            [sooner.id, 'pending_payment'],
            [later.id, 'pending_payment'],
          ],
          'alice’s camera orders only, the soonest pickup first',
        );
        assert.equal(pending.orders[0]!.qrToken, null, 'nothing to hand over before confirmation');
        assert.equal(pending.orders[0]!.invoice.status, 'open');

        const confirmed = await t.call('POST', `/v1/rentals/${sooner.id}/confirm`, {
          key: t.store.secretKey,
        });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        const ready = (await alice.customers.rentalState(camera)).orders[0]!;
        assert.equal(ready.status, 'confirmed');
        assert.equal(ready.qrType, 'pickup');
        assert.equal(ready.qrToken, confirmed.body.qrToken, 'the pickup code comes with it');

        // Picked up: the order stays, with the code to return it.
        t.clock.advance(DAY);
        const pickup = await t.call('POST', '/v1/handovers', {
          key: t.store.secretKey,
          body: { qrToken: ready.qrToken },
        });
        assert.equal(pickup.status, 201, JSON.stringify(pickup.body));
        const out = (await alice.customers.rentalState(camera)).orders[0]!;
        assert.equal(out.status, 'active');
        assert.equal(out.qrType, 'return');
        assert.match(out.qrToken ?? '', /^ds1h\./);

        // Cancelled orders are not open any more, nor is a pending order whose period is over.
        await alice.rentals.cancel(later.id);
        assert.deepEqual(
          (await alice.customers.rentalState(camera)).orders.map((o) => o.id),
          [sooner.id],
        );
        const bobs = await bob.customers.rentalState(camera);
        assert.equal(bobs.orders.length, 1);
        t.clock.advance(3 * DAY);
        assert.deepEqual(
          (await bob.customers.rentalState(camera)).orders,
          [],
          'a lapsed pending order is gone',
        );
        assert.equal(
          (await alice.customers.rentalState(camera)).orders[0]!.status,
          'active',
          'an order not yet returned stays, overdue or not',
        );

        const anonymous = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
        const refused = await anonymous.customers.rentalState(camera).catch((e: unknown) => e);
        assert.ok(AuthenticationError.is(refused));
        const secret = await t.call('GET', `/v1/customers/me/products/${camera}/rentals`, {
          key: t.store.secretKey,
        });
        assert.equal(secret.status, 401, 'a secret key alone is nobody’s');
        assert.equal(secret.body.code, 'customer_token_required');
        const unknown = await alice.customers
          .rentalState('00000000-0000-4000-8000-000000000000')
          .catch((e: unknown) => e);
        assert.ok(NotFoundError.is(unknown));
        const malformed = await t.call('GET', '/v1/customers/me/products/not-an-id/rentals', {
          token: (await t.customer()).token,
        });
        assert.equal(malformed.status, 404, 'not an id: no such product');
      }));
  });
}
