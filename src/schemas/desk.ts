import * as z from 'zod/mini';
import { Currency, Id, Timestamp } from './common.js';
import { named } from './registry.js';

/**
 * What the staff desk shows for a scanned code, the same for a first scan (in `CheckIn.ticket` and `Handover.ticket`)
 * and a repeat scan (the `ticket` member of the 409 `qr_already_used` problem): whose it is, what it is for, the units
 * to hand over or take back, and the amount to collect. No token, no email address.
 */
export const DeskTicket = named(
  'DeskTicket',
  'A scanned ticket or rental code as the desk shows it: customer, drop and slot or rental, units, amount to collect.',
  z.object({
    /** `check_in` for a drop ticket; `pickup` or `return` for a rental handover. */
    kind: z.enum(['check_in', 'pickup', 'return']),
    /** The reservation (check-in) or the rental order (handover). */
    id: Id,
    customer: z.object({ id: Id, name: z.nullable(z.string()) }),
    /** A drop ticket's drop, else `null`. */
    drop: z.nullable(z.object({ id: Id, name: z.string() })),
    /** A drop ticket's slot, else `null`. */
    slot: z.nullable(z.object({ id: Id, startsAt: Timestamp, endsAt: Timestamp })),
    /** A rental's period, else `null`. */
    period: z.nullable(z.object({ start: Timestamp, end: Timestamp })),
    /** The physical units to hand over (pickup) or take back (return); empty for a drop ticket. */
    units: z.array(
      z.object({ inventoryItemId: Id, serial: z.string(), productId: Id, productName: z.string() }),
    ),
    /** What staff collect at this desk, in minor units: the open invoice of a pay-at-pickup rental at pickup, else 0. */
    amountToCollect: z.int().check(z.minimum(0)),
    currency: z.nullable(Currency),
    /** When the code was used: this scan, or the first scan for a repeat. */
    usedAt: Timestamp,
    /** The IANA zone to show the times in: the drop's branch, else the store's. */
    timeZone: z.string(),
  }),
);
export type DeskTicket = z.infer<typeof DeskTicket>;
