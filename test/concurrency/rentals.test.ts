/**
 * No double rental under real concurrency: PostgreSQL, two server processes, 1,000 rental requests at once for random
 * periods over 60 days on 10 units.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Agent, request } from 'undici';
import { ManualClock } from '../../examples/server/clock.js';
import { rows, type DatabaseHandle } from '../../examples/server/db/index.js';
import { Tokens } from '../../examples/server/domain/tokens.js';
import { createRentalProduct, createStore } from '../../examples/server/seed.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../support/db.js';
import { startCluster, type Cluster } from '../support/cluster.js';

if (!postgresUrl) throw new Error('The concurrency suite needs PostgreSQL: set TEST_DATABASE_URL.');

const NOW = Date.parse('2030-08-01T08:00:00.000Z');
const HOUR = 3_600_000;
const REQUESTS = 1000;

describe('rentals on PostgreSQL with 2 server processes', () => {
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

  it('1,000 concurrent rentals of random periods on 10 units: no unit in two overlapping rentals', async () => {
    const now = new Date(NOW);
    const store = await createStore(handle.db, { name: 'Rental store', slug: 'rentals-load' }, now);
    const { productId } = await createRentalProduct(
      handle.db,
      store.storeId,
      {
        sku: 'CAM-1',
        name: 'Camera',
        basePriceCents: 2500,
        pricingUnit: 'day',
        units: 10,
        maintenanceUnits: 2,
      },
      now,
    );
    const users = await rows<{ id: string }>(
      handle.db,
      sql`insert into users (store_id, external_id) select ${store.storeId}, 'renter-' || g
          from generate_series(1, ${REQUESTS}) g returning id`,
    );
    const tokens = await Tokens.load(handle.db, new ManualClock(NOW));
    const customers = await Promise.all(
      users.map(
        async ({ id }) =>
          (await tokens.signCustomerToken({ userId: id, storeId: store.storeId }, 3600)).token,
      ),
    );
    // A fixed pseudo-random sequence: the test is repeatable.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const periods = customers.map(() => {
      const start = NOW + HOUR + Math.floor(random() * 58 * 24) * HOUR;
      return { start, end: start + (1 + Math.floor(random() * 96)) * HOUR };
    });

    const agent = new Agent({ connections: 512 });
    const replies = await Promise.all(
      customers.map(async (token, i) => {
        // As a real client does: one Idempotency-Key per order, and a 503 (the pool was busy for too long on a
        // loaded machine) retried after its Retry-After with the same key.
        const key = `rent-${i}`;
        for (let attempt = 1; ; attempt++) {
          const response = await request(`${cluster.urls[i % 2]}/v1/rentals`, {
            method: 'POST',
            dispatcher: agent,
            headers: {
              authorization: `Bearer ${store.publishableKey}`,
              'x-customer-token': token,
              'idempotency-key': key,
              'content-type': 'application/json',
            },
            body: JSON.stringify({
              items: [{ productId, quantity: 1 }],
              start: new Date(periods[i]!.start).toISOString(),
              end: new Date(periods[i]!.end).toISOString(),
            }),
          });
          const body = (await response.body.json()) as { code?: string };
          if (response.statusCode === 503 && attempt < 5) {
            await new Promise((r) => setTimeout(r, Number(response.headers['retry-after'] ?? 1) * 1000));
            continue;
          }
          return { status: response.statusCode, body };
        }
      }),
    );
    await agent.close();

    const byStatus: Record<number, number> = {};
    const codes: Record<string, number> = {};
    for (const r of replies) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      const code = `${r.status} ${r.body.code ?? ''}`;
      codes[code] = (codes[code] ?? 0) + 1;
    }
    assert.deepEqual(Object.keys(byStatus).sort(), ['201', '409'], JSON.stringify(codes));
    assert.ok(
      replies.filter((r) => r.status === 409).every((r) => r.body.code === 'unit_unavailable'),
      'every refusal is unit_unavailable',
    );
    const [check] = await rows<{ overlaps: number; items: number; maintenance: number }>(
      handle.db,
      sql`select
            (select count(*) from rental_items a join rental_items b
               on a.inventory_item_id = b.inventory_item_id and a.id < b.id
              and a.status in ('held', 'out') and b.status in ('held', 'out')
              and tstzrange(a.starts_at, a.ends_at, '[)') && tstzrange(b.starts_at, b.ends_at, '[)'))::int as overlaps,
            (select count(*) from rental_items where store_id = ${store.storeId})::int as items,
            (select count(*) from rental_items ri join inventory_items ii on ii.id = ri.inventory_item_id
              where ii.status = 'maintenance')::int as maintenance`,
    );
    assert.equal(check!.overlaps, 0, 'no unit is in two overlapping rentals');
    assert.equal(check!.items, byStatus[201], 'one held item per accepted order');
    assert.equal(check!.maintenance, 0, 'units in maintenance are never rented');
    assert.ok(byStatus[201]! > 100, `a fair share is accepted (${byStatus[201]})`);
  });
});
