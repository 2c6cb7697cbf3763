/**
 * `createApp` builds the whole reference backend from its parts — database, clock, logger, limits — so tests give
 * every case its own database and a clock they control, and `main.ts` wires the real ones.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'drizzle-orm';
import * as z from 'zod/mini';
import { en } from 'zod/v4/locales';
import { ProblemCode } from '../../src/schemas/index.js';
import { systemClock, type Clock } from './clock.js';
import type { DatabaseHandle } from './db/index.js';
import { Tokens } from './domain/tokens.js';
import { expireDue } from './domain/reservations.js';
import { markOverdue } from './domain/rental-orders.js';
import { sweepSubscriptions } from './domain/subscriptions.js';
import { KeyCache } from './http/auth.js';
import { Revocations } from './http/revocation.js';
import { cors, PreflightOrigins } from './http/cors.js';
import { securityHeaders } from './http/security-headers.js';
import type { AppEnv } from './http/context.js';
import { ApiError, problemResponse, unavailable } from './http/problem.js';
import { purgeExpired, retentionSettings, type Purged, type RetentionSettings } from './domain/retention.js';
import { buildOpenApi } from './http/openapi.js';
import { docsPage } from './http/docs-page.js';
import { ticketLinkPage } from './notifications/ticket-link.js';
import { defaultRateLimits, RateLimiter, type RateLimitConfig } from './http/rate-limit.js';
import { describeBytes, JSON_BODY_LIMIT, Router } from './http/router.js';
import { LiveHub } from './live.js';
import { Metrics } from './metrics.js';
import { Semaphore } from './semaphore.js';
import type { Logger, Services } from './services.js';
import { catalogRoutes } from './routes/catalog.js';
import { dropRoutes } from './routes/drops.js';
import { reservationRoutes } from './routes/reservations.js';
import { waitlistRoutes } from './routes/waitlist.js';
import { customerRoutes } from './routes/customers.js';
import { rentalRoutes } from './routes/rentals.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { notificationRoutes } from './routes/notifications.js';
import { LogChannel, type Channel } from './notifications/channel.js';
import { Notifier, type NotifierOptions, type PassResult } from './notifications/worker.js';
import { webhookRoutes } from './routes/webhooks.js';
import { WebhookDeliverer, webhookSettings, type WebhookSettings } from './domain/webhook-delivery.js';
import { paymentRoutes } from './routes/payments.js';
import { storeRoutes, type OperatorOptions } from './routes/stores.js';
import { branchRoutes } from './routes/branches.js';
import { merchantCustomerRoutes } from './routes/merchant-customers.js';
import { reportRoutes } from './routes/reports.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { memberRoutes } from './routes/members.js';
import { assetFileRoute, assetRoutes } from './routes/assets.js';
import { AssetFiles, DEFAULT_MAX_UPLOAD_BYTES } from './domain/assets.js';
import { LocalAssetStore, type AssetStore } from './storage/index.js';
import { processRefunds } from './domain/payments.js';
import type { PaymentProvider } from './payments/provider.js';
import { TestProvider, TEST_SIGNATURE_HEADER, type TestProviderOptions } from './payments/test-provider.js';
import { StripeProvider, type StripeOptions } from './payments/stripe.js';

z.config(en());

export interface AppOptions {
  /** An opened (and migrated) database. */
  db: DatabaseHandle;
  /** @default the system clock */
  clock?: Clock;
  log?: Logger;
  /** Rate limits, or `false` to switch them off. @default defaultRateLimits */
  rateLimits?: RateLimitConfig | false;
  /** Public base URL, for the OpenAPI `servers` entry. @default '' (same origin) */
  publicUrl?: string;
  /** Payment providers: Stripe when given (then new payments use it), the built-in test provider always. */
  payments?: { stripe?: StripeOptions | undefined; test?: TestProviderOptions };
  /** The platform operator credential and the base of invitation links (`POST /v1/stores`). */
  operator?: OperatorOptions;
  /** Extra routes mounted before the API (the demo store pages). */
  extend?: (app: Hono<AppEnv>) => void;
  /** How notifications are sent (channel, reminder lead times, retries). @default the server log */
  notifications?: NotifierOptions & { channel?: Channel };
  /** Outbound webhooks: development mode (`allowPrivateUrls`), attempt timeout, lease… @default defaultWebhookSettings */
  webhooks?: Partial<WebhookSettings>;
  /** What the background worker purges and when (see `domain/retention.ts`). @default defaultRetention */
  retention?: Partial<RetentionSettings>;
  /**
   * Product assets: where uploaded images are kept (`storage/`) and the largest upload.
   * @default files under `./.data/assets`, at most 5 MiB
   */
  assets?: { store?: AssetStore; maxUploadBytes?: number };
  /**
   * `GET /metrics` (Prometheus text format) answers only with `Authorization: Bearer <token>`; without a token the
   * route does not exist (404). `METRICS_TOKEN` in the configuration.
   */
  metricsToken?: string | undefined;
}

export interface DropSlotApp {
  app: Hono<AppEnv>;
  services: Services;
  openapi: Record<string, unknown>;
  /**
   * Expires due holds, marks overdue rentals, records due subscription renewal notices and ends subscriptions whose
   * period is over, now (what the sweeper does every second); returns how many.
   */
  sweep(): Promise<number>;
  /** One retention pass now (what the background worker does every `retention.intervalMs`). */
  purge(): Promise<Purged>;
  /** Runs one webhook delivery pass now (what the workers do every second); returns how many messages it attempted. */
  deliverWebhooks(): Promise<number>;
  /**
   * Starts the background sweeper and webhook delivery; returns a stop function that resolves once the passes running
   * then have finished (a webhook pass gives back the leases of messages it had not attempted yet).
   */
  startWorkers(intervalMs?: number): () => Promise<void>;
  /**
   * Drains the process (SIGTERM): readiness turns false, new requests are answered 503 with Retry-After, streams end
   * with a `retry:` hint, and the promise resolves once the requests in flight have finished (or `timeoutMs` passed).
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /** The notification worker: derives notifications from new events and sends the due ones. */
  notifier: Notifier;
  /** One notification pass now (what the background worker does every interval). */
  notify(): Promise<PassResult>;
  close(): Promise<void>;
}

/**
 * Runs `work` every `intervalMs`, one pass at a time; `stop` clears the timer and resolves when the pass running then
 * has finished.
 */
function every(intervalMs: number, name: string, work: () => Promise<unknown>, log: Logger) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= work()
      .then(() => {})
      .catch((error: unknown) => log.error(`${name} failed`, { error: String(error) }))
      .finally(() => (running = undefined));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Reads what is left of a (small) request body that the answer did not need — a refusal before the body was read —
 * so the connection stays usable for the client's next request. Unread, the HTTP server would drain it with a short
 * deadline and, on a busy process, cut a keep-alive connection the client is about to reuse. `false` when a larger
 * body is left unread (the answer then closes the connection).
 */
async function readUnreadBody(request: Request): Promise<boolean> {
  if (!request.body || request.bodyUsed) return true;
  const length = Number(request.headers.get('content-length') ?? Infinity);
  if (length > JSON_BODY_LIMIT) return false;
  await request.arrayBuffer().catch(() => {});
  return true;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export async function createApp(options: AppOptions): Promise<DropSlotApp> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;
  const handle = options.db;
  const live = new LiveHub(clock);
  const revocations = new Revocations();
  const keys = new KeyCache();
  live.onAuthNotice = (notice) => revocations.apply(notice);
  const preflights = new PreflightOrigins();
  revocations.onNotice((notice) => {
    if (notice.t !== 'key') return;
    keys.forget(notice.keyHash);
    preflights.clear();
  });
  await live.start(handle);
  await revocations.start(handle);
  const testProvider = await TestProvider.load(handle.db, clock, options.payments?.test);
  const providers = new Map<string, PaymentProvider>([['test', testProvider]]);
  if (options.payments?.stripe) providers.set('stripe', new StripeProvider(options.payments.stripe));
  const services: Services = {
    db: handle.db,
    handle,
    clock,
    log,
    live,
    tokens: await Tokens.load(handle.db, clock),
    keys,
    revocations,
    reserveGate: new Semaphore(handle.poolSize),
    payments: { default: providers.get(options.payments?.stripe ? 'stripe' : 'test')!, byName: providers },
    testProvider,
    rateLimiter: new RateLimiter(
      handle,
      options.rateLimits === undefined ? defaultRateLimits : options.rateLimits,
    ),
    webhooks: webhookSettings(options.webhooks),
    assets: new AssetFiles(
      options.assets?.store ?? new LocalAssetStore('.data/assets'),
      options.assets?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
      handle.db,
      log,
    ),
  };
  const deliverer = new WebhookDeliverer(handle.db, clock, log, services.webhooks);

  const lifecycle: { draining: boolean; inFlight: number; idle?: () => void } = {
    draining: false,
    inFlight: 0,
  };
  live.onListenStatus = (listening, error) =>
    listening
      ? log.info('live updates: LISTEN re-established')
      : log.error('live updates: LISTEN connection lost; reconnecting', { error: String(error) });

  const app = new Hono<AppEnv>();
  const router = new Router(app);
  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
    c.set('requestId', requestId);
    c.set('services', services);
    c.header('x-request-id', requestId);
    if (lifecycle.draining && c.req.path !== '/healthz' && c.req.path !== '/readyz') {
      // Draining: this process takes no new work; the client retries, on another process behind the balancer.
      c.header('connection', 'close');
      throw unavailable('This server is restarting; retry after the time in Retry-After.');
    }
    lifecycle.inFlight++;
    try {
      await next();
      // A larger body left unread (an upload refused before it was read): the client must not reuse the connection.
      if (!(await readUnreadBody(c.req.raw))) c.res.headers.set('connection', 'close');
    } finally {
      if (--lifecycle.inFlight === 0) lifecycle.idle?.();
    }
  });
  app.use('*', securityHeaders());
  // Reserve decisions by outcome and their latency, and 429s by route: in memory, no database round trip.
  const metrics = new Metrics({ handle, subscribers: () => live.subscriberCount() });
  app.use('/v1/*', async (c, next) => {
    const reserve = c.req.method === 'POST' && c.req.path === '/v1/reservations';
    const started = reserve ? performance.now() : 0;
    try {
      await next();
    } finally {
      const status = c.res.status;
      if (status === 429) metrics.rateLimited(c.req.routePath);
      if (reserve) {
        const outcome =
          c.res.headers.get('idempotent-replayed') === 'true'
            ? 'replayed'
            : status === 201
              ? 'held'
              : (c.get('problemCode') ?? `http_${status}`);
        metrics.decision(outcome, (performance.now() - started) / 1000);
      }
    }
  });
  app.use('/v1/*', cors(preflights));
  // 64 KiB for every body, except on routes that take larger ones (image uploads).
  const bodyLimits = new Map<number, ReturnType<typeof bodyLimit>>();
  const limitOf = (maxSize: number) => {
    let limit = bodyLimits.get(maxSize);
    if (!limit) {
      limit = bodyLimit({
        maxSize,
        onError: () => {
          // The rest of the body is not read: the connection cannot carry another request.
          throw new ApiError(
            413,
            ProblemCode.payloadTooLarge,
            `The body is larger than ${describeBytes(maxSize)}.`,
            {},
            { connection: 'close' },
          );
        },
      });
      bodyLimits.set(maxSize, limit);
    }
    return limit;
  };
  app.use('/v1/*', (c, next) =>
    limitOf(router.maxBodyBytes(c.req.method, c.req.path) ?? JSON_BODY_LIMIT)(c, next),
  );
  app.onError((error, c) =>
    problemResponse(c, error, (e) =>
      log.error('unhandled error', {
        requestId: c.get('requestId'),
        error: e instanceof Error ? e.stack : String(e),
      }),
    ),
  );
  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError(404, ProblemCode.notFound, `No route ${c.req.method} ${c.req.path}.`),
      () => {},
    ),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  if (options.metricsToken) {
    const expected = `Bearer ${options.metricsToken}`;
    app.get('/metrics', async (c) => {
      const given = c.req.header('authorization') ?? '';
      if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
        throw new ApiError(401, ProblemCode.unauthenticated, 'Send the metrics token as a Bearer token.');
      }
      const { body, contentType } = await metrics.scrape();
      return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' });
    });
  }
  // Ready: not draining, the database answers (within a bound) and live updates are heard.
  app.get('/readyz', async (c) => {
    const database = await Promise.race([
      services.db.execute(sql`select 1`).then(
        () => true,
        () => false,
      ),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    const checks = { draining: lifecycle.draining, database, listening: handle.listening() };
    const ready = !checks.draining && checks.database && checks.listening;
    return c.json(
      { status: ready ? 'ready' : 'not_ready', database: handle.kind, checks },
      ready ? 200 : 503,
      ready ? {} : { 'retry-after': '1' },
    );
  });

  const channel = options.notifications?.channel ?? new LogChannel(log);
  catalogRoutes(router);
  dropRoutes(router);
  reservationRoutes(router);
  waitlistRoutes(router);
  customerRoutes(router);
  rentalRoutes(router);
  subscriptionRoutes(router);
  notificationRoutes(router);
  webhookRoutes(router);
  paymentRoutes(router);
  storeRoutes(router, options.operator);
  branchRoutes(router);
  merchantCustomerRoutes(router);
  reportRoutes(router);
  apiKeyRoutes(router);
  assetRoutes(router, { maxUploadBytes: services.assets.maxUploadBytes });
  memberRoutes(router, {
    channel: channel.kind,
    publicUrl: options.operator?.publicUrl ?? (options.publicUrl || undefined),
  });
  // The test provider's signed events reach the same inbound webhook route as Stripe's, in process.
  testProvider.attach(async (body, signature) => {
    const response = await app.request('/v1/webhooks/test', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: signature },
    });
    return response.ok;
  });
  const openapi = buildOpenApi(router.specs, options.publicUrl ?? '/');

  app.get('/openapi.json', (c) => c.json(openapi));
  assetFileRoute(app);
  docsPage(app);
  ticketLinkPage(app);
  options.extend?.(app);

  const notifier = new Notifier(services.db, clock, channel, log, {
    tokens: services.tokens,
    publicUrl: options.publicUrl,
    ...options.notifications,
  });
  const notify = () => notifier.pass();
  const retention = retentionSettings(options.retention);
  const purge = () => purgeExpired(services, retention);
  const sweep = async () => {
    const changed =
      (await expireDue(services.db, clock.now())) +
      (await markOverdue(services.db, clock.now())) +
      (await sweepSubscriptions(services.db, clock.now()));
    // Payments' background work (not counted): undelivered test provider events, refunds still to call.
    await testProvider.deliverPending();
    await processRefunds(services);
    return changed;
  };
  return {
    app,
    services,
    openapi,
    sweep,
    notifier,
    notify,
    deliverWebhooks: () => deliverer.runOnce(),
    purge,
    startWorkers(intervalMs = 1000) {
      const loops = [
        every(intervalMs, 'sweeper', sweep, log),
        every(retention.intervalMs, 'retention', purge, log),
        every(intervalMs, 'notification worker', notify, log),
        every(intervalMs, 'webhook delivery', () => deliverer.runOnce(), log),
      ];
      return async () => {
        deliverer.stop();
        await Promise.all(loops.map((loop) => loop.stop()));
      };
    },
    async drain({ timeoutMs = 10_000 } = {}) {
      lifecycle.draining = true;
      live.closeAll();
      if (lifecycle.inFlight === 0) return;
      await new Promise<void>((resolve) => {
        lifecycle.idle = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    },
    async close() {
      revocations.stop();
      await live.stop();
      await notifier.channel.close?.();
      await deliverer.close();
      await services.assets.close();
    },
  };
}
