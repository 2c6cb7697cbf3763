/**
 * Live updates: every process LISTENs on one channel; slot and drop changes committed by any process reach the
 * stream subscribers of this one. The same notices keep the "known full" cache that lets sold-out reserves be
 * refused without a database round trip.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import {
  LiveNotice,
  type DropPhase,
  type DropPhaseEvent,
  type SlotCapacityEvent,
} from '../../src/schemas/index.js';
import type { Clock } from './clock.js';
import { EVENTS_CHANNEL, type DatabaseHandle } from './db/index.js';
import type { CapacityCache } from './domain/reservations.js';
import { phaseOf } from './domain/drops.js';
import type { AuthNotice } from './http/revocation.js';

/** One connected stream: receives ready-made SSE frames, encoded once for every subscriber. */
export interface Subscriber {
  send(frame: Uint8Array): void;
  /** Called when the drop itself changed; the stream answers with a fresh snapshot. */
  resync(): void;
  /** Ends the stream (the process is draining); `frame` tells the client when to reconnect. */
  close(frame: Uint8Array): void;
}

interface DropWatch {
  subscribers: Set<Subscriber>;
  startsAt: number;
  endsAt: number;
  phase: DropPhase;
}

interface FullEntry {
  storeId: string;
  dropId: string;
  startsAt: Date;
  endsAt: Date;
  waitlistCount: number;
  until: number;
}

const encoder = new TextEncoder();

/** How long a "full" mark is trusted without hearing about the slot again. */
const FULL_TTL_MS = 5_000;

export class LiveHub implements CapacityCache {
  readonly #drops = new Map<string, DropWatch>();
  readonly #full = new Map<string, FullEntry>();
  readonly #bootId = randomBytes(4).toString('hex');
  #seq = 0;
  #unlisten?: () => Promise<void>;
  #ticker?: ReturnType<typeof setInterval>;
  /** Receives the access notices (disabled customers, revoked keys, removed roles) heard on the same channel. */
  onAuthNotice?: (notice: AuthNotice) => void;

  constructor(private readonly clock: Clock) {}

  /** Hears the LISTEN connection go and come back (logs, readiness). */
  onListenStatus?: (listening: boolean, error?: unknown) => void;

  async start(handle: DatabaseHandle): Promise<void> {
    this.#unlisten = await handle.listen(
      EVENTS_CHANNEL,
      (payload) => this.#onNotice(payload),
      (listening, error) => {
        this.onListenStatus?.(listening, error);
        if (!listening) return;
        // Notices sent while the connection was away are lost: every stream answers with a fresh snapshot, and
        // "known full" marks are dropped (a place may have been freed meanwhile).
        this.#full.clear();
        for (const watch of this.#drops.values())
          for (const subscriber of watch.subscribers) subscriber.resync();
      },
    );
    this.#ticker = setInterval(() => this.tickPhases(), 250);
    this.#ticker.unref();
  }

  async stop(): Promise<void> {
    if (this.#ticker) clearInterval(this.#ticker);
    await this.#unlisten?.();
    for (const watch of this.#drops.values()) watch.subscribers.clear();
    this.#drops.clear();
  }

  /** An SSE frame with a fresh id (`<boot>-<n>`: ids of one process are increasing). */
  frame(event: string, data: unknown): string {
    return `id: ${this.#bootId}-${++this.#seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  subscribe(dropId: string, window: { startsAt: Date; endsAt: Date }, subscriber: Subscriber): () => void {
    let watch = this.#drops.get(dropId);
    if (!watch) {
      const startsAt = window.startsAt.getTime();
      const endsAt = window.endsAt.getTime();
      watch = {
        subscribers: new Set(),
        startsAt,
        endsAt,
        phase: phaseOf(window.startsAt, window.endsAt, this.clock.now()),
      };
      this.#drops.set(dropId, watch);
    }
    watch.subscribers.add(subscriber);
    let subscribed = true;
    return () => {
      // Idempotent, and never removes a newer watch of the same drop: a stream's late second unsubscribe (after its
      // heartbeat sleep) must not orphan the subscribers who connected since.
      if (!subscribed) return;
      subscribed = false;
      watch.subscribers.delete(subscriber);
      if (watch.subscribers.size === 0 && this.#drops.get(dropId) === watch) this.#drops.delete(dropId);
    };
  }

  /**
   * Ends every stream with a `retry:` hint (the process is draining): clients reconnect after `retryMs`, to another
   * process, and get a fresh snapshot there.
   */
  closeAll(retryMs = 1_000): void {
    const frame = encoder.encode(`retry: ${retryMs}\n\n`);
    for (const watch of [...this.#drops.values()]) {
      for (const subscriber of [...watch.subscribers]) subscriber.close(frame);
    }
  }

  subscriberCount(dropId?: string): number {
    if (dropId) return this.#drops.get(dropId)?.subscribers.size ?? 0;
    let n = 0;
    for (const watch of this.#drops.values()) n += watch.subscribers.size;
    return n;
  }

  /** Sends `phase` events to drops whose phase changed on server time. */
  tickPhases(): void {
    const now = this.clock.now();
    for (const [dropId, watch] of this.#drops) {
      const phase = phaseOf(new Date(watch.startsAt), new Date(watch.endsAt), now);
      if (phase === watch.phase) continue;
      watch.phase = phase;
      const at = new Date(phase === 'live' ? watch.startsAt : watch.endsAt).toISOString();
      this.#broadcast(watch, this.frame('phase', { dropId, phase, at } satisfies DropPhaseEvent));
    }
  }

  #broadcast(watch: DropWatch, frame: string): void {
    const bytes = encoder.encode(frame);
    for (const subscriber of watch.subscribers) subscriber.send(bytes);
  }

  #onNotice(payload: string): void {
    let json: unknown;
    try {
      json = JSON.parse(payload);
    } catch {
      return;
    }
    // The one schema of the channel's payload (src/schemas/stream.ts); anything else on the channel is ignored.
    const parsed = z.safeParse(LiveNotice, json);
    if (!parsed.success) return;
    const notice = parsed.data;
    if (notice.t === 'user' || notice.t === 'key' || notice.t === 'roles') {
      this.onAuthNotice?.(notice);
      return;
    }
    if (notice.t === 'slot') {
      const full = this.#full.get(notice.slotId);
      if (notice.reserved < notice.total) this.#full.delete(notice.slotId);
      else if (full) Object.assign(full, { waitlistCount: notice.waitlist, until: Date.now() + FULL_TTL_MS });
      else if (notice.startsAt && notice.endsAt) {
        this.markFull(notice.slotId, {
          storeId: notice.storeId,
          dropId: notice.dropId,
          startsAt: new Date(notice.startsAt),
          endsAt: new Date(notice.endsAt),
          waitlistCount: notice.waitlist,
        });
      }
      const watch = this.#drops.get(notice.dropId);
      if (watch) {
        this.#broadcast(
          watch,
          this.frame('slot', {
            dropId: notice.dropId,
            slotId: notice.slotId,
            capacityTotal: notice.total,
            capacityReserved: notice.reserved,
            capacityRemaining: notice.total - notice.reserved,
            waitlistCount: notice.waitlist,
          } satisfies SlotCapacityEvent),
        );
      }
    } else if (notice.t === 'drop') {
      for (const [slotId, entry] of this.#full) if (entry.dropId === notice.dropId) this.#full.delete(slotId);
      const watch = this.#drops.get(notice.dropId);
      if (watch) for (const subscriber of watch.subscribers) subscriber.resync();
    }
  }

  /** Updates the window used for phase events after a resync read the drop again. */
  updateWindow(dropId: string, startsAt: Date, endsAt: Date): void {
    const watch = this.#drops.get(dropId);
    if (!watch) return;
    watch.startsAt = startsAt.getTime();
    watch.endsAt = endsAt.getTime();
    watch.phase = phaseOf(startsAt, endsAt, this.clock.now());
  }

  knownFull(slotId: string, storeId: string, now: Date) {
    const entry = this.#full.get(slotId);
    if (!entry || entry.storeId !== storeId || entry.until < Date.now()) return undefined;
    if (now < entry.startsAt || now >= entry.endsAt) return undefined;
    return { dropId: entry.dropId, waitlistCount: entry.waitlistCount };
  }

  markFull(slotId: string, info: Omit<FullEntry, 'until'>): void {
    this.#full.set(slotId, { ...info, until: Date.now() + FULL_TTL_MS });
  }
}
