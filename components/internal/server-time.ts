/**
 * A server clock per API origin for elements that must stay small (no SDK client, no zod): `/v1/time` is probed with a
 * plain `fetch` and the offset estimated by `createServerClock` (best round trip of five probes wins). The request
 * carries no credentials and no custom header, so it is a CORS "simple" request without a preflight that would skew
 * the first round trip. Not public API.
 */
import { createServerClock, type ServerClock } from '../../src/clock.js';
import { fetchGeneration, pageFetch } from './fetch.js';

export interface PageClock {
  /** Server time; read it only after `ready` settled (before that it would pin local time, see `ServerClock.now`). */
  readonly clock: ServerClock;
  /** Settles once the first sync finished: `true` if it succeeded, `false` if the clock fell back to local time. */
  readonly ready: Promise<boolean>;
}

const clocks = new Map<string, PageClock>();

async function probeTime(api: string, signal?: AbortSignal): Promise<number> {
  const response = await pageFetch(`${api}/v1/time`, { signal, cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const now = ((await response.json()) as { now?: unknown } | null)?.now;
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now');
  return now;
}

/** The device clock as a `ServerClock` that is never synced: offset 0, never running backwards. For static use. */
export function localClock(): ServerClock {
  return createServerClock({ probe: () => Promise.reject(new Error('no API')), localNow: () => Date.now() });
}

/** The shared clock of `api` (origin without `/v1`), synced once per page; a failed sync is retried by the next caller. */
export function pageClock(api: string): PageClock {
  const base = api.replace(/\/+$/, '');
  const id = `${fetchGeneration()}|${base}`;
  const existing = clocks.get(id);
  if (existing) return existing;
  // `localNow` is looked up at each call (not captured), so a page or test that replaces Date.now is honoured.
  const clock = createServerClock({ probe: (signal) => probeTime(base, signal), localNow: () => Date.now() });
  const ready = clock.sync().then(
    () => true,
    () => {
      clocks.delete(id);
      return false;
    },
  );
  const entry = { clock, ready };
  clocks.set(id, entry);
  return entry;
}
