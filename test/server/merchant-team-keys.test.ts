/**
 * The merchant API for API keys and team members, black box over HTTP and through the SDK: keys are shown once and
 * stored hashed, rolled keys overlap then stop (without waiting for any cache), revocation and removal take effect at
 * once on every process, the store keeps a secret key and an owner, invitations go out by mail and work once.
 * Then every new route against every kind of caller, and bad input on every new route (database unchanged).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { AuthenticationError, ConflictError, createClient } from '../../src/index.js';
import { createApp } from '../../examples/server/app.js';
import { rows } from '../../examples/server/db/index.js';
import { hashKey } from '../../examples/server/http/auth.js';
import { createUser } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { invitationTokenOf, Outbox } from '../support/outbox.js';
import { OPERATOR_TOKEN, withApp, type TestApp } from '../support/app.js';

/** The fingerprint plus what the key and member routes change. */
async function fingerprint(t: TestApp) {
  const [extra] = await rows<Record<string, unknown>>(
    t.handle.db,
    sql`select
          (select coalesce(string_agg(id::text || ':' || coalesce(revoked_at::text, '-') || ':' ||
             coalesce(expires_at::text, '-') || ':' || coalesce(label, '-') || ':' || allowed_origins::text || ':' ||
             coalesce(replaced_by_id::text, '-'), ',' order by id), '') from api_keys) as keys,
          (select coalesce(string_agg(ur.user_id::text || ':' || r.code, ',' order by ur.user_id, r.code), '')
             from user_roles ur join roles r on r.id = ur.role_id) as roles,
          (select count(*) from notifications)::int as notifications,
          (select coalesce(string_agg(id::text || ':' || status, ',' order by id), '') from notifications) as mails,
          (select count(*) from users where password_hash is not null)::int as with_password,
          (select coalesce(max(updated_at), 'epoch')::text from users) as users_updated`,
  );
  return { ...(await t.fingerprint()), ...extra };
}

/** An owner of the test store, signed in: their token and an SDK client acting as them. */
async function signedInOwner(
  t: TestApp,
  email = `owner-${Math.random().toString(36).slice(2)}@team.example`,
) {
  const id = await createUser(
    t.handle.db,
    t.store.storeId,
    { email, password: 'owner-password', name: 'Olga Owner', roles: ['owner'] },
    t.clock.now(),
  );
  const signIn = await t.call('POST', '/v1/customers/sign-in', {
    body: { email, password: 'owner-password' },
  });
  assert.equal(signIn.status, 200);
  const client = createClient({
    baseUrl: t.baseUrl,
    publishableKey: t.store.publishableKey,
    customerToken: signIn.body.token,
    maxRetries: 0,
  });
  return { id, email, token: signIn.body.token as string, client };
}

/** Everything the key and member routes can change in one store. */
async function storeState(t: TestApp, storeId: string) {
  return rows<Record<string, unknown>>(
    t.handle.db,
    sql`select
          (select string_agg(id::text || ':' || coalesce(revoked_at::text, '-') || ':' || coalesce(expires_at::text, '-')
             || ':' || coalesce(label, '-') || ':' || allowed_origins::text, ',' order by id)
             from api_keys where store_id = ${storeId}) as keys,
          (select string_agg(ur.user_id::text || ':' || r.code, ',' order by ur.user_id, r.code)
             from user_roles ur join roles r on r.id = ur.role_id where ur.store_id = ${storeId}) as roles,
          (select string_agg(id::text || ':' || status, ',' order by id) from notifications
             where store_id = ${storeId}) as mails,
          (select string_agg(id::text || ':' || coalesce(email, '-') || ':' || coalesce(name, '-'), ',' order by id)
             from users where store_id = ${storeId}) as users,
          (select count(*) from audit_logs where store_id = ${storeId})::int as audit`,
  );
}

const keyIdOf = async (t: TestApp, key: string) => {
  const [row] = await rows<{ id: string }>(
    t.handle.db,
    sql`select id from api_keys where key_hash = ${hashKey(key)}`,
  );
  return row!.id;
};

const status = async (t: TestApp, key: string, path = '/v1/products') =>
  (await t.call('GET', path, { key })).status;

for (const kind of databaseKinds) {
  describe(`API keys and team on ${kind}`, () => {
    it('keys: create (shown once, stored hashed), list, origins, roll with an overlap, expiry, revoke, last secret key', () =>
      withApp(kind, async (t) => {
        const admin = createClient({ baseUrl: t.baseUrl, secretKey: t.store.secretKey, maxRetries: 0 });
        const first: string[] = [];
        for await (const key of admin.apiKeys.list()) first.push(key.kind);
        assert.deepEqual(first.sort(), ['publishable', 'secret']);

        // A publishable key for one shop origin: the key is in the answer, only its hash in the database.
        const widget = await admin.apiKeys.create({
          kind: 'publishable',
          label: '  Shop widgets ',
          allowedOrigins: ['https://shop.example', 'https://shop.example'],
        });
        assert.match(widget.secret, /^pk_test_[A-Za-z0-9]{32}$/);
        assert.equal(widget.prefix, widget.secret.slice(0, 12));
        assert.equal(widget.label, 'Shop widgets');
        assert.deepEqual(widget.allowedOrigins, ['https://shop.example']);
        assert.equal(widget.status, 'active');
        const [stored] = await rows<Record<string, unknown>>(
          t.handle.db,
          sql`select * from api_keys where id = ${widget.id}`,
        );
        assert.equal(stored!['key_hash'], hashKey(widget.secret));
        assert.ok(!JSON.stringify(stored).includes(widget.secret), 'the key itself is not stored');
        const listed = await t.call('GET', '/v1/api-keys', { key: t.store.secretKey });
        assert.equal(listed.status, 200);
        const text = JSON.stringify(listed.body);
        for (const secret of [
          widget.secret,
          t.store.secretKey,
          t.store.publishableKey,
          hashKey(widget.secret),
        ])
          assert.ok(!text.includes(secret), 'a list never shows a key or its hash');
        assert.ok(listed.body.data.every((k: Record<string, unknown>) => !('secret' in k)));
        assert.equal((await admin.apiKeys.retrieve(widget.id)).label, 'Shop widgets');

        // Origins apply at once, also to a key every cache has just seen.
        const fromShop = { key: widget.secret, headers: { origin: 'https://shop.example' } };
        const ok = await t.call('GET', '/v1/products', fromShop);
        assert.equal(ok.status, 200);
        assert.equal(ok.headers.get('access-control-allow-origin'), 'https://shop.example');
        const elsewhere = await t.call('GET', '/v1/products', {
          key: widget.secret,
          headers: { origin: 'https://evil.example' },
        });
        assert.equal(elsewhere.status, 403);
        assert.equal(elsewhere.body.code, 'origin_not_allowed');
        const moved = await admin.apiKeys.update(widget.id, {
          allowedOrigins: ['https://new-shop.example'],
          label: null,
        });
        assert.deepEqual(moved.allowedOrigins, ['https://new-shop.example']);
        assert.equal(moved.label, null);
        assert.equal((await t.call('GET', '/v1/products', fromShop)).status, 403);
        assert.equal(
          (
            await t.call('GET', '/v1/products', {
              key: widget.secret,
              headers: { origin: 'https://new-shop.example' },
            })
          ).status,
          200,
        );

        // A second secret key, made by an owner signed in; then rolled with an hour of overlap.
        const owner = await signedInOwner(t);
        const s2 = await owner.client.apiKeys.create({ kind: 'secret', label: 'Server' });
        assert.match(s2.secret, /^sk_test_/);
        assert.equal(await status(t, s2.secret, '/v1/api-keys'), 200);
        const rolled = await createClient({
          baseUrl: t.baseUrl,
          secretKey: s2.secret,
          maxRetries: 0,
        }).apiKeys.roll(s2.id, { expiresPreviousAfter: 3600 });
        const s3 = rolled.secret;
        assert.notEqual(s3, s2.secret);
        assert.equal(rolled.kind, 'secret');
        assert.equal(rolled.label, 'Server');
        assert.equal(rolled.previous.id, s2.id);
        assert.equal(rolled.previous.status, 'expiring');
        assert.equal(rolled.previous.replacedBy, rolled.id);
        assert.equal(rolled.previous.expiresAt, new Date(t.clock.now().getTime() + 3_600_000).toISOString());
        // Both work during the overlap; the old one stops at its expiry, with nothing else happening.
        assert.equal(await status(t, s2.secret), 200);
        assert.equal(await status(t, s3), 200);
        t.clock.set(t.clock.now().getTime() + 3_600_000 - 1);
        assert.equal(await status(t, s2.secret), 200);
        t.clock.set(t.clock.now().getTime() + 1);
        const expired = await t.call('GET', '/v1/products', { key: s2.secret });
        assert.equal(expired.status, 401);
        assert.equal(expired.body.code, 'invalid_api_key');
        assert.match(expired.body.detail, /expired/);
        assert.equal(await status(t, s3), 200);
        assert.equal((await admin.apiKeys.retrieve(s2.id)).status, 'expired');
        const again = await admin.apiKeys.roll(s2.id).catch((e: unknown) => e);
        assert.ok(ConflictError.is(again) && again.code === 'api_key_inactive');

        // expiresPreviousAfter 0 stops the old key at once; a key rolled already is not rolled twice.
        const s4 = await admin.apiKeys.roll(rolled.id, { expiresPreviousAfter: 0 });
        assert.equal(await status(t, s3), 401);
        assert.equal(await status(t, s4.secret), 200);
        const s5 = await admin.apiKeys.roll(s4.id, { expiresPreviousAfter: 600 });
        const twice = await admin.apiKeys.roll(s4.id).catch((e: unknown) => e);
        assert.ok(ConflictError.is(twice) && twice.code === 'api_key_rolled', String(twice));

        // Revoking: refused at once (the key was just used, so it is cached), idempotent, and never the last secret key.
        const initialSk = await keyIdOf(t, t.store.secretKey);
        const sk5 = createClient({ baseUrl: t.baseUrl, secretKey: s5.secret, maxRetries: 0 });
        assert.equal(await status(t, t.store.secretKey), 200);
        const revoked = await sk5.apiKeys.revoke(initialSk);
        assert.equal(revoked.status, 'revoked');
        assert.equal(await status(t, t.store.secretKey), 401);
        assert.deepEqual(await sk5.apiKeys.revoke(initialSk), revoked, 'revoking twice changes nothing');
        const last = await sk5.apiKeys.revoke(s5.id).catch((e: unknown) => e);
        assert.ok(ConflictError.is(last) && last.code === 'last_secret_key', String(last));
        assert.equal(await status(t, s5.secret), 200);
        // The expiring s4 may go (s5 lasts); s5 is replaced by rolling.
        assert.equal((await sk5.apiKeys.revoke(s4.id)).status, 'revoked');
        assert.equal(await status(t, s4.secret), 401);
        const s6 = await sk5.apiKeys.roll(s5.id, { expiresPreviousAfter: 0 });
        assert.equal(await status(t, s5.secret), 401);
        const sk6 = createClient({ baseUrl: t.baseUrl, secretKey: s6.secret, maxRetries: 0 });
        const changeRevoked = await sk6.apiKeys.update(initialSk, { label: 'x' }).catch((e: unknown) => e);
        assert.ok(ConflictError.is(changeRevoked) && changeRevoked.code === 'api_key_inactive');
        // A publishable key may go; a key may revoke itself when another secret key lasts.
        assert.equal((await sk6.apiKeys.revoke(widget.id)).status, 'revoked');
        assert.equal(await status(t, widget.secret), 401);
        const s7 = await sk6.apiKeys.create({ kind: 'secret' });
        assert.equal((await sk6.apiKeys.revoke(s6.id)).status, 'revoked');
        assert.equal(await status(t, s6.secret), 401);
        assert.equal(await status(t, s7.secret), 200);

        // Audited, never with a key or its hash.
        const audit = await rows<{ action: string; text: string }>(
          t.handle.db,
          sql`select action, coalesce(before::text, '') || coalesce(after::text, '') as text from audit_logs
              where entity = 'api_key' order by created_at, id`,
        );
        const actions = new Set(audit.map((a) => a.action));
        for (const action of ['api_key.create', 'api_key.update', 'api_key.roll', 'api_key.revoke'])
          assert.ok(actions.has(action), `${action} is audited`);
        const secrets = [widget.secret, s2.secret, s3, s4.secret, s5.secret, s6.secret, s7.secret];
        for (const row of audit) {
          for (const secret of secrets) {
            assert.ok(!row.text.includes(secret), `${row.action} holds no key`);
            assert.ok(!row.text.includes(hashKey(secret)), `${row.action} holds no key hash`);
          }
        }
      }));

    it('a key made with an Idempotency-Key is replayed to the same caller, and is not kept in the clear', () =>
      withApp(kind, async (t) => {
        const send = (key = t.store.secretKey) =>
          t.call('POST', '/v1/api-keys', {
            key,
            idempotencyKey: 'make-key-1',
            body: { kind: 'secret', label: 'CI' },
          });
        const made = await send();
        assert.equal(made.status, 201);
        const replay = await send();
        assert.equal(replay.status, 201);
        assert.equal(replay.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(replay.body, made.body);
        const [count] = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from api_keys where label = 'CI'`,
        );
        assert.equal(count!.n, 1);
        const [kept] = await rows<{ text: string }>(
          t.handle.db,
          sql`select coalesce(string_agg(response_text, ''), '') as text from idempotency_keys`,
        );
        assert.ok(kept!.text.length > 0, 'the answer is recorded');
        assert.ok(
          !kept!.text.includes(made.body.secret),
          'the recorded answer does not hold the key in the clear',
        );
        const rolled = await t.call('POST', `/v1/api-keys/${made.body.id}/roll`, {
          key: t.store.secretKey,
          idempotencyKey: 'roll-1',
        });
        assert.equal(rolled.status, 200);
        const rollReplay = await t.call('POST', `/v1/api-keys/${made.body.id}/roll`, {
          key: t.store.secretKey,
          idempotencyKey: 'roll-1',
        });
        assert.deepEqual(rollReplay.body, rolled.body);
        const [after] = await rows<{ text: string }>(
          t.handle.db,
          sql`select coalesce(string_agg(response_text, ''), '') as text from idempotency_keys`,
        );
        assert.ok(!after!.text.includes(rolled.body.secret));

        // The same owner signed in again (another token) cannot read the first answer back: a clear 422, no new key.
        const owner = await signedInOwner(t);
        const asOwner = (token: string) =>
          t.call('POST', '/v1/api-keys', {
            token,
            idempotencyKey: 'owner-key',
            body: { kind: 'publishable' },
          });
        const first = await asOwner(owner.token);
        assert.equal(first.status, 201);
        assert.deepEqual((await asOwner(owner.token)).body, first.body);
        t.clock.set(t.clock.now().getTime() + 1000);
        const second = await t.call('POST', '/v1/customers/sign-in', {
          body: { email: owner.email, password: 'owner-password' },
        });
        assert.notEqual(second.body.token, owner.token);
        const other = await asOwner(second.body.token);
        assert.equal(other.status, 422);
        assert.equal(other.body.code, 'idempotency_key_reused');
      }));

    it('team: invite by mail → accept → role change → last owner kept → removed staff refused at once', async () => {
      const outbox = new Outbox();
      await withApp(
        kind,
        async (t) => {
          const owner = await signedInOwner(t, 'olga@team.example');
          let members = await owner.client.members.list();
          assert.deepEqual(
            members.data.map((m) => [m.email, m.role, m.status]),
            [['olga@team.example', 'owner', 'active']],
          );

          // The invitation: a mail through the notifications outbox, with a link made when it is sent.
          const sam = await owner.client.members.invite({
            email: ' Sam@Team.example ',
            name: 'Sam',
            role: 'staff',
          });
          assert.equal(sam.email, 'sam@team.example');
          assert.equal(sam.role, 'staff');
          assert.equal(sam.status, 'invited');
          assert.equal(outbox.sent.length, 0, 'queued, not sent by the request');
          await t.dropslot.notify();
          assert.equal(outbox.sent.length, 1);
          const mail = outbox.sent[0]!;
          assert.equal(mail.to, 'sam@team.example');
          assert.equal(mail.template, 'member_invitation');
          assert.match(mail.subject, /invited to the team of Test store/);
          assert.match(mail.html, /<a href="http:\/\/127\.0\.0\.1:\d+\/console\/accept-invitation#token=/);
          const token = invitationTokenOf(mail);
          const [row] = await rows<{ status: string; payload: unknown; channel: string }>(
            t.handle.db,
            sql`select status, payload, channel from notifications where id = ${sam.notificationId}`,
          );
          assert.equal(row!.status, 'sent');
          assert.equal(row!.channel, 'email');
          assert.ok(!JSON.stringify(row!.payload).includes(token), 'the link is never stored');
          const listedMail = await t.call('GET', `/v1/notifications?template=member_invitation`, {
            key: t.store.secretKey,
          });
          assert.equal(listedMail.status, 200);
          assert.equal(listedMail.body.data.length, 1);

          // Inviting again before a mail went out replaces it: one mail, the newest.
          const kim = await owner.client.members.invite({ email: 'kim@team.example', role: 'staff' });
          const kimAgain = await owner.client.members.invite({ email: 'kim@team.example', role: 'owner' });
          assert.equal(kimAgain.id, kim.id);
          assert.equal(kimAgain.role, 'owner');
          await t.dropslot.notify();
          assert.deepEqual(
            outbox.sent.slice(1).map((m) => m.to),
            ['kim@team.example'],
          );
          const [first] = await rows<{ status: string }>(
            t.handle.db,
            sql`select status from notifications where id = ${kim.notificationId}`,
          );
          assert.equal(first!.status, 'cancelled');
          const kimToken = invitationTokenOf(outbox.sent[1]!);

          // Sam accepts once: the password is set, the session is a staff member's.
          const anyone = createClient({
            baseUrl: t.baseUrl,
            publishableKey: t.store.publishableKey,
            maxRetries: 0,
          });
          const accepted = await anyone.invitations.accept({ token, password: 'sams-long-password' });
          assert.deepEqual(accepted.session.customer.roles, ['staff']);
          const used = await anyone.invitations
            .accept({ token, password: 'other-password' })
            .catch((e: unknown) => e);
          assert.ok(ConflictError.is(used) && used.code === 'invitation_used');
          const samToken = accepted.session.token;
          const staffRoute = `/v1/products/${crypto.randomUUID()}/units`;
          assert.equal((await t.call('GET', staffRoute, { token: samToken })).status, 404, 'staff may');
          assert.equal(
            (await t.call('GET', '/v1/members', { token: samToken })).status,
            403,
            'staff may not',
          );
          assert.equal((await owner.client.members.retrieve(sam.id)).status, 'active');
          const exists = await owner.client.members
            .invite({ email: 'sam@team.example', role: 'owner' })
            .catch((e: unknown) => e);
          assert.ok(ConflictError.is(exists) && exists.code === 'member_exists');

          // Role changes apply to the very next request.
          assert.equal((await owner.client.members.update(sam.id, { role: 'owner' })).role, 'owner');
          assert.equal((await t.call('GET', '/v1/members', { token: samToken })).status, 200);
          assert.equal((await owner.client.members.update(sam.id, { role: 'staff' })).role, 'staff');
          assert.equal((await t.call('GET', '/v1/members', { token: samToken })).status, 403);

          // The last owner can neither leave nor be demoted (Kim, invited as owner, counts once active).
          await owner.client.members.del(kim.id);
          const before = await fingerprint(t);
          for (const attempt of [
            () => owner.client.members.update(owner.id, { role: 'staff' }),
            () => owner.client.members.del(owner.id),
            () =>
              createClient({ baseUrl: t.baseUrl, secretKey: t.store.secretKey, maxRetries: 0 }).members.del(
                owner.id,
              ),
          ]) {
            const refused = await attempt().catch((e: unknown) => e);
            assert.ok(ConflictError.is(refused) && refused.code === 'last_owner', String(refused));
            assert.equal(refused.status, 409);
          }
          assert.deepEqual(await fingerprint(t), before);
          // Kim was removed before accepting: her link is void.
          const void_ = await anyone.invitations
            .accept({ token: kimToken, password: 'kims-long-password' })
            .catch((e: unknown) => e);
          assert.equal((void_ as { code?: string }).code, 'invitation_invalid');

          // A customer of the store joins at once (they have a password) and is told so by mail.
          const shopper = await t.call('POST', '/v1/customers/sign-up', {
            body: { email: 'alex@shop.example', password: 'violet kettle orbit', name: 'Alex' },
          });
          assert.equal(shopper.status, 201);
          const alex = await owner.client.members.invite({ email: 'alex@shop.example', role: 'staff' });
          assert.equal(alex.status, 'active');
          assert.equal(alex.name, 'Alex');
          await t.dropslot.notify();
          const told = outbox.sent.at(-1)!;
          assert.equal(told.to, 'alex@shop.example');
          assert.match(told.text, /Sign in with the e-mail address and password/);
          assert.doesNotMatch(told.text, /accept-invitation/);
          assert.equal(
            (await t.call('GET', staffRoute, { token: shopper.body.token })).status,
            404,
            'their existing token is a staff member’s now',
          );

          // Removing Sam: his next request as staff is refused; he stays a customer of the store.
          assert.deepEqual(await owner.client.members.del(sam.id), { id: sam.id, deleted: true });
          assert.equal((await t.call('GET', staffRoute, { token: samToken })).status, 403);
          assert.equal((await t.call('GET', '/v1/customers/me', { token: samToken })).status, 200);
          const gone = await owner.client.members.retrieve(sam.id).catch((e: unknown) => e);
          assert.equal((gone as { status?: number }).status, 404);
          members = await owner.client.members.list();
          assert.deepEqual(members.data.map((m) => m.email).sort(), [
            'alex@shop.example',
            'olga@team.example',
          ]);

          // Another owner lets the first one go; an invitation expires after 7 days.
          const pat = await owner.client.members.invite({ email: 'pat@team.example', role: 'owner' });
          await t.dropslot.notify();
          const patToken = invitationTokenOf(outbox.sent.at(-1)!);
          await owner.client.members.del(owner.id);
          const ownerGone = await owner.client.members.retrieve(owner.id).catch((e: unknown) => e);
          assert.ok(AuthenticationError.is(ownerGone), 'the removed owner is refused at once');
          t.clock.set(t.clock.now().getTime() + 7 * 86_400_000 + 1000);
          const late = await anyone.invitations
            .accept({ token: patToken, password: 'pats-long-password' })
            .catch((e: unknown) => e);
          assert.equal((late as { code?: string }).code, 'invitation_invalid');
          assert.equal(pat.role, 'owner');

          const audit = await rows<{ action: string }>(
            t.handle.db,
            sql`select distinct action from audit_logs where entity = 'user'`,
          );
          const actions = new Set(audit.map((a) => a.action));
          for (const action of [
            'member.invite',
            'member.update',
            'member.role_remove',
            'member.invitation_accept',
          ])
            assert.ok(actions.has(action), `${action} is audited`);
        },
        { notifications: { channel: outbox } },
      );
    });

    it('two owners stepping down at once, and two secret keys revoking themselves at once: one of each stays', () =>
      withApp(kind, async (t) => {
        const a = await signedInOwner(t);
        const b = await signedInOwner(t);
        const results = await Promise.allSettled([
          a.client.members.update(a.id, { role: 'staff' }),
          b.client.members.update(b.id, { role: 'staff' }),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, JSON.stringify(results));
        const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.equal(refused.reason.code, 'last_owner');
        const [owners] = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from user_roles ur join roles r on r.id = ur.role_id
              where r.code = 'owner' and ur.store_id = ${t.store.storeId}`,
        );
        assert.equal(owners!.n, 1);

        const other = await t.call('POST', '/v1/api-keys', {
          key: t.store.secretKey,
          body: { kind: 'secret' },
        });
        const firstId = await keyIdOf(t, t.store.secretKey);
        const revokes = await Promise.all([
          t.call('POST', `/v1/api-keys/${firstId}/revoke`, { key: t.store.secretKey }),
          t.call('POST', `/v1/api-keys/${other.body.id}/revoke`, { key: other.body.secret }),
        ]);
        assert.deepEqual(revokes.map((r) => r.status).sort(), [200, 409]);
        assert.equal(revokes.find((r) => r.status === 409)!.body.code, 'last_secret_key');
        const [lasting] = await rows<{ n: number }>(
          t.handle.db,
          sql`select count(*)::int as n from api_keys
              where kind = 'secret' and revoked_at is null and expires_at is null and store_id = ${t.store.storeId}`,
        );
        assert.equal(lasting!.n, 1);
      }));

    it('another process refuses a revoked or rolled-away key and a removed member at once (announced, no TTL)', () =>
      withApp(kind, async (t) => {
        // A second app on the same database: its own key cache, its own LISTEN.
        const second = await createApp({ db: t.handle, clock: t.clock, rateLimits: false });
        try {
          const viaSecond = async (key: string, path = '/v1/products', token?: string) =>
            (
              await second.app.request(path, {
                headers: { authorization: `Bearer ${key}`, ...(token && { 'x-customer-token': token }) },
              })
            ).status;
          const within = async (probe: () => Promise<number>, want: number) => {
            const started = Date.now();
            for (;;) {
              const got = await probe();
              if (got === want) return Date.now() - started;
              assert.ok(Date.now() - started < 1_000, `still ${got} after 1 s`);
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
          };
          const made = await t.call('POST', '/v1/api-keys', {
            key: t.store.secretKey,
            body: { kind: 'secret' },
          });
          const rolledAway = made.body.secret as string;
          assert.equal(await viaSecond(rolledAway), 200, 'the second process has cached the key');
          const rolled = await t.call('POST', `/v1/api-keys/${made.body.id}/roll`, {
            key: t.store.secretKey,
            body: { expiresPreviousAfter: 0 },
          });
          assert.equal(rolled.status, 200);
          await within(() => viaSecond(rolledAway), 401);
          assert.equal(await viaSecond(rolled.body.secret), 200);

          assert.equal(await viaSecond(rolled.body.secret), 200);
          await t.call('POST', `/v1/api-keys/${rolled.body.id}/revoke`, { key: t.store.secretKey });
          await within(() => viaSecond(rolled.body.secret), 401);

          const staff = await t.staff();
          const units = `/v1/products/${crypto.randomUUID()}/units`;
          assert.equal(await viaSecond(t.store.publishableKey, units, staff.token), 404);
          const removed = await t.call('DELETE', `/v1/members/${staff.id}`, { key: t.store.secretKey });
          assert.equal(removed.status, 200);
          await within(() => viaSecond(t.store.publishableKey, units, staff.token), 403);
        } finally {
          await second.close();
        }
      }));

    it('every new route: none, publishable, customer, staff, owner, secret key, another store → 401/403/404, never its data', () =>
      withApp(kind, async (t) => {
        const customer = await t.customer();
        const staff = await t.staff();
        const owner = await signedInOwner(t);
        const other = await t.call('POST', '/v1/stores', {
          key: null,
          headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
          body: { name: 'Other store', ownerEmail: 'other@store.example' },
        });
        assert.equal(other.status, 201);
        const sk = { key: t.store.secretKey };
        /** Fresh targets for one caller: a publishable key and an invited staff member of this store. */
        const targets = async () => {
          const key = await t.call('POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable' } });
          const member = await t.call('POST', '/v1/members/invitations', {
            ...sk,
            body: { email: `m-${Math.random().toString(36).slice(2)}@team.example`, role: 'staff' },
          });
          assert.equal(member.status, 201);
          return { keyId: key.body.id as string, memberId: member.body.id as string };
        };
        const routes = (ids: { keyId: string; memberId: string }): [string, string, unknown?][] => [
          ['GET', '/v1/api-keys'],
          ['GET', `/v1/api-keys/${ids.keyId}`],
          ['POST', '/v1/api-keys', { kind: 'publishable', label: 'matrix' }],
          ['PATCH', `/v1/api-keys/${ids.keyId}`, { label: 'matrix' }],
          ['POST', `/v1/api-keys/${ids.keyId}/roll`, { expiresPreviousAfter: 60 }],
          ['POST', `/v1/api-keys/${ids.keyId}/revoke`],
          ['GET', '/v1/members'],
          ['GET', `/v1/members/${ids.memberId}`],
          ['POST', '/v1/members/invitations', { email: 'matrix@team.example', role: 'staff' }],
          ['PATCH', `/v1/members/${ids.memberId}`, { role: 'owner' }],
          ['DELETE', `/v1/members/${ids.memberId}`],
        ];
        type Caller = { key?: string | null; token?: string };
        const refused: [string, Caller, number][] = [
          ['none', { key: null }, 401],
          ['publishable', {}, 403],
          ['customer', { token: customer.token }, 403],
          ['staff', { token: staff.token }, 403],
          [
            'another store’s publishable key with this store’s owner token',
            {
              key: other.body.publishableKey,
              token: owner.token,
            },
            401,
          ],
        ];
        const ids = await targets();
        const before = await fingerprint(t);
        const ourState = await storeState(t, t.store.storeId);
        for (const [who, caller, want] of refused) {
          for (const [method, path, body] of routes(ids)) {
            const reply = await t.call(method, path, { ...caller, body });
            assert.equal(reply.status, want, `${method} ${path} as ${who}: ${JSON.stringify(reply.body)}`);
            assert.match(reply.headers.get('content-type') ?? '', /problem\+json/);
          }
        }
        assert.deepEqual(await fingerprint(t), before, 'refused callers changed nothing');

        // Another store's key: this store's ids are 404; its lists and creations are its own store's.
        const otherKey = { key: other.body.secretKey as string };
        const ours = [t.store.storeId, ids.keyId, ids.memberId, staff.id, owner.id, customer.id];
        for (const [method, path, body] of routes(ids)) {
          const reply = await t.call(method, path, { ...otherKey, body });
          if (path.includes(ids.keyId) || path.includes(ids.memberId))
            assert.equal(reply.status, 404, `${method} ${path} with another store's key`);
          else assert.ok(reply.status < 300, `${method} ${path} on its own store: ${reply.status}`);
          for (const id of ours)
            assert.ok(!JSON.stringify(reply.body ?? '').includes(id), `${path} leaks ${id}`);
        }
        const theirs = await t.call('GET', '/v1/members', otherKey);
        assert.deepEqual(theirs.body.data.map((m: { email: string }) => m.email).sort(), [
          'matrix@team.example',
          'other@store.example',
        ]);
        assert.deepEqual(await storeState(t, t.store.storeId), ourState, 'nothing of this store changed');

        // Owner and secret key: every route answers 2xx.
        for (const [who, caller] of [
          ['owner', { token: owner.token }],
          ['secret', sk],
        ] as const) {
          const mine = await targets();
          for (const [method, path, body] of routes(mine)) {
            const reply = await t.call(method, path, { ...caller, body });
            assert.ok(
              reply.status === 200 || reply.status === 201,
              `${method} ${path} as ${who}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
            );
          }
        }
      }));

    it('bad input on every new route → 4xx problem+json, database unchanged', () =>
      withApp(kind, async (t) => {
        const sk = { key: t.store.secretKey };
        const customer = await t.customer();
        const owner = await signedInOwner(t);
        const publishable = await keyIdOf(t, t.store.publishableKey);
        const secret = await keyIdOf(t, t.store.secretKey);
        const revoked = await t.call('POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable' } });
        await t.call('POST', `/v1/api-keys/${revoked.body.id}/revoke`, sk);
        const rolled = await t.call('POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable' } });
        await t.call('POST', `/v1/api-keys/${rolled.body.id}/roll`, sk);
        const member = await t.call('POST', '/v1/members/invitations', {
          ...sk,
          body: { email: 'sam@team.example', role: 'staff' },
        });
        const unknown = '00000000-0000-4000-8000-000000000000';
        const many = Array.from({ length: 21 }, (_, i) => `https://s${i}.example`);
        const json = { 'content-type': 'application/json' };
        const cases: [string, string, Record<string, unknown>, number][] = [
          ['GET', '/v1/api-keys?limit=0', sk, 400],
          ['GET', '/v1/api-keys?limit=101', sk, 400],
          ['GET', `/v1/api-keys?startingAfter=${unknown}`, sk, 400],
          ['GET', '/v1/api-keys?startingAfter=nope', sk, 400],
          ['GET', `/v1/api-keys/${unknown}`, sk, 404],
          ['GET', '/v1/api-keys/nope', sk, 404],
          ['POST', '/v1/api-keys', { ...sk, body: {} }, 400],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'root' } }, 400],
          [
            'POST',
            '/v1/api-keys',
            { ...sk, body: { kind: 'secret', allowedOrigins: ['https://a.example'] } },
            400,
          ],
          [
            'POST',
            '/v1/api-keys',
            { ...sk, body: { kind: 'publishable', allowedOrigins: ['https://a.example/x'] } },
            400,
          ],
          [
            'POST',
            '/v1/api-keys',
            { ...sk, body: { kind: 'publishable', allowedOrigins: ['https://a.example/'] } },
            400,
          ],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable', allowedOrigins: ['*'] } }, 400],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable', allowedOrigins: many } }, 400],
          [
            'POST',
            '/v1/api-keys',
            { ...sk, body: { kind: 'publishable', allowedOrigins: 'https://a.example' } },
            400,
          ],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable', label: '   ' } }, 400],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable', label: 'x'.repeat(101) } }, 400],
          ['POST', '/v1/api-keys', { ...sk, body: { kind: 'publishable', secret: 'pk_test_mine' } }, 400],
          ['POST', '/v1/api-keys', { ...sk, body: [{ kind: 'publishable' }] }, 400],
          ['POST', '/v1/api-keys', { ...sk, rawBody: '{"kind":', headers: json }, 400],
          [
            'POST',
            '/v1/api-keys',
            { ...sk, rawBody: 'kind=secret', headers: { 'content-type': 'text/plain' } },
            415,
          ],
          [
            'PATCH',
            `/v1/api-keys/${publishable}`,
            { ...sk, body: { allowedOrigins: ['ftp://a.example'] } },
            400,
          ],
          ['PATCH', `/v1/api-keys/${publishable}`, { ...sk, body: { label: 5 } }, 400],
          ['PATCH', `/v1/api-keys/${publishable}`, { ...sk, body: { kind: 'secret' } }, 400],
          [
            'PATCH',
            `/v1/api-keys/${secret}`,
            { ...sk, body: { allowedOrigins: ['https://a.example'] } },
            400,
          ],
          ['PATCH', `/v1/api-keys/${revoked.body.id}`, { ...sk, body: { label: 'back' } }, 409],
          ['PATCH', `/v1/api-keys/${unknown}`, { ...sk, body: { label: 'x' } }, 404],
          ['PATCH', '/v1/api-keys/nope', { ...sk, body: { label: 'x' } }, 404],
          ['POST', `/v1/api-keys/${secret}/roll`, { ...sk, body: { expiresPreviousAfter: -1 } }, 400],
          ['POST', `/v1/api-keys/${secret}/roll`, { ...sk, body: { expiresPreviousAfter: 604_801 } }, 400],
          ['POST', `/v1/api-keys/${secret}/roll`, { ...sk, body: { expiresPreviousAfter: 1.5 } }, 400],
          ['POST', `/v1/api-keys/${secret}/roll`, { ...sk, body: { expiresPreviousAfter: '60' } }, 400],
          ['POST', `/v1/api-keys/${secret}/roll`, { ...sk, body: { expiresInSeconds: 60 } }, 400],
          ['POST', `/v1/api-keys/${revoked.body.id}/roll`, sk, 409],
          ['POST', `/v1/api-keys/${rolled.body.id}/roll`, sk, 409],
          ['POST', `/v1/api-keys/${unknown}/roll`, sk, 404],
          ['POST', `/v1/api-keys/${unknown}/revoke`, sk, 404],
          ['POST', '/v1/api-keys/nope/revoke', sk, 404],
          ['POST', `/v1/api-keys/${secret}/revoke`, sk, 409],
          ['GET', '/v1/members?limit=0', sk, 400],
          ['GET', `/v1/members?startingAfter=${customer.id}`, sk, 400],
          ['GET', `/v1/members/${customer.id}`, sk, 404],
          ['GET', '/v1/members/nope', sk, 404],
          ['POST', '/v1/members/invitations', { ...sk, body: { email: 'nope', role: 'staff' } }, 400],
          ['POST', '/v1/members/invitations', { ...sk, body: { email: 'a@b.example', role: 'admin' } }, 400],
          [
            'POST',
            '/v1/members/invitations',
            { ...sk, body: { email: 'a@b.example', role: 'customer' } },
            400,
          ],
          ['POST', '/v1/members/invitations', { ...sk, body: { email: 'a@b.example' } }, 400],
          [
            'POST',
            '/v1/members/invitations',
            { ...sk, body: { email: 'a@b.example', role: 'staff', name: '' } },
            400,
          ],
          [
            'POST',
            '/v1/members/invitations',
            { ...sk, body: { email: 'a@b.example', role: 'staff', x: 1 } },
            400,
          ],
          [
            'POST',
            '/v1/members/invitations',
            { ...sk, body: { email: `${'a'.repeat(250)}@b.example`, role: 'staff' } },
            400,
          ],
          ['POST', '/v1/members/invitations', { ...sk, body: { email: owner.email, role: 'staff' } }, 409],
          ['PATCH', `/v1/members/${member.body.id}`, { ...sk, body: { role: 'admin' } }, 400],
          ['PATCH', `/v1/members/${member.body.id}`, { ...sk, body: {} }, 400],
          ['PATCH', `/v1/members/${member.body.id}`, { ...sk, rawBody: '', headers: json }, 400],
          ['PATCH', `/v1/members/${customer.id}`, { ...sk, body: { role: 'staff' } }, 404],
          ['PATCH', `/v1/members/${owner.id}`, { ...sk, body: { role: 'staff' } }, 409],
          ['DELETE', `/v1/members/${owner.id}`, sk, 409],
          ['DELETE', `/v1/members/${customer.id}`, sk, 404],
          ['DELETE', `/v1/members/${unknown}`, sk, 404],
          ['DELETE', '/v1/members/nope', sk, 404],
        ];
        const before = await fingerprint(t);
        for (const [method, path, options, want] of cases) {
          const reply = await t.call(method, path, options);
          assert.equal(
            reply.status,
            want,
            `${method} ${path} ${JSON.stringify(options['body'])}: ${JSON.stringify(reply.body)}`,
          );
          assert.match(reply.headers.get('content-type') ?? '', /application\/problem\+json/);
          if (want === 409)
            assert.match(
              reply.body.code,
              /^(api_key_inactive|api_key_rolled|last_secret_key|last_owner|member_exists)$/,
            );
        }
        assert.deepEqual(await fingerprint(t), before);
      }));
  });
}
