/** Drops and their slots: reading with live capacity figures, and the secret-key management routes. */
import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import {
  defaultReservationRule,
  ProblemCode,
  type Drop,
  type DropCreate,
  type DropListQuery,
  type DropPhase,
  type DropUpdate,
  type Slot,
  type SlotCreate,
  type SlotUpdate,
  type LiveNotice,
} from '../../../src/schemas/index.js';
import { notifySql, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';
import { notifySlotById, promoteWaiting } from './reservations.js';

type DropRow = typeof schema.drops.$inferSelect;
type SlotRow = typeof schema.slots.$inferSelect;

const d = schema.drops;
const s = schema.slots;

const dropSelection = {
  ...getTableColumns(d),
  // Qualified by hand: Drizzle drops table names in single-table selects, which would bind `id` to the subquery.
  capacityTotal: sql<number>`coalesce((select sum(sx.capacity_total) from slots sx where sx.drop_id = "drops"."id"), 0)::int`,
  capacityRemaining: sql<number>`coalesce((select sum(sx.capacity_total - sx.capacity_reserved) from slots sx where sx.drop_id = "drops"."id"), 0)::int`,
  paymentRequired: sql<boolean>`coalesce((select px.price_cents > 0 and stx.drop_payment_required from products px
    join stores stx on stx.id = px.store_id where px.id = "drops"."product_id"), false)`,
};

/** Whether holds of a drop of this product must be paid (a priced product in a store that takes payment online). */
async function paymentRequiredFor(tx: Executor, productId: string): Promise<boolean> {
  const [found] = await rows<{ required: boolean }>(
    tx,
    sql`select p.price_cents > 0 and s.drop_payment_required as required
        from products p join stores s on s.id = p.store_id where p.id = ${productId}`,
  );
  return Boolean(found?.required);
}

export function phaseOf(startsAt: Date, endsAt: Date, now: Date): DropPhase {
  if (now < startsAt) return 'upcoming';
  return now < endsAt ? 'live' : 'ended';
}

export function serializeDrop(
  row: DropRow & { capacityTotal: number; capacityRemaining: number; paymentRequired: boolean },
  now: Date,
): Drop {
  return {
    id: row.id,
    storeId: row.storeId,
    productId: row.productId,
    branchId: row.branchId,
    name: row.name,
    description: row.description,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    status: row.status as Drop['status'],
    phase: phaseOf(row.startsAt, row.endsAt, now),
    reservationRule: { ...defaultReservationRule, ...row.reservationRule },
    capacityTotal: Number(row.capacityTotal),
    capacityRemaining: Number(row.capacityRemaining),
    paymentRequired: Boolean(row.paymentRequired),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function serializeSlot(row: SlotRow): Slot {
  return {
    id: row.id,
    dropId: row.dropId,
    startsAt: row.startTime.toISOString(),
    endsAt: row.endTime.toISOString(),
    capacityTotal: row.capacityTotal,
    capacityReserved: row.capacityReserved,
    capacityRemaining: row.capacityTotal - row.capacityReserved,
    waitlistCount: row.capacityWaitlist,
  };
}

/** Shoppers see published and cancelled drops; drafts only exist for secret keys and owners. */
const visible = (includeDrafts: boolean): SQL | undefined =>
  includeDrafts ? undefined : sql`${d.status} <> 'draft'`;

export async function getDrop(db: Executor, storeId: string, id: string, includeDrafts: boolean, now: Date) {
  const [row] = await db
    .select(dropSelection)
    .from(d)
    .where(and(eq(d.storeId, storeId), eq(d.id, id), visible(includeDrafts)));
  if (!row) throw notFound('drop');
  return serializeDrop(row, now);
}

export async function listDrops(
  db: Database,
  storeId: string,
  query: DropListQuery,
  includeDrafts: boolean,
  now: Date,
) {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: d,
    sort: d.startsAt,
    direction: 'asc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'drop',
  });
  const filters: (SQL | undefined)[] = [eq(d.storeId, storeId), where, visible(includeDrafts)];
  if (query.productId) filters.push(eq(d.productId, query.productId));
  if (query.phase === 'upcoming') filters.push(sql`${d.startsAt} > ${now}`);
  if (query.phase === 'live') filters.push(sql`${d.startsAt} <= ${now} and ${d.endsAt} > ${now}`);
  if (query.phase === 'ended') filters.push(sql`${d.endsAt} <= ${now}`);
  const found = await db
    .select(dropSelection)
    .from(d)
    .where(and(...filters))
    .orderBy(...orderBy)
    .limit(take);
  return page(
    found.map((row) => serializeDrop(row, now)),
    limit,
  );
}

export async function listSlots(
  db: Database,
  storeId: string,
  dropId: string,
  includeDrafts: boolean,
  now: Date,
) {
  await getDrop(db, storeId, dropId, includeDrafts, now);
  const found = await db
    .select()
    .from(s)
    .where(and(eq(s.storeId, storeId), eq(s.dropId, dropId)))
    .orderBy(s.startTime, s.id);
  return { data: found.map(serializeSlot), hasMore: false };
}

export async function getSlot(db: Executor, storeId: string, id: string, includeDrafts: boolean) {
  const [row] = await db
    .select({ slot: s, status: d.status })
    .from(s)
    .innerJoin(d, eq(d.id, s.dropId))
    .where(and(eq(s.storeId, storeId), eq(s.id, id)));
  if (!row || (!includeDrafts && row.status === 'draft')) throw notFound('slot');
  return serializeSlot(row.slot);
}

function windowError(field: string): ApiError {
  return new ApiError(400, ProblemCode.validationFailed, 'endsAt must be after startsAt.', {
    errors: [{ path: `body.${field}`, message: 'Must be after startsAt', code: 'invalid_value' }],
  });
}

export async function createDrop(db: Database, actor: Actor, input: DropCreate, now: Date) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt) throw windowError('endsAt');
  const [product] = await db
    .select({ id: schema.products.id })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, actor.storeId), eq(schema.products.id, input.productId)));
  if (!product) throw notFound('product');
  if (input.branchId) {
    const [branch] = await db
      .select({ id: schema.branches.id })
      .from(schema.branches)
      .where(and(eq(schema.branches.storeId, actor.storeId), eq(schema.branches.id, input.branchId)));
    if (!branch) throw notFound('branch');
  }
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(d)
      .values({
        storeId: actor.storeId,
        productId: input.productId,
        branchId: input.branchId ?? null,
        name: input.name,
        description: input.description ?? null,
        startsAt,
        endsAt,
        status: input.status ?? 'published',
        reservationRule: { ...defaultReservationRule, ...input.reservationRule },
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const drop = serializeDrop(
      {
        ...row!,
        capacityTotal: 0,
        capacityRemaining: 0,
        paymentRequired: await paymentRequiredFor(tx, row!.productId),
      },
      now,
    );
    await audit(tx, actor, 'drop.create', 'drop', drop.id, null, drop, now);
    return drop;
  });
}

export async function updateDrop(db: Database, actor: Actor, id: string, input: DropUpdate, now: Date) {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select(dropSelection)
      .from(d)
      .where(and(eq(d.storeId, actor.storeId), eq(d.id, id)))
      .for('update');
    if (!before) throw notFound('drop');
    const startsAt = input.startsAt ? new Date(input.startsAt) : before.startsAt;
    const endsAt = input.endsAt ? new Date(input.endsAt) : before.endsAt;
    if (endsAt <= startsAt) throw windowError(input.endsAt ? 'endsAt' : 'startsAt');
    const [row] = await tx
      .update(d)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.status !== undefined && { status: input.status }),
        ...(input.reservationRule !== undefined && {
          reservationRule: { ...defaultReservationRule, ...before.reservationRule, ...input.reservationRule },
        }),
        startsAt,
        endsAt,
        updatedAt: now,
      })
      .where(eq(d.id, id))
      .returning();
    const drop = serializeDrop(
      {
        ...row!,
        capacityTotal: before.capacityTotal,
        capacityRemaining: before.capacityRemaining,
        paymentRequired: before.paymentRequired,
      },
      now,
    );
    await audit(tx, actor, 'drop.update', 'drop', id, serializeDrop(before, now), drop, now);
    const notice: LiveNotice = { t: 'drop', dropId: id };
    await tx.execute(sql`select ${notifySql(sql`${JSON.stringify(notice)}`)}`);
    return drop;
  });
}

export async function createSlot(db: Database, actor: Actor, dropId: string, input: SlotCreate, now: Date) {
  const startTime = new Date(input.startsAt);
  const endTime = new Date(input.endsAt);
  if (endTime <= startTime) throw windowError('endsAt');
  await getDrop(db, actor.storeId, dropId, true, now);
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(s)
      .values({
        storeId: actor.storeId,
        dropId,
        startTime,
        endTime,
        capacityTotal: input.capacityTotal,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const slot = serializeSlot(row!);
    await audit(tx, actor, 'slot.create', 'slot', slot.id, null, slot, now);
    await notifySlotById(tx, slot.id);
    return slot;
  });
}

export async function updateSlot(db: Database, actor: Actor, id: string, input: SlotUpdate, now: Date) {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(s)
      .where(and(eq(s.storeId, actor.storeId), eq(s.id, id)))
      .for('update');
    if (!before) throw notFound('slot');
    const startTime = input.startsAt ? new Date(input.startsAt) : before.startTime;
    const endTime = input.endsAt ? new Date(input.endsAt) : before.endTime;
    if (endTime <= startTime) throw windowError(input.endsAt ? 'endsAt' : 'startsAt');
    const capacityTotal = input.capacityTotal ?? before.capacityTotal;
    if (capacityTotal < before.capacityReserved) {
      throw new ApiError(
        409,
        ProblemCode.conflict,
        `${before.capacityReserved} places are taken; capacity cannot go below that.`,
        { capacityReserved: before.capacityReserved },
      );
    }
    await tx.update(s).set({ startTime, endTime, capacityTotal, updatedAt: now }).where(eq(s.id, id));
    // New places go to the waitlist first, in order.
    for (let free = capacityTotal - before.capacityReserved; free > 0; free--) {
      if (!(await promoteWaiting(tx, actor, id, now, 'grow'))) break;
    }
    const [row] = await tx.select().from(s).where(eq(s.id, id));
    const slot = serializeSlot(row!);
    await audit(tx, actor, 'slot.update', 'slot', id, serializeSlot(before), slot, now);
    await notifySlotById(tx, slot.id);
    return slot;
  });
}
