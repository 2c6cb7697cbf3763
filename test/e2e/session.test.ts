/**
 * A shopper never loses their place, end to end: headless Chromium (playwright-core) against the real reference backend
 * and the demo store as `npm start` serves it. The elements restore the customer's standing in a drop from the server
 * (`GET /v1/customers/me/drops/{id}`), every element of a page reads one session, and the token is kept per store
 * across tabs. The story:
 *
 *  1. A takes the last place of a slot: no "join its waitlist" for them; the page reloads mid-hold → Confirm works.
 *  2. A new browser context (another device) signs in as A → the ticket shows, the picker offers no Reserve.
 *  3. B joins the waitlist; after a reload their position and "Leave the waitlist" are back.
 *  4. A cancels in the ticket → the picker on the same page changes at once.
 *  5. In Arabic the picker lays out right to left. Signing out shows in every element of the page.
 *
 * axe in each state; 0 CSP violations and 0 console errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  consoleErrors,
  expectAccessible,
  launchChromium,
  startDemoServer,
  violations,
  waitFor,
  waitForAttribute,
  watchedContext,
  type DemoServer,
} from './support.js';

let demo: DemoServer;
let browser: Browser;
const PASSWORD = 'session-password';

before(async () => {
  demo = await startDemoServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

test(
  'hold, ticket and waitlist place survive a reload, a new device and a cancel elsewhere',
  { timeout: 300_000 },
  async () => {
    const store = await demo.call('GET', '/v1/store');
    const products = await demo.call('GET', '/v1/products');
    const product = products.data.find((p: { sku: string }) => p.sku === 'AUR-RUN-MID') ?? products.data[0];
    const now = Date.now();
    const drop = await demo.call('POST', '/v1/drops', {
      body: {
        productId: product.id,
        branchId: store.branches[0].id,
        name: 'Session drop',
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 2 * 86_400_000).toISOString(),
        reservationRule: { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1 },
      },
    });
    const slotStart = new Date(now + 86_400_000);
    const slot = await demo.call('POST', `/v1/drops/${drop.id}/slots`, {
      body: {
        startsAt: slotStart.toISOString(),
        endsAt: new Date(slotStart.getTime() + 3_600_000).toISOString(),
        capacityTotal: 1,
      },
    });
    const emailA = `a-${now}@e2e.dropslot.test`;
    const emailB = `b-${now}@e2e.dropslot.test`;
    const at = (page: Page) => {
      const article = page.locator(`article[data-drop="${drop.id}"]`);
      return { picker: article.locator('slot-picker'), ticket: article.locator('reservation-ticket') };
    };
    const signIn = async (page: Page, email: string, create: boolean) => {
      const { picker } = at(page);
      await waitForAttribute(picker, 'state', 'sign-in');
      await picker.locator('input[name="email"]').fill(email);
      await picker.locator('input[name="password"]').fill(PASSWORD);
      await picker.locator(create ? 'button[value="sign-up"]' : 'button[value="sign-in"]').click();
    };
    const pickerSelector = `article[data-drop="${drop.id}"] slot-picker`;
    const ticketSelector = `article[data-drop="${drop.id}"] reservation-ticket`;

    // ---- 1. A takes the last place; reload mid-hold → Confirm ------------------------------------------------------------
    const contextA = await watchedContext(browser, 'A');
    const pageA = await contextA.newPage();
    await pageA.goto(`${demo.baseUrl}/#drop-${drop.id}`);
    const a = at(pageA);
    await waitForAttribute(a.picker, 'state', 'open');
    await a.picker.locator(`[role="radio"][data-slot-id="${slot.id}"]`).click();
    assert.match(await a.picker.locator('[part~="summary"]').innerText(), /\d/, 'the chosen slot is echoed');
    await a.picker.locator('[data-primary]').click();
    await signIn(pageA, emailA, true);
    await waitForAttribute(a.picker, 'state', 'hold');
    await waitForAttribute(a.ticket, 'status', 'pending'); // the same store: no request of its own needed
    // The stream reports the slot full: that is A's own place, not news for A.
    await waitFor(
      'the slot to be full',
      async () => (await demo.call('GET', `/v1/slots/${slot.id}`)).capacityRemaining === 0,
      async () => (await demo.call('GET', `/v1/slots/${slot.id}`)).capacityRemaining,
    );
    await pageA.waitForTimeout(500);
    const heard = await a.picker.locator('[role="status"]').innerText();
    assert.doesNotMatch(heard, /waitlist/i, `the holder of the last place hears: ${heard}`);
    await expectAccessible(pageA, pickerSelector, 'hold');

    await pageA.reload();
    await waitForAttribute(a.picker, 'state', 'hold');
    await waitForAttribute(a.ticket, 'status', 'pending');
    await expectAccessible(pageA, ticketSelector, 'pending after reload');
    const confirm = a.picker.locator('[data-primary]');
    assert.match(await confirm.innerText(), /confirm/i);
    await confirm.click();
    await waitForAttribute(a.picker, 'state', 'confirmed');
    await waitForAttribute(a.ticket, 'status', 'confirmed');
    await a.ticket.locator('svg[part="qr"]').waitFor();
    await expectAccessible(pageA, pickerSelector, 'confirmed');

    // ---- 2. Another device, same account → the ticket shows, no Reserve ------------------------------------------------
    const contextA2 = await watchedContext(browser, 'A, second device');
    let pageA2 = await contextA2.newPage();
    await pageA2.goto(`${demo.baseUrl}/#drop-${drop.id}`);
    let a2 = at(pageA2);
    await waitForAttribute(a2.picker, 'state', 'sold-out');
    await waitForAttribute(a2.ticket, 'status', 'signed-out');
    await expectAccessible(pageA2, pickerSelector, 'sold out, signed out');
    await a2.picker.locator('[part~="account-sign-in"]').click();
    await signIn(pageA2, emailA, false);
    await waitForAttribute(a2.picker, 'state', 'confirmed');
    await waitForAttribute(a2.ticket, 'status', 'confirmed');
    assert.equal(await a2.picker.getByRole('button', { name: /reserve|waitlist/i }).count(), 0);
    // A later visit in a new tab of the same browser is signed in already (the token is kept per store, across tabs).
    // The first tab closes first: each tab holds a live stream per drop, and one browser opens at most six HTTP/1.1
    // connections to a host (the reference server behind an HTTP/2 proxy has no such limit).
    await pageA2.close();
    pageA2 = await contextA2.newPage();
    await pageA2.goto(`${demo.baseUrl}/#drop-${drop.id}`);
    a2 = at(pageA2);
    await waitForAttribute(a2.picker, 'state', 'confirmed', 30_000);
    await waitForAttribute(a2.ticket, 'status', 'confirmed', 30_000);

    // ---- 3. B waits in line; a reload keeps the position and Leave --------------------------------------------------------
    const contextB = await watchedContext(browser, 'B');
    const pageB = await contextB.newPage();
    await pageB.goto(`${demo.baseUrl}/#drop-${drop.id}`);
    const b = at(pageB);
    await waitForAttribute(b.picker, 'state', 'sold-out');
    await b.picker.locator(`[role="radio"][data-slot-id="${slot.id}"]`).click();
    await b.picker.locator('[data-primary]').click();
    await signIn(pageB, emailB, true);
    await waitForAttribute(b.picker, 'state', 'waitlisted');
    await pageB.reload();
    await waitForAttribute(b.picker, 'state', 'waitlisted');
    assert.match(await b.picker.locator('.position').innerText(), /1/);
    assert.equal(await b.picker.getByRole('button', { name: /leave the waitlist/i }).count(), 1);
    await expectAccessible(pageB, pickerSelector, 'waitlisted after reload');

    // ---- 4. A cancels in the ticket → the picker on that page changes at once -----------------------------------------------
    await a2.ticket.locator('[part="cancel"]').click();
    await a2.ticket.locator('[part="cancel-confirm"]').click();
    await waitForAttribute(a2.ticket, 'status', 'cancelled');
    const pickerState = await a2.picker.getAttribute('state');
    assert.notEqual(pickerState, 'confirmed', 'the picker follows the ticket without a request of its own');
    // B, next in line, is promoted.
    await waitForAttribute(b.picker, 'state', 'promoted', 30_000);
    await expectAccessible(pageB, pickerSelector, 'promoted');

    // ---- 5. Arabic: right to left inside the picker; sign-out reaches every element -------------------------------------
    await pageA2.evaluate((id) => {
      for (const tag of ['slot-picker', 'reservation-ticket'])
        document.querySelector(`article[data-drop="${id}"] ${tag}`)!.setAttribute('locale', 'ar');
    }, drop.id);
    const direction = await a2.picker.evaluate(
      (el) => getComputedStyle(el.shadowRoot!.querySelector('[part~="base"]')!).direction,
    );
    assert.equal(direction, 'rtl');
    await expectAccessible(pageA2, pickerSelector, 'Arabic');
    await a2.picker.locator('[part~="sign-out"]').click();
    await waitForAttribute(a2.ticket, 'status', 'signed-out');

    await Promise.all([contextA.close(), contextA2.close(), contextB.close()]);
    assert.deepEqual(violations, [], 'no CSP violations');
    assert.deepEqual(consoleErrors, [], 'no console errors');
  },
);
