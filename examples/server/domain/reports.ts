/**
 * Reports: the numbers of a drop, and rentals over a period. Each is computed by aggregate SQL over the store's rows
 * (no row is loaded into memory), so a report reads the same on every process and counts erased customers' records
 * like any other (their rows stay, under a pseudonymous id).
 */
import { sql } from 'drizzle-orm';
import type { DropReport, RentalReport, RentalReportQuery } from '../../../src/schemas/index.js';
import { rows, type Executor } from '../db/index.js';
import { invalidField, notFound } from '../http/problem.js';

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();

/**
 * Places (capacity of the slots), holds (every reservation ever made, whatever became of it), confirmed (confirmed or
 * checked in), checked in, no-shows (confirmed but not checked in once the slot ended), waitlist joins, promotions
 * claimed (waitlist entries promoted and then claimed), and revenue (succeeded payments of its reservations not
 * refunded).
 */
export async function dropReport(
  db: Executor,
  storeId: string,
  dropId: string,
  now: Date,
): Promise<DropReport> {
  const [drop] = await rows<{ id: string; name: string; currency: string }>(
    db,
    sql`select d.id, d.name, s.currency from drops d join stores s on s.id = d.store_id
        where d.store_id = ${storeId} and d.id = ${dropId}`,
  );
  if (!drop) throw notFound('drop');
  const slots = await rows<{
    id: string;
    starts_at: Date;
    places: number;
    holds: number;
    confirmed: number;
    checked_in: number;
    no_shows: number;
    cancelled: number;
    expired: number;
    waitlist_joins: number;
    promotions_claimed: number;
  }>(
    db,
    sql`select sl.id, sl.start_time as starts_at, sl.capacity_total::int as places,
          (select count(*) from reservations r where r.slot_id = sl.id)::int as holds,
          (select count(*) from reservations r where r.slot_id = sl.id and r.state in ('CONFIRMED', 'CHECKED_IN'))::int as confirmed,
          (select count(*) from reservations r where r.slot_id = sl.id and r.state = 'CHECKED_IN')::int as checked_in,
          (select count(*) from reservations r where r.slot_id = sl.id and r.state = 'CONFIRMED'
             and sl.end_time <= ${now.toISOString()}::timestamptz)::int as no_shows,
          (select count(*) from reservations r where r.slot_id = sl.id and r.state = 'CANCELLED')::int as cancelled,
          (select count(*) from reservations r where r.slot_id = sl.id and r.state = 'EXPIRED')::int as expired,
          (select count(*) from waitlist w where w.slot_id = sl.id)::int as waitlist_joins,
          (select count(*) from waitlist w where w.slot_id = sl.id and w.state = 'CLAIMED')::int as promotions_claimed
        from slots sl where sl.store_id = ${storeId} and sl.drop_id = ${dropId}
        order by sl.start_time, sl.id`,
  );
  const [revenue] = await rows<{ amount: number }>(
    db,
    sql`select coalesce(sum(p.amount_cents), 0)::int as amount
        from payments p join reservations r on r.id = p.reservation_id
        where p.store_id = ${storeId} and r.drop_id = ${dropId} and p.status = 'succeeded'
          and p.refund_status is distinct from 'succeeded'`,
  );
  const sum = (key: keyof (typeof slots)[number]) => slots.reduce((n, s) => n + Number(s[key]), 0);
  return {
    dropId,
    name: drop.name,
    generatedAt: now.toISOString(),
    places: sum('places'),
    holds: sum('holds'),
    confirmed: sum('confirmed'),
    checkedIn: sum('checked_in'),
    noShows: sum('no_shows'),
    cancelled: sum('cancelled'),
    expired: sum('expired'),
    waitlistJoins: sum('waitlist_joins'),
    promotionsClaimed: sum('promotions_claimed'),
    revenue: { amount: revenue?.amount ?? 0, currency: drop.currency },
    slots: slots.map((s) => ({
      slotId: s.id,
      startsAt: iso(s.starts_at),
      places: s.places,
      holds: s.holds,
      confirmed: s.confirmed,
      checkedIn: s.checked_in,
      noShows: s.no_shows,
      waitlistJoins: s.waitlist_joins,
    })),
  };
}

const MAX_REPORT_DAYS = 400;

/**
 * Rentals overlapping `[from, to)`: orders by status, revenue (paid amounts of invoices of orders starting in the
 * period), overdue orders (still out after their end), and per unit the hours it was rented within the period and
 * that as a share of the period.
 */
export async function rentalReport(
  db: Executor,
  storeId: string,
  query: RentalReportQuery,
  now: Date,
): Promise<RentalReport> {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (to.getTime() <= from.getTime()) throw invalidField('query.to', '`to` must be after `from`.');
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000)
    throw invalidField('query.to', `A report covers at most ${MAX_REPORT_DAYS} days.`);
  const f = from.toISOString();
  const t = to.toISOString();
  const [store] = await rows<{ currency: string }>(
    db,
    sql`select currency from stores where id = ${storeId}`,
  );
  const statuses = await rows<{ status: string; n: number }>(
    db,
    sql`select status, count(*)::int as n from rental_orders
        where store_id = ${storeId} and starts_at < ${t}::timestamptz and ends_at > ${f}::timestamptz
        group by status order by status`,
  );
  const [revenue] = await rows<{ amount: number }>(
    db,
    sql`select coalesce(sum(i.amount_paid_cents), 0)::int as amount from invoices i
        join rental_orders o on o.id = i.rental_order_id
        where i.store_id = ${storeId} and o.starts_at >= ${f}::timestamptz and o.starts_at < ${t}::timestamptz`,
  );
  const overdue = await rows<{ id: string; ends_at: Date; user_id: string | null }>(
    db,
    sql`select id, ends_at, user_id from rental_orders
        where store_id = ${storeId} and (status = 'overdue' or (status = 'active' and ends_at < ${now.toISOString()}::timestamptz))
        order by ends_at, id limit 500`,
  );
  const periodHours = (to.getTime() - from.getTime()) / 3_600_000;
  const units = await rows<{
    id: string;
    product_id: string;
    product_name: string;
    serial: string | null;
    hours: number;
  }>(
    db,
    sql`select i.id, i.product_id, p.name as product_name, i.serial,
          coalesce(sum(extract(epoch from (least(ri.ends_at, ${t}::timestamptz) - greatest(ri.starts_at, ${f}::timestamptz))) / 3600)
            filter (where ri.id is not null), 0)::float8 as hours
        from inventory_items i
        join products p on p.id = i.product_id
        left join rental_items ri on ri.inventory_item_id = i.id and ri.status in ('held', 'out', 'returned')
          and ri.starts_at < ${t}::timestamptz and ri.ends_at > ${f}::timestamptz
        where i.store_id = ${storeId}
        group by i.id, i.product_id, p.name, i.serial
        order by p.name, i.serial`,
  );
  return {
    from: f,
    to: t,
    generatedAt: now.toISOString(),
    orders: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    revenue: { amount: revenue?.amount ?? 0, currency: store!.currency },
    overdue: overdue.map((o) => ({ rentalId: o.id, endsAt: iso(o.ends_at), customerId: o.user_id })),
    units: units.map((u) => ({
      unitId: u.id,
      productId: u.product_id,
      productName: u.product_name,
      serialNo: u.serial,
      rentedHours: Math.round(Number(u.hours) * 100) / 100,
      utilisation: Math.round((Number(u.hours) / periodHours) * 10_000) / 10_000,
    })),
  };
}
