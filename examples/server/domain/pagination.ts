import { and, asc, desc, gt, lt, or, eq, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { ProblemCode } from '../../../src/schemas/index.js';
import type { Executor } from '../db/index.js';
import { ApiError } from '../http/problem.js';

/** Keyset pagination over (sort column, id): the rows after the cursor row, one more than asked to know `hasMore`. */
export function keyset(options: {
  sort: PgColumn;
  id: PgColumn;
  direction: 'asc' | 'desc';
  cursor?: { sort: unknown; id: string } | undefined;
}): { where: SQL | undefined; orderBy: SQL[] } {
  const { sort, id, direction, cursor } = options;
  const after = direction === 'asc' ? gt : lt;
  const order = direction === 'asc' ? asc : desc;
  const where = cursor
    ? or(after(sort, cursor.sort), and(eq(sort, cursor.sort), after(id, cursor.id)))
    : undefined;
  return { where, orderBy: [order(sort), order(id)] };
}

/** Cuts the extra row off a page fetched with `limit + 1`. */
export function page<T>(rows: T[], limit: number): { data: T[]; hasMore: boolean } {
  return { data: rows.slice(0, limit), hasMore: rows.length > limit };
}

export const DEFAULT_LIMIT = 20;

/**
 * The keyset window of one page of a store's rows: resolves `startingAfter` to its row (400 if it names no row of the
 * store) and returns the filter, order and row limit (one more than asked, for `hasMore`).
 */
export async function pageWindow(
  db: Executor,
  options: {
    table: PgTable & { id: PgColumn; storeId: PgColumn };
    sort: PgColumn;
    direction: 'asc' | 'desc';
    storeId: string;
    startingAfter?: string | undefined;
    limit?: number | undefined;
    what: string;
  },
): Promise<{ where: SQL | undefined; orderBy: SQL[]; take: number; limit: number }> {
  const { table, sort, storeId, startingAfter, what } = options;
  let cursor;
  if (startingAfter) {
    const [row] = await db
      .select({ sort, id: table.id })
      .from(table)
      .where(and(eq(table.storeId, storeId), eq(table.id, startingAfter)));
    if (!row)
      throw new ApiError(400, ProblemCode.validationFailed, `startingAfter names no ${what} you can see.`);
    cursor = row as { sort: unknown; id: string };
  }
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { where, orderBy } = keyset({ sort, id: table.id, direction: options.direction, cursor });
  return { where, orderBy, take: limit + 1, limit };
}
