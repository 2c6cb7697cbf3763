/**
 * One reference-backend process for the concurrency suite and the benchmark: PostgreSQL from DATABASE_URL,
 * PGlite otherwise, a clock the parent sets through `/__control/*` (test-only routes), and port 0.
 * Prints `READY <port>` when it listens.
 */
import { consoleLogger, createApp, silentLogger } from '../../examples/server/app.js';
import { serve } from '../../examples/server/serve.js';
import { ManualClock } from '../../examples/server/clock.js';
import { openDatabase } from '../../examples/server/db/index.js';
import { naiveReserve } from './naive.js';
import { FileChannel } from '../../examples/server/notifications/channel.js';

const clock = new ManualClock(Number(process.env.CLOCK_START ?? Date.now()));
const handle = await openDatabase({
  url: process.env.DATABASE_URL,
  poolSize: Number(process.env.POOL_SIZE ?? 20),
});
await handle.migrate();
const dropslot = await createApp({
  db: handle,
  clock,
  metricsToken: process.env.METRICS_TOKEN,
  rateLimits:
    process.env.RATE_LIMITS === 'off'
      ? false
      : {
          reservePerCustomer: { points: 100, duration: 10 },
          reservePerIp: { points: 1_000_000, duration: 10 },
          authPerIp: { points: 1_000_000, duration: 10 },
          trustProxy: false,
        },
  // NOTIFY_LOG_FILE: notifications go to this JSON lines file (the parent reads what every process sent).
  ...(process.env.NOTIFY_LOG_FILE && {
    notifications: {
      channel: new FileChannel(process.env.NOTIFY_LOG_FILE),
      batchSize: Number(process.env.NOTIFY_BATCH ?? 50),
    },
  }),
  webhooks: {
    allowPrivateUrls: process.env.WEBHOOK_ALLOW_PRIVATE_URLS === 'true',
    ...(process.env.WEBHOOK_TIMEOUT_MS && { timeoutMs: Number(process.env.WEBHOOK_TIMEOUT_MS) }),
  },
  payments: { test: { latencyMs: Number(process.env.TEST_PROVIDER_LATENCY_MS ?? 0) } },
  extend(app) {
    app.post('/__control/clock', async (c) => {
      const { at } = (await c.req.json()) as { at: number };
      clock.set(at);
      return c.json({ now: clock.now().toISOString() });
    });
    app.get('/__control/subscribers', (c) => c.json({ count: dropslot.services.live.subscriberCount() }));
    app.post('/__control/sweep', async (c) => c.json({ expired: await dropslot.sweep() }));
    app.post('/__control/notify', async (c) => c.json(await dropslot.notify()));
    app.post('/__control/deliver', async (c) => c.json({ attempted: await dropslot.deliverWebhooks() }));
    // The benchmark's baseline: the naive read-then-insert a hand-rolled backend would do (it oversells).
    app.post('/__bench/naive-reserve', async (c) => {
      const { slotId, userId } = (await c.req.json()) as { slotId: string; userId: string };
      return c.json(...(await naiveReserve(handle.db, slotId, userId, clock.now())));
    });
  },
});
// CRASH_STEP / CRASH_AFTER: the process kills itself (SIGKILL: no shutdown code runs) the CRASH_AFTER-th time a keyed
// request reaches that step (see `IdempotencyStep`), so the crash tests can stop it between any two steps.
const crashStep = process.env.CRASH_STEP;
let crashCountdown = Number(process.env.CRASH_AFTER ?? 1);
if (crashStep) {
  dropslot.services.onIdempotencyStep = (step) => {
    if (step === crashStep && --crashCountdown <= 0) process.kill(process.pid, 'SIGKILL');
  };
}
serve({
  dropslot,
  handle,
  port: 0,
  host: '127.0.0.1',
  log: process.env.WORKER_LOG === 'on' ? consoleLogger : silentLogger,
  workers: process.env.WORKERS === 'on',
  onListening: (address) => console.log(`READY ${address.port}`),
});
