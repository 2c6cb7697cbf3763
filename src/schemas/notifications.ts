import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/** `pending` (waiting for its time or a retry) → `sent`, `failed` (after the last retry) or `cancelled`. */
export const NotificationStatus = z.enum(['pending', 'sent', 'failed', 'cancelled']);
export type NotificationStatus = z.infer<typeof NotificationStatus>;

/** What a notification says: one template per kind of message. */
export const NotificationTemplateName = z.enum([
  'reservation_confirmed',
  'hold_expiring',
  'waitlist_promoted',
  'rental_confirmed',
  'rental_pickup_reminder',
  'rental_return_reminder',
  'payment_receipt',
  'member_invitation',
  'subscription_started',
  'subscription_renewal_due',
  'subscription_cancelled',
  'subscription_ended',
]);
export type NotificationTemplateName = z.infer<typeof NotificationTemplateName>;

/** A message to a customer, derived from a domain event, sent by email (SMTP) or the log transport. */
export const Notification = named(
  'Notification',
  'A message to a customer derived from a domain event: its template, schedule and delivery status.',
  z.object({
    id: Id,
    customerId: z.nullable(Id),
    template: NotificationTemplateName,
    /** `email` (SMTP) or `log` (the log/file transport). */
    channel: z.enum(['email', 'sms', 'push', 'log']),
    status: NotificationStatus,
    /** The email address it goes to; null when the customer has none. */
    recipient: z.nullable(z.string()),
    /** Language of the text, from the store's locale (`en` or `de`). */
    locale: z.string(),
    /** The reservation, waitlist entry, rental order or payment it is about. */
    entityId: z.nullable(Id),
    /** When it is due. */
    scheduledFor: z.nullable(Timestamp),
    sentAt: z.nullable(Timestamp),
    /** Send attempts so far. */
    attempts: z.int(),
    /** Why the last attempt failed or why it was cancelled (secret key and owners only; null for customers). */
    lastError: z.nullable(z.string()),
    /** The facts the template shows (drop, slot, deadlines, amounts). */
    data: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  }),
);
export type Notification = z.infer<typeof Notification>;

export const NotificationList = Page('NotificationList', Notification);
export type NotificationList = z.infer<typeof NotificationList>;

/** Query of `GET /notifications` and `GET /customers/me/notifications`: newest first. */
export const NotificationListQuery = z.extend(ListQuery, {
  status: z.optional(NotificationStatus),
  template: z.optional(NotificationTemplateName),
});
export type NotificationListQuery = z.infer<typeof NotificationListQuery>;
