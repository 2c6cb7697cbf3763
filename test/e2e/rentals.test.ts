/**
 * Renting, end to end: headless Chromium (playwright-core) against the real reference backend — createApp on PGlite,
 * the demo store mounted as `npm start` mounts it, `<rental-catalog>` and `<rental-checkout>` loaded on demand by the
 * one script tag, every page under the demo's strict Content-Security-Policy. The story:
 *
 *  1. Two other customers already rent 2 of the camera's 3 units for the chosen days (through the API).
 *  2. A shopper opens the rentals page, picks the camera in the catalog, chooses the days with the keyboard in the
 *     calendar grid, applies a promo code, books (built-in sign-in), confirms (the demo store takes payment at
 *     pickup) and gets the pickup QR code.
 *  3. The last unit is gone: the same days are booked out in the calendar and the API says 0 free.
 *  4. Staff verify the pickup code on the desk once; a second scan is refused with when it was first used.
 *
 * Throughout: axe with 0 violations per state, 0 `securitypolicyviolation` events, no unexpected console errors.
 */
import { sql } from 'drizzle-orm';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_SHOPPER, DEMO_STAFF } from '../../examples/server/seed.js';
import { addDays, dateIn, zonedInstant } from '../../components/rental-checkout/calendar.js';
import {
  consoleErrors,
  expectAccessible,
  launchChromium,
  requested,
  startDemoServer,
  violations,
  waitFor,
  waitForAttribute,
  watchedContext,
  type DemoServer,
} from './support.js';

const ZONE = 'Europe/Berlin';
let demo: DemoServer;
let baseUrl: string;
let browser: Browser;

/** The API with the publishable key (and a customer token). */
const call = <T = any>(method: string, route: string, key: string, body?: unknown, token?: string) =>
  demo.call<T>(method, route, { key, body, token });

before(async () => {
  demo = await startDemoServer();
  baseUrl = demo.baseUrl;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

test('rent the last camera through the widget, then staff verify its pickup code once', async () => {
  const pk = demo.publishableKey;
  const products = await call<{ data: { id: string; name: string; rental: { unitsInService: number } }[] }>(
    'GET',
    '/v1/products?rentable=true',
    pk,
  );
  const camera = products.data.find((p) => p.name === 'Mirrorless camera kit')!;
  // Staff verify a pickup three days ahead: this store opens pickups a week before they start.
  await demo.handle.db.execute(sql`update stores set check_in_opens_minutes = ${7 * 24 * 60}`);
  assert.equal(camera.rental.unitsInService, 3);

  // ---- 1. Two units already rented for the days the shopper will choose ---------------------------------------------
  const today = dateIn(Date.now(), ZONE);
  const startDay = addDays(today, 3);
  const endDay = addDays(today, 5);
  const period = {
    start: zonedInstant(startDay, 10, ZONE).toISOString(),
    end: zonedInstant(endDay, 10, ZONE).toISOString(),
  };
  for (const n of [1, 2]) {
    const session = await call<{ token: string }>('POST', '/v1/customers/sign-up', pk, {
      email: `renter-${n}-${Date.now()}@e2e.dropslot.test`,
      password: 'rental-e2e-password',
    });
    await call(
      'POST',
      '/v1/rentals',
      pk,
      { items: [{ productId: camera.id, quantity: 1 }], ...period },
      session.token,
    );
  }
  const before = await call<{ freeUnits: number }>(
    'GET',
    `/v1/products/${camera.id}/availability?start=${period.start}&end=${period.end}`,
    pk,
  );
  assert.equal(before.freeUnits, 1, 'one unit left');

  // ---- 2. The shopper rents it through the widget --------------------------------------------------------------------
  const context = await watchedContext(browser, 'shopper');
  const page = await context.newPage();
  await page.goto(`${baseUrl}/rentals`);
  const catalog = page.locator('rental-catalog');
  const checkout = page.locator('rental-checkout');
  await waitForAttribute(catalog, 'state', 'ready');
  await expectAccessible(page, 'rental-catalog', 'ready');
  await catalog.locator('button[part~="category"]', { hasText: 'Cameras' }).click();
  const cards = catalog.locator('[part~="card"]');
  assert.equal(await cards.count(), 1, 'the Cameras filter shows the camera only');
  await cards.first().locator('button[part~="button-primary"]').click();
  await until(async () => (await checkout.getAttribute('product')) === camera.id);
  await waitForAttribute(checkout, 'state', 'choose');
  assert.match(await checkout.locator('[part~="product"]').innerText(), /Mirrorless camera kit/);
  await expectAccessible(page, 'rental-checkout', 'choose');

  // Keyboard in the grid: today has focus; three days on is pickup, two more is return.
  const focused = checkout.locator('td[role="gridcell"][tabindex="0"]');
  assert.equal(await focused.getAttribute('data-date'), today);
  await focused.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await waitForAttribute(checkout, 'state', 'quote');
  const total = checkout.locator('[part~="total"]');
  await until(async () => /70\.00/.test(await total.innerText()));
  await checkout.locator('input[name="promo"]').fill('WELCOME10');
  await checkout.locator('form.promo button[type="submit"]').click();
  await until(async () => /63\.00/.test(await total.innerText()));
  assert.match(await checkout.locator('[part~="quote"]').innerText(), /WELCOME10/);
  await expectAccessible(page, 'rental-checkout', 'quote');

  await checkout.locator('button[data-primary]').click();
  await waitForAttribute(checkout, 'state', 'sign-in');
  await expectAccessible(page, 'rental-checkout', 'sign-in');
  await checkout.locator('input[name="email"]').fill(DEMO_SHOPPER.email);
  await checkout.locator('input[name="password"]').fill(DEMO_SHOPPER.password);
  await checkout.locator('button[value="sign-in"]').click();
  await waitForAttribute(checkout, 'state', 'payment');
  assert.match(await checkout.locator('.payment [part~="notice"]').innerText(), /Pay €63\.00 at pickup/);
  await expectAccessible(page, 'rental-checkout', 'payment');
  await checkout.locator('button[data-primary]').click();
  await waitForAttribute(checkout, 'state', 'confirmed');
  await checkout.locator('svg[part="qr"]').waitFor();
  await expectAccessible(page, 'rental-checkout', 'confirmed');
  const code = (await checkout.locator('code.code').innerText()).trim();
  assert.match(code, /^ds1h\./);

  // ---- A reload, and another device, show the same booking -----------------------------------------------------------
  await page.goto(`${baseUrl}/rentals?product=${camera.id}`);
  await waitForAttribute(checkout, 'state', 'confirmed');
  await checkout.locator('svg[part="qr"]').waitFor();
  assert.equal(
    (await checkout.locator('code.code').innerText()).trim(),
    code,
    'the same pickup code after a reload',
  );
  const otherDevice = await (await watchedContext(browser, 'other-device')).newPage();
  await otherDevice.goto(`${baseUrl}/rentals?product=${camera.id}`);
  const elsewhere = otherDevice.locator('rental-checkout');
  await waitForAttribute(elsewhere, 'state', 'choose');
  await elsewhere.locator('[part~="account-sign-in"]').click();
  await elsewhere.locator('input[name="email"]').fill(DEMO_SHOPPER.email);
  await elsewhere.locator('input[name="password"]').fill(DEMO_SHOPPER.password);
  await elsewhere.locator('button[value="sign-in"]').click();
  await waitForAttribute(elsewhere, 'state', 'confirmed');
  assert.equal((await elsewhere.locator('code.code').innerText()).trim(), code, 'and on another device');
  await expectAccessible(otherDevice, 'rental-checkout', 'restored');

  // ---- 3. Those days are now booked out for everyone ------------------------------------------------------------------
  const after = await call<{ freeUnits: number }>(
    'GET',
    `/v1/products/${camera.id}/availability?start=${period.start}&end=${period.end}`,
    pk,
  );
  assert.equal(after.freeUnits, 0);
  await checkout.locator('button[data-primary]').click(); // "Book other dates"
  await waitForAttribute(checkout, 'state', 'choose');
  for (const day of [startDay, addDays(startDay, 1)]) {
    const cell = checkout.locator(`td[data-date="${day}"]`);
    await waitForAttribute(cell, 'aria-disabled', 'true');
    assert.match(await cell.innerText(), /Booked out/);
  }
  await checkout.locator(`td[data-date="${startDay}"]`).click({ force: true });
  assert.equal(await checkout.getAttribute('state'), 'choose', 'a booked-out day cannot be chosen');

  // ---- 4. Staff verify the pickup code once ---------------------------------------------------------------------------
  const staffContext = await watchedContext(browser, 'staff');
  const staffPage = await staffContext.newPage();
  await staffPage.goto(`${baseUrl}/staff`);
  const desk = staffPage.locator('check-in-desk');
  await desk.locator('input[name="email"]').fill(DEMO_STAFF.email);
  await desk.locator('input[name="password"]').fill(DEMO_STAFF.password);
  await desk.locator('input[name="password"]').press('Enter');
  const codeInput = desk.locator('input[name="code"]');
  await codeInput.waitFor();
  await codeInput.fill(code);
  await codeInput.press('Enter');
  const result = desk.locator('[part~="result"]');
  await waitForAttribute(result, 'data-result', 'handover');
  assert.match(await result.innerText(), /Pickup verified: hand over RENT-CAM-1-00\d/);
  await expectAccessible(staffPage, 'check-in-desk', 'pickup verified');
  await codeInput.fill(code);
  await codeInput.press('Enter');
  await waitForAttribute(result, 'data-result', 'used');
  assert.match(await result.innerText(), /Already used at/);

  const order = await call<{ data: { status: string; qrType: string | null }[] }>(
    'GET',
    '/v1/rentals',
    pk,
    undefined,
    (await call<{ token: string }>('POST', '/v1/customers/sign-in', pk, DEMO_SHOPPER)).token,
  );
  assert.equal(order.data[0]!.status, 'active', 'picked up');

  // ---- Throughout ------------------------------------------------------------------------------------------------
  assert.deepEqual(violations, [], 'no securitypolicyviolation events');
  const chunk = (name: string) => (url: string) => url.includes(`/chunks/${name}-`);
  assert.ok(requested.get('shopper')!.some(chunk('rental-checkout')), 'the checkout loads on demand');
  assert.ok(!requested.get('shopper')!.some(chunk('check-in-desk')), 'shoppers never load the staff desk');
  const unexpected = consoleErrors.filter((e) => !/409/.test(e.text));
  assert.deepEqual(unexpected, [], 'no console errors but the refused second scan');
});

/** Polls a condition of the page (see `waitFor`). */
const until = (check: () => Promise<boolean>) => waitFor('the page', check, () => Promise.resolve('not yet'));
