import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  Reservation,
  ReservationList,
  type ReservationCreate,
  type ReservationListQuery,
} from '../schemas/reservations.js';
import { list, seg } from './shared.js';

/**
 * Reservations (`/v1/reservations`): a hold on a slot (PENDING, with `expiresAt`) that the customer confirms.
 * Creating one needs a customer token (or the secret key with `customerId`).
 *
 * @example
 * ```ts
 * import { createClient, ConflictError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * try {
 *   const hold = await client.reservations.create({ slotId });
 *   await client.reservations.confirm(hold.id);
 * } catch (e) {
 *   if (ConflictError.is(e) && e.code === 'slot_full') await client.waitlist.join(slotId);
 * }
 * ```
 */
export interface ReservationsResource {
  /** Lists reservations (`GET /v1/reservations`): the customer's own, or all of the store with the secret key. */
  list(query?: ReservationListQuery, options?: RequestOptions): ListPromise<Reservation>;
  /** Reads one reservation (`GET /v1/reservations/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<Reservation>;
  /**
   * Takes a hold on a slot (`POST /v1/reservations`) → a PENDING reservation with `expiresAt`.
   * Fails with `ConflictError` `slot_full`, `drop_not_open`, `already_reserved`, `reservation_limit_reached`, ….
   */
  create(body: ReservationCreate, options?: RequestOptions): Promise<Reservation>;
  /** Confirms a hold before it expires (`POST /v1/reservations/{id}/confirm`); `ConflictError` `hold_expired` after. */
  confirm(id: string, options?: RequestOptions): Promise<Reservation>;
  /** Cancels a reservation and releases its place (`POST /v1/reservations/{id}/cancel`). */
  cancel(id: string, options?: RequestOptions): Promise<Reservation>;
}

export function reservationsResource(t: Transport): ReservationsResource {
  return {
    list: (query, options) => list(t, 'reservations', ReservationList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `reservations/${seg(id)}`, schema: Reservation }, options),
    create: (body, options) =>
      t.request({ method: 'POST', path: 'reservations', body, schema: Reservation }, options),
    confirm: (id, options) =>
      t.request({ method: 'POST', path: `reservations/${seg(id)}/confirm`, schema: Reservation }, options),
    cancel: (id, options) =>
      t.request({ method: 'POST', path: `reservations/${seg(id)}/cancel`, schema: Reservation }, options),
  };
}
