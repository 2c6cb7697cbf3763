/**
 * The store's view of its customers: search, a customer with their activity, data export (one JSON document of
 * everything held about a person) and erasure (personal fields anonymised; financial and audit records kept under the
 * user id, which becomes a pseudonym). docs/merchants.md lists what is exported and what is erased, field by field.
 */
import { and, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import type {
  CustomerDetail,
  CustomerErased,
  CustomerExport,
  CustomerList,
  CustomerListQuery,
  CustomerRecord,
} from '../../../src/schemas/index.js';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { invalidField, notFound } from '../http/problem.js';
import { announce } from '../http/revocation.js';
import { audit, type Actor } from './audit.js';
import { serializeCustomer } from './customers.js';

type UserRow = typeof schema.users.$inferSelect;
const u = schema.users;

export async function serializeRecord(db: Executor, row: UserRow): Promise<CustomerRecord> {
  const base = await serializeCustomer(db, row);
  return {
    ...base,
    phone: row.phone,
    status: row.status as 'active' | 'disabled',
    erasedAt: row.erasedAt?.toISOString() ?? null,
  };
}

async function userRow(db: Executor, storeId: string, id: string, lock = false): Promise<UserRow> {
  const query = db
    .select()
    .from(u)
    .where(and(eq(u.storeId, storeId), eq(u.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('customer');
  return row;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Customers of the store, newest first; `q` matches e-mail, name or external id (case-insensitive substring). */
export async function listCustomers(
  db: Executor,
  storeId: string,
  query: CustomerListQuery,
): Promise<CustomerList> {
  const limit = query.limit ?? 20;
  const filters: (SQL | undefined)[] = [eq(u.storeId, storeId)];
  if (query.q) {
    const like = `%${escapeLike(query.q)}%`;
    filters.push(or(ilike(u.email, like), ilike(u.name, like), ilike(u.externalId, like)));
  }
  if (query.email) filters.push(eq(u.email, query.email));
  if (query.externalId) filters.push(eq(u.externalId, query.externalId));
  if (query.startingAfter) {
    const cursor = await db
      .select({ createdAt: u.createdAt, id: u.id })
      .from(u)
      .where(and(eq(u.storeId, storeId), eq(u.id, query.startingAfter)));
    if (!cursor[0]) throw invalidField('query.startingAfter', 'startingAfter names no customer you can see.');
    const c = cursor[0];
    filters.push(sql`(${u.createdAt}, ${u.id}) < (${c.createdAt.toISOString()}::timestamptz, ${c.id}::uuid)`);
  }
  const found = await db
    .select()
    .from(u)
    .where(and(...filters))
    .orderBy(desc(u.createdAt), desc(u.id))
    .limit(limit + 1);
  const data = [];
  for (const row of found.slice(0, limit)) data.push(await serializeRecord(db, row));
  return { data, hasMore: found.length > limit };
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

export async function getCustomerDetail(db: Executor, storeId: string, id: string): Promise<CustomerDetail> {
  const row = await userRow(db, storeId, id);
  const reservations = await rows<{
    id: string;
    state: string;
    created_at: Date;
    slot_id: string;
    drop_id: string;
  }>(
    db,
    sql`select id, state, created_at, slot_id, drop_id from reservations
        where store_id = ${storeId} and user_id = ${id} order by created_at desc limit 100`,
  );
  const rentals = await rows<{
    id: string;
    status: string;
    created_at: Date;
    starts_at: Date;
    ends_at: Date;
    total_cents: number;
  }>(
    db,
    sql`select id, status, created_at, starts_at, ends_at, total_cents from rental_orders
        where store_id = ${storeId} and user_id = ${id} order by created_at desc limit 100`,
  );
  const waitlist = await rows<{ id: string; state: string; created_at: Date; slot_id: string }>(
    db,
    sql`select id, state, created_at, slot_id from waitlist
        where store_id = ${storeId} and user_id = ${id} order by created_at desc limit 100`,
  );
  const [loyalty] = await rows<{ points_balance: number; tier: string | null }>(
    db,
    sql`select points_balance, tier from loyalty_accounts where store_id = ${storeId} and user_id = ${id}`,
  );
  return {
    ...(await serializeRecord(db, row)),
    reservations: reservations.map((r) => ({
      id: r.id,
      state: r.state,
      createdAt: iso(r.created_at),
      slotId: r.slot_id,
      dropId: r.drop_id,
    })),
    rentals: rentals.map((r) => ({
      id: r.id,
      state: r.status,
      createdAt: iso(r.created_at),
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      totalCents: r.total_cents,
    })),
    waitlist: waitlist.map((w) => ({
      id: w.id,
      state: w.state,
      createdAt: iso(w.created_at),
      slotId: w.slot_id,
    })),
    loyalty: loyalty ? { pointsBalance: loyalty.points_balance, tier: loyalty.tier } : null,
  };
}

/**
 * Every table holding rows about a person, with the column naming them. The export reads them all; the data model
 * (docs/data-model.md) and docs/merchants.md list the same tables.
 */
const PERSONAL_TABLES: { table: string; column: string; order?: string }[] = [
  { table: 'reservations', column: 'user_id' },
  { table: 'waitlist', column: 'user_id' },
  {
    table: 'payments',
    column:
      'reservation_id in (select id from reservations where user_id = $USER) or invoice_id in (select i.id from invoices i left join rental_orders o on o.id = i.rental_order_id left join subscriptions s on s.id = i.subscription_id where coalesce(o.user_id, s.user_id) = $USER)',
  },
  { table: 'rental_orders', column: 'user_id' },
  {
    table: 'rental_items',
    column: 'rental_order_id in (select id from rental_orders where user_id = $USER)',
  },
  {
    table: 'invoices',
    column:
      'rental_order_id in (select id from rental_orders where user_id = $USER) or subscription_id in (select id from subscriptions where user_id = $USER)',
  },
  { table: 'schedules', column: 'rental_order_id in (select id from rental_orders where user_id = $USER)' },
  { table: 'loyalty_accounts', column: 'user_id' },
  {
    table: 'loyalty_ledger',
    column: 'account_id in (select id from loyalty_accounts where user_id = $USER)',
  },
  { table: 'subscriptions', column: 'user_id' },
  { table: 'notifications', column: 'user_id' },
  { table: 'events', column: 'user_id', order: 'occurred_at' },
  { table: 'audit_logs', column: "actor_user_id = $USER or (entity = 'user' and entity_id = $USER::text)" },
];

function whereOf(column: string, userId: string): SQL {
  if (!column.includes(' ')) return sql`${sql.identifier(column)} = ${userId}`;
  const parts = column.split('$USER');
  const chunks: SQL[] = [];
  parts.forEach((part, i) => {
    chunks.push(sql.raw(part));
    if (i < parts.length - 1) chunks.push(sql`${userId}::uuid`);
  });
  return sql.join(chunks, sql``);
}

/** One JSON document of everything the store holds about a person (password hash excluded). */
export async function exportCustomer(
  db: Database,
  actor: Actor,
  id: string,
  now: Date,
): Promise<CustomerExport> {
  return transaction(db, async (tx) => {
    const row = await userRow(tx, actor.storeId, id);
    const { passwordHash: _secret, ...customer } = row;
    void _secret;
    const roles = await rows<{ code: string }>(
      tx,
      sql`select r.code from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = ${id} order by r.code`,
    );
    const tables: Record<string, Record<string, unknown>[]> = {};
    for (const { table, column, order } of PERSONAL_TABLES) {
      tables[table] = await rows<Record<string, unknown>>(
        tx,
        sql`select * from ${sql.identifier(table)} where store_id = ${actor.storeId} and (${whereOf(column, id)}) order by ${sql.identifier(order ?? 'created_at')}, id`,
      );
    }
    await audit(tx, actor, 'customer.export', 'user', id, null, { tables: Object.keys(tables) }, now);
    return {
      exportedAt: now.toISOString(),
      storeId: actor.storeId,
      customer: JSON.parse(JSON.stringify(customer)) as Record<string, unknown>,
      roles: roles.map((r) => r.code),
      tables: JSON.parse(JSON.stringify(tables)) as Record<string, Record<string, unknown>[]>,
    };
  });
}

/**
 * Erases a person: personal fields of the user row become null (e-mail, name, phone, external id, password), the
 * account is disabled (every token refused at once on every process), notification recipients and payloads,
 * reservation notes and the personal members of audit rows about them are blanked. Reservations, rentals, invoices,
 * payments, loyalty ledger and audit rows stay, under the user id, which no longer names anyone.
 */
export async function eraseCustomer(
  db: Database,
  actor: Actor,
  id: string,
  now: Date,
): Promise<CustomerErased> {
  return transaction(db, async (tx) => {
    const before = await userRow(tx, actor.storeId, id, true);
    if (before.erasedAt) {
      return { id, erasedAt: before.erasedAt.toISOString(), anonymised: {} };
    }
    const counts: Record<string, number> = {};
    const count = async (name: string, query: SQL) => {
      const result = await rows<{ n: number }>(
        tx,
        sql`with changed as (${query} returning 1) select count(*)::int as n from changed`,
      );
      counts[name] = result[0]!.n;
    };
    await tx
      .update(u)
      .set({
        email: null,
        name: null,
        phone: null,
        externalId: null,
        passwordHash: null,
        emailVerifiedAt: null,
        status: 'disabled',
        erasedAt: now,
        updatedAt: now,
      })
      .where(eq(u.id, id));
    counts.users = 1;
    await count(
      'notifications',
      sql`update notifications set recipient = null, payload = '{}'::jsonb, last_error = null
          where store_id = ${actor.storeId} and user_id = ${id}`,
    );
    await count(
      'reservations',
      sql`update reservations set customer_note = null where store_id = ${actor.storeId} and user_id = ${id}
          and customer_note is not null`,
    );
    // Audit rows are append-only; an erasure alone may blank their personal members (migration 0012).
    await tx.execute(sql`select set_config('dropslot.erasure', 'on', true)`);
    await count(
      'audit_logs',
      sql`update audit_logs set
            before = case when entity = 'user' and entity_id = ${id} then null else before end,
            after = case when entity = 'user' and entity_id = ${id} then null else after end,
            ip = null, ua = null
          where store_id = ${actor.storeId} and (actor_user_id = ${id} or (entity = 'user' and entity_id = ${id}))`,
    );
    await tx.execute(sql`select set_config('dropslot.erasure', 'off', true)`);
    await audit(tx, actor, 'customer.erase', 'user', id, null, { anonymised: counts }, now);
    await announce(tx, { t: 'user', userId: id, status: 'disabled' });
    return { id, erasedAt: now.toISOString(), anonymised: counts };
  });
}
