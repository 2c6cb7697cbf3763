/** One SDK client per (API, key) on a page, shared by every element, with its server clock synced once. */
import { createClient, type DropSlotClient } from '../../src/client.js';
import { setPageFetch } from './fetch.js';

const clients = new Map<string, DropSlotClient>();

/**
 * Test hook: the `fetch` every new client uses (a fake server in component tests), and the plain fetches of the
 * elements that work without the SDK client (`<drop-countdown>`, see fetch.ts).
 */
let fetchOverride: typeof fetch | undefined;
export function setFetchForTesting(fetchImpl: typeof fetch | undefined): void {
  fetchOverride = fetchImpl;
  setPageFetch(fetchImpl);
  clients.clear();
}

export function sharedClient(api: string, publishableKey: string): DropSlotClient {
  const id = `${api}|${publishableKey}`;
  let client = clients.get(id);
  if (!client) {
    client = createClient({ baseUrl: api, publishableKey, ...(fetchOverride && { fetch: fetchOverride }) });
    clients.set(id, client);
  }
  return client;
}

/** Syncs the client's server clock once per page; later calls share the first sync (a failed sync is retried). */
const syncs = new WeakMap<DropSlotClient, Promise<void>>();
export function syncClock(client: DropSlotClient): Promise<void> {
  const existing = syncs.get(client);
  if (existing) return existing;
  const sync = client.clock.sync().then(
    () => undefined,
    () => {
      syncs.delete(client);
    },
  );
  syncs.set(client, sync);
  return sync;
}
