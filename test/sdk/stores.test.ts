/** Nano Stores: $now, the live drop store, the hold store and the waitlist store. */
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { allTasks, cleanStores, keepMount, type ReadableAtom } from 'nanostores';
import {
  $now,
  ConflictError,
  createDropStore,
  createHoldStore,
  createNowStore,
  createServerClock,
  createWaitlistStore,
  setNowClock,
  type StreamSnapshot,
} from '../../src/index.js';
import {
  BASE,
  client,
  drop,
  id,
  iso,
  problem,
  problemHeaders,
  recordRequests,
  reservation,
  server,
  slot,
  useServer,
  waitlistEntry,
} from './fixtures.js';

useServer();
const seen = recordRequests();

const mounted: ReadableAtom<unknown>[] = [];
function mount<T>($store: ReadableAtom<T>): ReadableAtom<T> {
  keepMount($store);
  mounted.push($store as ReadableAtom<unknown>);
  return $store;
}
afterEach(() => {
  cleanStores(...mounted);
  mounted.length = 0;
  setNowClock(null);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Serves GET /v1/time `ahead` ms ahead of the local clock. */
function serverTimeAhead(ahead: number): void {
  server.use(
    http.get(`${BASE}/v1/time`, () => {
      const now = Date.now() + ahead;
      return HttpResponse.json({ now, iso: iso(now) });
    }),
  );
}

describe('$now', () => {
  test('reads the page clock, ticks while mounted, and stops when unmounted', async () => {
    let local = 10_000;
    const clock = createServerClock({ localNow: () => local, probe: async () => local + 500 });
    await clock.sync();
    setNowClock(clock);
    const values: number[] = [];
    const unbind = $now.subscribe((v) => values.push(v));
    assert.equal(values[0], 10_500, 'server time at once on mount');
    local = 11_000;
    await sleep(1_100); // at least one tick, aligned to the next server second
    assert.ok(values.includes(11_500), `ticked with server time: ${values.join(',')}`);
    unbind();
    cleanStores($now);
    const count = values.length;
    local = 12_000;
    await sleep(1_100);
    assert.equal(values.length, count, 'no ticks after unmount');
  });

  test('createNowStore ticks at its interval and syncs an unsynced clock on mount', async () => {
    serverTimeAhead(60_000);
    const api = client();
    const $fast = mount(createNowStore(api.clock, { interval: 20 }));
    await waitFor(() => api.clock.synced, 'the clock sync');
    const first = $fast.get();
    await sleep(120);
    const ticks = $fast.get() - first;
    assert.ok(ticks >= 60, `advanced ${ticks} ms in 120 ms`);
    assert.ok(Math.abs($fast.get() - (Date.now() + 60_000)) < 100, 'shows server time');
    assert.equal(seen.filter((r) => r.url.pathname === '/v1/time').length, 5);
  });
});

describe('createDropStore', () => {
  const dropId = id();
  const a = slot({ dropId, capacityTotal: 10, capacityReserved: 4, capacityRemaining: 6 });
  const b = slot({ dropId, capacityTotal: 10, capacityReserved: 0, capacityRemaining: 10 });
  const snapshot: StreamSnapshot = {
    drop: drop({ id: dropId, phase: 'upcoming', capacityTotal: 20, capacityRemaining: 16 }),
    slots: [a, b],
  };
  const sse = (lines: string[]) => {
    const enc = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const l of lines) c.enqueue(enc.encode(l));
      },
    });
    return new HttpResponse(body, { headers: { 'Content-Type': 'text/event-stream' } });
  };

  test('snapshot fills the stores, slot events patch one slot and the drop totals, phase events set phase', async () => {
    server.use(
      http.get(`${BASE}/v1/drops/${dropId}/stream`, () =>
        sse([
          `event: snapshot\nid: 1\ndata: ${JSON.stringify(snapshot)}\n\n`,
          `event: phase\nid: 2\ndata: ${JSON.stringify({ dropId, phase: 'live', at: snapshot.drop.startsAt })}\n\n`,
          `event: slot\nid: 3\ndata: ${JSON.stringify({ dropId, slotId: a.id, capacityTotal: 10, capacityReserved: 10, capacityRemaining: 0, waitlistCount: 2 })}\n\n`,
        ]),
      ),
    );
    const store = createDropStore(client(), dropId);
    assert.equal(store.$connection.value, 'closed', 'nothing happens before mount');
    assert.equal(seen.length, 0);
    const versions: unknown[][] = [];
    store.$slots.listen((slots) => versions.push([...slots]));
    mount(store.$slots);
    mount(store.$drop);
    mount(store.$connection);
    await waitFor(() => store.$slots.get()[0]?.capacityRemaining === 0, 'the slot event');
    assert.equal(versions.length, 2, 'snapshot, then one patch');

    assert.equal(store.$connection.get(), 'open');
    assert.deepEqual(store.$slots.get(), [
      { ...a, capacityReserved: 10, capacityRemaining: 0, waitlistCount: 2 },
      b,
    ]);
    assert.equal(versions[1]![1], versions[0]![1], 'untouched slots keep their identity');
    assert.notEqual(versions[1]![0], versions[0]![0]);
    const d = store.$drop.get();
    assert.equal(d?.phase, 'live');
    assert.equal(d?.capacityRemaining, 10, '16 − 6 taken in slot a');
    assert.equal(d?.capacityTotal, 20);
    assert.equal(seen.length, 1, 'one stream shared by all three stores');
  });

  test('unmounting every store closes the stream', async () => {
    server.use(
      http.get(`${BASE}/v1/drops/${dropId}/stream`, () =>
        sse([`event: snapshot\nid: 1\ndata: ${JSON.stringify(snapshot)}\n\n`]),
      ),
    );
    const store = createDropStore(client(), dropId);
    mount(store.$slots);
    mount(store.$connection);
    await waitFor(() => store.$slots.value?.length === 2, 'the snapshot');
    assert.equal(store.$connection.value, 'open');
    cleanStores(store.$slots);
    assert.equal(store.$connection.value, 'open', 'still open while $connection is mounted');
    cleanStores(store.$connection);
    mounted.length = 0;
    await waitFor(() => store.$connection.value === 'closed', 'closed');
    assert.equal(seen.length, 1);
  });
});

describe('createHoldStore', () => {
  const slotId = id();

  test('reserve → held, confirm → confirmed, with the exact requests', async () => {
    serverTimeAhead(0);
    const held = reservation({ slotId, expiresAt: iso(Date.now() + 600_000) });
    server.use(
      http.post(`${BASE}/v1/reservations`, () => HttpResponse.json(held, { status: 201 })),
      http.post(`${BASE}/v1/reservations/${held.id}/confirm`, () =>
        HttpResponse.json({ ...held, state: 'CONFIRMED', expiresAt: null, qrToken: 'qr' }),
      ),
    );
    const hold = createHoldStore(client({ customerToken: 'ct' }));
    mount(hold.$hold);
    const pending = hold.reserve(slotId, { customerNote: 'hi' });
    assert.equal(hold.$hold.get().status, 'reserving');
    await allTasks();
    assert.equal((await pending).status, 'held');
    assert.equal(hold.$hold.get().reservation?.id, held.id);

    await hold.confirm();
    await allTasks();
    assert.equal(hold.$hold.get().status, 'confirmed');
    assert.equal(hold.$hold.get().reservation?.qrToken, 'qr');
    const posts = seen.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.url.pathname),
      ['/v1/reservations', `/v1/reservations/${held.id}/confirm`],
    );
    assert.deepEqual(JSON.parse(await posts[0]!.body), { customerNote: 'hi', slotId });
  });

  test('a full slot puts the ConflictError in the store instead of throwing', async () => {
    serverTimeAhead(0);
    server.use(
      http.post(`${BASE}/v1/reservations`, () =>
        HttpResponse.json(problem(409, 'slot_full'), { status: 409, headers: problemHeaders }),
      ),
    );
    const hold = createHoldStore(client());
    mount(hold.$hold);
    const state = await hold.reserve(slotId);
    assert.equal(state.status, 'error');
    assert.ok(ConflictError.is(state.error));
    assert.equal(state.error?.code, 'slot_full');
    assert.equal(state.reservation, null);
  });

  test('expires at expiresAt by server time, not by the local clock', async () => {
    const ahead = 3_600_000; // the local clock is an hour behind the server
    serverTimeAhead(ahead);
    const api = client();
    await api.clock.sync();
    const held = reservation({ slotId, expiresAt: iso(Date.now() + ahead + 150) });
    server.use(http.post(`${BASE}/v1/reservations`, () => HttpResponse.json(held, { status: 201 })));
    const hold = createHoldStore(api);
    mount(hold.$hold);
    await hold.reserve(slotId);
    assert.equal(hold.$hold.get().status, 'held');
    await sleep(60);
    assert.equal(hold.$hold.get().status, 'held', 'not yet');
    await waitFor(() => hold.$hold.get().status === 'expired', 'expiry', 1_000);
    assert.ok(Date.parse(held.expiresAt!) > Date.now(), 'by local time it still had an hour to go');

    // Confirming an expired hold does not call the API.
    const before = seen.length;
    await hold.confirm();
    assert.equal(seen.length, before);
  });

  test('409 hold_expired on confirm → expired; a failed cancel keeps the hold with the error', async () => {
    serverTimeAhead(0);
    const held = reservation({ slotId, expiresAt: iso(Date.now() + 600_000) });
    server.use(
      http.post(`${BASE}/v1/reservations/${held.id}/confirm`, () =>
        HttpResponse.json(problem(409, 'hold_expired'), { status: 409 }),
      ),
      http.post(`${BASE}/v1/reservations/${held.id}/cancel`, () => HttpResponse.error()),
    );
    const hold = createHoldStore(client());
    mount(hold.$hold);

    hold.adopt(held);
    const cancelled = await hold.cancel();
    assert.equal(cancelled.status, 'held');
    assert.equal(cancelled.error?.name, 'ConnectionError');

    const confirmed = await hold.confirm();
    assert.equal(confirmed.status, 'expired');
    assert.equal(confirmed.error?.code, 'hold_expired');
  });

  test('reset drops the result of a call still in flight', async () => {
    serverTimeAhead(0);
    server.use(
      http.post(`${BASE}/v1/reservations`, async () => {
        await sleep(50);
        return HttpResponse.json(reservation({ slotId, expiresAt: iso(Date.now() + 600_000) }), {
          status: 201,
        });
      }),
    );
    const hold = createHoldStore(client());
    mount(hold.$hold);
    void hold.reserve(slotId);
    hold.reset();
    await allTasks();
    assert.equal(hold.$hold.get().status, 'idle');
  });
});

describe('createWaitlistStore', () => {
  const slotId = id();

  test('join → waiting; polling refreshes the position; promotion; claim confirms the hold', async () => {
    serverTimeAhead(0);
    const entry = waitlistEntry({ slotId, position: 3 });
    const reservationId = id();
    const states = [
      { ...entry, position: 2 },
      { ...entry, position: 1 },
      {
        ...entry,
        state: 'PROMOTED' as const,
        position: null,
        reservationId,
        claimDeadline: iso(Date.now() + 600_000),
        promotedAt: iso(Date.now()),
      },
    ];
    let reads = 0;
    server.use(
      http.post(`${BASE}/v1/slots/${slotId}/waitlist`, () => HttpResponse.json(entry, { status: 201 })),
      http.get(`${BASE}/v1/waitlist/${entry.id}`, () =>
        HttpResponse.json(states[Math.min(reads++, states.length - 1)]),
      ),
      http.post(`${BASE}/v1/reservations/${reservationId}/confirm`, () =>
        HttpResponse.json(
          reservation({ id: reservationId, state: 'CONFIRMED', expiresAt: null, source: 'waitlist' }),
        ),
      ),
    );
    const waitlist = createWaitlistStore(client(), { pollInterval: 20 });
    mount(waitlist.$waitlist);
    const joined = await waitlist.join(slotId);
    assert.equal(joined.status, 'waiting');
    assert.equal(joined.entry?.position, 3);
    assert.deepEqual(JSON.parse(await seen.find((r) => r.method === 'POST')!.body), {});

    const positions: (number | null | undefined)[] = [];
    waitlist.$waitlist.listen((s) => positions.push(s.entry?.position));
    await waitFor(() => waitlist.$waitlist.get().status === 'promoted', 'the promotion');
    assert.deepEqual(positions, [2, 1, null]);

    const claimed = await waitlist.claim();
    assert.equal(claimed.status, 'claimed');
    assert.equal(claimed.reservation?.id, reservationId);
    assert.equal(claimed.reservation?.state, 'CONFIRMED');
    const readsAfterClaim = reads;
    await sleep(80);
    assert.equal(reads, readsAfterClaim, 'no polling once claimed');
  });

  test('a promotion expires at its claim deadline by server time', async () => {
    const ahead = -3_600_000; // the local clock is an hour ahead of the server
    serverTimeAhead(ahead);
    const api = client();
    await api.clock.sync();
    const promoted = waitlistEntry({
      slotId,
      state: 'PROMOTED',
      position: null,
      reservationId: id(),
      claimDeadline: iso(Date.now() + ahead + 3_000),
    });
    // By the local clock this deadline passed an hour ago; by server time it is 3 s away.
    const waitlist = createWaitlistStore(api, { pollInterval: 0 });
    mount(waitlist.$waitlist);
    waitlist.adopt(promoted);
    assert.equal(waitlist.$waitlist.get().status, 'promoted');

    const late = waitlistEntry({
      slotId,
      state: 'PROMOTED',
      position: null,
      reservationId: id(),
      claimDeadline: iso(Date.now() + ahead + 100),
    });
    waitlist.adopt(late);
    assert.equal(waitlist.$waitlist.get().status, 'promoted');
    await waitFor(() => waitlist.$waitlist.get().status === 'expired', 'the claim deadline', 1_000);
    const before = seen.length;
    await waitlist.claim();
    assert.equal(seen.length, before, 'no claim after the deadline');
  });

  test('leave → left; a failed join → error', async () => {
    serverTimeAhead(0);
    const entry = waitlistEntry({ slotId });
    server.use(
      http.post(`${BASE}/v1/slots/${slotId}/waitlist`, () => HttpResponse.json(entry, { status: 201 }), {
        once: true,
      }),
      http.delete(`${BASE}/v1/waitlist/${entry.id}`, () =>
        HttpResponse.json({ ...entry, state: 'LEFT', position: null }),
      ),
    );
    const waitlist = createWaitlistStore(client(), { pollInterval: 0 });
    mount(waitlist.$waitlist);
    await waitlist.join(slotId);
    const left = await waitlist.leave();
    assert.equal(left.status, 'left');
    assert.ok(seen.some((r) => r.method === 'DELETE' && r.url.pathname === `/v1/waitlist/${entry.id}`));

    server.use(
      http.post(`${BASE}/v1/slots/${slotId}/waitlist`, () =>
        HttpResponse.json(problem(409, 'slot_available'), { status: 409 }),
      ),
    );
    const failed = await waitlist.join(slotId);
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.code, 'slot_available');
  });
});
