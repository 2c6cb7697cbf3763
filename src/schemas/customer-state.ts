import * as z from 'zod/mini';
import { Id } from './common.js';
import { named } from './registry.js';
import { RentalOrder } from './rentals.js';
import { Reservation } from './reservations.js';
import { WaitlistEntry } from './waitlist.js';

/**
 * The signed-in customer's standing in one drop, read by `GET /customers/me/drops/{id}`: what an element needs to show
 * after a reload, in a new tab or on another device.
 */
export const CustomerDropState = named(
  'CustomerDropState',
  "The signed-in customer's places in one drop: holds and confirmed reservations, and waitlist entries still in line.",
  z.object({
    dropId: Id,
    /** Reservations that still hold a place (PENDING with time left, CONFIRMED, CHECKED_IN), newest first. */
    reservations: z.array(Reservation),
    /** Waitlist entries still in line or promoted (WAITING, PROMOTED), newest first, each with its live position. */
    waitlistEntries: z.array(WaitlistEntry),
  }),
);
export type CustomerDropState = z.infer<typeof CustomerDropState>;

/**
 * The signed-in customer's rentals of one product, read by `GET /customers/me/products/{id}/rentals`: what
 * `<rental-checkout>` restores after a reload, in a new tab or on another device.
 */
export const CustomerRentalState = named(
  'CustomerRentalState',
  "The signed-in customer's rental orders of one product that still need them: to pay or confirm, to pick up, or to return.",
  z.object({
    productId: Id,
    /**
     * Orders with a unit of the product that are `pending_payment` or `confirmed` and not over yet, or picked up
     * (`active`, `overdue`); soonest pickup first, at most 50. Each carries its next handover code (`qrToken`).
     */
    orders: z.array(RentalOrder),
  }),
);
export type CustomerRentalState = z.infer<typeof CustomerRentalState>;
