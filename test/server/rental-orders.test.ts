/** The rental order lifecycle: confirm, cancel, list, schedules, handovers by single-use QR, overdue, points. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { rows, schema } from '../../examples/server/db/index.js';
import { createRentalProduct, createStore } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (ms: number) => new Date(START.getTime() + ms).toISOString();

let skuSeq = 0;
async function rentable(t: TestApp, units = 1, price = 3500) {
  return createRentalProduct(
    t.handle.db,
    t.store.storeId,
    {
      sku: `RO${++skuSeq}-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Camera',
      basePriceCents: price,
      pricingUnit: 'day',
      units,
    },
    t.clock.now(),
  );
}

const period = { start: at(DAY), end: at(3 * DAY) };

async function order(t: TestApp, token: string, productId: string, extra: Record<string, unknown> = {}) {
  const reply = await t.call('POST', '/v1/rentals', {
    token,
    body: { items: [{ productId, quantity: 1 }], ...period, ...extra },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body;
}

async function freeUnits(t: TestApp, productId: string) {
  const reply = await t.call(
    'GET',
    `/v1/products/${productId}/availability?start=${encodeURIComponent(period.start)}&end=${encodeURIComponent(period.end)}`,
  );
  assert.equal(reply.status, 200);
  return reply.body.freeUnits as number;
}

async function trail(t: TestApp, orderId: string) {
  const audits = await rows<{ action: string }>(
    t.handle.db,
    sql`select action from audit_logs where entity_id = ${orderId} or entity_id in
          (select id::text from schedules where rental_order_id = ${orderId}) order by created_at, id`,
  );
  const events = await rows<{ type: string }>(
    t.handle.db,
    sql`select type from events where rental_order_id = ${orderId} order by occurred_at, id`,
  );
  // The manual clock stamps several steps with one instant: compare as sorted lists.
  return { audits: audits.map((a) => a.action).sort(), events: events.map((e) => e.type).sort() };
}

for (const kind of databaseKinds) {
  describe(`rental orders on ${kind}`, () => {
    it('runs the whole lifecycle: confirm, assign, pickup, return, points earned once', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const { productId } = await rentable(t, 2);
        const alice = await t.customer();
        const bob = await t.customer();
        const staff = await t.staff();

        const created = await order(t, alice.token, productId);
        assert.equal(created.status, 'pending_payment');
        assert.equal(created.total, 7000);
        assert.equal(created.qrToken, null, 'no handover code before confirmation');
        assert.deepEqual(
          created.schedules.map((s: { type: string; scheduledFor: string }) => [s.type, s.scheduledFor]),
          [
            ['pickup', period.start],
            ['return', period.end],
          ],
        );

        // A customer cannot confirm without paying in an `online` store; sk (or staff) can.
        const self = await t.call('POST', `/v1/rentals/${created.id}/confirm`, { token: alice.token });
        assert.equal(self.status, 402);
        assert.equal(self.body.code, 'payment_required');
        const confirmed = await t.call('POST', `/v1/rentals/${created.id}/confirm`, sk);
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.equal(confirmed.body.status, 'confirmed');
        assert.equal(confirmed.body.confirmedAt, t.clock.now().toISOString());
        assert.equal(confirmed.body.qrType, 'pickup');
        assert.match(confirmed.body.qrToken, /^ds1h\./);
        const again = await t.call('POST', `/v1/rentals/${created.id}/confirm`, { token: staff.token });
        assert.equal(again.status, 200, 'confirming twice is a no-op');
        assert.equal(again.body.qrToken, null, 'staff do not see customers’ codes');

        // The code is shown to its customer and sk only.
        const mine = await t.call('GET', `/v1/rentals/${created.id}`, { token: alice.token });
        assert.equal(mine.body.qrToken, confirmed.body.qrToken);
        const asStaff = await t.call('GET', `/v1/rentals/${created.id}`, { token: staff.token });
        assert.equal(asStaff.status, 200);
        assert.equal(asStaff.body.qrToken, null);
        assert.equal((await t.call('GET', `/v1/rentals/${created.id}`, { token: bob.token })).status, 404);

        // Lists: own for customers, all for staff and sk.
        t.clock.advance(60_000); // newest first: a later creation time
        const other = await order(t, bob.token, productId);
        const aliceList = await t.call('GET', '/v1/rentals', { token: alice.token });
        assert.deepEqual(
          aliceList.body.data.map((o: { id: string }) => o.id),
          [created.id],
        );
        assert.equal(aliceList.body.data[0].qrToken, confirmed.body.qrToken);
        const all = await t.call('GET', '/v1/rentals?limit=1', { token: staff.token });
        assert.equal(all.status, 200);
        assert.deepEqual(
          all.body.data.map((o: { id: string }) => o.id),
          [other.id],
        );
        assert.equal(all.body.hasMore, true);
        const next = await t.call('GET', `/v1/rentals?limit=1&startingAfter=${other.id}`, sk);
        assert.deepEqual(
          next.body.data.map((o: { id: string }) => o.id),
          [created.id],
        );
        assert.equal(next.body.hasMore, false);
        assert.equal(next.body.data[0].qrToken, confirmed.body.qrToken, 'sk sees the code');
        const pending = await t.call('GET', '/v1/rentals?status=pending_payment', sk);
        assert.deepEqual(
          pending.body.data.map((o: { id: string }) => o.id),
          [other.id],
        );

        // Staff assignment (sk).
        const pickupSchedule = created.schedules[0].id;
        const assigned = await t.call('PATCH', `/v1/rentals/${created.id}/schedules/${pickupSchedule}`, {
          ...sk,
          body: { assignedTo: staff.id },
        });
        assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
        assert.equal(assigned.body.schedules[0].assignedTo, staff.id);
        assert.equal(assigned.body.schedules[1].assignedTo, null);

        // Pickup by staff, once — not before 2 h ahead of the rental's start (409 with the time it opens).
        const early = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(early.status, 409);
        assert.equal(early.body.code, 'check_in_not_open');
        assert.equal(early.body.opensAt, new Date(Date.parse(period.start) - 2 * 3_600_000).toISOString());
        // A store that lets pickups start earlier says so in its check-in setting (here: 2 days ahead).
        await t.handle.db.execute(
          sql`update stores set check_in_opens_minutes = ${2 * 24 * 60} where id = ${t.store.storeId}`,
        );
        const pickup = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(pickup.status, 201, JSON.stringify(pickup.body));
        assert.equal(pickup.body.type, 'pickup');
        assert.equal(pickup.body.verifiedBy, staff.id);
        assert.equal(pickup.body.pointsEarned, 0);
        assert.equal(pickup.body.rental.status, 'active');
        assert.deepEqual(
          pickup.body.rental.items.map((i: { status: string }) => i.status),
          ['out'],
        );
        assert.equal(pickup.body.rental.schedules[0].actualAt, t.clock.now().toISOString());
        t.clock.advance(60_000);
        const rescan = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(rescan.status, 409);
        assert.equal(rescan.body.code, 'qr_already_used');
        assert.equal(rescan.body.firstUsedAt, pickup.body.verifiedAt);
        assert.equal(rescan.body.handoverType, 'pickup');
        assert.equal(rescan.body.type, 'https://dropslot.dev/problems/qr-already-used');

        // The return code is now on the order.
        const active = await t.call('GET', `/v1/rentals/${created.id}`, { token: alice.token });
        assert.equal(active.body.status, 'active');
        assert.equal(active.body.qrType, 'return');
        assert.notEqual(active.body.qrToken, confirmed.body.qrToken);

        const returned = await t.call('POST', '/v1/handovers', {
          ...sk,
          body: { qrToken: active.body.qrToken },
        });
        assert.equal(returned.status, 201, JSON.stringify(returned.body));
        assert.equal(returned.body.type, 'return');
        assert.equal(returned.body.verifiedBy, null);
        assert.equal(returned.body.pointsEarned, 70, '1 point per whole euro of 70.00');
        assert.equal(returned.body.rental.status, 'completed');
        assert.equal(returned.body.rental.completedAt, t.clock.now().toISOString());
        assert.deepEqual(
          returned.body.rental.items.map((i: { status: string }) => i.status),
          ['returned'],
        );
        assert.equal(returned.body.rental.qrToken, null);
        const rereturn = await t.call('POST', '/v1/handovers', {
          ...sk,
          body: { qrToken: active.body.qrToken },
        });
        assert.equal(rereturn.status, 409);
        assert.equal(rereturn.body.code, 'qr_already_used');

        // Points earned exactly once, with a ledger row.
        const ledger = await t.handle.db
          .select()
          .from(schema.loyaltyLedger)
          .where(eq(schema.loyaltyLedger.rentalOrderId, created.id));
        assert.deepEqual(
          ledger.map((l) => [l.reason, l.delta, l.balanceAfter]),
          [['earn', 70, 70]],
        );
        const [account] = await t.handle.db
          .select()
          .from(schema.loyaltyAccounts)
          .where(eq(schema.loyaltyAccounts.userId, alice.id));
        assert.equal(account!.pointsBalance, 70);

        // Every step left an audit row and an event.
        assert.deepEqual(await trail(t, created.id), {
          audits: [
            'rental.create',
            'rental.confirm',
            'rental.schedule_assign',
            'rental.pickup',
            'rental.return',
          ].sort(),
          events: [
            'rental.created',
            'rental.confirmed',
            'rental.schedule_assigned',
            'rental.picked_up',
            'rental.returned',
          ].sort(),
        });
        // The unit is free again for the period once returned.
        assert.equal(await freeUnits(t, productId), 1, 'one unit still held by bob');
      }));

    it('cancel releases the units: the same dates become available again', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const { productId } = await rentable(t, 1);
        const alice = await t.customer();
        const bob = await t.customer();
        await t.handle.db
          .insert(schema.loyaltyAccounts)
          .values({ storeId: t.store.storeId, userId: alice.id, pointsBalance: 500 });
        const first = await order(t, alice.token, productId, { redeemPoints: 200 });
        assert.equal(await freeUnits(t, productId), 0);
        const refused = await t.call('POST', '/v1/rentals', {
          token: bob.token,
          body: { items: [{ productId, quantity: 1 }], ...period },
        });
        assert.equal(refused.status, 409);
        assert.equal(refused.body.code, 'unit_unavailable');

        // Bob cannot cancel Alice's order.
        const before = await t.fingerprint();
        const foreign = await t.call('POST', `/v1/rentals/${first.id}/cancel`, { token: bob.token });
        assert.equal(foreign.status, 404);
        assert.deepEqual(await t.fingerprint(), before);

        await t.call('POST', `/v1/rentals/${first.id}/confirm`, sk);
        const cancelled = await t.call('POST', `/v1/rentals/${first.id}/cancel`, { token: alice.token });
        assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
        assert.equal(cancelled.body.status, 'cancelled');
        assert.equal(cancelled.body.cancelledAt, t.clock.now().toISOString());
        assert.equal(cancelled.body.qrToken, null);
        assert.deepEqual(
          cancelled.body.items.map((i: { status: string }) => i.status),
          ['released'],
        );
        assert.equal(cancelled.body.invoice.status, 'void');
        const [account] = await t.handle.db
          .select()
          .from(schema.loyaltyAccounts)
          .where(eq(schema.loyaltyAccounts.userId, alice.id));
        assert.equal(account!.pointsBalance, 500, 'redeemed points refunded');

        assert.equal(await freeUnits(t, productId), 1);
        const second = await order(t, bob.token, productId);
        assert.equal(second.status, 'pending_payment');
        assert.equal(await freeUnits(t, productId), 0);

        // Cancelling twice, or after pickup, is refused and changes nothing.
        const twice = await t.call('POST', `/v1/rentals/${first.id}/cancel`, { token: alice.token });
        assert.equal(twice.status, 409);
        assert.equal(twice.body.code, 'invalid_state');
        // The problem's own `status` stays the HTTP status; the rental's is a member of its own.
        assert.equal(twice.body.status, 409);
        assert.equal(twice.body.rentalStatus, 'cancelled');
        const confirmed = await t.call('POST', `/v1/rentals/${second.id}/confirm`, sk);
        // The pickup is verified in its check-in window (opened here two days early), so the order is active.
        await t.handle.db.execute(
          sql`update stores set check_in_opens_minutes = ${2 * 24 * 60} where id = ${t.store.storeId}`,
        );
        const pickup = await t.call('POST', '/v1/handovers', {
          ...sk,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(pickup.status, 201, JSON.stringify(pickup.body));
        const snapshot = await t.fingerprint();
        const late = await t.call('POST', `/v1/rentals/${second.id}/cancel`, sk);
        assert.equal(late.status, 409);
        assert.equal(late.body.code, 'invalid_state');
        assert.deepEqual(await t.fingerprint(), snapshot);
        assert.deepEqual(
          (await trail(t, first.id)).events,
          ['rental.created', 'rental.confirmed', 'rental.cancelled'].sort(),
        );
      }));

    it('marks an active order overdue after its end (swept by the manual clock), then completes it', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const { productId } = await rentable(t, 1);
        const alice = await t.customer();
        const created = await order(t, alice.token, productId);
        const confirmed = await t.call('POST', `/v1/rentals/${created.id}/confirm`, sk);
        t.clock.set(new Date(period.start));
        await t.call('POST', '/v1/handovers', { ...sk, body: { qrToken: confirmed.body.qrToken } });

        t.clock.set(new Date(new Date(period.end).getTime() - 1));
        assert.equal(await t.dropslot.sweep(), 0, 'not yet due');
        t.clock.set(new Date(period.end));
        assert.equal(await t.dropslot.sweep(), 1);
        assert.equal(await t.dropslot.sweep(), 0, 'exactly once');
        // (Customer tokens have expired by now: read with the secret key, which also sees the code.)
        const overdue = await t.call('GET', `/v1/rentals/${created.id}`, sk);
        assert.equal(overdue.body.status, 'overdue');
        assert.equal(overdue.body.qrType, 'return');
        // A confirmed order that was never picked up is not overdue (it is a no-show, not a late return).
        const listed = await t.call('GET', '/v1/rentals?status=overdue', sk);
        assert.deepEqual(
          listed.body.data.map((o: { id: string }) => o.id),
          [created.id],
        );

        t.clock.advance(5 * HOUR);
        const returned = await t.call('POST', '/v1/handovers', {
          ...sk,
          body: { qrToken: overdue.body.qrToken },
        });
        assert.equal(returned.status, 201, JSON.stringify(returned.body));
        assert.equal(returned.body.rental.status, 'completed');
        assert.equal(returned.body.pointsEarned, 70);
        assert.equal(await t.dropslot.sweep(), 0);
        const { audits, events } = await trail(t, created.id);
        assert.deepEqual(
          audits,
          ['rental.create', 'rental.confirm', 'rental.pickup', 'rental.overdue', 'rental.return'].sort(),
        );
        assert.deepEqual(
          events,
          [
            'rental.created',
            'rental.confirmed',
            'rental.picked_up',
            'rental.overdue',
            'rental.returned',
          ].sort(),
        );
        const [late] = await rows<{ late: boolean }>(
          t.handle.db,
          sql`select (metadata->>'late')::boolean as late from events
              where rental_order_id = ${created.id} and type = 'rental.returned'`,
        );
        assert.equal(late!.late, true);
      }));

    it('refuses bad input and other stores’ ids with problem+json and changes nothing', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const { productId } = await rentable(t, 2);
        const alice = await t.customer();
        const staff = await t.staff();
        const mine = await order(t, alice.token, productId);
        const confirmed = await t.call('POST', `/v1/rentals/${mine.id}/confirm`, sk);
        const pending = await order(t, alice.token, productId);

        // Another store with its own confirmed order.
        const other = await createStore(
          t.handle.db,
          { name: 'Other', slug: `other-${skuSeq}` },
          t.clock.now(),
        );
        const theirs = await createRentalProduct(
          t.handle.db,
          other.storeId,
          { sku: 'THEIRS', name: 'Theirs', basePriceCents: 100, pricingUnit: 'day', units: 1 },
          t.clock.now(),
        );
        const session = await t.call('POST', '/v1/customer-sessions', {
          key: other.secretKey,
          body: { externalId: 'someone' },
        });
        const foreignOrder = await t.call('POST', '/v1/rentals', {
          key: other.secretKey,
          body: {
            items: [{ productId: theirs.productId, quantity: 1 }],
            ...period,
            customerId: session.body.customer.id,
          },
        });
        assert.equal(foreignOrder.status, 201);
        const foreignConfirmed = await t.call('POST', `/v1/rentals/${foreignOrder.body.id}/confirm`, {
          key: other.secretKey,
        });
        const foreignStaff = await t.call('GET', '/v1/rentals', { key: other.secretKey });
        assert.equal(foreignStaff.body.data.length, 1);

        // A check-in code is never accepted as a handover code.
        const { slotIds } = await t.drop({ capacity: 1 });
        const hold = await t.call('POST', '/v1/reservations', {
          token: alice.token,
          body: { slotId: slotIds[0] },
        });
        const ticket = await t.call('POST', `/v1/reservations/${hold.body.id}/confirm`, {
          token: alice.token,
        });
        const pickupToken = confirmed.body.qrToken as string;
        const forged = pickupToken.slice(0, -2) + (pickupToken.endsWith('AA') ? 'BB' : 'AA');

        const unknown = '00000000-0000-4000-8000-000000000000';
        const scheduleOf = (o: { schedules: { id: string }[] }) => o.schedules[0]!.id;
        const cases: [string, string, string, Record<string, unknown>, number, string][] = [
          [
            'garbage handover code',
            'POST',
            '/v1/handovers',
            { ...sk, body: { qrToken: 'garbage' } },
            400,
            'qr_invalid',
          ],
          [
            'forged signature',
            'POST',
            '/v1/handovers',
            { ...sk, body: { qrToken: forged } },
            400,
            'qr_invalid',
          ],
          [
            'check-in code as handover code',
            'POST',
            '/v1/handovers',
            { ...sk, body: { qrToken: ticket.body.qrToken } },
            400,
            'qr_invalid',
          ],
          [
            "another store's code",
            'POST',
            '/v1/handovers',
            { ...sk, body: { qrToken: foreignConfirmed.body.qrToken } },
            400,
            'qr_invalid',
          ],
          ['empty code', 'POST', '/v1/handovers', { ...sk, body: { qrToken: '' } }, 400, 'validation_failed'],
          [
            'extra field',
            'POST',
            '/v1/handovers',
            { ...sk, body: { qrToken: pickupToken, rentalId: mine.id } },
            400,
            'validation_failed',
          ],
          [
            'customer scanning',
            'POST',
            '/v1/handovers',
            { token: alice.token, body: { qrToken: pickupToken } },
            403,
            'forbidden',
          ],
          ['confirm unknown', 'POST', `/v1/rentals/${unknown}/confirm`, sk, 404, 'not_found'],
          ['confirm malformed id', 'POST', '/v1/rentals/12345/confirm', sk, 404, 'not_found'],
          [
            "confirm another store's",
            'POST',
            `/v1/rentals/${foreignOrder.body.id}/confirm`,
            sk,
            404,
            'not_found',
          ],
          [
            "cancel another store's",
            'POST',
            `/v1/rentals/${foreignOrder.body.id}/cancel`,
            sk,
            404,
            'not_found',
          ],
          ["read another store's", 'GET', `/v1/rentals/${foreignOrder.body.id}`, sk, 404, 'not_found'],
          [
            'cancel without a customer',
            'POST',
            `/v1/rentals/${mine.id}/cancel`,
            {},
            401,
            'customer_token_required',
          ],
          ['list with a bad status', 'GET', '/v1/rentals?status=lost', sk, 400, 'validation_failed'],
          [
            "list after another store's order",
            'GET',
            `/v1/rentals?startingAfter=${foreignOrder.body.id}`,
            sk,
            400,
            'validation_failed',
          ],
          [
            'assign a customer',
            'PATCH',
            `/v1/rentals/${mine.id}/schedules/${scheduleOf(mine)}`,
            { ...sk, body: { assignedTo: alice.id } },
            400,
            'validation_failed',
          ],
          [
            'assign an unknown user',
            'PATCH',
            `/v1/rentals/${mine.id}/schedules/${scheduleOf(mine)}`,
            { ...sk, body: { assignedTo: unknown } },
            400,
            'validation_failed',
          ],
          [
            "another order's schedule",
            'PATCH',
            `/v1/rentals/${mine.id}/schedules/${scheduleOf(pending)}`,
            { ...sk, body: { assignedTo: staff.id } },
            404,
            'not_found',
          ],
          [
            'malformed schedule id',
            'PATCH',
            `/v1/rentals/${mine.id}/schedules/nope`,
            { ...sk, body: { assignedTo: staff.id } },
            404,
            'not_found',
          ],
          [
            "another store's order schedule",
            'PATCH',
            `/v1/rentals/${foreignOrder.body.id}/schedules/${scheduleOf(foreignOrder.body)}`,
            { ...sk, body: { assignedTo: staff.id } },
            404,
            'not_found',
          ],
          [
            'assign as staff',
            'PATCH',
            `/v1/rentals/${mine.id}/schedules/${scheduleOf(mine)}`,
            { token: staff.token, body: { assignedTo: staff.id } },
            403,
            'forbidden',
          ],
        ];
        const before = await t.fingerprint();
        for (const [name, method, path, options, status, code] of cases) {
          const reply = await t.call(method, path, options);
          assert.equal(reply.status, status, `${name}: ${JSON.stringify(reply.body)}`);
          assert.equal(reply.body.code, code, name);
          assert.match(reply.headers.get('content-type')!, /application\/problem\+json/, name);
        }
        assert.deepEqual(await t.fingerprint(), before);

        // A return code before pickup is refused and stays unused; so is confirming a cancelled order.
        const pendingConfirmed = await t.call('POST', `/v1/rentals/${pending.id}/confirm`, sk);
        assert.equal(pendingConfirmed.body.qrType, 'pickup');
        const codes = await t.handle.db
          .select()
          .from(schema.handoverQr)
          .where(eq(schema.handoverQr.rentalOrderId, pending.id));
        const returnToken = t.dropslot.services.tokens.handoverToken(
          codes.find((r) => r.type === 'return')!.id,
        );
        const snapshot = await t.fingerprint();
        const early = await t.call('POST', '/v1/handovers', { ...sk, body: { qrToken: returnToken } });
        assert.equal(early.status, 409);
        assert.equal(early.body.code, 'invalid_state');
        assert.deepEqual(await t.fingerprint(), snapshot, 'the return code stays unused');
        await t.call('POST', `/v1/rentals/${pending.id}/cancel`, sk);
        const after = await t.fingerprint();
        const reconfirm = await t.call('POST', `/v1/rentals/${pending.id}/confirm`, sk);
        assert.equal(reconfirm.status, 409);
        assert.equal(reconfirm.body.code, 'invalid_state');
        assert.deepEqual(await t.fingerprint(), after);
      }));
  });
}
