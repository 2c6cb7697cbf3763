import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/** One state change of the store: who (user and/or key, IP, user agent, request), what, before and after. */
export const AuditLog = named(
  'AuditLog',
  'One audited state change: actor, action, entity, before and after. Never updated or deleted.',
  z.object({
    id: Id,
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    actor: z.object({
      /** The signed-in user or customer, if any. */
      userId: z.nullable(Id),
      /** The API key used, if any (null for the system: sweeper, expiries). */
      keyId: z.nullable(Id),
    }),
    before: z.unknown(),
    after: z.unknown(),
    ip: z.nullable(z.string()),
    userAgent: z.nullable(z.string()),
    requestId: z.nullable(z.string()),
    createdAt: Timestamp,
  }),
);
export type AuditLog = z.infer<typeof AuditLog>;

export const AuditLogList = Page('AuditLogList', AuditLog);
export type AuditLogList = z.infer<typeof AuditLogList>;

/** Query of `GET /audit-logs`: newest first, filtered by entity, action, actor and a half-open period `[from, to)`. */
export const AuditLogListQuery = z.extend(ListQuery, {
  entity: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  entityId: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  action: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  actorUserId: z.optional(Id),
  from: z.optional(Timestamp),
  to: z.optional(Timestamp),
});
export type AuditLogListQuery = z.infer<typeof AuditLogListQuery>;
