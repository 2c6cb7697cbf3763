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

/** Whether a key row has passed its `expiresAt` (a rolled key after its overlap) at `now`. */
export function isExpired(row: { expiresAt: Date | null }, now: Date): boolean {
  return row.expiresAt !== null && row.expiresAt.getTime() <= now.getTime();
}

/**
 * Looks keys up by hash, caching hits and misses so the hot path skips the database. A revoked or changed key is
 * dropped from every process's cache by its notice on the events channel (`forget`, wired in `createApp`); the TTL
 * is only a backstop for a notice lost while a LISTEN connection reconnects. A cached row carries its `expiresAt`,
 * which callers compare with the clock on every request (`isExpired`), so a rolled key stops at its expiry to the
 * millisecond, with no notice and no TTL involved.
 */
export class KeyCache {
  #cache = new Map<string, CachedKey>();
  constructor(private readonly ttlMs = 60_000) {}
  /** Drops the cached row of a key (by its hash): the next request reads it again. */
  forget(keyHash: string) {
    this.#cache.delete(keyHash);
  }
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

/** The drop stream: the browser's own `EventSource` sends no headers, so there a publishable key may be `?key=`. */
const QUERY_KEY_ROUTE = /^\/v1\/drops\/[^/]+\/stream$/;
const SECRET_KEY_IN_URL = /^sk_(test|live)_/;
const TOKEN_IN_URL = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

/**
 * The API key a request presents: `Authorization: Bearer <key>`, or on the drop stream a publishable key as the `key`
 * query parameter. A secret key in any URL, or a customer token in the stream's URL, is refused with 400
 * `credential_in_url` (URLs end up in logs, history and Referer headers). The CORS layer reads the key here too, so a
 * query key counts as the request's publishable key for allowed origins.
 */
export function presentedKey(c: Context): { key: string; from: 'header' | 'query' } | undefined {
  const queries = c.req.url.includes('?') ? c.req.queries() : {};
  for (const [name, values] of Object.entries(queries)) {
    if (values.some((value) => SECRET_KEY_IN_URL.test(value))) {
      throw new ApiError(
        400,
        ProblemCode.credentialInUrl,
        `A secret key was sent in the URL (\`${name}\`). Secret keys belong in the \`Authorization\` header of a ` +
          'server; treat this key as leaked and roll it.',
      );
    }
  }
  const stream = QUERY_KEY_ROUTE.test(c.req.path);
  if (stream) {
    for (const [name, values] of Object.entries(queries)) {
      if (/token/i.test(name) || values.some((value) => TOKEN_IN_URL.test(value))) {
        throw new ApiError(
          400,
          ProblemCode.credentialInUrl,
          `A customer token was sent in the URL (\`${name}\`). The stream needs only a publishable key: \`?key=pk_…\`.`,
        );
      }
    }
  }
  const header = c.req.header('authorization');
  if (header) return { key: /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '', from: 'header' };
  const key = stream ? queries['key']?.[0] : undefined;
  return key === undefined ? undefined : { key, from: 'query' };
}

export async function authenticate(
  c: Context<AppEnv>,
  services: Services,
  access: Access,
): Promise<Auth | undefined> {
  if (access === 'none') return undefined;
  const presented = presentedKey(c);
  if (!presented) {
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
  const { key } = presented;
  if (!key || !KEY_FORMAT.test(key)) {
    throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is malformed.');
  }
  const row = await services.keys.lookup(services, key);
  if (!row) throw new ApiError(401, ProblemCode.invalidApiKey, 'The API key is unknown or revoked.');
  if (isExpired(row, services.clock.now())) {
    throw new ApiError(
      401,
      ProblemCode.invalidApiKey,
      'The API key has expired: it was rolled, and its overlap has ended. Use the key that replaced it.',
    );
  }
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
    if (services.revocations.isDisabled(claims.userId)) {
      throw new ApiError(401, ProblemCode.invalidCustomerToken, 'This account is disabled.');
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
