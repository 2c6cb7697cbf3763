import * as z from 'zod/mini';
import { Currency, Id, ListQuery, Money, Page, Timestamp } from './common.js';
import { named } from './registry.js';
import { DeskTicket } from './desk.js';
import { PricingUnit } from './products.js';

export { PricingUnit, ProductAsset, RentalTerms, RentalTermsInput } from './products.js';

/** Length of one pricing unit in seconds. */
export const PRICING_UNIT_SECONDS: Record<PricingUnit, number> = {
  hour: 3_600,
  day: 86_400,
  week: 604_800,
};

/** The longest period one rental may cover (quotes and orders). */
export const MAX_RENTAL_DAYS = 90;

/** A category of the rental catalog with its sub-categories. */
export interface Category {
  id: string;
  parentId: string | null;
  name: string;
  slug: string;
  position: number;
  children: Category[];
}

const categoryFields = {
  id: Id,
  parentId: z.nullable(Id),
  name: z.string(),
  slug: z.string(),
  position: z.int(),
};

/** A catalog category and, recursively, its children (`GET /categories` answers the tree). */
export const Category: z.ZodMiniType<Category> = named(
  'Category',
  'A category of the rental catalog with its sub-categories.',
  z.object({
    ...categoryFields,
    get children(): z.ZodMiniArray<z.ZodMiniType<Category>> {
      return z.array(Category);
    },
  }),
);

/** Body of `GET /categories`: the roots of the tree, ordered by position then name. */
export const CategoryTree = named(
  'CategoryTree',
  'The category tree: root categories with nested children.',
  z.object({ data: z.array(Category) }),
);
export type CategoryTree = z.infer<typeof CategoryTree>;

/** Query of `GET /products/{id}/availability`: either a period (`start` and `end`) or a calendar `month`. */
export const AvailabilityQuery = z.object({
  start: z.optional(Timestamp),
  end: z.optional(Timestamp),
  /** `YYYY-MM`: free units per day of that month, days in the store's time zone. */
  month: z.optional(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/))),
});
export type AvailabilityQuery = z.infer<typeof AvailabilityQuery>;

/** Free units of a product for the half-open period `[start, end)`. */
export const Availability = named(
  'Availability',
  'Free units of a product for [start, end): units not in maintenance or retired, and in no active rental overlapping the period.',
  z.object({
    productId: Id,
    start: Timestamp,
    end: Timestamp,
    /** Units that can be rented at all (status `available`). */
    totalUnits: z.int(),
    /** Of those, units free for the whole period. */
    freeUnits: z.int(),
  }),
);
export type Availability = z.infer<typeof Availability>;

/** Free units per day of one month: each day is `[00:00, next 00:00)` in the store's time zone. */
export const AvailabilityMonth = named(
  'AvailabilityMonth',
  'Free units of a product per calendar day of a month, days in the store time zone.',
  z.object({
    productId: Id,
    month: z.string(),
    timeZone: z.string(),
    totalUnits: z.int(),
    days: z.array(
      z.object({
        /** `YYYY-MM-DD` in the store's zone. */
        date: z.string(),
        start: Timestamp,
        end: Timestamp,
        freeUnits: z.int(),
      }),
    ),
  }),
);
export type AvailabilityMonth = z.infer<typeof AvailabilityMonth>;

/** The answer of `GET /products/{id}/availability`: `Availability` for a period, `AvailabilityMonth` for a month. */
export const AvailabilityResult = named(
  'AvailabilityResult',
  'Availability for a period, or AvailabilityMonth for a month.',
  z.union([Availability, AvailabilityMonth]),
);
export type AvailabilityResult = z.infer<typeof AvailabilityResult>;

const quoteItems = z.array(
  z.strictObject({
    productId: Id,
    quantity: z.int().check(z.minimum(1), z.maximum(50)),
  }),
);

const quoteFields = {
  items: quoteItems.check(z.minLength(1), z.maxLength(20)),
  start: Timestamp,
  end: Timestamp,
  promoCode: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))),
  /** Loyalty points to spend (1 point = 1 minor unit); needs a customer. */
  redeemPoints: z.optional(z.int().check(z.minimum(0), z.maximum(100_000_000))),
  /** Secret key only: the customer whose subscription and points apply. */
  customerId: z.optional(Id),
};

/** Body of `POST /rental-quotes`. */
export const RentalQuoteRequest = named(
  'RentalQuoteRequest',
  'Items and a period to price, with an optional promo code and loyalty points to redeem.',
  z.strictObject(quoteFields),
);
export type RentalQuoteRequest = z.infer<typeof RentalQuoteRequest>;

/** One priced line of a quote. All amounts are integers in minor units of the quote's currency. */
export const RentalQuoteLine = named(
  'RentalQuoteLine',
  'One priced line: units × unit price × quantity, then the subscription discount of this line.',
  z.object({
    productId: Id,
    name: z.string(),
    quantity: z.int(),
    pricingUnit: PricingUnit,
    /** ceil(duration / unit length). */
    units: z.int(),
    unitPrice: z.int(),
    /** units × unitPrice × quantity. */
    amount: z.int(),
    /** floor(amount × plan discount % / 100) when an active subscription includes the product, else 0. */
    subscriptionDiscount: z.int(),
    /** Free units of the product for the period right now (not a hold). */
    freeUnits: z.int(),
    available: z.boolean(),
  }),
);
export type RentalQuoteLine = z.infer<typeof RentalQuoteLine>;

/** A priced rental: the itemised breakdown an order charges. */
export const RentalQuote = named(
  'RentalQuote',
  'An itemised price for items over a period. total = subtotal − subscriptionDiscount − promoDiscount − pointsDiscount, never negative; integers in minor units.',
  z.object({
    currency: Currency,
    start: Timestamp,
    end: Timestamp,
    lines: z.array(RentalQuoteLine),
    subtotal: z.int().check(z.minimum(0)),
    subscriptionDiscount: z.int().check(z.minimum(0)),
    subscriptionId: z.nullable(Id),
    promotion: z.nullable(
      z.object({
        code: z.string(),
        discountType: z.enum(['percent', 'amount']),
        value: z.int(),
      }),
    ),
    promoDiscount: z.int().check(z.minimum(0)),
    /** Points applied: the requested points capped at what remains to pay. */
    pointsRedeemed: z.int().check(z.minimum(0)),
    pointsDiscount: z.int().check(z.minimum(0)),
    total: z.int().check(z.minimum(0)),
    available: z.boolean(),
  }),
);
export type RentalQuote = z.infer<typeof RentalQuote>;

/** Body of `POST /rentals`: the quote request, optionally with the total the customer accepted. */
export const RentalOrderCreate = named(
  'RentalOrderCreate',
  'A rental order: the items and period of a quote. With `expectedTotal`, a changed price is refused (409 quote_changed).',
  z.strictObject({
    ...quoteFields,
    expectedTotal: z.optional(z.int().check(z.minimum(0))),
  }),
);
export type RentalOrderCreate = z.infer<typeof RentalOrderCreate>;

/** pending_payment → confirmed → active (picked up) → completed (returned); or cancelled / overdue. */
export const RentalOrderStatus = z.enum([
  'pending_payment',
  'confirmed',
  'active',
  'completed',
  'cancelled',
  'overdue',
]);
export type RentalOrderStatus = z.infer<typeof RentalOrderStatus>;

/** An invoice of a rental order, or of a subscription's period. */
export const Invoice = named(
  'Invoice',
  'The invoice of a rental order or of a subscription: amounts in minor units.',
  z.object({
    id: Id,
    /** The rental order it bills; `null` on a subscription's invoice. */
    rentalOrderId: z.nullable(Id),
    /** The subscription it bills; `null` on a rental order's invoice (absent from servers before subscriptions). */
    subscriptionId: z.optional(z.nullable(Id)),
    amountDue: z.int(),
    amountPaid: z.int(),
    currency: Currency,
    status: z.enum(['open', 'paid', 'void']),
    /** `YYYY-MM-DD` in the store's zone. */
    dueDate: z.string(),
    issuedAt: Timestamp,
  }),
);
export type Invoice = z.infer<typeof Invoice>;

/** A pickup or return appointment of a rental order, with the staff member assigned and when it really happened. */
export const RentalSchedule = named(
  'RentalSchedule',
  'A pickup or return of a rental order: when it is due, when it happened, who is assigned.',
  z.object({
    id: Id,
    type: z.enum(['pickup', 'return']),
    scheduledFor: Timestamp,
    /** When the handover QR was verified; `null` until then. */
    actualAt: z.nullable(Timestamp),
    /** The staff member assigned, or `null`. */
    assignedTo: z.nullable(Id),
  }),
);
export type RentalSchedule = z.infer<typeof RentalSchedule>;

/** A rental order with its units and invoice. */
export const RentalOrder = named(
  'RentalOrder',
  'A rental order: units assigned and held for the period, the quote it charges, and its invoice.',
  z.object({
    id: Id,
    storeId: Id,
    customerId: Id,
    status: RentalOrderStatus,
    start: Timestamp,
    end: Timestamp,
    currency: Currency,
    total: z.int(),
    quote: RentalQuote,
    items: z.array(
      z.object({
        id: Id,
        productId: Id,
        inventoryItemId: Id,
        serial: z.string(),
        units: z.int(),
        unitPrice: z.int(),
        amount: z.int(),
        status: z.enum(['held', 'out', 'returned', 'released']),
      }),
    ),
    invoice: Invoice,
    /** The pickup and the return, in that order. */
    schedules: z.array(RentalSchedule),
    /**
     * The signed single-use handover token staff scan next: the pickup token while `confirmed`, the return token
     * while `active` or `overdue`, else `null`. Only the order's customer and secret keys see it.
     */
    qrToken: z.nullable(z.string()),
    /** Which handover `qrToken` is for, or `null`. */
    qrType: z.nullable(z.enum(['pickup', 'return'])),
    createdAt: Timestamp,
    confirmedAt: z.nullable(Timestamp),
    cancelledAt: z.nullable(Timestamp),
    completedAt: z.nullable(Timestamp),
  }),
);
export type RentalOrder = z.infer<typeof RentalOrder>;

/** A page of rental orders, newest first. */
export const RentalOrderList = Page('RentalOrderList', RentalOrder);
export type RentalOrderList = z.infer<typeof RentalOrderList>;

/** Query of `GET /rentals`. */
export const RentalOrderListQuery = z.extend(ListQuery, {
  status: z.optional(RentalOrderStatus),
});
export type RentalOrderListQuery = z.infer<typeof RentalOrderListQuery>;

/** Body of `PATCH /rentals/{id}/schedules/{scheduleId}`: assign a staff member (or `null` to unassign). */
export const RentalScheduleUpdate = named(
  'RentalScheduleUpdate',
  'The staff member assigned to a pickup or return, or null.',
  z.strictObject({ assignedTo: z.nullable(Id) }),
);
export type RentalScheduleUpdate = z.infer<typeof RentalScheduleUpdate>;

/** Body of `POST /handovers`: a scanned or typed pickup/return token. */
export const HandoverCreate = named(
  'HandoverCreate',
  'A scanned or typed pickup or return token of a rental order.',
  z.strictObject({ qrToken: z.string().check(z.minLength(1), z.maxLength(2000)) }),
);
export type HandoverCreate = z.infer<typeof HandoverCreate>;

/** The result of a verified handover: pickup makes the order `active`, return makes it `completed`. */
export const Handover = named(
  'Handover',
  'A pickup or return verified by its single-use QR token.',
  z.object({
    id: Id,
    type: z.enum(['pickup', 'return']),
    rentalOrderId: Id,
    verifiedAt: Timestamp,
    /** The staff user who scanned it, or `null` with a secret key. */
    verifiedBy: z.nullable(Id),
    /** Loyalty points earned by this handover (a return completes the order), else 0. */
    pointsEarned: z.int(),
    rental: RentalOrder,
    /** What the desk shows: the customer's name, the units to hand over or take back, the amount to collect. */
    ticket: DeskTicket,
  }),
);
export type Handover = z.infer<typeof Handover>;

/** A customer's loyalty account: points (1 point = 1 minor unit off a rental) and the latest ledger rows. */
export const LoyaltyAccount = named(
  'LoyaltyAccount',
  'The calling customer’s loyalty points balance and tier, with the most recent ledger rows (newest first).',
  z.object({
    pointsBalance: z.int(),
    tier: z.string(),
    /** The last 20 changes, newest first. */
    ledger: z.array(
      z.object({
        id: Id,
        delta: z.int(),
        reason: z.enum(['earn', 'redeem', 'refund', 'adjust']),
        balanceAfter: z.int(),
        rentalOrderId: z.nullable(Id),
        createdAt: Timestamp,
      }),
    ),
    /** The customer's active subscription, if any. */
    subscription: z.nullable(
      z.object({ id: Id, planId: Id, planName: z.string(), startsAt: Timestamp, endsAt: Timestamp }),
    ),
  }),
);
export type LoyaltyAccount = z.infer<typeof LoyaltyAccount>;

/** A subscription plan: a percentage off the rental lines of its included products. */
export const SubscriptionPlan = named(
  'SubscriptionPlan',
  'A subscription plan: discountPct off rentals of its included products for durationDays.',
  z.object({
    id: Id,
    name: z.string(),
    discountPct: z.int(),
    durationDays: z.int(),
    price: Money,
    includedProductIds: z.array(Id),
    /** Whether it takes new subscribers (absent from servers before plans could be switched off). */
    active: z.optional(z.boolean()),
  }),
);
export type SubscriptionPlan = z.infer<typeof SubscriptionPlan>;

/** The store's active subscription plans. */
export const SubscriptionPlanList = named(
  'SubscriptionPlanList',
  'The store’s active subscription plans.',
  z.object({ data: z.array(SubscriptionPlan) }),
);
export type SubscriptionPlanList = z.infer<typeof SubscriptionPlanList>;

/** Body of `POST /categories`. */
export const CategoryCreate = named(
  'CategoryCreate',
  'A new category of the rental catalog, optionally below a parent.',
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    slug: z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)),
    parentId: z.optional(z.nullable(Id)),
    position: z.optional(z.int().check(z.minimum(0), z.maximum(10_000))),
  }),
);
export type CategoryCreate = z.infer<typeof CategoryCreate>;

/** A physical unit of a rentable product. */
export const InventoryItem = named(
  'InventoryItem',
  'A physical unit of a rentable product: its serial and condition (maintenance and retired units are never offered).',
  z.object({
    id: Id,
    productId: Id,
    serial: z.string(),
    status: z.enum(['available', 'maintenance', 'retired']),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type InventoryItem = z.infer<typeof InventoryItem>;

/** The units of a product, by serial. */
export const InventoryItemList = named(
  'InventoryItemList',
  'The units of a product, ordered by serial.',
  z.object({ data: z.array(InventoryItem) }),
);
export type InventoryItemList = z.infer<typeof InventoryItemList>;

/** Body of `POST /products/{id}/units`. */
export const InventoryItemCreate = named(
  'InventoryItemCreate',
  'A new unit of a rentable product.',
  z.strictObject({
    serial: z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._-]+$/)),
    status: z.optional(z.enum(['available', 'maintenance'])),
  }),
);
export type InventoryItemCreate = z.infer<typeof InventoryItemCreate>;

/** Body of `PATCH /inventory-items/{id}`: the unit's condition. */
export const InventoryItemUpdate = named(
  'InventoryItemUpdate',
  'Change a unit’s condition. Rentals already holding it keep it; maintenance and retired units are not offered again.',
  z.strictObject({ status: z.enum(['available', 'maintenance', 'retired']) }),
);
export type InventoryItemUpdate = z.infer<typeof InventoryItemUpdate>;

/** A promo code of the store: a percentage or a fixed amount off a rental, in a validity window, with a usage limit. */
export const Promotion = named(
  'Promotion',
  'A promo code: percent (1–100) or a fixed amount off, valid in [validFrom, validTo), at most maxRedemptions orders.',
  z.object({
    id: Id,
    code: z.string(),
    discountType: z.enum(['percent', 'amount']),
    /** Percent (1–100), or minor units of `currency` for `amount`. */
    value: z.int(),
    currency: z.nullable(Currency),
    validFrom: Timestamp,
    validTo: Timestamp,
    maxRedemptions: z.nullable(z.int()),
    /** Orders that used the code so far. */
    redemptions: z.int(),
    active: z.boolean(),
    createdAt: Timestamp,
  }),
);
export type Promotion = z.infer<typeof Promotion>;

/** The store's promo codes, newest first. */
export const PromotionList = named(
  'PromotionList',
  'The store’s promo codes, newest first.',
  z.object({ data: z.array(Promotion) }),
);
export type PromotionList = z.infer<typeof PromotionList>;

/** Body of `POST /promotions`. Codes are matched case-insensitively and stored as given. */
export const PromotionCreate = named(
  'PromotionCreate',
  'A new promo code. percent: value 1–100; amount: value in minor units of the store currency.',
  z.strictObject({
    code: z.string().check(z.trim(), z.minLength(3), z.maxLength(32), z.regex(/^[A-Za-z0-9_-]+$/)),
    discountType: z.enum(['percent', 'amount']),
    value: z.int().check(z.minimum(1), z.maximum(100_000_000)),
    validFrom: Timestamp,
    validTo: Timestamp,
    maxRedemptions: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(100_000_000)))),
    active: z.optional(z.boolean()),
  }),
);
export type PromotionCreate = z.infer<typeof PromotionCreate>;

/** Body of `PATCH /promotions/{id}`: switch a code off or on, move its end, change its limit. */
export const PromotionUpdate = named(
  'PromotionUpdate',
  'Changes to a promo code.',
  z.strictObject({
    active: z.optional(z.boolean()),
    validTo: z.optional(Timestamp),
    maxRedemptions: z.optional(z.nullable(z.int().check(z.minimum(1), z.maximum(100_000_000)))),
  }),
);
export type PromotionUpdate = z.infer<typeof PromotionUpdate>;

/** Body of `POST /subscription-plans`. */
export const SubscriptionPlanCreate = named(
  'SubscriptionPlanCreate',
  'A new subscription plan: discountPct off the rental lines of its included products.',
  z.strictObject({
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    discountPct: z.int().check(z.minimum(0), z.maximum(100)),
    durationDays: z.int().check(z.minimum(1), z.maximum(3650)),
    price: Money,
    includedProductIds: z.array(Id).check(z.maxLength(200)),
  }),
);
export type SubscriptionPlanCreate = z.infer<typeof SubscriptionPlanCreate>;

/**
 * Body of `PATCH /subscription-plans/{id}`: rename a plan, or switch it off (it takes no new subscribers; running
 * subscriptions keep their discount until they end) or on again.
 */
export const SubscriptionPlanUpdate = named(
  'SubscriptionPlanUpdate',
  'Changes to a subscription plan: its name, or whether it takes new subscribers.',
  z.strictObject({
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    active: z.optional(z.boolean()),
  }),
);
export type SubscriptionPlanUpdate = z.infer<typeof SubscriptionPlanUpdate>;

/** Query of `GET /subscription-plans`: `includeInactive=true` (secret key or owner) lists switched-off plans too. */
export const SubscriptionPlanListQuery = z.object({
  includeInactive: z.optional(z.enum(['true', 'false'])),
});
export type SubscriptionPlanListQuery = z.infer<typeof SubscriptionPlanListQuery>;
