import { sql } from 'drizzle-orm';
import { schema, type Executor } from '../db/index.js';

/**
 * Every domain event a store can hear about, by name. An event row is written in the same transaction as the change
 * it reports (`recordEvent`), so a change and its event commit or roll back together; webhooks and notifications are
 * derived from these rows.
 */
export const EventType = {
  reservationCreated: 'reservation.created',
  reservationConfirmed: 'reservation.confirmed',
  reservationCancelled: 'reservation.cancelled',
  reservationExpired: 'reservation.expired',
  reservationCheckedIn: 'reservation.checked_in',
  waitlistJoined: 'waitlist.joined',
  waitlistPromoted: 'waitlist.promoted',
  waitlistLeft: 'waitlist.left',
  rentalCreated: 'rental.created',
  rentalConfirmed: 'rental.confirmed',
  rentalCancelled: 'rental.cancelled',
  rentalScheduleAssigned: 'rental.schedule_assigned',
  rentalPickedUp: 'rental.picked_up',
  rentalOverdue: 'rental.overdue',
  rentalReturned: 'rental.returned',
  paymentSucceeded: 'payment.succeeded',
  paymentFailed: 'payment.failed',
  paymentRefunded: 'payment.refunded',
  invoicePaid: 'invoice.paid',
  subscriptionStarted: 'subscription.started',
  subscriptionRenewalDue: 'subscription.renewal_due',
  subscriptionCancelled: 'subscription.cancelled',
  subscriptionEnded: 'subscription.ended',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

/** One domain event; `data` is what subscribers receive (ids and the facts of the change, no secrets). */
export interface DomainEvent {
  storeId: string;
  type: EventType | (string & {});
  at: Date;
  userId?: string | null | undefined;
  productId?: string | null | undefined;
  rentalOrderId?: string | null | undefined;
  data: Record<string, unknown>;
}

/** Writes one event row; always called with the transaction that makes the change. */
export async function recordEvent(tx: Executor, event: DomainEvent): Promise<void> {
  await tx.insert(schema.events).values({
    storeId: event.storeId,
    occurredAt: event.at,
    type: event.type,
    userId: event.userId ?? null,
    productId: event.productId ?? null,
    rentalOrderId: event.rentalOrderId ?? null,
    metadata: event.data,
  });
}

/** The facts of a reservation that its events carry. */
export function reservationData(row: {
  id: string;
  dropId: string;
  slotId: string;
  userId: string;
  state: string;
  expiresAt?: Date | null;
}): Record<string, unknown> {
  return {
    reservationId: row.id,
    dropId: row.dropId,
    slotId: row.slotId,
    customerId: row.userId,
    state: row.state,
    ...(row.expiresAt ? { expiresAt: row.expiresAt.toISOString() } : {}),
  };
}

/** The facts of a waitlist entry that its events carry. */
export function waitlistData(row: {
  id: string;
  dropId: string;
  slotId: string;
  userId: string;
  state: string;
  position: number;
}): Record<string, unknown> {
  return {
    waitlistEntryId: row.id,
    dropId: row.dropId,
    slotId: row.slotId,
    customerId: row.userId,
    state: row.state,
    position: row.position,
  };
}

/** The `reservation.created` event as a SQL fragment for the single-statement reserve (`ins` is the new row). */
export const reservationCreatedSql = (now: Date) => sql`
  insert into events (store_id, occurred_at, type, user_id, metadata)
  select ins.store_id, ${now}, ${EventType.reservationCreated}, ins.user_id,
    jsonb_build_object('reservationId', ins.id, 'dropId', ins.drop_id, 'slotId', ins.slot_id,
      'customerId', ins.user_id, 'state', ins.state, 'expiresAt', ins.expires_at)
  from ins
  returning id`;
