import type { RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { Store } from '../schemas/store.js';

/**
 * The store the key belongs to (`GET /v1/store`): name, currency, locale, time zone and branches.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const store = await client.store.retrieve();
 * console.log(store.timeZone);
 * ```
 */
export interface StoreResource {
  /** Reads the calling key's store (`GET /v1/store`). */
  retrieve(options?: RequestOptions): Promise<Store>;
}

export function storeResource(t: Transport): StoreResource {
  return {
    retrieve: (options) => t.request({ method: 'GET', path: 'store', schema: Store }, options),
  };
}
