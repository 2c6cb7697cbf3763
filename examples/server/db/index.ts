/**
 * Opening the database: embedded PGlite (default, a data directory or memory) or PostgreSQL (`DATABASE_URL`).
 * Both speak the same SQL and the same Drizzle schema; LISTEN/NOTIFY fans live updates out across processes.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

export { schema };

/** A Drizzle database over either driver. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A database or an open transaction: anything that runs queries. */
export type Executor = Pick<Database, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;

/** The channel every server process listens on for live changes. */
export const EVENTS_CHANNEL = 'dropslot_events';

/**
 * Row-level security (migration 0013): a superuser bypasses every policy, so a connection that is one switches to the
 * role `dropslot_app` once it exists (before the first migration it does not, and nothing is switched). A role of its
 * own that owns the tables needs no switch: the policies are forced.
 */
const ASSUME_APP_ROLE = `DO $$ BEGIN
  IF current_setting('is_superuser') = 'on' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dropslot_app') THEN
    SET ROLE dropslot_app;
  END IF;
END $$`;

/**
 * The store whose request the caller serves (set by the router once the request is authenticated). Every transaction
 * opened under it states the store first, so the row-level security policies confine it to that store's rows.
 */
const storeScope = new AsyncLocalStorage<string>();

/** Scopes the rest of the calling request to `storeId` (see `storeScope`). */
export function enterStore(storeId: string): void {
  storeScope.enterWith(storeId);
}

/** Runs `work` scoped to `storeId`: its transactions see and write only that store's rows. */
export function withStore<T>(storeId: string, work: () => T): T {
  return storeScope.run(storeId, work);
}

/** States the caller's store in the transaction `tx` has just opened (nothing outside a store's request). */
async function stateStore(tx: { execute(query: SQL): Promise<unknown> }): Promise<void> {
  const storeId = storeScope.getStore();
  if (storeId) await tx.execute(sql`select set_config('dropslot.store_id', ${storeId}, true)`);
}

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Connections that can run transactions at once (1 for PGlite). */
  poolSize: number;
  /**
   * Subscribes to NOTIFY payloads of `channel`; resolves to an unsubscribe function. On PostgreSQL a lost LISTEN
   * connection is re-established with backoff for as long as it takes; `onStatus` hears each loss and recovery (a
   * recovery may have missed notices: subscribers resynchronise).
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onStatus?: (listening: boolean, error?: unknown) => void,
  ): Promise<() => Promise<void>>;
  /** Whether every LISTEN of this handle is connected now (readiness). */
  listening(): boolean;
  /** Applies the committed SQL migrations (serialised across processes by an advisory lock on PostgreSQL). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The PostgreSQL pool, for libraries that need a pg client (rate limiter); undefined on PGlite. */
  pool?: pg.Pool;
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory; absent means in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL pool size. @default 20 */
  poolSize?: number;
  /** PGlite: start from this dump (`dumpDataDir`) instead of an empty cluster; tests use it for speed. */
  loadDataDir?: Blob | File;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  return options.url
    ? openPostgres(options.url, options.poolSize ?? 20)
    : openPglite(options.dataDir, options.loadDataDir);
}

async function openPglite(
  dataDir: string | undefined,
  loadDataDir: Blob | File | undefined,
): Promise<DatabaseHandle> {
  // btree_gist backs the no-double-rental exclusion constraint (migration 0005).
  const client = new PGlite({
    ...(dataDir && { dataDir }),
    ...(loadDataDir && { loadDataDir }),
    extensions: { btree_gist },
  });
  await client.waitReady;
  await client.exec(ASSUME_APP_ROLE);
  const db = routed(drizzlePglite(client, { schema }) as unknown as Database);
  return {
    db,
    kind: 'pglite',
    poolSize: 1,
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    listening: () => true,
    async migrate() {
      // Migrations change the schema: they run as the connecting superuser, then the app role is taken (again).
      await client.exec('RESET ROLE');
      try {
        await migratePglite(db as never, { migrationsFolder });
      } finally {
        await client.exec(ASSUME_APP_ROLE);
      }
    },
    async close() {
      await client.close();
    },
  };
}

/** How long a request waits for a pooled connection before it is answered 503. @default 10000 */
const CONNECT_TIMEOUT_MS = Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 10_000);

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Bounded waits: a request never hangs on an exhausted pool or a dead host.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // A connection that dies (the database restarted) must never crash the process, idle or checked out: the query
  // on it fails (answered 503) and the pool replaces it. pg-pool only listens while a client is idle.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
    // Queued before any query of the one who asked for the connection.
    client.query(ASSUME_APP_ROLE).catch(() => {});
  });
  const db = routed(drizzlePg(pool, { schema }) as unknown as Database);
  const listeners = new Set<pg.Client>();
  const lost = new Set<string>();
  return {
    db,
    kind: 'postgres',
    poolSize,
    pool,
    listening: () => lost.size === 0,
    async listen(channel, onPayload, onStatus) {
      let client: pg.Client | undefined;
      let closed = false;
      let retry: ReturnType<typeof setTimeout> | undefined;
      const id = `${channel}:${Math.random()}`;
      const connect = async (): Promise<void> => {
        const next = new pg.Client({
          connectionString: url,
          keepAlive: true,
          connectionTimeoutMillis: 5_000,
        });
        next.on('notification', (message) => {
          if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
        });
        let failed = false;
        const fail = (error: unknown) => {
          if (failed) return;
          failed = true;
          listeners.delete(next);
          void next.end().catch(() => {});
          if (closed) return;
          if (!lost.has(id)) {
            lost.add(id);
            onStatus?.(false, error);
          }
          schedule();
        };
        next.on('error', fail);
        next.on('end', () => fail(new Error('LISTEN connection ended')));
        try {
          await next.connect();
          await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (error) {
          fail(error);
          throw error;
        }
        if (closed) {
          await next.end().catch(() => {});
          return;
        }
        listeners.add(next);
        client = next;
        if (lost.delete(id)) onStatus?.(true);
      };
      // Reconnects with backoff (0.25 s doubling to 5 s) for as long as it takes.
      let delay = 250;
      const schedule = () => {
        if (closed || retry) return;
        retry = setTimeout(() => {
          retry = undefined;
          connect().then(
            () => (delay = 250),
            () => (delay = Math.min(delay * 2, 5_000)),
          );
        }, delay);
        retry.unref();
      };
      try {
        await connect();
      } catch (error) {
        // The first connection failed: the caller hears it; nothing keeps retrying behind its back.
        closed = true;
        if (retry) clearTimeout(retry);
        lost.delete(id);
        throw error;
      }
      return async () => {
        closed = true;
        if (retry) clearTimeout(retry);
        lost.delete(id);
        if (client) {
          listeners.delete(client);
          await client.end().catch(() => {});
        }
      };
    },
    async migrate() {
      // A connection of its own, outside the pool: migrations run as the connecting role, never as `dropslot_app`.
      const lock = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      lock.on('error', () => {});
      await lock.connect();
      try {
        await lock.query('SELECT pg_advisory_lock(727001)');
        await migratePg(drizzlePg(lock, { schema }) as never, { migrationsFolder });
      } finally {
        await lock.query('SELECT pg_advisory_unlock(727001)').catch(() => {});
        await lock.end().catch(() => {});
      }
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
      await pool.end();
    },
  };
}

/** Error codes of a database that is away: connection refused or lost, server shutting down or starting up. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|not queryable|Client was closed/i;

/**
 * Whether `error` means the database cannot be reached now (rather than that the request is wrong): such requests are
 * answered 503 with Retry-After, and the process keeps running until the database is back.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
    if (typeof candidate.code === 'string' && UNAVAILABLE_CODES.has(candidate.code)) return true;
    if (typeof candidate.message === 'string' && UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
    // AggregateError (a connection refused on both IPv4 and IPv6)
    if (Array.isArray(candidate.errors) && candidate.errors.some((e) => isDatabaseUnavailable(e)))
      return true;
    current = candidate.cause;
  }
  return false;
}

/** Runs raw SQL and returns its rows, whichever driver is underneath. */
export async function rows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = (await executor.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** The PostgreSQL error behind a Drizzle error, if any. */
export function pgError(error: unknown): { code: string; constraint?: string; detail?: string } | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; constraint?: unknown; detail?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
        detail: typeof candidate.detail === 'string' ? candidate.detail : undefined,
      };
    }
    current = candidate.cause;
  }
  return undefined;
}

/**
 * A unit of work: one database transaction that a whole request runs in. While it is open, every query made through a
 * handle's `db` (see `routed`) joins it, and `transaction()` blocks become savepoints inside it, so the request's
 * changes and its idempotency record commit together or not at all.
 */
interface Unit {
  tx: Database;
  open: boolean;
  afterCommit: (() => void)[];
}

const units = new AsyncLocalStorage<Unit>();

/** The open unit of work of the calling request, if any. */
function currentUnit(): Unit | undefined {
  const unit = units.getStore();
  return unit?.open ? unit : undefined;
}

/** Whether the caller runs inside a unit of work (it then holds a connection for its whole request). */
export function inUnitOfWork(): boolean {
  return currentUnit() !== undefined;
}

/**
 * A database whose calls go to the caller's unit of work when one is open, and to `base` otherwise. Code keeps
 * writing `db.select()…` and `transaction(db, …)`; the unit decides where that runs.
 */
function routed(base: Database): Database {
  return new Proxy(base, {
    get(target, property) {
      const source = currentUnit()?.tx ?? target;
      const value: unknown = Reflect.get(source, property, source);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(source) : value;
    },
  });
}

/**
 * Runs `work` as one unit of work (see `Unit`): committed when it returns, rolled back when it throws. Retried whole on
 * serialization failures and deadlocks, like `transaction`. Functions passed to `afterCommit` while it runs are called
 * once it has committed.
 */
export async function unitOfWork<T>(db: Database, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (currentUnit()) throw new Error('unitOfWork: already inside a unit of work');
  for (let attempt = 0; ; attempt++) {
    const unit: Unit = { tx: db, open: false, afterCommit: [] };
    try {
      const result = await db.transaction(async (tx) => {
        await stateStore(tx);
        unit.tx = tx as unknown as Database;
        unit.open = true;
        return units.run(unit, () => work(tx as unknown as Executor));
      });
      unit.open = false;
      for (const hook of unit.afterCommit) hook();
      return result;
    } catch (error) {
      unit.open = false;
      const code = pgError(error)?.code;
      if (attempt < 5 && (code === '40001' || code === '40P01')) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
}

/**
 * Calls `hook` once the caller's changes are committed: after the unit's commit inside a unit of work, after the
 * outermost `transaction()`'s commit inside one, at once otherwise. For in-memory state that must follow the
 * database (a slot known full), never run for changes that were rolled back.
 */
export function afterCommit(hook: () => void): void {
  const unit = currentUnit();
  if (unit) unit.afterCommit.push(hook);
  else {
    const pending = openHooks();
    if (pending) pending.hooks.push(hook);
    else hook();
  }
}

/**
 * The hooks of the caller's `transaction()` when it runs outside a unit of work: called once it has committed. A task
 * the transaction started that outlives it sees the list closed and runs its hooks at once.
 */
const commitHooks = new AsyncLocalStorage<{ hooks: (() => void)[]; open: boolean }>();
const openHooks = () => {
  const pending = commitHooks.getStore();
  return pending?.open ? pending : undefined;
};

/**
 * Runs `work` in a transaction, retrying on serialization failures and deadlocks (both safe to retry because the
 * transaction rolled back whole). Inside a unit of work it is a savepoint of the unit's transaction.
 */
export async function transaction<T>(db: Database, work: (tx: Executor) => Promise<T>): Promise<T> {
  const outermost = !currentUnit() && !openHooks();
  for (let attempt = 0; ; attempt++) {
    const pending = { hooks: [] as (() => void)[], open: true };
    try {
      if (!outermost) {
        // A savepoint of the unit (its store is stated), or another transaction opened inside a transaction.
        const nested = !currentUnit();
        return await db.transaction(async (tx) => {
          if (nested) await stateStore(tx);
          return work(tx as unknown as Executor);
        });
      }
      const result = await commitHooks.run(pending, () =>
        db.transaction(async (tx) => {
          await stateStore(tx);
          return work(tx as unknown as Executor);
        }),
      );
      pending.open = false;
      for (const hook of pending.hooks) hook();
      return result;
    } catch (error) {
      pending.open = false;
      const code = pgError(error)?.code;
      if (attempt < 5 && (code === '40001' || code === '40P01')) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
}

/** `pg_notify` on the events channel, inside the caller's transaction (delivered on commit). */
export function notifySql(payload: SQL): SQL {
  return sql`pg_notify(${EVENTS_CHANNEL}, ${payload}::text)`;
}
