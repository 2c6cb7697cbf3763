/**
 * Money, end to end: headless Chromium (playwright-core) against the real reference backend on PGlite, the demo store
 * seeded with online payments (`DEMO_PAYMENTS=online`: paid drops, rental invoices paid online) and the built-in test
 * provider, which confirms payments through its signed webhook like Stripe would. The story:
 *
 *  1. The store registers a webhook endpoint: the example receiver of `examples/webhook-receiver`, which verifies
 *     every message with the SDK's `verifyWebhook`; this test re-verifies each raw message with the npm
 *     `standardwebhooks` library.
 *  2. A shopper reserves a slot of the open paid drop, pays the hold with a test card whose bank asks to confirm, and
 *     the picker shows the confirmed reservation (and the ticket its QR code).
 *  3. The same shopper rents the camera and pays its invoice with a test card; the pickup QR code appears.
 *  4. Two payment receipts are recorded as sent notifications, and the receiver got the events of both stories:
 *     reservation.created/confirmed, payment.succeeded (twice), rental.created/confirmed, invoice.paid.
 *
 * Throughout: 0 `securitypolicyviolation` events, no console errors, axe with 0 violations on the payment step.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { rows } from '../../examples/server/db/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../examples/webhook-receiver/receiver.js';
import { addDays, dateIn } from '../../components/rental-checkout/calendar.js';
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
let baseUrl: string;
let browser: Browser;
let receiver: WebhookReceiver;
/** The receiver's secrets: filled in once the endpoint exists (the receiver reads them per request). */
const secrets: string[] = [];
/** Every message as received (headers and raw body), for the standardwebhooks re-check. */
const raw: { headers: Record<string, string>; body: string }[] = [];

/** The API with the store's secret key. */
const call = <T = any>(method: string, route: string, body?: unknown) =>
  demo.call<T>(method, route, { body });

before(async () => {
  demo = await startDemoServer({ payments: 'online', webhooks: { allowPrivateUrls: true } });
  baseUrl = demo.baseUrl;
  receiver = await startWebhookReceiver({
    secrets,
    port: 0,
    onEvent: (_event, request) =>
      raw.push({
        headers: Object.fromEntries(
          ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [
            h,
            String(request.headers[h]),
          ]),
        ),
        body: request.body.toString('utf8'),
      }),
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await receiver?.close();
  await demo?.close();
});

test('a paid drop and a rental paid with the test provider: receipts recorded, webhooks received and verified', async () => {
  // ---- 1. The store's webhook endpoint: the example receiver ------------------------------------------------------
  const endpoint = await call<{ secret: string }>('POST', '/v1/webhook-endpoints', {
    url: receiver.url,
    description: 'e2e receiver',
  });
  secrets.push(endpoint.secret);

  // ---- 2. A paid drop: reserve, pay with the bank's confirmation step, confirmed ----------------------------------
  const drops = await call<{ data: { id: string; name: string }[] }>('GET', '/v1/drops');
  const drop = drops.data.find((d) => d.name === 'Court Classic restock')!;
  const context = await watchedContext(browser, 'shopper');
  const page = await context.newPage();
  await page.goto(`${baseUrl}/#drop-${drop.id}`);
  const article = page.locator(`article[data-drop="${drop.id}"]`);
  const picker = article.locator('slot-picker');
  await waitForAttribute(picker, 'state', 'open');
  await picker.locator('[role="radio"]').first().click();
  await picker.locator('[data-primary]').click();
  await waitForAttribute(picker, 'state', 'sign-in');
  const email = `payer-${Date.now()}@e2e.dropslot.test`;
  await picker.locator('input[name="email"]').fill(email);
  await picker.locator('input[name="password"]').fill('payments-e2e-password');
  await picker.locator('button[value="sign-up"]').click();
  await waitForAttribute(picker, 'state', 'hold');
  await picker.locator('button[data-primary]').click(); // Confirm → a paid drop: the payment step
  const step = picker.locator('payment-step');
  await waitForAttribute(step, 'state', 'ready');
  assert.match(await step.locator('[part~="base"]').innerText(), /€119\.00/);
  await expectAccessible(page, `article[data-drop="${drop.id}"] slot-picker`, 'payment step');
  await step.locator('input[value="pm_card_requires_action"]').check();
  await step.locator('button[data-primary]').click();
  await waitForAttribute(step, 'state', 'action');
  await expectAccessible(page, `article[data-drop="${drop.id}"] slot-picker`, 'bank confirmation');
  await step.locator('button[data-primary]').click(); // "Confirm payment"
  await waitForAttribute(picker, 'state', 'confirmed', 20_000);
  const ticket = article.locator('reservation-ticket');
  await waitForAttribute(ticket, 'status', 'confirmed');
  await ticket.locator('svg[part="qr"]').waitFor();

  // ---- 3. A rental paid online ---------------------------------------------------------------------------------------
  await page.goto(`${baseUrl}/rentals`);
  const catalog = page.locator('rental-catalog');
  const checkout = page.locator('rental-checkout');
  await waitForAttribute(catalog, 'state', 'ready');
  await catalog.locator('[part~="card"]', { hasText: 'Mirrorless camera kit' }).locator('button').click();
  await waitForAttribute(checkout, 'state', 'choose');
  const today = dateIn(Date.now(), 'Europe/Berlin');
  const cell = (date: string) => checkout.locator(`td[data-date="${date}"]`);
  for (const day of [addDays(today, 1), addDays(today, 2)]) {
    if ((await cell(day).count()) === 0) await checkout.locator('.calendar-head button').last().click();
    await cell(day).click();
  }
  await waitForAttribute(checkout, 'state', 'quote');
  await waitFor(
    'a bookable quote',
    async () => !(await checkout.locator('button[data-primary]').isDisabled()),
    () => checkout.getAttribute('state'),
  );
  await checkout.locator('button[data-primary]').click();
  await waitForAttribute(checkout, 'state', 'awaiting-payment');
  const rentalStep = checkout.locator('payment-step');
  await waitForAttribute(rentalStep, 'state', 'ready');
  assert.match(await rentalStep.locator('[part~="base"]').innerText(), /€35\.00/);
  await rentalStep.locator('button[data-primary]').click();
  await waitForAttribute(checkout, 'state', 'confirmed', 20_000);
  assert.match(await checkout.locator('code.code').innerText(), /^ds1h\./);

  // ---- 4. Receipts and webhooks --------------------------------------------------------------------------------------
  const receipts = async () =>
    rows<{ status: string }>(
      demo.handle.db,
      sql`select status from notifications where template = 'payment_receipt' and recipient = ${email}`,
    );
  await waitFor(
    'two sent receipts',
    async () => (await receipts()).filter((r) => r.status === 'sent').length === 2,
    async () => JSON.stringify(await receipts()),
    20_000,
  );
  const wanted = [
    'reservation.created',
    'reservation.confirmed',
    'payment.succeeded',
    'rental.created',
    'rental.confirmed',
    'invoice.paid',
  ];
  await waitFor(
    'the webhook events',
    async () => wanted.every((type) => receiver.events.some((e) => e.type === type)),
    async () => receiver.events.map((e) => e.type).join(', '),
    20_000,
  );
  assert.equal(receiver.events.filter((e) => e.type === 'payment.succeeded').length, 2, 'two payments');
  const verifier = new Webhook(endpoint.secret);
  for (const message of raw) verifier.verify(message.body, message.headers); // throws on a bad signature
  assert.equal(raw.length, receiver.events.length, 'every received message was verified twice');

  assert.deepEqual(violations, [], 'no securitypolicyviolation events');
  assert.deepEqual(consoleErrors, [], 'no console errors (a paid hold goes straight to the payment step)');
});
