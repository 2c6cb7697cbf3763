/**
 * Live updates of a drop over server-sent events, read with `fetch` (so the key and customer token travel as headers)
 * and parsed with eventsource-parser. Reconnects with backoff and `Last-Event-ID`; every connection starts with a snapshot.
 */
import { createParser } from 'eventsource-parser';
import type * as z from 'zod/mini';
import type { DropSlotClient } from './client.js';
import { ConnectionError, DropSlotError, InvalidResponseError, errorFromStatus } from './errors.js';
import { Problem } from './schemas/common.js';
import { DropPhaseEvent, SlotCapacityEvent, StreamSnapshot } from './schemas/stream.js';
import { transportOf } from './internal/transport.js';
import { backoffDelay, sleep } from './internal/util.js';

/**
 * Where a live subscription stands: `connecting` (first attempt), `open` (receiving events), `reconnecting`
 * (lost the stream, waiting to retry), `closed` (unsubscribed, or a fatal error such as 401/404).
 *
 * @example
 * ```ts
 * import type { LiveStatus } from 'dropslot';
 *
 * const label: Record<LiveStatus, string> = { connecting: '…', open: 'Live', reconnecting: 'Offline', closed: '' };
 * ```
 */
export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * One parsed event of a drop's stream, as given to a callback subscriber.
 *
 * @example
 * ```ts
 * import type { DropStreamEvent } from 'dropslot';
 *
 * function onEvent(event: DropStreamEvent): void {
 *   if (event.type === 'slot') console.log(event.data.slotId, event.data.capacityRemaining);
 * }
 * ```
 */
export type DropStreamEvent =
  | { type: 'snapshot'; id: string | undefined; data: StreamSnapshot }
  | { type: 'slot'; id: string | undefined; data: SlotCapacityEvent }
  | { type: 'phase'; id: string | undefined; data: DropPhaseEvent };

/**
 * Handlers of {@link subscribeDrop}; all optional.
 *
 * @example
 * ```ts
 * import type { DropStreamHandlers } from 'dropslot';
 *
 * const handlers: DropStreamHandlers = {
 *   onSnapshot: ({ drop, slots }) => render(drop, slots),
 *   onSlot: (e) => patch(e.slotId, e.capacityRemaining),
 *   onStatus: (s) => console.log('stream', s),
 * };
 * ```
 */
export interface DropStreamHandlers {
  /** The whole current state; first on every (re)connection. Replace what you have. */
  onSnapshot?: ((snapshot: StreamSnapshot) => void) | undefined;
  /** One slot's new capacity figures. */
  onSlot?: ((event: SlotCapacityEvent) => void) | undefined;
  /** The drop went live or ended, on server time. */
  onPhase?: ((event: DropPhaseEvent) => void) | undefined;
  /** Connection status changes (only changes are reported). */
  onStatus?: ((status: LiveStatus) => void) | undefined;
  /**
   * Something went wrong: a failed connection (it will retry unless the status becomes `closed`), or an event
   * whose data did not match its schema (`InvalidResponseError`; the event is skipped).
   */
  onError?: ((error: DropSlotError) => void) | undefined;
}

/**
 * Options of {@link subscribeDrop}.
 *
 * @example
 * ```ts
 * import type { SubscribeOptions } from 'dropslot';
 *
 * const options: SubscribeOptions = { signal: AbortSignal.timeout(60_000) };
 * ```
 */
export interface SubscribeOptions {
  /** Ends the subscription when aborted, like calling the returned function. */
  signal?: AbortSignal | undefined;
  /**
   * Delay before the first reconnection, in ms, until the server sets one with `retry:`. Consecutive failures double
   * it (with jitter), up to `maxRetryDelay`; a connection that delivers its snapshot resets it.
   * @default 1000
   */
  retryDelay?: number | undefined;
  /**
   * Longest delay between reconnection attempts, in ms.
   * @default 30000
   */
  maxRetryDelay?: number | undefined;
  /**
   * Reconnect when nothing (not even a heartbeat comment) arrives for this many ms; `0` disables the watchdog.
   * @default 45000
   */
  idleTimeout?: number | undefined;
}

function isEventName(name: string | undefined): name is DropStreamEvent['type'] {
  return name === 'snapshot' || name === 'slot' || name === 'phase';
}

/** HTTP statuses after which reconnecting cannot help. */
function isFatal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/**
 * Subscribes to a drop's live stream (`GET /v1/drops/{id}/stream`): a snapshot first, then slot capacity and phase
 * changes. Lost connections are retried with backoff (honouring the server's `retry:`) and resume with `Last-Event-ID`;
 * since each connection starts with a fresh snapshot, nothing is missed. Returns a function that unsubscribes.
 *
 * Pass either handlers per event or one callback that receives every {@link DropStreamEvent}.
 *
 * @example
 * ```ts
 * import { createClient, subscribeDrop } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const unsubscribe = subscribeDrop(client, dropId, {
 *   onSnapshot: ({ slots }) => console.log(slots.length, 'slots'),
 *   onSlot: (e) => console.log(e.slotId, 'has', e.capacityRemaining, 'left'),
 *   onStatus: (status) => console.log(status),
 * });
 * // later
 * unsubscribe();
 * ```
 */
export function subscribeDrop(
  client: DropSlotClient,
  dropId: string,
  handlers: DropStreamHandlers | ((event: DropStreamEvent) => void),
  options: SubscribeOptions = {},
): () => void {
  const transport = transportOf(client);
  const h: DropStreamHandlers =
    typeof handlers === 'function'
      ? {
          onSnapshot: (data) => handlers({ type: 'snapshot', id: lastEventId, data }),
          onSlot: (data) => handlers({ type: 'slot', id: lastEventId, data }),
          onPhase: (data) => handlers({ type: 'phase', id: lastEventId, data }),
        }
      : handlers;
  const initialDelay = options.retryDelay ?? 1000;
  const maxDelay = options.maxRetryDelay ?? 30_000;
  const idleTimeout = options.idleTimeout ?? 45_000;
  const path = `drops/${encodeURIComponent(dropId)}/stream`;

  const stop = new AbortController();
  let status: LiveStatus | undefined;
  let lastEventId: string | undefined;
  let serverRetry: number | undefined;

  /**
   * Calls a subscriber's handler. A handler that throws must not look like a broken connection (and trigger a
   * reconnection storm), so its error is rethrown outside the stream loop, where the host reports it.
   */
  const call = <A>(handler: ((arg: A) => void) | undefined, arg: A): void => {
    try {
      handler?.(arg);
    } catch (e) {
      setTimeout(() => {
        throw e;
      });
    }
  };
  const setStatus = (next: LiveStatus): void => {
    if (next === status) return;
    status = next;
    call(h.onStatus, next);
  };
  const report = (error: DropSlotError): void => {
    if (!stop.signal.aborted) call(h.onError, error);
  };

  /** Validates one event's data with its schema; reports and skips it when it does not match. */
  const check = <S extends z.ZodMiniType>(
    schema: S,
    name: string,
    json: unknown,
    requestId: string | undefined,
  ) => {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    report(
      new InvalidResponseError(`Stream event "${name}" does not match its schema`, {
        requestId,
        cause: parsed.error,
        issues: parsed.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          message: i.message,
          code: i.code,
        })),
      }),
    );
    return undefined;
  };

  /** Hands one event to its handler; `true` for a valid snapshot. */
  const dispatch = (name: DropStreamEvent['type'], json: unknown, requestId: string | undefined): boolean => {
    if (name === 'snapshot') {
      const data = check(StreamSnapshot, name, json, requestId);
      if (data !== undefined) call(h.onSnapshot, data);
      return data !== undefined;
    }
    if (name === 'slot') {
      const data = check(SlotCapacityEvent, name, json, requestId);
      if (data !== undefined) call(h.onSlot, data);
    } else {
      const data = check(DropPhaseEvent, name, json, requestId);
      if (data !== undefined) call(h.onPhase, data);
    }
    return false;
  };

  /** One connection: resolves when the stream ends; `true` if it delivered a snapshot. Throws DropSlotError on failure. */
  const connect = async (): Promise<boolean> => {
    const attempt = new AbortController();
    const onStop = (): void => attempt.abort(stop.signal.reason);
    stop.signal.addEventListener('abort', onStop, { once: true });
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const armIdle = (): void => {
      if (idleTimeout <= 0) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(
        () => attempt.abort(new DOMException('Stream idle', 'TimeoutError')),
        idleTimeout,
      );
    };
    let gotSnapshot = false;
    try {
      armIdle();
      // No `Cache-Control` request header: it is not one the API allows cross-origin, so a page on another origin
      // would fail the CORS preflight. The stream's answers are `no-store` anyway.
      const extra: Record<string, string> = { Accept: 'text/event-stream' };
      if (lastEventId !== undefined) extra['Last-Event-ID'] = lastEventId;
      const response = await transport.stream(path, extra, attempt.signal);
      const requestId = response.headers.get('X-Request-Id') ?? undefined;
      if (!response.ok) {
        let problem: Problem | undefined;
        try {
          const p = Problem.safeParse(await response.json());
          if (p.success) problem = p.data;
        } catch {
          // not a problem document
        }
        throw errorFromStatus(response.status, {
          code: problem?.code,
          requestId: requestId ?? problem?.requestId,
          problem,
        });
      }
      if (response.body === null)
        throw new InvalidResponseError('Stream response has no body', { status: response.status, requestId });
      setStatus('open');
      const parser = createParser({
        onEvent(message) {
          if (message.id !== undefined) lastEventId = message.id;
          if (!isEventName(message.event)) return;
          let json: unknown;
          try {
            json = JSON.parse(message.data);
          } catch (e) {
            report(
              new InvalidResponseError(`Stream event "${message.event}" is not JSON`, {
                requestId,
                cause: e,
              }),
            );
            return;
          }
          if (dispatch(message.event, json, requestId)) gotSnapshot = true;
        },
        onRetry(ms) {
          serverRetry = ms;
        },
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      // Not every fetch ties the body to the signal: cancel the read explicitly on unsubscribe or idle timeout.
      const cancel = (): void => void reader.cancel(attempt.signal.reason).catch(() => undefined);
      attempt.signal.addEventListener('abort', cancel, { once: true });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          armIdle();
          parser.feed(decoder.decode(value, { stream: true }));
        }
      } finally {
        attempt.signal.removeEventListener('abort', cancel);
        reader.releaseLock();
      }
      return gotSnapshot;
    } catch (e) {
      if (stop.signal.aborted) return gotSnapshot;
      if (e instanceof DropSlotError) throw e;
      throw new ConnectionError(
        `Stream of drop ${dropId} failed: ${e instanceof Error ? e.message : String(e)}`,
        {
          cause: e,
        },
      );
    } finally {
      clearTimeout(idleTimer);
      stop.signal.removeEventListener('abort', onStop);
      if (!attempt.signal.aborted) attempt.abort();
    }
  };

  const run = async (): Promise<void> => {
    setStatus('connecting');
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        // A connection that delivered its snapshot was healthy: the next wait starts from the base delay again.
        failures = (await connect()) ? 0 : failures + 1;
      } catch (e) {
        const error = e instanceof DropSlotError ? e : new ConnectionError(String(e), { cause: e });
        report(error);
        if (error.status !== undefined && isFatal(error.status)) break;
        failures++;
      }
      if (stop.signal.aborted) break;
      setStatus('reconnecting');
      const base = serverRetry ?? initialDelay;
      const delay = failures === 0 ? base : backoffDelay(failures, base, Math.max(base, maxDelay));
      try {
        await sleep(delay, stop.signal);
      } catch {
        break;
      }
    }
    setStatus('closed');
  };

  const unsubscribe = (): void => {
    if (!stop.signal.aborted) stop.abort(new DOMException('Unsubscribed', 'AbortError'));
  };
  if (options.signal?.aborted) {
    queueMicrotask(() => setStatus('closed'));
    return () => {};
  }
  options.signal?.addEventListener('abort', unsubscribe, { once: true });
  void run().finally(() => options.signal?.removeEventListener('abort', unsubscribe));
  return unsubscribe;
}
