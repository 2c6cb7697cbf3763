/** `client.productAssets` sends exactly the contract requests — an upload as the image bytes — and maps its refusals. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { ConflictError, DropSlotError, ValidationError, type ProductAsset } from '../../src/index.js';
import {
  BASE,
  SK,
  T,
  client,
  contractTests,
  id,
  problem,
  problemHeaders,
  recordRequests,
  server,
  useServer,
  type ContractCase,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const productId = id();
const asset: ProductAsset = {
  id: id(),
  productId,
  type: 'image',
  url: `/assets/${id()}/${'a'.repeat(64)}.png`,
  alt: 'White T-shirt, front',
  drmProtected: false,
  position: 0,
  source: 'upload',
  contentType: 'image/png',
  byteSize: 1234,
  width: 640,
  height: 480,
  createdAt: T,
  updatedAt: T,
};
const model: ProductAsset = {
  ...asset,
  id: id(),
  type: '3d',
  url: 'https://cdn.example/tee.glb',
  alt: 'T-shirt, 3D model',
  position: 1,
  source: 'external',
  contentType: null,
  byteSize: null,
  width: null,
  height: null,
};
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

const cases: ContractCase[] = [
  {
    name: 'productAssets.list',
    key: 'pk',
    method: 'GET',
    path: `products/${productId}/assets`,
    query: { limit: '5' },
    response: { data: [asset, model], hasMore: false },
    call: (c) => c.productAssets.list(productId, { limit: 5 }),
  },
  {
    name: 'productAssets.retrieve',
    method: 'GET',
    path: `assets/${asset.id}`,
    response: asset,
    call: (c) => c.productAssets.retrieve(asset.id),
  },
  {
    name: 'productAssets.create (an external asset)',
    method: 'POST',
    path: `products/${productId}/assets`,
    body: { url: 'https://cdn.example/tee.glb', type: '3d', alt: 'T-shirt, 3D model', position: 1 },
    status: 201,
    response: model,
    call: (c) =>
      c.productAssets.create(productId, {
        url: 'https://cdn.example/tee.glb',
        type: '3d',
        alt: 'T-shirt, 3D model',
        position: 1,
      }),
  },
  {
    name: 'productAssets.update',
    method: 'PATCH',
    path: `assets/${asset.id}`,
    body: { alt: 'Front', position: 1 },
    response: { ...asset, alt: 'Front', position: 1 },
    call: (c) => c.productAssets.update(asset.id, { alt: 'Front', position: 1 }),
  },
  {
    name: 'productAssets.order',
    method: 'POST',
    path: `products/${productId}/assets/order`,
    body: { assetIds: [model.id, asset.id] },
    response: { data: [model, asset], hasMore: false },
    call: (c) => c.productAssets.order(productId, { assetIds: [model.id, asset.id] }),
  },
  {
    name: 'productAssets.del',
    method: 'DELETE',
    path: `assets/${asset.id}`,
    response: { id: asset.id, deleted: true },
    call: (c) => c.productAssets.del(asset.id),
  },
];

describe('client.productAssets sends the contract request', () => {
  contractTests(cases, seen);

  test('upload sends the bytes with their type, alt text and flags in the query, and an Idempotency-Key', async () => {
    let sent: Uint8Array | undefined;
    server.use(
      http.post(`${BASE}/v1/products/${productId}/assets`, async ({ request }) => {
        sent = new Uint8Array(await request.arrayBuffer());
        return HttpResponse.json(asset, { status: 201 });
      }),
    );
    const result = await client({ secretKey: SK }).productAssets.upload(productId, PNG, {
      contentType: 'image/png',
      alt: 'White T-shirt, front',
      drmProtected: true,
      position: 0,
    });
    assert.deepEqual(result, asset);
    assert.equal(seen.length, 1);
    const req = seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, `/v1/products/${productId}/assets`);
    assert.deepEqual(Object.fromEntries(req.url.searchParams), {
      alt: 'White T-shirt, front',
      drmProtected: 'true',
      position: '0',
    });
    assert.equal(req.headers.get('content-type'), 'image/png');
    assert.equal(req.headers.get('authorization'), `Bearer ${SK}`);
    assert.match(req.headers.get('idempotency-key') ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(sent, PNG, 'the exact bytes');
  });

  test('upload takes a Blob’s own type, and refuses to guess one for bare bytes', async () => {
    server.use(
      http.post(`${BASE}/v1/products/${productId}/assets`, () => HttpResponse.json(asset, { status: 201 })),
    );
    await client({ secretKey: SK }).productAssets.upload(productId, new Blob([PNG], { type: 'image/webp' }), {
      alt: 'x',
    });
    assert.equal(seen[0]!.headers.get('content-type'), 'image/webp');
    assert.deepEqual(Object.fromEntries(seen[0]!.url.searchParams), { alt: 'x' });
    const error = await client({ secretKey: SK })
      .productAssets.upload(productId, PNG, { alt: 'x' })
      .catch((e: unknown) => e);
    assert.ok(error instanceof TypeError);
    assert.equal(seen.length, 1, 'nothing sent');
  });

  for (const [status, code, is] of [
    [400, 'image_invalid', (e: unknown) => ValidationError.is(e)],
    [409, 'asset_limit_reached', (e: unknown) => ConflictError.is(e)],
    [413, 'payload_too_large', (e: unknown) => DropSlotError.is(e) && !ValidationError.is(e)],
  ] as const) {
    test(`${status} ${code} is the usual error class with its code`, async () => {
      server.use(
        http.post(`${BASE}/v1/products/${productId}/assets`, () =>
          HttpResponse.json(problem(status, code), { status, headers: problemHeaders }),
        ),
      );
      const error = await client({ secretKey: SK })
        .productAssets.upload(productId, PNG, { contentType: 'image/png', alt: 'x' })
        .catch((e: unknown) => e);
      assert.ok(is(error), String(error));
      assert.equal((error as DropSlotError).code, code);
      assert.equal((error as DropSlotError).status, status);
    });
  }
});
