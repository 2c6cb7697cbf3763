/**
 * The API reference at `/docs` in Chromium: rendered from `/openapi.json` with every operation, under its strict
 * Content-Security-Policy (no violation), with no console error, no request leaving the origin (no online validator),
 * no validator badge, and no axe violation — collapsed, with an operation opened, and with a schema expanded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createApp, type DropSlotApp } from '../../examples/server/app.js';
import { DOCS_CSP } from '../../examples/server/http/docs-page.js';
import { openDatabase, type DatabaseHandle } from '../../examples/server/db/index.js';
import {
  consoleErrors,
  expectAccessible,
  launchChromium,
  requested,
  violations,
  watchedContext,
} from './support.js';

let handle: DatabaseHandle;
let dropslot: DropSlotApp;
let server: ServerType;
let baseUrl: string;
let browser: Browser;

before(async () => {
  handle = await openDatabase();
  await handle.migrate();
  dropslot = await createApp({ db: handle, rateLimits: false });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: dropslot.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await dropslot.close();
  await handle.close();
});

describe('/docs', () => {
  it('renders the API reference under a strict CSP, with no warning, no console error and no axe violation', async () => {
    const context = await watchedContext(browser, 'docs');
    const page = await context.newPage();
    const response = await page.goto(`${baseUrl}/docs`);
    assert.equal(response?.status(), 200);
    const csp = response?.headers()['content-security-policy'];
    assert.equal(csp, DOCS_CSP);
    assert.match(csp!, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval/);

    // Every tag of the document is listed, with its operations.
    await page.locator('.opblock-tag-section').first().waitFor();
    const operations = await page.locator('.opblock').count();
    const count = Object.values(dropslot.openapi.paths as Record<string, object>).reduce(
      (n, item) => n + Object.keys(item).length,
      0,
    );
    assert.equal(operations, count);
    // No validator badge, no error box.
    assert.equal(await page.locator('.swagger-ui .errors-wrapper, img[alt*="valid" i]').count(), 0);
    await expectAccessible(page, 'body', 'collapsed');
    if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT });

    // An operation opened: parameters, request body and responses.
    await page.locator('#operations-Reservations-createReservation .opblock-summary-control').click();
    await page.locator('#operations-Reservations-createReservation .responses-table').waitFor();
    await expectAccessible(page, 'body', 'an operation opened');

    // The schemas section (open by default) with its first schema expanded all the way.
    const first = page.locator('section.models .models-virtual-item').first();
    await first.scrollIntoViewIfNeeded();
    await first.locator('.json-schema-2020-12-expand-deep-button').first().click();
    await first.locator('.json-schema-2020-12-property').first().waitFor();
    await expectAccessible(page, 'body', 'a schema expanded');

    const outside = (requested.get('docs') ?? []).filter((url) => !url.startsWith(baseUrl));
    assert.deepEqual(outside, [], 'no request leaves the origin');
    assert.deepEqual(violations, [], 'no CSP violation');
    assert.deepEqual(consoleErrors, [], 'no console error');
    await context.close();
  });
});
