/** Reading the audit trail (`GET /audit-logs`). Audit rows are append-only: a trigger refuses UPDATE and DELETE. */
import { and, eq, gte, lt } from 'drizzle-orm';
import type { AuditLog, AuditLogListQuery } from '../../../src/schemas/index.js';
import { schema, type Database } from '../db/index.js';
import { page, pageWindow } from './pagination.js';

const a = schema.auditLogs;

export async function listAuditLogs(
  db: Database,
  storeId: string,
  query: AuditLogListQuery,
): Promise<{ data: AuditLog[]; hasMore: boolean }> {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: a as typeof a & { storeId: typeof a.storeId },
    sort: a.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'audit log',
  });
  const found = await db
    .select()
    .from(a)
    .where(
      and(
        eq(a.storeId, storeId),
        where,
        query.entity ? eq(a.entity, query.entity) : undefined,
        query.entityId ? eq(a.entityId, query.entityId) : undefined,
        query.action ? eq(a.action, query.action) : undefined,
        query.actorUserId ? eq(a.actorUserId, query.actorUserId) : undefined,
        query.from ? gte(a.createdAt, new Date(query.from)) : undefined,
        query.to ? lt(a.createdAt, new Date(query.to)) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return {
    data: result.data.map((row) => ({
      id: row.id,
      action: row.action,
      entity: row.entity,
      entityId: row.entityId,
      actor: { userId: row.actorUserId, keyId: row.actorKeyId },
      before: row.before ?? null,
      after: row.after ?? null,
      ip: row.ip,
      userAgent: row.ua,
      requestId: row.requestId,
      createdAt: row.createdAt.toISOString(),
    })),
    hasMore: result.hasMore,
  };
}
