import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  Availability,
  AvailabilityMonth,
  Category,
  CategoryTree,
  InventoryItem,
  InventoryItemList,
  Handover,
  LoyaltyAccount,
  Promotion,
  PromotionList,
  RentalOrder,
  RentalOrderList,
  RentalQuote,
  SubscriptionPlan,
  SubscriptionPlanList,
  type CategoryCreate,
  type PromotionCreate,
  type PromotionUpdate,
  type SubscriptionPlanCreate,
  type SubscriptionPlanListQuery,
  type SubscriptionPlanUpdate,
  type HandoverCreate,
  type InventoryItemCreate,
  type InventoryItemUpdate,
  type RentalOrderCreate,
  type RentalOrderListQuery,
  type RentalQuoteRequest,
  type RentalScheduleUpdate,
} from '../schemas/rentals.js';
import { list, seg } from './shared.js';

/** A period for {@link RentalsResource.availability}: ISO 8601 instants, half-open `[start, end)`. */
export interface AvailabilityPeriod {
  /** First instant of the period (ISO 8601, UTC). */
  start: string;
  /** First instant after the period (ISO 8601, UTC). */
  end: string;
}

/** A calendar month for {@link RentalsResource.availability}: `YYYY-MM`, days in the store's time zone. */
export interface AvailabilityMonthQuery {
  /** `YYYY-MM`. */
  month: string;
}

/** The category tree of the rental catalog (`GET /v1/categories`). */
export interface RentalCategoriesResource {
  /** The whole tree: root categories with nested `children`, ordered by position then name. */
  list(options?: RequestOptions): Promise<CategoryTree>;
  /** Creates a category, at the root or below `parentId` (`POST /v1/categories`, secret key or owner). */
  create(body: CategoryCreate, options?: RequestOptions): Promise<Category>;
}

/** The physical units of rentable products (secret key, owner; staff may list). */
export interface RentalUnitsResource {
  /** Every unit of a product by serial (`GET /v1/products/{id}/units`). */
  list(productId: string, options?: RequestOptions): Promise<InventoryItemList>;
  /** Adds a unit (`POST /v1/products/{id}/units`); the product needs rental terms first. */
  create(productId: string, body: InventoryItemCreate, options?: RequestOptions): Promise<InventoryItem>;
  /** Changes a unit's condition (`PATCH /v1/inventory-items/{id}`): maintenance and retired units are not offered. */
  update(id: string, body: InventoryItemUpdate, options?: RequestOptions): Promise<InventoryItem>;
}

/** Rental quotes (`POST /v1/rental-quotes`): prices without holding anything. */
export interface RentalQuotesResource {
  /**
   * Prices items over a period: started pricing units, the subscription discount, a promo code and loyalty points.
   * Integers in minor units. Send `expectedTotal: quote.total` when ordering to be charged exactly this.
   */
  create(body: RentalQuoteRequest, options?: RequestOptions): Promise<RentalQuote>;
}

/** Pickup and return schedules of an order (`PATCH /v1/rentals/{id}/schedules/{scheduleId}`, secret key or owner). */
export interface RentalSchedulesResource {
  /** Assigns a staff member to a pickup or return (or unassigns with `assignedTo: null`); answers the order. */
  update(
    rentalId: string,
    scheduleId: string,
    body: RentalScheduleUpdate,
    options?: RequestOptions,
  ): Promise<RentalOrder>;
}

/** Handovers (`POST /v1/handovers`): staff verify a rental's pickup or return QR, once. */
export interface RentalHandoversResource {
  /**
   * Redeems a pickup code (the order becomes `active`) or a return code (`completed`, loyalty points earned). A second
   * scan fails with `ConflictError` `qr_already_used` (see `problem.firstUsedAt`); a wrong order status with
   * `ConflictError` `invalid_state`; a code that is not one with `ValidationError` `qr_invalid`.
   */
  create(body: HandoverCreate, options?: RequestOptions): Promise<Handover>;
}

/** The signed-in customer's loyalty points (`GET /v1/customers/me/loyalty`). */
export interface LoyaltyResource {
  /** Balance, tier, the last 20 ledger rows and the active subscription. Needs a customer token. */
  retrieve(options?: RequestOptions): Promise<LoyaltyAccount>;
}

/**
 * The store's subscription plans (`GET /v1/subscription-plans`; creating and changing one needs the secret key or
 * owner). Subscribing to one: `client.subscriptions.create`.
 */
export interface SubscriptionPlansResource {
  /**
   * Active plans, cheapest first, each with the products it discounts; `{ includeInactive: 'true' }` (secret key or
   * owner) lists switched-off plans too.
   */
  list(query?: SubscriptionPlanListQuery, options?: RequestOptions): Promise<SubscriptionPlanList>;
  /** Creates a plan (`POST /v1/subscription-plans`). */
  create(body: SubscriptionPlanCreate, options?: RequestOptions): Promise<SubscriptionPlan>;
  /**
   * Renames a plan, or switches it off (`active: false`: no new subscribers; running subscriptions keep their discount)
   * or on (`PATCH /v1/subscription-plans/{id}`).
   */
  update(id: string, body: SubscriptionPlanUpdate, options?: RequestOptions): Promise<SubscriptionPlan>;
}

/** The store's promo codes (`/v1/promotions`, secret key or owner). */
export interface PromotionsResource {
  /** Every code with its usage, newest first. */
  list(options?: RequestOptions): Promise<PromotionList>;
  /** Creates a code; `ConflictError` `conflict` when the store has it already. */
  create(body: PromotionCreate, options?: RequestOptions): Promise<Promotion>;
  /** Switches a code off or on, moves its end or changes its limit. */
  update(id: string, body: PromotionUpdate, options?: RequestOptions): Promise<Promotion>;
}

/**
 * Rentals: the category tree, availability of units, quotes, orders (`/v1/rentals`) and their lifecycle
 * (`pending_payment` → `confirmed` → `active` → `completed`, or `cancelled` / `overdue`), schedules and handovers.
 * Ordering needs a customer token (or the secret key with `customerId`); confirming needs the secret key or staff
 * until payments arrive; handovers need staff.
 *
 * @example
 * ```ts
 * import { createClient, ConflictError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const period = { start: '2030-03-02T09:00:00Z', end: '2030-03-04T09:00:00Z' };
 * const { freeUnits } = await client.rentals.availability(productId, period);
 * const quote = await client.rentals.quotes.create({ items: [{ productId, quantity: 1 }], ...period });
 * try {
 *   const order = await client.rentals.create({ items: [{ productId, quantity: 1 }], ...period, expectedTotal: quote.total });
 * } catch (e) {
 *   if (ConflictError.is(e) && e.code === 'unit_unavailable') console.log('Taken meanwhile');
 * }
 * ```
 */
export interface RentalsResource {
  /** `GET /v1/categories`. */
  readonly categories: RentalCategoriesResource;
  /** `POST /v1/rental-quotes`. */
  readonly quotes: RentalQuotesResource;
  /** `PATCH /v1/rentals/{id}/schedules/{scheduleId}`. */
  readonly schedules: RentalSchedulesResource;
  /** `POST /v1/handovers`. */
  readonly handovers: RentalHandoversResource;
  /** `GET /v1/customers/me/loyalty`. */
  readonly loyalty: LoyaltyResource;
  /** `/v1/promotions`. */
  readonly promotions: PromotionsResource;
  /** `/v1/products/{id}/units`, `/v1/inventory-items/{id}`. */
  readonly units: RentalUnitsResource;
  /** `GET /v1/subscription-plans`. */
  readonly subscriptionPlans: SubscriptionPlansResource;
  /** Free units of a product for the half-open period `[start, end)` (`GET /v1/products/{id}/availability`). */
  availability(productId: string, query: AvailabilityPeriod, options?: RequestOptions): Promise<Availability>;
  /** Free units per day of a month, days in the store's time zone (`GET /v1/products/{id}/availability?month=`). */
  availability(
    productId: string,
    query: AvailabilityMonthQuery,
    options?: RequestOptions,
  ): Promise<AvailabilityMonth>;
  /**
   * Orders units (`POST /v1/rentals`): assigns and holds free units, issues the invoice; `pending_payment`.
   * `ConflictError` `unit_unavailable` when not enough units are free, `quote_changed` when `expectedTotal` differs.
   */
  create(body: RentalOrderCreate, options?: RequestOptions): Promise<RentalOrder>;
  /** Lists orders, newest first (`GET /v1/rentals`): the customer's own, or all with the secret key or staff. */
  list(query?: RentalOrderListQuery, options?: RequestOptions): ListPromise<RentalOrder>;
  /** Reads one order (`GET /v1/rentals/{id}`); `qrToken` is the next handover code for its customer. */
  retrieve(id: string, options?: RequestOptions): Promise<RentalOrder>;
  /**
   * Confirms a pending order without an online payment (`POST /v1/rentals/{id}/confirm`): staff or a secret key any
   * order; the order's customer their own when the store's `rentalPayment` is `at_pickup` (else `payment_required`).
   */
  confirm(id: string, options?: RequestOptions): Promise<RentalOrder>;
  /** Cancels an order before pickup and releases its units (`POST /v1/rentals/{id}/cancel`). */
  cancel(id: string, options?: RequestOptions): Promise<RentalOrder>;
}

export function rentalsResource(t: Transport): RentalsResource {
  function availability(
    productId: string,
    query: AvailabilityPeriod,
    options?: RequestOptions,
  ): Promise<Availability>;
  function availability(
    productId: string,
    query: AvailabilityMonthQuery,
    options?: RequestOptions,
  ): Promise<AvailabilityMonth>;
  function availability(
    productId: string,
    query: AvailabilityPeriod | AvailabilityMonthQuery,
    options?: RequestOptions,
  ): Promise<Availability | AvailabilityMonth> {
    const path = `products/${seg(productId)}/availability`;
    return 'month' in query
      ? t.request({ method: 'GET', path, query: { month: query.month }, schema: AvailabilityMonth }, options)
      : t.request(
          { method: 'GET', path, query: { start: query.start, end: query.end }, schema: Availability },
          options,
        );
  }
  return {
    categories: {
      list: (options) => t.request({ method: 'GET', path: 'categories', schema: CategoryTree }, options),
      create: (body, options) =>
        t.request({ method: 'POST', path: 'categories', body, schema: Category }, options),
    },
    units: {
      list: (productId, options) =>
        t.request(
          { method: 'GET', path: `products/${seg(productId)}/units`, schema: InventoryItemList },
          options,
        ),
      create: (productId, body, options) =>
        t.request(
          { method: 'POST', path: `products/${seg(productId)}/units`, body, schema: InventoryItem },
          options,
        ),
      update: (id, body, options) =>
        t.request(
          { method: 'PATCH', path: `inventory-items/${seg(id)}`, body, schema: InventoryItem },
          options,
        ),
    },
    quotes: {
      create: (body, options) =>
        t.request({ method: 'POST', path: 'rental-quotes', body, schema: RentalQuote }, options),
    },
    schedules: {
      update: (rentalId, scheduleId, body, options) =>
        t.request(
          {
            method: 'PATCH',
            path: `rentals/${seg(rentalId)}/schedules/${seg(scheduleId)}`,
            body,
            schema: RentalOrder,
          },
          options,
        ),
    },
    handovers: {
      create: (body, options) =>
        t.request({ method: 'POST', path: 'handovers', body, schema: Handover }, options),
    },
    loyalty: {
      retrieve: (options) =>
        t.request({ method: 'GET', path: 'customers/me/loyalty', schema: LoyaltyAccount }, options),
    },
    subscriptionPlans: {
      list: (query, options) =>
        t.request(
          { method: 'GET', path: 'subscription-plans', query: { ...query }, schema: SubscriptionPlanList },
          options,
        ),
      create: (body, options) =>
        t.request({ method: 'POST', path: 'subscription-plans', body, schema: SubscriptionPlan }, options),
      update: (id, body, options) =>
        t.request(
          { method: 'PATCH', path: `subscription-plans/${seg(id)}`, body, schema: SubscriptionPlan },
          options,
        ),
    },
    promotions: {
      list: (options) => t.request({ method: 'GET', path: 'promotions', schema: PromotionList }, options),
      create: (body, options) =>
        t.request({ method: 'POST', path: 'promotions', body, schema: Promotion }, options),
      update: (id, body, options) =>
        t.request({ method: 'PATCH', path: `promotions/${seg(id)}`, body, schema: Promotion }, options),
    },
    availability,
    create: (body, options) =>
      t.request({ method: 'POST', path: 'rentals', body, schema: RentalOrder }, options),
    list: (query, options) => list(t, 'rentals', RentalOrderList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `rentals/${seg(id)}`, schema: RentalOrder }, options),
    confirm: (id, options) =>
      t.request({ method: 'POST', path: `rentals/${seg(id)}/confirm`, schema: RentalOrder }, options),
    cancel: (id, options) =>
      t.request({ method: 'POST', path: `rentals/${seg(id)}/cancel`, schema: RentalOrder }, options),
  };
}
