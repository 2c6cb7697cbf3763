/** `npm start`: the reference backend on embedded PGlite (or PostgreSQL with DATABASE_URL), seeded on first start. */
import { loadConfig } from './config.js';
import { consoleLogger, createApp, silentLogger } from './app.js';
import { systemClock } from './clock.js';
import { ensureDemo, openConfiguredDatabase } from './boot.js';
import { defaultRateLimits } from './http/rate-limit.js';
import { escapeHtml, mountDemoStore } from './demo-store.js';
import { DEMO_SHOPPER, DEMO_STAFF } from './seed.js';
import { channelFromConfig } from './notifications/channel.js';
import { serve } from './serve.js';
import { openAssetStore } from './storage/index.js';

const config = loadConfig();
const handle = await openConfiguredDatabase(config);
const keys = await ensureDemo(config, handle, systemClock);
const log = config.logLevel === 'silent' ? silentLogger : consoleLogger;
const dropslot = await createApp({
  db: handle,
  clock: systemClock,
  log,
  notifications: {
    channel: channelFromConfig(config.notifications, log),
    leads: config.notifications.leads,
  },
  publicUrl: config.publicUrl,
  operator: { token: config.operatorToken, publicUrl: config.publicUrl },
  metricsToken: config.metricsToken,
  rateLimits: { ...defaultRateLimits, trustProxy: config.trustProxy },
  webhooks: { allowPrivateUrls: config.webhookAllowPrivateUrls },
  retention: config.retention,
  assets: { store: await openAssetStore(config.assets), maxUploadBytes: config.assets.maxUploadBytes },
  payments: config.stripe && { stripe: { ...config.stripe, returnUrl: `${config.publicUrl}/` } },
  extend(app) {
    // The demo store at the root URL, with the widgets embedded by their script tag. Without its keys (the database
    // was seeded elsewhere) the page cannot be filled in, and says so.
    if (keys) {
      mountDemoStore(app, {
        storeId: keys.storeId,
        publishableKey: keys.publishableKey,
        demo: { shopper: DEMO_SHOPPER, staff: DEMO_STAFF },
        frameAncestors: config.storeFrameAncestors,
      });
    } else {
      app.get('/', (c) => c.html(landingPage(config.dataDir)));
    }
  },
});
serve({
  dropslot,
  handle,
  port: config.port,
  host: config.host,
  log,
  onListening(info) {
    const url = config.publicUrl;
    const lines = [
      '',
      `  DropSlot reference backend on ${handle.kind === 'pglite' ? `PGlite (${config.dataDir})` : 'PostgreSQL'}, port ${info.port}`,
      '',
      ...(keys ? [`  Demo store     ${url}/   (rentals: ${url}/rentals, staff desk: ${url}/staff)`] : []),
      `  API            ${url}/v1`,
      `  API reference  ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
      `  Health         ${url}/healthz`,
      `  Notifications  ${config.notifications.smtpUrl ? 'email via SMTP_URL' : config.notifications.logFile === '-' ? 'server log' : config.notifications.logFile}`,
      `  Assets         ${config.assets.s3 ? `S3 bucket ${config.assets.s3.bucket}${config.assets.s3.endpoint ? ` at ${config.assets.s3.endpoint}` : ''}` : config.assets.dir}`,
      `  Payments       ${config.stripe ? `Stripe (webhook: ${url}/v1/webhooks/stripe)` : 'built-in test provider (pm_card_visa, pm_card_declined, pm_card_requires_action)'}`,
      '',
      keys
        ? `  Demo store keys\n    publishable  ${keys.publishableKey}\n    secret       ${keys.secretKey}`
        : `  Demo store keys are unknown here (seeded elsewhere); delete ${config.dataDir} to start fresh.`,
      `  Demo staff     ${DEMO_STAFF.email} / ${DEMO_STAFF.password}`,
      `  Demo shopper   ${DEMO_SHOPPER.email} / ${DEMO_SHOPPER.password}`,
      '',
    ];
    console.log(lines.join('\n'));
  },
});

/** The root page when the demo store's keys are unknown (the database was seeded by another data directory). */
function landingPage(dataDir: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>DropSlot</title></head>
<body>
<main>
<h1>DropSlot reference backend</h1>
<p>The demo store page needs the demo store's publishable key, which is kept in <code>${escapeHtml(dataDir)}/demo-keys.json</code>
when the store is seeded. This database was seeded elsewhere: start with a fresh <code>DATA_DIR</code> to get the demo store.</p>
<ul>
<li><a href="/docs">API reference</a> (<a href="/openapi.json">OpenAPI 3.1 document</a>)</li>
<li><a href="/healthz">Health</a></li>
</ul>
</main>
</body>
</html>`;
}
