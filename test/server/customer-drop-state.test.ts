/** `GET /v1/customers/me/drops/{id}`: the shopper's standing in a drop, what their elements restore after a reload. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, NotFoundError, createClient } from '../../src/index.js';
import { databaseKinds } from '../support/db.js';
import { withApp } from '../support/app.js';

for (const kind of databaseKinds) {
  describe(`the customer's drop state on ${kind}`, () => {
    it('names the live hold, the confirmed reservation and the waitlist entry of the token’s own customer only', () =>
      withApp(kind, async (t) => {
        const { dropId, slotIds } = await t.drop({ capacity: 1, slots: 2 });
        const shopper = async (email: string) => {
          const client = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
          client.setCustomerToken(
            (await client.customers.signUp({ email, password: 'correct horse' })).token,
          );
          return client;
        };
        const alice = await shopper('alice@example.com');
        const bob = await shopper('bob@example.com');

        assert.deepEqual(await alice.customers.dropState(dropId), {
          dropId,
          reservations: [],
          waitlistEntries: [],
        });

        const hold = await alice.reservations.create({ slotId: slotIds[0]! });
        const held = await alice.customers.dropState(dropId);
        assert.deepEqual(
          held.reservations.map((r) => [r.id, r.state]),
          [[hold.id, 'PENDING']],
        );
        assert.equal(held.reservations[0]!.expiresAt, hold.expiresAt);

        const entry = await bob.waitlist.join(slotIds[0]!);
        const waiting = await bob.customers.dropState(dropId);
        assert.deepEqual(waiting.reservations, [], 'bob does not see alice’s hold');
        assert.deepEqual(
          waiting.waitlistEntries.map((e) => [e.id, e.state, e.position]),
          [[entry.id, 'WAITING', 1]],
        );

        await alice.reservations.confirm(hold.id);
        const confirmed = await alice.customers.dropState(dropId);
        assert.equal(confirmed.reservations[0]!.state, 'CONFIRMED');
        assert.ok(confirmed.reservations[0]!.qrToken, 'the ticket’s code comes with it');

        // Cancelled places and a left line are not "standing" any more.
        await alice.reservations.cancel(hold.id);
        assert.deepEqual((await alice.customers.dropState(dropId)).reservations, []);
        const promoted = await bob.customers.dropState(dropId);
        assert.equal(promoted.waitlistEntries[0]!.state, 'PROMOTED');
        assert.equal(promoted.reservations[0]!.id, promoted.waitlistEntries[0]!.reservationId);
        await bob.waitlist.leave(entry.id);
        assert.deepEqual(await bob.customers.dropState(dropId), {
          dropId,
          reservations: [],
          waitlistEntries: [],
        });

        const anonymous = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
        const refused = await anonymous.customers.dropState(dropId).catch((e: unknown) => e);
        assert.ok(AuthenticationError.is(refused));
        const unknown = await alice.customers
          .dropState('00000000-0000-4000-8000-000000000000')
          .catch((e: unknown) => e);
        assert.ok(NotFoundError.is(unknown));
      }));

    it('expires a lapsed hold on read instead of offering it', () =>
      withApp(kind, async (t) => {
        const { dropId, slotIds } = await t.drop({ capacity: 1, slots: 1 });
        const alice = createClient({ baseUrl: t.baseUrl, publishableKey: t.store.publishableKey });
        alice.setCustomerToken(
          (await alice.customers.signUp({ email: 'alice@example.com', password: 'correct horse' })).token,
        );
        const hold = await alice.reservations.create({ slotId: slotIds[0]! });
        t.clock.advance(Date.parse(hold.expiresAt!) - t.clock.now().getTime() + 1000);
        assert.deepEqual((await alice.customers.dropState(dropId)).reservations, []);
        assert.equal((await alice.reservations.retrieve(hold.id)).state, 'EXPIRED');
      }));
  });
}
