/**
 * The drop-day guarantees under real concurrency: PostgreSQL, two server processes, thousands of requests at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { setupHotDrop } from '../support/hot-drop.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-05-01T10:00:00.000Z');

interface Reply {
  status: number;
  body: Record<string, any>;
}

async function send(
  cluster: Cluster,
  i: number,
  path: string,
  key: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const url = cluster.urls[i % cluster.urls.length]!;
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'x-customer-token': token,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    // @ts-expect-error undici's fetch accepts a dispatcher
    dispatcher: cluster.agent,
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('hot drop on PostgreSQL with 2 server processes', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let cluster: Cluster;

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
    cluster = await startCluster({ processes: 2, databaseUrl: database.url!, clockStart: NOW });
  });
  after(async () => {
    await cluster?.stop();
    await handle?.close();
    await database?.drop();
  });

  it('2,000 concurrent reserves on 100 places: exactly 100 holds, every other call slot_full, no 5xx', async () => {
    const hot = await setupHotDrop(handle, { capacity: 100, customers: 2000, now: NOW });
    const replies = await Promise.all(
      hot.customers.map((c, i) =>
        send(cluster, i, '/v1/reservations', hot.store.publishableKey, c.token, { slotId: hot.slotId }),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const r of replies) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(byStatus), { 201: 100, 409: 1900 });
    assert.ok(replies.filter((r) => r.status === 409).every((r) => r.body.code === 'slot_full'));
    const [db] = await rows<{ holds: number; reserved: number; distinct_users: number }>(
      handle.db,
      sql`select (select count(*) from reservations where slot_id = ${hot.slotId})::int as holds,
                 (select capacity_reserved from slots where id = ${hot.slotId}) as reserved,
                 (select count(distinct user_id) from reservations where slot_id = ${hot.slotId})::int as distinct_users`,
    );
    assert.deepEqual(db, { holds: 100, reserved: 100, distinct_users: 100 });
  });

  it('the same Idempotency-Key sent 50 times at once makes 1 reservation', async () => {
    const hot = await setupHotDrop(handle, { capacity: 10, customers: 1, now: NOW });
    const [customer] = hot.customers;
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        send(
          cluster,
          i,
          '/v1/reservations',
          hot.store.publishableKey,
          customer!.token,
          { slotId: hot.slotId },
          {
            'idempotency-key': 'same-key-50',
          },
        ),
      ),
    );
    // A repeat waits for the first request with its key and replays its answer: all 50 are the one 201.
    const created = replies.filter((r) => r.status === 201);
    assert.equal(created.length, 50, JSON.stringify(replies.filter((r) => r.status !== 201)));
    assert.equal(new Set(created.map((r) => r.body.id)).size, 1);
    const [count] = await rows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from reservations where slot_id = ${hot.slotId}`,
    );
    assert.equal(count!.n, 1);
    // After the dust settles, a retry replays the one reservation.
    const replay = await send(
      cluster,
      0,
      '/v1/reservations',
      hot.store.publishableKey,
      customer!.token,
      { slotId: hot.slotId },
      {
        'idempotency-key': 'same-key-50',
      },
    );
    assert.equal(replay.status, 201);
    assert.equal(replay.body.id, created[0]!.body.id);
  });

  it('30 holds expiring and 30 cancellations at once: exactly 60 promotions, in waitlist order, each once', async () => {
    const hot = await setupHotDrop(handle, {
      capacity: 60,
      customers: 60 + 80,
      now: NOW,
      rule: { holdTtlSeconds: 60, claimTtlSeconds: 900 },
    });
    await cluster.setClock(NOW);
    const holders = hot.customers.slice(0, 60);
    const waiting = hot.customers.slice(60);
    const holds = await Promise.all(
      holders.map((c, i) =>
        send(cluster, i, '/v1/reservations', hot.store.publishableKey, c.token, { slotId: hot.slotId }),
      ),
    );
    assert.ok(holds.every((r) => r.status === 201));
    // The last 30 confirm (they will cancel); the first 30 stay holds (they will expire).
    await cluster.setClock(NOW + 30_000);
    for (let i = 30; i < 60; i++) {
      const confirmed = await send(
        cluster,
        i,
        `/v1/reservations/${holds[i]!.body.id}/confirm`,
        hot.store.publishableKey,
        holders[i]!.token,
      );
      assert.equal(confirmed.status, 200);
    }
    // 80 join the line one after another, so the expected order is known.
    const entries = [];
    for (let i = 0; i < waiting.length; i++) {
      const joined = await send(
        cluster,
        i,
        `/v1/slots/${hot.slotId}/waitlist`,
        hot.store.publishableKey,
        waiting[i]!.token,
        {},
      );
      assert.equal(joined.status, 201, JSON.stringify(joined.body));
      assert.equal(joined.body.position, i + 1);
      entries.push(joined.body);
    }
    await cluster.setClock(NOW + 61_000);
    const cancels = holds
      .slice(30)
      .map((h, i) =>
        send(
          cluster,
          i,
          `/v1/reservations/${h.body.id}/cancel`,
          hot.store.publishableKey,
          holders[30 + i]!.token,
        ),
      );
    const sweeps = [cluster.sweep(), cluster.sweep(), cluster.sweep()];
    const [cancelled, swept] = await Promise.all([Promise.all(cancels), Promise.all(sweeps)]);
    assert.ok(
      cancelled.every((r) => r.status === 200),
      JSON.stringify(cancelled.find((r) => r.status !== 200)),
    );
    assert.equal(
      swept.flat().reduce((a, b) => a + b, 0),
      30,
      'each of the 30 holds expired exactly once',
    );

    const promoted = await rows<{ position: number; user_id: string; state: string; reservations: number }>(
      handle.db,
      sql`select w.position::int as position, w.user_id, w.state,
            (select count(*) from reservations r where r.user_id = w.user_id and r.slot_id = w.slot_id
               and r.source = 'waitlist')::int as reservations
          from waitlist w where w.slot_id = ${hot.slotId} order by w.position`,
    );
    const promotedPositions = promoted.filter((p) => p.state === 'PROMOTED').map((p) => p.position);
    assert.deepEqual(
      promotedPositions,
      Array.from({ length: 60 }, (_, i) => i + 1),
      'the first 60 in line, no one skipped',
    );
    assert.ok(
      promoted.filter((p) => p.state === 'PROMOTED').every((p) => p.reservations === 1),
      'each promoted once',
    );
    assert.ok(promoted.filter((p) => p.state === 'WAITING').every((p) => p.reservations === 0));
    assert.equal(promoted.filter((p) => p.state === 'WAITING').length, 20);
    const [slot] = await rows<{ capacity_reserved: number; capacity_waitlist: number; pending: number }>(
      handle.db,
      sql`select capacity_reserved, capacity_waitlist,
            (select count(*) from reservations where slot_id = ${hot.slotId} and state = 'PENDING')::int as pending
          from slots where id = ${hot.slotId}`,
    );
    assert.deepEqual(slot, { capacity_reserved: 60, capacity_waitlist: 20, pending: 60 });
    const [audits] = await rows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from audit_logs where action = 'waitlist.promote' and store_id = ${hot.store.storeId}`,
    );
    assert.equal(audits!.n, 60);
    // Live positions of those still waiting start again at 1.
    const next = await fetch(`${cluster.urls[0]}/v1/waitlist/${entries[60]!.id}`, {
      headers: {
        authorization: `Bearer ${hot.store.publishableKey}`,
        'x-customer-token': waiting[60]!.token,
      },
    });
    assert.equal(((await next.json()) as { position: number }).position, 1);
  });
});
