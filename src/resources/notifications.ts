import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { NotificationList, type Notification, type NotificationListQuery } from '../schemas/notifications.js';
import { list } from './shared.js';

/**
 * Notifications the platform sent or will send to customers: confirmations, hold-expiry, pickup and return reminders,
 * waitlist promotions and payment receipts, each with its delivery status (`pending` → `sent` / `failed` /
 * `cancelled`). Lists are newest first and iterate every page with `for await`.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * for await (const n of client.notifications.mine({ status: 'sent' })) {
 *   console.log(n.template, n.sentAt);
 * }
 * ```
 */
export interface NotificationsResource {
  /** Every notification of the store (`GET /v1/notifications`, secret key or owner), with the last delivery error. */
  list(query?: NotificationListQuery, options?: RequestOptions): ListPromise<Notification>;
  /** The notifications of the signed-in customer (`GET /v1/customers/me/notifications`, customer token). */
  mine(query?: NotificationListQuery, options?: RequestOptions): ListPromise<Notification>;
}

export function notificationsResource(t: Transport): NotificationsResource {
  return {
    list: (query, options) => list(t, 'notifications', NotificationList, query, options),
    mine: (query, options) => list(t, 'customers/me/notifications', NotificationList, query, options),
  };
}
