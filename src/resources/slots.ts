import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { Slot, SlotList, type SlotCreate, type SlotUpdate } from '../schemas/slots.js';
import { list, seg } from './shared.js';

/**
 * Slots: the capacity-limited time windows of a drop. Reading works with a publishable key;
 * `create` and `update` need the secret key.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const slot = await client.slots.create(dropId, {
 *   startsAt: '2026-12-01T10:00:00.000Z',
 *   endsAt: '2026-12-01T10:30:00.000Z',
 *   capacityTotal: 20,
 * });
 * ```
 */
export interface SlotsResource {
  /** The slots of a drop, by start time (`GET /v1/drops/{dropId}/slots`). */
  list(dropId: string, options?: RequestOptions): ListPromise<Slot>;
  /** Reads one slot (`GET /v1/slots/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<Slot>;
  /** Adds a slot to a drop (`POST /v1/drops/{dropId}/slots`, secret key). */
  create(dropId: string, body: SlotCreate, options?: RequestOptions): Promise<Slot>;
  /** Changes a slot (`PATCH /v1/slots/{id}`, secret key). Capacity may not go below the places taken. */
  update(id: string, body: SlotUpdate, options?: RequestOptions): Promise<Slot>;
}

export function slotsResource(t: Transport): SlotsResource {
  return {
    list: (dropId, options) => list(t, `drops/${seg(dropId)}/slots`, SlotList, undefined, options),
    retrieve: (id, options) => t.request({ method: 'GET', path: `slots/${seg(id)}`, schema: Slot }, options),
    create: (dropId, body, options) =>
      t.request({ method: 'POST', path: `drops/${seg(dropId)}/slots`, body, schema: Slot }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `slots/${seg(id)}`, body, schema: Slot }, options),
  };
}
