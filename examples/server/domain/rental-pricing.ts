/**
 * The rental pricing rule, as a pure function (no database) so property tests can drive it directly.
 *
 * For a period `[start, end)` and each line (product, quantity):
 * 1. `units = ceil((end − start) / unit length)`, unit length hour = 3,600 s, day = 86,400 s, week = 604,800 s:
 *    every started unit is charged.
 * 2. `amount = units × base price × quantity` (integer minor units).
 * 3. Subscription: with an active subscription whose plan includes the product,
 *    `subscriptionDiscount = floor(amount × discountPct / 100)` per line.
 * 4. Promotion on what remains (`subtotal − subscription discounts`): percent → `floor(remaining × value / 100)`;
 *    amount → `min(value, remaining)`.
 * 5. Loyalty points (1 point = 1 minor unit): `pointsRedeemed = min(requested, remaining)`.
 * 6. `total = subtotal − subscriptionDiscount − promoDiscount − pointsDiscount`, never negative; all integers.
 */
import { PRICING_UNIT_SECONDS, type PricingUnit, type RentalQuote } from '../../../src/schemas/index.js';

export interface PricingLine {
  productId: string;
  name: string;
  quantity: number;
  pricingUnit: PricingUnit;
  basePriceCents: number;
  freeUnits: number;
}

export interface PricingInput {
  currency: string;
  start: Date;
  end: Date;
  lines: PricingLine[];
  subscription: { id: string; discountPct: number; productIds: ReadonlySet<string> } | null;
  promotion: { code: string; discountType: 'percent' | 'amount'; value: number } | null;
  redeemPoints: number;
}

/** Pricing units charged for a period: every started unit counts. */
export function unitsFor(start: Date, end: Date, unit: PricingUnit): number {
  const ms = end.getTime() - start.getTime();
  if (!(ms > 0)) throw new RangeError('The period must have a positive length.');
  return Math.ceil(ms / (PRICING_UNIT_SECONDS[unit] * 1000));
}

export function priceQuote(input: PricingInput): RentalQuote {
  const lines = input.lines.map((line) => {
    const units = unitsFor(input.start, input.end, line.pricingUnit);
    const amount = units * line.basePriceCents * line.quantity;
    const included = input.subscription?.productIds.has(line.productId) ?? false;
    const subscriptionDiscount = included ? Math.floor((amount * input.subscription!.discountPct) / 100) : 0;
    return {
      productId: line.productId,
      name: line.name,
      quantity: line.quantity,
      pricingUnit: line.pricingUnit,
      units,
      unitPrice: line.basePriceCents,
      amount,
      subscriptionDiscount,
      freeUnits: line.freeUnits,
      available: line.freeUnits >= line.quantity,
    };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.amount, 0);
  const subscriptionDiscount = lines.reduce((sum, l) => sum + l.subscriptionDiscount, 0);
  let remaining = subtotal - subscriptionDiscount;
  let promoDiscount = 0;
  if (input.promotion) {
    promoDiscount =
      input.promotion.discountType === 'percent'
        ? Math.floor((remaining * input.promotion.value) / 100)
        : Math.min(input.promotion.value, remaining);
  }
  remaining -= promoDiscount;
  const pointsRedeemed = Math.max(0, Math.min(input.redeemPoints, remaining));
  const total = remaining - pointsRedeemed;
  return {
    currency: input.currency,
    start: input.start.toISOString(),
    end: input.end.toISOString(),
    lines,
    subtotal,
    subscriptionDiscount,
    subscriptionId: subscriptionDiscount > 0 ? input.subscription!.id : null,
    promotion: input.promotion,
    promoDiscount,
    pointsRedeemed,
    pointsDiscount: pointsRedeemed,
    total,
    available: lines.every((l) => l.available),
  };
}
