/**
 * `Idempotency-Key` on POST (IETF httpapi draft semantics): the first request runs and its response is stored;
 * a repeat replays the stored status and body; a repeat with another body or path is 422; a repeat while the first
 * is still running is 409. Keys are scoped per API key and customer and kept at least 24 hours.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { and, eq, lt } from 'drizzle-orm';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from './problem.js';
import type { AppEnv, Auth } from './context.js';
import type { Services } from '../services.js';
import { schema } from '../db/index.js';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** A request that held its key longer than this is presumed dead (its process crashed) and may be taken over. */
const STALE_LOCK_MS = 60_000;
export const RETENTION_MS = 24 * 60 * 60 * 1000;

type Outcome = { status: number; body: unknown } | Response;

export async function withIdempotency(
  c: Context<AppEnv>,
  services: Services,
  auth: Auth,
  rawBody: string,
  run: () => Promise<Outcome>,
): Promise<Outcome> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return run();
  if (!KEY_FORMAT.test(key)) {
    throw new ApiError(
      400,
      ProblemCode.invalidIdempotencyKey,
      'Idempotency-Key must be 1–255 printable ASCII characters.',
    );
  }
  const { db, clock } = services;
  const t = schema.idempotencyKeys;
  const scope = `${auth.keyId}:${auth.userId ?? '-'}`;
  const path = c.req.path;
  const requestHash = createHash('sha256').update(`${c.req.method} ${path}\n${rawBody}`).digest('hex');
  const now = clock.now();
  const inserted = await db
    .insert(t)
    .values({ scope, key, method: c.req.method, path, requestHash, lockedAt: now, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: t.key });
  if (inserted.length === 0) {
    const [existing] = await db
      .select()
      .from(t)
      .where(and(eq(t.scope, scope), eq(t.key, key)));
    if (!existing) return withIdempotency(c, services, auth, rawBody, run); // expired between the two statements
    if (existing.requestHash !== requestHash) {
      throw new ApiError(
        422,
        ProblemCode.idempotencyKeyReused,
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    }
    if (existing.responseStatus !== null) {
      c.header('idempotent-replayed', 'true');
      const stored = existing.responseBody as StoredProblem | null;
      if (stored && typeof stored === 'object' && stored.__problem) {
        throw new ApiError(stored.status, stored.code, stored.detail, stored.extra, {
          'idempotent-replayed': 'true',
        });
      }
      return { status: existing.responseStatus, body: existing.responseBody };
    }
    const stale = existing.lockedAt && now.getTime() - existing.lockedAt.getTime() > STALE_LOCK_MS;
    const takenOver =
      stale &&
      (
        await db
          .update(t)
          .set({ lockedAt: now })
          .where(and(eq(t.scope, scope), eq(t.key, key), eq(t.lockedAt, existing.lockedAt!)))
          .returning({ key: t.key })
      ).length > 0;
    if (!takenOver) {
      throw new ApiError(
        409,
        ProblemCode.idempotencyKeyInFlight,
        'A request with this Idempotency-Key is still being processed; retry shortly.',
        {},
        { 'retry-after': '1' },
      );
    }
  }
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (error instanceof ApiError && error.status < 500 && error.status !== 429) {
      await store(services, scope, key, error.status, problemFor(error));
    } else {
      await db.delete(t).where(and(eq(t.scope, scope), eq(t.key, key)));
    }
    throw error;
  }
  if (!(outcome instanceof Response)) await store(services, scope, key, outcome.status, outcome.body);
  return outcome;
}

interface StoredProblem {
  __problem: true;
  status: number;
  code: ProblemCode;
  detail: string;
  extra: Record<string, unknown>;
}

function problemFor(error: ApiError): StoredProblem {
  return {
    __problem: true,
    status: error.status,
    code: error.code,
    detail: error.detail,
    extra: error.extra,
  };
}

async function store(services: Services, scope: string, key: string, status: number, body: unknown) {
  const t = schema.idempotencyKeys;
  await services.db
    .update(t)
    .set({ responseStatus: status, responseBody: body as object, lockedAt: null })
    .where(and(eq(t.scope, scope), eq(t.key, key)));
}

/** Deletes records older than the retention window. */
export async function purgeIdempotencyKeys(services: Services): Promise<void> {
  const cutoff = new Date(services.clock.now().getTime() - RETENTION_MS);
  await services.db.delete(schema.idempotencyKeys).where(lt(schema.idempotencyKeys.createdAt, cutoff));
}
