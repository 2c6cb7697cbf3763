import { schema, type Executor } from '../db/index.js';

/** Who did something, for the audit trail. */
export interface Actor {
  storeId: string;
  userId?: string | undefined;
  keyId?: string | undefined;
  ip?: string | undefined;
  ua?: string | undefined;
  requestId?: string | undefined;
}

/** The system itself (sweeper, promotions triggered by expiry). */
export const systemActor = (storeId: string): Actor => ({ storeId });

/** Writes one audit row; always called with the transaction that makes the change. */
export async function audit(
  tx: Executor,
  actor: Actor,
  action: string,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
  at: Date,
): Promise<void> {
  await tx.insert(schema.auditLogs).values({
    storeId: actor.storeId,
    actorUserId: actor.userId ?? null,
    actorKeyId: actor.keyId ?? null,
    action,
    entity,
    entityId,
    before: (before ?? null) as object | null,
    after: (after ?? null) as object | null,
    ip: actor.ip ?? null,
    ua: actor.ua ?? null,
    requestId: actor.requestId ?? null,
    createdAt: at,
  });
}
