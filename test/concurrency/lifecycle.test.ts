/**
 * Restarts and outages lose nothing. Two server processes on PostgreSQL under a burst of keyed reserves:
 * - a rolling restart (SIGTERM one, start it again, then the other): every answer is 201/409/429/503, each process
 *   exits 0 after draining (readiness false first, streams ended with a `retry:` hint), and every 201 is a hold in the
 *   database with its outbox event, with no orphan hold;
 * - the database restarted under them (fast and immediate, idle and mid-burst, on a PostgreSQL cluster this test runs
 *   itself): no process exits, requests get 503 problem+json with Retry-After while it is away, /readyz says not
 *   ready, each process takes reserves again within 5 s of its return, LISTEN comes back (live updates resume), and
 *   nothing answered 201 is lost.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { openDatabase, rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { exitOf, startWorker } from '../support/cluster.js';
import { setupHotDrop, type HotDrop } from '../support/hot-drop.js';
import { startPgServer, type PgServer } from '../support/pg-server.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-07-01T10:00:00.000Z');
const ALLOWED = new Set([201, 409, 429, 503]);

interface Worker {
  child: ChildProcess;
  url: string;
}

interface Answer {
  status: number;
  text: string;
  contentType: string;
  retryAfter: string | null;
}

const workerEnv = (databaseUrl: string) => ({
  DATABASE_URL: databaseUrl,
  CLOCK_START: String(NOW),
  POOL_SIZE: '10',
  SHUTDOWN_TIMEOUT_MS: '10000',
  SHUTDOWN_GRACE_MS: '300',
  WORKER_LOG: 'on',
});

async function reserve(url: string, hot: HotDrop, i: number, tag: string): Promise<Answer> {
  const response = await fetch(`${url}/v1/reservations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${hot.store.publishableKey}`,
      'x-customer-token': hot.customers[i]!.token,
      'content-type': 'application/json',
      'idempotency-key': `${tag}-${i}`,
    },
    body: JSON.stringify({ slotId: hot.slotId }),
  });
  return {
    status: response.status,
    text: await response.text(),
    contentType: response.headers.get('content-type') ?? '',
    retryAfter: response.headers.get('retry-after'),
  };
}

/**
 * What a load balancer and a well-behaved client do together: send key `i` to a live process; on a connection error,
 * a 503 or 409 in flight, try again (another process, after a pause) until `deadline`. Returns every answer seen.
 */
async function until(
  urls: () => string[],
  hot: HotDrop,
  i: number,
  tag: string,
  deadline: number,
): Promise<{ final: Answer; seen: Answer[]; connectionErrors: number; errors: string[] }> {
  const seen: Answer[] = [];
  const errors: string[] = [];
  let connectionErrors = 0;
  for (let attempt = 0; ; attempt++) {
    const live = urls();
    const url = live[(i + attempt) % live.length]!;
    try {
      const answer = await reserve(url, hot, i, tag);
      seen.push(answer);
      const retry =
        answer.status === 503 || (answer.status === 409 && answer.text.includes('idempotency_key_in_flight'));
      if (!retry) return { final: answer, seen, connectionErrors, errors };
    } catch (error) {
      connectionErrors++;
      errors.push(`${url}: ${String((error as { cause?: unknown }).cause ?? error)}`);
    }
    assert.ok(Date.now() < deadline, `key ${tag}-${i} unsettled at the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
  }
}

/** Every 201 is a hold with its outbox event; every hold is a 201; no customer holds two places; counts agree. */
async function checkNothingLost(
  db: DatabaseHandle['db'],
  hot: HotDrop,
  finals: Answer[],
  history: Answer[][] = [],
): Promise<number> {
  const held = await rows<{ id: string; user_id: string }>(
    db,
    sql`select id, user_id from reservations where slot_id = ${hot.slotId}`,
  );
  const answered = new Map<string, string>();
  finals.forEach((answer, i) => {
    if (answer.status === 201)
      answered.set(hot.customers[i]!.id, (JSON.parse(answer.text) as { id: string }).id);
  });
  for (const row of held) {
    const i = hot.customers.findIndex((c) => c.id === row.user_id);
    assert.equal(
      answered.get(row.user_id),
      row.id,
      `hold ${row.id} is its key's 201; answers to the key: ${JSON.stringify(history[i] ?? finals[i])}`,
    );
  }
  assert.equal(held.length, answered.size, 'every 201 is a hold in the database');
  assert.equal(new Set(held.map((row) => row.user_id)).size, held.length, 'no customer holds two places');
  const [counts] = await rows<{ reserved: number; events: number }>(
    db,
    sql`select (select capacity_reserved from slots where id = ${hot.slotId}) as reserved,
          (select count(*)::int from events where type = 'reservation.created'
             and metadata->>'slotId' = ${hot.slotId}) as events`,
  );
  assert.equal(counts!.reserved, held.length, 'the slot counts exactly the holds');
  assert.equal(counts!.events, held.length, 'every hold has its reservation.created event (webhooks, mails)');
  return held.length;
}

/** Reads an SSE stream in the background: the frames seen so far and whether the server ended it. */
function watchStream(url: string, hot: HotDrop) {
  const state = { text: '', ended: false };
  const done = (async () => {
    const response = await fetch(`${url}/v1/drops/${hot.dropId}/stream`, {
      headers: { authorization: `Bearer ${hot.store.publishableKey}` },
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      state.text += decoder.decode(value, { stream: true });
    }
    state.ended = true;
  })().catch(() => {
    state.ended = true;
  });
  return { state, done };
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    assert.ok(Date.now() - started < ms, `${what} within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

describe('a rolling restart during a burst (PostgreSQL, 2 processes, SIGTERM each in turn)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  const workers: Worker[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
  });
  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await handle?.close();
    await database?.drop();
  });

  it('drains each process (readiness first, streams get retry:, exit 0) and loses nothing', async () => {
    const hot = await setupHotDrop(handle, { capacity: 150, customers: 300, now: NOW });
    const env = workerEnv(database.url!);
    let live: Worker[] = await Promise.all([startWorker(env), startWorker(env)]);
    workers.push(...live);
    const stream = watchStream(live[0]!.url, hot);
    await waitFor(() => stream.state.text.includes('event: snapshot'), 10_000, 'the stream opened');

    const deadline = Date.now() + 120_000;
    const burst = Promise.all(
      hot.customers.map(async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3_000));
        return until(() => live.map((w) => w.url), hot, i, 'roll', deadline);
      }),
    );

    const readiness: number[] = [];
    for (const index of [0, 1]) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const old = live[index]!;
      const exited = exitOf(old.child);
      const polling = (async () => {
        while (old.child.exitCode === null && old.child.signalCode === null) {
          readiness.push(
            await fetch(`${old.url}/readyz`).then(
              (r) => r.status,
              () => 0,
            ),
          );
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      old.child.kill('SIGTERM');
      const exit = await exited;
      await polling;
      assert.deepEqual(exit, { code: 0, signal: null }, 'a drained process exits 0');
      const fresh = await startWorker(env);
      workers.push(fresh);
      live = live.map((w, i) => (i === index ? fresh : w));
    }
    assert.ok(readiness.includes(503), 'readiness turned false while the process drained');
    await stream.done;
    assert.ok(stream.state.ended, 'the stream ended when its process drained');
    assert.match(stream.state.text, /retry: \d+/, 'with a retry: hint');

    const settled = await burst;
    const seen = settled.flatMap((s) => s.seen);
    const odd = seen.filter((answer) => !ALLOWED.has(answer.status));
    assert.deepEqual(odd, [], 'every answer is 201, 409, 429 or 503');
    for (const answer of seen.filter((a) => a.status === 503)) {
      assert.equal(answer.contentType, 'application/problem+json');
      assert.ok(answer.retryAfter, '503 carries Retry-After');
    }
    const holds = await checkNothingLost(
      handle.db,
      hot,
      settled.map((s) => s.final),
      settled.map((s) => s.seen),
    );
    assert.equal(holds, 150, 'the drop sold out exactly');
  });
});

describe('the database restarted under 2 server processes (a PostgreSQL cluster of this test)', () => {
  let pgServer: PgServer;
  let handle: DatabaseHandle;
  const workers: Worker[] = [];

  before(async () => {
    pgServer = await startPgServer();
    handle = await openDatabase({ url: pgServer.url, poolSize: 4 });
    await handle.migrate();
  });
  after(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await handle?.close().catch(() => {});
    pgServer?.destroy();
  });

  const alive = () => workers.every((w) => w.child.exitCode === null && w.child.signalCode === null);

  it('idle restarts (fast, then immediate): 503s while away, ready again, reserves and live updates resume', async () => {
    const hot = await setupHotDrop(handle, { capacity: 50, customers: 20, now: NOW });
    workers.push(
      ...(await Promise.all([startWorker(workerEnv(pgServer.url)), startWorker(workerEnv(pgServer.url))])),
    );
    const stream = watchStream(workers[0]!.url, hot);
    await waitFor(() => stream.state.text.includes('event: snapshot'), 10_000, 'the stream opened');
    let customer = 0;

    for (const mode of ['fast', 'immediate'] as const) {
      pgServer.stop(mode);
      const refused = await reserve(workers[1]!.url, hot, customer, `idle-${mode}`);
      assert.equal(refused.status, 503, refused.text);
      assert.equal(refused.contentType, 'application/problem+json');
      assert.equal(refused.retryAfter, '1');
      assert.equal(JSON.parse(refused.text).code, 'service_unavailable');
      const ready = await fetch(`${workers[0]!.url}/readyz`);
      assert.equal(ready.status, 503, 'not ready while the database is away');
      assert.ok(alive(), 'no process exited');

      pgServer.start();
      const back = Date.now();
      for (const worker of workers) {
        const i = customer++;
        await waitFor(
          async () => (await reserve(worker.url, hot, i, `idle-${mode}`)).status === 201,
          5_000,
          'a reserve succeeds after the database is back',
        );
      }
      const before = stream.state.text.split('event: slot').length;
      await waitFor(
        async () => (await fetch(`${workers[0]!.url}/readyz`)).status === 200,
        10_000,
        'ready again (database and LISTEN)',
      );
      assert.ok(Date.now() - back < 15_000);
      // A change made through the other process reaches the stream: LISTEN is back.
      assert.equal((await reserve(workers[1]!.url, hot, customer++, `idle-${mode}`)).status, 201);
      await waitFor(
        () => stream.state.text.split('event: slot').length > before,
        5_000,
        'a live update after the restart',
      );
      assert.ok(alive(), 'no process exited');
    }
  });

  for (const mode of ['fast', 'immediate'] as const) {
    it(`${mode} restart mid-burst: no process exits, every key settles, nothing answered 201 is lost`, async () => {
      const hot = await setupHotDrop(handle, { capacity: 60, customers: 120, now: NOW });
      const deadline = Date.now() + 90_000;
      const burst = Promise.all(
        hot.customers.map(async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 1_500));
          return until(() => workers.map((w) => w.url), hot, i, `outage-${mode}`, deadline);
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      pgServer.stop(mode);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      pgServer.start();
      const settled = await burst;
      assert.ok(alive(), 'no process exited');
      const seen = settled.flatMap((s) => s.seen);
      assert.deepEqual(
        seen.filter((answer) => !ALLOWED.has(answer.status)),
        [],
        'every answer is 201, 409, 429 or 503',
      );
      assert.ok(
        seen.some((answer) => answer.status === 503),
        'the outage hit the burst (some requests were answered 503)',
      );
      assert.equal(
        settled.reduce((n, s) => n + s.connectionErrors, 0),
        0,
        `no connection was cut: ${JSON.stringify(settled.flatMap((s) => s.errors).slice(0, 5))}`,
      );
      await checkNothingLost(
        handle.db,
        hot,
        settled.map((s) => s.final),
      );
    });
  }
});
