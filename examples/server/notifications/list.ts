/** Reading notifications back: one page of a store's (or one customer's) notifications, newest first. */
import { and, eq } from 'drizzle-orm';
import type { Notification, NotificationListQuery } from '../../../src/schemas/index.js';
import { schema, type Database } from '../db/index.js';
import { page, pageWindow } from '../domain/pagination.js';

const n = schema.notifications;

export function serializeNotification(row: typeof n.$inferSelect, showErrors: boolean): Notification {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: row.id,
    customerId: row.userId,
    template: row.template as Notification['template'],
    channel: row.channel as Notification['channel'],
    status: row.status as Notification['status'],
    recipient: row.recipient,
    locale: row.locale,
    entityId: row.entityId,
    scheduledFor: iso(row.scheduledFor),
    sentAt: iso(row.sentAt),
    attempts: row.attempts,
    lastError: showErrors ? row.lastError : null,
    data: (row.payload ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
  };
}

/** `customerId` limits the page to that customer's notifications (their own list shows no delivery errors). */
export async function listNotifications(
  db: Database,
  storeId: string,
  customerId: string | undefined,
  query: NotificationListQuery,
): Promise<{ data: Notification[]; hasMore: boolean }> {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: n,
    sort: n.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'notification',
  });
  const found = await db
    .select()
    .from(n)
    .where(
      and(
        eq(n.storeId, storeId),
        where,
        customerId ? eq(n.userId, customerId) : undefined,
        query.status ? eq(n.status, query.status) : undefined,
        query.template ? eq(n.template, query.template) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return { data: result.data.map((row) => serializeNotification(row, !customerId)), hasMore: result.hasMore };
}
