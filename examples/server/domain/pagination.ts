import { and, asc, desc, gt, lt, or, eq, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

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
