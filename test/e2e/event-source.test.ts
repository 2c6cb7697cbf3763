/**
 * Live updates without the SDK: a partner's page on another origin opens the drop stream with the browser's own
 * `EventSource` (no headers: the publishable key is `?key=`), in headless Chromium against the real backend. The
 * snapshot arrives, a reservation made elsewhere arrives as a `slot` event, and CORS holds: a page on an origin the key
 * does not allow, or a URL carrying a secret key, gets no stream.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { schema } from '../../examples/server/db/index.js';
import { launchChromium, startDemoServer, waitFor, type DemoServer } from './support.js';

let demo: DemoServer;
let browser: Browser;
let partner: Server;
let partnerPort: number;

before(async () => {
  demo = await startDemoServer();
  // A partner's page on its own origin: a blank HTML page on another port.
  partner = createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><title>Partner</title><h1>Partner page</h1></html>');
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partnerPort = (partner.address() as AddressInfo).port;
  // The publishable key allows the partner's origin only (set before the key is first used, so no cache holds it).
  await demo.handle.db
    .update(schema.apiKeys)
    .set({ allowedOrigins: [`http://127.0.0.1:${partnerPort}`] })
    .where(eq(schema.apiKeys.kind, 'publishable'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => partner?.close(() => resolve()));
  await demo?.close();
});

interface Seen {
  type: string;
  data?: any;
  readyState?: number;
}

/** Opens `url` with the page's own `EventSource`, recording events in `window.seen`. */
async function listen(page: Page, url: string): Promise<void> {
  await page.evaluate((streamUrl) => {
    const seen: Seen[] = [];
    (window as unknown as { seen: Seen[] }).seen = seen;
    const source = new EventSource(streamUrl);
    for (const type of ['snapshot', 'slot', 'phase']) {
      source.addEventListener(type, (e) => seen.push({ type, data: JSON.parse((e as MessageEvent).data) }));
    }
    source.onerror = () => {
      seen.push({ type: 'error', readyState: source.readyState });
      source.close();
    };
  }, url);
}

const seenOn = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen[] }).seen);

test('a page on an allowed origin follows a drop with the native EventSource and ?key=', async () => {
  const drops = await demo.call('GET', '/v1/drops?phase=live');
  const drop = drops.data.find((d: any) => d.capacityRemaining > 0);
  assert.ok(drop, 'the demo store has a live drop with places');
  const slots = await demo.call('GET', `/v1/drops/${drop.id}/slots`);
  const slot = slots.data.find((s: any) => s.capacityReserved < s.capacityTotal);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${partnerPort}/`);
  await listen(page, `${demo.baseUrl}/v1/drops/${drop.id}/stream?key=${demo.publishableKey}`);
  await waitFor(
    'the snapshot',
    async () => (await seenOn(page)).some((e) => e.type === 'snapshot'),
    async () => JSON.stringify(await seenOn(page)),
  );
  const snapshot = (await seenOn(page)).find((e) => e.type === 'snapshot')!;
  assert.equal(snapshot.data.drop.id, drop.id);
  const before = snapshot.data.slots.find((s: any) => s.id === slot.id);
  assert.equal(before.capacityReserved, slot.capacityReserved);

  // Someone else takes a place: the page hears of it.
  const session = await demo.call('POST', '/v1/customer-sessions', { body: { externalId: 'es-partner-1' } });
  await demo.call('POST', '/v1/reservations', {
    key: demo.publishableKey,
    token: session.token,
    body: { slotId: slot.id },
  });
  await waitFor(
    'a slot event with the new capacity',
    async () =>
      (await seenOn(page)).some(
        (e) =>
          e.type === 'slot' &&
          e.data.slotId === slot.id &&
          e.data.capacityReserved === slot.capacityReserved + 1,
      ),
    async () => JSON.stringify(await seenOn(page)),
  );
  assert.ok(!(await seenOn(page)).some((e) => e.type === 'error'));

  // A secret key in the URL is refused: the stream fails and is not reopened.
  await listen(page, `${demo.baseUrl}/v1/drops/${drop.id}/stream?key=${demo.secretKey}`);
  await waitFor(
    'the refusal',
    async () => (await seenOn(page)).some((e) => e.type === 'error'),
    async () => JSON.stringify(await seenOn(page)),
  );
  assert.deepEqual(await seenOn(page), [{ type: 'error', readyState: EventSourceClosed }]);
  await context.close();
});

/** `EventSource.CLOSED`. */
const EventSourceClosed = 2;

test('a page on an origin the key does not allow gets no stream', async () => {
  const drops = await demo.call('GET', '/v1/drops?phase=live');
  const context = await browser.newContext();
  const page = await context.newPage();
  // Same server, other origin: `localhost` is not `127.0.0.1` to a browser.
  await page.goto(`http://localhost:${partnerPort}/`);
  await listen(page, `${demo.baseUrl}/v1/drops/${drops.data[0].id}/stream?key=${demo.publishableKey}`);
  await waitFor(
    'the refusal',
    async () => (await seenOn(page)).some((e) => e.type === 'error'),
    async () => JSON.stringify(await seenOn(page)),
  );
  assert.deepEqual(await seenOn(page), [{ type: 'error', readyState: EventSourceClosed }]);
  await context.close();
});
