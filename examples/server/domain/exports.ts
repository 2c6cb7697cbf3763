/**
 * CSV exports of a store's reservations, rentals, payments and customers, streamed: rows are read in keyset batches
 * of `BATCH` ordered by (created_at, id) and written as they come, so an export of any size holds one batch in memory.
 * Cells are RFC 4180 quoted; a cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is
 * prefixed with `'`.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { ExportKind, ExportQuery } from '../../../src/schemas/index.js';
import { rows, type Executor } from '../db/index.js';
import { invalidField } from '../http/problem.js';

export const BATCH = 500;

interface Source {
  columns: string[];
  /** Rows after the cursor (created_at, id), oldest first, `limit` of them; each has `created_at` and `id`. */
  select(storeId: string, where: SQL, limit: number): SQL;
}

const sources: Record<ExportKind, Source> = {
  reservations: {
    columns: [
      'id',
      'created_at',
      'state',
      'drop_id',
      'drop_name',
      'slot_id',
      'slot_starts_at',
      'customer_id',
      'confirmed_at',
      'checked_in_at',
      'cancelled_at',
      'expired_at',
    ],
    select: (storeId, where, limit) =>
      sql`select r.id, r.created_at, r.state, r.drop_id, d.name as drop_name, r.slot_id, s.start_time as slot_starts_at,
            r.user_id as customer_id, r.confirmed_at, r.checked_in_at, r.cancelled_at, r.expired_at
          from reservations r join drops d on d.id = r.drop_id join slots s on s.id = r.slot_id
          where r.store_id = ${storeId} and ${where} order by r.created_at, r.id limit ${limit}`,
  },
  rentals: {
    columns: [
      'id',
      'created_at',
      'status',
      'customer_id',
      'starts_at',
      'ends_at',
      'currency',
      'subtotal_cents',
      'promo_discount_cents',
      'subscription_discount_cents',
      'points_redeemed',
      'total_cents',
    ],
    select: (storeId, where, limit) =>
      sql`select r.id, r.created_at, r.status, r.user_id as customer_id, r.starts_at, r.ends_at, r.currency,
            r.subtotal_cents, r.promo_discount_cents, r.subscription_discount_cents, r.points_redeemed, r.total_cents
          from rental_orders r where r.store_id = ${storeId} and ${where} order by r.created_at, r.id limit ${limit}`,
  },
  payments: {
    columns: [
      'id',
      'created_at',
      'status',
      'provider',
      'amount_cents',
      'currency',
      'reservation_id',
      'invoice_id',
      'paid_at',
      'refund_status',
      'refunded_at',
    ],
    select: (storeId, where, limit) =>
      sql`select r.id, r.created_at, r.status, r.provider, r.amount_cents, r.currency, r.reservation_id, r.invoice_id,
            r.paid_at, r.refund_status, r.refunded_at
          from payments r where r.store_id = ${storeId} and ${where} order by r.created_at, r.id limit ${limit}`,
  },
  customers: {
    columns: ['id', 'created_at', 'email', 'name', 'external_id', 'status', 'erased_at'],
    select: (storeId, where, limit) =>
      sql`select r.id, r.created_at, r.email, r.name, r.external_id, r.status, r.erased_at
          from users r where r.store_id = ${storeId} and ${where}
            and exists (select 1 from user_roles ur join roles ro on ro.id = ur.role_id
                        where ur.user_id = r.id and ro.code = 'customer')
          order by r.created_at, r.id limit ${limit}`,
  },
};

function cell(value: unknown, column: string): string {
  if (value === null || value === undefined) return '';
  // Timestamps in ISO 8601 UTC, whichever way the driver returned them.
  let text =
    value instanceof Date
      ? value.toISOString()
      : column.endsWith('_at')
        ? new Date(String(value)).toISOString()
        : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const line = (values: unknown[], columns: string[]) =>
  `${values.map((v, i) => cell(v, columns[i]!)).join(',')}\r\n`;

/** Validates the period of an export. */
export function exportPeriod(query: ExportQuery): { from?: string; to?: string } {
  if (query.from && query.to && new Date(query.to) <= new Date(query.from))
    throw invalidField('query.to', '`to` must be after `from`.');
  return { from: query.from, to: query.to };
}

/** The CSV text of an export, batch by batch (the header line first). */
export async function* exportCsv(
  db: Executor,
  storeId: string,
  kind: ExportKind,
  query: ExportQuery,
  batch = BATCH,
): AsyncGenerator<string> {
  const source = sources[kind];
  const { from, to } = exportPeriod(query);
  yield source.columns.join(',') + '\r\n';
  let cursor: { createdAt: string; id: string } | undefined;
  for (;;) {
    const filters: SQL[] = [sql`true`];
    if (from) filters.push(sql`r.created_at >= ${from}::timestamptz`);
    if (to) filters.push(sql`r.created_at < ${to}::timestamptz`);
    if (cursor)
      filters.push(sql`(r.created_at, r.id) > (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
    const found = await rows<Record<string, unknown>>(
      db,
      source.select(storeId, sql.join(filters, sql` and `), batch),
    );
    if (found.length === 0) return;
    yield found
      .map((row) =>
        line(
          source.columns.map((c) => row[c]),
          source.columns,
        ),
      )
      .join('');
    const last = found.at(-1)!;
    const created = last.created_at;
    cursor = {
      createdAt: created instanceof Date ? created.toISOString() : new Date(String(created)).toISOString(),
      id: String(last.id),
    };
    if (found.length < batch) return;
  }
}

/** A streamed `text/csv` response of an export; the first batch is read before the headers go out. */
export async function csvResponse(
  db: Executor,
  storeId: string,
  kind: ExportKind,
  query: ExportQuery,
  filename: string,
  requestId: string,
): Promise<Response> {
  const chunks = exportCsv(db, storeId, kind, query);
  const first = await chunks.next();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-request-id': requestId,
    },
  });
}
