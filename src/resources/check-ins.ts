import type { RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { CheckIn, type CheckInCreate } from '../schemas/reservations.js';

/**
 * Check-in at the door (`POST /v1/check-ins`), with a staff customer token or the secret key.
 *
 * @example
 * ```ts
 * import { createClient, ConflictError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken: staffToken });
 * try {
 *   const { reservation } = await client.checkIns.create({ qrToken: scanned });
 * } catch (e) {
 *   if (ConflictError.is(e) && e.code === 'qr_already_used') alert(`Already used at ${String(e.problem?.firstUsedAt)}`);
 * }
 * ```
 */
export interface CheckInsResource {
  /** Redeems a reservation's QR token, once. A second scan fails with `ConflictError` `qr_already_used` (see `problem.firstUsedAt`). */
  create(body: CheckInCreate, options?: RequestOptions): Promise<CheckIn>;
}

export function checkInsResource(t: Transport): CheckInsResource {
  return {
    create: (body, options) =>
      t.request({ method: 'POST', path: 'check-ins', body, schema: CheckIn }, options),
  };
}
