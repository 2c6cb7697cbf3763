import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows } from '../../examples/server/db/index.js';
import { databaseKinds } from '../support/db.js';
import { withApp, type TestApp } from '../support/app.js';

const MIN = 60_000;

async function auditCount(t: TestApp, action: string): Promise<number> {
  const [row] = await rows<{ n: number }>(
    t.handle.db,
    sql`select count(*)::int as n from audit_logs where action = ${action}`,
  );
  return row!.n;
}

async function slot(t: TestApp, id: string) {
  return (await t.call('GET', `/v1/slots/${id}`)).body;
}

for (const kind of databaseKinds) {
  describe(`reservations on ${kind}`, () => {
    it('holds, confirms and checks in once; a second scan says when it was used', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 5, rule: { holdTtlSeconds: 300 } });
        const alice = await t.customer();
        const held = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(held.status, 201);
        assert.equal(held.body.state, 'PENDING');
        assert.equal(held.body.expiresAt, new Date(t.clock.now().getTime() + 300_000).toISOString());
        assert.equal(held.body.qrToken, null);
        assert.equal((await slot(t, slotIds[0]!)).capacityReserved, 1);

        const confirmed = await t.call('POST', `/v1/reservations/${held.body.id}/confirm`, {
          token: alice.token,
        });
        assert.equal(confirmed.status, 200);
        assert.equal(confirmed.body.state, 'CONFIRMED');
        assert.equal(confirmed.body.expiresAt, null);
        assert.match(confirmed.body.qrToken, /^ds1\.[0-9a-f]{32}\.[A-Za-z0-9_-]{22}$/);

        const staff = await t.staff();
        t.clock.advance(5 * MIN);
        // The slot starts tomorrow: check-in is not open yet, says when it opens (2 h before), and changes nothing.
        const slotStart = Date.parse((await slot(t, slotIds[0]!)).startsAt);
        const tooEarly = await t.call('POST', '/v1/check-ins', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(tooEarly.status, 409);
        assert.equal(tooEarly.body.code, 'check_in_not_open');
        assert.equal(tooEarly.body.opensAt, new Date(slotStart - 120 * MIN).toISOString());
        t.clock.set(slotStart - 30 * MIN);
        const first = await t.call('POST', '/v1/check-ins', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(first.status, 201);
        assert.equal(first.body.reservation.state, 'CHECKED_IN');
        const usedAt = first.body.checkedInAt;
        t.clock.advance(MIN);
        const before = await t.fingerprint();
        const second = await t.call('POST', '/v1/check-ins', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(second.status, 409);
        assert.equal(second.body.code, 'qr_already_used');
        assert.equal(second.body.firstUsedAt, usedAt);
        assert.match(second.headers.get('content-type')!, /application\/problem\+json/);
        assert.deepEqual(await t.fingerprint(), before);

        assert.equal(await auditCount(t, 'reservation.create'), 1);
        assert.equal(await auditCount(t, 'reservation.confirm'), 1);
        assert.equal(await auditCount(t, 'reservation.check_in'), 1);
      }));

    it('refuses check-in to customers, forged tokens and other stores’ tokens', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop();
        const alice = await t.customer();
        const held = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        const confirmed = await t.call('POST', `/v1/reservations/${held.body.id}/confirm`, {
          token: alice.token,
        });
        const token: string = confirmed.body.qrToken;
        const before = await t.fingerprint();
        const asCustomer = await t.call('POST', '/v1/check-ins', {
          token: alice.token,
          body: { qrToken: token },
        });
        assert.equal(asCustomer.status, 403);
        assert.equal(asCustomer.body.code, 'forbidden');
        const noToken = await t.call('POST', '/v1/check-ins', { body: { qrToken: token } });
        assert.equal(noToken.status, 403);
        assert.equal(noToken.body.code, 'wrong_key_kind');
        const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
        const bad = await t.call('POST', '/v1/check-ins', {
          key: t.store.secretKey,
          body: { qrToken: forged },
        });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.code, 'qr_invalid');
        assert.deepEqual(await t.fingerprint(), before);
      }));

    it('refuses before the drop opens, opens on server time, closes after the end', () =>
      withApp(kind, async (t) => {
        const startsAt = new Date(t.clock.now().getTime() + 10 * MIN);
        const endsAt = new Date(startsAt.getTime() + 60 * MIN);
        const { slotIds } = await t.drop({ startsAt, endsAt });
        const alice = await t.customer();
        const early = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(early.status, 409);
        assert.equal(early.body.code, 'drop_not_open');
        assert.equal(early.body.startsAt, startsAt.toISOString());
        t.clock.set(startsAt);
        const open = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(open.status, 201);
        t.clock.set(endsAt);
        const bob = await t.customer();
        const late = await t.call('POST', '/v1/reservations', {
          token: bob.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(late.status, 409);
        assert.equal(late.body.code, 'drop_closed');
      }));

    it('never oversells: a full slot answers slot_full with a waitlist hint', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 2 });
        const slotId = slotIds[0]!;
        const results = [];
        for (let i = 0; i < 4; i++) {
          const c = await t.customer();
          results.push(await t.call('POST', '/v1/reservations', { token: c.token, body: { slotId } }));
        }
        assert.deepEqual(
          results.map((r) => r.status),
          [201, 201, 409, 409],
        );
        assert.equal(results[2]!.body.code, 'slot_full');
        assert.equal(results[2]!.body.waitlist.join, `/v1/slots/${slotId}/waitlist`);
        assert.equal(results[3]!.body.code, 'slot_full');
        const s = await slot(t, slotId);
        assert.equal(s.capacityReserved, 2);
        assert.equal(s.capacityRemaining, 0);
      }));

    it('holds one place per customer and slot, and the drop’s per-customer limit', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ slots: 3, rule: { maxPerCustomer: 2 } });
        const alice = await t.customer();
        assert.equal(
          (await t.call('POST', '/v1/reservations', { token: alice.token, body: { slotId: slotIds[0] } }))
            .status,
          201,
        );
        const again = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'already_reserved');
        assert.equal(
          (await t.call('POST', '/v1/reservations', { token: alice.token, body: { slotId: slotIds[1] } }))
            .status,
          201,
        );
        const third = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[2] },
        });
        assert.equal(third.status, 409);
        assert.equal(third.body.code, 'reservation_limit_reached');
        assert.equal((await slot(t, slotIds[2]!)).capacityReserved, 0);
      }));

    it('expires a lapsed hold exactly once, on read or by the sweeper', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 1, rule: { holdTtlSeconds: 60 } });
        const alice = await t.customer();
        const held = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        t.clock.advance(59_000);
        assert.equal(await t.dropslot.sweep(), 0);
        assert.equal(
          (await t.call('GET', `/v1/reservations/${held.body.id}`, { token: alice.token })).body.state,
          'PENDING',
        );
        t.clock.advance(1_000);
        const read = await t.call('GET', `/v1/reservations/${held.body.id}`, { token: alice.token });
        assert.equal(read.body.state, 'EXPIRED');
        assert.equal(read.body.expiredAt, t.clock.now().toISOString());
        assert.equal(await t.dropslot.sweep(), 0);
        assert.equal((await slot(t, slotIds[0]!)).capacityReserved, 0);
        assert.equal(await auditCount(t, 'reservation.expire'), 1);
        // A second hold found by the sweeper instead.
        const bob = await t.customer();
        const bobs = await t.call('POST', '/v1/reservations', {
          token: bob.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(bobs.status, 201);
        t.clock.advance(61_000);
        assert.equal(await t.dropslot.sweep(), 1);
        assert.equal(await t.dropslot.sweep(), 0);
        assert.equal((await slot(t, slotIds[0]!)).capacityReserved, 0);
      }));

    it('answers hold_expired to a late confirm and frees the place', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 1, rule: { holdTtlSeconds: 60 } });
        const alice = await t.customer();
        const held = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        t.clock.advance(2 * MIN);
        const late = await t.call('POST', `/v1/reservations/${held.body.id}/confirm`, { token: alice.token });
        assert.equal(late.status, 409);
        assert.equal(late.body.code, 'hold_expired');
        assert.equal((await slot(t, slotIds[0]!)).capacityReserved, 0);
        assert.equal(
          (await t.call('GET', `/v1/reservations/${held.body.id}`, { token: alice.token })).body.state,
          'EXPIRED',
        );
      }));

    it('lets a customer cancel only their own reservation, once', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ capacity: 3 });
        const alice = await t.customer();
        const bob = await t.customer();
        const held = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        const foreign = await t.call('POST', `/v1/reservations/${held.body.id}/cancel`, { token: bob.token });
        assert.equal(foreign.status, 404);
        const cancelled = await t.call('POST', `/v1/reservations/${held.body.id}/cancel`, {
          token: alice.token,
        });
        assert.equal(cancelled.status, 200);
        assert.equal(cancelled.body.state, 'CANCELLED');
        const twice = await t.call('POST', `/v1/reservations/${held.body.id}/cancel`, { token: alice.token });
        assert.equal(twice.status, 409);
        assert.equal(twice.body.code, 'invalid_state');
        assert.equal((await slot(t, slotIds[0]!)).capacityReserved, 0);
        const mine = await t.call('GET', '/v1/reservations', { token: bob.token });
        assert.equal(mine.body.data.length, 0);
        const all = await t.call('GET', '/v1/reservations', { key: t.store.secretKey });
        assert.equal(all.body.data.length, 1);
      }));

    it('replays an Idempotency-Key and refuses its reuse with another body', () =>
      withApp(kind, async (t) => {
        const { slotIds } = await t.drop({ slots: 2 });
        const alice = await t.customer();
        const key = 'reserve-0001';
        const first = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          idempotencyKey: key,
          body: { slotId: slotIds[0] },
        });
        const again = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          idempotencyKey: key,
          body: { slotId: slotIds[0] },
        });
        assert.equal(first.status, 201);
        assert.equal(again.status, 201);
        assert.deepEqual(again.body, first.body);
        assert.equal(again.headers.get('idempotent-replayed'), 'true');
        const before = await t.fingerprint();
        const other = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          idempotencyKey: key,
          body: { slotId: slotIds[1] },
        });
        assert.equal(other.status, 422);
        assert.equal(other.body.code, 'idempotency_key_reused');
        assert.deepEqual(await t.fingerprint(), before);
        // A stored refusal replays too.
        const bob = await t.customer();
        const full = await t.call('POST', '/v1/reservations', {
          token: bob.token,
          idempotencyKey: 'x-1',
          body: { slotId: 'a1b2c3d4-0000-4000-8000-000000000000' },
        });
        const fullAgain = await t.call('POST', '/v1/reservations', {
          token: bob.token,
          idempotencyKey: 'x-1',
          body: { slotId: 'a1b2c3d4-0000-4000-8000-000000000000' },
        });
        assert.equal(full.status, 404);
        assert.equal(fullAgain.status, 404);
        assert.equal(fullAgain.headers.get('idempotent-replayed'), 'true');
      }));

    it('rate limits reserves per customer with Retry-After', () =>
      withApp(
        kind,
        async (t) => {
          const { slotIds } = await t.drop({ capacity: 1 });
          const alice = await t.customer();
          const statuses = [];
          let last;
          for (let i = 0; i < 4; i++) {
            last = await t.call('POST', '/v1/reservations', {
              token: alice.token,
              body: { slotId: slotIds[0] },
            });
            statuses.push(last.status);
          }
          assert.deepEqual(statuses, [201, 409, 429, 429]);
          assert.equal(last!.body.code, 'rate_limited');
          assert.ok(Number(last!.headers.get('retry-after')) >= 1);
          assert.equal(last!.headers.get('ratelimit-remaining'), '0');
        },
        {
          rateLimits: {
            reservePerCustomer: { points: 2, duration: 60 },
            reservePerIp: { points: 1000, duration: 60 },
            authPerIp: { points: 1000, duration: 60 },
            trustProxy: false,
          },
        },
      ));
  });
}
