/** `list` results: awaitable for the first page, async-iterable over every item of every page. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { http, HttpResponse } from 'msw';
import type { Drop } from '../../src/index.js';
import { BASE, client, drop, id, problem, recordRequests, server, useServer } from './fixtures.js';

useServer();
const seen = recordRequests();

const productId = id();
const all = Array.from({ length: 7 }, (_, i) => drop({ name: `Drop ${i + 1}`, productId }));

/** Serves `all` in pages of the requested limit, after `startingAfter`. */
function pagedDrops(): void {
  server.use(
    http.get(`${BASE}/v1/drops`, ({ request }) => {
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const after = url.searchParams.get('startingAfter');
      const start = after === null ? 0 : all.findIndex((d) => d.id === after) + 1;
      const data = all.slice(start, start + limit);
      return HttpResponse.json({ data, hasMore: start + limit < all.length });
    }),
  );
}

test(
  'for await walks 3 pages with startingAfter = the last id, keeping limit and filters',
  { timeout: 5_000 },
  async () => {
    pagedDrops();
    const names: string[] = [];
    for await (const d of client().drops.list({ limit: 3, productId })) names.push(d.name);

    assert.deepEqual(
      names,
      all.map((d) => d.name),
    );
    assert.equal(seen.length, 3, 'three pages');
    assert.deepEqual(
      seen.map((r) => Object.fromEntries(r.url.searchParams)),
      [
        { limit: '3', productId },
        { limit: '3', productId, startingAfter: all[2]!.id },
        { limit: '3', productId, startingAfter: all[5]!.id },
      ],
    );
  },
);

test('await gives the first page only', async () => {
  pagedDrops();
  const page = await client().drops.list({ limit: 3 });
  assert.equal(page.data.length, 3);
  assert.equal(page.hasMore, true);
  assert.equal(page.data[0]!.id, all[0]!.id);
  assert.equal(seen.length, 1);
});

test('nothing is requested until awaited or iterated; awaiting then iterating reuses the first page', async () => {
  pagedDrops();
  const list = client().drops.list({ limit: 5 });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(seen.length, 0);
  const first = await list;
  const items: Drop[] = [];
  for await (const d of list) items.push(d);
  assert.equal(first.data.length, 5);
  assert.equal(items.length, 7);
  assert.equal(seen.length, 2, 'page 1 once, then page 2');
});

test('breaking out of the loop stops fetching pages', async () => {
  pagedDrops();
  for await (const d of client().drops.list({ limit: 2 })) {
    if (d.id === all[0]!.id) break;
  }
  assert.equal(seen.length, 1);
});

test('a failing later page rejects the iteration', async () => {
  server.use(
    http.get(`${BASE}/v1/drops`, ({ request }) =>
      new URL(request.url).searchParams.has('startingAfter')
        ? HttpResponse.json(problem(500, 'internal_error'), { status: 500 })
        : HttpResponse.json({ data: [all[0]], hasMore: true }),
    ),
  );
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const d of client().drops.list()) got.push(d.id);
  }, /internal_error/);
  assert.deepEqual(got, [all[0]!.id]);
});

test('an empty page with hasMore ends the iteration (no cursor to continue from)', async () => {
  server.use(http.get(`${BASE}/v1/drops`, () => HttpResponse.json({ data: [], hasMore: true })));
  const got: Drop[] = [];
  for await (const d of client().drops.list()) got.push(d);
  assert.equal(got.length, 0);
  assert.equal(seen.length, 1);
});
