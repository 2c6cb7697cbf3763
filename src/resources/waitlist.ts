import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  WaitlistEntry,
  WaitlistList,
  type WaitlistJoin,
  type WaitlistListQuery,
} from '../schemas/waitlist.js';
import { list, seg } from './shared.js';

/**
 * The fair waitlist of full slots. Joining needs a customer token (or the secret key with `customerId`).
 * When a place frees up, the head entry becomes `PROMOTED` with a hold (`reservationId`) to confirm before `claimDeadline`.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const entry = await client.waitlist.join(slotId);
 * console.log(`You are number ${entry.position}`);
 * ```
 */
export interface WaitlistResource {
  /** Joins a full slot's waitlist (`POST /v1/slots/{slotId}/waitlist`). */
  join(slotId: string, body?: WaitlistJoin, options?: RequestOptions): Promise<WaitlistEntry>;
  /** Reads an entry, with its current `position` (`GET /v1/waitlist/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<WaitlistEntry>;
  /** Leaves the waitlist (`DELETE /v1/waitlist/{id}`) → the entry in state `LEFT`. */
  leave(id: string, options?: RequestOptions): Promise<WaitlistEntry>;
  /** Lists entries (`GET /v1/waitlist`); await for the first page or `for await` over all. */
  list(query?: WaitlistListQuery, options?: RequestOptions): ListPromise<WaitlistEntry>;
}

export function waitlistResource(t: Transport): WaitlistResource {
  return {
    join: (slotId, body, options) =>
      t.request(
        { method: 'POST', path: `slots/${seg(slotId)}/waitlist`, body: body ?? {}, schema: WaitlistEntry },
        options,
      ),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `waitlist/${seg(id)}`, schema: WaitlistEntry }, options),
    leave: (id, options) =>
      t.request({ method: 'DELETE', path: `waitlist/${seg(id)}`, schema: WaitlistEntry }, options),
    list: (query, options) => list(t, 'waitlist', WaitlistList, query, options),
  };
}
