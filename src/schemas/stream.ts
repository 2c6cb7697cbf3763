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
