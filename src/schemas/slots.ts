import * as z from 'zod/mini';
import { Id, Timestamp } from './common.js';
import { named } from './registry.js';

/** A capacity-limited time window of a drop. */
export const Slot = named(
  'Slot',
  'A capacity-limited time window of a drop.',
  z.object({
    id: Id,
    dropId: Id,
    startsAt: Timestamp,
    endsAt: Timestamp,
    capacityTotal: z.int(),
    /** Places taken by holds, confirmed and checked-in reservations. */
    capacityReserved: z.int(),
    capacityRemaining: z.int(),
    /** Customers waiting for a place. */
    waitlistCount: z.int(),
  }),
);
export type Slot = z.infer<typeof Slot>;

export const SlotList = named(
  'SlotList',
  'All slots of a drop, by start time.',
  z.object({ data: z.array(Slot), hasMore: z.boolean() }),
);

/** Body of `POST /drops/{id}/slots` (secret key). */
export const SlotCreate = named(
  'SlotCreate',
  'A new slot of a drop.',
  z.strictObject({
    startsAt: Timestamp,
    endsAt: Timestamp,
    capacityTotal: z.int().check(z.minimum(0), z.maximum(1_000_000)),
  }),
);
export type SlotCreate = z.infer<typeof SlotCreate>;

/** Body of `PATCH /slots/{id}` (secret key). Capacity may not drop below the places taken. */
export const SlotUpdate = named(
  'SlotUpdate',
  'Changes to a slot.',
  z.strictObject({
    startsAt: z.optional(Timestamp),
    endsAt: z.optional(Timestamp),
    capacityTotal: z.optional(z.int().check(z.minimum(0), z.maximum(1_000_000))),
  }),
);
export type SlotUpdate = z.infer<typeof SlotUpdate>;
