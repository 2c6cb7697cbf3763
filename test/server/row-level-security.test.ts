/**
 * Row-level security (migration 0013, docs/decisions/0004-row-level-security.md): inside a transaction that states
 * store A, a hand-written query with no store filter sees no row of store B in any table, and cannot write one; every
 * store-owned table has its policy, forced; the server's connections are not a superuser's, which would bypass it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { rows, transaction, withStore } from '../../examples/server/db/index.js';
import { createStore } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { withApp } from '../support/app.js';

/** Every table with a store, and the column that names it. */
const STORE_TABLES = sql`
  select c.table_name as "table", c.column_name as "column"
  from information_schema.columns c
  join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
  where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
    and (c.column_name = 'store_id' or (c.table_name = 'stores' and c.column_name = 'id'))
  order by 1`;

for (const kind of databaseKinds) {
  describe(`row-level security on ${kind}`, () => {
    it('every store-owned table has a forced policy, and the server does not connect as a superuser', () =>
      withApp(kind, async (t) => {
        const tables = await rows<{ table: string; column: string }>(t.handle.db, STORE_TABLES);
        assert.ok(tables.length >= 25, `${tables.length} store-owned tables`);
        const secured = await rows<{ table: string; rls: boolean; forced: boolean; policies: number }>(
          t.handle.db,
          sql`select c.relname as "table", c.relrowsecurity as rls, c.relforcerowsecurity as forced,
                (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relkind = 'r'`,
        );
        const byName = new Map(secured.map((row) => [row.table, row]));
        for (const { table } of tables) {
          const row = byName.get(table);
          assert.ok(row?.rls && row.forced && row.policies >= 1, `${table} has a forced row-level policy`);
        }
        const [who] = await rows<{ superuser: string; user: string }>(
          t.handle.db,
          sql`select current_setting('is_superuser') as superuser, current_user as "user"`,
        );
        assert.equal(who!.superuser, 'off', `connected as ${who!.user}, which would bypass every policy`);
      }));

    it('inside a store-A transaction an unfiltered query sees no store-B row and cannot write one', () =>
      withApp(kind, async (t) => {
        // Store A is the test store with a drop, a hold and a customer; store B gets the same.
        const a = t.store.storeId;
        const { slotIds } = await t.drop();
        const alice = await t.customer();
        assert.equal(
          (await t.call('POST', '/v1/reservations', { token: alice.token, body: { slotId: slotIds[0] } }))
            .status,
          201,
        );
        const b = await createStore(
          t.handle.db,
          { name: 'Other store', slug: `other-${Date.now()}` },
          t.clock.now(),
        );
        const product = await t.call('POST', '/v1/products', {
          key: b.secretKey,
          body: { sku: 'B-1', name: 'B thing', price: { amount: 0, currency: 'EUR' } },
        });
        assert.equal(product.status, 201, JSON.stringify(product.body));
        const other = await t.call('POST', '/v1/drops', {
          key: b.secretKey,
          body: {
            name: 'B drop',
            productId: product.body.id,
            startsAt: t.clock.now().toISOString(),
            endsAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
          },
        });
        assert.equal(other.status, 201, JSON.stringify(other.body));

        const tables = await rows<{ table: string; column: string }>(t.handle.db, STORE_TABLES);
        const countOther = (executor: Parameters<typeof rows>[0], table: string, column: string) =>
          rows<{ n: number }>(
            executor,
            sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(column)} <> ${a}`,
          );
        // Unscoped (a worker's view): store B's rows are there.
        let unscopedOther = 0;
        for (const { table, column } of tables)
          unscopedOther += (await countOther(t.handle.db, table, column))[0]!.n;
        assert.ok(unscopedOther >= 4, `store B has rows (${unscopedOther})`);

        await withStore(a, () =>
          transaction(t.handle.db, async (tx) => {
            for (const { table, column } of tables) {
              const [row] = await countOther(tx, table, column);
              assert.equal(row!.n, 0, `${table}: no row of another store inside store A's transaction`);
            }
            const [mine] = await rows<{ n: number }>(tx, sql`select count(*)::int as n from drops`);
            assert.ok(mine!.n >= 1, 'store A still sees its own rows');
          }),
        );
        // Writing store B's row from store A's transaction is refused by the policy.
        await assert.rejects(
          withStore(a, () =>
            transaction(t.handle.db, (tx) =>
              tx
                .execute(sql`update drops set name = 'hijacked' where store_id = ${b.storeId} returning id`)
                .then(async () => {
                  await tx.execute(
                    sql`insert into products (store_id, sku, name) values (${b.storeId}, 'X-1', 'Planted')`,
                  );
                }),
            ),
          ),
          (error: Error & { cause?: Error }) => {
            assert.match(String(error.cause?.message ?? error.message), /row-level security/);
            return true;
          },
        );
        const [untouched] = await rows<{ name: string }>(
          t.handle.db,
          sql`select name from drops where store_id = ${b.storeId}`,
        );
        assert.equal(untouched!.name, 'B drop');
      }));
  });
}
