/** Server clock: offset from the lowest-RTT probe, monotonic now(), sync behaviour, and the client's /time probes. */
import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import { createServerClock, estimateOffset } from '../../src/index.js';
import { BASE, client, recordRequests, server, useServer } from './fixtures.js';

useServer();
const seen = recordRequests();

describe('estimateOffset', () => {
  test('uses the probe with the lowest round trip, not the average or the first', () => {
    const estimate = estimateOffset([
      { t0: 0, t1: 300, serverNow: 5_290 }, // rtt 300, would say offset 5 140
      { t0: 1_000, t1: 1_040, serverNow: 6_020 }, // rtt 40 → offset 5 000
      { t0: 2_000, t1: 2_100, serverNow: 7_000 }, // rtt 100, would say 4 950
    ]);
    assert.deepEqual(estimate, { offset: 5_000, rtt: 40 });
  });

  test('midpoint assumption: offset = serverNow − (t0 + t1) / 2, negative offsets too', () => {
    assert.deepEqual(estimateOffset([{ t0: 10_000, t1: 10_010, serverNow: 4_005 }]), {
      offset: -6_000,
      rtt: 10,
    });
  });

  test('on a tie the earlier probe wins', () => {
    const { offset } = estimateOffset([
      { t0: 0, t1: 20, serverNow: 110 },
      { t0: 100, t1: 120, serverNow: 999 },
    ]);
    assert.equal(offset, 100);
  });

  test('no probes is an error', () => {
    assert.throws(() => estimateOffset([]), RangeError);
  });
});

/** A fake local clock and a probe whose round trips and server readings we choose. */
function fakeClock(rounds: { rtt: number; serverOffset: number }[]) {
  let local = 1_000_000;
  let i = 0;
  const clock = createServerClock({
    localNow: () => local,
    probe: async () => {
      const round = rounds[i++ % rounds.length]!;
      local += round.rtt / 2;
      const serverNow = local + round.serverOffset;
      local += round.rtt / 2;
      return serverNow;
    },
  });
  return {
    clock,
    advance: (ms: number) => (local += ms),
    probes: () => i,
  };
}

describe('createServerClock', () => {
  test('reads local time before the first sync, then local time plus the best offset', async () => {
    const f = fakeClock([
      { rtt: 200, serverOffset: 9_000 },
      { rtt: 20, serverOffset: 5_000 },
      { rtt: 80, serverOffset: 7_000 },
      { rtt: 60, serverOffset: 6_000 },
      { rtt: 100, serverOffset: 8_000 },
    ]);
    assert.equal(f.clock.synced, false);
    assert.equal(f.clock.offset, 0);
    const before = f.clock.now();
    const offset = await f.clock.sync();
    assert.equal(f.probes(), 5, 'five probes by default');
    assert.equal(offset, 5_000);
    assert.equal(f.clock.rtt, 20);
    assert.equal(f.clock.synced, true);
    assert.ok(f.clock.now() >= before + 5_000);
  });

  test('never goes backwards, even when a later sync lowers the offset', async () => {
    let serverOffset = 10_000;
    let local = 5_000_000;
    const clock = createServerClock({ localNow: () => local, probe: async () => local + serverOffset });
    await clock.sync();
    const peak = clock.now();
    assert.equal(peak, local + 10_000);

    // The server now says we were 8 s ahead: the offset drops to 2 000.
    serverOffset = 2_000;
    await clock.sync();
    assert.equal(clock.offset, 2_000);
    const readings: number[] = [];
    for (let step = 0; step < 10; step++) {
      local += 1_000;
      readings.push(clock.now());
    }
    for (let k = 1; k < readings.length; k++) assert.ok(readings[k]! >= readings[k - 1]!, 'monotonic');
    assert.equal(readings[0], peak, 'held at the peak instead of jumping back 8 s');
    assert.equal(readings[7], peak, 'still holding while real time catches up');
    assert.equal(readings[9], peak + 2_000, 'moves again once it has caught up');
  });

  test('concurrent syncs share one run', async () => {
    const f = fakeClock([{ rtt: 10, serverOffset: 1 }]);
    const [a, b] = await Promise.all([f.clock.sync(), f.clock.sync()]);
    assert.equal(a, b);
    assert.equal(f.probes(), 5);
  });

  test('failed probes are skipped; if all fail, sync rejects and keeps the offset', async () => {
    let call = 0;
    const clock = createServerClock({
      samples: 3,
      localNow: () => 0,
      probe: async () => {
        call++;
        if (call === 2) throw new Error('flaky');
        if (call > 3) throw new Error('down');
        return 700;
      },
    });
    assert.equal(await clock.sync(), 700);
    await assert.rejects(clock.sync(), /down/);
    assert.equal(clock.offset, 700);
  });
});

describe('client.clock', () => {
  test('probes GET /v1/time five times without retries and adopts the server offset', async () => {
    const ahead = 3_600_000;
    server.use(
      http.get(`${BASE}/v1/time`, () => {
        const now = Date.now() + ahead;
        return HttpResponse.json({ now, iso: new Date(now).toISOString() });
      }),
    );
    const api = client({ maxRetries: 2 });
    await api.clock.sync();
    assert.equal(seen.length, 5);
    assert.ok(seen.every((r) => r.method === 'GET' && r.url.pathname === '/v1/time'));
    assert.ok(Math.abs(api.clock.offset - ahead) < 50, `offset ${api.clock.offset}`);
    assert.ok(Math.abs(api.clock.now() - (Date.now() + ahead)) < 50);
  });

  test('a failing probe is not retried (a retried round trip would be meaningless)', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/time`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { type: 'x', title: 'x', status: 503, code: 'internal_error' },
              { status: 503, headers: { 'Retry-After': '0' } },
            )
          : HttpResponse.json({ now: Date.now(), iso: new Date().toISOString() });
      }),
    );
    await client({ maxRetries: 3 }).clock.sync();
    assert.equal(calls, 5, 'one failed probe + four good ones, no extra retry');
  });
});

describe('clock read before its first sync', () => {
  it('does not freeze when the device clock runs ahead of the server', async () => {
    let local = 10_000_000 + 3_600_000; // the device is an hour ahead
    const clock = createServerClock({
      probe: async () => local - 3_600_000,
      localNow: () => local,
      samples: 1,
    });
    assert.equal(clock.now(), local); // unsynced: the device clock
    await clock.sync();
    assert.equal(clock.now(), local - 3_600_000);
    local += 1000;
    assert.equal(clock.now(), local - 3_600_000, 'moves on with real time instead of holding for an hour');
  });
});
