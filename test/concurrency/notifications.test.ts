/**
 * Notifications under real concurrency: PostgreSQL, two server processes running their notification passes at the
 * same time over the same queue. Every event is derived once and every notification is sent exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows, transaction, type DatabaseHandle } from '../../examples/server/db/index.js';
import { recordEvent } from '../../examples/server/domain/events.js';
import { createStore } from '../../examples/server/seed.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-09-01T08:00:00.000Z');
const ROUNDS = 4;
const PER_ROUND = 150;

describe('notifications on PostgreSQL with 2 server processes', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let cluster: Cluster;
  let dir: string;
  let file: string;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dropslot-notify-cluster-'));
    file = path.join(dir, 'sent.jsonl');
    database = await createTestDatabase('postgres');
    handle = await database.open(4);
    cluster = await startCluster({
      processes: 2,
      databaseUrl: database.url!,
      clockStart: NOW,
      env: { NOTIFY_LOG_FILE: file, NOTIFY_BATCH: '5', RATE_LIMITS: 'off' },
    });
  });
  after(async () => {
    await cluster?.stop();
    await handle?.close();
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of ${PER_ROUND} receipts, both processes passing at once: each sent exactly once`, async () => {
    const now = new Date(NOW);
    const store = await createStore(handle.db, { name: 'Busy store', slug: 'notify-load' }, now);
    const [customer] = await rows<{ id: string }>(
      handle.db,
      sql`insert into users (store_id, email, name) values (${store.storeId}, 'busy@test.example', 'Busy')
          returning id`,
    );
    let total = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await transaction(handle.db, async (tx) => {
        for (let i = 0; i < PER_ROUND; i++) {
          const paymentId = crypto.randomUUID();
          await recordEvent(tx, {
            storeId: store.storeId,
            type: 'payment.succeeded',
            at: now,
            userId: customer!.id,
            data: {
              paymentId,
              amount: 500 + i,
              currency: 'EUR',
              invoiceId: paymentId,
              customerId: customer!.id,
            },
          });
        }
      });
      total += PER_ROUND;
      const results = (await cluster.notify()) as { derived: number; sent: number }[];
      assert.equal(
        results.reduce((sum, r) => sum + r.derived, 0),
        PER_ROUND,
        'every event derived by exactly one process',
      );
      assert.equal(
        results.reduce((sum, r) => sum + r.sent, 0),
        PER_ROUND,
        'every notification sent by exactly one process',
      );
    }
    const sent = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { notificationId: string; to: string });
    assert.equal(sent.length, total);
    assert.equal(new Set(sent.map((m) => m.notificationId)).size, total, 'no notification sent twice');
    assert.ok(sent.every((m) => m.to === 'busy@test.example'));
    const [counts] = await rows<{ sent: number; once: number; queued: number }>(
      handle.db,
      sql`select count(*) filter (where status = 'sent')::int as sent,
            count(*) filter (where attempts = 1)::int as once,
            (select count(*) from notification_inbox)::int as queued
          from notifications where store_id = ${store.storeId}`,
    );
    assert.deepEqual(counts, { sent: total, once: total, queued: 0 });
  });
});
