import * as z from 'zod/mini';
import { Id } from './common.js';
import { named } from './registry.js';
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
