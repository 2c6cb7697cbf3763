/** The typed SDK driving a rental against the real reference backend over HTTP (no mocks). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, createClient } from '../../src/index.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp } from '../support/app.js';

const DAY = 86_400_000;

for (const kind of databaseKinds) {
  describe(`SDK rentals against the reference backend on ${kind}`, () => {
    it('quotes, orders, confirms, picks up and returns once; points are earned; cancel frees the dates', () =>
      withApp(kind, async (t) => {
        const { productId } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          { sku: 'SDK-CAM', name: 'Camera', basePriceCents: 2550, pricingUnit: 'day', units: 1 },
          t.clock.now(),
        );
        const period = {
          start: new Date(START.getTime() + DAY).toISOString(),
          end: new Date(START.getTime() + 3 * DAY).toISOString(),
        };
        const shop = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
        const session = await shop.customers.signUp({
          email: 'renter@example.com',
          password: 'correct horse',
        });
        shop.setCustomerToken(session.token);
        const admin = createClient({ baseUrl: t.baseUrl, secretKey: t.store.secretKey });
        const staff = await t.staff();
        const desk = createClient({
          baseUrl: t.baseUrl,
          publishableKey: t.store.publishableKey,
          customerToken: staff.token,
        });

        assert.deepEqual((await shop.rentals.categories.list()).data, []);
        assert.equal((await shop.rentals.availability(productId, period)).freeUnits, 1);
        const month = await shop.rentals.availability(productId, { month: '2030-03' });
        assert.equal(month.days.length, 31);

        const items = [{ productId, quantity: 1 }];
        const quote = await shop.rentals.quotes.create({ items, ...period });
        assert.equal(quote.total, 5100);
        const order = await shop.rentals.create({ items, ...period, expectedTotal: quote.total });
        assert.equal(order.status, 'pending_payment');
        assert.deepEqual(order.quote, quote);
        assert.equal((await shop.rentals.availability(productId, period)).freeUnits, 0);

        // A second order for the same dates is refused; cancel frees them and a new order gets them.
        const taken = await shop.rentals.create({ items, ...period }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(taken));
        assert.equal(taken.code, 'unit_unavailable');
        await shop.rentals.cancel(order.id);
        assert.equal((await shop.rentals.availability(productId, period)).freeUnits, 1);
        t.clock.advance(60_000); // lists are newest first
        const rental = await shop.rentals.create({ items, ...period, expectedTotal: quote.total });

        const confirmed = await admin.rentals.confirm(rental.id);
        assert.equal(confirmed.status, 'confirmed');
        const mine = await shop.rentals.retrieve(rental.id);
        assert.equal(mine.qrType, 'pickup');
        assert.ok(mine.qrToken);
        const listed = await shop.rentals.list();
        assert.deepEqual(
          listed.data.map((o) => [o.id, o.status]),
          [
            [rental.id, 'confirmed'],
            [order.id, 'cancelled'],
          ],
        );

        const assigned = await admin.rentals.schedules.update(rental.id, mine.schedules[1]!.id, {
          assignedTo: staff.id,
        });
        assert.equal(assigned.schedules[1]!.assignedTo, staff.id);

        // Pickup is verified from its check-in window on (two hours before the rental starts).
        const early = await desk.rentals.handovers.create({ qrToken: mine.qrToken }).catch((e: unknown) => e);
        assert.ok(early instanceof ConflictError && early.code === 'check_in_not_open');
        t.clock.set(Date.parse(mine.start));
        const pickup = await desk.rentals.handovers.create({ qrToken: mine.qrToken });
        assert.equal(pickup.rental.status, 'active');
        const again = await desk.rentals.handovers.create({ qrToken: mine.qrToken }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(again));
        assert.equal(again.code, 'qr_already_used');
        assert.equal(again.problem?.['firstUsedAt'], pickup.verifiedAt);

        const out = await shop.rentals.retrieve(rental.id);
        assert.equal(out.qrType, 'return');
        const returned = await desk.rentals.handovers.create({ qrToken: out.qrToken! });
        assert.equal(returned.rental.status, 'completed');
        assert.equal(returned.pointsEarned, 51, '1 point per whole euro of 51.00');
        const done = await shop.rentals.retrieve(rental.id);
        assert.equal(done.status, 'completed');
        assert.equal(done.qrToken, null);
      }));
  });
}
