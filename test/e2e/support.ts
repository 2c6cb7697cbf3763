/**
 * What the end-to-end tests share: Chromium's flags, browser contexts that report CSP violations, console errors and
 * requested URLs to the test, axe-core runs on elements (shadow DOM included), and polling helpers. Every e2e file
 * runs in its own process, so the collected problems are that file's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createApp, type AppOptions, type DropSlotApp } from '../../examples/server/app.js';
import { systemClock } from '../../examples/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../../examples/server/db/index.js';
import { mountDemoStore, type DemoStoreOptions } from '../../examples/server/demo-store.js';
import { DEMO_SHOPPER, DEMO_STAFF, seedDemo } from '../../examples/server/seed.js';
import { buildCdn, cdnIsFresh } from '../../scripts/build-cdn.mjs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Problem {
  page: string;
  text: string;
  /** For console messages: the script or resource they are about. */
  url?: string;
}

/** `securitypolicyviolation` events of every watched page. */
export const violations: Problem[] = [];
/** Every URL each context requested, by label. */
export const requested = new Map<string, string[]>();
/** Console errors and uncaught page errors of every watched page. */
export const consoleErrors: Problem[] = [];

/** Polls `check` until it returns true; fails with `describe()` (the state seen last) after `timeout` ms. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  describe: () => Promise<unknown>,
  timeout = 15_000,
) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last seen: ${String(await describe())}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function waitForAttribute(locator: Locator, name: string, value: string, timeout?: number) {
  return waitFor(
    `${name}="${value}"`,
    async () => (await locator.getAttribute(name)) === value,
    () => locator.getAttribute(name),
    timeout,
  );
}

/** A browser context whose pages report CSP violations and console errors to the test. */
export async function watchedContext(browser: Browser, label: string, options = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
  await context.exposeBinding('__reportCspViolation', ({ page }, text: string) => {
    violations.push({ page: `${label} ${page.url()}`, text });
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = (globalThis as unknown as { __reportCspViolation(text: string): void })
          .__reportCspViolation;
        report(
          `${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber}) ${e.sample}`,
        );
      },
      true,
    );
  });
  context.on('page', (page) => watchPage(page, label));
  const urls: string[] = [];
  requested.set(label, urls);
  context.on('request', (request) => urls.push(request.url()));
  return context;
}

export function watchPage(page: Page, label: string): void {
  page.on('console', (message) => {
    if (message.type() === 'error') {
      consoleErrors.push({
        page: `${label} ${page.url()}`,
        text: message.text(),
        url: message.location().url,
      });
    }
  });
  page.on('pageerror', (error) =>
    consoleErrors.push({ page: `${label} ${page.url()}`, text: error.message }),
  );
}

/**
 * Runs axe-core on the elements matching `selector` (their shadow DOM included) and fails on any violation. axe is
 * evaluated through the DevTools protocol, not added as a script, so the page's CSP is not involved.
 */
export async function expectAccessible(page: Page, selector: string, state: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (sel) => {
    const axe = (globalThis as unknown as { axe: typeof import('axe-core') }).axe;
    const results = await axe.run({ include: [[sel]] }, { resultTypes: ['violations'] });
    return results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join('; ')})`,
    );
  }, selector);
  assert.deepEqual(violations, [], `axe: ${selector} (${state})`);
}

/** The demo store as `npm start` serves it, on a fresh PGlite and a free port, with the workers running. */
export interface DemoServer {
  baseUrl: string;
  handle: DatabaseHandle;
  app: DropSlotApp;
  publishableKey: string;
  secretKey: string;
  /** JSON over real HTTP: `key` as the bearer, `token` as the customer token; a non-2xx answer throws. */
  call<T = any>(
    method: string,
    route: string,
    options?: { key?: string; body?: unknown; token?: string },
  ): Promise<T>;
  close(): Promise<void>;
}

/** Starts the demo store on real time (`systemClock`), seeded like `npm start` (`payments` as `DEMO_PAYMENTS`). */
export async function startDemoServer(
  options: { payments?: 'online' | 'at_pickup'; webhooks?: AppOptions['webhooks'] } = {},
): Promise<DemoServer> {
  if (!cdnIsFresh()) buildCdn(); // the pages load /dropslot.js from dist/cdn
  const handle = await openDatabase();
  await handle.migrate();
  // The demo store's pages need its keys, known once it is seeded (after the app exists).
  const demo: { store?: DemoStoreOptions } = {};
  const app = await createApp({
    db: handle,
    clock: systemClock,
    rateLimits: false,
    ...(options.webhooks && { webhooks: options.webhooks }),
    extend: (hono) => mountDemoStore(hono, () => demo.store),
  });
  const stopWorkers = app.startWorkers(300);
  const seeded = await seedDemo(handle.db, systemClock, { payments: options.payments });
  assert.ok('publishableKey' in seeded);
  demo.store = {
    storeId: seeded.storeId,
    publishableKey: seeded.publishableKey,
    demo: { shopper: DEMO_SHOPPER, staff: DEMO_STAFF },
  };
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    handle,
    app,
    publishableKey: seeded.publishableKey,
    secretKey: seeded.secretKey,
    async call(method, route, { key = seeded.secretKey, body, token } = {}) {
      const response = await fetch(`${baseUrl}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(token ? { 'x-customer-token': token } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await response.json();
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    async close() {
      stopWorkers();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await handle.close();
    },
  };
}

/** Headless Debian Chromium, as every e2e test runs it. */
export function launchChromium(args: string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args });
}
