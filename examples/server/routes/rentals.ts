import { and, eq } from 'drizzle-orm';
import {
  AvailabilityQuery,
  AvailabilityResult,
  Category,
  CategoryCreate,
  CategoryTree,
  CustomerRentalState,
  InventoryItem,
  InventoryItemCreate,
  InventoryItemList,
  InventoryItemUpdate,
  Handover,
  HandoverCreate,
  LoyaltyAccount,
  Promotion,
  PromotionCreate,
  PromotionList,
  PromotionUpdate,
  SubscriptionPlan,
  SubscriptionPlanCreate,
  SubscriptionPlanList,
  SubscriptionPlanListQuery,
  ProblemCode,
  RentalOrder,
  RentalOrderCreate,
  RentalOrderList,
  RentalOrderListQuery,
  RentalScheduleUpdate,
  RentalQuote,
  RentalQuoteRequest,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import type { Auth } from '../http/context.js';
import { actorOf } from '../http/actor.js';
import { isStaff, ownerScope } from '../http/auth.js';
import { ApiError, notFound } from '../http/problem.js';
import { schema } from '../db/index.js';
import type { Services } from '../services.js';
import { customerFor } from './reservations.js';
import { isOwner } from './subscriptions.js';
import {
  availability,
  availabilityMonth,
  categoryTree,
  createRental,
  getRental,
  loadOrder,
  quoteRental,
} from '../domain/rentals.js';
import { loyaltyAccount, subscriptionPlans } from '../domain/loyalty.js';
import {
  createPromotion,
  createSubscriptionPlan,
  listPromotions,
  updatePromotion,
} from '../domain/offers.js';
import { createCategory, createUnit, listUnits, updateUnit } from '../domain/inventory.js';
import { customerRentalState } from '../domain/customer-state.js';
import { settleRefunds } from '../domain/payments.js';
import { withUsedTicket } from '../domain/desk.js';
import {
  assignSchedule,
  cancelRental,
  confirmRental,
  listRentals,
  verifyHandover,
} from '../domain/rental-orders.js';

/** The customer a quote is for, if any: the token's, or `customerId` with a secret key (checked to be this store's). */
async function optionalCustomer(
  services: Services,
  auth: Auth,
  customerId: string | undefined,
): Promise<string | undefined> {
  if (auth.keyKind === 'publishable') {
    if (customerId && customerId !== auth.userId) {
      throw new ApiError(403, ProblemCode.forbidden, 'A customer token acts only for its own customer.');
    }
    return auth.userId;
  }
  const id = customerId ?? auth.userId;
  if (!id) return undefined;
  const [user] = await services.db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.storeId, auth.storeId), eq(schema.users.id, id)));
  if (!user) throw notFound('customer');
  return id;
}

export function rentalRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/categories',
        operationId: 'listCategories',
        summary: 'The category tree',
        description: 'Every category of the store as a tree: roots with nested `children`.',
        tag: 'Rentals',
        access: 'key',
        success: { status: 200, schema: CategoryTree, description: 'The category tree.' },
      },
      async ({ services, auth }) => categoryTree(services.db, auth.storeId),
    )
    .add(
      {
        method: 'post',
        path: '/categories',
        operationId: 'createCategory',
        summary: 'Create a category',
        description:
          'A category of the rental catalog, at the root or below `parentId`. Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: CategoryCreate,
        success: { status: 201, schema: Category, description: 'The new category.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body }) =>
        createCategory(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/products/:id/units',
        operationId: 'listProductUnits',
        summary: 'Units of a product',
        description:
          'Every physical unit of the product with its serial and condition. Staff, owner or secret key.',
        tag: 'Rentals',
        access: 'staff',
        success: { status: 200, schema: InventoryItemList, description: 'The units, by serial.' },
        errors: [404],
      },
      async ({ services, auth, params }) => listUnits(services.db, auth.storeId, params.id!),
    )
    .add(
      {
        method: 'post',
        path: '/products/:id/units',
        operationId: 'createProductUnit',
        summary: 'Add a unit to a rentable product',
        description:
          'A physical unit (serial unique in the store), `available` or `maintenance`. The product needs rental ' +
          'terms first (422 `not_rentable`). Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: InventoryItemCreate,
        success: { status: 201, schema: InventoryItem, description: 'The new unit.' },
        errors: [404, 409, 422],
      },
      async ({ c, services, auth, params, body }) =>
        createUnit(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/inventory-items/:id',
        operationId: 'updateInventoryItem',
        summary: 'Change a unit’s condition',
        description:
          '`available`, `maintenance` or `retired`. Units in maintenance or retired are never offered again; ' +
          'rentals that already hold the unit keep it. Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: InventoryItemUpdate,
        success: { status: 200, schema: InventoryItem, description: 'The unit.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        updateUnit(services.db, actorOf(c, auth), params.id!, body.status, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/products/:id/availability',
        operationId: 'getProductAvailability',
        summary: 'Free units of a rentable product',
        description:
          'With `start` and `end`: units free for the whole half-open period `[start, end)`. With `month` ' +
          '(`YYYY-MM`): free units per calendar day of that month in the store time zone. Units in maintenance ' +
          'or retired are never counted.',
        tag: 'Rentals',
        access: 'key',
        query: AvailabilityQuery,
        success: { status: 200, schema: AvailabilityResult, description: 'Free units.' },
        errors: [404, 422],
      },
      async ({ services, auth, params, query }) => {
        if (query.month) {
          if (query.start || query.end) {
            throw new ApiError(
              400,
              ProblemCode.validationFailed,
              'Send either `month` or `start` and `end`.',
            );
          }
          return availabilityMonth(services.db, auth.storeId, params.id!, query.month);
        }
        if (!query.start || !query.end) {
          throw new ApiError(400, ProblemCode.validationFailed, 'Send `start` and `end`, or `month`.', {
            errors: [
              ...(query.start ? [] : [{ path: 'query.start', message: 'Required', code: 'invalid_type' }]),
              ...(query.end ? [] : [{ path: 'query.end', message: 'Required', code: 'invalid_type' }]),
            ],
          });
        }
        return availability(
          services.db,
          auth.storeId,
          params.id!,
          new Date(query.start),
          new Date(query.end),
        );
      },
    )
    .add(
      {
        method: 'post',
        path: '/rental-quotes',
        operationId: 'createRentalQuote',
        summary: 'Price a rental',
        description:
          'Prices items for a period: units = ceil(duration / unit length) per line, then the subscription ' +
          'discount, the promo code and loyalty points. Integers in minor units; nothing is held or stored.',
        tag: 'Rentals',
        access: 'key',
        body: RentalQuoteRequest,
        success: { status: 200, schema: RentalQuote, description: 'The itemised quote.' },
        errors: [404, 422],
      },
      async ({ services, auth, body }) =>
        quoteRental(
          services.db,
          auth.storeId,
          await optionalCustomer(services, auth, body.customerId),
          body,
          services.clock.now(),
        ),
    )
    .add(
      {
        method: 'post',
        path: '/rentals',
        operationId: 'createRental',
        summary: 'Rent units',
        description:
          'Assigns free units for the period and holds them, charging exactly the quote of the same request; ' +
          'issues the invoice. 409 `unit_unavailable` when not enough units are free. Send an `Idempotency-Key`.',
        tag: 'Rentals',
        access: 'customer',
        body: RentalOrderCreate,
        success: { status: 201, schema: RentalOrder, description: 'The order with its units and invoice.' },
        errors: [404, 409, 422],
      },
      async ({ c, services, auth, body }) => {
        const customerId = await customerFor(services, auth, body.customerId);
        return createRental(services.db, actorOf(c, auth), customerId, body, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/rentals/:id',
        operationId: 'getRental',
        summary: 'Retrieve a rental order',
        tag: 'Rentals',
        access: 'customer',
        success: { status: 200, schema: RentalOrder, description: 'The order.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getRental(
          services.db,
          auth.storeId,
          params.id!,
          (await isStaff(services, auth)) ? undefined : auth.userId,
          tokensFor(services, auth),
        ),
    )
    .add(
      {
        method: 'get',
        path: '/rentals',
        operationId: 'listRentals',
        summary: 'List rental orders',
        description:
          'Newest first. A customer sees their own; staff and secret keys see the whole store. Handover tokens ' +
          'are shown only to the order’s customer and secret keys.',
        tag: 'Rentals',
        access: 'customer',
        query: RentalOrderListQuery,
        success: { status: 200, schema: RentalOrderList, description: 'A page of rental orders.' },
      },
      async ({ services, auth, query }) =>
        listRentals(
          services.db,
          auth.storeId,
          (await isStaff(services, auth)) ? undefined : auth.userId,
          query,
          tokensFor(services, auth),
        ),
    )
    .add(
      {
        method: 'post',
        path: '/rentals/:id/confirm',
        operationId: 'confirmRental',
        summary: 'Confirm a rental order without an online payment',
        description:
          'pending_payment → confirmed, with the pickup `qrToken`. Staff, owners and secret keys confirm any order. ' +
          'The order’s own customer confirms it when the store takes rental payments at the counter ' +
          '(`Store.rentalPayment = at_pickup`); otherwise 402 `payment_required`. Confirming a confirmed order ' +
          'again answers it unchanged; other statuses are 409 `invalid_state`.',
        tag: 'Rentals',
        access: 'customer',
        success: { status: 200, schema: RentalOrder, description: 'The confirmed order.' },
        errors: [402, 404, 409],
      },
      async ({ c, services, auth, params }) =>
        confirmRental(
          services.db,
          actorOf(c, auth),
          params.id!,
          services.clock.now(),
          services.tokens,
          (await isStaff(services, auth)) ? undefined : auth.userId,
        ).then((order) =>
          tokensFor(services, auth)(order) ? order : { ...order, qrToken: null, qrType: null },
        ),
    )
    .add(
      {
        method: 'post',
        path: '/rentals/:id/cancel',
        operationId: 'cancelRental',
        summary: 'Cancel a rental order',
        description:
          'Before pickup (pending_payment or confirmed): releases the units so the period is free again, voids ' +
          'the invoice and refunds redeemed points. A customer cancels their own orders; a secret key any.',
        tag: 'Rentals',
        access: 'customer',
        externalCalls: true,
        success: { status: 200, schema: RentalOrder, description: 'The cancelled order.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) => {
        const order = await cancelRental(
          services.db,
          actorOf(c, auth),
          params.id!,
          ownerScope(auth),
          services.clock.now(),
        );
        // A paid order cancelled within the refund rule is refunded right away (the sweeper retries leftovers).
        const refunds = await settleRefunds(services, { rentalOrderId: order.id });
        return refunds > 0 ? loadOrder(services.db, auth.storeId, order.id) : order;
      },
    )
    .add(
      {
        method: 'patch',
        path: '/rentals/:id/schedules/:scheduleId',
        operationId: 'updateRentalSchedule',
        summary: 'Assign staff to a pickup or return',
        description:
          'Sets `assignedTo` (a staff member or owner of the store, or `null`). Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: RentalScheduleUpdate,
        success: { status: 200, schema: RentalOrder, description: 'The order with its schedules.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        assignSchedule(
          services.db,
          actorOf(c, auth),
          params.id!,
          params.scheduleId!,
          body.assignedTo,
          services.clock.now(),
        ),
    )
    .add(
      {
        method: 'get',
        path: '/customers/me/products/:id/rentals',
        operationId: 'getMyProductRentals',
        summary: "The signed-in customer's open rentals of a product",
        description:
          "What `<rental-checkout>` restores after a reload, in a new tab or on another device: the customer's orders " +
          'with a unit of the product that still need them — `pending_payment` or `confirmed` and not over yet, or ' +
          'picked up (`active`, `overdue`) — soonest pickup first, each with its next handover `qrToken`. Always the ' +
          "token's own customer, staff included.",
        tag: 'Customers',
        access: 'customer',
        success: {
          status: 200,
          schema: CustomerRentalState,
          description: 'The customer’s open rentals of the product.',
        },
        errors: [404],
      },
      async ({ services, auth, params }) => {
        if (!auth.userId) {
          throw new ApiError(
            401,
            ProblemCode.customerTokenRequired,
            'Send `X-Customer-Token`: this read is yours.',
          );
        }
        return customerRentalState(
          services.db,
          services.tokens,
          auth.storeId,
          auth.userId,
          params.id!,
          services.clock.now(),
        );
      },
    )
    .add(
      {
        method: 'get',
        path: '/customers/me/loyalty',
        operationId: 'getLoyaltyAccount',
        summary: 'The customer’s loyalty points',
        description:
          'Points balance and tier (1 point = 1 minor unit off a rental quote via `redeemPoints`), the last 20 ' +
          'ledger rows, and the active subscription. Needs a customer token.',
        tag: 'Rentals',
        access: 'publishable',
        success: { status: 200, schema: LoyaltyAccount, description: 'The loyalty account.' },
        errors: [401],
      },
      async ({ services, auth }) => {
        if (!auth.userId) {
          throw new ApiError(
            401,
            ProblemCode.customerTokenRequired,
            'Sign in first: send `X-Customer-Token`.',
          );
        }
        return loyaltyAccount(services.db, auth.storeId, auth.userId, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/subscription-plans',
        operationId: 'listSubscriptionPlans',
        summary: 'Subscription plans',
        description:
          'The store’s active plans: a percentage off the rental lines of their included products. ' +
          '`includeInactive=true` (secret key or owner) lists switched-off plans too.',
        tag: 'Rentals',
        access: 'key',
        query: SubscriptionPlanListQuery,
        success: { status: 200, schema: SubscriptionPlanList, description: 'The active plans.' },
      },
      async ({ services, auth, query }) => {
        const includeInactive = query.includeInactive === 'true';
        if (includeInactive && !(await isOwner(services, auth))) {
          throw new ApiError(
            403,
            ProblemCode.forbidden,
            'Switched-off plans are listed to the secret key and owners only.',
          );
        }
        return subscriptionPlans(services.db, auth.storeId, includeInactive);
      },
    )
    .add(
      {
        method: 'post',
        path: '/subscription-plans',
        operationId: 'createSubscriptionPlan',
        summary: 'Create a subscription plan',
        description:
          '`discountPct` off the rental lines of `includedProductIds` for customers subscribed to it. Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: SubscriptionPlanCreate,
        success: { status: 201, schema: SubscriptionPlan, description: 'The new plan.' },
        errors: [404],
      },
      async ({ c, services, auth, body }) =>
        createSubscriptionPlan(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/promotions',
        operationId: 'listPromotions',
        summary: 'Promo codes',
        description: 'Every promo code of the store with its usage, newest first. Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        success: { status: 200, schema: PromotionList, description: 'The promo codes.' },
      },
      async ({ services, auth }) => listPromotions(services.db, auth.storeId),
    )
    .add(
      {
        method: 'post',
        path: '/promotions',
        operationId: 'createPromotion',
        summary: 'Create a promo code',
        description:
          'A percent (1–100) or fixed amount (minor units of the store currency) off a rental, valid in ' +
          '`[validFrom, validTo)`, for at most `maxRedemptions` orders. Codes match case-insensitively; 409 when the ' +
          'store has the code already. Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: PromotionCreate,
        success: { status: 201, schema: Promotion, description: 'The new promo code.' },
        errors: [409],
      },
      async ({ c, services, auth, body }) =>
        createPromotion(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/promotions/:id',
        operationId: 'updatePromotion',
        summary: 'Change a promo code',
        description:
          'Switch it off or on, move its end, or change its limit (not below its uses). Secret key or owner.',
        tag: 'Rentals',
        access: 'owner',
        body: PromotionUpdate,
        success: { status: 200, schema: Promotion, description: 'The promo code.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        updatePromotion(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/handovers',
        operationId: 'createHandover',
        summary: 'Verify a pickup or return QR (staff)',
        description:
          'Redeems a rental’s pickup or return token once: pickup makes a confirmed order active, return ' +
          "completes an active or overdue one and earns loyalty points. The answer's `ticket` names the customer, the " +
          'units to hand over or take back and the amount to collect. A second scan is 409 `qr_already_used` with ' +
          '`firstUsedAt` and the same `ticket`.',
        tag: 'Rentals',
        access: 'staff',
        body: HandoverCreate,
        success: { status: 201, schema: Handover, description: 'The verified handover.' },
        errors: [409],
      },
      async ({ c, services, auth, body }) => {
        const handover = await verifyHandover(
          services.db,
          services.tokens,
          actorOf(c, auth),
          body.qrToken,
          services.clock.now(),
        ).catch(async (error: unknown) => {
          throw await withUsedTicket(services.db, auth.storeId, error);
        });
        return handover;
      },
    );
}

/**
 * Who sees an order's handover token: its own customer (by token) and secret keys. Staff tokens never see other
 * customers' codes, so a scanner cannot mint what it verifies.
 */
function tokensFor(services: Services, auth: Auth) {
  return (order: { customerId: string }) =>
    auth.keyKind === 'secret' || order.customerId === auth.userId ? services.tokens : undefined;
}
