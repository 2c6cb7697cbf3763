/**
 * Revocation that takes effect at once on every process. A disabled customer, a revoked API key and a removed role
 * are announced on the events channel (`pg_notify` in the transaction that makes the change, so the notice goes out
 * on commit); every process drops what it cached about them as the notice arrives. Nothing here waits for a TTL.
 *
 * Disabled customers are kept as a set in memory (loaded at start, then maintained by notices), so checking a
 * customer token costs the hot path no database round trip. A full reload every `reloadMs` backs up notices lost
 * while a LISTEN connection was being re-established.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { LiveNotice } from '../../../src/schemas/index.js';
import { afterCommit, notifySql, rows, type DatabaseHandle, type Executor } from '../db/index.js';

/** What the events channel carries about access (beside the slot and drop notices of `LiveHub`): one schema. */
export type AuthNotice = Extract<LiveNotice, { t: 'user' | 'key' | 'roles' }>;

/** The revocation sets of this process: a change made here applies to them on commit, before its notice comes back. */
const local = new Set<Revocations>();

/**
 * Announces an access change to every process, inside the caller's transaction (delivered on commit). This process
 * applies it as soon as the transaction commits, so the caller's next request is already refused here.
 */
export async function announce(tx: Executor, notice: AuthNotice): Promise<void> {
  const payload: SQL = sql`${JSON.stringify(notice)}`;
  await tx.execute(sql`select ${notifySql(payload)}`);
  afterCommit(() => {
    for (const revocations of local) revocations.apply(notice);
  });
}

export class Revocations {
  readonly #disabled = new Set<string>();
  readonly #listeners: ((notice: AuthNotice) => void)[] = [];
  #timer?: ReturnType<typeof setInterval>;

  constructor(private readonly reloadMs = 60_000) {}

  /** Loads the disabled customers and keeps reloading them every `reloadMs` as a backstop. */
  async start(handle: DatabaseHandle): Promise<void> {
    await this.reload(handle.db);
    local.add(this);
    this.#timer = setInterval(() => void this.reload(handle.db).catch(() => {}), this.reloadMs);
    this.#timer.unref();
  }

  stop(): void {
    local.delete(this);
    if (this.#timer) clearInterval(this.#timer);
  }

  async reload(db: Executor): Promise<void> {
    const found = await rows<{ id: string }>(db, sql`select id from users where status = 'disabled'`);
    this.#disabled.clear();
    for (const row of found) this.#disabled.add(row.id);
  }

  /** Whether the user was disabled (their tokens are refused). */
  isDisabled(userId: string): boolean {
    return this.#disabled.has(userId);
  }

  /** Called for other caches to drop entries (the key cache). */
  onNotice(listener: (notice: AuthNotice) => void): void {
    this.#listeners.push(listener);
  }

  /** A notice from the events channel (any process, this one included). */
  apply(notice: AuthNotice): void {
    if (notice.t === 'user') {
      if (notice.status === 'disabled') this.#disabled.add(notice.userId);
      else this.#disabled.delete(notice.userId);
    }
    for (const listener of this.#listeners) listener(notice);
  }
}
