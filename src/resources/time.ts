import type { RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { ServerTime } from '../schemas/time.js';

/**
 * The server clock (`GET /v1/time`). Most code wants {@link DropSlotClient.clock} instead, which
 * estimates the offset from several probes.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const { now, iso } = await client.time.now();
 * ```
 */
export interface TimeResource {
  /** Reads the server's current time (`GET /v1/time`). */
  now(options?: RequestOptions): Promise<ServerTime>;
}

export function timeResource(t: Transport): TimeResource {
  return {
    now: (options) => t.request({ method: 'GET', path: 'time', schema: ServerTime }, options),
  };
}
