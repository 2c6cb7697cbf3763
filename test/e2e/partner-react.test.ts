/**
 * The partner frontend (examples/partner-react: Vite + React on the SDK's stores through @nanostores/react), end to end:
 * type-checked with its own tsconfig, built with Vite, served from its own origin, and driven in headless Chromium
 * against the real backend (the demo store as `npm start` seeds it). A shopper sees the countdown of an upcoming drop,
 * signs in, holds a place (timer running, the drop's remaining places following the live stream), confirms and gets a
 * ticket with a QR code, joins the waitlist of a sold-out drop, and picks rental days in the calendar for a quote.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import {
  consoleErrors,
  launchChromium,
  startDemoServer,
  waitFor,
  watchedContext,
  type DemoServer,
} from './support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const example = path.join(root, 'examples/partner-react');
const outDir = mkdtempSync(path.join(tmpdir(), 'partner-react-'));

let demo: DemoServer;
let browser: Browser;
let site: Server;
let siteUrl: string;

/** `tsc -p examples/partner-react` (its own tsconfig: JSX, bundler resolution, `dropslot` mapped to src). */
function typecheck(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', example],
      {
        cwd: root,
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`tsc failed:\n${output}`))));
  });
}

/** Serves the built files, like any static host would. */
function serveStatic(dir: string): Promise<Server> {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
  };
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.join(dir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(dir)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  const [, , started] = await Promise.all([
    typecheck(),
    build({
      configFile: path.join(example, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    }),
    startDemoServer(),
  ]);
  demo = started;
  site = await serveStatic(outDir);
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
  await demo?.close();
  rmSync(outDir, { recursive: true, force: true });
});

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).first().textContent()) ?? '';

async function waitForText(page: Page, selector: string, pattern: RegExp, timeout?: number) {
  await waitFor(
    `${selector} ~ ${pattern}`,
    async () => pattern.test(await text(page, selector).catch(() => '')),
    () => text(page, selector).catch(() => '(missing)'),
    timeout,
  );
}

test('a shopper uses the partner frontend: countdown, sign-in, hold, ticket, waitlist, rental dates', async () => {
  const drops = (await demo.call('GET', '/v1/drops?limit=20', { key: demo.publishableKey })).data as any[];
  const upcoming = drops.find((d) => d.phase === 'upcoming');
  const open = drops.find((d) => d.phase === 'live' && d.capacityRemaining > 0);
  const soldOut = drops.find((d) => d.phase === 'live' && d.capacityRemaining === 0);
  assert.ok(upcoming && open && soldOut, 'the demo store has an upcoming, an open and a sold-out drop');
  const store = await demo.call('GET', '/v1/store', { key: demo.publishableKey });

  const context = await watchedContext(browser, 'partner');
  const page = await context.newPage();
  await page.goto(`${siteUrl}/?api=${encodeURIComponent(demo.baseUrl)}&key=${demo.publishableKey}`);
  await waitForText(page, 'h1', new RegExp(store.name));

  // The upcoming drop: a countdown on server time.
  await page.getByRole('button', { name: new RegExp(upcoming.name) }).click();
  await waitForText(page, '[data-testid=countdown]', /Opens in\s*\d\d:\d\d/);
  const left = await text(page, '.countdown-value');
  const [mm, ss] = left.split(':').map(Number) as [number, number];
  const opensIn = Date.parse(upcoming.startsAt) - Date.now();
  assert.ok(Math.abs(mm * 60_000 + ss * 1000 - opensIn) < 5_000, `countdown ${left} for ${opensIn} ms`);

  // Sign in as the demo shopper.
  await page.getByLabel('Email').fill('shopper@demo.dropslot.test');
  await page.getByLabel('Password').fill('dropslot-shopper');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await waitForText(page, '[data-testid=signed-in]', /shopper@demo\.dropslot\.test/);

  // The open drop: hold a place; the timer runs and the remaining places follow the stream.
  await page.getByRole('button', { name: new RegExp(open.name) }).click();
  await waitForText(page, '[data-testid=connection]', /Live/);
  await waitForText(page, '[data-testid=remaining]', new RegExp(`^${open.capacityRemaining} of`));
  await page.locator('.slot:not(.full) button').first().click();
  await waitForText(page, '[data-testid=hold-timer]', /^\d\d:\d\d$/);
  await waitForText(page, '[data-testid=remaining]', new RegExp(`^${open.capacityRemaining - 1} of`));
  const first = await text(page, '[data-testid=hold-timer]');
  await waitFor(
    'the hold timer to tick',
    async () => (await text(page, '[data-testid=hold-timer]')) !== first,
    () => text(page, '[data-testid=hold-timer]'),
  );
  await page.getByRole('button', { name: 'Confirm' }).click();
  await waitForText(page, '[data-testid=ticket] h3', /Your ticket/);
  const code = await text(page, '[data-testid=ticket-code]');
  const mine = await demo.call('GET', `/v1/reservations?dropId=${open.id}&state=CONFIRMED`);
  assert.ok(
    mine.data.some((r: any) => r.qrToken === code),
    'the ticket shows the confirmed reservation’s check-in code',
  );
  assert.equal(await page.locator('[data-testid=ticket] svg').count(), 1, 'with a QR code');

  // The sold-out drop: join its waitlist and see the position.
  await page.getByRole('button', { name: new RegExp(soldOut.name) }).click();
  await page.locator('.slot.full button').first().click();
  await waitForText(page, '[data-testid=waitlist]', /You are #\d+ in line/);

  // Rentals: a product, two days in the calendar, the quote.
  await page.getByRole('button', { name: 'Rent' }).click();
  await page.locator('.product-card').first().click();
  const days = page.locator('.day:not([disabled])');
  await page.locator('.calendar').waitFor();
  // Near the end of a month, the free days are in the next one.
  if ((await days.count()) < 2) await page.getByRole('button', { name: 'Next month' }).click();
  await waitFor(
    'free days in the calendar',
    async () => (await days.count()) >= 2,
    () => days.count(),
  );
  await days.nth(0).click();
  await days.nth(1).click();
  await waitForText(page, '[data-testid=quote-total]', /\d/);
  assert.equal(await page.locator('.day.selected').count(), 2);

  await context.close();
  assert.deepEqual(consoleErrors, [], 'no console errors');
});
