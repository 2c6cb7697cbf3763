/** The typed SDK driving every drop flow against the real reference backend over HTTP (no mocks). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, createClient, subscribeDrop, type DropStreamEvent } from '../../src/index.js';
import { databaseKinds } from '../support/db.js';
import { withApp } from '../support/app.js';

for (const kind of databaseKinds) {
  describe(`SDK against the reference backend on ${kind}`, () => {
    it('signs up, reserves, confirms, checks in once; the next customer waits and is promoted', () =>
      withApp(kind, async (t) => {
        const { dropId, slotIds } = await t.drop({ capacity: 1, slots: 1 });
        const slotId = slotIds[0]!;
        const alice = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });

        await alice.clock.sync();
        assert.ok(Math.abs(alice.clock.now() - t.clock.now().getTime()) < 1000, 'clock follows server time');

        const session = await alice.customers.signUp({
          email: 'Alice@Example.com',
          password: 'correct horse',
        });
        assert.equal(session.customer.email, 'alice@example.com');
        alice.setCustomerToken(session.token);
        assert.equal((await alice.customers.me()).id, session.customer.id);

        const seen: string[] = [];
        for await (const drop of alice.drops.list({ limit: 1 })) seen.push(drop.id);
        assert.deepEqual(seen, [dropId]);
        const { data: slots } = await alice.drops.slots(dropId);
        assert.equal(slots[0]!.capacityRemaining, 1);

        const events: DropStreamEvent[] = [];
        const controller = new AbortController();
        const unsubscribe = subscribeDrop(alice, dropId, (event) => events.push(event), {
          signal: controller.signal,
        });

        const hold = await alice.reservations.create({ slotId });
        assert.equal(hold.state, 'PENDING');
        const confirmed = await alice.reservations.confirm(hold.id);
        assert.equal(confirmed.state, 'CONFIRMED');
        assert.ok(confirmed.qrToken);

        const bob = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
        bob.setCustomerToken(
          (await bob.customers.signUp({ email: 'bob@example.com', password: 'battery staple' })).token,
        );
        const refused = await bob.reservations.create({ slotId }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(refused));
        assert.equal(refused.code, 'slot_full');
        const entry = await bob.waitlist.join(slotId);
        assert.equal(entry.position, 1);

        await alice.reservations.cancel(hold.id);
        const promoted = await bob.waitlist.retrieve(entry.id);
        assert.equal(promoted.state, 'PROMOTED');
        const claimed = await bob.reservations.confirm(promoted.reservationId!);
        assert.equal(claimed.state, 'CONFIRMED');

        const staff = await t.staff();
        const desk = createClient({
          baseUrl: t.baseUrl,
          publishableKey: t.store.publishableKey,
          customerToken: staff.token,
        });
        // Check-in opens 2 h before the slot (tomorrow): too early is a ConflictError that says when.
        const early = await desk.checkIns.create({ qrToken: claimed.qrToken! }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(early) && early.code === 'check_in_not_open');
        const slot = await alice.slots.retrieve(claimed.slotId);
        t.clock.set(Date.parse(slot.startsAt) - 60_000);
        const checkIn = await desk.checkIns.create({ qrToken: claimed.qrToken! });
        assert.equal(checkIn.reservation.state, 'CHECKED_IN');
        const again = await desk.checkIns.create({ qrToken: claimed.qrToken! }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(again));
        assert.equal(again.code, 'qr_already_used');

        // The stream saw the snapshot and the capacity changes.
        const deadline = Date.now() + 3000;
        while (
          Date.now() < deadline &&
          !events.some((e) => e.type === 'slot' && e.data.capacityRemaining === 0)
        ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.equal(events[0]?.type, 'snapshot');
        assert.ok(
          events.some((e) => e.type === 'slot' && e.data.slotId === slotId && e.data.capacityRemaining === 0),
        );
        controller.abort();
        unsubscribe();

        const mine = await bob.reservations.list();
        assert.deepEqual(
          mine.data.map((r) => r.state),
          ['CHECKED_IN'],
        );
      }));
  });
}
