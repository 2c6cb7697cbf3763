/**
 * What the staff desk is told: a check-in names the customer, the drop and the slot (and the zone to show them in); a
 * rental pickup names the units to hand over and the open amount of a pay-at-pickup order, a return the units to take
 * back; a repeat scan is 409 `qr_already_used` with when it was first used and the same ticket.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const DAY = 86_400_000;

async function namedCustomer(t: TestApp, name: string) {
  const externalId = `desk-${Math.random().toString(36).slice(2, 10)}`;
  const reply = await t.call('POST', '/v1/customer-sessions', {
    key: t.store.secretKey,
    body: { externalId, email: `${externalId}@test.example`, name },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { id: reply.body.customer.id as string, token: reply.body.token as string };
}

for (const kind of databaseKinds) {
  describe(`desk answers on ${kind}`, () => {
    it('a check-in names the customer, drop and slot; a repeat scan names the same ticket and its first use', () =>
      withApp(kind, async (t) => {
        const ada = await namedCustomer(t, 'Ada Lovelace');
        const staff = await t.staff();
        const { dropId, slotIds } = await t.drop();
        const hold = await t.call('POST', '/v1/reservations', {
          token: ada.token,
          body: { slotId: slotIds[0] },
        });
        assert.equal(hold.status, 201, JSON.stringify(hold.body));
        const confirmed = await t.call('POST', `/v1/reservations/${hold.body.id}/confirm`, {
          token: ada.token,
        });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        const slot = await t.call('GET', `/v1/slots/${slotIds[0]}`);
        // At the door: the slot's start (inside its check-in window).
        t.clock.advance(Date.parse(slot.body.startsAt) - t.clock.now().getTime());

        const first = await t.call('POST', '/v1/check-ins', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        const ticket = first.body.ticket;
        assert.deepEqual(ticket, {
          kind: 'check_in',
          id: hold.body.id,
          customer: { id: ada.id, name: 'Ada Lovelace' },
          drop: { id: dropId, name: 'Test drop' },
          slot: { id: slotIds[0], startsAt: slot.body.startsAt, endsAt: slot.body.endsAt },
          period: null,
          units: [],
          amountToCollect: 0,
          currency: null,
          usedAt: t.clock.now().toISOString(),
          timeZone: ticket.timeZone,
        });
        assert.equal(typeof ticket.timeZone, 'string');
        assert.equal(JSON.stringify(ticket).includes('@'), false, 'no email address');

        const usedAt = t.clock.now().toISOString();
        t.clock.advance(5 * 60_000);
        const again = await t.call('POST', '/v1/check-ins', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'qr_already_used');
        assert.equal(again.body.firstUsedAt, usedAt);
        assert.deepEqual(again.body.ticket, ticket, 'the same ticket, used at its first scan');
      }));

    it('a pay-at-pickup pickup lists the units and the amount to collect; the return the units to take back', () =>
      withApp(kind, async (t) => {
        await t.handle.db.execute(
          sql`update stores set rental_payment = 'at_pickup' where id = ${t.store.storeId}`,
        );
        const ada = await namedCustomer(t, 'Ada Lovelace');
        const staff = await t.staff();
        const { productId, unitIds } = await createRentalProduct(
          t.handle.db,
          t.store.storeId,
          {
            sku: `D-${Math.random().toString(36).slice(2, 8)}`,
            name: 'Camera',
            basePriceCents: 3500,
            pricingUnit: 'day',
            units: 2,
          },
          t.clock.now(),
        );
        const period = {
          start: new Date(START.getTime() + DAY).toISOString(),
          end: new Date(START.getTime() + 3 * DAY).toISOString(),
        };
        const order = await t.call('POST', '/v1/rentals', {
          token: ada.token,
          body: { items: [{ productId, quantity: 2 }], ...period },
        });
        assert.equal(order.status, 201, JSON.stringify(order.body));
        const confirmed = await t.call('POST', `/v1/rentals/${order.body.id}/confirm`, { token: ada.token });
        assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
        assert.ok(confirmed.body.total > 0);

        t.clock.advance(DAY);
        const pickup = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(pickup.status, 201, JSON.stringify(pickup.body));
        const ticket = pickup.body.ticket;
        assert.equal(ticket.kind, 'pickup');
        assert.equal(ticket.id, order.body.id);
        assert.deepEqual(ticket.customer, { id: ada.id, name: 'Ada Lovelace' });
        assert.deepEqual(ticket.period, period);
        assert.equal(ticket.drop, null);
        // Every unit of the order, by product and serial (the order the shelf is searched in).
        type Unit = { inventoryItemId: string; serial: string; productId: string; productName: string };
        const bySerial = (a: { serial: string }, b: { serial: string }) => (a.serial < b.serial ? -1 : 1);
        assert.deepEqual(
          ticket.units,
          [...confirmed.body.items].sort(bySerial).map((i: Unit) => ({
            inventoryItemId: i.inventoryItemId,
            serial: i.serial,
            productId,
            productName: 'Camera',
          })),
        );
        assert.equal(
          new Set(ticket.units.map((u: { inventoryItemId: string }) => u.inventoryItemId)).size,
          2,
        );
        assert.ok(
          ticket.units.every((u: { inventoryItemId: string }) => unitIds.includes(u.inventoryItemId)),
        );
        assert.equal(ticket.amountToCollect, confirmed.body.invoice.amountDue, 'the open invoice');
        assert.equal(ticket.currency, 'EUR');
        assert.equal(ticket.usedAt, t.clock.now().toISOString());

        // A repeat of the pickup code names the rental.
        const again = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: confirmed.body.qrToken },
        });
        assert.equal(again.status, 409);
        assert.equal(again.body.code, 'qr_already_used');
        assert.deepEqual(again.body.ticket, ticket);

        const active = await t.call('GET', `/v1/rentals/${order.body.id}`, { key: t.store.secretKey });
        assert.equal(active.status, 200, JSON.stringify(active.body));
        assert.equal(active.body.qrType, 'return');
        const back = await t.call('POST', '/v1/handovers', {
          token: staff.token,
          body: { qrToken: active.body.qrToken },
        });
        assert.equal(back.status, 201, JSON.stringify(back.body));
        assert.equal(back.body.ticket.kind, 'return');
        assert.equal(back.body.ticket.units.length, 2);
        assert.equal(back.body.ticket.amountToCollect, 0, 'nothing is collected at a return');
      }));
  });
}
