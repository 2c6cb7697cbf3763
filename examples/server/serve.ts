/**
 * Serving one process of the reference backend, and stopping it cleanly. On SIGTERM or SIGINT: readiness turns false,
 * new requests are answered 503 with Retry-After and open streams end with a `retry:` hint (`drain`); after a short
 * grace the listener stops taking connections; requests in flight finish (bounded by `drainTimeoutMs`), background
 * passes finish and give back their leases, and the database pool closes last; then the process exits 0. Used by
 * `main.ts` and the test workers.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DropSlotApp } from './app.js';
import type { DatabaseHandle } from './db/index.js';
import type { Logger } from './services.js';

export interface ServeOptions {
  dropslot: DropSlotApp;
  handle: DatabaseHandle;
  port: number;
  host?: string;
  log: Logger;
  /** Starts the background workers (`dropslot.startWorkers`) when true. @default true */
  workers?: boolean;
  /** How long requests in flight may take to finish once a drain starts. @default SHUTDOWN_TIMEOUT_MS or 10000 */
  drainTimeoutMs?: number;
  /**
   * How long a draining process keeps listening (readiness 503, new requests 503) before it stops taking
   * connections, so a load balancer notices. @default SHUTDOWN_GRACE_MS or 1000
   */
  drainGraceMs?: number;
  onListening?: (address: AddressInfo) => void;
}

export interface Serving {
  server: Server;
  /** Drains and stops the process as on SIGTERM; resolves when everything is closed (before the exit). */
  shutdown(reason: string): Promise<void>;
}

export function serve(options: ServeOptions): Serving {
  const { dropslot, handle, log } = options;
  const drainTimeoutMs = options.drainTimeoutMs ?? Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
  const drainGraceMs = options.drainGraceMs ?? Number(process.env.SHUTDOWN_GRACE_MS ?? 1_000);
  const stopWorkers = options.workers === false ? async () => {} : dropslot.startWorkers();
  // A deep accept queue: a drop opens with thousands of connections arriving in the same second.
  const server = createAdaptorServer({ fetch: dropslot.app.fetch }) as Server;
  server.listen({ port: options.port, host: options.host, backlog: 4096 }, () =>
    options.onListening?.(server.address() as AddressInfo),
  );

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      log.info('draining', { reason, drainTimeoutMs, drainGraceMs });
      const drained = dropslot.drain({ timeoutMs: drainTimeoutMs });
      // Still listening for the grace period: readiness answers 503 (the balancer takes this process out) and new
      // requests get 503 + Retry-After instead of a refused connection. Then no new connections are taken.
      await new Promise((resolve) => setTimeout(resolve, drainGraceMs));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await drained;
      await stopWorkers();
      // Whatever is still connected now (idle keep-alive sockets, a stream that would not end) is cut.
      server.closeAllConnections();
      await closed;
      await dropslot.close();
      await handle.close();
      log.info('stopped', { reason });
    })());

  const exitAfter = (reason: string, code: number) =>
    void shutdown(reason).then(
      () => process.exit(code),
      (error: unknown) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  process.once('SIGTERM', () => exitAfter('SIGTERM', 0));
  process.once('SIGINT', () => exitAfter('SIGINT', 0));
  // A rejection nobody handled is a bug to log, not a reason to drop every request in flight.
  process.on('unhandledRejection', (error) =>
    log.error('unhandled rejection', { error: error instanceof Error ? error.stack : String(error) }),
  );
  process.on('uncaughtException', (error) => {
    log.error('uncaught exception; draining and exiting', { error: error.stack ?? String(error) });
    exitAfter('uncaughtException', 1);
  });
  return { server, shutdown };
}
