/**
 * The store's API keys: list, create, change, revoke and roll. A key is shown once, in the answer that makes it, and
 * stored as its SHA-256 hash. Every change is audited (never with the key or its hash) and, when it changes how a key
 * is accepted (revoked, expiring, other origins), announced on the events channel so every process drops the key from
 * its cache at once (`http/revocation.ts`).
 *
 * A store always keeps one secret key that does not expire: revoking or rolling away the last one is refused with 409
 * `last_secret_key` (rolling replaces it, so rolling is always allowed). Changes that count keys lock the store row,
 * so two at once cannot both pass the count.
 */
import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import {
  ProblemCode,
  type ApiKey,
  type ApiKeyCreate,
  type ApiKeyList,
  type ApiKeyRolled,
  type ApiKeyUpdate,
  type ApiKeyWithSecret,
  type ListQuery,
} from '../../../src/schemas/index.js';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { hashKey, isExpired } from '../http/auth.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import { announce } from '../http/revocation.js';
import { revokeApiKey } from './access.js';
import { audit, type Actor } from './audit.js';
import { newApiKey } from './stores.js';

type KeyRow = typeof schema.apiKeys.$inferSelect;
const k = schema.apiKeys;

/** How long a rolled key keeps working when the roll does not say. */
export const DEFAULT_ROLL_OVERLAP_SECONDS = 24 * 3600;

export function serializeApiKey(row: KeyRow, now: Date): ApiKey {
  const status = row.revokedAt
    ? 'revoked'
    : isExpired(row, now)
      ? 'expired'
      : row.expiresAt
        ? 'expiring'
        : 'active';
  return {
    id: row.id,
    kind: row.kind as ApiKey['kind'],
    prefix: row.prefix,
    label: row.label,
    allowedOrigins: row.allowedOrigins,
    status,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    replacedBy: row.replacedById,
  };
}

/** What the audit trail keeps of a key: never the key or its hash. */
const audited = (row: KeyRow) => ({
  kind: row.kind,
  prefix: row.prefix,
  label: row.label,
  allowedOrigins: row.allowedOrigins,
  revokedAt: row.revokedAt?.toISOString() ?? null,
  expiresAt: row.expiresAt?.toISOString() ?? null,
  replacedBy: row.replacedById,
});

async function keyRow(db: Executor, storeId: string, id: string, lock = false): Promise<KeyRow> {
  const query = db
    .select()
    .from(k)
    .where(and(eq(k.storeId, storeId), eq(k.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('API key');
  return row;
}

/**
 * Locks the store row, so changes to its keys and team run one at a time per store (two cannot both pass a count of
 * owners or secret keys), then checks the caller again under the lock: a request authorised before the change it
 * waited for (its key revoked, its owner demoted or removed) is refused now, not applied after that change.
 */
export async function lockStore(tx: Executor, actor: Actor, now: Date): Promise<void> {
  await tx.execute(sql`select id from ${schema.stores} where id = ${actor.storeId} for update`);
  if (!actor.keyId) return;
  const [key] = await tx.select().from(k).where(eq(k.id, actor.keyId));
  if (!key || key.revokedAt || isExpired(key, now))
    throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is unknown, revoked or expired.');
  if (key.kind === 'secret' || !actor.userId) return;
  const [owner] = await rows<{ one: number }>(
    tx,
    sql`select 1 as one from ${schema.userRoles} ur join ${schema.roles} r on r.id = ur.role_id
        where ur.user_id = ${actor.userId} and (ur.store_id = ${actor.storeId} or ur.store_id is null)
          and r.code in ('owner', 'admin')`,
  );
  if (!owner)
    throw new ApiError(403, ProblemCode.forbidden, 'This route needs one of the roles: owner, admin.');
}

const inactive = (row: KeyRow, now: Date) =>
  row.revokedAt
    ? new ApiError(409, ProblemCode.apiKeyInactive, `The API key ${row.prefix}… is revoked.`)
    : isExpired(row, now)
      ? new ApiError(409, ProblemCode.apiKeyInactive, `The API key ${row.prefix}… has expired.`)
      : undefined;

/** Origins are compared exactly with the browser's `Origin`: duplicates go, order is kept. */
function origins(kind: string, list: string[] | undefined): string[] {
  if (list === undefined || list.length === 0) return [];
  if (kind !== 'publishable') {
    throw invalidField(
      'body.allowedOrigins',
      'Only publishable keys have allowed origins: a secret key is used by servers, never by a page.',
    );
  }
  return [...new Set(list)];
}

export async function listApiKeys(
  db: Executor,
  storeId: string,
  query: ListQuery,
  now: Date,
): Promise<ApiKeyList> {
  const limit = query.limit ?? 20;
  if (query.startingAfter)
    await keyRow(db, storeId, query.startingAfter).catch(() => {
      throw invalidField('query.startingAfter', 'startingAfter names no API key you can see.');
    });
  const found = await db
    .select()
    .from(k)
    .where(and(eq(k.storeId, storeId), query.startingAfter ? gt(k.id, query.startingAfter) : undefined))
    .orderBy(asc(k.id))
    .limit(limit + 1);
  return {
    data: found.slice(0, limit).map((row) => serializeApiKey(row, now)),
    hasMore: found.length > limit,
  };
}

export async function getApiKey(db: Executor, storeId: string, id: string, now: Date): Promise<ApiKey> {
  return serializeApiKey(await keyRow(db, storeId, id), now);
}

/** Inserts a new key of `kind` and returns its row and the key itself (never stored). */
async function insertKey(
  tx: Executor,
  storeId: string,
  values: { kind: 'publishable' | 'secret'; label: string | null; allowedOrigins: string[] },
  now: Date,
): Promise<{ row: KeyRow; secret: string }> {
  const secret = newApiKey(values.kind);
  const [row] = await tx
    .insert(k)
    .values({
      storeId,
      kind: values.kind,
      prefix: secret.slice(0, 12),
      keyHash: hashKey(secret),
      allowedOrigins: values.allowedOrigins,
      label: values.label,
      createdAt: now,
    })
    .returning();
  return { row: row!, secret };
}

export async function createApiKey(
  db: Database,
  actor: Actor,
  input: ApiKeyCreate,
  now: Date,
): Promise<ApiKeyWithSecret> {
  const allowedOrigins = origins(input.kind, input.allowedOrigins);
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const { row, secret } = await insertKey(
      tx,
      actor.storeId,
      { kind: input.kind, label: input.label ?? null, allowedOrigins },
      now,
    );
    await audit(tx, actor, 'api_key.create', 'api_key', row.id, null, audited(row), now);
    return { ...serializeApiKey(row, now), secret };
  });
}

/** Changes the label or the allowed origins; new origins apply at once on every process (the key is announced). */
export async function updateApiKey(
  db: Database,
  actor: Actor,
  id: string,
  input: ApiKeyUpdate,
  now: Date,
): Promise<ApiKey> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const before = await keyRow(tx, actor.storeId, id, true);
    const refused = inactive(before, now);
    if (refused) throw refused;
    const set: Partial<typeof k.$inferInsert> = {};
    if (input.label !== undefined) set.label = input.label;
    if (input.allowedOrigins !== undefined) set.allowedOrigins = origins(before.kind, input.allowedOrigins);
    if (Object.keys(set).length === 0) return serializeApiKey(before, now);
    const [after] = await tx.update(k).set(set).where(eq(k.id, id)).returning();
    await audit(tx, actor, 'api_key.update', 'api_key', id, audited(before), audited(after!), now);
    if (set.allowedOrigins !== undefined) await announce(tx, { t: 'key', keyHash: before.keyHash });
    return serializeApiKey(after!, now);
  });
}

/** Secret keys of the store that are neither revoked nor expiring, other than `exceptId`. */
async function lastingSecretKeys(tx: Executor, storeId: string, exceptId: string): Promise<number> {
  const found = await tx
    .select({ id: k.id })
    .from(k)
    .where(
      and(
        eq(k.storeId, storeId),
        eq(k.kind, 'secret'),
        isNull(k.revokedAt),
        isNull(k.expiresAt),
        ne(k.id, exceptId),
      ),
    );
  return found.length;
}

/**
 * Revokes a key (idempotent: a revoked key answers as it is). The last secret key that does not expire cannot be
 * revoked (409 `last_secret_key`): roll it, with `expiresPreviousAfter: 0` to stop it now. A key may revoke itself.
 */
export async function revokeKey(db: Database, actor: Actor, id: string, now: Date): Promise<ApiKey> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const before = await keyRow(tx, actor.storeId, id, true);
    if (before.revokedAt) return serializeApiKey(before, now);
    if (
      before.kind === 'secret' &&
      before.expiresAt === null &&
      (await lastingSecretKeys(tx, actor.storeId, id)) === 0
    ) {
      throw new ApiError(
        409,
        ProblemCode.lastSecretKey,
        'This is the store’s last secret key: revoking it would leave none. Roll it instead ' +
          '(`POST /v1/api-keys/{id}/roll` with `expiresPreviousAfter: 0` stops it at once).',
      );
    }
    // The transaction is a savepoint of this one: the count above and the revocation commit together.
    await revokeApiKey(tx as unknown as Database, actor, id, now);
    return serializeApiKey(await keyRow(tx, actor.storeId, id), now);
  });
}

/**
 * Rolls a key: a new key of the same kind, label and origins (shown once), and the old one accepted until
 * `overlapSeconds` from now (0: it stops at once), then refused on every process. A revoked or expired key cannot be
 * rolled (409 `api_key_inactive`), nor one rolled already (409 `api_key_rolled`: roll its successor).
 */
export async function rollApiKey(
  db: Database,
  actor: Actor,
  id: string,
  overlapSeconds: number,
  now: Date,
): Promise<ApiKeyRolled> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const before = await keyRow(tx, actor.storeId, id, true);
    const refused = inactive(before, now);
    if (refused) throw refused;
    if (before.expiresAt || before.replacedById) {
      throw new ApiError(
        409,
        ProblemCode.apiKeyRolled,
        `The API key ${before.prefix}… was rolled already (it expires at ${before.expiresAt?.toISOString()}). ` +
          'Roll the key that replaced it, or revoke this one to end the overlap now.',
        { replacedBy: before.replacedById },
      );
    }
    const { row: next, secret } = await insertKey(
      tx,
      actor.storeId,
      {
        kind: before.kind as 'publishable' | 'secret',
        label: before.label,
        allowedOrigins: before.allowedOrigins,
      },
      now,
    );
    const [after] = await tx
      .update(k)
      .set({ expiresAt: new Date(now.getTime() + overlapSeconds * 1000), replacedById: next.id })
      .where(eq(k.id, id))
      .returning();
    await audit(tx, actor, 'api_key.create', 'api_key', next.id, null, audited(next), now);
    await audit(tx, actor, 'api_key.roll', 'api_key', id, audited(before), audited(after!), now);
    // Every process drops the old key's cached row, which did not carry the expiry.
    await announce(tx, { t: 'key', keyHash: before.keyHash });
    return { ...serializeApiKey(next, now), secret, previous: serializeApiKey(after!, now) };
  });
}
