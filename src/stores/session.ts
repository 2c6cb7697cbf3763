/**
 * The shopper's session on a page: who is signed in (a customer token kept per store across tabs, with its expiry),
 * and, per drop, their hold and waitlist entry restored from the server (`GET /v1/customers/me/drops/{id}`), and, per
 * rental product, their open rental orders (`GET /v1/customers/me/products/{id}/rentals`). Every element of a page
 * reads the same session, so a change made by one is seen by the others at once.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { DropSlotClient } from '../client.js';
import { AuthenticationError } from '../errors.js';
import type { RentalOrder } from '../schemas/rentals.js';
import {
  createHoldStore,
  createWaitlistStore,
  type HoldStore,
  type WaitlistStore,
  type WaitlistStoreOptions,
} from '../stores.js';

/**
 * Where a signed-in customer's token is kept: `local` (this store's pages in every tab, until the token expires or the
 * shopper signs out), `tab` (this tab only) or `none` (this page only).
 *
 * @example
 * ```ts
 * import type { SessionPersistence } from 'dropslot';
 *
 * const persist: SessionPersistence = 'tab';
 * ```
 */
export type SessionPersistence = 'local' | 'tab' | 'none';

/**
 * Options of {@link createSessionStore}.
 *
 * @example
 * ```ts
 * import type { SessionStoreOptions } from 'dropslot';
 *
 * const options: SessionStoreOptions = { persist: 'tab', storageKey: 'dropslot.session.pk_test_123' };
 * ```
 */
export interface SessionStoreOptions {
  /**
   * Where the token of {@link SessionStore.signIn} is kept.
   * @default 'local'
   */
  persist?: SessionPersistence | undefined;
  /**
   * The storage key; one per store (publishable key), so two stores on one origin keep two sessions.
   * @default 'dropslot.session'
   */
  storageKey?: string | undefined;
  /** Options of each drop's waitlist store. */
  waitlist?: WaitlistStoreOptions | undefined;
}

/**
 * A signed-in customer's token and when it lapses.
 *
 * @example
 * ```ts
 * import type { SessionToken } from 'dropslot';
 *
 * const token: SessionToken = { token: session.token, expiresAt: session.expiresAt };
 * ```
 */
export interface SessionToken {
  token: string;
  /** ISO 8601; `null` when unknown (a token given by the page). */
  expiresAt: string | null;
}

/**
 * Where restoring a drop's state from the server stands: `idle` (signed out), `loading`, `ready`, `error`.
 *
 * @example
 * ```ts
 * import type { DropSessionStatus } from 'dropslot';
 *
 * const settled = (s: DropSessionStatus) => s === 'ready' || s === 'idle';
 * ```
 */
export type DropSessionStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The signed-in customer's standing in one drop, made by {@link SessionStore.drop}: one hold store and one waitlist
 * store shared by every element of the page.
 *
 * @example
 * ```ts
 * import type { DropSession } from 'dropslot';
 *
 * const show = (drop: DropSession) => drop.hold.$hold.get().status;
 * ```
 */
export interface DropSession {
  /** The customer's hold or confirmed reservation in the drop. */
  readonly hold: HoldStore;
  /** The customer's waitlist entry in the drop. */
  readonly waitlist: WaitlistStore;
  /** Where restoring from the server stands. */
  readonly $status: ReadableAtom<DropSessionStatus>;
  /** Reads the customer's standing again (`GET /v1/customers/me/drops/{id}`) and updates both stores. */
  refresh(): Promise<void>;
}

/**
 * The signed-in customer's open rental orders of one product, made by {@link SessionStore.rentals}: orders to pay or
 * confirm, to pick up or to return, soonest pickup first, shared by every element of the page.
 *
 * @example
 * ```ts
 * import type { RentalSession } from 'dropslot';
 *
 * const due = (rentals: RentalSession) => rentals.$orders.get().find((o) => o.status === 'pending_payment');
 * ```
 */
export interface RentalSession {
  /** The open orders, soonest pickup first; empty while signed out. */
  readonly $orders: ReadableAtom<readonly RentalOrder[]>;
  /** Where restoring from the server stands. */
  readonly $status: ReadableAtom<DropSessionStatus>;
  /** Reads the customer's open orders again (`GET /v1/customers/me/products/{id}/rentals`). */
  refresh(): Promise<void>;
  /**
   * Records an order this page changed (booked, confirmed, paid, cancelled), so every element sees it at once: an open
   * order is added or replaced, a cancelled or completed one is removed.
   */
  update(order: RentalOrder): void;
}

/**
 * The shopper's session, made by {@link createSessionStore}.
 *
 * @example
 * ```ts
 * import type { SessionStore } from 'dropslot';
 *
 * const signedIn = (session: SessionStore) => session.$token.get() !== null;
 * ```
 */
export interface SessionStore {
  /** The customer token in force, or `null` when signed out. The client sends it as `X-Customer-Token`. */
  readonly $token: ReadableAtom<string | null>;
  /** Signs in with a session from `client.customers.signIn`/`signUp`, kept as the options say. */
  signIn(session: SessionToken): void;
  /** Uses a token the page gave (its own login, `POST /v1/customer-sessions`): in force, but never stored. */
  useToken(token: string | null): void;
  /** Signs out here and, with `persist: 'local'`, in every tab of the store. */
  signOut(): void;
  /** The customer's standing in a drop: the same object for the same id. Restored from the server while signed in. */
  drop(dropId: string): DropSession;
  /** The customer's open rentals of a product: the same object for the same id. Restored while signed in. */
  rentals(productId: string): RentalSession;
}

function storageOf(persist: SessionPersistence): Storage | undefined {
  try {
    return persist === 'local' ? localStorage : persist === 'tab' ? sessionStorage : undefined;
  } catch {
    return undefined; // storage blocked: the session lives as long as the page
  }
}

function parse(raw: string | null | undefined, now: number): SessionToken | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<SessionToken>;
    if (typeof value.token !== 'string') return null;
    const expiresAt = typeof value.expiresAt === 'string' ? value.expiresAt : null;
    if (expiresAt !== null && Date.parse(expiresAt) <= now) return null;
    return { token: value.token, expiresAt };
  } catch {
    return null;
  }
}

/**
 * Creates the shopper's session on `client`: restores a stored token, applies every token change to the client,
 * signs out when the token expires, follows sign-in and sign-out in other tabs (`persist: 'local'`), and keeps each
 * drop's hold and waitlist entry in step with the server.
 *
 * @example
 * ```ts
 * import { createClient, createSessionStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const session = createSessionStore(client, { storageKey: 'dropslot.session.pk_test_123' });
 * session.signIn(await client.customers.signIn({ email, password }));
 * const { hold } = session.drop(dropId);
 * hold.$hold.subscribe(({ status }) => console.log(status)); // `confirmed` after a reload, too
 * ```
 */
export function createSessionStore(client: DropSlotClient, options: SessionStoreOptions = {}): SessionStore {
  const key = options.storageKey ?? 'dropslot.session';
  const storage = storageOf(options.persist ?? 'local');
  const $token = atom<string | null>(null);
  const drops = new Map<string, DropSession & { reset(): void }>();
  const rentals = new Map<string, RentalSession & { reset(): void }>();
  let expiry: ReturnType<typeof setTimeout> | undefined;

  const apply = (value: SessionToken | null): void => {
    clearTimeout(expiry);
    if (value?.expiresAt) {
      // Server time (the client's clock once synced): a device clock that is off does not end the session early.
      const left = Date.parse(value.expiresAt) - client.clock.now();
      expiry = setTimeout(session.signOut, Math.min(Math.max(left, 0), 2 ** 31 - 1));
    }
    const token = value?.token ?? null;
    if (token === $token.get()) return;
    client.setCustomerToken(token);
    $token.set(token);
    for (const standing of [...drops.values(), ...rentals.values()]) {
      standing.reset();
      if (token) void standing.refresh();
    }
  };

  const write = (value: SessionToken | null): void => {
    try {
      if (value) storage?.setItem(key, JSON.stringify(value));
      else storage?.removeItem(key);
    } catch {
      // storage full or blocked: the session still holds in this page
    }
  };

  const session: SessionStore = {
    $token,
    signIn(value) {
      write(value);
      apply(value);
    },
    useToken(token) {
      apply(token ? { token, expiresAt: null } : null);
    },
    signOut() {
      write(null);
      apply(null);
    },
    drop(dropId) {
      let drop = drops.get(dropId);
      if (!drop) {
        drop = dropSession(client, dropId, options.waitlist ?? {}, session.signOut);
        drops.set(dropId, drop);
        if ($token.get()) void drop.refresh();
      }
      return drop;
    },
    rentals(productId) {
      let found = rentals.get(productId);
      if (!found) {
        found = rentalSession(client, productId, session.signOut);
        rentals.set(productId, found);
        if ($token.get()) void found.refresh();
      }
      return found;
    },
  };

  apply(parse(storage?.getItem(key), client.clock.now()));
  if (storage && typeof addEventListener === 'function') {
    // Another tab signed in or out: follow it.
    addEventListener('storage', (event) => {
      if (event.key === key && event.storageArea === storage)
        apply(parse(event.newValue, client.clock.now()));
    });
  }
  return session;
}

function dropSession(
  client: DropSlotClient,
  dropId: string,
  waitlistOptions: WaitlistStoreOptions,
  signOut: () => void,
): DropSession & { reset(): void } {
  const hold = createHoldStore(client);
  const waitlist = createWaitlistStore(client, waitlistOptions);
  const $status = atom<DropSessionStatus>('idle');
  let reads = 0;

  return {
    hold,
    waitlist,
    $status,
    reset() {
      reads++;
      hold.reset();
      waitlist.reset();
      $status.set('idle');
    },
    async refresh() {
      const read = ++reads;
      const holdBefore = hold.$hold.get();
      const waitlistBefore = waitlist.$waitlist.get();
      if ($status.get() !== 'ready') $status.set('loading');
      try {
        const state = await client.customers.dropState(dropId);
        if (read !== reads) return;
        $status.set('ready');
        // Promoted entries own their hold: it is shown as a promotion to claim, not as a plain hold.
        const entry = state.waitlistEntries.find((e) => e.state === 'PROMOTED') ?? state.waitlistEntries[0];
        const reservation = state.reservations.find((r) => r.id !== entry?.reservationId);
        // An action that ran meanwhile knows better than this read: leave its store alone.
        if (hold.$hold.get() === holdBefore) {
          if (reservation) hold.adopt(reservation);
          else if (holdBefore.status !== 'cancelled' && holdBefore.status !== 'expired') hold.reset();
        }
        if (waitlist.$waitlist.get() === waitlistBefore) {
          if (entry) waitlist.adopt(entry);
          else if (waitlistBefore.status === 'waiting' || waitlistBefore.status === 'promoted')
            waitlist.reset();
        }
      } catch (error) {
        if (read !== reads) return;
        $status.set('error');
        if (AuthenticationError.is(error)) signOut();
      }
    },
  };
}

const OPEN: readonly RentalOrder['status'][] = ['pending_payment', 'confirmed', 'active', 'overdue'];

function rentalSession(
  client: DropSlotClient,
  productId: string,
  signOut: () => void,
): RentalSession & { reset(): void } {
  const $orders = atom<readonly RentalOrder[]>([]);
  const $status = atom<DropSessionStatus>('idle');
  let reads = 0;

  return {
    $orders,
    $status,
    reset() {
      reads++;
      $orders.set([]);
      $status.set('idle');
    },
    async refresh() {
      const read = ++reads;
      if ($status.get() !== 'ready') $status.set('loading');
      try {
        const state = await client.customers.rentalState(productId);
        if (read !== reads) return;
        $orders.set(state.orders);
        $status.set('ready');
      } catch (error) {
        if (read !== reads) return;
        $status.set('error');
        if (AuthenticationError.is(error)) signOut();
      }
    },
    update(order) {
      if (!order.items.some((item) => item.productId === productId)) return;
      reads++; // a read still in flight knows less than this change
      const others = $orders.get().filter((o) => o.id !== order.id);
      const open = OPEN.includes(order.status) ? [order] : [];
      $orders.set(
        [...others, ...open].sort(
          (a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.id < b.id ? -1 : 1),
        ),
      );
      if ($status.get() !== 'ready') $status.set('ready');
    },
  };
}
