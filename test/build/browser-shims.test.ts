/**
 * The browser bundles replace `zod/mini` with a pass-through shim and `ky` with a minimal fetch wrapper, and strip the
 * schema shapes (docs/decisions/0002). These tests hold that decision to its promise:
 *
 * - the shim has every zod/mini builder and check the contract (src/schemas) uses, even those whose calls the build
 *   strips (so a new schema cannot break the bundle silently);
 * - the SDK bundled exactly as in the CDN bundle sends the very same requests as the npm SDK (real ky, real zod) and
 *   maps the same responses to the same results and errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rollup } from 'rollup';
import * as shim from '../../components/internal/zod-mini-shim.js';
import * as npmSdk from '../../src/index.js';
import { browserBundlePlugins } from '../../rollup.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'dropslot-shims-'));
let bundledSdk: typeof npmSdk;

before(async () => {
  const bundle = await rollup({
    input: path.join(root, 'src/index.ts'),
    plugins: browserBundlePlugins(scratch, { sourcemap: false }),
    onwarn(warning, warn) {
      if (warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  // One file: the lazily loaded rentals resource (see lazy-rentals-shim.ts) is inlined, still behind its proxy.
  const { output } = await bundle.generate({ dir: scratch, format: 'es', inlineDynamicImports: true });
  await bundle.close();
  assert.equal(output.length, 1, 'the SDK bundles into one file');
  const file = path.join(scratch, 'sdk.mjs');
  writeFileSync(file, output[0].type === 'chunk' ? output[0].code : '');
  bundledSdk = (await import(pathToFileURL(file).href)) as typeof npmSdk;
});

after(() => rmSync(scratch, { recursive: true, force: true }));

test('the zod/mini shim has every builder and check the contract uses', () => {
  const typeOnly = new Set(['infer', 'output', 'input', 'ZodMiniType', 'core']);
  const used = new Set<string>();
  const dir = path.join(root, 'src/schemas');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    for (const match of readFileSync(path.join(dir, file), 'utf8').matchAll(
      /\bz\.([A-Za-z]+(?:\.[A-Za-z]+)?)/g,
    )) {
      const head = match[1]!.split('.')[0]!;
      // `z.ZodMini…` names are types (annotations of recursive schemas), erased before bundling.
      if (!typeOnly.has(head) && !head.startsWith('ZodMini')) used.add(match[1]!);
    }
  }
  assert.ok(used.size > 20, `found the contract's builders (${[...used].join(', ')})`);
  for (const name of used) {
    const value = name.split('.').reduce<unknown>((o, key) => (o as Record<string, unknown>)?.[key], shim);
    assert.equal(typeof value, 'function', `zod-mini-shim exports ${name}`);
  }
});

test('shim schemas pass values through; objects refuse non-objects; the registry keeps metadata', () => {
  const schema = shim.object({ a: shim.string() }).check(shim.minLength(1));
  const value = { a: 1, extra: true };
  assert.equal(schema.parse(value), value);
  assert.deepEqual(schema.safeParse(value), { success: true, data: value });
  assert.equal(schema.safeParse('text').success, false);
  assert.throws(() => schema.parse(null), TypeError);
  assert.equal(shim.string().parse(42), 42);
  assert.deepEqual(shim.enum(['a', 'b']).options, ['a', 'b']);
  const registry = shim.registry<{ id: string }>();
  registry.add(schema, { id: 'Thing' });
  assert.deepEqual(registry.get(schema), { id: 'Thing' });
  assert.equal(registry.get(shim.string()), undefined);
});

interface Sent {
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** A fake API: records each request and answers from `reply`. */
function fakeApi(reply: (request: Request) => Response) {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const headers = [...request.headers.entries()]
      .filter(([name]) => name !== 'idempotency-key')
      .sort(([a], [b]) => a.localeCompare(b));
    sent.push({ method: request.method, url: request.url, headers, body: await request.clone().text() });
    return reply(request);
  };
  return { sent, fetch };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': type, 'x-request-id': 'req_test_1' },
  });

const reservation = {
  id: '7b0c6a2e-8d7c-4e7e-9a35-0c7d1b1f4e11',
  storeId: '1b0c6a2e-8d7c-4e7e-9a35-0c7d1b1f4e11',
  dropId: '2b0c6a2e-8d7c-4e7e-9a35-0c7d1b1f4e11',
  slotId: '3b0c6a2e-8d7c-4e7e-9a35-0c7d1b1f4e11',
  customerId: '4b0c6a2e-8d7c-4e7e-9a35-0c7d1b1f4e11',
  state: 'PENDING',
  source: 'direct',
  expiresAt: '2030-03-01T09:10:00.000Z',
  customerNote: null,
  qrToken: null,
  createdAt: '2030-03-01T09:00:00.000Z',
  confirmedAt: null,
  cancelledAt: null,
  checkedInAt: null,
  expiredAt: null,
};

async function scenario(sdk: typeof npmSdk) {
  const api = fakeApi((request) => {
    const route = new URL(request.url).pathname.replace(/^\/base/, '');
    if (route === '/v1/reservations' && request.method === 'POST') return json(201, reservation);
    if (route === '/v1/reservations') return json(200, { data: [reservation], hasMore: false });
    if (route === '/v1/check-ins') {
      return json(
        409,
        {
          type: 'https://dropslot.dev/problems/qr_already_used',
          title: 'Conflict',
          status: 409,
          code: 'qr_already_used',
          firstUsedAt: '2030-03-01T09:05:00.000Z',
        },
        'application/problem+json',
      );
    }
    return new Response('<html>proxy error</html>', {
      status: 404,
      headers: { 'content-type': 'text/html' },
    });
  });
  const client = sdk.createClient({
    baseUrl: 'https://api.example.test/base/',
    publishableKey: 'pk_test_shim',
    customerToken: 'ct_123',
    fetch: api.fetch,
    maxRetries: 0,
  });
  const results: unknown[] = [];
  results.push(await client.reservations.create({ slotId: reservation.slotId, customerNote: 'size 42' }));
  results.push(
    await client.reservations.list({ dropId: reservation.dropId, limit: 5, startingAfter: undefined }),
  );
  for (const call of [
    () => client.checkIns.create({ qrToken: 'ds1.x' }),
    () => client.drops.retrieve('a/b c'),
  ]) {
    try {
      await call();
      results.push('no error');
    } catch (error) {
      const e = error as npmSdk.DropSlotError;
      results.push({
        name: e.name,
        status: e.status,
        code: e.code,
        requestId: e.requestId,
        firstUsedAt: e.problem?.firstUsedAt,
        conflict: sdk.ConflictError.is(e),
        notFound: sdk.NotFoundError.is(e),
      });
    }
  }
  return { sent: api.sent, results };
}

test('the bundled SDK (shims) sends the same requests and reads the same results as the npm SDK', async () => {
  const real = await scenario(npmSdk);
  const bundled = await scenario(bundledSdk);
  assert.deepEqual(bundled.sent, real.sent);
  assert.deepEqual(bundled.results, real.results);
  // And what they sent is right: prefix joined once, query without undefined values, JSON body, auth headers.
  assert.equal(real.sent[0]!.url, 'https://api.example.test/base/v1/reservations');
  assert.equal(real.sent[0]!.body, JSON.stringify({ slotId: reservation.slotId, customerNote: 'size 42' }));
  assert.ok(real.sent[0]!.headers.some(([k, v]) => k === 'content-type' && v === 'application/json'));
  assert.ok(real.sent[0]!.headers.some(([k, v]) => k === 'x-customer-token' && v === 'ct_123'));
  assert.equal(
    real.sent[1]!.url,
    `https://api.example.test/base/v1/reservations?dropId=${reservation.dropId}&limit=5`,
  );
  assert.equal(real.sent[3]!.url, 'https://api.example.test/base/v1/drops/a%2Fb%20c');
  assert.deepEqual(real.results[2], {
    name: 'ConflictError',
    status: 409,
    code: 'qr_already_used',
    requestId: 'req_test_1',
    firstUsedAt: '2030-03-01T09:05:00.000Z',
    conflict: true,
    notFound: false,
  });
});
