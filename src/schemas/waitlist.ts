import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/** WAITING in line → PROMOTED (a hold was made for them) → CLAIMED (confirmed); or LEFT / EXPIRED (claim missed). */
export const WaitlistState = z.enum(['WAITING', 'PROMOTED', 'CLAIMED', 'LEFT', 'EXPIRED']);
export type WaitlistState = z.infer<typeof WaitlistState>;

/** A customer's place in the fair (first come, first served) line of a full slot. */
export const WaitlistEntry = named(
  'WaitlistEntry',
  "A customer's place in a full slot's waitlist.",
  z.object({
    id: Id,
    slotId: Id,
    dropId: Id,
    customerId: Id,
    state: WaitlistState,
    /** 1 for the head of the line; null unless WAITING. */
    position: z.nullable(z.int()),
    /** The hold made on promotion. */
    reservationId: z.nullable(Id),
    /** Until when the promoted hold may be confirmed. */
    claimDeadline: z.nullable(Timestamp),
    createdAt: Timestamp,
    promotedAt: z.nullable(Timestamp),
  }),
);
export type WaitlistEntry = z.infer<typeof WaitlistEntry>;

/** Body of `POST /slots/{id}/waitlist` (optional). */
export const WaitlistJoin = named(
  'WaitlistJoin',
  'A request to join a full slot’s waitlist; a secret key names the customer.',
  z.strictObject({ customerId: z.optional(Id) }),
);
export type WaitlistJoin = z.infer<typeof WaitlistJoin>;

export const WaitlistList = Page('WaitlistList', WaitlistEntry);

/** Query of `GET /waitlist`. */
export const WaitlistListQuery = z.extend(ListQuery, {
  dropId: z.optional(Id),
  slotId: z.optional(Id),
  state: z.optional(WaitlistState),
});
export type WaitlistListQuery = z.infer<typeof WaitlistListQuery>;
