/** Live drop updates over SSE: parsing, reconnection with Last-Event-ID and retry:, status, errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  InvalidResponseError,
  NotFoundError,
  subscribeDrop,
  type DropSlotError,
  type DropStreamEvent,
  type LiveStatus,
  type StreamSnapshot,
} from '../../src/index.js';
import { BASE, PK, client, drop, id, problem, recordRequests, server, slot, useServer } from './fixtures.js';

useServer();
const seen = recordRequests();

const dropId = id();
const streamUrl = `${BASE}/v1/drops/${dropId}/stream`;
const slotA = slot({ dropId });
const snapshot: StreamSnapshot = { drop: drop({ id: dropId }), slots: [slotA] };

const event = (name: string, eventId: string, data: unknown): string =>
  `event: ${name}\nid: ${eventId}\ndata: ${JSON.stringify(data)}\n\n`;
const slotEvent = (remaining: number) => ({
  dropId,
  slotId: slotA.id,
  capacityTotal: 10,
  capacityReserved: 10 - remaining,
  capacityRemaining: remaining,
  waitlistCount: 0,
});

/** An SSE response that sends `chunks` and then closes, or stays open when `keepOpen`. */
function sse(chunks: string[], keepOpen = false): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      if (!keepOpen) controller.close();
    },
  });
  return new HttpResponse(body, {
    headers: { 'Content-Type': 'text/event-stream', 'X-Request-Id': 'req_sse' },
  });
}

async function waitFor(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('parses each event with its schema, reconnects after the server closes, and sends Last-Event-ID', async () => {
  let connections = 0;
  server.use(
    http.get(streamUrl, () => {
      connections++;
      if (connections === 1) {
        return sse([
          'retry: 40\n\n',
          event('snapshot', '1', snapshot),
          ': heartbeat\n\n',
          event('slot', '2', slotEvent(9)).slice(0, 20), // an event split across chunks
          event('slot', '2', slotEvent(9)).slice(20),
          event('phase', '3', { dropId, phase: 'ended', at: '2026-11-22T18:00:00.000Z' }),
          event('unknown', '4', { ignored: true }),
        ]);
      }
      return sse([event('snapshot', '5', snapshot)], true);
    }),
  );
  const log: string[] = [];
  const statuses: LiveStatus[] = [];
  const errors: DropSlotError[] = [];
  const api = client({ customerToken: 'ct_live' });
  const unsubscribe = subscribeDrop(api, dropId, {
    onSnapshot: (s) => log.push(`snapshot ${s.slots.length}`),
    onSlot: (e) => log.push(`slot ${e.capacityRemaining}`),
    onPhase: (e) => log.push(`phase ${e.phase}`),
    onStatus: (s) => statuses.push(s),
    onError: (e) => errors.push(e),
  });
  await waitFor(() => log.length === 4, 'the second snapshot');
  unsubscribe();
  await waitFor(() => statuses.at(-1) === 'closed', 'closed');

  assert.deepEqual(log, ['snapshot 1', 'slot 9', 'phase ended', 'snapshot 1']);
  assert.deepEqual(statuses, ['connecting', 'open', 'reconnecting', 'open', 'closed']);
  assert.deepEqual(errors, []);
  assert.equal(seen.length, 2);
  for (const r of seen) {
    assert.equal(r.method, 'GET');
    assert.equal(r.headers.get('authorization'), `Bearer ${PK}`);
    assert.equal(r.headers.get('x-customer-token'), 'ct_live');
    assert.equal(r.headers.get('accept'), 'text/event-stream');
  }
  assert.equal(seen[0]!.headers.get('last-event-id'), null);
  assert.equal(
    seen[1]!.headers.get('last-event-id'),
    '4',
    'the id of the last event seen, even an unknown one',
  );
});

test("the server's retry: sets the reconnection delay", async () => {
  const times: number[] = [];
  server.use(
    http.get(streamUrl, () => {
      times.push(performance.now());
      return times.length === 1 ? sse(['retry: 300\n\n', event('snapshot', '1', snapshot)]) : sse([], true);
    }),
  );
  const unsubscribe = subscribeDrop(client(), dropId, {}, { retryDelay: 10 });
  await waitFor(() => times.length === 2, 'the reconnection');
  unsubscribe();
  const waited = times[1]! - times[0]!;
  assert.ok(waited >= 290, `waited ${waited} ms for retry: 300`);
});

test('a callback subscriber gets typed events with their ids', async () => {
  server.use(
    http.get(streamUrl, () =>
      sse([event('snapshot', 'a', snapshot), event('slot', 'b', slotEvent(3))], true),
    ),
  );
  const events: DropStreamEvent[] = [];
  const unsubscribe = subscribeDrop(client(), dropId, (e) => events.push(e));
  await waitFor(() => events.length === 2, 'two events');
  unsubscribe();
  assert.equal(events[0]!.type, 'snapshot');
  assert.equal(events[0]!.id, 'a');
  const second = events[1]!;
  assert.equal(second.type, 'slot');
  assert.equal(second.id, 'b');
  if (second.type === 'slot') assert.equal(second.data.capacityRemaining, 3);
});

test('an event that fails its schema is reported and skipped; the stream goes on', async () => {
  server.use(
    http.get(streamUrl, () =>
      sse(
        [
          event('snapshot', '1', snapshot),
          event('slot', '2', { ...slotEvent(5), capacityRemaining: 'five' }),
          'event: slot\nid: 3\ndata: {not json\n\n',
          event('slot', '4', slotEvent(4)),
        ],
        true,
      ),
    ),
  );
  const slots: number[] = [];
  const errors: DropSlotError[] = [];
  const unsubscribe = subscribeDrop(client(), dropId, {
    onSlot: (e) => slots.push(e.capacityRemaining),
    onError: (e) => errors.push(e),
  });
  await waitFor(() => slots.length === 1, 'the valid slot event');
  unsubscribe();
  assert.deepEqual(slots, [4]);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((e) => InvalidResponseError.is(e)));
  assert.equal(errors[0]!.requestId, 'req_sse');
});

test('a 404 is fatal: reported once, status closed, no reconnection', async () => {
  server.use(http.get(streamUrl, () => HttpResponse.json(problem(404, 'not_found'), { status: 404 })));
  const statuses: LiveStatus[] = [];
  const errors: DropSlotError[] = [];
  subscribeDrop(
    client(),
    dropId,
    { onStatus: (s) => statuses.push(s), onError: (e) => errors.push(e) },
    { retryDelay: 5 },
  );
  await waitFor(() => statuses.at(-1) === 'closed', 'closed');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(statuses, ['connecting', 'closed']);
  assert.equal(errors.length, 1);
  assert.ok(NotFoundError.is(errors[0]));
  assert.equal(seen.length, 1);
});

test('5xx and network errors are retried with backoff until the stream opens', async () => {
  let calls = 0;
  server.use(
    http.get(streamUrl, () => {
      calls++;
      if (calls === 1) return HttpResponse.json(problem(503, 'internal_error'), { status: 503 });
      if (calls === 2) return HttpResponse.error();
      return sse([event('snapshot', '1', snapshot)], true);
    }),
  );
  const statuses: LiveStatus[] = [];
  const errors: DropSlotError[] = [];
  let snapshots = 0;
  const unsubscribe = subscribeDrop(
    client(),
    dropId,
    { onSnapshot: () => snapshots++, onStatus: (s) => statuses.push(s), onError: (e) => errors.push(e) },
    { retryDelay: 10 },
  );
  await waitFor(() => snapshots === 1, 'the snapshot');
  unsubscribe();
  assert.equal(calls, 3);
  assert.deepEqual(
    errors.map((e) => e.name),
    ['ServerError', 'ConnectionError'],
  );
  assert.deepEqual(statuses.slice(0, 3), ['connecting', 'reconnecting', 'open']);
});

test('a silent connection is dropped after idleTimeout and reopened', async () => {
  let calls = 0;
  server.use(
    http.get(streamUrl, () => {
      calls++;
      return sse([event('snapshot', String(calls), snapshot)], true);
    }),
  );
  let snapshots = 0;
  const unsubscribe = subscribeDrop(
    client(),
    dropId,
    { onSnapshot: () => snapshots++ },
    { idleTimeout: 80, retryDelay: 5 },
  );
  await waitFor(() => snapshots === 2, 'a second connection');
  unsubscribe();
  assert.equal(seen[1]!.headers.get('last-event-id'), '1');
});

test('an abort signal ends the subscription', async () => {
  server.use(http.get(streamUrl, () => sse([event('snapshot', '1', snapshot)], true)));
  const controller = new AbortController();
  const statuses: LiveStatus[] = [];
  subscribeDrop(client(), dropId, { onStatus: (s) => statuses.push(s) }, { signal: controller.signal });
  await waitFor(() => statuses.includes('open'), 'open');
  controller.abort();
  await waitFor(() => statuses.at(-1) === 'closed', 'closed');
  assert.deepEqual(statuses, ['connecting', 'open', 'closed']);
});
