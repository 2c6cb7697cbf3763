/**
 * Crash safety of keyed requests: a server process killed (SIGKILL, no shutdown code) at any step of a reserve burst
 * loses nothing. Every key is retried on the surviving process: a hold that was committed replays its 201 byte for
 * byte, a request that died before its commit left nothing and runs afresh at once, no customer ends with two places,
 * and no key stays in flight for more than a few seconds. PostgreSQL, real processes, real HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import type { IdempotencyStep } from '../../examples/server/http/idempotency.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { setupHotDrop, type HotDrop } from '../support/hot-drop.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-06-01T10:00:00.000Z');
const CAPACITY = 40;
const CUSTOMERS = 90;
/** After the crash, every key must be answered (neither in flight nor 503) within this. */
const SETTLE_MS = 8_000;

interface Answer {
  status: number;
  text: string;
}

async function reserve(url: string, hot: HotDrop, i: number): Promise<Answer> {
  const customer = hot.customers[i]!;
  const response = await fetch(`${url}/v1/reservations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${hot.store.publishableKey}`,
      'x-customer-token': customer.token,
      'content-type': 'application/json',
      'idempotency-key': `crash-${hot.slotId}-${i}`,
    },
    body: JSON.stringify({ slotId: hot.slotId }),
  });
  return { status: response.status, text: await response.text() };
}

/** Retries key `i` on `url` while it is in flight or the server is unavailable; how long that took. */
async function settle(url: string, hot: HotDrop, i: number): Promise<Answer & { waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const answer = await reserve(url, hot, i);
    const inFlight = answer.status === 409 && answer.text.includes('idempotency_key_in_flight');
    if (!inFlight && answer.status !== 503) return { ...answer, waitedMs: Date.now() - started };
    assert.ok(Date.now() - started < SETTLE_MS, `key ${i} still ${answer.status} after ${SETTLE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('crash safety of keyed requests on PostgreSQL (a process killed mid-burst, retried on another)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let survivor: Cluster;
  const victims: Cluster[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
    survivor = await startCluster({ processes: 1, databaseUrl: database.url!, clockStart: NOW });
  });
  after(async () => {
    for (const victim of victims) await victim.stop();
    await survivor?.stop();
    await handle?.close();
    await database?.drop();
  });

  async function burstAndCrash(crash: { step: IdempotencyStep; after: number } | { atMs: number }) {
    const hot = await setupHotDrop(handle, { capacity: CAPACITY, customers: CUSTOMERS, now: NOW });
    const victim = await startCluster({
      processes: 1,
      databaseUrl: database.url!,
      clockStart: NOW,
      env: 'step' in crash ? { CRASH_STEP: crash.step, CRASH_AFTER: String(crash.after) } : {},
    });
    victims.push(victim);
    const burst = Promise.all(
      hot.customers.map((_, i) =>
        reserve(victim.urls[0]!, hot, i).catch(() => undefined /* the process died under it */),
      ),
    );
    if ('atMs' in crash) {
      await new Promise((resolve) => setTimeout(resolve, crash.atMs));
      await victim.kill(0);
    }
    const first = await burst;
    const lost = first.filter((answer) => answer === undefined).length;
    if ('step' in crash)
      assert.ok(lost > 0, 'the process died during the burst (some requests got no answer)');

    const retried = await Promise.all(hot.customers.map((_, i) => settle(survivor.urls[0]!, hot, i)));

    // Every answer the dead process gave before dying is replayed byte for byte (a 201 above all).
    first.forEach((answer, i) => {
      if (answer?.status === 201) assert.equal(retried[i]!.text, answer.text, `key ${i} replays its 201`);
    });
    for (const answer of retried) {
      assert.ok([201, 409].includes(answer.status), `retry answered ${answer.status}: ${answer.text}`);
    }
    const held = await rows<{ id: string; user_id: string; state: string }>(
      handle.db,
      sql`select id, user_id, state from reservations where slot_id = ${hot.slotId}`,
    );
    // No orphan: every hold in the database is the 201 its customer's key answers; and every 201 is in the database.
    const answered = new Map<string, string>();
    retried.forEach((answer, i) => {
      if (answer.status === 201) {
        answered.set(hot.customers[i]!.id, (JSON.parse(answer.text) as { id: string }).id);
      }
    });
    for (const row of held) {
      assert.equal(answered.get(row.user_id), row.id, `hold ${row.id} is what its customer's key answers`);
    }
    assert.equal(held.length, answered.size, 'every 201 is a hold in the database');
    assert.equal(new Set(held.map((row) => row.user_id)).size, held.length, 'no customer holds two places');
    const [slot] = await rows<{ reserved: number }>(
      handle.db,
      sql`select capacity_reserved as reserved from slots where id = ${hot.slotId}`,
    );
    assert.equal(slot!.reserved, held.length, 'the slot counts exactly the holds');
    assert.ok(held.length <= CAPACITY);
    return { lost, held: held.length, maxWaitMs: Math.max(...retried.map((answer) => answer.waitedMs)) };
  }

  const steps: IdempotencyStep[] = ['claimed', 'ran', 'recorded', 'committed'];
  for (const [n, step] of steps.entries()) {
    it(`killed at step "${step}" of a keyed reserve: every key settles on the other process, nothing lost`, async () => {
      const outcome = await burstAndCrash({ step, after: 8 + n * 5 });
      assert.ok(outcome.maxWaitMs < SETTLE_MS);
    });
  }

  it('killed from outside at random instants of a burst: every key settles on the other process', async () => {
    for (const atMs of [20, 80]) await burstAndCrash({ atMs });
  });
});
