/**
 * Nano Stores for the elements: a ticking server-time store, and factories for a drop kept live from its stream,
 * the current hold and a waitlist entry. The logic lives here; elements only render these stores.
 */
import { atom, onMount, task, type ReadableAtom, type WritableAtom } from 'nanostores';
import type { DropSlotClient } from './client.js';
import type { ServerClock } from './clock.js';
import { ConflictError, DropSlotError, isDropSlotError } from './errors.js';
import { subscribeDrop, type LiveStatus, type SubscribeOptions } from './live.js';
import type { Drop } from './schemas/drops.js';
import type { Reservation, ReservationCreate } from './schemas/reservations.js';
import type { Slot } from './schemas/slots.js';
import type { WaitlistEntry, WaitlistJoin } from './schemas/waitlist.js';

// ---------------------------------------------------------------------------------------------------------------------
// Time

/** The smallest clock the time stores need. {@link ServerClock} is one. */
type NowSource = Pick<ServerClock, 'now'> & Partial<Pick<ServerClock, 'sync' | 'synced'>>;

const localClock: NowSource = { now: () => Date.now() };
let pageClock: NowSource = localClock;

/**
 * Options of {@link createNowStore}.
 *
 * @example
 * ```ts
 * import type { NowStoreOptions } from 'dropslot';
 *
 * const options: NowStoreOptions = { interval: 250 };
 * ```
 */
export interface NowStoreOptions {
  /**
   * Milliseconds between ticks. Ticks are aligned to multiples of the interval in server time, so every page
   * flips its countdown at the same instant.
   * @default 1000
   */
  interval?: number | undefined;
}

function nowStore(source: () => NowSource, options: NowStoreOptions): ReadableAtom<number> {
  const interval = Math.max(1, options.interval ?? 1000);
  const $store = atom(source().now());
  onMount($store, () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    const tick = (): void => {
      const now = source().now();
      $store.set(now);
      timer = setTimeout(tick, interval - (now % interval));
    };
    tick();
    const clock = source();
    if (clock.synced === false && clock.sync) {
      // Adopt server time as soon as it is known; until then the local clock keeps things moving.
      clock.sync().then(
        () => {
          if (active) $store.set(source().now());
        },
        () => undefined,
      );
    }
    return () => {
      active = false;
      clearTimeout(timer);
    };
  });
  return $store;
}

/**
 * Creates a store of the current time of `clock` (epoch ms) that ticks while it has listeners and stops when it has none.
 * Mounting it syncs an unsynced {@link ServerClock} once.
 *
 * @example
 * ```ts
 * import { createClient, createNowStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const $fastNow = createNowStore(client.clock, { interval: 100 });
 * $fastNow.subscribe((now) => console.log(now));
 * ```
 */
export function createNowStore(clock: ServerClock, options: NowStoreOptions = {}): ReadableAtom<number> {
  return nowStore(() => clock, options);
}

/**
 * Server time in epoch ms, ticking once a second (on the second) while mounted: the store countdowns render.
 * It reads the clock given to {@link setNowClock} (usually `client.clock`), or the local clock until one is set.
 *
 * @example
 * ```ts
 * import { $now, createClient, setNowClock } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * setNowClock(client.clock);
 * $now.subscribe((now) => render(Date.parse(drop.startsAt) - now));
 * ```
 */
export const $now: ReadableAtom<number> = nowStore(() => pageClock, {});

/**
 * Sets the clock {@link $now} reads: call it once per page with `client.clock`. `null` returns to the local clock.
 *
 * @example
 * ```ts
 * import { createClient, setNowClock } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * setNowClock(client.clock);
 * ```
 */
export function setNowClock(clock: ServerClock | null): void {
  pageClock = clock ?? localClock;
}

/** Runs `start` when the first store of the group is mounted, and its cleanup when the last one is unmounted. */
function mountGroup(stores: readonly ReadableAtom<unknown>[], start: () => () => void): void {
  let mounted = 0;
  let stop: (() => void) | undefined;
  for (const $store of stores) {
    onMount($store, () => {
      if (mounted++ === 0) stop = start();
      return () => {
        if (--mounted === 0) {
          stop?.();
          stop = undefined;
        }
      };
    });
  }
}

/** Calls `fn` at server time `at` (epoch ms) by `clock`, re-checking on wake-up since timers drift. */
function atServerTime(clock: ServerClock, at: number, fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = (): void => {
    const left = at - clock.now();
    if (left <= 0) fn();
    else timer = setTimeout(check, Math.min(left, 2 ** 31 - 1));
  };
  check();
  return () => clearTimeout(timer);
}

/** Keeps DropSlot errors in the store; anything else is a bug and is rethrown. */
function asError(e: unknown): DropSlotError {
  if (isDropSlotError(e)) return e;
  throw e;
}

// ---------------------------------------------------------------------------------------------------------------------
// Drop

/**
 * The stores of one drop, made by {@link createDropStore}. Mounting any of them opens the drop's live stream;
 * it closes when none has listeners.
 *
 * @example
 * ```ts
 * import { createClient, createDropStore, type DropStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const { $drop, $slots, $connection }: DropStore = createDropStore(client, dropId);
 * ```
 */
export interface DropStore {
  /** The drop, `null` until the first snapshot. Its `phase` and capacity totals follow the stream. */
  readonly $drop: ReadableAtom<Drop | null>;
  /** The drop's slots by start time: replaced by each snapshot, patched by each slot event. Empty until the first snapshot. */
  readonly $slots: ReadableAtom<Slot[]>;
  /** The live stream's status; `closed` while nothing listens. */
  readonly $connection: ReadableAtom<LiveStatus>;
  /** The last stream error (cleared by the next snapshot), for an "offline, retrying" state. */
  readonly $error: ReadableAtom<DropSlotError | null>;
}

/**
 * Creates the live stores of a drop: `$drop` and `$slots` kept current from `GET /v1/drops/{id}/stream` (a snapshot
 * replaces them, slot events patch one slot and the drop's totals, phase events set `phase`), and `$connection`.
 *
 * @example
 * ```ts
 * import { createClient, createDropStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const { $slots, $connection } = createDropStore(client, dropId);
 * const off = $slots.subscribe((slots) => render(slots, $connection.get()));
 * ```
 */
export function createDropStore(
  client: DropSlotClient,
  dropId: string,
  options: Omit<SubscribeOptions, 'signal'> = {},
): DropStore {
  const $drop = atom<Drop | null>(null);
  const $slots = atom<Slot[]>([]);
  const $connection = atom<LiveStatus>('closed');
  const $error = atom<DropSlotError | null>(null);

  mountGroup([$drop, $slots, $connection, $error], () =>
    subscribeDrop(
      client,
      dropId,
      {
        onSnapshot({ drop, slots }) {
          $drop.set(drop);
          $slots.set(slots);
          $error.set(null);
        },
        onSlot(e) {
          if (e.dropId !== dropId) return;
          const current = $slots.get();
          const old = current.find((s) => s.id === e.slotId);
          if (old === undefined) return; // a slot the snapshot did not know; the next snapshot brings it
          const next: Slot = {
            ...old,
            capacityTotal: e.capacityTotal,
            capacityReserved: e.capacityReserved,
            capacityRemaining: e.capacityRemaining,
            waitlistCount: e.waitlistCount,
          };
          $slots.set(current.map((s) => (s === old ? next : s)));
          const drop = $drop.get();
          if (drop !== null) {
            $drop.set({
              ...drop,
              capacityTotal: drop.capacityTotal + next.capacityTotal - old.capacityTotal,
              capacityRemaining: drop.capacityRemaining + next.capacityRemaining - old.capacityRemaining,
            });
          }
        },
        onPhase(e) {
          const drop = $drop.get();
          if (e.dropId === dropId && drop !== null) $drop.set({ ...drop, phase: e.phase });
        },
        onStatus(status) {
          $connection.set(status);
        },
        onError(error) {
          $error.set(error);
        },
      },
      options,
    ),
  );
  return { $drop, $slots, $connection, $error };
}

// ---------------------------------------------------------------------------------------------------------------------
// Hold

/**
 * Where the current hold stands: `idle` (none), `reserving`, `held` (PENDING, timer running), `confirming`,
 * `confirmed` (also after check-in), `cancelling`, `cancelled`, `expired` (by server time, or as the server said),
 * `error` (the reserve failed; see `error`).
 *
 * @example
 * ```ts
 * import type { HoldStatus } from 'dropslot';
 *
 * const busy = (s: HoldStatus) => s === 'reserving' || s === 'confirming' || s === 'cancelling';
 * ```
 */
export type HoldStatus =
  | 'idle'
  | 'reserving'
  | 'held'
  | 'confirming'
  | 'confirmed'
  | 'cancelling'
  | 'cancelled'
  | 'expired'
  | 'error';

/**
 * The value of {@link HoldStore.$hold}.
 *
 * @example
 * ```ts
 * import type { HoldState } from 'dropslot';
 *
 * const label = (h: HoldState) => (h.status === 'held' ? `Held until ${h.reservation?.expiresAt}` : h.status);
 * ```
 */
export interface HoldState {
  /** Where the hold stands. */
  status: HoldStatus;
  /** The reservation as last seen, `null` when idle or when the reserve failed. */
  reservation: Reservation | null;
  /** The last failure; set with `error` (reserve failed) or alongside `held` (confirm or cancel failed, hold kept). */
  error: DropSlotError | null;
}

/**
 * The current hold of a shopper, made by {@link createHoldStore}. Actions never reject on API errors: they put them in
 * the store and resolve to the new state.
 *
 * @example
 * ```ts
 * import { createClient, createHoldStore, type HoldStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const hold: HoldStore = createHoldStore(client);
 * await hold.reserve(slotId);
 * ```
 */
export interface HoldStore {
  /** The hold's state. While mounted, a `held` hold turns `expired` at its `expiresAt` on server time. */
  readonly $hold: ReadableAtom<HoldState>;
  /** Takes a hold on a slot (`POST /v1/reservations`). */
  reserve(slotId: string, extra?: Omit<ReservationCreate, 'slotId'>): Promise<HoldState>;
  /** Confirms the held reservation; `expired` if its time is up (by server time, or 409 `hold_expired`). */
  confirm(): Promise<HoldState>;
  /** Cancels the held or confirmed reservation, releasing the place. */
  cancel(): Promise<HoldState>;
  /** Tracks an existing reservation (for example the hold of a promoted waitlist entry). */
  adopt(reservation: Reservation): void;
  /** Forgets the hold (back to `idle`) without calling the API. */
  reset(): void;
}

function statusOf(reservation: Reservation): HoldStatus {
  switch (reservation.state) {
    case 'PENDING':
      return 'held';
    case 'CONFIRMED':
    case 'CHECKED_IN':
      return 'confirmed';
    case 'CANCELLED':
      return 'cancelled';
    case 'EXPIRED':
      return 'expired';
  }
}

/**
 * Creates a store for the shopper's current hold: reserve, confirm, cancel, and expiry by server time
 * (`client.clock`, synced on first use).
 *
 * @example
 * ```ts
 * import { createClient, createHoldStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const hold = createHoldStore(client);
 * hold.$hold.subscribe(({ status }) => console.log(status));
 * const { status } = await hold.reserve(slotId);
 * if (status === 'held') await hold.confirm();
 * ```
 */
export function createHoldStore(client: DropSlotClient): HoldStore {
  const idle: HoldState = { status: 'idle', reservation: null, error: null };
  const $hold: WritableAtom<HoldState> = atom(idle);
  let generation = 0;
  let mounted = false;
  let cancelTimer: (() => void) | undefined;

  const isPastExpiry = (r: Reservation): boolean =>
    r.state === 'PENDING' && r.expiresAt !== null && client.clock.now() >= Date.parse(r.expiresAt);

  const schedule = (): void => {
    cancelTimer?.();
    cancelTimer = undefined;
    const { status, reservation } = $hold.get();
    if (!mounted || status !== 'held' || reservation?.expiresAt == null) return;
    const gen = generation;
    cancelTimer = atServerTime(client.clock, Date.parse(reservation.expiresAt), () => {
      if (gen === generation && $hold.get().status === 'held') {
        $hold.set({ status: 'expired', reservation, error: null });
      }
    });
  };

  const set = (state: HoldState): HoldState => {
    $hold.set(state);
    schedule();
    return state;
  };

  const adopt = (reservation: Reservation): void => {
    generation++;
    set({ status: isPastExpiry(reservation) ? 'expired' : statusOf(reservation), reservation, error: null });
  };

  onMount($hold, () => {
    mounted = true;
    if (!client.clock.synced) client.clock.sync().then(schedule, () => undefined);
    schedule();
    return () => {
      mounted = false;
      cancelTimer?.();
      cancelTimer = undefined;
    };
  });

  /** Runs an API action as a nano-stores task; drops its result if the hold changed meanwhile. */
  const act = (
    busy: HoldState,
    call: () => Promise<Reservation>,
    onError: (error: DropSlotError) => HoldState,
  ): Promise<HoldState> => {
    const gen = ++generation;
    set(busy);
    return task(async () => {
      try {
        const reservation = await call();
        if (gen !== generation) return $hold.get();
        return set({ status: statusOf(reservation), reservation, error: null });
      } catch (e) {
        const error = asError(e);
        if (gen !== generation) return $hold.get();
        return set(onError(error));
      }
    });
  };

  return {
    $hold,
    reserve(slotId, extra = {}) {
      return act(
        { status: 'reserving', reservation: null, error: null },
        () => client.reservations.create({ ...extra, slotId }),
        (error) => ({ status: 'error', reservation: null, error }),
      );
    },
    confirm() {
      const { status, reservation } = $hold.get();
      if (status !== 'held' || reservation === null) return Promise.resolve($hold.get());
      if (isPastExpiry(reservation))
        return Promise.resolve(set({ status: 'expired', reservation, error: null }));
      return act(
        { status: 'confirming', reservation, error: null },
        () => client.reservations.confirm(reservation.id),
        (error) =>
          ConflictError.is(error) && error.code === 'hold_expired'
            ? { status: 'expired', reservation, error }
            : { status: 'held', reservation, error },
      );
    },
    cancel() {
      const { status, reservation } = $hold.get();
      if ((status !== 'held' && status !== 'confirmed') || reservation === null)
        return Promise.resolve($hold.get());
      return act(
        { status: 'cancelling', reservation, error: null },
        () => client.reservations.cancel(reservation.id),
        (error) => ({ status, reservation, error }),
      );
    },
    adopt,
    reset() {
      generation++;
      set(idle);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Waitlist

/**
 * Where the shopper's waitlist entry stands: `idle` (none), `joining`, `waiting` (see `entry.position`), `promoted`
 * (a hold was made; claim it before `entry.claimDeadline`), `claiming`, `claimed`, `leaving`, `left`, `expired`
 * (the claim deadline passed), `error` (joining failed).
 *
 * @example
 * ```ts
 * import type { WaitlistStatus } from 'dropslot';
 *
 * const mustAct = (s: WaitlistStatus) => s === 'promoted';
 * ```
 */
export type WaitlistStatus =
  | 'idle'
  | 'joining'
  | 'waiting'
  | 'promoted'
  | 'claiming'
  | 'claimed'
  | 'leaving'
  | 'left'
  | 'expired'
  | 'error';

/**
 * The value of {@link WaitlistStore.$waitlist}.
 *
 * @example
 * ```ts
 * import type { WaitlistStoreState } from 'dropslot';
 *
 * const label = (w: WaitlistStoreState) => (w.status === 'waiting' ? `#${w.entry?.position}` : w.status);
 * ```
 */
export interface WaitlistStoreState {
  /** Where the entry stands. */
  status: WaitlistStatus;
  /** The entry as last seen. */
  entry: WaitlistEntry | null;
  /** The confirmed reservation, once a promotion was claimed. */
  reservation: Reservation | null;
  /** The last failure; with `error` if joining failed, else alongside the unchanged status. */
  error: DropSlotError | null;
}

/**
 * Options of {@link createWaitlistStore}.
 *
 * @example
 * ```ts
 * import type { WaitlistStoreOptions } from 'dropslot';
 *
 * const options: WaitlistStoreOptions = { pollInterval: 5_000 };
 * ```
 */
export interface WaitlistStoreOptions {
  /**
   * Milliseconds between refreshes of a `waiting` or `promoted` entry while the store is mounted; `0` turns polling off.
   * @default 15000
   */
  pollInterval?: number | undefined;
}

/**
 * The shopper's place in a waitlist, made by {@link createWaitlistStore}. Actions never reject on API errors: they put
 * them in the store and resolve to the new state.
 *
 * @example
 * ```ts
 * import { createClient, createWaitlistStore, type WaitlistStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const waitlist: WaitlistStore = createWaitlistStore(client);
 * await waitlist.join(slotId);
 * ```
 */
export interface WaitlistStore {
  /** The entry's state. While mounted it refreshes every `pollInterval`, and a promotion turns `expired` at its claim deadline. */
  readonly $waitlist: ReadableAtom<WaitlistStoreState>;
  /** Joins a full slot's waitlist (`POST /v1/slots/{slotId}/waitlist`). */
  join(slotId: string, body?: WaitlistJoin): Promise<WaitlistStoreState>;
  /** Leaves the waitlist (`DELETE /v1/waitlist/{id}`). */
  leave(): Promise<WaitlistStoreState>;
  /** Re-reads the entry (`GET /v1/waitlist/{id}`): new position, or promotion. */
  refresh(): Promise<WaitlistStoreState>;
  /** Claims a promotion by confirming its hold (`POST /v1/reservations/{id}/confirm`). */
  claim(): Promise<WaitlistStoreState>;
  /** Tracks an existing entry. */
  adopt(entry: WaitlistEntry): void;
  /** Forgets the entry (back to `idle`) without calling the API. */
  reset(): void;
}

function waitlistStatusOf(entry: WaitlistEntry): WaitlistStatus {
  switch (entry.state) {
    case 'WAITING':
      return 'waiting';
    case 'PROMOTED':
      return 'promoted';
    case 'CLAIMED':
      return 'claimed';
    case 'LEFT':
      return 'left';
    case 'EXPIRED':
      return 'expired';
  }
}

/**
 * Creates a store for the shopper's waitlist entry: join, leave, position refresh, and the promoted state with its
 * claim deadline (on server time).
 *
 * @example
 * ```ts
 * import { createClient, createWaitlistStore } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const waitlist = createWaitlistStore(client);
 * waitlist.$waitlist.subscribe(({ status, entry }) => {
 *   if (status === 'promoted') showClaimButton(entry?.claimDeadline);
 * });
 * await waitlist.join(slotId);
 * ```
 */
export function createWaitlistStore(
  client: DropSlotClient,
  options: WaitlistStoreOptions = {},
): WaitlistStore {
  const pollInterval = options.pollInterval ?? 15_000;
  const idle: WaitlistStoreState = { status: 'idle', entry: null, reservation: null, error: null };
  const $waitlist: WritableAtom<WaitlistStoreState> = atom(idle);
  let generation = 0;
  let mounted = false;
  let stopTimers: (() => void) | undefined;

  const deadlinePassed = (entry: WaitlistEntry): boolean =>
    entry.state === 'PROMOTED' &&
    entry.claimDeadline !== null &&
    client.clock.now() >= Date.parse(entry.claimDeadline);

  const fromEntry = (entry: WaitlistEntry, reservation: Reservation | null = null): WaitlistStoreState => ({
    status: deadlinePassed(entry) ? 'expired' : waitlistStatusOf(entry),
    entry,
    reservation,
    error: null,
  });

  const schedule = (): void => {
    stopTimers?.();
    stopTimers = undefined;
    const { status, entry } = $waitlist.get();
    if (!mounted || entry === null || (status !== 'waiting' && status !== 'promoted')) return;
    const gen = generation;
    const stops: (() => void)[] = [];
    if (pollInterval > 0) {
      const poll = setTimeout(() => void refresh(), pollInterval);
      stops.push(() => clearTimeout(poll));
    }
    if (status === 'promoted' && entry.claimDeadline !== null) {
      stops.push(
        atServerTime(client.clock, Date.parse(entry.claimDeadline), () => {
          if (gen === generation && $waitlist.get().status === 'promoted')
            set({ ...$waitlist.get(), status: 'expired' });
        }),
      );
    }
    stopTimers = () => {
      for (const stop of stops) stop();
    };
  };

  const set = (state: WaitlistStoreState): WaitlistStoreState => {
    $waitlist.set(state);
    schedule();
    return state;
  };

  onMount($waitlist, () => {
    mounted = true;
    if (!client.clock.synced) client.clock.sync().then(schedule, () => undefined);
    schedule();
    return () => {
      mounted = false;
      stopTimers?.();
      stopTimers = undefined;
    };
  });

  /** Runs an API action as a nano-stores task; drops its result if the entry changed meanwhile. */
  const act = <T>(
    busy: WaitlistStoreState | null,
    call: () => Promise<T>,
    done: (result: T) => WaitlistStoreState,
    failed: (error: DropSlotError) => WaitlistStoreState,
  ): Promise<WaitlistStoreState> => {
    const gen = busy === null ? generation : ++generation;
    if (busy !== null) set(busy);
    return task(async () => {
      try {
        const result = await call();
        return gen === generation ? set(done(result)) : $waitlist.get();
      } catch (e) {
        const error = asError(e);
        return gen === generation ? set(failed(error)) : $waitlist.get();
      }
    });
  };

  function refresh(): Promise<WaitlistStoreState> {
    const before = $waitlist.get();
    const { entry } = before;
    if (entry === null) return Promise.resolve(before);
    return act(
      null,
      () => client.waitlist.retrieve(entry.id),
      (fresh) => fromEntry(fresh, $waitlist.get().reservation),
      (error) => ({ ...$waitlist.get(), error }),
    );
  }

  return {
    $waitlist,
    join(slotId, body) {
      return act(
        { ...idle, status: 'joining' },
        () => client.waitlist.join(slotId, body),
        (entry) => fromEntry(entry),
        (error) => ({ ...idle, status: 'error', error }),
      );
    },
    leave() {
      const before = $waitlist.get();
      const { entry } = before;
      if (entry === null || (before.status !== 'waiting' && before.status !== 'promoted'))
        return Promise.resolve(before);
      return act(
        { ...before, status: 'leaving', error: null },
        () => client.waitlist.leave(entry.id),
        (left) => fromEntry(left),
        (error) => ({ ...before, error }),
      );
    },
    refresh,
    claim() {
      const before = $waitlist.get();
      const { entry } = before;
      if (before.status !== 'promoted' || entry === null || entry.reservationId === null)
        return Promise.resolve(before);
      if (deadlinePassed(entry)) return Promise.resolve(set({ ...before, status: 'expired' }));
      const reservationId = entry.reservationId;
      return act(
        { ...before, status: 'claiming', error: null },
        () => client.reservations.confirm(reservationId),
        (reservation) => ({
          status: 'claimed',
          entry: { ...entry, state: 'CLAIMED' },
          reservation,
          error: null,
        }),
        (error) =>
          ConflictError.is(error) && error.code === 'hold_expired'
            ? { ...before, status: 'expired', error }
            : { ...before, error },
      );
    },
    adopt(entry) {
      generation++;
      set(fromEntry(entry));
    },
    reset() {
      generation++;
      set(idle);
    },
  };
}
