import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseKinds } from '../support/db.js';
import { startTestApp, withApp, type Reply, type TestApp } from '../support/app.js';

const MIN = 60_000;
const CLAIM_TTL = 120;

function assertProblem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(reply.body.code, code);
}

const slotOf = async (t: TestApp, id: string) => (await t.call('GET', `/v1/slots/${id}`)).body;
const entryOf = async (t: TestApp, id: string, token: string) =>
  (await t.call('GET', `/v1/waitlist/${id}`, { token })).body;

interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

/** A drop's event stream read with fetch and a small SSE parser. */
async function openStream(baseUrl: string, dropId: string, key: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/v1/drops/${dropId}/stream`, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let retry: number | undefined;
  let wake: (() => void) | undefined;
  let ended = false;
  const pump = (async () => {
    if (!response.ok || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: Partial<SseEvent> & { lines: string[] } = { lines: [] };
          for (const line of block.split('\n')) {
            if (line === '' || line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = value;
            else if (field === 'data') event.lines.push(value);
            else if (field === 'id') event.id = value;
            else if (field === 'retry') retry = Number(value);
          }
          if (event.lines.length === 0) continue;
          events.push({
            id: event.id,
            event: event.event ?? 'message',
            data: JSON.parse(event.lines.join('\n')),
          });
          wake?.();
        }
      }
    } catch {
      // Aborted.
    } finally {
      ended = true;
      wake?.();
    }
  })();
  let read = 0;
  /** The next event after the ones already taken; fails after `timeoutMs`. */
  const next = async (timeoutMs = 3000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    while (read >= events.length) {
      if (ended) throw new Error('the stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(left, 50));
      });
    }
    return events[read++]!;
  };
  /** The next event matching `match`, skipping others (stale notices of earlier changes may arrive late). */
  const until = async (match: (e: SseEvent) => boolean, timeoutMs = 3000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await next(Math.max(1, deadline - Date.now()));
      if (match(event)) return event;
    }
  };
  return {
    response,
    events,
    next,
    until,
    retry: () => retry,
    async close() {
      controller.abort();
      await pump;
    },
  };
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const kind of databaseKinds) {
  describe(`waitlist and live stream on ${kind}`, () => {
    it('lines customers up in order, promotes on release, passes a missed claim on, and claims', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 1, rule: { claimTtlSeconds: CLAIM_TTL } });
        const slotId = slotIds[0]!;
        const [a, b, c] = [await t.customer(), await t.customer(), await t.customer()];

        const before = await t.fingerprint();
        const early = await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: b.token });
        assertProblem(early, 409, 'slot_available');
        assert.equal(early.body.capacityRemaining, 1);
        assert.deepEqual(await t.fingerprint(), before);

        const held = await t.call('POST', '/v1/reservations', { token: a.token, body: { slotId } });
        assert.equal(held.status, 201);
        t.clock.advance(1000);
        const bJoin = await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: b.token });
        assert.equal(bJoin.status, 201);
        assert.equal(bJoin.body.state, 'WAITING');
        assert.equal(bJoin.body.position, 1);
        assert.equal(bJoin.body.customerId, b.id);
        assert.equal(bJoin.body.slotId, slotId);
        assert.equal(bJoin.body.reservationId, null);
        assert.equal(bJoin.body.claimDeadline, null);
        t.clock.advance(1000);
        const cJoin = await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: c.token });
        assert.equal(cJoin.status, 201);
        assert.equal(cJoin.body.position, 2);
        assert.equal((await entryOf(t, cJoin.body.id, c.token)).position, 2);
        assert.equal((await entryOf(t, bJoin.body.id, b.token)).position, 1);
        assert.equal((await slotOf(t, slotId)).waitlistCount, 2);

        const fp = await t.fingerprint();
        assertProblem(
          await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: b.token }),
          409,
          'already_waitlisted',
        );
        assertProblem(
          await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: a.token }),
          409,
          'already_reserved',
        );
        assertProblem(await t.call('POST', `/v1/slots/${slotId}/waitlist`), 401, 'customer_token_required');
        assert.deepEqual(await t.fingerprint(), fp);
        assert.equal((await slotOf(t, slotId)).waitlistCount, 2);

        // A cancels: the place goes to B, the head of the line, as a hold with a claim deadline.
        t.clock.advance(MIN);
        const cancelled = await t.call('POST', `/v1/reservations/${held.body.id}/cancel`, { token: a.token });
        assert.equal(cancelled.status, 200);
        const promoted = await entryOf(t, bJoin.body.id, b.token);
        assert.equal(promoted.state, 'PROMOTED');
        assert.equal(promoted.position, null);
        assert.match(promoted.reservationId, /^[0-9a-f-]{36}$/);
        assert.equal(
          promoted.claimDeadline,
          new Date(t.clock.now().getTime() + CLAIM_TTL * 1000).toISOString(),
        );
        assert.equal(promoted.promotedAt, t.clock.now().toISOString());
        const bHold = await t.call('GET', `/v1/reservations/${promoted.reservationId}`, { token: b.token });
        assert.equal(bHold.status, 200);
        assert.equal(bHold.body.state, 'PENDING');
        assert.equal(bHold.body.source, 'waitlist');
        assert.equal(bHold.body.customerId, b.id);
        assert.equal(bHold.body.expiresAt, promoted.claimDeadline);
        assert.equal((await entryOf(t, cJoin.body.id, c.token)).position, 1);
        let slot = await slotOf(t, slotId);
        assert.equal(slot.capacityReserved, 1, 'the place moved to B without ever being free');
        assert.equal(slot.capacityRemaining, 0);
        assert.equal(slot.waitlistCount, 1);
        // Nobody can jump the line while B's claim runs.
        const d = await t.customer();
        assertProblem(
          await t.call('POST', '/v1/reservations', { token: d.token, body: { slotId } }),
          409,
          'slot_full',
        );

        // B misses the claim: the hold expires and C is promoted.
        t.clock.advance(CLAIM_TTL * 1000 - 1);
        assert.equal(await t.dropslot.sweep(), 0);
        t.clock.advance(1);
        assert.equal(await t.dropslot.sweep(), 1);
        assert.equal(await t.dropslot.sweep(), 0);
        assert.equal((await entryOf(t, bJoin.body.id, b.token)).state, 'EXPIRED');
        assert.equal(
          (await t.call('GET', `/v1/reservations/${promoted.reservationId}`, { token: b.token })).body.state,
          'EXPIRED',
        );
        const cPromoted = await entryOf(t, cJoin.body.id, c.token);
        assert.equal(cPromoted.state, 'PROMOTED');
        assert.notEqual(cPromoted.reservationId, promoted.reservationId);
        assert.equal(
          cPromoted.claimDeadline,
          new Date(t.clock.now().getTime() + CLAIM_TTL * 1000).toISOString(),
        );
        slot = await slotOf(t, slotId);
        assert.equal(slot.capacityReserved, 1);
        assert.equal(slot.waitlistCount, 0);

        // C claims in time.
        t.clock.advance(10_000);
        const confirmed = await t.call('POST', `/v1/reservations/${cPromoted.reservationId}/confirm`, {
          token: c.token,
        });
        assert.equal(confirmed.status, 200);
        assert.equal(confirmed.body.state, 'CONFIRMED');
        assert.equal(confirmed.body.source, 'waitlist');
        const claimed = await entryOf(t, cJoin.body.id, c.token);
        assert.equal(claimed.state, 'CLAIMED');
        assert.equal(claimed.position, null);
        // A claimed place is an ordinary reservation: the sweeper leaves it alone.
        t.clock.advance(CLAIM_TTL * 1000 * 2);
        assert.equal(await t.dropslot.sweep(), 0);
        assert.equal((await slotOf(t, slotId)).capacityReserved, 1);
        assertProblem(
          await t.call('DELETE', `/v1/waitlist/${cJoin.body.id}`, { token: c.token }),
          409,
          'invalid_state',
        );
      }));

    it('lets customers leave or decline, keeps entries private, and lists them per caller', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 1, rule: { claimTtlSeconds: CLAIM_TTL } });
        const slotId = slotIds[0]!;
        const [a, b, c, d] = [await t.customer(), await t.customer(), await t.customer(), await t.customer()];
        const held = await t.call('POST', '/v1/reservations', { token: a.token, body: { slotId } });
        assert.equal(held.status, 201);
        const entries: Record<string, string> = {};
        for (const [name, x] of [
          ['b', b],
          ['c', c],
          ['d', d],
        ] as const) {
          t.clock.advance(1000);
          const joined = await t.call('POST', `/v1/slots/${slotId}/waitlist`, { token: x.token });
          assert.equal(joined.status, 201);
          entries[name] = joined.body.id;
        }
        assert.equal((await slotOf(t, slotId)).waitlistCount, 3);

        // Private: another customer gets 404 for reading or leaving an entry that is not theirs.
        const fp = await t.fingerprint();
        assertProblem(await t.call('GET', `/v1/waitlist/${entries.b}`, { token: c.token }), 404, 'not_found');
        assertProblem(
          await t.call('DELETE', `/v1/waitlist/${entries.b}`, { token: c.token }),
          404,
          'not_found',
        );
        assertProblem(await t.call('DELETE', `/v1/waitlist/${entries.b}`), 401, 'customer_token_required');
        assert.deepEqual(await t.fingerprint(), fp);
        assert.equal((await entryOf(t, entries.b!, b.token)).state, 'WAITING');

        // D, still waiting, leaves.
        const left = await t.call('DELETE', `/v1/waitlist/${entries.d}`, { token: d.token });
        assert.equal(left.status, 200);
        assert.equal(left.body.state, 'LEFT');
        assert.equal(left.body.position, null);
        assert.equal((await slotOf(t, slotId)).waitlistCount, 2);
        assertProblem(
          await t.call('DELETE', `/v1/waitlist/${entries.d}`, { token: d.token }),
          409,
          'invalid_state',
        );
        assert.equal((await slotOf(t, slotId)).waitlistCount, 2, 'leaving twice counts once');
        assert.equal((await entryOf(t, entries.c!, c.token)).position, 2);

        // A cancels; B is promoted, then declines by leaving: the place passes on to C.
        await t.call('POST', `/v1/reservations/${held.body.id}/cancel`, { token: a.token });
        const bEntry = await entryOf(t, entries.b!, b.token);
        assert.equal(bEntry.state, 'PROMOTED');
        assert.equal((await entryOf(t, entries.c!, c.token)).position, 1);
        t.clock.advance(MIN);
        const declined = await t.call('DELETE', `/v1/waitlist/${entries.b}`, { token: b.token });
        assert.equal(declined.status, 200);
        assert.equal(declined.body.state, 'LEFT');
        const bHold = await t.call('GET', `/v1/reservations/${bEntry.reservationId}`, { token: b.token });
        assert.equal(bHold.body.state, 'CANCELLED');
        const cEntry = await entryOf(t, entries.c!, c.token);
        assert.equal(cEntry.state, 'PROMOTED');
        assert.equal(
          cEntry.claimDeadline,
          new Date(t.clock.now().getTime() + CLAIM_TTL * 1000).toISOString(),
        );
        const slot = await slotOf(t, slotId);
        assert.equal(slot.capacityReserved, 1);
        assert.equal(slot.waitlistCount, 0);

        // Lists: a customer sees only their own entries; the secret key sees the store's, newest first.
        const ids = (r: Reply) => r.body.data.map((e: { id: string }) => e.id);
        assert.deepEqual(ids(await t.call('GET', '/v1/waitlist', { token: b.token })), [entries.b]);
        assert.deepEqual(ids(await t.call('GET', '/v1/waitlist', { token: c.token })), [entries.c]);
        assert.deepEqual(ids(await t.call('GET', '/v1/waitlist', { token: a.token })), []);
        const all = await t.call('GET', '/v1/waitlist', { key: t.store.secretKey });
        assert.deepEqual(ids(all), [entries.d, entries.c, entries.b]);
        assert.deepEqual(
          all.body.data.map((e: { state: string }) => e.state),
          ['LEFT', 'PROMOTED', 'LEFT'],
        );
        assert.deepEqual(
          ids(await t.call('GET', '/v1/waitlist?state=PROMOTED', { key: t.store.secretKey })),
          [entries.c],
        );
        const page = await t.call('GET', '/v1/waitlist?limit=2', { key: t.store.secretKey });
        assert.equal(page.body.hasMore, true);
        assert.equal(
          (await t.call('GET', `/v1/waitlist/${entries.b}`, { key: t.store.secretKey })).status,
          200,
          'the secret key reads any entry of its store',
        );
        assertProblem(await t.call('GET', '/v1/waitlist'), 401, 'customer_token_required');

        // The secret key may join for a named customer, and must name one.
        const e = await t.customer();
        const forE = await t.call('POST', `/v1/slots/${slotId}/waitlist`, {
          key: t.store.secretKey,
          body: { customerId: e.id },
        });
        assert.equal(forE.status, 201);
        assert.equal(forE.body.customerId, e.id);
        assert.equal(forE.body.position, 1);
        assertProblem(
          await t.call('POST', `/v1/slots/${slotId}/waitlist`, { key: t.store.secretKey }),
          400,
          'validation_failed',
        );
        assertProblem(
          await t.call('POST', `/v1/slots/${slotId}/waitlist`, {
            token: d.token,
            body: { customerId: e.id },
          }),
          403,
          'forbidden',
        );
      }));

    it('streams a snapshot, slot changes, phase changes and fresh snapshots after a drop update', () =>
      withApp(kind, async (t) => {
        const startsAt = new Date(t.clock.now().getTime() + 10 * MIN);
        const endsAt = new Date(startsAt.getTime() + 60 * MIN);
        const { dropId, slotIds } = await t.drop({ capacity: 2, slots: 2, startsAt, endsAt });

        const missing = await t.call('GET', '/v1/drops/6f1c9a52-1111-4222-8333-944455556666/stream');
        assertProblem(missing, 404, 'not_found');
        assertProblem(await t.call('GET', '/v1/drops/nope/stream'), 404, 'not_found');
        assertProblem(
          await t.call('GET', `/v1/drops/${dropId}/stream`, { key: null }),
          401,
          'unauthenticated',
        );

        const stream = await openStream(t.baseUrl, dropId, t.store.publishableKey);
        try {
          assert.equal(stream.response.status, 200);
          assert.match(stream.response.headers.get('content-type') ?? '', /^text\/event-stream/);
          assert.match(stream.response.headers.get('cache-control') ?? '', /no-(store|cache)/);
          assert.ok(stream.response.headers.get('x-request-id'));
          const first = await stream.next();
          assert.equal(first.event, 'snapshot');
          assert.equal(first.data.drop.id, dropId);
          assert.equal(first.data.drop.phase, 'upcoming');
          assert.deepEqual(
            first.data.slots.map((s: { id: string }) => s.id),
            slotIds,
          );
          assert.deepEqual(
            first.data.slots.map((s: { capacityRemaining: number }) => s.capacityRemaining),
            [2, 2],
          );
          assert.equal(stream.retry(), 2000);
          await waitFor(() => t.dropslot.services.live.subscriberCount(dropId) === 1);

          // The drop opens on server time: a phase event, without anyone asking.
          t.clock.set(startsAt);
          const opened = await stream.until((e) => e.event === 'phase', 2500);
          assert.deepEqual(opened.data, { dropId, phase: 'live', at: startsAt.toISOString() });

          // Another customer reserves: a slot event with the new figures.
          const bob = await t.customer();
          const held = await t.call('POST', '/v1/reservations', {
            token: bob.token,
            body: { slotId: slotIds[1] },
          });
          assert.equal(held.status, 201);
          const change = await stream.until((e) => e.event === 'slot' && e.data.capacityReserved === 1);
          assert.deepEqual(change.data, {
            dropId,
            slotId: slotIds[1],
            capacityTotal: 2,
            capacityReserved: 1,
            capacityRemaining: 1,
            waitlistCount: 0,
          });

          // The store renames the drop: every subscriber gets a fresh snapshot.
          const patched = await t.call('PATCH', `/v1/drops/${dropId}`, {
            key: t.store.secretKey,
            body: { name: 'Renamed drop' },
          });
          assert.equal(patched.status, 200);
          const fresh = await stream.until((e) => e.event === 'snapshot');
          assert.equal(fresh.data.drop.name, 'Renamed drop');
          assert.equal(fresh.data.drop.phase, 'live');
          assert.equal(fresh.data.slots.find((s: { id: string }) => s.id === slotIds[1]).capacityReserved, 1);

          t.clock.set(endsAt);
          const ended = await stream.until((e) => e.event === 'phase', 2500);
          assert.deepEqual(ended.data, { dropId, phase: 'ended', at: endsAt.toISOString() });

          // Every event has an id; ids of one process are increasing.
          assert.ok(stream.events.length >= 5);
          const seqs = stream.events.map((e) => {
            assert.match(e.id ?? '', /^[0-9a-f]{8}-\d+$/, `${e.event} has an id`);
            return Number(e.id!.split('-')[1]);
          });
          for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, 'ids increase');
          assert.equal(new Set(stream.events.map((e) => e.id!.split('-')[0])).size, 1);
        } finally {
          await stream.close();
        }
        await waitFor(() => t.dropslot.services.live.subscriberCount(dropId) === 0);
      }));

    it('streams drafts only to the secret key', () =>
      withApp(kind, async (t) => {
        const { dropId } = await t.drop();
        await t.call('PATCH', `/v1/drops/${dropId}`, { key: t.store.secretKey, body: { status: 'draft' } });
        assertProblem(await t.call('GET', `/v1/drops/${dropId}/stream`), 404, 'not_found');
        const stream = await openStream(t.baseUrl, dropId, t.store.secretKey);
        try {
          assert.equal(stream.response.status, 200);
          const first = await stream.next();
          assert.equal(first.event, 'snapshot');
          assert.equal(first.data.drop.status, 'draft');
        } finally {
          await stream.close();
        }
      }));

    if (kind === 'postgres') {
      it('fans changes out across server processes with LISTEN/NOTIFY', async () => {
        const a = await startTestApp(kind);
        // A second app on the same database; it must not drop the database the first one owns.
        const b = await startTestApp(kind, { database: { ...a.database, drop: async () => {} } });
        try {
          const { dropId, slotIds } = await a.drop({ capacity: 3 });
          const stream = await openStream(a.baseUrl, dropId, a.store.publishableKey);
          try {
            assert.equal((await stream.next()).event, 'snapshot');
            const alice = await a.customer();
            // The reserve goes through app B (another process in production) with the same store's keys.
            const held = await b.call('POST', '/v1/reservations', {
              key: a.store.publishableKey,
              token: alice.token,
              body: { slotId: slotIds[0] },
            });
            assert.equal(held.status, 201);
            const change = await stream.until((e) => e.event === 'slot' && e.data.capacityReserved === 1);
            assert.equal(change.data.slotId, slotIds[0]);
            assert.equal(change.data.capacityRemaining, 2);
            // And a drop update made through B reaches A's subscribers as a fresh snapshot.
            await b.call('PATCH', `/v1/drops/${dropId}`, {
              key: a.store.secretKey,
              body: { name: 'Changed on B' },
            });
            const fresh = await stream.until((e) => e.event === 'snapshot');
            assert.equal(fresh.data.drop.name, 'Changed on B');
          } finally {
            await stream.close();
          }
        } finally {
          await b.close();
          await a.close();
        }
      });
    }
  });
}
