/**
 * `createApp` builds the whole reference backend from its parts — database, clock, logger, limits — so tests give
 * every case its own database and a clock they control, and `main.ts` wires the real ones.
 */
import { randomUUID } from 'node:crypto';
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
import { KeyCache } from './http/auth.js';
import { Revocations } from './http/revocation.js';
import { cors, PreflightOrigins } from './http/cors.js';
import { securityHeaders } from './http/security-headers.js';
import type { AppEnv } from './http/context.js';
import { ApiError, problemResponse } from './http/problem.js';
import { purgeIdempotencyKeys } from './http/idempotency.js';
import { buildOpenApi } from './http/openapi.js';
import { docsPage } from './http/docs-page.js';
import { defaultRateLimits, RateLimiter, type RateLimitConfig } from './http/rate-limit.js';
import { Router } from './http/router.js';
import { LiveHub } from './live.js';
import { Semaphore } from './semaphore.js';
import type { Logger, Services } from './services.js';
import { catalogRoutes } from './routes/catalog.js';
import { dropRoutes } from './routes/drops.js';
import { reservationRoutes } from './routes/reservations.js';
import { waitlistRoutes } from './routes/waitlist.js';
import { customerRoutes } from './routes/customers.js';
import { rentalRoutes } from './routes/rentals.js';
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
}

export interface DropSlotApp {
  app: Hono<AppEnv>;
  services: Services;
  openapi: Record<string, unknown>;
  /** Expires due holds and marks overdue rentals now (what the sweeper does every second); returns how many. */
  sweep(): Promise<number>;
  /** Runs one webhook delivery pass now (what the workers do every second); returns how many messages it attempted. */
  deliverWebhooks(): Promise<number>;
  /** Starts the background sweeper and webhook delivery; returns a stop function. */
  startWorkers(intervalMs?: number): () => void;
  /** The notification worker: derives notifications from new events and sends the due ones. */
  notifier: Notifier;
  /** One notification pass now (what the background worker does every interval). */
  notify(): Promise<PassResult>;
  close(): Promise<void>;
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
  };
  const deliverer = new WebhookDeliverer(handle.db, clock, log, services.webhooks);

  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : `req_${randomUUID().replaceAll('-', '')}`;
    c.set('requestId', requestId);
    c.set('services', services);
    c.header('x-request-id', requestId);
    await next();
  });
  app.use('*', securityHeaders());
  app.use('/v1/*', cors(preflights));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw new ApiError(413, ProblemCode.payloadTooLarge, 'The body is larger than 64 KiB.');
      },
    }),
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
  app.get('/readyz', async (c) => {
    await services.db.execute(sql`select 1`);
    return c.json({ status: 'ready', database: handle.kind });
  });

  const router = new Router(app);
  catalogRoutes(router);
  dropRoutes(router);
  reservationRoutes(router);
  waitlistRoutes(router);
  customerRoutes(router);
  rentalRoutes(router);
  notificationRoutes(router);
  webhookRoutes(router);
  paymentRoutes(router);
  storeRoutes(router, options.operator);
  branchRoutes(router);
  merchantCustomerRoutes(router);
  reportRoutes(router);
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
  docsPage(app);
  options.extend?.(app);

  const notifier = new Notifier(
    services.db,
    clock,
    options.notifications?.channel ?? new LogChannel(log),
    log,
    options.notifications,
  );
  const notify = () => notifier.pass();
  const sweep = async () => {
    const changed =
      (await expireDue(services.db, clock.now())) + (await markOverdue(services.db, clock.now()));
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
    startWorkers(intervalMs = 1000) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        sweep()
          .catch((error) => log.error('sweeper failed', { error: String(error) }))
          .finally(() => (running = false));
      }, intervalMs);
      const purge = setInterval(() => void purgeIdempotencyKeys(services).catch(() => {}), 3600_000);
      let notifying = false;
      const notifications = setInterval(() => {
        if (notifying) return;
        notifying = true;
        notify()
          .catch((error) => log.error('notification worker failed', { error: String(error) }))
          .finally(() => (notifying = false));
      }, intervalMs);
      let delivering = false;
      const webhooks = setInterval(() => {
        if (delivering) return;
        delivering = true;
        deliverer
          .runOnce()
          .catch((error) => log.error('webhook delivery failed', { error: String(error) }))
          .finally(() => (delivering = false));
      }, intervalMs);
      return () => {
        clearInterval(timer);
        clearInterval(purge);
        clearInterval(notifications);
        clearInterval(webhooks);
      };
    },
    async close() {
      revocations.stop();
      await live.stop();
      await notifier.channel.close?.();
      await deliverer.close();
    },
  };
}
