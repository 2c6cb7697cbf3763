import {
  MySubscriptionListQuery,
  ProblemCode,
  Subscription,
  SubscriptionCancel,
  SubscriptionCreate,
  SubscriptionList,
  SubscriptionListQuery,
  SubscriptionPlan,
  SubscriptionPlanUpdate,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import type { Auth } from '../http/context.js';
import type { Services } from '../services.js';
import { actorOf } from '../http/actor.js';
import { isStaff, rolesOf } from '../http/auth.js';
import { ApiError } from '../http/problem.js';
import { customerFor } from './reservations.js';
import { processRefunds } from '../domain/payments.js';
import {
  cancelSubscription,
  getSubscription,
  listSubscriptions,
  markSubscriptionPaid,
  pendingRefunds,
  subscribe,
  updateSubscriptionPlan,
} from '../domain/subscriptions.js';

/** Whether the caller acts for the store: a secret key, or an owner (or admin) signed in. */
async function isOwner(services: Services, auth: Auth): Promise<boolean> {
  if (auth.keyKind === 'secret') return true;
  if (!auth.userId) return false;
  const held = await rolesOf(services, auth.userId, auth.storeId);
  return held.has('owner') || held.has('admin');
}

function me(auth: Auth): string {
  if (!auth.userId) {
    throw new ApiError(
      401,
      ProblemCode.customerTokenRequired,
      'Send `X-Customer-Token`: this read is yours.',
    );
  }
  return auth.userId;
}

/**
 * Subscriptions (docs/merchants.md, section 10): customers subscribe, see and cancel theirs; the store lists them,
 * takes payment at the counter, ends them early, and renames or switches off plans.
 */
export function subscriptionRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/subscriptions',
        operationId: 'createSubscription',
        summary: 'Subscribe to a plan',
        description:
          'Subscribes the token’s customer (or `customerId`, with a secret key) to a plan, with an invoice for its ' +
          'price. Free plans, and stores that take payment at the counter (`Store.rentalPayment = at_pickup`; staff ' +
          'then mark the invoice paid), answer an `active` subscription; otherwise it is `pending_payment` until its ' +
          'invoice is paid with `POST /payments` (`invoiceId`). The period starts when it becomes active, or where the ' +
          'customer’s running subscription to the plan ends (a renewal). 422 `plan_inactive`; 409 ' +
          '`already_subscribed` when one waits for payment or a renewal is queued. Send an `Idempotency-Key`.',
        tag: 'Subscriptions',
        access: 'customer',
        body: SubscriptionCreate,
        success: { status: 201, schema: Subscription, description: 'The subscription with its invoice.' },
        errors: [404, 409, 422],
      },
      async ({ c, services, auth, body }) => {
        const customerId = await customerFor(services, auth, body.customerId);
        return subscribe(services.db, actorOf(c, auth), customerId, body.planId, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/customers/me/subscriptions',
        operationId: 'listMySubscriptions',
        summary: "The signed-in customer's subscriptions",
        description:
          'Newest first, every status (filter with `status`). Always the token’s own customer, staff and owners ' +
          'included.',
        tag: 'Customers',
        access: 'customer',
        query: MySubscriptionListQuery,
        success: {
          status: 200,
          schema: SubscriptionList,
          description: 'A page of the customer’s subscriptions.',
        },
        errors: [401],
      },
      async ({ services, auth, query }) => listSubscriptions(services.db, auth.storeId, query, me(auth)),
    )
    .add(
      {
        method: 'get',
        path: '/subscriptions',
        operationId: 'listSubscriptions',
        summary: 'List subscriptions',
        description:
          'The store’s subscriptions, newest first, filtered by `status`, `customerId` and `planId`. Secret key or ' +
          'owner.',
        tag: 'Subscriptions',
        access: 'owner',
        query: SubscriptionListQuery,
        success: { status: 200, schema: SubscriptionList, description: 'A page of subscriptions.' },
      },
      async ({ services, auth, query }) => listSubscriptions(services.db, auth.storeId, query),
    )
    .add(
      {
        method: 'get',
        path: '/subscriptions/:id',
        operationId: 'getSubscription',
        summary: 'Retrieve a subscription',
        description: 'A customer reads their own; staff, owners and secret keys any of the store.',
        tag: 'Subscriptions',
        access: 'customer',
        success: { status: 200, schema: Subscription, description: 'The subscription.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getSubscription(
          services.db,
          auth.storeId,
          params.id!,
          (await isStaff(services, auth)) ? undefined : auth.userId,
        ),
    )
    .add(
      {
        method: 'post',
        path: '/subscriptions/:id/cancel',
        operationId: 'cancelSubscription',
        summary: 'Cancel a subscription',
        description:
          'A subscription waiting for its payment is cancelled at once and its invoice voided. An active one is ' +
          'cancelled at the end of its period (`at: "period_end"`, the default): it keeps its discount until ' +
          '`endsAt` and gets no renewal notice. The store (secret key or owner) may end it now (`at: "now"`): an ' +
          'online payment of its invoice is then refunded in full. A customer cancels their own (others are 404; ' +
          '`now` on a running one is 403). Cancelled or ended ones are 409 `invalid_state`.',
        tag: 'Subscriptions',
        access: 'customer',
        body: SubscriptionCancel,
        bodyOptional: true,
        externalCalls: true,
        success: { status: 200, schema: Subscription, description: 'The cancelled subscription.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params, body }) => {
        const byStore = await isOwner(services, auth);
        const { subscription, refunds } = await cancelSubscription(
          services.db,
          actorOf(c, auth),
          params.id!,
          { customerId: byStore ? undefined : auth.userId, byStore, at: body.at ?? 'period_end' },
          services.clock.now(),
        );
        if (refunds === 0) return subscription;
        // The refund is made now (the sweeper retries leftovers); its completion voids the invoice.
        await processRefunds(services, await pendingRefunds(services.db, subscription.id));
        return getSubscription(services.db, auth.storeId, subscription.id, undefined);
      },
    )
    .add(
      {
        method: 'post',
        path: '/subscriptions/:id/mark-paid',
        operationId: 'markSubscriptionPaid',
        summary: 'Record a subscription paid at the counter',
        description:
          'Staff took the payment of the subscription’s invoice at the counter: the invoice is paid and a ' +
          '`pending_payment` subscription becomes active. 409 `already_paid`, `invalid_state` (cancelled or ended). ' +
          'Staff, owner or secret key.',
        tag: 'Subscriptions',
        access: 'staff',
        success: {
          status: 200,
          schema: Subscription,
          description: 'The subscription with its paid invoice.',
        },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        markSubscriptionPaid(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/subscription-plans/:id',
        operationId: 'updateSubscriptionPlan',
        summary: 'Rename or switch off a subscription plan',
        description:
          '`name`, or `active: false` to stop taking new subscribers (the plan leaves the public list; running ' +
          'subscriptions keep their discount until they end), `active: true` to offer it again. Secret key or owner.',
        tag: 'Subscriptions',
        access: 'owner',
        body: SubscriptionPlanUpdate,
        success: { status: 200, schema: SubscriptionPlan, description: 'The plan.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        updateSubscriptionPlan(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    );
}

export { isOwner };
