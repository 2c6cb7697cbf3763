/**
 * Drop day, end to end: headless Chromium (playwright-core) against the real reference backend — createApp on PGlite,
 * the demo store mounted exactly as `npm start` mounts it (`mountDemoStore`), the widgets loaded by their one script
 * tag from the built CDN bundle, every page under the demo's strict Content-Security-Policy.
 *
 * The server's clock is a ManualClock that the test drives: it runs three days ahead of the machine's clock (so of the
 * browser's too), which proves the countdown counts on server time. The story:
 *
 *  1. A drop opens a few seconds of server time after the page loads; the countdown flips to live at startsAt.
 *  2. Customer 1 reserves the only place (built-in sign-up step) → a hold with a visible timer → confirms → ticket.
 *  3. Customer 2 (another browser context) finds the slot sold out and joins the waitlist.
 *  4. Customer 1 cancels on their ticket → customer 2 is promoted, claims the place, and gets a ticket with a QR code.
 *  5. The QR code, screenshotted and decoded with jsqr, is the ticket's code. The staff page (a second browser whose
 *     fake camera films that screenshot) checks it in by camera; typing the same code is refused ("already used"),
 *     and a made-up code is invalid. Customer 2's ticket then shows "Checked in".
 *
 * Throughout: 0 `securitypolicyviolation` events and 0 console errors on every page.
 */
import { sql } from 'drizzle-orm';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { createApp, type DropSlotApp } from '../../examples/server/app.js';
import { ManualClock } from '../../examples/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../../examples/server/db/index.js';
import {
  DEMO_CSP,
  mountDemoStore,
  STAFF_CSP,
  type DemoStoreOptions,
} from '../../examples/server/demo-store.js';
import { DEMO_SHOPPER, DEMO_STAFF, seedDemo } from '../../examples/server/seed.js';
import { buildCdn, cdnIsFresh } from '../../scripts/build-cdn.mjs';
import {
  CHROMIUM_ARGS,
  consoleErrors,
  expectAccessible,
  type Problem,
  requested,
  violations,
  waitFor,
  waitForAttribute,
  watchedContext,
} from './support.js';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const require = createRequire(import.meta.url);
const jsQR = require('jsqr') as Decode;

/** The server's clock runs this far ahead of the machine's (and so of the browser's). */
const OFFSET_MS = 3 * 86_400_000 + 1_234;
/** The drop opens this long (server time) after it is created. */
const OPENS_IN_MS = 15_000;
const PASSWORD = 'drop-day-password';

let handle: DatabaseHandle;
let dropslot: DropSlotApp;
let server: ServerType;
let baseUrl: string;
let ticker: ReturnType<typeof setInterval>;
let stopWorkers: () => void;
let secretKey: string;
let storeOptions: DemoStoreOptions | undefined;
const clock = new ManualClock(Date.now() + OFFSET_MS);
const browsers: Browser[] = [];
const scratch = mkdtempSync(path.join(tmpdir(), 'dropslot-e2e-'));

async function api<T = any>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${secretKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Screenshots `element` and returns its RGBA pixels, drawn by a blank page's canvas (no CSP there). */
async function pixelsOf(browser: Browser, element: Locator) {
  const png = await element.screenshot();
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
      return { data: Array.from(data), width, height };
    }, png.toString('base64'));
  } finally {
    await page.close();
  }
}

/**
 * A one-frame Y4M video (what Chromium's fake camera plays in a loop) of `image` centred on white: the camera of the
 * staff browser "sees" the customer's ticket.
 */
function y4mOf(image: { data: number[]; width: number; height: number }): Buffer {
  const W = 640;
  const H = 480;
  const size = 360;
  const luma = Buffer.alloc(W * H, 235);
  const left = (W - size) / 2;
  const top = (H - size) / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = Math.floor((x * image.width) / size);
      const sy = Math.floor((y * image.height) / size);
      const i = (sy * image.width + sx) * 4;
      const value = 0.299 * image.data[i]! + 0.587 * image.data[i + 1]! + 0.114 * image.data[i + 2]!;
      luma[(top + y) * W + left + x] = value < 128 ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${W} H${H} F30:1 Ip A1:1 C420jpeg\n`),
    Buffer.from('FRAME\n'),
    luma,
    chroma,
  ]);
}

before(async () => {
  if (!cdnIsFresh()) buildCdn(); // the pages load /dropslot.js from dist/cdn
  // A clock the test controls, running in step with real time (so page timers and server time agree) but days ahead.
  ticker = setInterval(() => clock.set(Date.now() + OFFSET_MS), 5);
  handle = await openDatabase();
  await handle.migrate();
  dropslot = await createApp({
    db: handle,
    clock,
    rateLimits: false,
    extend: (app) => {
      mountDemoStore(app, () => storeOptions);
      // A page under a nonce-based policy (no 'self' for styles), for the litNonce test below.
      app.get('/e2e/nonce', (c) => {
        const nonce = randomBytes(16).toString('base64');
        const withNonce = c.req.query('nonce') !== 'off';
        const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nonce</title><link rel="icon" href="/store/logo.svg" type="image/svg+xml">
<script type="module" src="/dropslot.js"${withNonce ? ` nonce="${nonce}"` : ''} data-api="${new URL(c.req.url).origin}" data-key="${storeOptions!.publishableKey}" data-locale="en"></script>
</head><body><main><drop-countdown drop="${c.req.query('drop') ?? ''}"></drop-countdown></main></body></html>`;
        return c.body(html, 200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': `default-src 'self'; style-src 'nonce-${nonce}'`,
        });
      });
    },
  });
  stopWorkers = dropslot.startWorkers(500);
  const seeded = await seedDemo(handle.db, clock);
  assert.ok('publishableKey' in seeded);
  // The staff scans the ticket of tomorrow's slot today: this store opens check-in 3 days ahead.
  await handle.db.execute(
    sql`update stores set check_in_opens_minutes = ${3 * 24 * 60} where id = ${seeded.storeId}`,
  );
  secretKey = seeded.secretKey;
  storeOptions = {
    storeId: seeded.storeId,
    publishableKey: seeded.publishableKey,
    demo: { shopper: DEMO_SHOPPER, staff: DEMO_STAFF },
  };
  server = await new Promise((resolve) => {
    const s = serve({ fetch: dropslot.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const browser of browsers) await browser.close().catch(() => undefined);
  clearInterval(ticker);
  stopWorkers?.();
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  await dropslot?.close();
  await handle?.close();
  rmSync(scratch, { recursive: true, force: true });
});

test(
  'drop day: countdown on server time, hold, waitlist promotion, QR check-in once',
  { timeout: 240_000 },
  async () => {
    // ---- The drop: one place, opening shortly (server time) ---------------------------------------------------------
    const store = await api('GET', '/v1/store');
    const branch = store.branches[0];
    const products = await api('GET', '/v1/products');
    const product = products.data.find((p: { sku: string }) => p.sku === 'AUR-RUN-MID');
    const startsAt = clock.now().getTime() + OPENS_IN_MS;
    const drop = await api('POST', '/v1/drops', {
      productId: product.id,
      branchId: branch.id,
      name: 'Night Runner — launch drop',
      description: 'Ten numbered pairs. Opens while you watch.',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 2 * 86_400_000).toISOString(),
      reservationRule: { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1 },
    });
    const slotStart = new Date(startsAt + 86_400_000);
    const slot = await api('POST', `/v1/drops/${drop.id}/slots`, {
      startsAt: slotStart.toISOString(),
      endsAt: new Date(slotStart.getTime() + 3_600_000).toISOString(),
      capacityTotal: 1,
    });

    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    browsers.push(browser);

    // ---- 1. The page watches; the countdown flips to live at startsAt, on server time ------------------------------
    const context1 = await watchedContext(browser, 'customer 1');
    const page1 = await context1.newPage();
    const response = await page1.goto(`${baseUrl}/`);
    assert.equal(response?.headers()['content-security-policy'], DEMO_CSP);
    const scripts = await page1
      .locator('script')
      .evaluateAll((nodes) =>
        nodes.map((n) => ({ src: n.getAttribute('src'), inline: (n.textContent ?? '').trim().length > 0 })),
      );
    assert.deepEqual(
      scripts.map((s) => s.src),
      ['/dropslot.js'],
      'the store embeds the widgets with exactly one script tag',
    );
    assert.ok(scripts.every((s) => !s.inline));

    const article1 = page1.locator(`article[data-drop="${drop.id}"]`);
    const countdown1 = article1.locator('drop-countdown');
    await waitForAttribute(countdown1, 'phase', 'upcoming');
    // Server time, not the browser's: the browser's clock is three days behind, yet the countdown shows seconds.
    const shown = await countdown1.locator('[part~="time"]').innerText();
    assert.doesNotMatch(shown, /d|h/i, `the countdown shows minutes and seconds, not days: ${shown}`);
    await page1.evaluate(() => {
      const el = document.querySelector(
        'article:last-of-type drop-countdown, drop-countdown[phase="upcoming"]',
      );
      const record = globalThis as unknown as { __flipAt?: number };
      new MutationObserver(() => {
        if (el?.getAttribute('phase') === 'live' && record.__flipAt === undefined)
          record.__flipAt = Date.now();
      }).observe(el!, { attributes: true, attributeFilter: ['phase'] });
    });
    await waitForAttribute(countdown1, 'phase', 'live', OPENS_IN_MS + 15_000);
    const flipAt = await page1.evaluate(() => (globalThis as unknown as { __flipAt?: number }).__flipAt);
    assert.ok(flipAt !== undefined);
    const flipServerTime = flipAt + OFFSET_MS;
    assert.ok(flipServerTime >= startsAt - 100, `flipped ${startsAt - flipServerTime} ms before startsAt`);
    assert.ok(flipServerTime <= startsAt + 2_000, `flipped ${flipServerTime - startsAt} ms after startsAt`);

    // ---- 2. Customer 1: reserve → hold with a timer → confirm --------------------------------------------------------
    const picker1 = article1.locator('slot-picker');
    await waitForAttribute(picker1, 'state', 'open');
    await picker1.locator(`[role="radio"][data-slot-id="${slot.id}"]`).click();
    await picker1.locator('[data-primary]').click();
    await waitForAttribute(picker1, 'state', 'sign-in');
    await picker1.locator('input[name="email"]').fill(`first-${Date.now()}@e2e.dropslot.test`);
    await picker1.locator('input[name="password"]').fill(PASSWORD);
    await picker1.locator('button[value="sign-up"]').click();
    await waitForAttribute(picker1, 'state', 'hold');
    const timer = picker1.locator('[part~="timer"]');
    assert.ok(await timer.isVisible(), 'the hold timer is visible');
    assert.match(await timer.innerText(), /\d{1,2}:\d{2}/);
    await picker1.locator('[data-primary]').click();
    await waitForAttribute(picker1, 'state', 'confirmed');
    const ticket1 = article1.locator('reservation-ticket');
    await waitForAttribute(ticket1, 'status', 'confirmed');
    await ticket1.locator('svg[part="qr"]').waitFor();
    await expectAccessible(page1, `article[data-drop="${drop.id}"] reservation-ticket`, 'confirmed');

    // ---- 3. Customer 2: sold out → waitlist ----------------------------------------------------------------------
    const context2 = await watchedContext(browser, 'customer 2');
    const page2 = await context2.newPage();
    await page2.goto(`${baseUrl}/#drop-${drop.id}`);
    const article2 = page2.locator(`article[data-drop="${drop.id}"]`);
    const picker2 = article2.locator('slot-picker');
    await waitForAttribute(picker2, 'state', 'sold-out');
    const slot2 = picker2.locator(`[role="radio"][data-slot-id="${slot.id}"]`);
    assert.match((await slot2.getAttribute('part')) ?? '', /slot-full/);
    // Keyboard this time: focus the slot, choose it with Space, move to the button and press Enter.
    await slot2.focus();
    await page2.keyboard.press('Space');
    const join = picker2.locator('[data-primary]');
    assert.match(await join.innerText(), /waitlist/i);
    await join.focus();
    await page2.keyboard.press('Enter');
    await waitForAttribute(picker2, 'state', 'sign-in');
    await picker2.locator('input[name="email"]').fill(`second-${Date.now()}@e2e.dropslot.test`);
    await picker2.locator('input[name="password"]').fill(PASSWORD);
    await picker2.locator('button[value="sign-up"]').click();
    await waitForAttribute(picker2, 'state', 'waitlisted');
    assert.match(await picker2.locator('[part~="waitlist"]').innerText(), /number 1/);

    // ---- 4. Customer 1 cancels on the ticket → customer 2 is promoted and claims ----------------------------------
    await ticket1.locator('[part="cancel"]').click();
    await expectAccessible(page1, `article[data-drop="${drop.id}"] reservation-ticket`, 'cancel step');
    await ticket1.locator('[part="cancel-confirm"]').click();
    await waitForAttribute(ticket1, 'status', 'cancelled');
    await expectAccessible(page1, `article[data-drop="${drop.id}"] reservation-ticket`, 'cancelled');
    await waitForAttribute(picker2, 'state', 'promoted', 30_000);
    await picker2.locator('[data-primary]').click();
    await waitForAttribute(picker2, 'state', 'confirmed');
    const ticket2 = article2.locator('reservation-ticket');
    await waitForAttribute(ticket2, 'status', 'confirmed');

    // The ticket: when, where, the code as text and a calendar file.
    assert.match(await ticket2.locator('[part="where"]').innerText(), /Northside Mitte, Torstraße 101/);
    const token = (await ticket2.locator('[part="token"]').innerText()).trim();
    assert.ok(token.length > 10, 'the ticket shows its code as text');
    const [download] = await Promise.all([
      page2.waitForEvent('download'),
      ticket2.locator('a[part="calendar"]').click(),
    ]);
    assert.match(download.suggestedFilename(), /\.ics$/);
    const ics = readFileSync((await download.path())!, 'utf8');
    assert.match(ics, /^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    assert.match(ics, /\r\nBEGIN:VEVENT\r\nUID:reservation-[0-9a-f-]+@dropslot\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/);
    const utc = (d: Date) =>
      d
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    assert.match(
      ics,
      new RegExp(
        `\\r\\nDTSTART:${utc(slotStart)}\\r\\nDTEND:${utc(new Date(slotStart.getTime() + 3_600_000))}\\r\\n`,
      ),
    );
    assert.match(ics, /\r\nSUMMARY:Night Runner — launch drop\r\n/);
    assert.match(ics, /\r\nLOCATION:Northside Mitte\\, Torstraße 101\\, 10119 Berlin\r\n/);

    // ---- 5. The QR code decodes to the ticket's code ---------------------------------------------------------------
    const qr = ticket2.locator('svg[part="qr"]');
    await qr.waitFor();
    const pixels = await pixelsOf(browser, qr);
    const decoded = jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height);
    assert.equal(decoded?.data, token, 'the QR code carries the ticket code');

    // ---- 6. Staff: check in by camera once; the same code typed again is refused ----------------------------------
    const video = path.join(scratch, 'ticket.y4m');
    writeFileSync(video, y4mOf(pixels));
    const staffBrowser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    browsers.push(staffBrowser);
    const staffContext = await watchedContext(staffBrowser, 'staff', { permissions: ['camera'] });
    const staffPage = await staffContext.newPage();
    const staffResponse = await staffPage.goto(`${baseUrl}/staff`);
    assert.equal(staffResponse?.headers()['content-security-policy'], STAFF_CSP);
    const desk = staffPage.locator('check-in-desk');
    await desk.locator('input[name="email"]').waitFor();
    await expectAccessible(staffPage, 'check-in-desk', 'sign-in');
    await desk.locator('input[name="email"]').fill(DEMO_STAFF.email);
    await desk.locator('input[name="password"]').fill(DEMO_STAFF.password);
    await desk.locator('[part="sign-in"] button[type="submit"]').click();
    const result = desk.locator('[part~="result"]');
    await desk.locator('[part="camera-button"]').click();
    await waitForAttribute(result, 'data-result', 'ok', 30_000);
    assert.match(await result.innerText(), /Checked in: Night Runner — launch drop/);
    await expectAccessible(staffPage, 'check-in-desk', 'camera on, checked in');
    // The staff desk and (without a native BarcodeDetector) the JS decoder are lazy chunks: the staff page fetched them,
    // the shoppers' pages never did.
    const chunk = (name: string) => (url: string) => url.startsWith(`${baseUrl}/chunks/${name}-`);
    assert.ok(requested.get('staff')!.some(chunk('check-in-desk')));
    if (!(await staffPage.evaluate(() => 'BarcodeDetector' in globalThis))) {
      assert.ok(requested.get('staff')!.some(chunk('qr-decoder')), 'the camera read the code with jsqr');
    }
    for (const shopper of ['customer 1', 'customer 2']) {
      assert.ok(
        !requested.get(shopper)!.some(chunk('check-in-desk')),
        `${shopper} never loads the staff desk`,
      );
      assert.ok(!requested.get(shopper)!.some(chunk('qr-decoder')), `${shopper} never loads the QR decoder`);
    }
    assert.ok(
      requested.get('customer 2')!.some(chunk('ticket-extras')),
      'the QR encoder and .ics writer load with a confirmed ticket',
    );
    await desk.locator('[part="camera-button"]').click(); // stop the camera

    const code = desk.locator('input[name="code"]');
    await code.fill(token);
    await code.press('Enter');
    await waitForAttribute(result, 'data-result', 'used');
    await expectAccessible(staffPage, 'check-in-desk', 'already used');
    assert.match(await result.innerText(), /Already used at \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2}/);

    await code.fill('not-a-ticket');
    await code.press('Enter');
    await waitForAttribute(result, 'data-result', 'invalid');

    // The customer's ticket shows the check-in when the page becomes visible again.
    await page2.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await waitForAttribute(ticket2, 'status', 'checked-in');
    await expectAccessible(page2, `article[data-drop="${drop.id}"] reservation-ticket`, 'checked in');
    assert.match(await ticket2.locator('[part="status"]').innerText(), /Checked in at/);

    // The standalone ticket page (same tab, so the same signed-in shopper).
    const reservations = await api('GET', `/v1/reservations?dropId=${drop.id}&state=CHECKED_IN`);
    assert.equal(reservations.data.length, 1);
    await page2.goto(`${baseUrl}/ticket/${reservations.data[0].id}`);
    await waitForAttribute(page2.locator('reservation-ticket'), 'status', 'checked-in');

    // ---- Strict CSP and a clean console everywhere ----------------------------------------------------------------
    assert.deepEqual(violations, [], 'no securitypolicyviolation events');
    // Chromium logs every HTTP error status of a fetch as "Failed to load resource". The two refusals this test provokes
    // on purpose (the second scan: 409 qr_already_used; the made-up code: 400 qr_invalid) are expected, exactly once
    // each; anything else — a script error, any other failed request — fails the test.
    const refusal = (status: number) => (e: Problem) =>
      e.page.startsWith('staff ') &&
      e.url === `${baseUrl}/v1/check-ins` &&
      e.text ===
        `Failed to load resource: the server responded with a status of ${status} (${status === 409 ? 'Conflict' : 'Bad Request'})`;
    assert.equal(consoleErrors.filter(refusal(409)).length, 1, 'the refused second scan');
    assert.equal(consoleErrors.filter(refusal(400)).length, 1, 'the refused made-up code');
    const unexpected = consoleErrors.filter((e) => !refusal(409)(e) && !refusal(400)(e));
    assert.deepEqual(unexpected, [], 'no other console errors');
  },
);

test('strict CSP with nonces: without constructable stylesheets, Lit style tags carry the script nonce', async () => {
  const drops = await api('GET', '/v1/drops');
  const dropId = drops.data[0].id as string;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  browsers.push(browser);
  // An older browser: no adoptedStyleSheets, so Lit falls back to <style> elements (which CSP does govern).
  const oldBrowser = { viewport: { width: 800, height: 600 } };
  const check = async (label: string, query: string) => {
    const context = await watchedContext(browser, label, oldBrowser);
    await context.addInitScript(() => {
      delete (Document.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
      delete (ShadowRoot.prototype as { adoptedStyleSheets?: unknown }).adoptedStyleSheets;
    });
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/e2e/nonce?drop=${dropId}${query}`);
    const served = /'nonce-([^']+)'/.exec(response?.headers()['content-security-policy'] ?? '')?.[1];
    const countdown = page.locator('drop-countdown');
    await waitFor(
      'the countdown to render',
      async () => (await countdown.getAttribute('phase')) !== null,
      () => countdown.getAttribute('phase'),
    );
    const styles = await countdown.evaluate((el) => ({
      tags: [...el.shadowRoot!.querySelectorAll('style')].map((s) => (s as HTMLStyleElement).nonce ?? ''),
      display: getComputedStyle(el).display,
    }));
    await context.close();
    return { ...styles, served };
  };

  const withNonce = await check('nonce', '');
  assert.ok(withNonce.tags.length > 0, 'Lit used <style> elements');
  assert.ok(
    withNonce.served !== undefined && withNonce.tags.every((nonce) => nonce === withNonce.served),
    'every <style> carries the nonce',
  );
  assert.notEqual(withNonce.display, 'inline', 'the styles applied (an unstyled custom element is inline)');
  assert.deepEqual(
    violations.filter((v) => v.page.startsWith('nonce ')),
    [],
  );

  // Control: the same page whose script tag has no nonce — the fallback styles are refused, and the test sees it.
  const without = await check('no-nonce', '&nonce=off');
  assert.equal(without.display, 'inline', 'without the nonce the styles were refused');
  assert.ok(violations.some((v) => v.page.startsWith('no-nonce ') && v.text.startsWith('style-src')));
  for (let i = violations.length - 1; i >= 0; i--)
    if (violations[i]!.page.startsWith('no-nonce ')) violations.splice(i, 1);
  assert.deepEqual(
    consoleErrors.filter((e) => e.page.startsWith('nonce ')),
    [],
  );
});
