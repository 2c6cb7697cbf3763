import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';
import { DeskTicket } from './desk.js';

/** PENDING (a hold) → CONFIRMED → CHECKED_IN; or CANCELLED / EXPIRED. */
export const ReservationState = z.enum(['PENDING', 'CONFIRMED', 'CHECKED_IN', 'CANCELLED', 'EXPIRED']);
export type ReservationState = z.infer<typeof ReservationState>;

/** A customer's place in a slot. */
export const Reservation = named(
  'Reservation',
  'A place in a slot: a hold (PENDING) until confirmed, then checked in by QR.',
  z.object({
    id: Id,
    storeId: Id,
    dropId: Id,
    slotId: Id,
    customerId: Id,
    state: ReservationState,
    /** How the place was won: reserved directly or promoted from the waitlist. */
    source: z.enum(['direct', 'waitlist']),
    /** When a PENDING hold lapses; null once confirmed. */
    expiresAt: z.nullable(Timestamp),
    customerNote: z.nullable(z.string()),
    /** Signed single-use check-in token, present on CONFIRMED reservations for their customer or a secret key. */
    qrToken: z.nullable(z.string()),
    createdAt: Timestamp,
    confirmedAt: z.nullable(Timestamp),
    cancelledAt: z.nullable(Timestamp),
    checkedInAt: z.nullable(Timestamp),
    expiredAt: z.nullable(Timestamp),
  }),
);
export type Reservation = z.infer<typeof Reservation>;

export const ReservationList = Page('ReservationList', Reservation);

/** Query of `GET /reservations`. */
export const ReservationListQuery = z.extend(ListQuery, {
  state: z.optional(ReservationState),
  dropId: z.optional(Id),
  slotId: z.optional(Id),
});
export type ReservationListQuery = z.infer<typeof ReservationListQuery>;

/** Body of `POST /reservations`: take a hold on a slot. A secret key names the customer. */
export const ReservationCreate = named(
  'ReservationCreate',
  'A hold request for a slot.',
  z.strictObject({
    slotId: Id,
    customerNote: z.optional(z.string().check(z.maxLength(500))),
    /** Secret key only: the customer to reserve for. */
    customerId: z.optional(Id),
  }),
);
export type ReservationCreate = z.infer<typeof ReservationCreate>;

/** Body of `POST /check-ins` (staff). */
export const CheckInCreate = named(
  'CheckInCreate',
  'A scanned or typed check-in token.',
  z.strictObject({ qrToken: z.string().check(z.minLength(1), z.maxLength(2000)) }),
);
export type CheckInCreate = z.infer<typeof CheckInCreate>;

/** The result of a successful check-in. */
export const CheckIn = named(
  'CheckIn',
  'A reservation checked in by its QR token.',
  z.object({
    reservationId: Id,
    checkedInAt: Timestamp,
    reservation: Reservation,
    /** What the desk shows: the customer's name, the drop and slot, and the zone to show times in. */
    ticket: DeskTicket,
  }),
);
export type CheckIn = z.infer<typeof CheckIn>;
