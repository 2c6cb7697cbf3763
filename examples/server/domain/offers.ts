/** Writing the store's offers: promo codes and subscription plans (read by quotes and `GET /subscription-plans`). */
import { and, desc, eq } from 'drizzle-orm';
import {
  ProblemCode,
  type Promotion,
  type PromotionCreate,
  type PromotionUpdate,
  type SubscriptionPlan,
  type SubscriptionPlanCreate,
} from '../../../src/schemas/index.js';
import { pgError, schema, transaction, type Database } from '../db/index.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { getStore } from './catalog.js';

type PromotionRow = typeof schema.promotions.$inferSelect;
const p = schema.promotions;

function serializePromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    code: row.code,
    discountType: row.discountType as Promotion['discountType'],
    value: row.value,
    currency: row.currency,
    validFrom: row.validFrom.toISOString(),
    validTo: row.validTo.toISOString(),
    maxRedemptions: row.maxRedemptions,
    redemptions: row.redemptionsCount,
    active: row.isActive,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listPromotions(db: Database, storeId: string): Promise<{ data: Promotion[] }> {
  const found = await db
    .select()
    .from(p)
    .where(eq(p.storeId, storeId))
    .orderBy(desc(p.createdAt), desc(p.id));
  return { data: found.map(serializePromotion) };
}

export async function createPromotion(
  db: Database,
  actor: Actor,
  input: PromotionCreate,
  now: Date,
): Promise<Promotion> {
  if (input.discountType === 'percent' && input.value > 100) {
    throw invalidField('body.value', 'A percent promotion takes 1–100.');
  }
  if (Date.parse(input.validTo) <= Date.parse(input.validFrom)) {
    throw invalidField('body.validTo', '`validTo` must be after `validFrom`.');
  }
  const store = await getStore(db, actor.storeId);
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(p)
        .values({
          storeId: actor.storeId,
          code: input.code,
          discountType: input.discountType,
          value: input.value,
          currency: input.discountType === 'amount' ? store.currency : null,
          validFrom: new Date(input.validFrom),
          validTo: new Date(input.validTo),
          maxRedemptions: input.maxRedemptions ?? null,
          isActive: input.active ?? true,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      const promotion = serializePromotion(row!);
      await audit(tx, actor, 'promotion.create', 'promotion', promotion.id, null, promotion, now);
      return promotion;
    });
  } catch (error) {
    const constraint = pgError(error)?.constraint;
    if (constraint === 'promotions_store_code_key' || constraint === 'promotions_store_code_upper_key') {
      throw new ApiError(409, ProblemCode.conflict, 'The store has a promotion with that code already.');
    }
    throw error;
  }
}

export async function updatePromotion(
  db: Database,
  actor: Actor,
  id: string,
  input: PromotionUpdate,
  now: Date,
): Promise<Promotion> {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(p)
      .where(and(eq(p.storeId, actor.storeId), eq(p.id, id)))
      .for('update');
    if (!before) throw notFound('promotion');
    if (input.validTo !== undefined && Date.parse(input.validTo) <= before.validFrom.getTime()) {
      throw invalidField('body.validTo', '`validTo` must be after `validFrom`.');
    }
    if (input.maxRedemptions != null && input.maxRedemptions < before.redemptionsCount) {
      throw invalidField(
        'body.maxRedemptions',
        `The code was used ${before.redemptionsCount} times already.`,
      );
    }
    const [row] = await tx
      .update(p)
      .set({
        ...(input.active !== undefined && { isActive: input.active }),
        ...(input.validTo !== undefined && { validTo: new Date(input.validTo) }),
        ...(input.maxRedemptions !== undefined && { maxRedemptions: input.maxRedemptions }),
        updatedAt: now,
      })
      .where(eq(p.id, id))
      .returning();
    const promotion = serializePromotion(row!);
    await audit(tx, actor, 'promotion.update', 'promotion', id, serializePromotion(before), promotion, now);
    return promotion;
  });
}

export async function createSubscriptionPlan(
  db: Database,
  actor: Actor,
  input: SubscriptionPlanCreate,
  now: Date,
): Promise<SubscriptionPlan> {
  const store = await getStore(db, actor.storeId);
  if (input.price.currency !== store.currency) {
    throw invalidField('body.price.currency', `Prices of this store are in ${store.currency}.`);
  }
  const included = [...new Set(input.includedProductIds)];
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(schema.subscriptionPlans)
        .values({
          storeId: actor.storeId,
          name: input.name,
          discountPct: input.discountPct,
          durationDays: input.durationDays,
          priceCents: input.price.amount,
          currency: input.price.currency,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (included.length) {
        await tx
          .insert(schema.subscriptionPlanProducts)
          .values(included.map((productId) => ({ storeId: actor.storeId, planId: row!.id, productId })));
      }
      const plan: SubscriptionPlan = {
        id: row!.id,
        name: row!.name,
        discountPct: row!.discountPct,
        durationDays: row!.durationDays,
        price: { amount: row!.priceCents, currency: row!.currency },
        includedProductIds: included.sort(),
        active: row!.isActive,
      };
      await audit(tx, actor, 'subscription_plan.create', 'subscription_plan', plan.id, null, plan, now);
      return plan;
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'subscription_plan_products_store_product_fkey')
      throw notFound('product');
    throw error;
  }
}
