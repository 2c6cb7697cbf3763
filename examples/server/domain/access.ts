/**
 * Taking access away: revoking an API key and removing a member's role. Both announce the change on the events
 * channel in the same transaction, so every process refuses the key or the role as soon as it commits. (The API that
 * calls these comes with the merchant routes: keys and members.)
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { rows, schema, transaction, type Database } from '../db/index.js';
import { notFound } from '../http/problem.js';
import type { RoleCode } from '../http/context.js';
import { announce } from '../http/revocation.js';
import { audit, type Actor } from './audit.js';

const k = schema.apiKeys;

/** Revokes a key of the actor's store (idempotent: an already revoked key stays revoked at its first time). */
export async function revokeApiKey(
  db: Database,
  actor: Actor,
  keyId: string,
  now: Date,
): Promise<{ id: string; revokedAt: Date }> {
  return transaction(db, async (tx) => {
    const [key] = await tx
      .select()
      .from(k)
      .where(and(eq(k.storeId, actor.storeId), eq(k.id, keyId)));
    if (!key) throw notFound('API key');
    if (key.revokedAt) return { id: key.id, revokedAt: key.revokedAt };
    await tx
      .update(k)
      .set({ revokedAt: now })
      .where(and(eq(k.id, keyId), isNull(k.revokedAt)));
    await audit(tx, actor, 'api_key.revoke', 'api_key', key.id, { revokedAt: null }, { revokedAt: now }, now);
    await announce(tx, { t: 'key', keyHash: key.keyHash });
    return { id: key.id, revokedAt: now };
  });
}

/** Removes one role of a user in the actor's store (a staff member leaving); false when they did not hold it. */
export async function removeRole(
  db: Database,
  actor: Actor,
  userId: string,
  role: Exclude<RoleCode, 'admin'>,
  now: Date,
): Promise<boolean> {
  return transaction(db, async (tx) => {
    const removed = await rows<{ user_id: string }>(
      tx,
      sql`delete from user_roles ur using roles r
          where ur.role_id = r.id and r.code = ${role} and ur.user_id = ${userId} and ur.store_id = ${actor.storeId}
          returning ur.user_id`,
    );
    if (removed.length === 0) return false;
    await audit(tx, actor, 'member.role_remove', 'user', userId, { role }, null, now);
    await announce(tx, { t: 'roles', userId });
    return true;
  });
}
