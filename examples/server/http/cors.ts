/**
 * CORS for `/v1/*`. A browser may read an answer only when the request carried a known publishable key whose allowed
 * origins include the page's origin (a key with no allowed origins allows any). So:
 *
 * - `Access-Control-Allow-Origin` echoes the exact origin (never `*`, never credentials) on answers to such a key:
 *   successes and the domain's refusals alike (`slot_full`, `invalid_customer_token`, 404 …) so a widget can show them.
 * - It is never on answers to a secret key (server-side only), to no key, to an unknown, malformed or revoked key, or to
 *   a key that does not allow the origin (`origin_not_allowed`): the page learns nothing from those.
 * - Preflights cannot carry the key (browsers send no `Authorization` on `OPTIONS`). A preflight gets the allowed
 *   methods and headers, and `Access-Control-Allow-Origin` only when some active publishable key (of any store) allows
 *   the origin; an origin no store allows is stopped before the browser sends anything. A preflight answer holds no
 *   data: the real answer is judged on its own key as above.
 * - `Vary: Origin` is on every `/v1` answer, since whether it carries CORS headers depends on the origin.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { sql } from 'drizzle-orm';
import { rows } from '../db/index.js';
import { isExpired } from './auth.js';
import type { AppEnv } from './context.js';
import type { Services } from '../services.js';

const EXPOSE =
  'X-Request-Id, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Idempotent-Replayed';
const METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Customer-Token, X-Request-Id, Last-Event-ID';
const PUBLISHABLE = /^pk_(test|live)_[A-Za-z0-9]{16,64}$/;
/** A serialized origin as browsers send it: scheme://host[:port], nothing else. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** The publishable key a request presents: the bearer token, or `?key=` on the drop stream (for `EventSource`). */
function publishableKeyOf(c: Context): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
  const key = bearer ?? (/^\/v1\/drops\/[^/]+\/stream$/.test(c.req.path) ? c.req.query('key') : undefined);
  return key && PUBLISHABLE.test(key) ? key : undefined;
}

/** Whether any active publishable key allows `origin` (cached per origin; key notices clear the cache). */
export class PreflightOrigins {
  readonly #known = new Map<string, { allowed: boolean; until: number }>();
  constructor(private readonly ttlMs = 60_000) {}
  async allowed(services: Services, origin: string): Promise<boolean> {
    const hit = this.#known.get(origin);
    if (hit && hit.until > Date.now()) return hit.allowed;
    const found = await rows<{ one: number }>(
      services.db,
      sql`select 1 as one from api_keys where kind = 'publishable' and revoked_at is null
          and (expires_at is null or expires_at > ${services.clock.now().toISOString()}::timestamptz)
          and (allowed_origins = '[]'::jsonb or allowed_origins ? ${origin}) limit 1`,
    );
    if (this.#known.size > 10_000) this.#known.clear();
    this.#known.set(origin, { allowed: found.length > 0, until: Date.now() + this.ttlMs });
    return found.length > 0;
  }
  clear(): void {
    this.#known.clear();
  }
}

/** The CORS middleware of `/v1/*` (see the module comment for the rule). */
export function cors(preflights: PreflightOrigins): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      c.header('vary', 'Origin', { append: true });
      if (origin && ORIGIN.test(origin) && (await preflights.allowed(c.get('services'), origin))) {
        c.header('access-control-allow-origin', origin);
        c.header('access-control-allow-methods', METHODS);
        c.header('access-control-allow-headers', HEADERS);
        c.header('access-control-max-age', '600');
      }
      return c.body(null, 204);
    }
    await next();
    const headers = c.res.headers;
    headers.append('vary', 'Origin');
    if (!origin) return;
    const key = publishableKeyOf(c);
    if (!key) return;
    const services = c.get('services');
    const row = await services.keys.lookup(services, key);
    if (!row || row.kind !== 'publishable' || isExpired(row, services.clock.now())) return;
    if (row.allowedOrigins.length > 0 && !row.allowedOrigins.includes(origin)) return;
    headers.set('access-control-allow-origin', origin);
    headers.set('access-control-expose-headers', EXPOSE);
  };
}
