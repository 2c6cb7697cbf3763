/** Loyalty accounts and subscription plans as customers see them. */
import { and, desc, eq, gt, lte, sql } from 'drizzle-orm';
import type { LoyaltyAccount, SubscriptionPlan } from '../../../src/schemas/index.js';
import { schema, type Database } from '../db/index.js';

/** The customer's balance and last 20 ledger rows; a customer who never earned has 0 points and an empty ledger. */
export async function loyaltyAccount(
  db: Database,
  storeId: string,
  userId: string,
  now: Date,
): Promise<LoyaltyAccount> {
  const a = schema.loyaltyAccounts;
  const [account] = await db
    .select()
    .from(a)
    .where(and(eq(a.storeId, storeId), eq(a.userId, userId)));
  const l = schema.loyaltyLedger;
  const ledger = account
    ? await db
        .select()
        .from(l)
        .where(eq(l.accountId, account.id))
        .orderBy(desc(l.createdAt), desc(l.id))
        .limit(20)
    : [];
  const s = schema.subscriptions;
  const p = schema.subscriptionPlans;
  const [subscription] = await db
    .select({ id: s.id, planId: s.planId, planName: p.name, startsAt: s.startsAt, endsAt: s.endsAt })
    .from(s)
    .innerJoin(p, and(eq(p.id, s.planId), eq(p.storeId, s.storeId)))
    .where(
      and(
        eq(s.storeId, storeId),
        eq(s.userId, userId),
        eq(s.status, 'active'),
        lte(s.startsAt, now),
        gt(s.endsAt, now),
      ),
    )
    .orderBy(desc(p.discountPct))
    .limit(1);
  return {
    pointsBalance: account?.pointsBalance ?? 0,
    tier: account?.tier ?? 'standard',
    ledger: ledger.map((row) => ({
      id: row.id,
      delta: row.delta,
      reason: row.reason as LoyaltyAccount['ledger'][number]['reason'],
      balanceAfter: row.balanceAfter,
      rentalOrderId: row.rentalOrderId,
      createdAt: row.createdAt.toISOString(),
    })),
    subscription: subscription
      ? {
          ...subscription,
          startsAt: subscription.startsAt.toISOString(),
          endsAt: subscription.endsAt.toISOString(),
        }
      : null,
  };
}

/** The store's active plans (or all, with `includeInactive`) with their included products, cheapest first. */
export async function subscriptionPlans(
  db: Database,
  storeId: string,
  includeInactive = false,
): Promise<{ data: SubscriptionPlan[] }> {
  const p = schema.subscriptionPlans;
  const plans = await db
    .select({
      id: p.id,
      name: p.name,
      discountPct: p.discountPct,
      durationDays: p.durationDays,
      priceCents: p.priceCents,
      currency: p.currency,
      isActive: p.isActive,
      included: sql<string[]>`coalesce((select array_agg(pp.product_id order by pp.product_id)
        from subscription_plan_products pp where pp.plan_id = ${p.id}), '{}')`,
    })
    .from(p)
    .where(and(eq(p.storeId, storeId), includeInactive ? undefined : eq(p.isActive, true)))
    .orderBy(p.priceCents, p.name, p.id);
  return {
    data: plans.map((plan) => ({
      id: plan.id,
      name: plan.name,
      discountPct: plan.discountPct,
      durationDays: plan.durationDays,
      price: { amount: plan.priceCents, currency: plan.currency },
      includedProductIds: [...plan.included],
      active: plan.isActive,
    })),
  };
}
