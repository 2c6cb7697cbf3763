import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { Drop, DropList, type DropCreate, type DropListQuery, type DropUpdate } from '../schemas/drops.js';
import { SlotList, type Slot } from '../schemas/slots.js';
import { list, seg } from './shared.js';

/**
 * Drops (`/v1/drops`): time-boxed releases split into slots. Reading works with a publishable key;
 * `create` and `update` need the secret key. For live capacity use {@link subscribeDrop} or {@link createDropStore}.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * for await (const drop of client.drops.list({ phase: 'live', limit: 50 })) console.log(drop.name);
 * ```
 */
export interface DropsResource {
  /** Lists drops (`GET /v1/drops`); await for the first page or `for await` over all. */
  list(query?: DropListQuery, options?: RequestOptions): ListPromise<Drop>;
  /** Reads one drop (`GET /v1/drops/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<Drop>;
  /** Creates a drop (`POST /v1/drops`, secret key). */
  create(body: DropCreate, options?: RequestOptions): Promise<Drop>;
  /** Changes a drop (`PATCH /v1/drops/{id}`, secret key). Cancel a drop by setting `status: 'cancelled'`. */
  update(id: string, body: DropUpdate, options?: RequestOptions): Promise<Drop>;
  /** The slots of a drop, by start time (`GET /v1/drops/{id}/slots`). Same as {@link SlotsResource.list}. */
  slots(dropId: string, options?: RequestOptions): ListPromise<Slot>;
}

export function dropsResource(t: Transport): DropsResource {
  return {
    list: (query, options) => list(t, 'drops', DropList, query, options),
    retrieve: (id, options) => t.request({ method: 'GET', path: `drops/${seg(id)}`, schema: Drop }, options),
    create: (body, options) => t.request({ method: 'POST', path: 'drops', body, schema: Drop }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `drops/${seg(id)}`, body, schema: Drop }, options),
    slots: (dropId, options) => list(t, `drops/${seg(dropId)}/slots`, SlotList, undefined, options),
  };
}
