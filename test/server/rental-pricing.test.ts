/** Property tests of the rental pricing rule (pure: no database). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { PRICING_UNIT_SECONDS } from '../../src/schemas/index.js';
import { priceQuote, unitsFor, type PricingInput } from '../../examples/server/domain/rental-pricing.js';

const START = Date.UTC(2030, 2, 1);
const unit = fc.constantFrom('hour' as const, 'day' as const, 'week' as const);
const line = fc.record({
  productId: fc.uuid(),
  name: fc.constant('P'),
  quantity: fc.integer({ min: 1, max: 50 }),
  pricingUnit: unit,
  basePriceCents: fc.integer({ min: 0, max: 1_000_000 }),
  freeUnits: fc.integer({ min: 0, max: 60 }),
});
const input: fc.Arbitrary<PricingInput> = fc.record({
  currency: fc.constant('EUR'),
  start: fc.constant(new Date(START)),
  end: fc.integer({ min: 1, max: 90 * 86_400_000 }).map((ms) => new Date(START + ms)),
  lines: fc.array(line, { minLength: 1, maxLength: 20 }),
  subscription: fc.option(
    fc.record({
      id: fc.uuid(),
      discountPct: fc.integer({ min: 0, max: 100 }),
      productIds: fc.constant(new Set<string>()),
    }),
    { nil: null },
  ),
  promotion: fc.option(
    fc.oneof(
      fc.record({
        code: fc.constant('P'),
        discountType: fc.constant('percent' as const),
        value: fc.integer({ min: 1, max: 100 }),
      }),
      fc.record({
        code: fc.constant('A'),
        discountType: fc.constant('amount' as const),
        value: fc.integer({ min: 1, max: 10_000_000 }),
      }),
    ),
    { nil: null },
  ),
  redeemPoints: fc.integer({ min: 0, max: 10_000_000 }),
});
// Include a random subset of the lines' products in the plan.
const withPlan = fc
  .tuple(input, fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }))
  .map(([i, picks]) => ({
    ...i,
    subscription: i.subscription && {
      ...i.subscription,
      productIds: new Set(i.lines.filter((_, n) => picks[n]).map((l) => l.productId)),
    },
  }));

describe('rental pricing (properties)', () => {
  it('total = Σ lines − discounts, never negative, integers only', () => {
    fc.assert(
      fc.property(withPlan, (i) => {
        const q = priceQuote(i);
        const sum = q.lines.reduce((s, l) => s + l.amount, 0);
        assert.equal(q.subtotal, sum);
        assert.equal(q.total, q.subtotal - q.subscriptionDiscount - q.promoDiscount - q.pointsDiscount);
        assert.ok(q.total >= 0);
        for (const value of [
          q.subtotal,
          q.subscriptionDiscount,
          q.promoDiscount,
          q.pointsRedeemed,
          q.total,
        ]) {
          assert.ok(Number.isSafeInteger(value) && value >= 0, String(value));
        }
        for (const l of q.lines) {
          assert.ok(Number.isSafeInteger(l.amount) && Number.isSafeInteger(l.subscriptionDiscount));
          assert.ok(l.subscriptionDiscount <= l.amount);
        }
        assert.ok(q.pointsRedeemed <= i.redeemPoints);
        assert.ok(q.promoDiscount <= q.subtotal - q.subscriptionDiscount);
      }),
      { numRuns: 2000 },
    );
  });

  it('charges every started unit: units = ceil(duration / unit length)', () => {
    fc.assert(
      fc.property(unit, fc.integer({ min: 1, max: 90 * 86_400_000 }), (u, ms) => {
        const units = unitsFor(new Date(START), new Date(START + ms), u);
        const length = PRICING_UNIT_SECONDS[u] * 1000;
        assert.ok(units * length >= ms && (units - 1) * length < ms);
      }),
    );
  });

  it('is deterministic: the same input prices the same (what the order charges)', () => {
    fc.assert(fc.property(withPlan, (i) => assert.deepEqual(priceQuote(i), priceQuote(i))));
  });
});
