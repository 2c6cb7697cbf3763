/**
 * The merchant side, black box: the operator CLI creates a store, the owner accepts the invitation, makes the store's
 * keys, sets it up and invites staff with the SDK; a shopper reserves and rents (a product with an uploaded image),
 * staff checks in, the owner reads the report, exports CSV, removes the staff member and erases the shopper.
 * Then every new route against every kind of caller, and bad input on every new route (database unchanged).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { AuthenticationError, ConflictError, ValidationError, createClient } from '../../src/index.js';
import { runCli } from '../../examples/server/cli.js';
import { createUser } from '../../examples/server/seed.js';
import { rows } from '../../examples/server/db/index.js';
import { databaseKinds } from '../support/db.js';
import { invitationTokenOf, Outbox } from '../support/outbox.js';
import { png } from '../support/images.js';
import { OPERATOR_TOKEN, withApp, type TestApp } from '../support/app.js';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

/** The fingerprint plus the rows the merchant routes change (store settings, branches, users' personal fields). */
async function fingerprint(t: TestApp) {
  const [extra] = await rows<Record<string, unknown>>(
    t.handle.db,
    sql`select (select count(*) from branches)::int as branches,
          (select coalesce(max(updated_at), 'epoch')::text from branches) as branches_updated,
          (select coalesce(max(updated_at), 'epoch')::text from stores) as stores_updated,
          (select count(*) from users where erased_at is not null)::int as erased,
          (select count(*) from users where password_hash is not null)::int as with_password,
          (select count(*) from server_secrets)::int as secrets`,
  );
  return { ...(await t.fingerprint()), ...extra };
}

for (const kind of databaseKinds) {
  describe(`merchant API on ${kind}`, () => {
    it('operator CLI → owner invitation → keys, settings, branch, staff invitation, drop, rental with an image → shopper reserves and rents → staff checks in → report, CSV → staff removed → erasure', () => {
      const outbox = new Outbox();
      return withApp(
        kind,
        async (t) => {
          const out: string[] = [];
          const { code, result } = await runCli(
            [
              'store',
              'create',
              '--name',
              'Kiez Rentals',
              '--owner-email',
              'Owner@Kiez.example',
              '--time-zone',
              'Europe/Berlin',
            ],
            {
              db: t.handle.db,
              clock: t.clock,
              publicUrl: t.baseUrl,
              out: (l) => out.push(l),
              err: (l) => out.push(l),
            },
          );
          assert.equal(code, 0, out.join('\n'));
          assert.ok(result);
          assert.match(out.join('\n'), /publishable key {2}pk_test_/);
          assert.match(out.join('\n'), /accept-invitation#token=/);
          const cliBad = await runCli(['store', 'create', '--name', 'X', '--owner-email', 'not-an-email'], {
            db: t.handle.db,
            clock: t.clock,
            publicUrl: t.baseUrl,
            out: () => {},
            err: () => {},
          });
          assert.equal(cliBad.code, 2);

          // The owner accepts the invitation (once) and works with the publishable key and their token.
          const owner = createClient({
            baseUrl: t.baseUrl,
            publishableKey: result.publishableKey,
            maxRetries: 0,
          });
          const accepted = await owner.invitations.accept({
            token: result.invitationToken,
            password: 'owner-password',
          });
          assert.equal(accepted.storeId, result.storeId);
          assert.deepEqual(accepted.session.customer.roles, ['owner']);
          const again = await owner.invitations
            .accept({ token: result.invitationToken, password: 'other-password' })
            .catch((e: unknown) => e);
          assert.equal((again as { code?: string }).code, 'invitation_used');
          owner.setCustomerToken(
            (await owner.customers.signIn({ email: 'owner@kiez.example', password: 'owner-password' })).token,
          );

          const settings = await owner.storeSettings.update({
            currency: 'EUR',
            contact: { email: 'Hello@Kiez.example', websiteUrl: 'https://kiez.example' },
            checkInWindow: { opensMinutesBefore: 30, closesMinutesAfter: 15 },
            notificationSender: { name: 'Kiez Rentals', replyTo: 'hello@kiez.example' },
            refundCutoffHours: 48,
          });
          assert.equal(settings.contact.email, 'hello@kiez.example');
          assert.equal(settings.refundCutoffHours, 48);
          assert.equal((await owner.storeSettings.retrieve()).checkInWindow.opensMinutesBefore, 30);
          const badZone = await owner.storeSettings
            .update({ timeZone: 'Mars/Olympus' })
            .catch((e: unknown) => e);
          assert.ok(ValidationError.is(badZone));

          // A branch open 10:00–18:00 on weekends, closed on one exception date: DST moves the UTC times.
          const branch = await owner.branches.create({
            name: 'Kiez Mitte',
            address: 'Torstraße 1, Berlin',
            phone: '+49 30 000',
            lat: 52.53,
            lng: 13.4,
            openingHours: { sat: ['10:00-18:00'], sun: ['10:00-13:00', '14:00-18:00'] },
            openingExceptions: [{ date: '2030-04-06', ranges: [], note: 'Inventory' }],
          });
          assert.equal(branch.timeZone, 'Europe/Berlin');
          const hours = await owner.branches.hours(branch.id, {
            from: '2030-03-30',
            to: '2030-04-06',
            step: 60,
          });
          const day = (date: string) => hours.days.find((d) => d.date === date)!;
          assert.deepEqual(day('2030-03-30').open, [
            { start: '2030-03-30T09:00:00.000Z', end: '2030-03-30T17:00:00.000Z' },
          ]);
          assert.deepEqual(day('2030-03-31').open[0], {
            start: '2030-03-31T08:00:00.000Z',
            end: '2030-03-31T11:00:00.000Z',
          });
          assert.equal(day('2030-04-01').closed, true);
          assert.equal(day('2030-04-06').closed, true);
          assert.equal(day('2030-03-30').times[0], '2030-03-30T09:00:00.000Z');
          const listed: string[] = [];
          for await (const b of owner.branches.list()) listed.push(b.id);
          assert.deepEqual(listed, [branch.id]);

          // The owner makes the store's own keys: a publishable key for its shop's origin and a secret key for its server
          // (each shown once); the keys the CLI printed are rolled out of service later by the owner.
          const shopKey = await owner.apiKeys.create({
            kind: 'publishable',
            label: 'Shop',
            allowedOrigins: ['https://kiez.example'],
          });
          assert.match(shopKey.secret, /^pk_/);
          const serverKey = await owner.apiKeys.create({ kind: 'secret', label: 'Server' });
          assert.match(serverKey.secret, /^sk_/);
          const keys = await owner.apiKeys.list();
          assert.deepEqual(
            keys.data.filter((k) => k.label === 'Shop').map((k) => k.allowedOrigins),
            [['https://kiez.example']],
          );
          assert.ok(
            keys.data.every((k) => !JSON.stringify(k).includes(serverKey.secret)),
            'a listed key never shows its secret',
          );

          // The owner's new secret key sets up a drop; a shopper reserves and confirms.
          const admin = createClient({ baseUrl: t.baseUrl, secretKey: serverKey.secret, maxRetries: 0 });
          const product = await admin.products.create({
            sku: 'KIEZ-1',
            name: 'Kiez tote',
            price: { amount: 0, currency: 'EUR' },
          });
          const drop = await admin.drops.create({
            productId: product.id,
            branchId: branch.id,
            name: 'Tote drop',
            startsAt: new Date(t.clock.now().getTime() - 60_000).toISOString(),
            endsAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
          });
          const slot = await admin.slots.create(drop.id, {
            startsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
            endsAt: new Date(t.clock.now().getTime() + 7_200_000).toISOString(),
            capacityTotal: 5,
          });
          const shopper = createClient({
            baseUrl: t.baseUrl,
            publishableKey: shopKey.secret,
            maxRetries: 0,
          });
          const session = await shopper.customers.signUp({
            email: 'alex@shop.example',
            password: 'violet kettle orbit',
            name: 'Alex Shopper',
          });
          shopper.setCustomerToken(session.token);
          const hold = await shopper.reservations.create({ slotId: slot.id });
          const confirmed = await shopper.reservations.confirm(hold.id);
          assert.ok(confirmed.qrToken);

          // A rentable product with two units and an uploaded image; the shopper rents one.
          const camera = await admin.products.create({
            sku: 'KIEZ-CAM',
            name: 'Kiez camera',
            price: { amount: 0, currency: 'EUR' },
            rental: { basePrice: { amount: 2500, currency: 'EUR' }, pricingUnit: 'day' },
          });
          await admin.rentals.units.create(camera.id, { serial: 'CAM-1' });
          await admin.rentals.units.create(camera.id, { serial: 'CAM-2' });
          const photo = await admin.productAssets.upload(camera.id, png(32, 24, 3), {
            contentType: 'image/png',
            alt: 'A black camera, front view',
          });
          assert.deepEqual([photo.width, photo.height, photo.alt], [32, 24, 'A black camera, front view']);
          const shown = await shopper.products.retrieve(camera.id);
          assert.deepEqual(
            shown.assets?.map((a) => a.alt),
            ['A black camera, front view'],
          );
          const served = await fetch(`${t.baseUrl}${photo.url}`);
          assert.equal(served.headers.get('content-type'), 'image/png');
          // Pickup and return follow the branch's hours: Sunday 10:00 is open, Tuesday is closed, Saturday 10:00 is open.
          const period = {
            start: new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString(),
            end: new Date(t.clock.now().getTime() + 8 * 86_400_000).toISOString(),
          };
          const tuesday = new Date(t.clock.now().getTime() + 4 * 86_400_000).toISOString();
          const closed = await shopper.rentals
            .create({ items: [{ productId: camera.id, quantity: 1 }], start: period.start, end: tuesday })
            .catch((e: unknown) => e);
          assert.ok(ValidationError.is(closed), String(closed));
          assert.deepEqual(
            closed.errors.map((e) => e.path),
            ['body.end'],
          );
          assert.match(closed.message, /Kiez Mitte is closed at this return time/);
          const rental = await shopper.rentals.create({
            items: [{ productId: camera.id, quantity: 1 }],
            ...period,
          });
          assert.equal(rental.status, 'pending_payment');

          // Staff joins by invitation (a mail with a signed link), checks the shopper in, and cannot read reports.
          const invited = await owner.members.invite({
            email: 'sam@kiez.example',
            name: 'Sam',
            role: 'staff',
          });
          await t.dropslot.notify();
          const mail = outbox.sent.find((m) => m.to === 'sam@kiez.example');
          assert.ok(mail, 'the invitation was mailed');

          const staff = createClient({
            baseUrl: t.baseUrl,
            publishableKey: shopKey.secret,
            maxRetries: 0,
          });
          const joined = await staff.invitations.accept({
            token: invitationTokenOf(mail),
            password: 'sams-long-password',
          });
          assert.deepEqual(joined.session.customer.roles, ['staff']);
          staff.setCustomerToken(joined.session.token);
          // The store's check-in window (opens 30 min before the slot) applies: first too early, then in time.
          const early = await staff.checkIns.create({ qrToken: confirmed.qrToken }).catch((e: unknown) => e);
          assert.ok(ConflictError.is(early) && early.code === 'check_in_not_open');
          t.clock.set(Date.parse(slot.startsAt) - 10 * 60_000);
          await staff.checkIns.create({ qrToken: confirmed.qrToken });
          const staffReport = await staff.reports.drop(drop.id).catch((e: unknown) => e);
          assert.ok(AuthenticationError.is(staffReport));
          // Removed from the team, the staff member's next request is refused.
          await owner.members.del(invited.id);
          const removed = await staff.checkIns
            .create({ qrToken: confirmed.qrToken })
            .catch((e: unknown) => e);
          assert.ok(AuthenticationError.is(removed), 'a removed staff member is refused at once');

          const report = await owner.reports.drop(drop.id);
          assert.equal(report.places, 5);
          assert.equal(report.holds, 1);
          assert.equal(report.confirmed, 1);
          assert.equal(report.checkedIn, 1);
          assert.equal(report.noShows, 0);

          const found = await owner.storeCustomers.list({ q: 'ALEX' });
          assert.deepEqual(
            found.data.map((c) => c.email),
            ['alex@shop.example'],
          );
          const detail = await owner.storeCustomers.retrieve(session.customer.id);
          assert.equal(detail.reservations.length, 1);
          assert.equal(detail.reservations[0]!.state, 'CHECKED_IN');
          const mine = await shopper.storeCustomers.exportMe();
          assert.equal(mine.customer['email'], 'alex@shop.example');
          assert.equal(mine.tables['reservations']!.length, 1);
          assert.ok(!('passwordHash' in mine.customer), 'the password hash is never exported');

          const csv = await readAll(await admin.reports.exportCsv('reservations'));
          const lines = csv.trim().split('\r\n');
          assert.equal(
            lines[0],
            'id,created_at,state,drop_id,drop_name,slot_id,slot_starts_at,customer_id,confirmed_at,checked_in_at,cancelled_at,expired_at',
          );
          assert.equal(lines.length, 2);
          assert.match(lines[1]!, new RegExp(`^${hold.id},.*,CHECKED_IN,${drop.id},Tote drop,`));
          const customersCsv = await readAll(await admin.reports.exportCsv('customers'));
          assert.match(customersCsv, /alex@shop\.example,Alex Shopper/);

          // Erasure: personal data gone, the token refused, the reservation still counted.
          const erased = await owner.storeCustomers.erase(session.customer.id);
          assert.equal(erased.id, session.customer.id);
          const refused = await shopper.customers.me().catch((e: unknown) => e);
          assert.ok(AuthenticationError.is(refused), 'the erased customer’s token is refused');
          const after = await owner.storeCustomers.retrieve(session.customer.id);
          assert.equal(after.email, null);
          assert.equal(after.name, null);
          assert.equal(after.status, 'disabled');
          assert.ok(after.erasedAt);
          assert.equal((await owner.reports.drop(drop.id)).checkedIn, 1);
          const [personal] = await rows<{ n: number }>(
            t.handle.db,
            sql`select count(*)::int as n from audit_logs where (after::text like '%alex@shop%' or before::text like '%alex@shop%')`,
          );
          assert.equal(personal!.n, 0, 'no audit row still holds the e-mail');
          const afterCsv = await readAll(await admin.reports.exportCsv('customers'));
          assert.doesNotMatch(afterCsv, /alex@shop/);
          const exported = await owner.storeCustomers.export(session.customer.id);
          assert.equal(exported.customer['email'], null);
          assert.equal(exported.tables['reservations']!.length, 1);
        },
        { notifications: { channel: outbox } },
      );
    });

    it('every new route: none, publishable, customer, staff, owner, secret key, another store → 401/403/404, never its data', () =>
      withApp(kind, async (t) => {
        const { dropId } = await t.drop({ capacity: 3 });
        const customer = await t.customer();
        const staff = await t.staff();
        const ownerId = await createUser(
          t.handle.db,
          t.store.storeId,
          { email: 'owner@matrix.example', password: 'owner-password', roles: ['owner'] },
          t.clock.now(),
        );
        assert.ok(ownerId);
        const owner = await t.call('POST', '/v1/customers/sign-in', {
          body: { email: 'owner@matrix.example', password: 'owner-password' },
        });
        const branch = await t.call('POST', '/v1/branches', {
          key: t.store.secretKey,
          body: { name: 'Main' },
        });
        assert.equal(branch.status, 201);
        const other = await t.call('POST', '/v1/stores', {
          key: null,
          headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
          body: { name: 'Other store', ownerEmail: 'other@store.example' },
        });
        assert.equal(other.status, 201);

        type Caller = { key?: string | null; token?: string };
        const callers: Record<string, Caller> = {
          none: { key: null },
          publishable: {},
          customer: { token: customer.token },
          staff: { token: staff.token },
          owner: { token: owner.body.token },
          secret: { key: t.store.secretKey },
          otherStore: { key: other.body.secretKey },
        };
        const ownerRoutes: [string, string, unknown?][] = [
          ['GET', '/v1/store/settings'],
          ['PATCH', '/v1/store/settings', { name: 'Renamed' }],
          ['POST', '/v1/branches', { name: 'Second' }],
          ['PATCH', `/v1/branches/${branch.body.id}`, { phone: '+1 555' }],
          ['GET', '/v1/customers'],
          ['GET', `/v1/customers/${customer.id}`],
          ['GET', `/v1/customers/${customer.id}/export`],
          ['GET', `/v1/reports/drops/${dropId}`],
          ['GET', '/v1/reports/rentals?from=2030-03-01T00:00:00.000Z&to=2030-04-01T00:00:00.000Z'],
          ['GET', '/v1/exports/reservations.csv'],
          ['GET', '/v1/exports/rentals.csv'],
          ['GET', '/v1/exports/payments.csv'],
          ['GET', '/v1/exports/customers.csv'],
        ];
        const expected: Record<string, number[]> = {
          none: [401],
          publishable: [403],
          customer: [403],
          staff: [403],
          owner: [200, 201],
          secret: [200, 201],
        };
        for (const [method, path, body] of ownerRoutes) {
          for (const [who, caller] of Object.entries(callers)) {
            const reply = await t.call(method, path, { ...caller, body });
            if (who === 'otherStore') {
              // Another store's key sees its own store (settings, lists, CSV) or 404 for this store's ids.
              const ids = /[0-9a-f]{8}-[0-9a-f]{4}/.test(path) && !path.includes('reports/rentals');
              if (ids) assert.equal(reply.status, 404, `${method} ${path} with another store's key`);
              assert.ok(!JSON.stringify(reply.body ?? '').includes(t.store.storeId), `${path} leaks nothing`);
              assert.ok(!JSON.stringify(reply.body ?? '').includes(customer.id), `${path} leaks nothing`);
              continue;
            }
            assert.ok(
              expected[who]!.includes(reply.status),
              `${method} ${path} as ${who}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
            );
            if (reply.status >= 400) assert.match(reply.headers.get('content-type') ?? '', /problem\+json/);
          }
        }
        // Branch reads: any key of the store; another store's key gets 404.
        for (const path of [
          `/v1/branches/${branch.body.id}`,
          `/v1/branches/${branch.body.id}/hours?from=2030-03-02`,
        ]) {
          assert.equal((await t.call('GET', path, { key: null })).status, 401);
          assert.equal((await t.call('GET', path)).status, 200);
          assert.equal((await t.call('GET', path, { key: other.body.secretKey })).status, 404);
        }
        assert.equal((await t.call('GET', '/v1/branches', { key: null })).status, 401);
        const otherList = await t.call('GET', '/v1/branches', { key: other.body.secretKey });
        assert.ok(otherList.body.data.length > 0, 'the other store made its own branch in the matrix');
        assert.ok(
          otherList.body.data.every((b: { storeId: string }) => b.storeId === other.body.store.id),
          'another store lists only its own branches',
        );
        // Erasure and delete last (they change what the other routes see).
        for (const [who, caller] of Object.entries(callers)) {
          const reply = await t.call('POST', `/v1/customers/${customer.id}/erase`, caller);
          const want = { none: 401, publishable: 403, customer: 403, staff: 403, otherStore: 404 }[who];
          if (want) assert.equal(reply.status, want, `erase as ${who}`);
          const del = await t.call('DELETE', `/v1/branches/${branch.body.id}`, caller);
          const wantDel = { none: 401, publishable: 403, customer: 403, staff: 403, otherStore: 404 }[who];
          if (wantDel) assert.equal(del.status, wantDel, `delete branch as ${who}`);
        }
        // The customer's own routes: a token is needed; another store's key cannot act for them.
        const fresh = await t.customer();
        assert.equal((await t.call('GET', '/v1/customers/me/export', { key: null })).status, 401);
        assert.equal((await t.call('GET', '/v1/customers/me/export')).status, 401);
        assert.equal(
          (
            await t.call('GET', '/v1/customers/me/export', {
              key: other.body.publishableKey,
              token: fresh.token,
            })
          ).status,
          401,
        );
        const own = await t.call('GET', '/v1/customers/me/export', { token: fresh.token });
        assert.equal(own.status, 200);
        assert.equal(own.body.customer.id, fresh.id);
        assert.equal((await t.call('POST', '/v1/customers/me/erase', { token: fresh.token })).status, 200);
        assert.equal((await t.call('GET', '/v1/customers/me/export', { token: fresh.token })).status, 401);
        // The operator route: no credential 401, a store key or a wrong credential 401, never a store.
        const stores = await rows<{ n: number }>(t.handle.db, sql`select count(*)::int as n from stores`);
        for (const authorization of [undefined, `Bearer ${t.store.secretKey}`, 'Bearer wrong']) {
          const reply = await t.call('POST', '/v1/stores', {
            key: null,
            headers: authorization ? { authorization } : {},
            body: { name: 'Nope', ownerEmail: 'nope@example.com' },
          });
          assert.equal(reply.status, 401);
        }
        const storesAfter = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from stores`,
        );
        assert.equal(storesAfter[0]!.n, stores[0]!.n);
      }));

    it('bad input on every new route → 4xx problem+json, database unchanged', () =>
      withApp(kind, async (t) => {
        const { dropId } = await t.drop();
        const customer = await t.customer();
        const branch = await t.call('POST', '/v1/branches', {
          key: t.store.secretKey,
          body: { name: 'Main', openingHours: { mon: ['09:00-17:00'] } },
        });
        const sk = { key: t.store.secretKey };
        const op = { key: null, headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
        const cases: [string, string, Record<string, unknown>, number][] = [
          ['POST', '/v1/stores', { ...op, body: { name: 'X' } }, 400],
          [
            'POST',
            '/v1/stores',
            { ...op, body: { name: 'X', ownerEmail: 'a@b.example', currency: 'XXQ' } },
            400,
          ],
          [
            'POST',
            '/v1/stores',
            { ...op, body: { name: 'X', ownerEmail: 'a@b.example', timeZone: 'Nowhere/Land' } },
            400,
          ],
          [
            'POST',
            '/v1/stores',
            { ...op, body: { name: 'X', ownerEmail: 'a@b.example', slug: 'Bad Slug' } },
            400,
          ],
          [
            'POST',
            '/v1/stores',
            { ...op, rawBody: '{', headers: { ...op.headers, 'content-type': 'application/json' } },
            400,
          ],
          [
            'POST',
            '/v1/invitations/accept',
            { key: null, body: { token: 'forged', password: 'long enough' } },
            400,
          ],
          ['POST', '/v1/invitations/accept', { key: null, body: { token: 'x', password: 'short' } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { timeZone: 'Europe/Nowhere' } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { currency: 'ABC' } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { logoUrl: 'javascript:alert(1)' } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { locale: '12' } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { refundCutoffHours: -1 } }, 400],
          ['PATCH', '/v1/store/settings', { ...sk, body: { unknown: true } }, 400],
          [
            'PATCH',
            '/v1/store/settings',
            { ...sk, body: { notificationSender: { replyTo: 'not mail' } } },
            400,
          ],
          [
            'POST',
            '/v1/branches',
            { ...sk, body: { name: 'B', openingHours: { mon: ['18:00-09:00'] } } },
            400,
          ],
          [
            'POST',
            '/v1/branches',
            { ...sk, body: { name: 'B', openingHours: { mon: ['09:00-12:00', '11:00-13:00'] } } },
            400,
          ],
          [
            'POST',
            '/v1/branches',
            { ...sk, body: { name: 'B', openingHours: { funday: ['09:00-12:00'] } } },
            400,
          ],
          [
            'POST',
            '/v1/branches',
            { ...sk, body: { name: 'B', openingExceptions: [{ date: '2030-02-30', ranges: [] }] } },
            400,
          ],
          ['POST', '/v1/branches', { ...sk, body: { name: 'B', lat: 91, lng: 0 } }, 400],
          ['POST', '/v1/branches', { ...sk, body: { name: 'B', lat: 50 } }, 400],
          ['POST', '/v1/branches', { ...sk, body: { name: 'B', timeZone: 'Mars/Base' } }, 400],
          [
            'PATCH',
            `/v1/branches/${branch.body.id}`,
            { ...sk, body: { openingHours: { tue: ['25:00-26:00'] } } },
            400,
          ],
          ['PATCH', '/v1/branches/not-a-uuid', { ...sk, body: { name: 'x' } }, 404],
          ['DELETE', '/v1/branches/00000000-0000-4000-8000-000000000000', sk, 404],
          ['GET', `/v1/branches/${branch.body.id}/hours`, sk, 400],
          ['GET', `/v1/branches/${branch.body.id}/hours?from=2030-13-01`, sk, 400],
          ['GET', `/v1/branches/${branch.body.id}/hours?from=2030-03-10&to=2030-03-01`, sk, 400],
          ['GET', `/v1/branches/${branch.body.id}/hours?from=2030-01-01&to=2030-12-31`, sk, 400],
          ['GET', '/v1/customers?limit=0', sk, 400],
          ['GET', '/v1/customers?startingAfter=00000000-0000-4000-8000-000000000000', sk, 400],
          ['GET', '/v1/customers/00000000-0000-4000-8000-000000000000', sk, 404],
          ['GET', '/v1/customers/00000000-0000-4000-8000-000000000000/export', sk, 404],
          ['POST', '/v1/customers/00000000-0000-4000-8000-000000000000/erase', sk, 404],
          ['GET', '/v1/reports/drops/00000000-0000-4000-8000-000000000000', sk, 404],
          ['GET', '/v1/reports/rentals', sk, 400],
          ['GET', '/v1/reports/rentals?from=2030-03-02T00:00:00.000Z&to=2030-03-01T00:00:00.000Z', sk, 400],
          ['GET', '/v1/reports/rentals?from=2020-01-01T00:00:00.000Z&to=2030-03-01T00:00:00.000Z', sk, 400],
          ['GET', '/v1/exports/reservations.csv?from=yesterday', sk, 400],
          [
            'GET',
            '/v1/exports/payments.csv?from=2030-03-02T00:00:00.000Z&to=2030-03-01T00:00:00.000Z',
            sk,
            400,
          ],
        ];
        const before = await fingerprint(t);
        for (const [method, path, options, status] of cases) {
          const reply = await t.call(method, path, options);
          assert.equal(
            reply.status,
            status,
            `${method} ${path} ${JSON.stringify(options['body'])}: ${JSON.stringify(reply.body)}`,
          );
          assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
        }
        assert.deepEqual(await fingerprint(t), before);
        assert.ok(dropId && customer.id);
      }));
  });
}
