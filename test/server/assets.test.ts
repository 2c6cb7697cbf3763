/**
 * Product assets, black box over HTTP and through the SDK: images uploaded as bytes (type checked against the bytes,
 * size read, alt text required) to the local store, external https assets, order, changes, deletion (the file goes
 * when no asset uses it), serving with the right type and caching, the product's own `assets`; the same through an
 * S3-compatible server run here (s3rver); the demo store's images. Then every new route against every kind of caller,
 * and bad input on every new route (database and storage unchanged).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import S3rver from 's3rver';
import { ConflictError, ValidationError, createClient } from '../../src/index.js';
import { createApp } from '../../examples/server/app.js';
import { ManualClock } from '../../examples/server/clock.js';
import { rows } from '../../examples/server/db/index.js';
import { mountDemoStore } from '../../examples/server/demo-store.js';
import { createUser, seedDemo } from '../../examples/server/seed.js';
import { S3AssetStore } from '../../examples/server/storage/s3.js';
import { createTestDatabase, databaseKinds } from '../support/db.js';
import { OPERATOR_TOKEN, START, withApp, type TestApp } from '../support/app.js';
import { gif, jpeg, png, svg, webp } from '../support/images.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Every file under `dir` (relative paths), or none when it does not exist. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** An owner of the test store, signed in. */
async function signedInOwner(t: TestApp) {
  const email = `owner-${Math.random().toString(36).slice(2)}@assets.example`;
  await createUser(
    t.handle.db,
    t.store.storeId,
    { email, password: 'owner-password', name: 'Olga Owner', roles: ['owner'] },
    t.clock.now(),
  );
  const signIn = await t.call('POST', '/v1/customers/sign-in', {
    body: { email, password: 'owner-password' },
  });
  assert.equal(signIn.status, 200);
  return { token: signIn.body.token as string };
}

/** A product of the test store made with the secret key. */
async function product(t: TestApp, name = 'Logo T-shirt', isActive = true): Promise<string> {
  const created = await t.call('POST', '/v1/products', {
    key: t.store.secretKey,
    body: {
      sku: `SKU-${Math.random().toString(36).slice(2, 10)}`,
      name,
      price: { amount: 2500, currency: 'EUR' },
      isActive,
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

type Upload = { type?: string; alt?: string | null; query?: string; key?: string | null; token?: string };

/** `POST /v1/products/{id}/assets` with image bytes. */
function upload(t: TestApp, productId: string, bytes: Uint8Array, o: Upload = {}) {
  const alt = o.alt === null ? '' : `alt=${encodeURIComponent(o.alt ?? 'A white T-shirt with a red logo')}`;
  const query = [alt, o.query].filter(Boolean).join('&');
  return t.call('POST', `/v1/products/${productId}/assets${query ? `?${query}` : ''}`, {
    key: o.key === undefined ? t.store.secretKey : o.key,
    ...(o.token && { token: o.token }),
    bytes,
    headers: { 'content-type': o.type ?? 'image/png' },
  });
}

/** A served file: status, headers and bytes. */
async function served(t: TestApp, url: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(url, t.baseUrl), { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}

for (const kind of databaseKinds) {
  describe(`product assets on ${kind}`, () => {
    it('uploads images (type checked, size read), adds external assets, serves, orders, changes and deletes them', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const shirt = await product(t, 'Logo T-shirt');
        const sneaker = await product(t, 'Court sneaker');
        const before = (await t.call('GET', `/v1/products/${shirt}`)).body;
        assert.deepEqual(before.assets, []);
        t.clock.advance(1000);

        // A PNG: checked, measured, stored content-addressed, answered with its facts.
        const front = png(40, 30, 1);
        const created = await upload(t, shirt, front, { alt: '  White T-shirt, red logo, front ' });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const a = created.body;
        assert.equal(a.productId, shirt);
        assert.equal(a.type, 'image');
        assert.equal(a.source, 'upload');
        assert.equal(a.alt, 'White T-shirt, red logo, front');
        assert.equal(a.contentType, 'image/png');
        assert.equal(a.byteSize, front.byteLength);
        assert.deepEqual([a.width, a.height], [40, 30]);
        assert.equal(a.position, 0);
        assert.equal(a.drmProtected, false);
        assert.equal(a.url, `/assets/${t.store.storeId}/${sha(front)}.png`);
        assert.deepEqual(await filesIn(t.assetsDir), [`${t.store.storeId}/${sha(front)}.png`]);
        assert.deepEqual(await readFile(path.join(t.assetsDir, t.store.storeId, `${sha(front)}.png`)), front);

        // Served publicly (an <img> sends no key), with its type, a year of immutable caching and a strict policy.
        const file = await served(t, a.url);
        assert.equal(file.status, 200);
        assert.deepEqual(Buffer.from(file.bytes), front);
        assert.equal(file.headers.get('content-type'), 'image/png');
        assert.equal(file.headers.get('content-length'), String(front.byteLength));
        assert.equal(file.headers.get('cache-control'), 'public, max-age=31536000, immutable');
        assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
        assert.match(file.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
        assert.equal(file.headers.get('cross-origin-resource-policy'), 'cross-origin');
        const etag = file.headers.get('etag')!;
        assert.equal(etag, `"${sha(front)}"`);
        const again = await served(t, a.url, { 'if-none-match': etag });
        assert.equal(again.status, 304);
        assert.equal(again.bytes.byteLength, 0);
        const head = await fetch(new URL(a.url, t.baseUrl), { method: 'HEAD' });
        assert.equal(head.status, 200);
        assert.equal(head.headers.get('content-type'), 'image/png');

        // JPEG first, then WebP and GIF at the end; an external 3D model, DRM-protected, second.
        const j = await upload(t, shirt, jpeg(), { type: 'image/jpeg', alt: 'Back', query: 'position=0' });
        assert.equal(j.status, 201, JSON.stringify(j.body));
        assert.deepEqual([j.body.width, j.body.height, j.body.position], [3, 2, 0]);
        const w = await upload(t, shirt, webp(), { type: 'image/webp', alt: 'Folded' });
        assert.deepEqual(
          [w.status, w.body.contentType, w.body.width, w.body.position],
          [201, 'image/webp', 3, 2],
        );
        const g = await upload(t, shirt, gif(), { type: 'image/gif; charset=binary', alt: 'Tag' });
        assert.deepEqual([g.status, g.body.contentType, g.body.height], [201, 'image/gif', 1]);
        const model = await t.call('POST', `/v1/products/${shirt}/assets`, {
          ...sk,
          body: {
            url: 'https://cdn.example/tee.glb',
            type: '3d',
            alt: 'T-shirt, 3D model',
            drmProtected: true,
            contentType: 'model/gltf-binary',
            position: 1,
          },
        });
        assert.equal(model.status, 201, JSON.stringify(model.body));
        assert.equal(model.body.source, 'external');
        assert.deepEqual(
          [model.body.byteSize, model.body.width, model.body.contentType],
          [null, null, 'model/gltf-binary'],
        );

        // The product shows them in order, for any key; its updatedAt moved; another product has none.
        const order = ['Back', 'T-shirt, 3D model', 'White T-shirt, red logo, front', 'Folded', 'Tag'];
        const seen = await t.call('GET', `/v1/products/${shirt}`);
        assert.deepEqual(
          seen.body.assets.map((x: { alt: string }) => x.alt),
          order,
        );
        assert.deepEqual(
          seen.body.assets.map((x: { position: number }) => x.position),
          [0, 1, 2, 3, 4],
        );
        assert.ok(seen.body.updatedAt > before.updatedAt, 'the product changed');
        assert.deepEqual((await t.call('GET', `/v1/products/${sneaker}`)).body.assets, []);
        const listed = await t.call('GET', '/v1/products');
        const inList = listed.body.data.find((p: { id: string }) => p.id === shirt);
        assert.deepEqual(
          inList.assets.map((x: { alt: string }) => x.alt),
          order,
        );

        // Pages of the list.
        const first = await t.call('GET', `/v1/products/${shirt}/assets?limit=2`);
        assert.deepEqual(
          [first.body.data.map((x: { alt: string }) => x.alt), first.body.hasMore],
          [order.slice(0, 2), true],
        );
        const next = await t.call(
          'GET',
          `/v1/products/${shirt}/assets?limit=10&startingAfter=${first.body.data[1].id}`,
        );
        assert.deepEqual(
          [next.body.data.map((x: { alt: string }) => x.alt), next.body.hasMore],
          [order.slice(2), false],
        );

        // A new order, then one asset moved and described again.
        const ids = seen.body.assets.map((x: { id: string }) => x.id) as string[];
        const reordered = await t.call('POST', `/v1/products/${shirt}/assets/order`, {
          ...sk,
          body: { assetIds: [ids[2], ids[0], ids[1], ids[3], ids[4]] },
        });
        assert.equal(reordered.status, 200, JSON.stringify(reordered.body));
        assert.deepEqual(
          reordered.body.data.map((x: { id: string; position: number }) => [x.id, x.position]),
          [ids[2], ids[0], ids[1], ids[3], ids[4]].map((id, i) => [id, i]),
        );
        t.clock.advance(1000);
        const patched = await t.call('PATCH', `/v1/assets/${a.id}`, {
          ...sk,
          body: { alt: 'Front, with the red logo', position: 4, drmProtected: true },
        });
        assert.equal(patched.status, 200);
        assert.deepEqual(
          [patched.body.alt, patched.body.position, patched.body.drmProtected],
          ['Front, with the red logo', 4, true],
        );
        assert.equal(patched.body.updatedAt, t.clock.now().toISOString());
        const positions = (await t.call('GET', `/v1/products/${shirt}/assets`)).body.data.map(
          (x: { id: string }) => x.id,
        );
        assert.deepEqual(positions, [ids[0], ids[1], ids[3], ids[4], ids[2]]);
        const far = await t.call('PATCH', `/v1/assets/${j.body.id}`, { ...sk, body: { position: 19 } });
        assert.equal(far.body.position, 4, 'a position past the end puts it last');
        // A DRM-protected upload is kept out of shared caches.
        assert.equal(
          (await served(t, a.url)).headers.get('cache-control'),
          'private, max-age=31536000, immutable',
        );

        // The same bytes on another product share one file, which stays until its last asset goes.
        const twin = await upload(t, sneaker, front, { alt: 'Same picture' });
        assert.equal(twin.body.url, a.url);
        assert.equal((await filesIn(t.assetsDir)).length, 4);
        const gone = await t.call('DELETE', `/v1/assets/${a.id}`, sk);
        assert.deepEqual(gone.body, { id: a.id, deleted: true });
        await t.dropslot.services.assets.idle();
        assert.equal((await served(t, a.url)).status, 200, 'still used by the sneaker');
        assert.equal((await t.call('GET', `/v1/assets/${a.id}`, sk)).status, 404);
        await t.call('DELETE', `/v1/assets/${twin.body.id}`, sk);
        await t.dropslot.services.assets.idle();
        assert.equal((await served(t, a.url)).status, 404);
        assert.ok(!(await filesIn(t.assetsDir)).some((f) => f.includes(sha(front))), 'the file is removed');
        const left = await t.call('GET', `/v1/products/${shirt}/assets`);
        assert.deepEqual(
          left.body.data.map((x: { position: number }) => x.position),
          [0, 1, 2, 3],
          'the others close the gap',
        );

        // Every change is audited.
        const audit = await rows<{ action: string; n: number }>(
          t.handle.db,
          sql`select action, count(*)::int as n from audit_logs where action like 'product_asset.%'
              group by action order by action`,
        );
        assert.deepEqual(
          audit.map((r) => [r.action, r.n]),
          [
            ['product_asset.create', 6],
            ['product_asset.delete', 2],
            ['product_asset.order', 1],
            ['product_asset.update', 2],
          ],
        );
      }));

    it('through the SDK: upload, create, list, update, order, delete; errors are the usual classes', () =>
      withApp(kind, async (t) => {
        const shirt = await product(t);
        const admin = createClient({ baseUrl: t.baseUrl, secretKey: t.store.secretKey, maxRetries: 0 });
        const image = png(12, 8, 7);
        const one = await admin.productAssets.upload(shirt, image, {
          contentType: 'image/png',
          alt: 'Red T-shirt',
          drmProtected: false,
        });
        assert.deepEqual([one.width, one.height, one.alt], [12, 8, 'Red T-shirt']);
        const blob = await admin.productAssets.upload(shirt, new Blob([jpeg()], { type: 'image/jpeg' }), {
          alt: 'Back',
          position: 0,
        });
        assert.equal(blob.contentType, 'image/jpeg');
        const link = await admin.productAssets.create(shirt, {
          url: 'https://cdn.example/tee-ar.usdz',
          type: 'ar',
          alt: 'T-shirt in AR',
        });
        const listed: string[] = [];
        for await (const asset of admin.productAssets.list(shirt, { limit: 1 })) listed.push(asset.id);
        assert.deepEqual(listed, [blob.id, one.id, link.id]);
        assert.equal((await admin.productAssets.retrieve(one.id)).url, one.url);
        assert.equal((await admin.productAssets.update(link.id, { position: 0 })).position, 0);
        const ordered = await admin.productAssets.order(shirt, { assetIds: [one.id, blob.id, link.id] });
        assert.deepEqual(
          ordered.data.map((x) => x.id),
          [one.id, blob.id, link.id],
        );
        assert.deepEqual(await admin.productAssets.del(blob.id), { id: blob.id, deleted: true });

        const shopper = createClient({
          baseUrl: t.baseUrl,
          publishableKey: t.store.publishableKey,
          maxRetries: 0,
        });
        assert.deepEqual(
          (await shopper.products.retrieve(shirt)).assets.map((x) => x.alt),
          ['Red T-shirt', 'T-shirt in AR'],
        );
        const refused = await admin.productAssets
          .upload(shirt, png(2, 2).subarray(0, 30), { contentType: 'image/png', alt: 'Cut' })
          .catch((e: unknown) => e);
        assert.ok(ValidationError.is(refused) && refused.code === 'image_invalid', String(refused));
        for (let i = 0; i < 18; i++) {
          await admin.productAssets.create(shirt, {
            url: `https://cdn.example/${i}.png`,
            type: 'image',
            alt: `${i}`,
          });
        }
        const full = await admin.productAssets
          .create(shirt, { url: 'https://cdn.example/x.png', type: 'image', alt: 'x' })
          .catch((e: unknown) => e);
        assert.ok(ConflictError.is(full) && full.code === 'asset_limit_reached', String(full));
        const noType = await admin.productAssets.upload(shirt, image, { alt: 'x' }).catch((e: unknown) => e);
        assert.ok(noType instanceof TypeError);
      }));

    it('an Idempotency-Key stands for the bytes and the query: a retry gets the same asset, other bytes 422', () =>
      withApp(kind, async (t) => {
        const shirt = await product(t);
        const key = { 'idempotency-key': 'upload-1' };
        const send = (bytes: Uint8Array, alt = 'Front') =>
          t.call('POST', `/v1/products/${shirt}/assets?alt=${alt}`, {
            key: t.store.secretKey,
            bytes,
            headers: { 'content-type': 'image/png', ...key },
          });
        const first = await send(png(5, 5, 1));
        assert.equal(first.status, 201);
        const repeat = await send(png(5, 5, 1));
        assert.equal(repeat.status, 201);
        assert.equal(repeat.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(repeat.body, first.body);
        assert.equal((await send(png(5, 5, 2))).status, 422, 'other bytes');
        assert.equal((await send(png(5, 5, 1), 'Back')).status, 422, 'another alt text');
        const [count] = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from product_assets`,
        );
        assert.equal(count!.n, 1);
      }));

    it('takes images up to the configured size (larger than the 64 KiB of JSON bodies), and no more', () =>
      withApp(
        kind,
        async (t) => {
          const shirt = await product(t);
          const big = png(200, 150, 3, { noise: true });
          assert.ok(big.byteLength > 64 * 1024 && big.byteLength < 120 * 1024, String(big.byteLength));
          const ok = await upload(t, shirt, big);
          assert.equal(ok.status, 201, JSON.stringify(ok.body));
          const before = await t.fingerprint();
          const files = await filesIn(t.assetsDir);
          const tooBig = await upload(t, shirt, png(300, 200, 4, { noise: true }));
          assert.equal(tooBig.status, 413);
          assert.equal(tooBig.body.code, 'payload_too_large');
          assert.match(tooBig.body.detail, /120 KiB/);
          // JSON on the upload route keeps the 64 KiB limit; other routes too.
          const json = await t.call('POST', `/v1/products/${shirt}/assets`, {
            key: t.store.secretKey,
            body: { url: `https://cdn.example/${'x'.repeat(70 * 1024)}`, type: 'image', alt: 'x' },
          });
          assert.equal(json.status, 413);
          const other = await t.call('PATCH', `/v1/products/${shirt}`, {
            key: t.store.secretKey,
            body: { description: 'x'.repeat(70 * 1024) },
          });
          assert.equal(other.status, 413);
          // A caller refused before the body is read: the connection is closed after the answer, not reused.
          const refused = await upload(t, shirt, big, { key: t.store.publishableKey });
          assert.equal(refused.status, 403);
          assert.equal(refused.headers.get('connection'), 'close');
          assert.deepEqual(await t.fingerprint(), before);
          assert.deepEqual(await filesIn(t.assetsDir), files);
          assert.equal(
            (t.dropslot.openapi as any).paths['/v1/products/{id}/assets'].post.requestBody.content[
              'image/webp'
            ].schema.format,
            'binary',
          );
        },
        { assets: { maxUploadBytes: 120 * 1024 } },
      ));

    it('concurrent additions to one product keep the limit and gap-free positions', () =>
      withApp(kind, async (t) => {
        const shirt = await product(t);
        const replies = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            i % 3 === 0
              ? upload(t, shirt, png(3, 3, 100 + i), { alt: `Upload ${i}`, query: 'position=0' })
              : t.call('POST', `/v1/products/${shirt}/assets`, {
                  key: t.store.secretKey,
                  body: { url: `https://cdn.example/${i}.png`, type: 'image', alt: `Link ${i}` },
                }),
          ),
        );
        const statuses = replies.map((r) => r.status).sort();
        assert.equal(statuses.filter((s) => s === 201).length, 20, JSON.stringify(statuses));
        assert.ok(
          replies.filter((r) => r.status !== 201).every((r) => r.body.code === 'asset_limit_reached'),
        );
        const listed = (await t.call('GET', `/v1/products/${shirt}/assets?limit=100`)).body.data;
        assert.deepEqual(
          listed.map((a: { position: number }) => a.position),
          Array.from({ length: 20 }, (_, i) => i),
        );
      }));

    it('reads follow the catalog: any key for an active product, the team and the secret key for any', () =>
      withApp(kind, async (t) => {
        const hidden = await product(t, 'Unreleased tee', false);
        const asset = await upload(t, hidden, png(3, 3), { alt: 'Unreleased' });
        assert.equal(asset.status, 201);
        const customer = await t.customer();
        const staff = await t.staff();
        const owner = await signedInOwner(t);
        for (const [who, caller, want] of [
          ['publishable', {}, 404],
          ['customer', { token: customer.token }, 404],
          ['staff', { token: staff.token }, 200],
          ['owner', { token: owner.token }, 200],
          ['secret', { key: t.store.secretKey }, 200],
        ] as const) {
          for (const path of [`/v1/products/${hidden}/assets`, `/v1/assets/${asset.body.id}`]) {
            const reply = await t.call('GET', path, caller);
            assert.equal(reply.status, want, `${path} as ${who}`);
            if (want === 404) assert.ok(!JSON.stringify(reply.body).includes('Unreleased'));
          }
        }
        // The file itself: its name is the hash of its bytes, so only those who were given the URL can ask for it.
        assert.equal((await served(t, asset.body.url)).status, 200);
      }));

    it('every new route: none, publishable, customer, staff, owner, secret key, another store → 401/403/404, never its data', () =>
      withApp(kind, async (t) => {
        const customer = await t.customer();
        const staff = await t.staff();
        const owner = await signedInOwner(t);
        const other = await t.call('POST', '/v1/stores', {
          key: null,
          headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
          body: { name: 'Other store', ownerEmail: 'other@store.example' },
        });
        assert.equal(other.status, 201);
        const shirt = await product(t);
        /** A fresh asset of the shirt (each caller that may delete gets its own). */
        const fresh = async (seed: number) =>
          (await upload(t, shirt, png(4, 4, seed), { alt: `Asset ${seed}` })).body as {
            id: string;
            url: string;
          };
        type Route = [string, string, { body?: unknown; bytes?: Uint8Array }?];
        const routes = async (seed: number): Promise<Route[]> => {
          const asset = await fresh(seed);
          const current = (await t.call('GET', `/v1/products/${shirt}/assets?limit=100`)).body.data.map(
            (x: { id: string }) => x.id,
          );
          return [
            ['GET', `/v1/products/${shirt}/assets`],
            ['POST', `/v1/products/${shirt}/assets/order`, { body: { assetIds: [...current].reverse() } }],
            [
              'POST',
              `/v1/products/${shirt}/assets`,
              { body: { url: 'https://cdn.example/m.png', type: 'image', alt: 'Matrix' } },
            ],
            ['POST', `/v1/products/${shirt}/assets?alt=Matrix`, { bytes: png(2, 2, 1000 + seed) }],
            ['GET', `/v1/assets/${asset.id}`],
            ['PATCH', `/v1/assets/${asset.id}`, { body: { alt: 'Changed' } }],
            ['DELETE', `/v1/assets/${asset.id}`],
          ];
        };
        const send = (method: string, path: string, caller: object, o: Route[2] = {}) =>
          t.call(method, path, {
            ...caller,
            ...(o.body !== undefined && { body: o.body }),
            ...(o.bytes && { bytes: o.bytes, headers: { 'content-type': 'image/png' } }),
          });

        type Caller = { key?: string | null; token?: string };
        const isWrite = (method: string) => method !== 'GET';
        const matrix: [string, Caller, (method: string) => number][] = [
          ['none', { key: null }, () => 401],
          ['publishable', {}, (m) => (isWrite(m) ? 403 : 200)],
          ['customer', { token: customer.token }, (m) => (isWrite(m) ? 403 : 200)],
          ['staff', { token: staff.token }, (m) => (isWrite(m) ? 403 : 200)],
          [
            'another store’s publishable key with this store’s owner token',
            { key: other.body.publishableKey, token: owner.token },
            () => 401,
          ],
          ['another store’s secret key', { key: other.body.secretKey }, () => 404],
          [
            'another store’s publishable key',
            { key: other.body.publishableKey },
            (m) => (isWrite(m) ? 403 : 404),
          ],
        ];
        const list = await routes(1);
        const before = await t.fingerprint();
        const files = await filesIn(t.assetsDir);
        for (const [who, caller, want] of matrix) {
          for (const [method, path, o] of list) {
            const reply = await send(method, path, caller, o);
            assert.equal(
              reply.status,
              want(method),
              `${method} ${path} as ${who}: ${JSON.stringify(reply.body)}`,
            );
            if (reply.status >= 400) {
              assert.match(reply.headers.get('content-type') ?? '', /problem\+json/);
              for (const secret of [shirt, 'Asset 1', t.store.storeId])
                assert.ok(!JSON.stringify(reply.body).includes(secret), `${who} ${path} leaks ${secret}`);
            }
          }
        }
        assert.deepEqual(await t.fingerprint(), before, 'refused callers and reads changed nothing');
        assert.deepEqual(await filesIn(t.assetsDir), files, 'no file was stored');
        // Another store's id for this store's file is not this file.
        const asset = await fresh(2);
        const theirs = asset.url.replace(t.store.storeId, other.body.storeId);
        assert.equal((await served(t, theirs)).status, 404);

        // Owner and secret key: every route answers 2xx.
        for (const [who, caller, seed] of [
          ['owner', { token: owner.token }, 10],
          ['secret', { key: t.store.secretKey }, 20],
        ] as const) {
          for (const [method, path, o] of await routes(seed)) {
            const reply = await send(method, path, caller, o);
            assert.ok(
              reply.status === 200 || reply.status === 201,
              `${method} ${path} as ${who}: ${reply.status} ${JSON.stringify(reply.body)}`,
            );
          }
        }
      }));

    it('bad input on every new route → 4xx problem+json, database and storage unchanged', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const shirt = await product(t);
        const sneaker = await product(t, 'Sneaker');
        const first = (await upload(t, shirt, png(6, 4), { alt: 'First' })).body;
        const second = (await upload(t, shirt, png(6, 4, 2), { alt: 'Second' })).body;
        const elsewhere = (await upload(t, sneaker, png(6, 4, 3), { alt: 'Sneaker' })).body;
        const unknown = '00000000-0000-4000-8000-000000000000';
        const cut = png(20, 20);
        const base = `/v1/products/${shirt}/assets`;
        const json = { 'content-type': 'application/json' };
        type Case = [string, string, Record<string, unknown>, number, string?];
        const image = (bytes: Uint8Array, type = 'image/png') => ({
          ...sk,
          bytes,
          headers: { 'content-type': type },
        });
        const cases: Case[] = [
          // Uploads.
          ['POST', base, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=%20%20`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=${'x'.repeat(1001)}`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=a%0Ab`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=a%00b`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x&drmProtected=yes`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x&position=-1`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x&position=20`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x&position=one`, image(png(2, 2)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x`, image(svg(), 'image/svg+xml'), 415, 'unsupported_media_type'],
          ['POST', `${base}?alt=x`, image(png(2, 2), 'text/plain'), 415, 'unsupported_media_type'],
          ['POST', `${base}?alt=x`, image(png(2, 2), 'image/avif'), 415, 'unsupported_media_type'],
          ['POST', `${base}?alt=x`, { ...sk, bytes: png(2, 2) }, 415, 'unsupported_media_type'],
          ['POST', `${base}?alt=x`, image(new Uint8Array(0)), 400, 'validation_failed'],
          ['POST', `${base}?alt=x`, image(png(2, 2), 'image/jpeg'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(jpeg(), 'image/png'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(svg(), 'image/png'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(cut.subarray(0, cut.length - 12)), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(jpeg().subarray(0, 400), 'image/jpeg'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(webp().subarray(0, 100), 'image/webp'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(gif().subarray(0, 30), 'image/gif'), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(Buffer.from('GIF89a, or so it says')), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(png(10_001, 1)), 400, 'image_invalid'],
          ['POST', `${base}?alt=x`, image(Buffer.alloc(5 * 1024 * 1024 + 1)), 413, 'payload_too_large'],
          ['POST', `/v1/products/${unknown}/assets?alt=x`, image(png(2, 2)), 404, 'not_found'],
          ['POST', '/v1/products/nope/assets?alt=x', image(png(2, 2)), 404, 'not_found'],
          // External assets.
          ['POST', base, { ...sk, body: { url: 'http://cdn.example/a.png', type: 'image', alt: 'x' } }, 400],
          ['POST', base, { ...sk, body: { url: 'ftp://cdn.example/a.png', type: 'image', alt: 'x' } }, 400],
          ['POST', base, { ...sk, body: { url: 'javascript:alert(1)', type: 'image', alt: 'x' } }, 400],
          ['POST', base, { ...sk, body: { url: 'https://u:p@cdn.example/a', type: 'image', alt: 'x' } }, 400],
          ['POST', base, { ...sk, body: { url: 'https://cdn.example/a.png', type: 'image' } }, 400],
          ['POST', base, { ...sk, body: { url: 'https://cdn.example/a.png', type: 'video', alt: 'x' } }, 400],
          ['POST', base, { ...sk, body: { url: 'https://cdn.example/a.png', type: 'image', alt: ' ' } }, 400],
          [
            'POST',
            base,
            {
              ...sk,
              body: { url: 'https://cdn.example/a.png', type: 'image', alt: 'x', contentType: 'png' },
            },
            400,
          ],
          [
            'POST',
            base,
            { ...sk, body: { url: 'https://cdn.example/a.png', type: 'image', alt: 'x', position: 20 } },
            400,
          ],
          [
            'POST',
            base,
            { ...sk, body: { url: 'https://cdn.example/a.png', type: 'image', alt: 'x', storageKey: 'k' } },
            400,
          ],
          [
            'POST',
            base,
            { ...sk, body: [{ url: 'https://cdn.example/a.png', type: 'image', alt: 'x' }] },
            400,
          ],
          [
            'POST',
            `${base}?alt=x`,
            { ...sk, body: { url: 'https://cdn.example/a.png', type: 'image', alt: 'x' } },
            400,
          ],
          ['POST', base, { ...sk, rawBody: '{"url":', headers: json }, 400, 'malformed_json'],
          [
            'POST',
            `/v1/products/${unknown}/assets`,
            { ...sk, body: { url: 'https://a.example/', type: 'ar', alt: 'x' } },
            404,
          ],
          // Order.
          ['POST', `${base}/order`, { ...sk, body: { assetIds: [first.id] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { assetIds: [first.id, first.id] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { assetIds: [first.id, elsewhere.id] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { assetIds: [second.id, first.id, unknown] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { assetIds: [] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { assetIds: ['nope'] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: { ids: [second.id, first.id] } }, 400],
          ['POST', `${base}/order`, { ...sk, body: {} }, 400],
          ['POST', `/v1/products/${unknown}/assets/order`, { ...sk, body: { assetIds: [first.id] } }, 404],
          // Reads.
          ['GET', `${base}?limit=0`, sk, 400],
          ['GET', `${base}?limit=101`, sk, 400],
          ['GET', `${base}?startingAfter=${elsewhere.id}`, sk, 400],
          ['GET', `${base}?startingAfter=${unknown}`, sk, 400],
          ['GET', `${base}?startingAfter=nope`, sk, 400],
          ['GET', `/v1/products/${unknown}/assets`, sk, 404],
          ['GET', `/v1/assets/${unknown}`, sk, 404],
          ['GET', '/v1/assets/nope', sk, 404],
          // Changes.
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { alt: '' } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { alt: 5 } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { position: -1 } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { position: 1.5 } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { drmProtected: 'yes' } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { url: 'https://cdn.example/b.png' } }, 400],
          ['PATCH', `/v1/assets/${first.id}`, { ...sk, body: { type: '3d' } }, 400],
          [
            'PATCH',
            `/v1/assets/${first.id}`,
            { ...sk, rawBody: 'alt=x', headers: { 'content-type': 'text/plain' } },
            415,
          ],
          ['PATCH', `/v1/assets/${unknown}`, { ...sk, body: { alt: 'x' } }, 404],
          ['PATCH', '/v1/assets/nope', { ...sk, body: { alt: 'x' } }, 404],
          ['DELETE', `/v1/assets/${unknown}`, sk, 404],
          ['DELETE', '/v1/assets/nope', sk, 404],
        ];
        const before = await t.fingerprint();
        const files = await filesIn(t.assetsDir);
        for (const [method, path, options, status, code] of cases) {
          const reply = await t.call(method, path, options);
          const what = `${method} ${path.slice(0, 120)} ${JSON.stringify(options.body ?? '').slice(0, 80)}`;
          assert.equal(reply.status, status, `${what}: ${JSON.stringify(reply.body)}`);
          assert.match(reply.headers.get('content-type') ?? '', /problem\+json/, what);
          if (code) assert.equal(reply.body.code, code, what);
        }
        assert.deepEqual(await t.fingerprint(), before, 'bad input changed nothing');
        assert.deepEqual(await filesIn(t.assetsDir), files, 'bad input stored no file');

        // The file route: only content-addressed names of this store.
        const name = first.url.split('/').pop()!;
        for (const bad of [
          `/assets/${t.store.storeId}/${name.replace('.png', '.svg')}`,
          `/assets/${t.store.storeId}/${name.replace('.png', '.jpg')}`,
          `/assets/${t.store.storeId}/nothex.png`,
          `/assets/${t.store.storeId.toUpperCase()}/${name}`,
          `/assets/nope/${name}`,
          `/assets/${t.store.storeId}/..%2F..%2Fetc%2Fpasswd`,
          `/assets/${t.store.storeId}/${unknown}.png`,
        ]) {
          const reply = await served(t, bad);
          assert.equal(reply.status, 404, bad);
        }

        // The limit: a product holds 20 assets; the 21st is 409, nothing changed.
        for (let i = 2; i < 20; i++) {
          const more = await t.call('POST', base, {
            ...sk,
            body: { url: `https://cdn.example/${i}.png`, type: 'image', alt: `${i}` },
          });
          assert.equal(more.status, 201);
        }
        const full = await t.fingerprint();
        const stored = await filesIn(t.assetsDir);
        const over = await upload(t, shirt, png(7, 7), { alt: 'One too many' });
        assert.equal(over.status, 409);
        assert.equal(over.body.code, 'asset_limit_reached');
        assert.deepEqual(await t.fingerprint(), full);
        assert.deepEqual(await filesIn(t.assetsDir), stored, 'no file for a refused upload');
      }));
  });
}

describe('product assets in an S3-compatible bucket (s3rver on this machine)', () => {
  it('stores, serves and removes uploads through the S3 API', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dropslot-s3rver-'));
    const server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'assets' }],
    });
    const { port } = await server.run();
    const store = new S3AssetStore({
      bucket: 'assets',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      prefix: 'dropslot/',
    });
    try {
      await withApp(
        databaseKinds[0]!,
        async (t) => {
          const shirt = await product(t);
          const bytes = png(9, 5, 11);
          const created = await upload(t, shirt, bytes, { alt: 'In the bucket' });
          assert.equal(created.status, 201, JSON.stringify(created.body));
          const key = `${t.store.storeId}/${sha(bytes)}.png`;
          assert.deepEqual(Buffer.from((await store.get(key))!), bytes, 'the object holds the bytes');
          assert.deepEqual(await filesIn(t.assetsDir), [], 'nothing on the local disk');
          const file = await served(t, created.body.url);
          assert.equal(file.status, 200);
          assert.equal(file.headers.get('content-type'), 'image/png');
          assert.deepEqual(Buffer.from(file.bytes), bytes);
          await t.call('DELETE', `/v1/assets/${created.body.id}`, { key: t.store.secretKey });
          await t.dropslot.services.assets.idle();
          assert.equal(await store.get(key), undefined, 'the object is deleted');
          assert.equal((await served(t, created.body.url)).status, 404);
        },
        { assets: { store } },
      );
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the demo store', () => {
  it('gives every demo product its own image with alt text, and the drops page shows it', async () => {
    const database = await createTestDatabase('pglite');
    const handle = await database.open();
    const clock = new ManualClock(START);
    try {
      const seeded = await seedDemo(handle.db, clock);
      assert.ok('publishableKey' in seeded);
      const dropslot = await createApp({
        db: handle,
        clock,
        rateLimits: false,
        extend: (app) =>
          mountDemoStore(app, { storeId: seeded.storeId, publishableKey: seeded.publishableKey }),
      });
      try {
        const products = await rows<{ name: string; url: string; alt: string; type: string }>(
          handle.db,
          sql`select p.name, a.url, a.alt, a.asset_type as type from products p
              join product_assets a on a.product_id = p.id and a.position = 0 order by p.name`,
        );
        const [{ n }] = (await rows<{ n: number }>(
          handle.db,
          sql`select count(*)::int as n from products`,
        )) as [{ n: number }];
        assert.equal(products.length, n, 'every product has a first asset');
        assert.equal(new Set(products.map((p) => p.url)).size, n, 'each its own image');
        for (const p of products) {
          assert.equal(p.type, 'image');
          assert.ok(p.alt.length > 10, `${p.name} has alt text`);
          const file = await dropslot.app.request(p.url);
          assert.equal(file.status, 200, p.url);
          assert.match(file.headers.get('content-type') ?? '', /^image\//);
        }
        const page = await (await dropslot.app.request('/')).text();
        const images = [...page.matchAll(/<img src="([^"]+)" alt="([^"]*)"/g)].map((m) => [m[1], m[2]]);
        const drops = await rows<{ url: string; alt: string }>(
          handle.db,
          sql`select a.url, a.alt from drops d join product_assets a on a.product_id = d.product_id
              and a.position = 0 where d.ends_at > ${clock.now()} order by d.name`,
        );
        assert.equal(drops.length, 3);
        for (const drop of drops) {
          const escaped = drop.alt.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
          assert.ok(
            images.some(([src, alt]) => src === drop.url && alt === escaped),
            `the page shows ${drop.url} with its alt text`,
          );
        }
        assert.ok(!page.includes('/store/sneaker.svg'), 'no shared placeholder picture');
        await dropslot.close();
      } catch (error) {
        await dropslot.close();
        throw error;
      }
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
