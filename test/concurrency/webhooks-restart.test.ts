/**
 * A server process killed in the middle of a webhook delivery loses nothing: the message stays leased to the dead
 * process until the lease runs out, then another process delivers it with the same webhook-id. PostgreSQL, real
 * processes, a real receiver; two processes racing for the same messages send each once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { rows, transaction, type DatabaseHandle } from '../../examples/server/db/index.js';
import { recordEvent } from '../../examples/server/domain/events.js';
import { createStore } from '../../examples/server/seed.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';
import { startReceiver, type Received, type Receiver } from '../support/receiver.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-09-01T08:00:00.000Z');
const env = { WEBHOOK_ALLOW_PRIVATE_URLS: 'true', WEBHOOK_TIMEOUT_MS: '60000', RATE_LIMITS: 'off' };

function verify(secret: string, message: Received): unknown {
  const at = Number(message.headers['webhook-timestamp']) * 1000;
  const realNow = Date.now;
  Date.now = () => at;
  try {
    return new Webhook(secret).verify(message.body, message.headers as Record<string, string>);
  } finally {
    Date.now = realNow;
  }
}

describe('webhook delivery across processes on PostgreSQL', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let receiver: Receiver;
  const clusters: Cluster[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
    receiver = await startReceiver(200);
  });
  after(async () => {
    for (const cluster of clusters) await cluster.stop();
    await receiver?.close();
    await handle?.close();
    await database?.drop();
  });

  async function endpointFor(cluster: Cluster, secretKey: string, path: string) {
    const response = await fetch(`${cluster.urls[0]}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${receiver.url}${path}` }),
    });
    assert.equal(response.status, 201);
    return (await response.json()) as { id: string; secret: string };
  }

  async function emit(storeId: string, type: string, data: Record<string, unknown>) {
    await transaction(handle.db, (tx) => recordEvent(tx, { storeId, type, at: new Date(NOW), data }));
  }

  it('a process killed mid-delivery loses nothing: after the lease another process delivers, same webhook-id', async () => {
    const store = await createStore(handle.db, { name: 'Hooks', slug: 'hooks-restart' }, new Date(NOW));
    const first = await startCluster({ processes: 1, databaseUrl: database.url!, clockStart: NOW, env });
    clusters.push(first);
    const endpoint = await endpointFor(first, store.secretKey, '/killed');
    await emit(store.storeId, 'reservation.created', { reservationId: 'r-1' });

    receiver.script.push('hang');
    // The pass never returns: the receiver hangs and the process dies under it.
    void first.deliverWebhooks().catch(() => {});
    await receiver.waitFor(1);
    const [leased] = await rows<{ delivery_status: string; locked_until: Date | null }>(
      handle.db,
      sql`select delivery_status, locked_until from webhook_events where endpoint_id = ${endpoint.id}`,
    );
    assert.equal(leased!.delivery_status, 'pending');
    assert.ok(leased!.locked_until, 'leased to the first process');
    await first.kill(0, 'SIGKILL');

    const second = await startCluster({ processes: 1, databaseUrl: database.url!, clockStart: NOW, env });
    clusters.push(second);
    // Still leased to the dead process: not taken yet.
    assert.deepEqual(await second.deliverWebhooks(), [0]);
    await second.setClock(new Date(leased!.locked_until!).getTime() + 1);
    assert.deepEqual(await second.deliverWebhooks(), [1]);

    assert.equal(receiver.received.length, 2);
    const [killed, delivered] = receiver.received;
    assert.equal(delivered!.headers['webhook-id'], killed!.headers['webhook-id']);
    assert.equal((verify(endpoint.secret, delivered!) as { type: string }).type, 'reservation.created');
    verify(endpoint.secret, killed!);
    const [row] = await rows<{ delivery_status: string; attempts: number; lease_token: string | null }>(
      handle.db,
      sql`select delivery_status, lease_token,
            (select count(*)::int from webhook_attempts a where a.delivery_id = w.id) as attempts
          from webhook_events w where endpoint_id = ${endpoint.id}`,
    );
    assert.equal(row!.delivery_status, 'delivered');
    assert.equal(row!.lease_token, null);
    assert.equal(row!.attempts, 1, 'the killed attempt left no record; the retry did');
    await second.stop();
    clusters.pop();
  });

  it('two processes delivering at once send every message exactly once (SKIP LOCKED)', async () => {
    const store = await createStore(handle.db, { name: 'Hooks 2', slug: 'hooks-race' }, new Date(NOW));
    const cluster = await startCluster({ processes: 2, databaseUrl: database.url!, clockStart: NOW, env });
    clusters.push(cluster);
    const endpoint = await endpointFor(cluster, store.secretKey, '/race');
    const before = receiver.received.length;
    for (let i = 0; i < 120; i++) await emit(store.storeId, 'rental.created', { rentalOrderId: `o-${i}` });
    const passes = await Promise.all([cluster.deliverWebhooks(), cluster.deliverWebhooks()]);
    const attempted = passes.flat().reduce((a, b) => a + b, 0);
    // Batches of 50: whatever is left after the racing passes goes in later ones.
    let more = attempted;
    while (more < 120) more += (await cluster.deliverWebhooks()).reduce((a, b) => a + b, 0);
    assert.equal(more, 120);
    const got = receiver.received.slice(before).filter((r) => r.path === '/race');
    assert.equal(got.length, 120);
    assert.equal(new Set(got.map((r) => r.headers['webhook-id'])).size, 120);
    for (const message of got) verify(endpoint.secret, message);
    const [counts] = await rows<{ delivered: number; attempts: number }>(
      handle.db,
      sql`select count(*) filter (where delivery_status = 'delivered')::int as delivered,
            (select count(*)::int from webhook_attempts a join webhook_events e on e.id = a.delivery_id
             where e.endpoint_id = ${endpoint.id}) as attempts
          from webhook_events where endpoint_id = ${endpoint.id}`,
    );
    assert.deepEqual(counts, { delivered: 120, attempts: 120 });
  });
});
