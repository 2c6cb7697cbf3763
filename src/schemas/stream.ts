import * as z from 'zod/mini';
import { Id, Timestamp } from './common.js';
import { Drop, DropPhase } from './drops.js';
import { Slot } from './slots.js';
import { named } from './registry.js';

/** Sent first on every (re)connection: the whole current state, so a resumed stream misses nothing. */
export const StreamSnapshot = named(
  'StreamSnapshot',
  'event: snapshot — the drop and all its slots as they are now.',
  z.object({ drop: Drop, slots: z.array(Slot) }),
);
export type StreamSnapshot = z.infer<typeof StreamSnapshot>;

/** A slot's capacity or waitlist changed. */
export const SlotCapacityEvent = named(
  'SlotCapacityEvent',
  'event: slot — new capacity figures of one slot.',
  z.object({
    dropId: Id,
    slotId: Id,
    capacityTotal: z.int(),
    capacityReserved: z.int(),
    capacityRemaining: z.int(),
    waitlistCount: z.int(),
  }),
);
export type SlotCapacityEvent = z.infer<typeof SlotCapacityEvent>;

/** The drop opened (reached `startsAt`) or closed (reached `endsAt`), on server time. */
export const DropPhaseEvent = named(
  'DropPhaseEvent',
  'event: phase — the drop became live or ended.',
  z.object({ dropId: Id, phase: DropPhase, at: Timestamp }),
);
export type DropPhaseEvent = z.infer<typeof DropPhaseEvent>;

/** The names of the server-sent events of `GET /drops/{id}/stream`. */
export const StreamEventName = { snapshot: 'snapshot', slot: 'slot', phase: 'phase' } as const;
export type StreamEventName = (typeof StreamEventName)[keyof typeof StreamEventName];

/**
 * What the reference backend's processes tell each other on their events channel (PostgreSQL `NOTIFY`, or Redis
 * pub/sub): a slot's new figures, a drop that changed, and access taken away (a customer disabled or enabled, a key
 * revoked, a member's roles changed). Internal to the backend; not part of the HTTP API.
 * @internal
 */
export const LiveNotice = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('slot'),
    dropId: z.string(),
    slotId: z.string(),
    storeId: z.string(),
    total: z.int(),
    reserved: z.int(),
    waitlist: z.int(),
    /**
     * On notices of reserves: the drop's window, so a full slot can be marked full on every process (PostgreSQL's JSON
     * form of a timestamp, `2030-03-01T09:00:00+00:00`).
     */
    startsAt: z.optional(z.string()),
    endsAt: z.optional(z.string()),
  }),
  z.object({ t: z.literal('drop'), dropId: z.string() }),
  z.object({ t: z.literal('user'), userId: z.string(), status: z.enum(['active', 'disabled']) }),
  z.object({ t: z.literal('key'), keyHash: z.string() }),
  z.object({ t: z.literal('roles'), userId: z.string() }),
]);
/** @internal */
export type LiveNotice = z.infer<typeof LiveNotice>;
