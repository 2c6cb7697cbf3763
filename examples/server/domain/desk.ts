/**
 * What the staff desk shows for a scanned code (`DeskTicket`): whose ticket or rental it is, the drop and slot or the
 * rental's period, the units to hand over or take back, and what to collect — the same for a first scan and for the
 * 409 of a repeat scan, which names the ticket next to when it was first used. Store-scoped reads; no token, no email.
 */
import { and, asc, eq } from 'drizzle-orm';
import type { DeskTicket } from '../../../src/schemas/index.js';
import { schema, type Executor } from '../db/index.js';
import { ApiError } from '../http/problem.js';
import { ProblemCode } from '../../../src/schemas/index.js';

const iso = (value: Date) => value.toISOString();

async function storeZone(db: Executor, storeId: string): Promise<string> {
  const [store] = await db
    .select({ timeZone: schema.stores.timeZone })
    .from(schema.stores)
    .where(eq(schema.stores.id, storeId));
  return store?.timeZone ?? 'UTC';
}

async function customerOf(db: Executor, userId: string): Promise<DeskTicket['customer']> {
  const [user] = await db
    .select({ id: schema.users.id, name: schema.users.name })
    .from(schema.users)
    .where(eq(schema.users.id, userId));
  return { id: userId, name: user?.name ?? null };
}

/** The desk's view of a reservation (a drop ticket) of `storeId`, used at `usedAt`. */
export async function reservationTicket(
  db: Executor,
  storeId: string,
  reservationId: string,
  usedAt: Date,
): Promise<DeskTicket | undefined> {
  const r = schema.reservations;
  const [row] = await db
    .select({
      userId: r.userId,
      dropId: schema.drops.id,
      dropName: schema.drops.name,
      slotId: schema.slots.id,
      startsAt: schema.slots.startTime,
      endsAt: schema.slots.endTime,
      branchZone: schema.branches.timeZone,
    })
    .from(r)
    .innerJoin(schema.slots, eq(schema.slots.id, r.slotId))
    .innerJoin(schema.drops, eq(schema.drops.id, r.dropId))
    .leftJoin(schema.branches, eq(schema.branches.id, schema.drops.branchId))
    .where(and(eq(r.storeId, storeId), eq(r.id, reservationId)));
  if (!row) return undefined;
  return {
    kind: 'check_in',
    id: reservationId,
    customer: await customerOf(db, row.userId),
    drop: { id: row.dropId, name: row.dropName },
    slot: { id: row.slotId, startsAt: iso(row.startsAt), endsAt: iso(row.endsAt) },
    period: null,
    units: [],
    amountToCollect: 0,
    currency: null,
    usedAt: iso(usedAt),
    timeZone: row.branchZone ?? (await storeZone(db, storeId)),
  };
}

/**
 * The desk's view of a rental order's pickup or return. At pickup, the units held for the order are handed over and
 * an open invoice (a pay-at-pickup store) is collected; at return, the units out are taken back.
 */
export async function rentalTicket(
  db: Executor,
  storeId: string,
  rentalOrderId: string,
  kind: 'pickup' | 'return',
  usedAt: Date,
): Promise<DeskTicket | undefined> {
  const o = schema.rentalOrders;
  const [order] = await db
    .select({ userId: o.userId, startsAt: o.startsAt, endsAt: o.endsAt, currency: o.currency })
    .from(o)
    .where(and(eq(o.storeId, storeId), eq(o.id, rentalOrderId)));
  if (!order) return undefined;
  const ri = schema.rentalItems;
  const units = await db
    .select({
      inventoryItemId: ri.inventoryItemId,
      serial: schema.inventoryItems.serial,
      productId: ri.productId,
      productName: schema.products.name,
    })
    .from(ri)
    .innerJoin(schema.inventoryItems, eq(schema.inventoryItems.id, ri.inventoryItemId))
    .innerJoin(schema.products, eq(schema.products.id, ri.productId))
    .where(eq(ri.rentalOrderId, rentalOrderId))
    .orderBy(asc(schema.products.name), asc(schema.inventoryItems.serial));
  const [invoice] = await db
    .select({
      due: schema.invoices.amountDueCents,
      paid: schema.invoices.amountPaidCents,
      status: schema.invoices.status,
    })
    .from(schema.invoices)
    .where(eq(schema.invoices.rentalOrderId, rentalOrderId));
  const open = invoice && invoice.status === 'open' ? Math.max(0, invoice.due - invoice.paid) : 0;
  return {
    kind,
    id: rentalOrderId,
    customer: await customerOf(db, order.userId),
    drop: null,
    slot: null,
    period: { start: iso(order.startsAt), end: iso(order.endsAt) },
    units,
    amountToCollect: kind === 'pickup' ? open : 0,
    currency: order.currency,
    usedAt: iso(usedAt),
    timeZone: await storeZone(db, storeId),
  };
}

/**
 * Adds the `ticket` member to a 409 `qr_already_used` of a check-in or handover (what the desk names on a repeat
 * scan); any other error is returned as it is.
 */
export async function withUsedTicket(db: Executor, storeId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof ApiError) || error.code !== ProblemCode.qrAlreadyUsed) return error;
  const {
    firstUsedAt,
    reservationId,
    rentalOrderId,
    handoverType: type,
  } = error.extra as Record<string, unknown>;
  const at = typeof firstUsedAt === 'string' ? new Date(firstUsedAt) : new Date(0);
  const ticket =
    typeof reservationId === 'string'
      ? await reservationTicket(db, storeId, reservationId, at)
      : typeof rentalOrderId === 'string' && (type === 'pickup' || type === 'return')
        ? await rentalTicket(db, storeId, rentalOrderId, type, at)
        : undefined;
  if (!ticket) return error;
  return new ApiError(error.status, error.code, error.detail, { ...error.extra, ticket }, error.headers);
}
