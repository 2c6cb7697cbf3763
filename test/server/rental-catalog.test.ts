/** The rental catalog as shoppers read it: rental terms on products, filters, loyalty, plans, pay-at-pickup confirms. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { schema } from '../../examples/server/db/index.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const DAY = 86_400_000;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();
const period = { start: at(DAY), end: at(2 * DAY) };

async function category(t: TestApp, name: string, parentId: string | null = null) {
  const [row] = await t.handle.db
    .insert(schema.categories)
    .values({
      storeId: t.store.storeId,
      parentId,
      name,
      slug: name.toLowerCase(),
      createdAt: t.clock.now(),
      updatedAt: t.clock.now(),
    })
    .returning();
  return row!.id;
}

for (const kind of databaseKinds) {
  describe(`rental catalog on ${kind}`, () => {
    it('shows rental terms on products and filters by rentable and category subtree', () =>
      withApp(kind, async (t) => {
        const gear = await category(t, 'Gear');
        const cameras = await category(t, 'Cameras', gear);
        const other = await category(t, 'Boats');
        const { productId: camera } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          {
            sku: 'CAM-1',
            name: 'Camera',
            basePriceCents: 3500,
            pricingUnit: 'day',
            categoryId: cameras,
            units: 2,
            maintenanceUnits: 1,
            images: ['https://cdn.example/cam.png'],
          },
          t.clock.now(),
        );
        await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          {
            sku: 'BOAT-1',
            name: 'Boat',
            basePriceCents: 9000,
            pricingUnit: 'hour',
            categoryId: other,
            units: 1,
          },
          t.clock.now(),
        );
        const sneaker = await t.call('POST', '/v1/products', {
          key: t.store.secretKey,
          body: { sku: 'SNK-1', name: 'Sneaker', price: { amount: 12000, currency: 'EUR' } },
        });
        assert.equal(sneaker.status, 201);
        assert.equal(sneaker.body.rental, null);

        const one = await t.call('GET', `/v1/products/${camera}`);
        assert.equal(one.status, 200);
        assert.deepEqual(
          {
            ...one.body.rental,
            assets: one.body.rental.assets.map((a: { url: string; type: string }) => [a.type, a.url]),
          },
          {
            categoryId: cameras,
            basePrice: { amount: 3500, currency: 'EUR' },
            pricingUnit: 'day',
            assets: [['image', 'https://cdn.example/cam.png']],
            unitsInService: 2,
          },
        );

        const names = async (query: string) =>
          (await t.call('GET', `/v1/products?${query}`)).body.data
            .map((p: { name: string }) => p.name)
            .sort();
        assert.deepEqual(await names('rentable=true'), ['Boat', 'Camera']);
        assert.deepEqual(await names('rentable=false'), ['Sneaker']);
        assert.deepEqual(
          await names(`categoryId=${gear}`),
          ['Camera'],
          'a parent category includes its children',
        );
        assert.deepEqual(await names(`categoryId=${other}`), ['Boat']);
        const bad = await t.call('GET', '/v1/products?categoryId=nope');
        assert.equal(bad.status, 400);
        assert.equal(bad.body.code, 'validation_failed');
      }));

    it('lets owners build the catalog: categories, rental terms, units and their condition', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const gear = await t.call('POST', '/v1/categories', { ...sk, body: { name: 'Gear', slug: 'gear' } });
        assert.equal(gear.status, 201, JSON.stringify(gear.body));
        const cams = await t.call('POST', '/v1/categories', {
          ...sk,
          body: { name: 'Cameras', slug: 'cameras', parentId: gear.body.id, position: 2 },
        });
        assert.equal(cams.status, 201);
        const tree = await t.call('GET', '/v1/categories');
        assert.deepEqual(
          tree.body.data.map((c: { slug: string; children: { slug: string }[] }) => [
            c.slug,
            c.children.map((x) => x.slug),
          ]),
          [['gear', ['cameras']]],
        );

        const created = await t.call('POST', '/v1/products', {
          ...sk,
          body: {
            sku: 'CAM-9',
            name: 'Camera',
            price: { amount: 0, currency: 'EUR' },
            rental: {
              basePrice: { amount: 4000, currency: 'EUR' },
              pricingUnit: 'day',
              categoryId: cams.body.id,
            },
          },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.deepEqual(
          { ...created.body.rental, assets: undefined },
          {
            categoryId: cams.body.id,
            basePrice: { amount: 4000, currency: 'EUR' },
            pricingUnit: 'day',
            assets: undefined,
            unitsInService: 0,
          },
        );
        const id = created.body.id;
        const unit = await t.call('POST', `/v1/products/${id}/units`, {
          ...sk,
          body: { serial: 'CAM-9-001' },
        });
        assert.equal(unit.status, 201, JSON.stringify(unit.body));
        assert.equal(unit.body.status, 'available');
        await t.call('POST', `/v1/products/${id}/units`, { ...sk, body: { serial: 'CAM-9-002' } });
        assert.equal((await t.call('GET', `/v1/products/${id}`)).body.rental.unitsInService, 2);

        const start = new Date(START.getTime() + DAY).toISOString();
        const end = new Date(START.getTime() + 2 * DAY).toISOString();
        const free = async () =>
          (await t.call('GET', `/v1/products/${id}/availability?start=${start}&end=${end}`)).body.freeUnits;
        assert.equal(await free(), 2);
        const repaired = await t.call('PATCH', `/v1/inventory-items/${unit.body.id}`, {
          ...sk,
          body: { status: 'maintenance' },
        });
        assert.equal(repaired.status, 200);
        assert.equal(await free(), 1, 'a unit in maintenance is not offered');
        const units = await t.call('GET', `/v1/products/${id}/units`, sk);
        assert.deepEqual(
          units.body.data.map((u: { serial: string; status: string }) => [u.serial, u.status]),
          [
            ['CAM-9-001', 'maintenance'],
            ['CAM-9-002', 'available'],
          ],
        );
        const price = await t.call('PATCH', `/v1/products/${id}`, {
          ...sk,
          body: { rental: { basePrice: { amount: 500, currency: 'EUR' }, pricingUnit: 'hour' } },
        });
        assert.equal(price.status, 200);
        assert.equal(price.body.rental.pricingUnit, 'hour');
        const stopped = await t.call('PATCH', `/v1/products/${id}`, { ...sk, body: { rental: null } });
        assert.equal(stopped.body.rental, null);

        // Refusals change nothing.
        const before = await t.fingerprint();
        const customer = await t.customer();
        const refusals: [string, string, Record<string, unknown>, number, string][] = [
          ['POST', '/v1/categories', { ...sk, body: { name: 'Gear', slug: 'gear' } }, 409, 'conflict'],
          [
            'POST',
            '/v1/categories',
            { ...sk, body: { name: 'X', slug: 'Not A Slug' } },
            400,
            'validation_failed',
          ],
          [
            'POST',
            '/v1/categories',
            { ...sk, body: { name: 'X', slug: 'x', parentId: '00000000-0000-4000-8000-000000000000' } },
            404,
            'not_found',
          ],
          [
            'POST',
            '/v1/categories',
            { token: customer.token, body: { name: 'X', slug: 'x' } },
            403,
            'forbidden',
          ],
          ['POST', `/v1/products/${id}/units`, { ...sk, body: { serial: 'CAM-9-003' } }, 422, 'not_rentable'],
          [
            'POST',
            '/v1/products',
            {
              ...sk,
              body: {
                sku: 'CAM-10',
                name: 'Camera',
                price: { amount: 0, currency: 'EUR' },
                rental: { basePrice: { amount: 1, currency: 'USD' }, pricingUnit: 'day' },
              },
            },
            400,
            'validation_failed',
          ],
          [
            'POST',
            '/v1/products',
            {
              ...sk,
              body: {
                sku: 'CAM-11',
                name: 'Camera',
                price: { amount: 0, currency: 'EUR' },
                rental: {
                  basePrice: { amount: 1, currency: 'EUR' },
                  pricingUnit: 'day',
                  categoryId: '00000000-0000-4000-8000-000000000000',
                },
              },
            },
            404,
            'not_found',
          ],
          [
            'PATCH',
            `/v1/inventory-items/${unit.body.id}`,
            { ...sk, body: { status: 'lost' } },
            400,
            'validation_failed',
          ],
          [
            'PATCH',
            '/v1/inventory-items/00000000-0000-4000-8000-000000000000',
            { ...sk, body: { status: 'retired' } },
            404,
            'not_found',
          ],
        ];
        const afterCustomer = await t.fingerprint();
        for (const [method, path, options, status, code] of refusals) {
          const reply = await t.call(method, path, options);
          assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`);
          assert.equal(reply.body.code, code, `${method} ${path}`);
        }
        assert.deepEqual(await t.fingerprint(), afterCustomer, 'refusals changed nothing');
        assert.notDeepEqual(before, afterCustomer, 'the fingerprint sees changes');
      }));

    it('lets owners manage promo codes and subscription plans that quotes then apply', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const { productId } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          { sku: 'CAM-P', name: 'Camera', basePriceCents: 4000, pricingUnit: 'day', units: 2 },
          t.clock.now(),
        );
        const window = { validFrom: at(-DAY), validTo: at(30 * DAY) };
        const created = await t.call('POST', '/v1/promotions', {
          ...sk,
          body: { code: 'Spring25', discountType: 'percent', value: 25, maxRedemptions: 5, ...window },
        });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.redemptions, 0);
        const quote = (promoCode: string) =>
          t.call('POST', '/v1/rental-quotes', {
            body: { items: [{ productId, quantity: 1 }], ...period, promoCode },
          });
        const priced = await quote('spring25');
        assert.equal(priced.status, 200, JSON.stringify(priced.body));
        assert.equal(priced.body.promoDiscount, 1000, '25 % of one day at €40');

        const amount = await t.call('POST', '/v1/promotions', {
          ...sk,
          body: { code: 'TENOFF', discountType: 'amount', value: 1000, ...window },
        });
        assert.equal(amount.body.currency, 'EUR');
        assert.deepEqual(
          (await t.call('GET', '/v1/promotions', sk)).body.data.map((p: { code: string }) => p.code).sort(),
          ['Spring25', 'TENOFF'],
        );

        const off = await t.call('PATCH', `/v1/promotions/${created.body.id}`, {
          ...sk,
          body: { active: false },
        });
        assert.equal(off.body.active, false);
        assert.equal(
          (await quote('SPRING25')).body.code,
          'promo_invalid',
          'a switched-off code no longer applies',
        );

        const plan = await t.call('POST', '/v1/subscription-plans', {
          ...sk,
          body: {
            name: 'Pro',
            discountPct: 15,
            durationDays: 30,
            price: { amount: 2900, currency: 'EUR' },
            includedProductIds: [productId],
          },
        });
        assert.equal(plan.status, 201, JSON.stringify(plan.body));
        assert.deepEqual(plan.body.includedProductIds, [productId]);
        assert.ok(
          (await t.call('GET', '/v1/subscription-plans')).body.data.some(
            (p: { id: string }) => p.id === plan.body.id,
          ),
        );

        const before = await t.fingerprint();
        const customer = await t.customer();
        const refusals: [string, string, Record<string, unknown>, number, string][] = [
          [
            'POST',
            '/v1/promotions',
            { ...sk, body: { code: 'spring25', discountType: 'percent', value: 10, ...window } },
            409,
            'conflict',
          ],
          [
            'POST',
            '/v1/promotions',
            { ...sk, body: { code: 'TOOMUCH', discountType: 'percent', value: 150, ...window } },
            400,
            'validation_failed',
          ],
          [
            'POST',
            '/v1/promotions',
            {
              ...sk,
              body: {
                code: 'BACKWARDS',
                discountType: 'percent',
                value: 10,
                validFrom: at(DAY),
                validTo: at(0),
              },
            },
            400,
            'validation_failed',
          ],
          [
            'POST',
            '/v1/promotions',
            { token: customer.token, body: { code: 'MINE', discountType: 'percent', value: 10, ...window } },
            403,
            'forbidden',
          ],
          [
            'PATCH',
            '/v1/promotions/00000000-0000-4000-8000-000000000000',
            { ...sk, body: { active: true } },
            404,
            'not_found',
          ],
          [
            'POST',
            '/v1/subscription-plans',
            {
              ...sk,
              body: {
                name: 'Bad',
                discountPct: 10,
                durationDays: 30,
                price: { amount: 100, currency: 'EUR' },
                includedProductIds: ['00000000-0000-4000-8000-000000000000'],
              },
            },
            404,
            'not_found',
          ],
          [
            'POST',
            '/v1/subscription-plans',
            {
              ...sk,
              body: {
                name: 'USD',
                discountPct: 10,
                durationDays: 30,
                price: { amount: 1, currency: 'USD' },
                includedProductIds: [],
              },
            },
            400,
            'validation_failed',
          ],
        ];
        const baseline = await t.fingerprint();
        for (const [method, path, options, status, code] of refusals) {
          const reply = await t.call(method, path, options);
          assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`);
          assert.equal(reply.body.code, code, `${method} ${path}`);
        }
        assert.deepEqual(await t.fingerprint(), baseline, 'refusals changed nothing');
        assert.notDeepEqual(before, undefined);
      }));

    it('lets a customer confirm their own order when the store takes payment at pickup', () =>
      withApp(kind, async (t) => {
        const { productId } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          { sku: 'CAM-2', name: 'Camera', basePriceCents: 3500, pricingUnit: 'day', units: 1 },
          t.clock.now(),
        );
        const alice = await t.customer();
        const bob = await t.customer();
        const created = await t.call('POST', '/v1/rentals', {
          token: alice.token,
          body: { items: [{ productId, quantity: 1 }], ...period },
        });
        assert.equal(created.status, 201);

        // Online (the default): 402 and nothing changes.
        const before = await t.fingerprint();
        const refused = await t.call('POST', `/v1/rentals/${created.body.id}/confirm`, {
          token: alice.token,
        });
        assert.equal(refused.status, 402);
        assert.equal(refused.body.code, 'payment_required');
        assert.deepEqual(await t.fingerprint(), before);

        await t.handle.db.execute(
          sql`update stores set rental_payment = 'at_pickup' where id = ${t.store.storeId}`,
        );
        const store = await t.call('GET', '/v1/store');
        assert.equal(store.body.rentalPayment, 'at_pickup');
        // Another customer's order is not theirs to confirm.
        const foreign = await t.call('POST', `/v1/rentals/${created.body.id}/confirm`, { token: bob.token });
        assert.equal(foreign.status, 404);
        const confirmed = await t.call('POST', `/v1/rentals/${created.body.id}/confirm`, {
          token: alice.token,
        });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.equal(confirmed.body.status, 'confirmed');
        assert.equal(confirmed.body.qrType, 'pickup');
        assert.match(confirmed.body.qrToken, /^ds1h\./);
        assert.equal(confirmed.body.invoice.status, 'open', 'paid at the counter, not online');
        const [audit] = await t.handle.db
          .select({ after: schema.auditLogs.after })
          .from(schema.auditLogs)
          .where(sql`action = 'rental.confirm' and entity_id = ${created.body.id}`);
        assert.equal((audit!.after as { via: string }).via, 'at_pickup');
      }));

    it('answers the loyalty account and the subscription plans', () =>
      withApp(kind, async (t) => {
        const alice = await t.customer();
        const empty = await t.call('GET', '/v1/customers/me/loyalty', { token: alice.token });
        assert.equal(empty.status, 200);
        assert.deepEqual(empty.body, { pointsBalance: 0, tier: 'standard', ledger: [], subscription: null });
        const anonymous = await t.call('GET', '/v1/customers/me/loyalty');
        assert.equal(anonymous.status, 401);
        assert.equal(anonymous.body.code, 'customer_token_required');

        const now = t.clock.now();
        const [account] = await t.handle.db
          .insert(schema.loyaltyAccounts)
          .values({
            storeId: t.store.storeId,
            userId: alice.id,
            pointsBalance: 120,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await t.handle.db.insert(schema.loyaltyLedger).values({
          storeId: t.store.storeId,
          accountId: account!.id,
          delta: 120,
          reason: 'adjust',
          balanceAfter: 120,
          createdAt: now,
        });
        const { productId } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          { sku: 'CAM-3', name: 'Camera', basePriceCents: 3500, pricingUnit: 'day', units: 1 },
          now,
        );
        const [plan] = await t.handle.db
          .insert(schema.subscriptionPlans)
          .values({
            storeId: t.store.storeId,
            name: 'Creator',
            discountPct: 20,
            durationDays: 30,
            priceCents: 1900,
            currency: 'EUR',
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        await t.handle.db
          .insert(schema.subscriptionPlanProducts)
          .values({ storeId: t.store.storeId, planId: plan!.id, productId });
        await t.handle.db.insert(schema.subscriptions).values({
          storeId: t.store.storeId,
          userId: alice.id,
          planId: plan!.id,
          startsAt: now,
          endsAt: new Date(now.getTime() + 30 * DAY),
          createdAt: now,
          updatedAt: now,
        });

        const loyalty = await t.call('GET', '/v1/customers/me/loyalty', { token: alice.token });
        assert.equal(loyalty.body.pointsBalance, 120);
        assert.deepEqual(
          loyalty.body.ledger.map((l: { delta: number; reason: string }) => [l.delta, l.reason]),
          [[120, 'adjust']],
        );
        assert.equal(loyalty.body.subscription.planName, 'Creator');

        const plans = await t.call('GET', '/v1/subscription-plans');
        assert.equal(plans.status, 200);
        assert.deepEqual(plans.body.data, [
          {
            id: plan!.id,
            name: 'Creator',
            discountPct: 20,
            durationDays: 30,
            price: { amount: 1900, currency: 'EUR' },
            includedProductIds: [productId],
            active: true,
          },
        ]);
      }));
  });
}
