import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  Subscription,
  SubscriptionList,
  type MySubscriptionListQuery,
  type SubscriptionCancel,
  type SubscriptionCreate,
  type SubscriptionListQuery,
} from '../schemas/subscriptions.js';
import { list, seg } from './shared.js';

/**
 * Subscriptions (`/v1/subscriptions`): a customer subscribes to a plan of `client.rentals.subscriptionPlans` and gets
 * its discount on the rentals of its products that start in the subscription's period. The answer carries the
 * invoice: pay it with `client.payments.create({ invoiceId })` when the subscription is `pending_payment`; free plans,
 * and stores that take payment at the counter, answer an `active` subscription. Subscribing again while one runs
 * queues a renewal that starts when it ends.
 *
 * @example
 * ```ts
 * import { createClient, ConflictError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * try {
 *   const subscription = await client.subscriptions.create({ planId });
 *   if (subscription.status === 'pending_payment') {
 *     await client.payments.create({ invoiceId: subscription.invoice.id, paymentMethod: 'pm_card_visa' });
 *   }
 * } catch (e) {
 *   if (ConflictError.is(e) && e.code === 'already_subscribed') console.log('Pay or cancel the one waiting');
 * }
 * for await (const s of client.subscriptions.mine({ status: 'active' })) console.log(s.planName, s.endsAt);
 * ```
 */
export interface SubscriptionsResource {
  /**
   * Subscribes the signed-in customer (or `customerId`, with the secret key) to a plan (`POST /v1/subscriptions`).
   * `ValidationError` `plan_inactive` for a switched-off plan; `ConflictError` `already_subscribed` when a
   * subscription to the plan waits for its payment (`problem.subscriptionId`) or a renewal is queued already.
   */
  create(body: SubscriptionCreate, options?: RequestOptions): Promise<Subscription>;
  /** Reads one subscription (`GET /v1/subscriptions/{id}`): the customer's own; staff, owners and secret keys any. */
  retrieve(id: string, options?: RequestOptions): Promise<Subscription>;
  /** The store's subscriptions, newest first (`GET /v1/subscriptions`, secret key or owner). */
  list(query?: SubscriptionListQuery, options?: RequestOptions): ListPromise<Subscription>;
  /** The signed-in customer's subscriptions, newest first (`GET /v1/customers/me/subscriptions`). */
  mine(query?: MySubscriptionListQuery, options?: RequestOptions): ListPromise<Subscription>;
  /**
   * Cancels a subscription (`POST /v1/subscriptions/{id}/cancel`): a pending one at once; an active one at the end of
   * its period, or now with `{ at: 'now' }` (secret key or owner; an online payment is refunded in full).
   * `ConflictError` `invalid_state` when it is cancelled or over already.
   */
  cancel(id: string, body?: SubscriptionCancel, options?: RequestOptions): Promise<Subscription>;
  /**
   * Records the subscription's invoice paid at the counter (`POST /v1/subscriptions/{id}/mark-paid`, staff, owner or
   * secret key); a pending subscription becomes active. `ConflictError` `already_paid` or `invalid_state`.
   */
  markPaid(id: string, options?: RequestOptions): Promise<Subscription>;
}

export function subscriptionsResource(t: Transport): SubscriptionsResource {
  return {
    create: (body, options) =>
      t.request({ method: 'POST', path: 'subscriptions', body, schema: Subscription }, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `subscriptions/${seg(id)}`, schema: Subscription }, options),
    list: (query, options) => list(t, 'subscriptions', SubscriptionList, query, options),
    mine: (query, options) => list(t, 'customers/me/subscriptions', SubscriptionList, query, options),
    cancel: (id, body, options) =>
      t.request(
        { method: 'POST', path: `subscriptions/${seg(id)}/cancel`, body, schema: Subscription },
        options,
      ),
    markPaid: (id, options) =>
      t.request(
        { method: 'POST', path: `subscriptions/${seg(id)}/mark-paid`, schema: Subscription },
        options,
      ),
  };
}
