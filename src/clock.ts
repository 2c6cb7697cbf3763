/**
 * Server time for countdowns and hold expiry: an offset estimated from several `/time` probes
 * (the probe with the shortest round trip wins), applied to the local clock, never running backwards.
 */

/**
 * One `/time` probe: local time when the request left (`t0`) and when the answer arrived (`t1`),
 * and the server's epoch ms in the answer.
 *
 * @example
 * ```ts
 * import type { ClockProbe } from 'dropslot';
 *
 * const probe: ClockProbe = { t0: 1000, t1: 1060, serverNow: 5030 };
 * ```
 */
export interface ClockProbe {
  /** Local epoch ms just before the request was sent. */
  t0: number;
  /** Local epoch ms just after the response arrived. */
  t1: number;
  /** The server's epoch ms from the response. */
  serverNow: number;
}

/**
 * The result of {@link estimateOffset}.
 *
 * @example
 * ```ts
 * import { estimateOffset, type OffsetEstimate } from 'dropslot';
 *
 * const { offset, rtt }: OffsetEstimate = estimateOffset([{ t0: 0, t1: 40, serverNow: 1020 }]);
 * ```
 */
export interface OffsetEstimate {
  /** Milliseconds to add to the local clock to get server time. */
  offset: number;
  /** Round trip of the probe the estimate came from, in ms. */
  rtt: number;
}

/**
 * Estimates the clock offset from probes: takes the probe with the lowest round trip (`t1 − t0`; the earliest wins a tie)
 * and assumes the server read its clock halfway: `offset = serverNow − (t0 + t1) / 2`. Its error is at most `rtt / 2`.
 * Throws a `RangeError` when given no probes.
 *
 * @example
 * ```ts
 * import { estimateOffset } from 'dropslot';
 *
 * estimateOffset([
 *   { t0: 0, t1: 200, serverNow: 5_150 },
 *   { t0: 300, t1: 340, serverNow: 5_320 },
 * ]); // → { offset: 5_000, rtt: 40 }
 * ```
 */
export function estimateOffset(probes: readonly ClockProbe[]): OffsetEstimate {
  let best: ClockProbe | undefined;
  for (const p of probes) {
    if (best === undefined || p.t1 - p.t0 < best.t1 - best.t0) best = p;
  }
  if (best === undefined) throw new RangeError('estimateOffset needs at least one probe');
  return { offset: best.serverNow - (best.t0 + best.t1) / 2, rtt: best.t1 - best.t0 };
}

/**
 * Options of {@link createServerClock}.
 *
 * @example
 * ```ts
 * import { createServerClock, type ServerClockOptions } from 'dropslot';
 *
 * const options: ServerClockOptions = { probe: async () => (await fetch('/v1/time').then((r) => r.json())).now, samples: 7 };
 * const clock = createServerClock(options);
 * ```
 */
export interface ServerClockOptions {
  /** Reads the server's epoch ms once (a `/time` request). */
  probe: (signal?: AbortSignal) => Promise<number>;
  /**
   * Probes per {@link ServerClock.sync}.
   * @default 5
   */
  samples?: number | undefined;
  /**
   * The local clock, epoch ms.
   * @default Date.now
   */
  localNow?: (() => number) | undefined;
}

/**
 * A clock that reads server time. Before the first {@link ServerClock.sync} it reads the local clock (offset 0).
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * await client.clock.sync();
 * const msToOpen = Date.parse(drop.startsAt) - client.clock.now();
 * ```
 */
export interface ServerClock {
  /**
   * Server time in epoch ms: local time plus the offset. Monotonic once synced: never less than a value it returned
   * since the first sync, even after a later sync lowers the offset (it then holds still until real time catches up).
   */
  now(): number;
  /** The current estimate of server time minus local time, in ms (0 before the first sync). */
  readonly offset: number;
  /** Round trip of the probe behind the current offset, in ms; `undefined` before the first sync. */
  readonly rtt: number | undefined;
  /** Whether a sync has succeeded. */
  readonly synced: boolean;
  /**
   * Probes the server `samples` times, one after another, and adopts the estimate of the fastest probe.
   * Concurrent calls share one run. Failed probes are skipped; if all fail, the last error is thrown and the
   * offset is unchanged. Resolves to the new offset.
   */
  sync(options?: { signal?: AbortSignal | undefined }): Promise<number>;
}

/**
 * Creates a {@link ServerClock} from a probe function. {@link createClient} already makes one as `client.clock`;
 * use this for a custom transport or in tests.
 *
 * @example
 * ```ts
 * import { createServerClock } from 'dropslot';
 *
 * const clock = createServerClock({ probe: async () => (await fetch('/v1/time').then((r) => r.json())).now });
 * await clock.sync();
 * console.log(new Date(clock.now()).toISOString());
 * ```
 */
export function createServerClock(options: ServerClockOptions): ServerClock {
  const localNow = options.localNow ?? Date.now;
  const samples = Math.max(1, options.samples ?? 5);
  let offset = 0;
  let rtt: number | undefined;
  let last = Number.NEGATIVE_INFINITY;
  let running: Promise<number> | undefined;

  async function run(signal: AbortSignal | undefined): Promise<number> {
    const probes: ClockProbe[] = [];
    let lastError: unknown;
    for (let i = 0; i < samples; i++) {
      signal?.throwIfAborted();
      const t0 = localNow();
      try {
        const serverNow = await options.probe(signal);
        probes.push({ t0, t1: localNow(), serverNow });
      } catch (e) {
        if (signal?.aborted) throw e;
        lastError = e;
      }
    }
    if (probes.length === 0) throw lastError;
    const estimate = estimateOffset(probes);
    // Readings before the first sync were the device's own clock, not server time: they set no floor, or a device
    // clock running ahead would freeze the clock until real time caught up.
    if (rtt === undefined) last = Number.NEGATIVE_INFINITY;
    offset = estimate.offset;
    rtt = estimate.rtt;
    return offset;
  }

  return {
    now() {
      const t = localNow() + offset;
      if (t > last) last = t;
      return last;
    },
    get offset() {
      return offset;
    },
    get rtt() {
      return rtt;
    },
    get synced() {
      return rtt !== undefined;
    },
    sync(opts = {}) {
      running ??= run(opts.signal).finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
