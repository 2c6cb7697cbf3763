/**
 * SSE fan-out: N subscribers of one drop's stream on ONE server process; one reserve changes a slot's capacity;
 * how long until every subscriber has the `slot` event. Runs 100 subscribers first as the baseline, then 10,000.
 * Needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL): the server runs in its own process so neither side
 * runs out of file descriptors.
 */
import http from 'node:http';
import { createTestDatabase } from '../support/db.js';
import { startCluster } from '../support/cluster.js';
import { setupHotDrop } from '../support/hot-drop.js';

const NOW = Date.parse('2030-07-01T10:00:00.000Z');
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const BUDGET_MS = 250;
const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!postgres) {
  console.log('SSE fan-out bench skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL.');
  process.exit(0);
}

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

interface Subscriber {
  snapshot: Promise<void>;
  /** Resolves with the arrival time of the first `slot` event carrying `capacityReserved >= n`. */
  slotEvent: Promise<number>;
  close(): void;
}

function subscribe(url: string, key: string, wantReserved: number): Subscriber {
  let resolveSnapshot!: () => void;
  let rejectSnapshot!: (e: Error) => void;
  let resolveSlot!: (t: number) => void;
  const snapshot = new Promise<void>((res, rej) => ((resolveSnapshot = res), (rejectSnapshot = rej)));
  const slotEvent = new Promise<number>((res) => (resolveSlot = res));
  const req = http.get(
    url,
    { agent, headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
    (res) => {
      if (res.statusCode !== 200) return rejectSnapshot(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('event: snapshot')) resolveSnapshot();
          else if (frame.includes('event: slot')) {
            const data = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { capacityReserved: number };
            if (data.capacityReserved >= wantReserved) resolveSlot(performance.now());
          }
        }
      });
    },
  );
  req.on('error', (e) => rejectSnapshot(e));
  return { snapshot, slotEvent, close: () => req.destroy() };
}

async function run(
  label: string,
  count: number,
  url: string,
  key: string,
  slotId: string,
  token: string,
  reserved: number,
) {
  const started = performance.now();
  const subscribers: Subscriber[] = [];
  // Connect in waves so the accept queue and the snapshot queries keep up.
  for (let i = 0; i < count; i += 500) {
    const wave = Array.from({ length: Math.min(500, count - i) }, () =>
      subscribe(`${url}/v1/drops/${dropId}/stream`, key, reserved),
    );
    subscribers.push(...wave);
    await Promise.all(wave.map((s) => s.snapshot));
    if (process.env.BENCH_VERBOSE)
      console.log(
        `${subscribers.length} connected after ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
  }
  const connected = performance.now() - started;
  if (process.env.BENCH_VERBOSE) {
    console.log('server sees', await (await fetch(`${url}/__control/subscribers`)).text());
  }
  const t0 = performance.now();
  const response = await fetch(`${url}/v1/reservations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'x-customer-token': token,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ slotId }),
  });
  if (response.status !== 201) throw new Error(`reserve answered ${response.status}`);
  let arrived = 0;
  for (const s of subscribers) void s.slotEvent.then(() => arrived++);
  const progress = setInterval(() => {
    if (process.env.BENCH_VERBOSE) console.log(`${arrived}/${count} have the event`);
  }, 2000);
  const arrivals = await Promise.all(subscribers.map((s) => s.slotEvent));
  clearInterval(progress);
  const lags = arrivals.map((t) => t - t0).sort((a, b) => a - b);
  for (const s of subscribers) s.close();
  return {
    label,
    count,
    connectSeconds: connected / 1000,
    p50: lags[Math.floor(lags.length / 2)]!,
    p99: lags[Math.floor(lags.length * 0.99)]!,
    all: lags[lags.length - 1]!,
  };
}

let dropId = '';
const database = await createTestDatabase('postgres');
const handle = await database.open(4);
const cluster = await startCluster({
  processes: 1,
  databaseUrl: database.url!,
  clockStart: NOW,
  env: { RATE_LIMITS: 'off' },
});
try {
  const hot = await setupHotDrop(handle, { capacity: 1000, customers: 2, now: NOW });
  dropId = hot.dropId;
  const url = cluster.urls[0]!;
  const results = [
    await run(
      'baseline: 100 subscribers',
      100,
      url,
      hot.store.publishableKey,
      hot.slotId,
      hot.customers[0]!.token,
      1,
    ),
    await run(
      `${SUBSCRIBERS} subscribers`,
      SUBSCRIBERS,
      url,
      hot.store.publishableKey,
      hot.slotId,
      hot.customers[1]!.token,
      2,
    ),
  ];
  console.log('\nSSE fan-out on one server process (PostgreSQL LISTEN/NOTIFY → every stream)\n');
  console.log('run                        connect all (s)  p50 (ms)  p99 (ms)  last (ms)');
  for (const r of results) {
    console.log(
      `${r.label.padEnd(27)}${r.connectSeconds.toFixed(2).padStart(15)}  ${r.p50.toFixed(0).padStart(8)}  ${r.p99.toFixed(0).padStart(8)}  ${r.all.toFixed(0).padStart(9)}`,
    );
  }
  const [base, big] = results as [(typeof results)[0], (typeof results)[0]];
  console.log(
    `\nThe last of ${big.count} subscribers had the change ${(big.all / Math.max(base.all, 1)).toFixed(1)}× as late as with ${base.count}.`,
  );
  console.log(
    big.all <= BUDGET_MS
      ? `Within the ${BUDGET_MS} ms budget.`
      : `OVER the ${BUDGET_MS} ms budget (${big.all.toFixed(0)} ms, measured with the subscribers' client in the same 2-core machine).`,
  );
} finally {
  await cluster.stop();
  await handle.close();
  await database.drop();
}
