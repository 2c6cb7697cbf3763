/**
 * Keys, customer tokens and roles. Publishable keys read the catalog and act for the customer of the token;
 * secret keys do everything for their store; staff and owners are users with a role in the store.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from './problem.js';
import type { AppEnv, Auth, RoleCode } from './context.js';
import type { Services } from '../services.js';
import { schema, rows } from '../db/index.js';

/**
 * Who may call a route: `none` (no key), `key` (any key of the store), `publishable` (a publishable key: sign-up/in),
 * `customer` (a customer token with a publishable key, or a secret key), `staff` (secret key, or a staff/owner/admin
 * user), `owner` (secret key, or an owner/admin user).
 */
export type Access = 'none' | 'key' | 'publishable' | 'customer' | 'staff' | 'owner';

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

interface CachedKey {
  row: typeof schema.apiKeys.$inferSelect | undefined;
  until: number;
}

/** Looks keys up by hash, caching hits and misses for a few seconds so the hot path skips the database. */
export class KeyCache {
  #cache = new Map<string, CachedKey>();
  constructor(private readonly ttlMs = 10_000) {}
  async lookup(services: Services, key: string) {
    const hash = hashKey(key);
    const hit = this.#cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.row;
    const [row] = await services.db
      .select()
      .from(schema.apiKeys)
      .where(and(eq(schema.apiKeys.keyHash, hash), isNull(schema.apiKeys.revokedAt)));
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { row, until: Date.now() + this.ttlMs });
    return row;
  }
  clear() {
    this.#cache.clear();
  }
}

const KEY_FORMAT = /^(pk|sk)_(test|live)_[A-Za-z0-9]{16,64}$/;

export async function authenticate(
  c: Context<AppEnv>,
  services: Services,
  access: Access,
): Promise<Auth | undefined> {
  if (access === 'none') return undefined;
  const header = c.req.header('authorization');
  if (!header) {
    throw new ApiError(
      401,
      ProblemCode.unauthenticated,
      'Send an API key as `Authorization: Bearer <key>`.',
      {},
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const key = match?.[1];
  if (!key || !KEY_FORMAT.test(key)) {
    throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is malformed.');
  }
  const row = await services.keys.lookup(services, key);
  if (!row) throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is unknown or revoked.');
  const kind = row.kind as Auth['keyKind'];
  if ((kind === 'publishable') !== key.startsWith('pk_')) {
    throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is unknown or revoked.');
  }
  const origin = c.req.header('origin');
  if (
    kind === 'publishable' &&
    origin &&
    row.allowedOrigins.length > 0 &&
    !row.allowedOrigins.includes(origin)
  ) {
    throw new ApiError(403, ProblemCode.originNotAllowed, `Origin ${origin} is not allowed for this key.`);
  }
  const auth: Auth = {
    storeId: row.storeId,
    keyId: row.id,
    keyKind: kind,
    allowedOrigins: row.allowedOrigins,
  };
  const token = c.req.header('x-customer-token');
  if (token) {
    const claims = await services.tokens.verifyCustomerToken(token);
    if (!claims || claims.storeId !== row.storeId) {
      throw new ApiError(401, ProblemCode.invalidCustomerToken, 'The customer token is invalid or expired.');
    }
    auth.userId = claims.userId;
  }
  c.set('auth', auth);
  return auth;
}

/** The role codes a user holds in a store (platform-wide roles included). */
export async function rolesOf(services: Services, userId: string, storeId: string): Promise<Set<RoleCode>> {
  const found = await rows<{ code: RoleCode }>(
    services.db,
    sql`select r.code from ${schema.userRoles} ur join ${schema.roles} r on r.id = ur.role_id
        where ur.user_id = ${userId} and (ur.store_id = ${storeId} or ur.store_id is null)`,
  );
  return new Set(found.map((r) => r.code));
}

export async function requireAccess(
  services: Services,
  auth: Auth | undefined,
  access: Access,
): Promise<void> {
  if (!auth || access === 'none' || access === 'key') return;
  if (access === 'publishable') {
    if (auth.keyKind !== 'publishable') {
      throw new ApiError(403, ProblemCode.wrongKeyKind, 'Use a publishable key for this route.');
    }
    return;
  }
  if (auth.keyKind === 'secret') return;
  if (access === 'customer') {
    if (!auth.userId) {
      throw new ApiError(401, ProblemCode.customerTokenRequired, 'Sign in first: send `X-Customer-Token`.');
    }
    return;
  }
  const needed: RoleCode[] = access === 'staff' ? ['staff', 'owner', 'admin'] : ['owner', 'admin'];
  if (!auth.userId) {
    throw new ApiError(
      403,
      ProblemCode.wrongKeyKind,
      access === 'owner'
        ? 'This route needs a secret key or an owner signed in.'
        : 'This route needs a secret key or a staff member signed in.',
    );
  }
  const held = await rolesOf(services, auth.userId, auth.storeId);
  if (!needed.some((role) => held.has(role))) {
    throw new ApiError(
      403,
      ProblemCode.forbidden,
      `This route needs one of the roles: ${needed.join(', ')}.`,
    );
  }
}

/** Whether the user of `auth` (if any) is staff, owner or admin of the store; secret keys always are. */
export async function isStaff(services: Services, auth: Auth): Promise<boolean> {
  if (auth.keyKind === 'secret') return true;
  if (!auth.userId) return false;
  const held = await rolesOf(services, auth.userId, auth.storeId);
  return held.has('staff') || held.has('owner') || held.has('admin');
}

/** The customer whose rows a mutation may touch: the token's own customer, or anyone's (undefined) with a secret key. */
export function ownerScope(auth: Auth): string | undefined {
  return auth.keyKind === 'secret' ? undefined : auth.userId;
}
