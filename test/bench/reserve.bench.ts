/**
 * `npm run bench`: a hot drop — 5,000 concurrent reserve requests for 300 places — on PostgreSQL with 2 server
 * processes and on PGlite, beside a naive read-then-insert baseline measured in the same run.
 * PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (a scratch database is created and dropped).
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Agent, request } from 'undici';
import { createApp } from '../../examples/server/app.js';
import { ManualClock } from '../../examples/server/clock.js';
import { rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import { createTestDatabase } from '../support/db.js';
import { startCluster } from '../support/cluster.js';
import { setupHotDrop, type HotDrop } from '../support/hot-drop.js';
import { naiveReserve } from '../support/naive.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const PLACES = Number(process.env.BENCH_PLACES ?? 300);
const NOW = Date.parse('2030-06-01T10:00:00.000Z');
const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

interface Result {
  label: string;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  holds: number;
  statuses: Record<number, number>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function fire(
  label: string,
  urls: string[],
  hot: HotDrop,
  handle: DatabaseHandle,
  naive: boolean,
): Promise<Result> {
  // A fresh agent per run: no connection left idle from an earlier run (the server may have closed it).
  const agent = new Agent({ connections: 1024 });
  for (const url of urls) {
    await fetch(`${url}/v1/store`, {
      headers: { authorization: `Bearer ${hot.store.publishableKey}` },
      // @ts-expect-error undici's fetch accepts a dispatcher
      dispatcher: agent,
    }).then((r) => r.arrayBuffer());
  }
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = performance.now();
  await Promise.all(
    hot.customers.map(async (customer, i) => {
      const t0 = performance.now();
      const url = urls[i % urls.length]!;
      const response = await request(naive ? `${url}/__bench/naive-reserve` : `${url}/v1/reservations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${hot.store.publishableKey}`,
          'x-customer-token': customer.token,
          'content-type': 'application/json',
        },
        body: JSON.stringify(naive ? { slotId: hot.slotId, userId: customer.id } : { slotId: hot.slotId }),
        dispatcher: agent,
      });
      await response.body.arrayBuffer();
      const status = response.statusCode;
      latencies.push(performance.now() - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await agent.close();
  latencies.sort((a, b) => a - b);
  const [count] = await rows<{ n: number }>(
    handle.db,
    sql`select count(*)::int as n from reservations where slot_id = ${hot.slotId}`,
  );
  return {
    label,
    seconds,
    perSecond: REQUESTS / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    holds: count!.n,
    statuses,
  };
}

const results: Result[] = [];

if (postgres) {
  const database = await createTestDatabase('postgres');
  const handle = await database.open(4);
  const cluster = await startCluster({
    processes: 2,
    databaseUrl: database.url!,
    clockStart: NOW,
    env: { RATE_LIMITS: 'off' },
  });
  try {
    for (const naive of [false, true]) {
      const hot = await setupHotDrop(handle, { capacity: PLACES, customers: REQUESTS, now: NOW });
      const label = `PostgreSQL, 2 processes — ${naive ? 'naive read-then-insert' : 'DropSlot'}`;
      results.push(await fire(label, cluster.urls, hot, handle, naive));
    }
  } finally {
    await cluster.stop();
    await handle.close();
    await database.drop();
  }
} else {
  console.warn('No BENCH_DATABASE_URL or TEST_DATABASE_URL: the PostgreSQL rows are skipped.');
}

{
  const database = await createTestDatabase('pglite');
  const handle = await database.open();
  const clock = new ManualClock(NOW);
  const app = await createApp({
    db: handle,
    clock,
    rateLimits: false,
    extend(hono) {
      hono.post('/__bench/naive-reserve', async (c) => {
        const { slotId, userId } = (await c.req.json()) as { slotId: string; userId: string };
        return c.json(...(await naiveReserve(handle.db, slotId, userId, clock.now())));
      });
    },
  });
  const server = createAdaptorServer({ fetch: app.app.fetch });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    for (const naive of [false, true]) {
      const hot = await setupHotDrop(handle, { capacity: PLACES, customers: REQUESTS, now: NOW });
      const label = `PGlite, 1 process — ${naive ? 'naive read-then-insert' : 'DropSlot'}`;
      results.push(await fire(label, [url], hot, handle, naive));
    }
  } finally {
    server.close();
    await app.close();
    await handle.close();
  }
}

console.log(`\nHot drop: ${REQUESTS} concurrent reserve requests for ${PLACES} places\n`);
const header = ['run', 'decide all (s)', 'requests/s', 'p50 (ms)', 'p99 (ms)', 'holds', 'statuses'];
const table = results.map((r) => [
  r.label,
  r.seconds.toFixed(2),
  r.perSecond.toFixed(0),
  r.p50.toFixed(0),
  r.p99.toFixed(0),
  `${r.holds}${r.holds === PLACES ? ' ✓' : r.holds > PLACES ? ' OVERSOLD' : ' short'}`,
  Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' '),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
for (const row of [header, ...table]) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
for (const engine of ['PostgreSQL', 'PGlite']) {
  const ours = results.find((r) => r.label.startsWith(engine) && r.label.endsWith('DropSlot'));
  const naive = results.find((r) => r.label.startsWith(engine) && r.label.includes('naive'));
  if (ours && naive) {
    console.log(
      `${engine}: DropSlot decides ${(naive.seconds / ours.seconds).toFixed(2)}× as fast as the naive baseline ` +
        `(${ours.seconds.toFixed(2)} s vs ${naive.seconds.toFixed(2)} s), with ${ours.holds} holds vs ${naive.holds}.`,
    );
  }
}
const ok = results.filter((r) => r.label.endsWith('DropSlot')).every((r) => r.holds === PLACES);
console.log(
  ok
    ? '\nEvery DropSlot run sold exactly the places there were.'
    : '\nFAILED: a DropSlot run did not end with exactly the places there were.',
);
process.exit(ok ? 0 : 1);
