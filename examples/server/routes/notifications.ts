import { NotificationList, NotificationListQuery, ProblemCode } from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { ApiError } from '../http/problem.js';
import { listNotifications } from '../notifications/list.js';

export function notificationRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/customers/me/notifications',
        operationId: 'listMyNotifications',
        summary: "The signed-in customer's notifications",
        description:
          'Newest first: confirmations, hold and rental reminders (also those still scheduled or cancelled), ' +
          'waitlist promotions and payment receipts sent to the customer of the token. Filter by `status` or ' +
          '`template`.',
        tag: 'Notifications',
        access: 'customer',
        query: NotificationListQuery,
        success: { status: 200, schema: NotificationList, description: 'One page of notifications.' },
      },
      async ({ services, auth, query }) => {
        if (!auth.userId) {
          throw new ApiError(
            401,
            ProblemCode.customerTokenRequired,
            'Send `X-Customer-Token` to know who you are.',
          );
        }
        return listNotifications(services.db, auth.storeId, auth.userId, query);
      },
    )
    .add(
      {
        method: 'get',
        path: '/notifications',
        operationId: 'listNotifications',
        summary: "The store's notifications",
        description:
          'Secret key or owner. Every notification of the store, newest first, with delivery attempts and the ' +
          'last error. Filter by `status` (`pending`, `sent`, `failed`, `cancelled`) or `template`.',
        tag: 'Notifications',
        access: 'owner',
        query: NotificationListQuery,
        success: { status: 200, schema: NotificationList, description: 'One page of notifications.' },
      },
      async ({ services, auth, query }) => listNotifications(services.db, auth.storeId, undefined, query),
    );
}
