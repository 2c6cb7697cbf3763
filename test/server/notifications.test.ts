/**
 * Notifications: derived from domain events (a trigger queues them), one per fact, in the store's locale; scheduled
 * reminders go out on time by the injected clock and are cancelled when they no longer apply; the API lists them.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { schema, transaction } from '../../examples/server/db/index.js';
import { recordEvent } from '../../examples/server/domain/events.js';
import { FileChannel, type Message } from '../../examples/server/notifications/channel.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp, type TestApp } from '../support/app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const HOLD_LEAD = 2 * MIN;

let dir: string;
let fileSeq = 0;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dropslot-notifications-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file transport of its own for one test, and a reader of what it wrote. */
function outbox() {
  const file = path.join(dir, `sent-${++fileSeq}.jsonl`);
  const channel = new FileChannel(file);
  const sent = async (): Promise<Message[]> => {
    try {
      return (await readFile(file, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Message);
    } catch {
      return [];
    }
  };
  return { channel, sent };
}

let seq = 0;
async function customer(t: TestApp, name = 'Ada') {
  const email = `shopper${++seq}-${Math.random().toString(36).slice(2, 8)}@test.example`;
  const reply = await t.call('POST', '/v1/customer-sessions', {
    key: t.store.secretKey,
    body: { externalId: `n${seq}-${email}`, email, name },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { id: reply.body.customer.id as string, token: reply.body.token as string, email };
}

async function storeSettings(t: TestApp, locale: string, timeZone: string, name = 'Test store') {
  await t.handle.db
    .update(schema.stores)
    .set({ locale, timeZone, name })
    .where(eq(schema.stores.id, t.store.storeId));
}

async function reserve(t: TestApp, token: string, slotId: string) {
  const reply = await t.call('POST', '/v1/reservations', { token, body: { slotId } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as { id: string; expiresAt: string };
}

type Row = typeof schema.notifications.$inferSelect;
async function notifications(t: TestApp): Promise<Row[]> {
  return t.handle.db
    .select()
    .from(schema.notifications)
    .where(eq(schema.notifications.storeId, t.store.storeId))
    .orderBy(schema.notifications.createdAt, schema.notifications.template);
}
const byTemplate = (list: Row[], template: string) => list.filter((row) => row.template === template);

for (const kind of databaseKinds) {
  describe(`notifications on ${kind}`, () => {
    it('confirms a reservation once, in English; the hold reminder of a confirmed hold is cancelled, not sent', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const { slotIds } = await t.drop();
          const hold = await reserve(t, ada.token, slotIds[0]!);

          // The single-statement reserve writes its event by SQL; the trigger still queues it.
          let pass = await t.dropslot.notify();
          assert.equal(pass.derived, 1);
          let list = await notifications(t);
          assert.equal(list.length, 1);
          const reminder = list[0]!;
          assert.equal(reminder.template, 'hold_expiring');
          assert.equal(reminder.status, 'pending');
          assert.equal(reminder.recipient, ada.email);
          assert.equal(reminder.userId, ada.id);
          assert.equal(reminder.scheduledFor!.getTime(), new Date(hold.expiresAt).getTime() - HOLD_LEAD);
          assert.equal((await box.sent()).length, 0, 'nothing is due yet');

          t.clock.advance(MIN);
          const confirmed = await t.call('POST', `/v1/reservations/${hold.id}/confirm`, { token: ada.token });
          assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
          pass = await t.dropslot.notify();
          assert.equal(pass.sent, 1);

          list = await notifications(t);
          assert.equal(list.length, 2);
          const [confirmation] = byTemplate(list, 'reservation_confirmed');
          assert.equal(confirmation!.status, 'sent');
          assert.equal(confirmation!.recipient, ada.email);
          assert.equal(confirmation!.locale, 'en');
          assert.equal(confirmation!.attempts, 1);
          assert.equal(confirmation!.sentAt!.toISOString(), t.clock.now().toISOString());
          assert.equal(byTemplate(list, 'hold_expiring')[0]!.status, 'cancelled');
          assert.match(byTemplate(list, 'hold_expiring')[0]!.lastError!, /confirmed/);

          const sent = await box.sent();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.to, ada.email);
          assert.equal(sent[0]!.notificationId, confirmation!.id);
          assert.match(sent[0]!.subject, /^Your place for Test drop is confirmed/);
          assert.match(sent[0]!.text, /^Hello Ada,/);
          assert.match(sent[0]!.text, /Slot: Saturday, March 2, 2030 at 9:00\sAM\./);
          assert.match(sent[0]!.html, /<p>Your reservation for Test drop is confirmed\.<\/p>/);

          // Past the reminder's time: still not sent.
          t.clock.advance(20 * MIN);
          await t.dropslot.notify();
          assert.equal((await box.sent()).length, 1);
          assert.equal(byTemplate(await notifications(t), 'hold_expiring')[0]!.status, 'cancelled');

          // Processing the same events again (a replayed queue) makes no second notification.
          await t.handle.db.execute(
            sql`insert into notification_inbox (event_id) select id from events where store_id = ${t.store.storeId}`,
          );
          pass = await t.dropslot.notify();
          assert.ok(pass.derived >= 2);
          assert.equal((await notifications(t)).length, 2);
          assert.equal((await box.sent()).length, 1);
        },
        { notifications: { channel: box.channel, leads: { holdExpiring: HOLD_LEAD } } },
      );
    });

    it('sends the hold reminder once at its time, in German with the store’s time zone', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          await storeSettings(t, 'de-DE', 'Europe/Berlin', 'Laden');
          const ada = await customer(t);
          const { slotIds } = await t.drop();
          const hold = await reserve(t, ada.token, slotIds[0]!);
          const due = new Date(hold.expiresAt).getTime() - HOLD_LEAD;

          await t.dropslot.notify();
          t.clock.set(due - 1000);
          assert.equal((await t.dropslot.notify()).sent, 0);
          assert.equal((await box.sent()).length, 0, 'not before its time');

          t.clock.set(due);
          assert.equal((await t.dropslot.notify()).sent, 1);
          t.clock.advance(30_000);
          assert.equal((await t.dropslot.notify()).sent, 0, 'and only once');

          const sent = await box.sent();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.to, ada.email);
          assert.equal(sent[0]!.locale, 'de');
          assert.equal(sent[0]!.subject, 'Deine Reservierung für Test drop läuft bald ab · Laden');
          assert.match(sent[0]!.text, /^Hallo Ada,/);
          // The hold lapses at 09:10 UTC, 10:10 in Berlin.
          assert.match(sent[0]!.text, /Bestätige ihn bis Freitag, 1\. März 2030 um 10:10, sonst/);
          const [row] = await notifications(t);
          assert.equal(row!.status, 'sent');
          assert.equal(row!.locale, 'de');
          assert.equal(row!.sentAt!.getTime(), due);
        },
        { notifications: { channel: box.channel, leads: { holdExpiring: HOLD_LEAD } } },
      );
    });

    it('tells a waitlisted customer of a promotion with the claim deadline; a store locale without templates falls back to English', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          await storeSettings(t, 'fr-FR', 'UTC');
          const ada = await customer(t, 'Ada');
          const bob = await customer(t, 'Bob');
          const { slotIds } = await t.drop({ capacity: 1 });
          const hold = await reserve(t, ada.token, slotIds[0]!);
          const joined = await t.call('POST', `/v1/slots/${slotIds[0]}/waitlist`, { token: bob.token });
          assert.equal(joined.status, 201, JSON.stringify(joined.body));
          await t.dropslot.notify();

          t.clock.advance(MIN);
          const cancelled = await t.call('POST', `/v1/reservations/${hold.id}/cancel`, { token: ada.token });
          assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
          const pass = await t.dropslot.notify();
          assert.equal(pass.sent, 1);

          const list = await notifications(t);
          const promoted = byTemplate(list, 'waitlist_promoted');
          assert.equal(promoted.length, 1);
          assert.equal(promoted[0]!.recipient, bob.email);
          assert.equal(promoted[0]!.status, 'sent');
          assert.equal(promoted[0]!.locale, 'en');
          const claimDeadline = new Date(t.clock.now().getTime() + 900_000);
          assert.equal(
            (promoted[0]!.payload as { claimDeadline: string }).claimDeadline,
            claimDeadline.toISOString(),
          );
          const reminders = byTemplate(list, 'hold_expiring');
          assert.deepEqual(
            reminders.map((r) => [r.recipient, r.status]).sort(),
            [
              [ada.email, 'cancelled'],
              [bob.email, 'pending'],
            ].sort(),
          );
          const bobs = reminders.find((r) => r.recipient === bob.email)!;
          assert.equal(bobs.scheduledFor!.getTime(), claimDeadline.getTime() - HOLD_LEAD);

          const sent = await box.sent();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.to, bob.email);
          assert.match(sent[0]!.subject, /A place for Test drop is yours to claim/);
          assert.match(sent[0]!.text, /Claim it before Friday, March 1, 2030 at 9:16\sAM/);
        },
        { notifications: { channel: box.channel, leads: { holdExpiring: HOLD_LEAD } } },
      );
    });

    it('confirms a rental at once and reminds of its pickup and return before their times; a cancelled order’s reminders are cancelled', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const { productId } = await createRentalProduct(
            t.handle.db,
            t.store.storeId,
            {
              sku: `N-${Math.random().toString(36).slice(2, 8)}`,
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
          const order = async () => {
            const reply = await t.call('POST', '/v1/rentals', {
              token: ada.token,
              body: { items: [{ productId, quantity: 1 }], ...period },
            });
            assert.equal(reply.status, 201, JSON.stringify(reply.body));
            const confirmed = await t.call('POST', `/v1/rentals/${reply.body.id}/confirm`, {
              key: t.store.secretKey,
            });
            assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
            return reply.body.id as string;
          };
          const kept = await order();
          const dropped = await order();
          await t.dropslot.notify();
          let list = await notifications(t);
          assert.equal(list.length, 6);
          for (const id of [kept, dropped]) {
            const mine = list.filter((r) => r.entityId === id);
            assert.deepEqual(mine.map((r) => r.template).sort(), [
              'rental_confirmed',
              'rental_pickup_reminder',
              'rental_return_reminder',
            ]);
            assert.equal(byTemplate(mine, 'rental_confirmed')[0]!.status, 'sent', 'the confirmation at once');
            assert.equal(
              byTemplate(mine, 'rental_pickup_reminder')[0]!.scheduledFor!.toISOString(),
              new Date(START.getTime() + DAY - 2 * HOUR).toISOString(),
            );
            assert.equal(
              byTemplate(mine, 'rental_return_reminder')[0]!.scheduledFor!.toISOString(),
              new Date(START.getTime() + 3 * DAY - 3 * HOUR).toISOString(),
            );
          }
          const confirmations = (await box.sent()).filter((m) => m.template === 'rental_confirmed');
          assert.equal(confirmations.length, 2);
          assert.match(confirmations[0]!.subject, /^Your rental is booked: pickup Saturday, March 2, 2030/);
          assert.match(
            confirmations[0]!.text,
            /Your rental \(Camera\) is booked\.\n\nPickup: Saturday, March 2, 2030 at 9:00\sAM\. Return: Monday, March 4, 2030 at 9:00\sAM\.\n\nPay €70\.00 at pickup\./,
            'the amount to pay at the counter',
          );
          const reminders = async () => (await box.sent()).filter((m) => m.template !== 'rental_confirmed');
          const cancelled = await t.call('POST', `/v1/rentals/${dropped}/cancel`, { token: ada.token });
          assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));

          t.clock.set(START.getTime() + DAY - 2 * HOUR - 1);
          await t.dropslot.notify();
          assert.equal((await reminders()).length, 0);
          t.clock.set(START.getTime() + DAY - 2 * HOUR);
          assert.equal((await t.dropslot.notify()).sent, 1);
          let sent = await reminders();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.template, 'rental_pickup_reminder');
          assert.equal(sent[0]!.to, ada.email);
          assert.match(
            sent[0]!.text,
            /Your rental \(Camera\) is ready for pickup on Saturday, March 2, 2030 at 9:00\sAM\./,
          );

          t.clock.set(START.getTime() + 3 * DAY - 3 * HOUR);
          assert.equal((await t.dropslot.notify()).sent, 1);
          sent = await reminders();
          assert.deepEqual(
            sent.map((m) => m.template),
            ['rental_pickup_reminder', 'rental_return_reminder'],
          );
          list = await notifications(t);
          assert.deepEqual(
            byTemplate(list, 'rental_pickup_reminder')
              .concat(byTemplate(list, 'rental_return_reminder'))
              .filter((r) => r.entityId === dropped)
              .map((r) => r.status),
            ['cancelled', 'cancelled'],
          );
          assert.deepEqual(
            list.filter((r) => r.entityId === kept).map((r) => r.status),
            ['sent', 'sent', 'sent'],
          );
        },
        {
          notifications: {
            channel: box.channel,
            leads: { rentalPickup: 2 * HOUR, rentalReturn: 3 * HOUR },
          },
        },
      );
    });

    it('sends a payment receipt for payment.succeeded with the amount in the store’s currency and language', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          await storeSettings(t, 'de', 'Europe/Berlin', 'Laden');
          const ada = await customer(t);
          const paymentId = '6f2c3a52-8d7b-4f55-9a3e-2a1d2b3c4d5e';
          const event = {
            storeId: t.store.storeId,
            type: 'payment.succeeded',
            at: t.clock.now(),
            userId: ada.id,
            data: {
              paymentId,
              amount: 123456,
              currency: 'EUR',
              provider: 'test',
              invoiceId: paymentId,
              customerId: ada.id,
            },
          };
          await transaction(t.handle.db, (tx) => recordEvent(tx, event));
          await transaction(t.handle.db, (tx) => recordEvent(tx, event)); // delivered twice: one receipt
          const pass = await t.dropslot.notify();
          assert.equal(pass.derived, 2);
          assert.equal(pass.sent, 1);
          const list = await notifications(t);
          assert.equal(list.length, 1);
          assert.equal(list[0]!.template, 'payment_receipt');
          assert.equal(list[0]!.entityId, paymentId);
          const sent = await box.sent();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.to, ada.email);
          assert.match(sent[0]!.subject, /^Beleg: 1\.234,56\s€ bezahlt · Laden$/);
          assert.match(sent[0]!.text, /Vielen Dank für deine Zahlung von 1\.234,56\s€\./);

          // A customer without an email address gets no message: the row says why.
          const anon = await t.call('POST', '/v1/customer-sessions', {
            key: t.store.secretKey,
            body: { externalId: `anon-${Math.random()}` },
          });
          await transaction(t.handle.db, (tx) =>
            recordEvent(tx, {
              ...event,
              userId: anon.body.customer.id,
              data: {
                ...event.data,
                paymentId: '7f2c3a52-8d7b-4f55-9a3e-2a1d2b3c4d5e',
                customerId: anon.body.customer.id,
              },
            }),
          );
          await t.dropslot.notify();
          const [row] = byTemplate(await notifications(t), 'payment_receipt').filter(
            (r) => r.userId === anon.body.customer.id,
          );
          assert.equal(row!.status, 'cancelled');
          assert.equal(row!.recipient, null);
          assert.match(row!.lastError!, /no email/);
          assert.equal((await box.sent()).length, 1);
        },
        { notifications: { channel: box.channel } },
      );
    });

    it('a rental receipt lists what was paid for: the period and each unit with its amount', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const { productId } = await createRentalProduct(
            t.handle.db,
            t.store.storeId,
            {
              sku: `R-${Math.random().toString(36).slice(2, 8)}`,
              name: 'Camera',
              basePriceCents: 3500,
              pricingUnit: 'day',
              units: 2,
            },
            t.clock.now(),
          );
          const order = await t.call('POST', '/v1/rentals', {
            token: ada.token,
            body: {
              items: [{ productId, quantity: 2 }],
              start: new Date(START.getTime() + DAY).toISOString(),
              end: new Date(START.getTime() + 3 * DAY).toISOString(),
            },
          });
          assert.equal(order.status, 201, JSON.stringify(order.body));
          const invoice = order.body.invoice as { id: string; amountDue: number };
          const paymentId = '8f2c3a52-8d7b-4f55-9a3e-2a1d2b3c4d5e';
          await transaction(t.handle.db, (tx) =>
            recordEvent(tx, {
              storeId: t.store.storeId,
              type: 'payment.succeeded',
              at: t.clock.now(),
              userId: ada.id,
              data: {
                paymentId,
                amount: invoice.amountDue,
                currency: 'EUR',
                provider: 'test',
                invoiceId: invoice.id,
                customerId: ada.id,
              },
            }),
          );
          await t.dropslot.notify();
          const receipt = (await box.sent()).find((m) => m.template === 'payment_receipt');
          assert.ok(receipt, 'a receipt was sent');
          assert.match(
            receipt.text,
            /Paid for: your rental from Saturday, March 2, 2030 at 9:00\sAM to Monday, March 4, 2030 at 9:00\sAM:/,
          );
          const units = (order.body.items as { serial: string; amount: number }[])
            .map((i) => `Camera (${i.serial}): €${(i.amount / 100).toFixed(2)}`)
            .sort();
          for (const line of units) assert.ok(receipt.text.includes(line), `${line} in\n${receipt.text}`);
          assert.match(receipt.text, new RegExp(`payment of €${(invoice.amountDue / 100).toFixed(2)}`));
        },
        { notifications: { channel: box.channel } },
      );
    });

    it('cancels the reminder of a hold the sweeper expired, and of a rental picked up early', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const { slotIds } = await t.drop();
          const hold = await reserve(t, ada.token, slotIds[0]!);
          await t.dropslot.notify();
          // The server was busy: no notification pass ran again until after the hold lapsed.
          t.clock.set(new Date(hold.expiresAt).getTime() + 1000);
          assert.equal(await t.dropslot.sweep(), 1);
          const pass = await t.dropslot.notify();
          assert.equal(pass.sent, 0);
          const [reminder] = byTemplate(await notifications(t), 'hold_expiring');
          assert.equal(reminder!.status, 'cancelled');
          assert.match(reminder!.lastError!, /expired|EXPIRED/);

          // A rental picked up before its pickup reminder is due: the pickup reminder is cancelled, the return one stays.
          const staff = await t.staff();
          const { productId } = await createRentalProduct(
            t.handle.db,
            t.store.storeId,
            {
              sku: `P-${Math.random().toString(36).slice(2, 8)}`,
              name: 'Tent',
              basePriceCents: 1500,
              pricingUnit: 'day',
              units: 1,
            },
            t.clock.now(),
          );
          const start = t.clock.now().getTime() + DAY;
          const created = await t.call('POST', '/v1/rentals', {
            token: ada.token,
            body: {
              items: [{ productId, quantity: 1 }],
              start: new Date(start).toISOString(),
              end: new Date(start + 2 * DAY).toISOString(),
            },
          });
          assert.equal(created.status, 201, JSON.stringify(created.body));
          const confirmed = await t.call('POST', `/v1/rentals/${created.body.id}/confirm`, {
            key: t.store.secretKey,
          });
          assert.equal(confirmed.status, 200);
          await t.dropslot.notify();
          const mine = await t.call('GET', `/v1/rentals/${created.body.id}`, { token: ada.token });
          // Picked up a day early: the store opens pickups 2 days ahead (its check-in setting).
          await t.handle.db.execute(
            sql`update stores set check_in_opens_minutes = ${2 * 24 * 60} where id = ${t.store.storeId}`,
          );
          const pickedUp = await t.call('POST', '/v1/handovers', {
            token: staff.token,
            body: { qrToken: mine.body.qrToken },
          });
          assert.equal(pickedUp.status, 201, JSON.stringify(pickedUp.body));
          t.clock.set(start);
          await t.dropslot.notify();
          const rental = (await notifications(t)).filter((r) => r.entityId === created.body.id);
          assert.deepEqual(rental.map((r) => [r.template, r.status]).sort(), [
            ['rental_confirmed', 'sent'],
            ['rental_pickup_reminder', 'cancelled'],
            ['rental_return_reminder', 'pending'],
          ]);
          assert.deepEqual(
            (await box.sent()).map((m) => m.template),
            ['rental_confirmed'],
            'no reminder was sent',
          );
        },
        { notifications: { channel: box.channel, leads: { rentalPickup: HOUR, rentalReturn: HOUR } } },
      );
    });

    it('the background worker sends on its own; a send whose worker died is taken again when its lease ends', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const { slotIds } = await t.drop({ slots: 2 });
          const hold = await reserve(t, ada.token, slotIds[0]!);
          await t.call('POST', `/v1/reservations/${hold.id}/confirm`, { token: ada.token });
          const stop = t.dropslot.startWorkers(20);
          try {
            for (let i = 0; i < 200 && (await box.sent()).length === 0; i++) {
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
          } finally {
            stop();
          }
          const sent = await box.sent();
          assert.equal(sent.length, 1);
          assert.equal(sent[0]!.template, 'reservation_confirmed');

          // A worker claimed a notification (its lease: next_attempt_at moved 5 minutes on) and died before sending.
          const bob = await customer(t, 'Bob');
          const second = await reserve(t, bob.token, slotIds[1]!);
          await t.call('POST', `/v1/reservations/${second.id}/confirm`, { token: bob.token });
          await t.dropslot.notifier.derive();
          const lease = new Date(t.clock.now().getTime() + 5 * MIN);
          await t.handle.db
            .update(schema.notifications)
            .set({ nextAttemptAt: lease })
            .where(eq(schema.notifications.entityId, second.id));
          assert.equal((await t.dropslot.notify()).sent, 0, 'nobody else takes it while leased');
          t.clock.set(lease);
          assert.equal((await t.dropslot.notify()).sent, 1);
          const all = await box.sent();
          assert.equal(all.length, 2);
          assert.equal(all[1]!.to, bob.email);
        },
        { notifications: { channel: box.channel } },
      );
    });

    it('lists notifications: customers their own, secret key and owners all, with filters and cursor pages', () => {
      const box = outbox();
      return withApp(
        kind,
        async (t) => {
          const ada = await customer(t);
          const bob = await customer(t, 'Bob');
          const { slotIds } = await t.drop({ slots: 2 });
          const adaHold = await reserve(t, ada.token, slotIds[0]!);
          await reserve(t, bob.token, slotIds[1]!);
          await t.dropslot.notify();
          t.clock.advance(MIN);
          await t.call('POST', `/v1/reservations/${adaHold.id}/confirm`, { token: ada.token });
          await t.dropslot.notify();

          const mine = await t.call('GET', '/v1/customers/me/notifications', { token: ada.token });
          assert.equal(mine.status, 200, JSON.stringify(mine.body));
          assert.deepEqual(
            mine.body.data.map((n: { template: string; status: string }) => [n.template, n.status]),
            [
              ['reservation_confirmed', 'sent'],
              ['hold_expiring', 'cancelled'],
            ],
          );
          assert.ok(mine.body.data.every((n: { customerId: string }) => n.customerId === ada.id));
          assert.equal(mine.body.data[1].lastError, null, 'customers do not see delivery errors');
          assert.equal(mine.body.data[0].recipient, ada.email);
          assert.equal(mine.body.data[0].data.dropName, 'Test drop');

          const all = await t.call('GET', '/v1/notifications', { key: t.store.secretKey });
          assert.equal(all.status, 200);
          assert.equal(all.body.data.length, 3);
          assert.equal(all.body.hasMore, false);
          const cancelled = all.body.data.find((n: { status: string }) => n.status === 'cancelled');
          assert.match(cancelled.lastError, /confirmed/);

          const pending = await t.call('GET', '/v1/notifications?status=pending', { key: t.store.secretKey });
          assert.deepEqual(
            pending.body.data.map((n: { customerId: string }) => n.customerId),
            [bob.id],
          );
          const confirmations = await t.call('GET', '/v1/notifications?template=reservation_confirmed', {
            key: t.store.secretKey,
          });
          assert.equal(confirmations.body.data.length, 1);

          const first = await t.call('GET', '/v1/notifications?limit=2', { key: t.store.secretKey });
          assert.equal(first.body.hasMore, true);
          const second = await t.call(
            'GET',
            `/v1/notifications?limit=2&startingAfter=${first.body.data[1].id}`,
            { key: t.store.secretKey },
          );
          assert.equal(second.body.hasMore, false);
          assert.deepEqual(
            [...first.body.data, ...second.body.data].map((n: { id: string }) => n.id),
            all.body.data.map((n: { id: string }) => n.id),
          );

          // Refusals: no customer token, a customer on the store list, bad filters and cursors. Nothing changes.
          const before = await notifications(t);
          assert.equal((await t.call('GET', '/v1/customers/me/notifications')).status, 401);
          const asCustomer = await t.call('GET', '/v1/notifications', { token: ada.token });
          assert.equal(asCustomer.status, 403);
          const badStatus = await t.call('GET', '/v1/notifications?status=lost', { key: t.store.secretKey });
          assert.equal(badStatus.status, 400);
          assert.equal(badStatus.body.code, 'validation_failed');
          assert.match(badStatus.headers.get('content-type') ?? '', /application\/problem\+json/);
          const badTemplate = await t.call('GET', '/v1/customers/me/notifications?template=x', {
            token: ada.token,
          });
          assert.equal(badTemplate.status, 400);
          const badCursor = await t.call(
            'GET',
            `/v1/notifications?startingAfter=${'00000000-0000-4000-8000-000000000000'}`,
            { key: t.store.secretKey },
          );
          assert.equal(badCursor.status, 400);
          assert.equal(
            (await t.call('GET', '/v1/notifications?limit=0', { key: t.store.secretKey })).status,
            400,
          );
          assert.deepEqual(await notifications(t), before);
        },
        { notifications: { channel: box.channel, leads: { holdExpiring: HOLD_LEAD } } },
      );
    });
  });
}
