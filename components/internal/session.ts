/**
 * The page-wide shopper session of the elements: one `createSessionStore` per (API, publishable key), shared by every
 * element of the page, with its token kept as the page configuration's `session` says (`local` by default, `tab`,
 * `none`). A 401 on a request that carried the token signs the page out. Not public API.
 */
import type { DropSlotClient } from '../../src/client.js';
import type { SessionPersistence, SessionStore } from '../../src/stores/session.js';
import { createSessionStore } from '../../src/stores/session.js';
import { $config } from './config.js';
import { onUnauthorized, sharedClient } from './client.js';

const sessions = new WeakMap<DropSlotClient, SessionStore>();
const persistence: readonly string[] = ['local', 'tab', 'none'];

/** Milliseconds between refreshes of a waiting waitlist entry (the slot's stream also triggers one on every change). */
const WAITLIST_POLL_MS = 10_000;

onUnauthorized((client) => sessions.get(client)?.signOut());

/** The page's session for this API and key (made on first use; a new client, as in tests, gets a new session). */
export function pageSession(api: string, publishableKey: string): SessionStore {
  const client = sharedClient(api, publishableKey);
  let session = sessions.get(client);
  if (!session) {
    const wanted = $config.get().session ?? 'local';
    session = createSessionStore(client, {
      persist: (persistence.includes(wanted) ? wanted : 'local') as SessionPersistence,
      storageKey: `dropslot.session.${publishableKey}`,
      waitlist: { pollInterval: WAITLIST_POLL_MS },
    });
    sessions.set(client, session);
  }
  return session;
}
