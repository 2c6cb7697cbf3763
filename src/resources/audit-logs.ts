import type { ListPromise, RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { AuditLogList, type AuditLog, type AuditLogListQuery } from '../schemas/audit.js';
import { list } from './shared.js';

/**
 * The store's audit trail (`GET /v1/audit-logs`, secret key or an owner): every state change with its actor,
 * before and after. Rows are never changed or deleted.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * for await (const row of client.auditLogs.list({ entity: 'reservation', from: '2030-03-01T00:00:00Z' })) {
 *   console.log(row.createdAt, row.action, row.entityId);
 * }
 * ```
 */
export interface AuditLogsResource {
  /** Newest first, filtered by `entity`, `entityId`, `action`, `actorUserId` and `[from, to)`. */
  list(query?: AuditLogListQuery, options?: RequestOptions): ListPromise<AuditLog>;
}

export function auditLogsResource(t: Transport): AuditLogsResource {
  return { list: (query, options) => list(t, 'audit-logs', AuditLogList, query, options) };
}
