/**
 * Revocation across processes: PostgreSQL, two server processes that have both just served the credential (so both
 * hold it in their caches). A disabled customer's token, a revoked key and a removed staff role are refused by the
 * other process within 1 s, with no TTL to wait out: the change is announced on the events channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { schema, type DatabaseHandle } from '../../examples/server/db/index.js';
import { removeRole, revokeApiKey } from '../../examples/server/domain/access.js';
import { systemActor } from '../../examples/server/domain/audit.js';
import { hashKey } from '../../examples/server/http/auth.js';
import { createStore, createUser, type CreatedStore } from '../../examples/server/seed.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-05-01T08:00:00.000Z');

describe('revocation on PostgreSQL with 2 server processes', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let cluster: Cluster;
  let store: CreatedStore;

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
    store = await createStore(handle.db, { name: 'Revoking store', slug: 'revoke' }, new Date(NOW));
    cluster = await startCluster({
      processes: 2,
      databaseUrl: database.url!,
      clockStart: NOW,
      env: { RATE_LIMITS: 'off' },
    });
  });
  after(async () => {
    await cluster?.stop();
    await handle?.close();
    await database?.drop();
  });

  const call = async (
    url: string,
    method: string,
    path: string,
    key: string,
    options: { token?: string; body?: unknown } = {},
  ) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(options.token && { 'x-customer-token': options.token }),
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };

  /** Polls `probe` on every process until each answers `status`; the time the slowest took, in ms. */
  const refusedWithin = async (probe: (url: string) => Promise<number>, status: number) => {
    const started = performance.now();
    const took = await Promise.all(
      cluster.urls.map(async (url) => {
        for (;;) {
          const got = await probe(url);
          if (got === status) return performance.now() - started;
          if (performance.now() - started > 5_000) throw new Error(`${url} still answers ${got} after 5 s`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
    );
    return Math.max(...took);
  };

  it("a disabled customer's token is refused by every process within 1 s; enabling restores it", async () => {
    const [one, two] = cluster.urls as [string, string];
    const session = await call(one, 'POST', '/v1/customer-sessions', store.secretKey, {
      body: { externalId: 'shopper-1' },
    });
    assert.equal(session.status, 201);
    const token = session.body!.token as string;
    const customerId = session.body!.customer.id as string;
    const me = (url: string) =>
      call(url, 'GET', '/v1/customers/me', store.publishableKey, { token }).then((r) => r.status);
    // Both processes have verified (and cached) the token.
    assert.deepEqual([await me(one), await me(two)], [200, 200]);

    const disabled = await call(two, 'POST', `/v1/customers/${customerId}/disable`, store.secretKey);
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body!.status, 'disabled');
    const took = await refusedWithin(me, 401);
    assert.ok(took < 1_000, `refused everywhere after ${Math.round(took)} ms`);
    // Nor can a new token be minted for them.
    const again = await call(one, 'POST', '/v1/customer-sessions', store.secretKey, {
      body: { externalId: 'shopper-1' },
    });
    assert.equal(again.status, 403);

    const enabled = await call(one, 'POST', `/v1/customers/${customerId}/enable`, store.secretKey);
    assert.equal(enabled.body!.status, 'active');
    assert.ok((await refusedWithin(me, 200)) < 1_000);
  });

  it('a removed staff member is refused by every process within 1 s', async () => {
    const email = 'leaving@staff.example';
    const staffId = await createUser(
      handle.db,
      store.storeId,
      { email, password: 'a-long-staff-passphrase', roles: ['staff'] },
      new Date(NOW),
    );
    const signIn = await call(cluster.urls[0]!, 'POST', '/v1/customers/sign-in', store.publishableKey, {
      body: { email, password: 'a-long-staff-passphrase' },
    });
    assert.equal(signIn.status, 200);
    const token = signIn.body!.token as string;
    // A staff route: an unknown product is 404 for staff, 403 for anyone else.
    const units = (url: string) =>
      call(url, 'GET', `/v1/products/${crypto.randomUUID()}/units`, store.publishableKey, { token }).then(
        (r) => r.status,
      );
    assert.deepEqual(await Promise.all(cluster.urls.map(units)), [404, 404]);

    assert.equal(
      await removeRole(handle.db, systemActor(store.storeId), staffId, 'staff', new Date(NOW)),
      true,
    );
    const took = await refusedWithin(units, 403);
    assert.ok(took < 1_000, `refused everywhere after ${Math.round(took)} ms`);
  });

  it('a revoked publishable and secret key are refused by every process within 1 s', async () => {
    const products = (key: string) => (url: string) =>
      call(url, 'GET', '/v1/products', key).then((r) => r.status);
    for (const key of [store.publishableKey, store.secretKey]) {
      // Both processes have looked the key up (and cached it).
      assert.deepEqual(await Promise.all(cluster.urls.map(products(key))), [200, 200]);
      const [row] = await handle.db
        .select()
        .from(schema.apiKeys)
        .where(eq(schema.apiKeys.keyHash, hashKey(key)));
      await revokeApiKey(handle.db, systemActor(store.storeId), row!.id, new Date(NOW));
      const took = await refusedWithin(products(key), 401);
      assert.ok(took < 1_000, `refused everywhere after ${Math.round(took)} ms`);
    }
    const audit = await handle.db
      .select()
      .from(schema.auditLogs)
      .where(eq(schema.auditLogs.action, 'api_key.revoke'));
    assert.equal(audit.length, 2);
  });
});
