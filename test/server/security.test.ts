/**
 * The promises of docs/security.md that one process can show: disabling customers, CORS only for a known publishable
 * key whose origins match, security headers on every answer. (Revocation across processes: test/concurrency.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { schema } from '../../examples/server/db/index.js';
import { hashKey } from '../../examples/server/http/auth.js';
import { revokeApiKey } from '../../examples/server/domain/access.js';
import { systemActor } from '../../examples/server/domain/audit.js';
import { createStore, createUser } from '../../examples/server/seed.js';
import { createApp } from '../../examples/server/app.js';
import { ManualClock } from '../../examples/server/clock.js';
import {
  demoCsp,
  mountDemoStore,
  STAFF_CSP,
  type DemoStoreOptions,
} from '../../examples/server/demo-store.js';
import { loadConfig } from '../../examples/server/config.js';
import { checkDestination, guardedLookup } from '../../examples/server/domain/webhook-url.js';
import { defaultRateLimits, RateLimiter } from '../../examples/server/http/rate-limit.js';
import { ApiError } from '../../examples/server/http/problem.js';
import { createTestDatabase, databaseKinds } from '../support/db.js';
import { withApp, type Reply, type TestApp } from '../support/app.js';

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';

async function restrictOrigins(t: TestApp, origins: string[]) {
  const k = schema.apiKeys;
  await t.handle.db
    .update(k)
    .set({ allowedOrigins: origins })
    .where(eq(k.keyHash, hashKey(t.store.publishableKey)));
  t.dropslot.services.keys.clear();
}

const acao = (reply: Reply) => reply.headers.get('access-control-allow-origin');
const varies = (reply: Reply) => /\bOrigin\b/.test(reply.headers.get('vary') ?? '');

for (const kind of databaseKinds) {
  describe(`security (${kind})`, () => {
    it('disables and enables a customer: secret key or owner only; the token is refused at once', () =>
      withApp(kind, async (t) => {
        const shopper = await t.customer();
        const me = () => t.call('GET', '/v1/customers/me', { token: shopper.token });
        assert.equal((await me()).status, 200);
        const path = `/v1/customers/${shopper.id}/disable`;

        // A publishable key alone, a customer and a staff member may not.
        assert.equal((await t.call('POST', path)).status, 403);
        assert.equal((await t.call('POST', path, { token: (await t.customer()).token })).status, 403);
        assert.equal((await t.call('POST', path, { token: (await t.staff()).token })).status, 403);
        // Another store's secret key does not find the customer.
        const other = await createStore(
          t.handle.db,
          { name: 'Other', slug: `o-${Date.now()}` },
          t.clock.now(),
        );
        assert.equal((await t.call('POST', path, { key: other.secretKey })).status, 404);
        assert.equal((await me()).status, 200);

        // An owner signed in with the publishable key may.
        const email = `owner-${Date.now()}@test.example`;
        await createUser(
          t.handle.db,
          t.store.storeId,
          { email, password: 'owner-passphrase-long', roles: ['owner'] },
          t.clock.now(),
        );
        const owner = await t.call('POST', '/v1/customers/sign-in', {
          body: { email, password: 'owner-passphrase-long' },
        });
        const disabled = await t.call('POST', path, { token: owner.body.token });
        assert.equal(disabled.status, 200);
        assert.equal(disabled.body.status, 'disabled');
        const refused = await me();
        assert.equal(refused.status, 401);
        assert.equal(refused.body.code, 'invalid_customer_token');
        // Idempotent, then enabled again with the secret key.
        assert.equal((await t.call('POST', path, { key: t.store.secretKey })).body.status, 'disabled');
        const enabled = await t.call('POST', `/v1/customers/${shopper.id}/enable`, {
          key: t.store.secretKey,
        });
        assert.equal(enabled.body.status, 'active');
        assert.equal((await me()).status, 200);
        const audit = await t.handle.db
          .select()
          .from(schema.auditLogs)
          .where(eq(schema.auditLogs.entityId, shopper.id));
        assert.deepEqual(
          audit
            .map((row) => row.action)
            .filter((a) => a.startsWith('customer.'))
            .sort(),
          ['customer.create', 'customer.disable', 'customer.enable'],
        );
      }));

    it('a revoked key is refused at once, without clearing any cache', () =>
      withApp(kind, async (t) => {
        assert.equal((await t.call('GET', '/v1/store')).status, 200);
        const [row] = await t.handle.db
          .select()
          .from(schema.apiKeys)
          .where(eq(schema.apiKeys.keyHash, hashKey(t.store.publishableKey)));
        await revokeApiKey(t.handle.db, systemActor(t.store.storeId), row!.id, t.clock.now());
        for (let i = 0; i < 50 && (await t.call('GET', '/v1/store')).status === 200; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const after = await t.call('GET', '/v1/store');
        assert.equal(after.status, 401);
        assert.equal(after.body.code, 'invalid_api_key');
      }));

    it('CORS: the exact origin only on answers to a publishable key that allows it; never to refusals or sk', () =>
      withApp(kind, async (t) => {
        // A key that allows any origin: answers (successes and domain refusals) carry the exact origin.
        const open = await t.call('GET', '/v1/drops', { headers: { origin: EVIL } });
        assert.equal(acao(open), EVIL);
        assert.ok(varies(open));
        const tokenRefused = await t.call('GET', '/v1/customers/me', {
          token: 'not-a-token',
          headers: { origin: EVIL },
        });
        assert.equal(tokenRefused.status, 401);
        assert.equal(acao(tokenRefused), EVIL, 'a widget reads that its token expired');

        await restrictOrigins(t, [SHOP]);
        const cases: [string, Reply, string | null][] = [
          ['allowed origin', await t.call('GET', '/v1/drops', { headers: { origin: SHOP } }), SHOP],
          ['allowed origin, 404', await t.call('GET', '/v1/drops/nope', { headers: { origin: SHOP } }), SHOP],
          ['other origin (403)', await t.call('GET', '/v1/drops', { headers: { origin: EVIL } }), null],
          [
            'secret key',
            await t.call('GET', '/v1/drops', { key: t.store.secretKey, headers: { origin: SHOP } }),
            null,
          ],
          ['no key', await t.call('GET', '/v1/drops', { key: null, headers: { origin: SHOP } }), null],
          [
            'unknown key',
            await t.call('GET', '/v1/drops', { key: `pk_test_${'z'.repeat(24)}`, headers: { origin: SHOP } }),
            null,
          ],
          [
            'malformed key',
            await t.call('GET', '/v1/drops', { key: 'pk_nope', headers: { origin: SHOP } }),
            null,
          ],
          ['no route, other origin', await t.call('GET', '/v1/nope', { headers: { origin: EVIL } }), null],
        ];
        for (const [label, reply, expected] of cases) {
          assert.equal(acao(reply), expected, label);
          assert.ok(varies(reply), `${label}: Vary: Origin`);
          if (!expected) assert.equal(reply.headers.get('access-control-expose-headers'), null, label);
        }
        assert.equal(cases[2]![1].body.code, 'origin_not_allowed');

        // The revoked key's answers lose it too.
        const [row] = await t.handle.db
          .select()
          .from(schema.apiKeys)
          .where(eq(schema.apiKeys.keyHash, hashKey(t.store.publishableKey)));
        await revokeApiKey(t.handle.db, systemActor(t.store.storeId), row!.id, t.clock.now());
        await new Promise((resolve) => setTimeout(resolve, 100));
        const revoked = await t.call('GET', '/v1/drops', { headers: { origin: SHOP } });
        assert.equal(revoked.status, 401);
        assert.equal(acao(revoked), null);
      }));

    it('CORS preflight: allowed only for an origin some publishable key allows; no data, Vary: Origin', () =>
      withApp(kind, async (t) => {
        const preflight = (origin: string) =>
          t.call('OPTIONS', '/v1/reservations', {
            key: null,
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'authorization, content-type',
            },
          });
        // Every key in this database is restricted to the shop: other origins are stopped at the preflight.
        const k = schema.apiKeys;
        await t.handle.db
          .update(k)
          .set({ allowedOrigins: [SHOP] })
          .where(eq(k.kind, 'publishable'));
        t.dropslot.services.keys.clear();
        const good = await preflight(SHOP);
        assert.equal(good.status, 204);
        assert.equal(acao(good), SHOP);
        assert.match(good.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
        assert.equal(good.body, undefined);
        assert.ok(varies(good));
        const bad = await preflight(EVIL);
        assert.equal(bad.status, 204);
        assert.equal(acao(bad), null);
        assert.equal(bad.headers.get('access-control-allow-methods'), null);
        assert.ok(varies(bad));
        assert.equal(acao(await preflight('null')), null);
      }));

    it('nosniff on every answer; no-store on every /v1 answer (and any answer that did not choose)', () =>
      withApp(kind, async (t) => {
        const { slotIds, dropId } = await t.drop({ capacity: 2 });
        const shopper = await t.customer();
        const replies: [string, Reply][] = [
          ['time', await t.call('GET', '/v1/time', { key: null })],
          ['store', await t.call('GET', '/v1/store')],
          ['drops', await t.call('GET', '/v1/drops')],
          [
            'hold with QR token',
            await t.call('POST', '/v1/reservations', { token: shopper.token, body: { slotId: slotIds[0] } }),
          ],
          ['reservations', await t.call('GET', '/v1/reservations', { token: shopper.token })],
          [
            'customer session',
            await t.call('POST', '/v1/customer-sessions', {
              key: t.store.secretKey,
              body: { externalId: 'x1' },
            }),
          ],
          ['401', await t.call('GET', '/v1/store', { key: null })],
          ['404 route', await t.call('GET', '/v1/nope')],
          ['preflight', await t.call('OPTIONS', '/v1/drops', { key: null, headers: { origin: SHOP } })],
          ['healthz', await t.call('GET', '/healthz', { key: null })],
          ['404 page', await t.call('GET', '/nothing-here', { key: null })],
        ];
        assert.equal(replies[3]![1].status, 201);
        assert.ok(replies[3]![1].body.qrToken ?? true);
        for (const [label, reply] of replies) {
          assert.equal(reply.headers.get('x-content-type-options'), 'nosniff', label);
          assert.equal(reply.headers.get('cache-control'), 'no-store', label);
        }
        const stream = await fetch(`${t.baseUrl}/v1/drops/${dropId}/stream`, {
          headers: { authorization: `Bearer ${t.store.publishableKey}` },
        });
        assert.equal(stream.headers.get('x-content-type-options'), 'nosniff');
        assert.equal(stream.headers.get('cache-control'), 'no-store');
        await stream.body!.cancel();
      }));
  });
}

describe('page headers', () => {
  it("staff desk is never framed; shop pages are framed as configured; base-uri 'none', form-action 'self'", async () => {
    const database = await createTestDatabase('pglite');
    const handle = await database.open();
    const clock = new ManualClock(new Date('2030-03-01T09:00:00.000Z'));
    let options: DemoStoreOptions | undefined;
    const dropslot = await createApp({
      db: handle,
      clock,
      extend: (app) => mountDemoStore(app, () => options),
    });
    try {
      const store = await createStore(handle.db, { name: 'Framed', slug: 'framed' }, clock.now());
      options = { storeId: store.storeId, publishableKey: store.publishableKey };
      const get = (path: string) => dropslot.app.request(path);
      const staff = await get('/staff');
      assert.equal(staff.status, 200);
      const staffCsp = staff.headers.get('content-security-policy') ?? '';
      assert.equal(staffCsp, STAFF_CSP);
      assert.match(staffCsp, /frame-ancestors 'none'/);
      assert.equal(staff.headers.get('x-frame-options'), 'DENY');
      for (const path of ['/', '/rentals', `/ticket/${crypto.randomUUID()}`, '/staff']) {
        const page = await get(path);
        assert.equal(page.status, 200, path);
        const csp = page.headers.get('content-security-policy') ?? '';
        assert.match(csp, /base-uri 'none'/, path);
        assert.match(csp, /form-action 'self'/, path);
        assert.match(csp, /frame-ancestors /, path);
        assert.equal(page.headers.get('x-content-type-options'), 'nosniff', path);
        assert.equal(page.headers.get('cache-control'), 'no-store', path);
      }
      assert.match((await get('/')).headers.get('content-security-policy')!, /frame-ancestors 'self'(;|$)/);
      options = { ...options, frameAncestors: ["'self'", 'https://partner.example'] };
      const framed = await get('/');
      assert.equal(
        framed.headers.get('content-security-policy'),
        demoCsp(["'self'", 'https://partner.example']),
      );
      assert.match((await get('/staff')).headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    } finally {
      await dropslot.close();
      await handle.close();
      await database.drop();
    }
  });

  it('STORE_FRAME_ANCESTORS configures who may frame the shop pages', () => {
    assert.deepEqual(loadConfig({}).storeFrameAncestors, ["'self'"]);
    assert.deepEqual(loadConfig({ STORE_FRAME_ANCESTORS: "'none'" }).storeFrameAncestors, []);
    assert.deepEqual(
      loadConfig({ STORE_FRAME_ANCESTORS: "'self' https://partner.example" }).storeFrameAncestors,
      ["'self'", 'https://partner.example'],
    );
    assert.throws(() =>
      loadConfig({ STORE_FRAME_ANCESTORS: "https://x.example; script-src 'unsafe-inline'" }),
    );
  });
});

describe('webhook receivers (SSRF)', () => {
  it('private and loopback receivers only when switched on; never link-local or metadata', async () => {
    // The default is off whatever the database (the embedded PGlite demo included).
    assert.equal(loadConfig({}).webhookAllowPrivateUrls, false);
    assert.equal(loadConfig({ NODE_ENV: 'development' }).webhookAllowPrivateUrls, false);
    assert.equal(loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'true' }).webhookAllowPrivateUrls, true);
    assert.throws(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_URLS: 'yes' }));

    const dns: Record<string, string[]> = {
      'metadata.example.test': ['169.254.169.254'],
      'aws6.example.test': ['fd00:ec2::254'],
      'lan.example.test': ['192.168.1.20'],
    };
    const resolve = async (host: string) => dns[host] ?? [];
    const check = (url: string, allowPrivate: boolean) => checkDestination(url, { allowPrivate, resolve });
    const devOnly = [
      'http://127.0.0.1:4000/hook',
      'http://[::1]/hook',
      'http://10.0.0.5/',
      'http://lan.example.test/',
      'http://[fd12:3456::1]/',
    ];
    const never = [
      'http://169.254.169.254/latest/meta-data',
      'http://metadata.example.test/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://aws6.example.test/',
      'http://100.100.100.200/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
    ];
    for (const url of [...devOnly, ...never]) {
      await assert.rejects(check(url, false), /public addresses only/, url);
    }
    for (const url of devOnly) assert.ok((await check(url, true)).length > 0, url);
    for (const url of never) await assert.rejects(check(url, true), /never go to link-local/, url);

    // The connection's own lookup (DNS rebinding) follows the same rule.
    const lookup = guardedLookup({ allowPrivate: true, resolve });
    const looked = (host: string) =>
      new Promise<string>((done, fail) =>
        lookup(host, {}, (error, address) => (error ? fail(error) : done(String(address)))),
      );
    assert.equal(await looked('lan.example.test'), '192.168.1.20');
    await assert.rejects(looked('metadata.example.test'));
  });

  it('an endpoint on the metadata address is refused even with private receivers switched on', () =>
    withApp(
      'pglite',
      async (t) => {
        const create = (url: string) =>
          t.call('POST', '/v1/webhook-endpoints', { key: t.store.secretKey, body: { url } });
        const metadata = await create('http://169.254.169.254/latest/meta-data');
        assert.equal(metadata.status, 422);
        assert.equal(metadata.body.code, 'url_not_allowed');
        assert.equal((await create('http://127.0.0.1:4000/hook')).status, 201);
      },
      { webhooks: { allowPrivateUrls: true } },
    ));
});

describe('accounts', () => {
  it('refuses common, guessable and personal passwords at sign-up, with the reason on body.password', () =>
    withApp('pglite', async (t) => {
      const signUp = (email: string, password: string, name?: string) =>
        t.call('POST', '/v1/customers/sign-up', { body: { email, password, ...(name && { name }) } });
      const weak: [string, string, string?][] = [
        ['ada@example.com', 'password'],
        ['ada@example.com', 'aaaaaaaa'],
        ['ada@example.com', '12345678910'],
        ['ada@example.com', 'ada@example.com'],
        ['ada.lovelace@example.com', 'ada.lovelace-2030'],
        ['grace@example.com', 'Test store 2030!'],
        ['grace@example.com', 'grace hopper!!', 'Grace Hopper'],
        ['grace@example.com', 'qwertyuiop'],
      ];
      for (const [email, password, name] of weak) {
        const reply = await signUp(email, password, name);
        assert.equal(reply.status, 400, `${password}: ${JSON.stringify(reply.body)}`);
        assert.equal(reply.body.code, 'validation_failed');
        assert.equal(reply.body.errors[0].path, 'body.password', password);
      }
      assert.equal(await t.handle.db.$count(schema.users), 0);
      assert.equal((await signUp('ada@example.com', 'violet kettle orbit')).status < 300, true);
    }));

  it('locks an account after 5 failed sign-ins with a growing backoff, beside the per-IP limit', () =>
    withApp(
      'pglite',
      async (t) => {
        const email = 'locked@test.example';
        await createUser(
          t.handle.db,
          t.store.storeId,
          { email, password: 'violet kettle orbit', roles: ['customer'] },
          t.clock.now(),
        );
        const signIn = (password: string, who = email) =>
          t.call('POST', '/v1/customers/sign-in', { body: { email: who, password } });
        for (let i = 0; i < 5; i++) assert.equal((await signIn('wrong guess')).status, 401);
        assert.equal((await signIn('wrong guess')).status, 401, 'the 6th failure is judged, then locks');
        const locked = await signIn('violet kettle orbit');
        assert.equal(locked.status, 429);
        assert.equal(locked.body.code, 'rate_limited');
        assert.ok(Number(locked.headers.get('retry-after')) >= 1);
        // Another account from the same IP is not locked.
        assert.equal((await signIn('nope', 'other@test.example')).status, 401);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        assert.equal((await signIn('wrong again')).status, 401, 'lock of 1 s over');
        const longer = await signIn('violet kettle orbit');
        assert.equal(longer.status, 429);
        assert.ok(Number(longer.headers.get('retry-after')) >= 2, 'the next lock is longer');
        await new Promise((resolve) => setTimeout(resolve, 2_100));
        assert.equal((await signIn('violet kettle orbit')).status, 200);
        // Success forgets the failures: one wrong attempt does not lock.
        assert.equal((await signIn('wrong guess')).status, 401);
        assert.equal((await signIn('violet kettle orbit')).status, 200);
      },
      { rateLimits: { ...defaultRateLimits, authPerIp: { points: 1000, duration: 60 } } },
    ));

  it('refund gives a replayed request its point back', async () => {
    const database = await createTestDatabase('pglite');
    const handle = await database.open();
    try {
      const limiter = new RateLimiter(handle, {
        ...defaultRateLimits,
        reservePerCustomer: { points: 2, duration: 60 },
      });
      const c = { req: { header: () => undefined } } as never;
      const auth = {
        storeId: 's',
        keyId: 'k',
        keyKind: 'publishable' as const,
        allowedOrigins: [],
        userId: 'u1',
      };
      const noop = { header() {} };
      const ctx = Object.assign(c, noop);
      await limiter.consume(ctx, 'reserve', auth);
      await limiter.consume(ctx, 'reserve', auth);
      await limiter.refund(ctx, 'reserve', auth);
      await limiter.consume(ctx, 'reserve', auth);
      await assert.rejects(
        limiter.consume(ctx, 'reserve', auth),
        (e) => e instanceof ApiError && e.status === 429,
      );
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
