/** Branches of a store: CRUD with address, phone, coordinates, zone and structured opening hours; open days. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import {
  ProblemCode,
  type Branch,
  type BranchCreate,
  type BranchHours,
  type BranchHoursQuery,
  type BranchList,
  type BranchUpdate,
  type ListQuery,
} from '../../../src/schemas/index.js';
import { pgError, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { nextDate, openDay, validateHours, type WeeklyHours } from './opening-hours.js';
import { checkTimeZone } from './stores.js';

type BranchRow = typeof schema.branches.$inferSelect;
const b = schema.branches;

export function serializeBranch(row: BranchRow): Branch {
  return {
    id: row.id,
    storeId: row.storeId,
    name: row.name,
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    phone: row.phone,
    timeZone: row.timeZone,
    openingHours: row.openingHours as Branch['openingHours'],
    openingExceptions: row.openingExceptions,
  };
}

async function branchRow(db: Executor, storeId: string, id: string, lock = false): Promise<BranchRow> {
  const query = db
    .select()
    .from(b)
    .where(and(eq(b.storeId, storeId), eq(b.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('branch');
  return row;
}

export async function listBranches(db: Executor, storeId: string, query: ListQuery): Promise<BranchList> {
  const limit = query.limit ?? 20;
  if (query.startingAfter)
    await branchRow(db, storeId, query.startingAfter).catch(() => {
      throw invalidField('query.startingAfter', 'startingAfter names no branch you can see.');
    });
  const found = await db
    .select()
    .from(b)
    .where(and(eq(b.storeId, storeId), query.startingAfter ? gt(b.id, query.startingAfter) : undefined))
    .orderBy(asc(b.id))
    .limit(limit + 1);
  return { data: found.slice(0, limit).map(serializeBranch), hasMore: found.length > limit };
}

export async function getBranch(db: Executor, storeId: string, id: string): Promise<Branch> {
  return serializeBranch(await branchRow(db, storeId, id));
}

function checkCoordinates(lat: number | null | undefined, lng: number | null | undefined) {
  if ((lat === null || lat === undefined) !== (lng === null || lng === undefined))
    throw invalidField(
      lat === undefined || lat === null ? 'body.lat' : 'body.lng',
      'Give both lat and lng, or neither.',
    );
}

export async function createBranch(
  db: Database,
  actor: Actor,
  input: BranchCreate,
  now: Date,
): Promise<Branch> {
  checkTimeZone(input.timeZone, 'body.timeZone');
  validateHours(input.openingHours as WeeklyHours | null | undefined, input.openingExceptions);
  checkCoordinates(input.lat, input.lng);
  return transaction(db, async (tx) => {
    let timeZone = input.timeZone;
    if (!timeZone) {
      const [store] = await tx
        .select({ timeZone: schema.stores.timeZone })
        .from(schema.stores)
        .where(eq(schema.stores.id, actor.storeId));
      timeZone = store!.timeZone;
    }
    const [row] = await tx
      .insert(b)
      .values({
        storeId: actor.storeId,
        name: input.name,
        address: input.address ?? null,
        phone: input.phone ?? null,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        timeZone,
        openingHours: (input.openingHours ?? null) as Record<string, string[]> | null,
        openingExceptions: sortExceptions(input.openingExceptions ?? []),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const out = serializeBranch(row!);
    await audit(tx, actor, 'branch.create', 'branch', row!.id, null, out, now);
    return out;
  });
}

const sortExceptions = <T extends { date: string }>(list: T[]) =>
  [...list].sort((x, y) => x.date.localeCompare(y.date));

export async function updateBranch(
  db: Database,
  actor: Actor,
  id: string,
  input: BranchUpdate,
  now: Date,
): Promise<Branch> {
  checkTimeZone(input.timeZone, 'body.timeZone');
  validateHours(input.openingHours as WeeklyHours | null | undefined, input.openingExceptions);
  return transaction(db, async (tx) => {
    const before = await branchRow(tx, actor.storeId, id, true);
    checkCoordinates(
      input.lat !== undefined ? input.lat : before.lat,
      input.lng !== undefined ? input.lng : before.lng,
    );
    const set: Partial<typeof b.$inferInsert> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.address !== undefined) set.address = input.address;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.lat !== undefined) set.lat = input.lat;
    if (input.lng !== undefined) set.lng = input.lng;
    if (input.timeZone !== undefined) set.timeZone = input.timeZone;
    if (input.openingHours !== undefined)
      set.openingHours = input.openingHours as Record<string, string[]> | null;
    if (input.openingExceptions !== undefined)
      set.openingExceptions = sortExceptions(input.openingExceptions);
    if (Object.keys(set).length === 0) return serializeBranch(before);
    const [row] = await tx
      .update(b)
      .set({ ...set, updatedAt: now })
      .where(and(eq(b.storeId, actor.storeId), eq(b.id, id)))
      .returning();
    const out = serializeBranch(row!);
    await audit(tx, actor, 'branch.update', 'branch', id, serializeBranch(before), out, now);
    return out;
  });
}

/** Removes a branch; drops held there keep their data (their branch becomes unset). */
export async function deleteBranch(db: Database, actor: Actor, id: string, now: Date) {
  return transaction(db, async (tx) => {
    const before = await branchRow(tx, actor.storeId, id, true);
    try {
      await tx.delete(b).where(and(eq(b.storeId, actor.storeId), eq(b.id, id)));
    } catch (error) {
      if (pgError(error)?.code === '23503')
        throw new ApiError(409, ProblemCode.conflict, 'Records still refer to this branch.');
      throw error;
    }
    await audit(tx, actor, 'branch.delete', 'branch', id, serializeBranch(before), null, now);
    return { id, deleted: true as const };
  });
}

const MAX_DAYS = 62;

/** The open days of a branch from `from` to `to` (inclusive, dates in its zone), with pickup/return times. */
export async function branchHours(
  db: Executor,
  storeId: string,
  id: string,
  query: BranchHoursQuery,
): Promise<BranchHours> {
  const row = await branchRow(db, storeId, id);
  const to = query.to ?? query.from;
  const valid = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return (
      t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d && y >= 2000 && y < 2200
    );
  };
  if (!valid(query.from)) throw invalidField('query.from', `${query.from} is not a calendar date.`);
  if (!valid(to)) throw invalidField('query.to', `${to} is not a calendar date.`);
  if (to < query.from) throw invalidField('query.to', '`to` is before `from`.');
  const hours = {
    timeZone: row.timeZone,
    openingHours: row.openingHours as WeeklyHours | null,
    openingExceptions: row.openingExceptions,
  };
  const days = [];
  for (let date = query.from, n = 0; date <= to; date = nextDate(date), n++) {
    if (n >= MAX_DAYS) throw invalidField('query.to', `At most ${MAX_DAYS} days at once.`);
    const day = openDay(hours, date, query.step ?? 30);
    days.push({
      date,
      closed: day.closed,
      open: day.open.map((r) => ({ start: r.start.toISOString(), end: r.end.toISOString() })),
      times: day.times.map((t) => t.toISOString()),
    });
  }
  return { branchId: row.id, timeZone: row.timeZone, days };
}

/** Number of branches of a store (for reports and docs tests). */
export async function countBranches(db: Executor, storeId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(b)
    .where(eq(b.storeId, storeId));
  return row!.n;
}
