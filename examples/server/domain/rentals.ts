/**
 * Rentals: the category tree, availability of units over time, quotes and orders. The database guarantees that a
 * unit is never in two overlapping active rentals (exclusion constraint `rental_items_no_overlap` over the unit and
 * the half-open range `[starts_at, ends_at)`), so assigning units is a plain insert: a concurrent overlap is refused
 * by PostgreSQL (SQLSTATE 23P01) and answered 409 `unit_unavailable`.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  MAX_RENTAL_DAYS,
  ProblemCode,
  type Availability,
  type AvailabilityMonth,
  type Category,
  type PricingUnit,
  type RentalOrder,
  type RentalOrderCreate,
  type RentalQuote,
  type RentalQuoteRequest,
} from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { EventType, recordEvent } from './events.js';
import type { Tokens } from './tokens.js';
import { priceQuote, type PricingInput } from './rental-pricing.js';
import { isOpenAt, type WeeklyHours } from './opening-hours.js';

/** Item statuses that hold a unit (the exclusion constraint's WHERE). */
export const ACTIVE_ITEM_STATUSES = ['held', 'out'] as const;

// ---------------------------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------------------------

export async function categoryTree(db: Database, storeId: string): Promise<{ data: Category[] }> {
  const found = await db
    .select()
    .from(schema.categories)
    .where(eq(schema.categories.storeId, storeId))
    .orderBy(schema.categories.position, schema.categories.name, schema.categories.id);
  const nodes = new Map<string, Category>();
  for (const row of found) {
    nodes.set(row.id, {
      id: row.id,
      parentId: row.parentId,
      name: row.name,
      slug: row.slug,
      position: row.position,
      children: [],
    });
  }
  const roots: Category[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return { data: roots };
}

// ---------------------------------------------------------------------------------------------------------------
// Periods and time zones
// ---------------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function periodError(detail: string, field = 'body.end'): ApiError {
  return new ApiError(400, ProblemCode.invalidPeriod, detail, {
    errors: [{ path: field, message: detail, code: 'invalid_value' }],
  });
}

/**
 * Pickups and returns happen at the store's pickup branch (its first branch with opening hours) while it is open: a
 * start or end outside its hours (a closed day, before opening, after closing) is 400 `invalid_period` at that field.
 * A store that publishes no hours takes any time.
 */
export async function checkOpeningHours(
  db: Executor,
  storeId: string,
  start: Date,
  end: Date,
): Promise<void> {
  const [branch] = await db
    .select({
      name: schema.branches.name,
      timeZone: schema.branches.timeZone,
      openingHours: schema.branches.openingHours,
      openingExceptions: schema.branches.openingExceptions,
    })
    .from(schema.branches)
    .where(and(eq(schema.branches.storeId, storeId), sql`${schema.branches.openingHours} is not null`))
    .orderBy(schema.branches.createdAt, schema.branches.id)
    .limit(1);
  if (!branch) return;
  const hours = {
    timeZone: branch.timeZone,
    openingHours: branch.openingHours as WeeklyHours | null,
    openingExceptions: branch.openingExceptions,
  };
  if (!isOpenAt(hours, start)) {
    throw periodError(
      `${branch.name} is closed at this pickup time; choose a time in its opening hours.`,
      'body.start',
    );
  }
  if (!isOpenAt(hours, end)) {
    throw periodError(
      `${branch.name} is closed at this return time; choose a time in its opening hours.`,
      'body.end',
    );
  }
}

/** A rental period must be positive, at most MAX_RENTAL_DAYS long, and (for quotes and orders) not in the past. */
export function checkPeriod(start: Date, end: Date, now: Date | undefined, where: 'body' | 'query'): void {
  if (end.getTime() <= start.getTime()) {
    throw periodError('`end` must be after `start`.', `${where}.end`);
  }
  if (end.getTime() - start.getTime() > MAX_RENTAL_DAYS * DAY_MS) {
    throw periodError(`A rental period is at most ${MAX_RENTAL_DAYS} days.`, `${where}.end`);
  }
  if (now && start.getTime() < now.getTime()) {
    throw periodError('`start` is in the past.', `${where}.start`);
  }
}

/** Milliseconds the wall clock of `timeZone` is ahead of UTC at `instant`. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  );
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of local midnight starting the calendar day `y-m-d` in `timeZone`. */
export function localMidnight(y: number, m: number, d: number, timeZone: string): Date {
  const wall = Date.UTC(y, m - 1, d);
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return new Date(guess);
}

// ---------------------------------------------------------------------------------------------------------------
// Availability
// ---------------------------------------------------------------------------------------------------------------

type ProductRow = typeof schema.products.$inferSelect;

async function rentableProduct(db: Executor, storeId: string, id: string): Promise<ProductRow> {
  const [row] = await db
    .select()
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), eq(schema.products.id, id)));
  if (!row || !row.isActive) throw notFound('product');
  if (!row.isRentable) {
    throw new ApiError(422, ProblemCode.notRentable, 'This product is not rented out.', { productId: id });
  }
  return row;
}

/** Units of the product that can be rented (status `available`) and, of those, free for all of `[start, end)`. */
export async function freeUnits(
  db: Executor,
  storeId: string,
  productId: string,
  start: Date,
  end: Date,
): Promise<{ total: number; free: number }> {
  const [row] = await rows<{ total: number; free: number }>(
    db,
    sql`select count(*)::int as total,
          (count(*) filter (where not exists (
            select 1 from rental_items ri
            where ri.inventory_item_id = i.id and ri.status in ('held', 'out')
              and tstzrange(ri.starts_at, ri.ends_at, '[)') && tstzrange(${start.toISOString()}::timestamptz, ${end.toISOString()}::timestamptz, '[)')
          )))::int as free
        from inventory_items i
        where i.store_id = ${storeId} and i.product_id = ${productId} and i.status = 'available'`,
  );
  return { total: row!.total, free: row!.free };
}

export async function availability(
  db: Database,
  storeId: string,
  productId: string,
  start: Date,
  end: Date,
): Promise<Availability> {
  checkPeriod(start, end, undefined, 'query');
  await rentableProduct(db, storeId, productId);
  const { total, free } = await freeUnits(db, storeId, productId, start, end);
  return {
    productId,
    start: start.toISOString(),
    end: end.toISOString(),
    totalUnits: total,
    freeUnits: free,
  };
}

/** Free units per calendar day of `month` (`YYYY-MM`), days from local midnight to local midnight in the store's zone. */
export async function availabilityMonth(
  db: Database,
  storeId: string,
  productId: string,
  month: string,
): Promise<AvailabilityMonth> {
  await rentableProduct(db, storeId, productId);
  const [store] = await db
    .select({ timeZone: schema.stores.timeZone })
    .from(schema.stores)
    .where(eq(schema.stores.id, storeId));
  const timeZone = store!.timeZone;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const bounds: Date[] = [];
  for (let d = 1; d <= daysInMonth + 1; d++) bounds.push(localMidnight(y, m, d, timeZone));
  const units = await db
    .select({ id: schema.inventoryItems.id })
    .from(schema.inventoryItems)
    .where(
      and(
        eq(schema.inventoryItems.storeId, storeId),
        eq(schema.inventoryItems.productId, productId),
        eq(schema.inventoryItems.status, 'available'),
      ),
    );
  const busy = await rows<{ unit: string; starts_at: string | Date; ends_at: string | Date }>(
    db,
    sql`select ri.inventory_item_id as unit, ri.starts_at, ri.ends_at from rental_items ri
        where ri.store_id = ${storeId} and ri.product_id = ${productId} and ri.status in ('held', 'out')
          and ri.starts_at < ${bounds[daysInMonth]!.toISOString()}::timestamptz
          and ri.ends_at > ${bounds[0]!.toISOString()}::timestamptz`,
  );
  const intervals = busy.map((b) => ({
    unit: b.unit,
    start: new Date(b.starts_at).getTime(),
    end: new Date(b.ends_at).getTime(),
  }));
  const days: AvailabilityMonth['days'] = [];
  for (let d = 0; d < daysInMonth; d++) {
    const start = bounds[d]!.getTime();
    const end = bounds[d + 1]!.getTime();
    const taken = new Set(intervals.filter((i) => i.start < end && i.end > start).map((i) => i.unit));
    days.push({
      date: `${month}-${String(d + 1).padStart(2, '0')}`,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      freeUnits: units.filter((u) => !taken.has(u.id)).length,
    });
  }
  return { productId, month, timeZone, totalUnits: units.length, days };
}

// ---------------------------------------------------------------------------------------------------------------
// Quotes
// ---------------------------------------------------------------------------------------------------------------

interface QuoteContext {
  quote: RentalQuote;
  currency: string;
  timeZone: string;
  products: Map<string, ProductRow>;
  promotionId: string | null;
  loyaltyAccountId: string | null;
}

/**
 * Everything a quote needs, read through `db` (the order's transaction when ordering), then priced by the pure
 * `priceQuote`. Refusals: unknown or other store's product 404, not rentable 422, bad period 400, promo code unknown
 * 422 `promo_invalid` / outside its window 422 `promo_expired` / used up 422 `promo_exhausted`, more points than the
 * balance 422 `insufficient_points`.
 */
async function buildQuote(
  db: Executor,
  storeId: string,
  customerId: string | undefined,
  input: RentalQuoteRequest,
  now: Date,
): Promise<QuoteContext> {
  const start = new Date(input.start);
  const end = new Date(input.end);
  checkPeriod(start, end, now, 'body');
  await checkOpeningHours(db, storeId, start, end);
  const ids = input.items.map((i) => i.productId);
  if (new Set(ids).size !== ids.length) {
    throw new ApiError(400, ProblemCode.validationFailed, 'Each product may appear once; use `quantity`.', {
      errors: [{ path: 'body.items', message: 'Duplicate productId', code: 'invalid_value' }],
    });
  }
  const [store] = await db
    .select({ currency: schema.stores.currency, timeZone: schema.stores.timeZone })
    .from(schema.stores)
    .where(eq(schema.stores.id, storeId));
  const products = new Map<string, ProductRow>();
  for (const id of ids) products.set(id, await rentableProduct(db, storeId, id));

  const lines: PricingInput['lines'] = [];
  for (const item of input.items) {
    const product = products.get(item.productId)!;
    const { free } = await freeUnits(db, storeId, item.productId, start, end);
    lines.push({
      productId: product.id,
      name: product.name,
      quantity: item.quantity,
      pricingUnit: product.pricingUnit as PricingUnit,
      basePriceCents: product.basePriceCents!,
      freeUnits: free,
    });
  }

  // The active subscription covering the rental's start (a switched-off plan still discounts for its subscribers).
  let subscription: PricingInput['subscription'] = null;
  let loyaltyAccountId: string | null = null;
  let balance = 0;
  if (customerId) {
    const subs = await rows<{ id: string; discount_pct: number; plan_id: string }>(
      db,
      sql`select s.id, p.discount_pct, p.id as plan_id from subscriptions s
          join subscription_plans p on p.id = s.plan_id and p.store_id = s.store_id
          where s.store_id = ${storeId} and s.user_id = ${customerId} and s.status = 'active'
            and s.starts_at <= ${start.toISOString()}::timestamptz and s.ends_at > ${start.toISOString()}::timestamptz
          order by p.discount_pct desc, s.id limit 1`,
    );
    const sub = subs[0];
    if (sub) {
      const included = await db
        .select({ productId: schema.subscriptionPlanProducts.productId })
        .from(schema.subscriptionPlanProducts)
        .where(eq(schema.subscriptionPlanProducts.planId, sub.plan_id));
      subscription = {
        id: sub.id,
        discountPct: sub.discount_pct,
        productIds: new Set(included.map((p) => p.productId)),
      };
    }
    const [account] = await db
      .select()
      .from(schema.loyaltyAccounts)
      .where(and(eq(schema.loyaltyAccounts.storeId, storeId), eq(schema.loyaltyAccounts.userId, customerId)));
    if (account) {
      loyaltyAccountId = account.id;
      balance = account.pointsBalance;
    }
  }
  const redeemPoints = input.redeemPoints ?? 0;
  if (redeemPoints > 0 && !customerId) {
    throw new ApiError(
      401,
      ProblemCode.customerTokenRequired,
      'Redeeming points needs a signed-in customer.',
    );
  }
  if (redeemPoints > balance) {
    throw new ApiError(
      422,
      ProblemCode.insufficientPoints,
      `The loyalty balance is ${balance} points; ${redeemPoints} were asked.`,
      { balance },
    );
  }

  let promotion: PricingInput['promotion'] = null;
  let promotionId: string | null = null;
  if (input.promoCode) {
    const [promo] = await db
      .select()
      .from(schema.promotions)
      .where(
        and(
          eq(schema.promotions.storeId, storeId),
          sql`upper(${schema.promotions.code}) = upper(${input.promoCode})`,
        ),
      );
    if (
      !promo ||
      !promo.isActive ||
      (promo.discountType === 'amount' && promo.currency !== store!.currency)
    ) {
      throw new ApiError(422, ProblemCode.promoInvalid, 'This promo code is not valid.');
    }
    if (now < promo.validFrom || now >= promo.validTo) {
      throw new ApiError(422, ProblemCode.promoExpired, 'This promo code is not valid at this time.', {
        validFrom: promo.validFrom.toISOString(),
        validTo: promo.validTo.toISOString(),
      });
    }
    if (promo.maxRedemptions !== null && promo.redemptionsCount >= promo.maxRedemptions) {
      throw new ApiError(422, ProblemCode.promoExhausted, 'This promo code has been used up.');
    }
    promotion = {
      code: promo.code,
      discountType: promo.discountType as 'percent' | 'amount',
      value: promo.value,
    };
    promotionId = promo.id;
  }

  const quote = priceQuote({
    currency: store!.currency,
    start,
    end,
    lines,
    subscription,
    promotion,
    redeemPoints,
  });
  return {
    quote,
    currency: store!.currency,
    timeZone: store!.timeZone,
    products,
    promotionId,
    loyaltyAccountId,
  };
}

export async function quoteRental(
  db: Database,
  storeId: string,
  customerId: string | undefined,
  input: RentalQuoteRequest,
  now: Date,
): Promise<RentalQuote> {
  return (await buildQuote(db, storeId, customerId, input, now)).quote;
}

// ---------------------------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------------------------

function unitUnavailable(productId?: string): ApiError {
  return new ApiError(
    409,
    ProblemCode.unitUnavailable,
    'Not enough units of this product are free for the period.',
    productId ? { productId } : {},
  );
}

class OverlapRetry extends Error {}

function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/**
 * The order as the API answers it. With `tokens` (the viewer is the order's customer or a secret key) the handover
 * token staff scan next is signed into `qrToken`; without, it is `null` (audit rows, staff and lists of others).
 */
export async function loadOrder(
  db: Executor,
  storeId: string,
  id: string,
  tokens?: Tokens,
): Promise<RentalOrder> {
  const [order] = await db
    .select()
    .from(schema.rentalOrders)
    .where(and(eq(schema.rentalOrders.storeId, storeId), eq(schema.rentalOrders.id, id)));
  if (!order) throw notFound('rental');
  const items = await rows<{
    id: string;
    product_id: string;
    inventory_item_id: string;
    serial: string;
    units: number;
    unit_price_cents: number;
    price_cents: number;
    status: string;
  }>(
    db,
    sql`select ri.id, ri.product_id, ri.inventory_item_id, i.serial, ri.units, ri.unit_price_cents, ri.price_cents,
          ri.status
        from rental_items ri join inventory_items i on i.id = ri.inventory_item_id
        where ri.rental_order_id = ${id} order by ri.created_at, i.serial`,
  );
  const [invoice] = await db
    .select()
    .from(schema.invoices)
    .where(eq(schema.invoices.rentalOrderId, id))
    .orderBy(schema.invoices.createdAt)
    .limit(1);
  const schedules = await db
    .select()
    .from(schema.schedules)
    .where(eq(schema.schedules.rentalOrderId, id))
    .orderBy(sql`case ${schema.schedules.type} when 'pickup' then 0 else 1 end`);
  const nextHandover =
    order.status === 'confirmed'
      ? 'pickup'
      : order.status === 'active' || order.status === 'overdue'
        ? 'return'
        : null;
  let qr: { id: string; type: string } | undefined;
  if (tokens && nextHandover) {
    [qr] = await db
      .select({ id: schema.handoverQr.id, type: schema.handoverQr.type })
      .from(schema.handoverQr)
      .where(
        and(
          eq(schema.handoverQr.rentalOrderId, id),
          eq(schema.handoverQr.type, nextHandover),
          isNull(schema.handoverQr.verifiedAt),
        ),
      );
  }
  return {
    id: order.id,
    storeId: order.storeId,
    customerId: order.userId,
    status: order.status as RentalOrder['status'],
    start: order.startsAt.toISOString(),
    end: order.endsAt.toISOString(),
    currency: order.currency,
    total: order.totalCents,
    quote: order.quote as RentalQuote,
    items: items.map((i) => ({
      id: i.id,
      productId: i.product_id,
      inventoryItemId: i.inventory_item_id,
      serial: i.serial,
      units: i.units,
      unitPrice: i.unit_price_cents,
      amount: i.price_cents,
      status: i.status as RentalOrder['items'][number]['status'],
    })),
    invoice: {
      id: invoice!.id,
      rentalOrderId: invoice!.rentalOrderId,
      subscriptionId: null,
      amountDue: invoice!.amountDueCents,
      amountPaid: invoice!.amountPaidCents,
      currency: invoice!.currency,
      status: invoice!.status as RentalOrder['invoice']['status'],
      dueDate: invoice!.dueDate,
      issuedAt: invoice!.issuedAt.toISOString(),
    },
    schedules: schedules.map((row) => ({
      id: row.id,
      type: row.type as 'pickup' | 'return',
      scheduledFor: row.scheduledFor.toISOString(),
      actualAt: row.actualAt?.toISOString() ?? null,
      assignedTo: row.assignedTo,
    })),
    qrToken: qr && tokens ? tokens.handoverToken(qr.id) : null,
    qrType: qr && tokens ? (qr.type as 'pickup' | 'return') : null,
    createdAt: order.createdAt.toISOString(),
    confirmedAt: order.confirmedAt?.toISOString() ?? null,
    cancelledAt: order.cancelledAt?.toISOString() ?? null,
    completedAt: order.completedAt?.toISOString() ?? null,
  };
}

/**
 * Reads an order. `customerId` limits it to that customer's orders (others are 404); `tokens` shows the handover
 * token (pass it only when the viewer is the order's customer or a secret key).
 */
export async function getRental(
  db: Database,
  storeId: string,
  id: string,
  customerId: string | undefined,
  tokens?: (order: { customerId: string }) => Tokens | undefined,
): Promise<RentalOrder> {
  const [row] = await db
    .select({ userId: schema.rentalOrders.userId })
    .from(schema.rentalOrders)
    .where(and(eq(schema.rentalOrders.storeId, storeId), eq(schema.rentalOrders.id, id)));
  if (!row || (customerId && row.userId !== customerId)) throw notFound('rental');
  return loadOrder(db, storeId, id, tokens?.({ customerId: row.userId }));
}

/**
 * Creates an order in one transaction: the quote is priced again inside it (so the order charges exactly the quote
 * for the same input), the promo use and points are taken by conditional updates, free units are assigned and held
 * by inserting `rental_items` (the exclusion constraint refuses any overlap a concurrent order committed first), an
 * invoice for the total is issued, pickup/return schedules and single-use handover codes are created, and an audit
 * row and an event are written. A lost race for a unit retries with other free units, then answers 409.
 */
export async function createRental(
  db: Database,
  actor: Actor,
  customerId: string,
  input: RentalOrderCreate,
  now: Date,
): Promise<RentalOrder> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await transaction(db, (tx) => createRentalOnce(tx, actor, customerId, input, now));
    } catch (error) {
      if (error instanceof OverlapRetry) {
        if (attempt < 4) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * (attempt + 1)));
          continue;
        }
        throw unitUnavailable();
      }
      throw error;
    }
  }
}

async function createRentalOnce(
  tx: Executor,
  actor: Actor,
  customerId: string,
  input: RentalOrderCreate,
  now: Date,
): Promise<RentalOrder> {
  const storeId = actor.storeId;
  // Orders for the same product take turns (locks in a fixed order, so multi-product orders cannot deadlock): each
  // picks its units from committed rentals instead of racing others into the exclusion constraint, whose concurrent
  // conflicts wait on each other and can deadlock. The constraint stays the guarantee.
  for (const productId of [...new Set(input.items.map((item) => item.productId))].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${productId}, 7271))`);
  }
  const { expectedTotal, ...request } = input;
  const ctx = await buildQuote(tx, storeId, customerId, request, now);
  const { quote } = ctx;
  if (expectedTotal !== undefined && expectedTotal !== quote.total) {
    throw new ApiError(409, ProblemCode.quoteChanged, 'The price changed since the quote; quote again.', {
      total: quote.total,
    });
  }
  const missing = quote.lines.find((l) => !l.available);
  if (missing) throw unitUnavailable(missing.productId);
  const start = new Date(quote.start);
  const end = new Date(quote.end);

  if (ctx.promotionId) {
    const used = await tx
      .update(schema.promotions)
      .set({ redemptionsCount: sql`${schema.promotions.redemptionsCount} + 1`, updatedAt: now })
      .where(
        and(
          eq(schema.promotions.id, ctx.promotionId),
          sql`(${schema.promotions.maxRedemptions} is null or ${schema.promotions.redemptionsCount} < ${schema.promotions.maxRedemptions})`,
        ),
      )
      .returning({ id: schema.promotions.id });
    if (used.length === 0)
      throw new ApiError(422, ProblemCode.promoExhausted, 'This promo code has been used up.');
  }

  const [order] = await tx
    .insert(schema.rentalOrders)
    .values({
      storeId,
      userId: customerId,
      status: 'pending_payment',
      startsAt: start,
      endsAt: end,
      currency: ctx.currency,
      subtotalCents: quote.subtotal,
      subscriptionDiscountCents: quote.subscriptionDiscount,
      promoDiscountCents: quote.promoDiscount,
      pointsRedeemed: quote.pointsRedeemed,
      totalCents: quote.total,
      promotionId: ctx.promotionId,
      subscriptionId: quote.subscriptionId,
      quote,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const orderId = order!.id;

  if (quote.pointsRedeemed > 0) {
    const [account] = await tx
      .update(schema.loyaltyAccounts)
      .set({
        pointsBalance: sql`${schema.loyaltyAccounts.pointsBalance} - ${quote.pointsRedeemed}`,
        updatedAt: now,
      })
      .where(
        and(
          eq(schema.loyaltyAccounts.id, ctx.loyaltyAccountId!),
          sql`${schema.loyaltyAccounts.pointsBalance} >= ${quote.pointsRedeemed}`,
        ),
      )
      .returning();
    if (!account) {
      throw new ApiError(422, ProblemCode.insufficientPoints, 'The loyalty balance is too low.');
    }
    await tx.insert(schema.loyaltyLedger).values({
      storeId,
      accountId: account.id,
      rentalOrderId: orderId,
      delta: -quote.pointsRedeemed,
      reason: 'redeem',
      balanceAfter: account.pointsBalance,
      createdAt: now,
    });
  }

  for (const line of quote.lines) {
    // Free units now, in random order so concurrent orders rarely pick the same one.
    const free = await rows<{ id: string }>(
      tx,
      sql`select i.id from inventory_items i
          where i.store_id = ${storeId} and i.product_id = ${line.productId} and i.status = 'available'
            and not exists (
              select 1 from rental_items ri
              where ri.inventory_item_id = i.id and ri.status in ('held', 'out')
                and tstzrange(ri.starts_at, ri.ends_at, '[)') && tstzrange(${quote.start}::timestamptz, ${quote.end}::timestamptz, '[)'))
          order by random() limit ${line.quantity}`,
    );
    if (free.length < line.quantity) throw unitUnavailable(line.productId);
    try {
      await tx.insert(schema.rentalItems).values(
        free.map((unit) => ({
          storeId,
          rentalOrderId: orderId,
          productId: line.productId,
          inventoryItemId: unit.id,
          startsAt: start,
          endsAt: end,
          status: 'held',
          pricingUnit: line.pricingUnit,
          units: line.units,
          unitPriceCents: line.unitPrice,
          priceCents: line.units * line.unitPrice,
          createdAt: now,
          updatedAt: now,
        })),
      );
    } catch (error) {
      if (pgError(error)?.code === '23P01') throw new OverlapRetry();
      throw error;
    }
  }

  await tx.insert(schema.invoices).values({
    storeId,
    rentalOrderId: orderId,
    amountDueCents: quote.total,
    amountPaidCents: 0,
    currency: ctx.currency,
    status: quote.total === 0 ? 'paid' : 'open',
    dueDate: localDate(start, ctx.timeZone),
    issuedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  await tx.insert(schema.schedules).values([
    { storeId, rentalOrderId: orderId, type: 'pickup', scheduledFor: start, createdAt: now, updatedAt: now },
    { storeId, rentalOrderId: orderId, type: 'return', scheduledFor: end, createdAt: now, updatedAt: now },
  ]);
  await tx.insert(schema.handoverQr).values(
    (['pickup', 'return'] as const).map((type) => ({
      storeId,
      rentalOrderId: orderId,
      type,
      qrToken: randomBytes(16).toString('hex'),
      createdAt: now,
    })),
  );
  const created = await loadOrder(tx, storeId, orderId);
  await audit(tx, actor, 'rental.create', 'rental_order', orderId, null, created, now);
  await recordEvent(tx, {
    storeId,
    type: EventType.rentalCreated,
    at: now,
    userId: customerId,
    rentalOrderId: orderId,
    data: { rentalOrderId: orderId, customerId, total: quote.total, units: created.items.length },
  });
  return created;
}
