import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { pgError, rows, schema } from '../../examples/server/db/index.js';
import { createRentalProduct, createStore } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

let skuSeq = 0;
async function rentable(
  t: TestApp,
  o: { units?: number; maintenance?: number; price?: number; unit?: 'hour' | 'day' | 'week' } = {},
) {
  return createRentalProduct(
    t.handle.db,
    t.store.storeId,
    {
      sku: `R${++skuSeq}-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Camera',
      basePriceCents: o.price ?? 3500,
      pricingUnit: o.unit ?? 'day',
      units: o.units ?? 2,
      maintenanceUnits: o.maintenance ?? 0,
    },
    t.clock.now(),
  );
}

async function promo(t: TestApp, values: Partial<typeof schema.promotions.$inferInsert> = {}) {
  await t.handle.db.insert(schema.promotions).values({
    storeId: t.store.storeId,
    code: 'SAVE10',
    discountType: 'percent',
    value: 10,
    validFrom: new Date(START.getTime() - DAY),
    validTo: new Date(START.getTime() + 30 * DAY),
    ...values,
  });
}

async function givePoints(t: TestApp, userId: string, points: number) {
  await t.handle.db.insert(schema.loyaltyAccounts).values({
    storeId: t.store.storeId,
    userId,
    pointsBalance: points,
  });
}

const free = async (t: TestApp, productId: string, start: string, end: string) => {
  const reply = await t.call(
    'GET',
    `/v1/products/${productId}/availability?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
  );
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body.freeUnits as number;
};

for (const kind of databaseKinds) {
  describe(`rentals on ${kind}`, () => {
    it('answers the category tree', () =>
      withApp(kind, async (t) => {
        const db = t.handle.db;
        const [root] = await db
          .insert(schema.categories)
          .values({ storeId: t.store.storeId, name: 'Gear', slug: 'gear' })
          .returning();
        await db.insert(schema.categories).values([
          { storeId: t.store.storeId, parentId: root!.id, name: 'Bikes', slug: 'bikes', position: 1 },
          { storeId: t.store.storeId, parentId: root!.id, name: 'Cameras', slug: 'cameras', position: 0 },
        ]);
        await db.insert(schema.categories).values({ storeId: t.store.storeId, name: 'Boats', slug: 'boats' });
        const reply = await t.call('GET', '/v1/categories');
        assert.equal(reply.status, 200);
        assert.deepEqual(
          reply.body.data.map((c: { slug: string; children: { slug: string }[] }) => [
            c.slug,
            c.children.map((k) => k.slug),
          ]),
          [
            ['boats', []],
            ['gear', ['cameras', 'bikes']],
          ],
        );
      }));

    it('counts free units over time: maintenance never offered, back-to-back allowed, overlaps refused', () =>
      withApp(kind, async (t) => {
        const { productId } = await rentable(t, { units: 2, maintenance: 1 });
        const alice = await t.customer();
        const d1 = at(DAY);
        const d2 = at(2 * DAY);
        const d3 = at(3 * DAY);
        assert.equal(await free(t, productId, d1, d2), 2);
        const avail = await t.call('GET', `/v1/products/${productId}/availability?start=${d1}&end=${d2}`);
        assert.equal(avail.body.totalUnits, 2);

        const first = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 1 }], start: d1, end: d2 },
        });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        assert.equal(first.body.status, 'pending_payment');
        assert.equal(first.body.items.length, 1);
        assert.equal(await free(t, productId, d1, d2), 1);
        assert.equal(await free(t, productId, at(DAY + HOUR), at(DAY + 2 * HOUR)), 1);
        assert.equal(await free(t, productId, d2, d3), 2, 'the next period starts as the first ends');

        const second = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 1 }], start: at(DAY + 12 * HOUR), end: d3 },
        });
        assert.equal(second.status, 201);
        assert.equal(await free(t, productId, d1, d3), 0);

        const before = await t.fingerprint();
        const refused = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 1 }], start: at(DAY + 6 * HOUR), end: at(DAY + 18 * HOUR) },
        });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'unit_unavailable');
        assert.match(refused.headers.get('content-type')!, /application\/problem\+json/);
        assert.deepEqual(await t.fingerprint(), before);

        // Back to back with both: [d3, d3+1d) takes both units.
        const after = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 2 }], start: d3, end: at(4 * DAY) },
        });
        assert.equal(after.status, 201, JSON.stringify(after.body));
        const serials = new Set<string>(
          [first, second, after].flatMap((r) => r.body.items.map((i: { serial: string }) => i.serial)),
        );
        assert.ok(![...serials].some((s) => s.endsWith('-003')), 'the maintenance unit is never rented');

        const overlaps = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from rental_items a join rental_items b
              on a.inventory_item_id = b.inventory_item_id and a.id < b.id
              and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)')`,
        );
        assert.equal(overlaps[0]!.n, 0);
      }));

    it('refuses an overlapping unit in the database itself (exclusion constraint)', () =>
      withApp(kind, async (t) => {
        const { productId, unitIds } = await rentable(t, { units: 1 });
        const alice = await t.customer();
        const made = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 1 }], start: at(DAY), end: at(2 * DAY) },
        });
        assert.equal(made.status, 201);
        const insert = (start: string, end: string, status = 'held') =>
          t.handle.db.insert(schema.rentalItems).values({
            storeId: t.store.storeId,
            rentalOrderId: made.body.id,
            productId,
            inventoryItemId: unitIds[0]!,
            startsAt: new Date(start),
            endsAt: new Date(end),
            status,
            pricingUnit: 'day',
            units: 1,
            unitPriceCents: 1,
            priceCents: 1,
          });
        await assert.rejects(insert(at(DAY + HOUR), at(DAY + 2 * HOUR)), (e) => pgError(e)?.code === '23P01');
        await insert(at(2 * DAY), at(3 * DAY)); // back to back
        await insert(at(DAY), at(2 * DAY), 'released'); // inactive rows do not count
      }));

    it('answers free units per day of a month in the store time zone', () =>
      withApp(kind, async (t) => {
        await t.handle.db
          .update(schema.stores)
          .set({ timeZone: 'Europe/Berlin' })
          .where(eq(schema.stores.id, t.store.storeId));
        const { productId } = await rentable(t, { units: 2, maintenance: 1 });
        const alice = await t.customer();
        // 2030-03-05 10:00 → 2030-03-07 10:00 Berlin (UTC+1).
        const made = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: {
            items: [{ productId, quantity: 1 }],
            start: '2030-03-05T09:00:00.000Z',
            end: '2030-03-07T09:00:00.000Z',
          },
        });
        assert.equal(made.status, 201);
        const reply = await t.call('GET', `/v1/products/${productId}/availability?month=2030-03`);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.timeZone, 'Europe/Berlin');
        assert.equal(reply.body.totalUnits, 2);
        assert.equal(reply.body.days.length, 31);
        assert.equal(reply.body.days[0].start, '2030-02-28T23:00:00.000Z');
        // DST starts on 2030-03-31: that day lasts 23 hours.
        assert.equal(reply.body.days[30].start, '2030-03-30T23:00:00.000Z');
        assert.equal(reply.body.days[30].end, '2030-03-31T22:00:00.000Z');
        const byDate = Object.fromEntries(
          reply.body.days.map((d: { date: string; freeUnits: number }) => [d.date, d.freeUnits]),
        );
        assert.equal(byDate['2030-03-04'], 2);
        assert.equal(byDate['2030-03-05'], 1);
        assert.equal(byDate['2030-03-06'], 1);
        assert.equal(byDate['2030-03-07'], 1);
        assert.equal(byDate['2030-03-08'], 2);
      }));

    it('prices a quote: rounding up to started units, subscription, promo and points', () =>
      withApp(kind, async (t) => {
        const cam = await rentable(t, { price: 3500, unit: 'day' });
        const bike = await rentable(t, { price: 900, unit: 'hour' });
        const alice = await t.customer();
        const db = t.handle.db;
        const [plan] = await db
          .insert(schema.subscriptionPlans)
          .values({
            storeId: t.store.storeId,
            name: 'Plus',
            discountPct: 20,
            durationDays: 30,
            currency: 'EUR',
          })
          .returning();
        await db
          .insert(schema.subscriptionPlanProducts)
          .values({ storeId: t.store.storeId, planId: plan!.id, productId: cam.productId });
        await db.insert(schema.subscriptions).values({
          storeId: t.store.storeId,
          userId: alice.id,
          planId: plan!.id,
          startsAt: START,
          endsAt: new Date(START.getTime() + 30 * DAY),
        });
        await promo(t);
        await givePoints(t, alice.id, 500);
        const body = {
          items: [
            { productId: cam.productId, quantity: 2 },
            { productId: bike.productId, quantity: 1 },
          ],
          start: at(DAY),
          end: at(2 * DAY + HOUR), // 25 h: 2 days, 25 hours
          promoCode: 'save10',
          redeemPoints: 500,
        };
        const quote = await t.call('POST', '/v1/rental-quotes', { token: alice.token, body });
        assert.equal(quote.status, 200, JSON.stringify(quote.body));
        const q = quote.body;
        assert.deepEqual(
          q.lines.map((l: { units: number; amount: number; subscriptionDiscount: number }) => [
            l.units,
            l.amount,
            l.subscriptionDiscount,
          ]),
          [
            [2, 14000, 2800],
            [25, 22500, 0],
          ],
        );
        assert.equal(q.subtotal, 36500);
        assert.equal(q.subscriptionDiscount, 2800);
        assert.equal(q.promoDiscount, 3370); // floor(33700 × 10%)
        assert.equal(q.pointsRedeemed, 500);
        assert.equal(q.total, 36500 - 2800 - 3370 - 500);
        assert.equal(q.available, true);

        // Without a customer: no subscription, no points.
        const anonymous = await t.call('POST', '/v1/rental-quotes', {
          body: { ...body, redeemPoints: undefined },
        });
        assert.equal(anonymous.status, 200);
        assert.equal(anonymous.body.subscriptionDiscount, 0);

        // The order charges exactly the quote.
        const before = await t.fingerprint();
        const order = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          idempotencyKey: 'order-1',
          body: { ...body, expectedTotal: q.total },
        });
        assert.equal(order.status, 201, JSON.stringify(order.body));
        assert.equal(order.body.total, q.total);
        assert.deepEqual(order.body.quote, q);
        assert.equal(order.body.invoice.amountDue, q.total);
        assert.equal(order.body.invoice.status, 'open');
        assert.equal(order.body.items.length, 3);
        const after = await t.fingerprint();
        assert.equal(after.points, before.points! - 500);
        assert.equal(after.promo_redemptions, before.promo_redemptions! + 1);
        assert.equal(after.rental_orders, before.rental_orders! + 1);
        assert.equal(after.invoices, before.invoices! + 1);
        assert.equal(after.schedules, before.schedules! + 2);
        assert.equal(after.handover_qr, before.handover_qr! + 2);
        assert.equal(after.events, before.events! + 1);
        assert.equal(after.audit_logs, before.audit_logs! + 1);

        // Replay with the same key: the same order, nothing new.
        const replay = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          idempotencyKey: 'order-1',
          body: { ...body, expectedTotal: q.total },
        });
        assert.equal(replay.status, 201);
        assert.equal(replay.body.id, order.body.id);
        assert.deepEqual(await t.fingerprint(), after);

        const fetched = await t.call('GET', `/v1/rentals/${order.body.id}`, { token: alice.token });
        assert.equal(fetched.status, 200);
        assert.deepEqual(fetched.body, order.body);
      }));

    it('refuses bad input with problem+json and changes nothing', () =>
      withApp(kind, async (t) => {
        const { productId } = await rentable(t, { units: 1 });
        const alice = await t.customer();
        await givePoints(t, alice.id, 100);
        await promo(t, { code: 'OLD', validTo: new Date(START.getTime() - HOUR) });
        await promo(t, { code: 'USED', maxRedemptions: 1, redemptionsCount: 1 });
        const other = await createStore(t.handle.db, { name: 'Other', slug: `o-${skuSeq}-x` }, t.clock.now());
        const foreign = await createRentalProduct(
          t.handle.db,
          other.storeId,
          { sku: 'FOREIGN', name: 'Theirs', basePriceCents: 100, pricingUnit: 'day', units: 1 },
          t.clock.now(),
        );
        const [plain] = await t.handle.db
          .insert(schema.products)
          .values({ storeId: t.store.storeId, sku: 'PLAIN', name: 'Not rented', currency: 'EUR' })
          .returning();
        const ok = { items: [{ productId, quantity: 1 }], start: at(DAY), end: at(2 * DAY) };
        const cases: [string, Record<string, unknown>, number, string][] = [
          ['end before start', { ...ok, start: at(2 * DAY), end: at(DAY) }, 400, 'invalid_period'],
          ['zero length', { ...ok, end: ok.start }, 400, 'invalid_period'],
          ['too long', { ...ok, end: at(DAY + 91 * DAY) }, 400, 'invalid_period'],
          ['in the past', { ...ok, start: at(-DAY) }, 400, 'invalid_period'],
          ['not a timestamp', { ...ok, start: 'tomorrow' }, 400, 'validation_failed'],
          ['zero quantity', { ...ok, items: [{ productId, quantity: 0 }] }, 400, 'validation_failed'],
          ['no items', { ...ok, items: [] }, 400, 'validation_failed'],
          [
            'duplicate product',
            {
              ...ok,
              items: [
                { productId, quantity: 1 },
                { productId, quantity: 1 },
              ],
            },
            400,
            'validation_failed',
          ],
          [
            'unknown product',
            { ...ok, items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] },
            404,
            'not_found',
          ],
          [
            "another store's product",
            { ...ok, items: [{ productId: foreign.productId, quantity: 1 }] },
            404,
            'not_found',
          ],
          ['not rentable', { ...ok, items: [{ productId: plain!.id, quantity: 1 }] }, 422, 'not_rentable'],
          ['unknown promo', { ...ok, promoCode: 'NOPE' }, 422, 'promo_invalid'],
          ['expired promo', { ...ok, promoCode: 'OLD' }, 422, 'promo_expired'],
          ['used-up promo', { ...ok, promoCode: 'USED' }, 422, 'promo_exhausted'],
          ['more points than the balance', { ...ok, redeemPoints: 101 }, 422, 'insufficient_points'],
          ['negative points', { ...ok, redeemPoints: -1 }, 400, 'validation_failed'],
          ['fractional points', { ...ok, redeemPoints: 1.5 }, 400, 'validation_failed'],
          ['too many units', { ...ok, items: [{ productId, quantity: 2 }] }, 409, 'unit_unavailable'],
        ];
        const before = await t.fingerprint();
        for (const [name, body, status, code] of cases) {
          for (const path of ['/v1/rental-quotes', '/v1/rentals']) {
            if (path === '/v1/rental-quotes' && code === 'unit_unavailable') continue;
            const reply = await t.call('POST', path, { token: alice.token, body });
            assert.equal(reply.status, status, `${name} on ${path}: ${JSON.stringify(reply.body)}`);
            assert.equal(reply.body.code, code, `${name} on ${path}`);
            assert.match(reply.headers.get('content-type')!, /application\/problem\+json/);
          }
        }
        // A stale quote: the order refuses to charge another total.
        const stale = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { ...ok, expectedTotal: 1 },
        });
        assert.equal(stale.status, 409);
        assert.equal(stale.body.code, 'quote_changed');
        // Availability input.
        for (const query of [
          `start=${at(2 * DAY)}&end=${at(DAY)}`,
          `start=${at(DAY)}`,
          'month=2030-13',
          `month=2030-03&start=${at(DAY)}`,
        ]) {
          const reply = await t.call('GET', `/v1/products/${productId}/availability?${query}`);
          assert.equal(reply.status, 400, query);
        }
        const foreignAvail = await t.call(
          'GET',
          `/v1/products/${foreign.productId}/availability?start=${at(DAY)}&end=${at(2 * DAY)}`,
        );
        assert.equal(foreignAvail.status, 404);
        // Orders need a customer.
        const anonymous = await t.call('POST', '/v1/rentals', { body: ok });
        assert.equal(anonymous.status, 401);
        assert.deepEqual(await t.fingerprint(), before);
      }));
  });
}
