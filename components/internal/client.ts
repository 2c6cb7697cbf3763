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

/** Called with the client whose customer token the API refused (401): the page signs out everywhere. */
const unauthorized = new Set<(client: DropSlotClient) => void>();
export function onUnauthorized(listener: (client: DropSlotClient) => void): void {
  unauthorized.add(listener);
}

export function sharedClient(api: string, publishableKey: string): DropSlotClient {
  const id = `${api}|${publishableKey}`;
  let client = clients.get(id);
  if (!client) {
    const base = fetchOverride ?? ((input, init) => fetch(input, init));
    const created: DropSlotClient = createClient({
      baseUrl: api,
      publishableKey,
      fetch: async (input: Request | URL | string, init?: RequestInit) => {
        const token = created.customerToken;
        const response = await base(input, init);
        // A refused token (expired, revoked, signed out elsewhere): every element of the page signs out at once.
        if (response.status === 401 && token !== null && token === created.customerToken)
          for (const listener of unauthorized) listener(created);
        return response;
      },
    });
    client = created;
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
