import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/** How shoppers may reserve in a drop. */
export const ReservationRule = named(
  'ReservationRule',
  'Hold and claim times and per-customer limits of a drop.',
  z.object({
    /** Seconds a hold stays PENDING before it expires. */
    holdTtlSeconds: z.int().check(z.minimum(30), z.maximum(86_400)),
    /** Seconds a promoted waitlist entry has to claim its hold. */
    claimTtlSeconds: z.int().check(z.minimum(30), z.maximum(86_400)),
    /** Active reservations one customer may hold across the drop's slots. */
    maxPerCustomer: z.int().check(z.minimum(1), z.maximum(100)),
    /**
     * Minutes before a slot starts that check-in at the door opens. Absent: the store's setting, else 120.
     */
    checkInOpensMinutesBefore: z.optional(z.int().check(z.minimum(0), z.maximum(10_080))),
    /** Minutes after a slot ends that check-in closes. Absent: the store's setting, else 0 (closes at the end). */
    checkInClosesMinutesAfter: z.optional(z.int().check(z.minimum(0), z.maximum(10_080))),
  }),
);
export type ReservationRule = z.infer<typeof ReservationRule>;

/** Defaults applied to the fields a new drop's rule leaves out. */
export const defaultReservationRule: ReservationRule = {
  holdTtlSeconds: 600,
  claimTtlSeconds: 900,
  maxPerCustomer: 1,
};

/** Lifecycle a store sets: only `published` drops are visible to shoppers. */
export const DropStatus = z.enum(['draft', 'published', 'cancelled']);
export type DropStatus = z.infer<typeof DropStatus>;

/** Where a drop stands on server time: before `startsAt`, between, or after `endsAt`. */
export const DropPhase = z.enum(['upcoming', 'live', 'ended']);
export type DropPhase = z.infer<typeof DropPhase>;

/** A time-boxed release of a product, split into slots. */
export const Drop = named(
  'Drop',
  'A time-boxed release of a product, split into capacity-limited slots.',
  z.object({
    id: Id,
    storeId: Id,
    productId: Id,
    branchId: z.nullable(Id),
    name: z.string(),
    description: z.nullable(z.string()),
    startsAt: Timestamp,
    endsAt: Timestamp,
    status: DropStatus,
    phase: DropPhase,
    reservationRule: ReservationRule,
    capacityTotal: z.int(),
    capacityRemaining: z.int(),
    /**
     * Holds must be paid to be confirmed (`POST /payments`): the product has a price and the store takes payment online.
     * Otherwise the customer confirms the hold.
     */
    paymentRequired: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type Drop = z.infer<typeof Drop>;

export const DropList = Page('DropList', Drop);

/** Query of `GET /drops`. */
export const DropListQuery = z.extend(ListQuery, {
  phase: z.optional(DropPhase),
  productId: z.optional(Id),
});
export type DropListQuery = z.infer<typeof DropListQuery>;

/**
 * Query of `GET /drops/{id}/stream`: `key`, a publishable key, for the browser's own `EventSource`, which cannot send
 * headers. Never a secret key or a customer token: those are refused in a URL.
 */
export const DropStreamQuery = z.object({
  key: z.optional(z.string().check(z.maxLength(100))),
});
export type DropStreamQuery = z.infer<typeof DropStreamQuery>;

const dropName = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

/** Body of `POST /drops` (secret key). */
export const DropCreate = named(
  'DropCreate',
  'A new drop.',
  z.strictObject({
    productId: Id,
    branchId: z.optional(z.nullable(Id)),
    name: dropName,
    description: z.optional(z.nullable(z.string().check(z.maxLength(5000)))),
    startsAt: Timestamp,
    endsAt: Timestamp,
    status: z.optional(DropStatus),
    reservationRule: z.optional(z.partial(ReservationRule)),
  }),
);
export type DropCreate = z.infer<typeof DropCreate>;

/** Body of `PATCH /drops/{id}` (secret key). */
export const DropUpdate = named(
  'DropUpdate',
  'Changes to a drop.',
  z.strictObject({
    name: z.optional(dropName),
    description: z.optional(z.nullable(z.string().check(z.maxLength(5000)))),
    startsAt: z.optional(Timestamp),
    endsAt: z.optional(Timestamp),
    status: z.optional(DropStatus),
    reservationRule: z.optional(z.partial(ReservationRule)),
  }),
);
export type DropUpdate = z.infer<typeof DropUpdate>;
