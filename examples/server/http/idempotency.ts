/**
 * `Idempotency-Key` on POST (IETF httpapi draft semantics). The first request runs as one unit of work: its changes,
 * the key and the exact answer it gave are committed in one database transaction, so a crash at any instant leaves
 * either everything (a retry replays the answer) or nothing (a retry runs afresh, at once). A repeat replays the stored
 * status, headers and body byte for byte; a repeat with another body or path is 422; a repeat that arrives while the
 * first is still running waits for it (bounded by `IDEMPOTENCY_WAIT_MS`) and replays its answer, or gets 409 when the
 * first takes longer than that. Keys are scoped per API key and customer and kept at least 24 hours.
 *
 * Routes that call a payment provider (`RouteSpec.externalCalls`) cannot be one transaction: the provider is outside
 * it, and money it moved must not be forgotten by a rollback. They are sagas of their own committed steps, each
 * idempotent by design (one live payment per target, provider calls keyed by it, refunds kept as pending records the
 * sweeper finishes). For them the key is held by a session lock while the route runs and the answer recorded after
 * it: a crash in between leaves no record, and the retry runs the saga again, which converges on the same result.
 *
 * An answer that carries a secret shown once (a new API key: `RouteSpec.secretAnswer`) is recorded sealed: encrypted
 * (AES-256-GCM) with a key derived from the credentials the request was sent with (`Authorization` and
 * `X-Customer-Token`, neither of which the server stores). A repeat with the same credentials gets the same answer;
 * the database never holds the secret in the clear.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { and, eq, lt, sql } from 'drizzle-orm';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError, problemBody } from './problem.js';
import type { AppEnv, Auth } from './context.js';
import type { Services } from '../services.js';
import { pgError, rows, schema, unitOfWork, type Executor } from '../db/index.js';

const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;
/** How long a repeat waits for the first request with its key to finish before it is answered 409. */
export const IDEMPOTENCY_WAIT_MS = 5_000;
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** What a route answers: a status and a body to serialise, or a finished response (streams, files). */
export type Outcome = { status: number; body: unknown } | Response;

/** A recorded answer: what a replay sends again, byte for byte. */
interface Recorded {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/**
 * Test hook: called at the named steps of a keyed request, so a crash test can kill the process between any two.
 * `claimed` — the key is taken (uncommitted); `ran` — the change is made (uncommitted); `recorded` — the answer is
 * stored (uncommitted); `committed` — all of it is committed, the answer not yet sent.
 */
export type IdempotencyStep = 'claimed' | 'ran' | 'recorded' | 'committed';

export async function withIdempotency(
  c: Context<AppEnv>,
  services: Services,
  auth: Auth,
  rawBody: string,
  run: () => Promise<Outcome>,
  options: {
    mode?: 'unit' | 'saga';
    /**
     * A refusal decided from memory (a slot known full): checked after the key's recorded answer is looked up (a
     * replay wins over it) and before a unit of work opens. Such a refusal is not recorded.
     */
    refuseEarly?: () => void;
    /** Called when the answer is a replay (it gives back the rate-limit point the request took). */
    onReplay?: () => Promise<void>;
    /** The request's credentials: when given, the answer is recorded sealed with them (see the module comment). */
    seal?: string | undefined;
  } = {},
): Promise<Response | { status: number; body: unknown }> {
  const { mode = 'unit', refuseEarly, onReplay, seal } = options;
  const replayed = async (answer: Recorded) => {
    c.header('idempotent-replayed', 'true');
    await onReplay?.();
    return send(c, answer);
  };
  const key = c.req.header('idempotency-key');
  if (key === undefined) {
    refuseEarly?.();
    return run();
  }
  if (!KEY_FORMAT.test(key)) {
    throw new ApiError(
      400,
      ProblemCode.invalidIdempotencyKey,
      'Idempotency-Key must be 1–255 printable ASCII characters.',
    );
  }
  const scope = `${auth.keyId}:${auth.userId ?? '-'}`;
  const path = c.req.path;
  const method = c.req.method;
  const requestHash = createHash('sha256').update(`${method} ${path}\n${rawBody}`).digest('hex');
  const step = services.onIdempotencyStep ?? (() => {});
  const waitMs = services.idempotencyWaitMs ?? IDEMPOTENCY_WAIT_MS;
  const record = (tx: Executor, answer: Recorded) =>
    tx
      .insert(schema.idempotencyKeys)
      .values({
        scope,
        key,
        method,
        path,
        requestHash,
        responseStatus: answer.status,
        responseText: seal === undefined ? answer.text : sealText(answer.text, seal, scope, key),
        responseHeaders: answer.headers,
        createdAt: services.clock.now(),
      })
      .onConflictDoNothing();

  if (refuseEarly) {
    // One indexed read, no transaction: a committed answer is replayed even when the slot is full by now.
    const replay = await recorded(services.db, scope, key, requestHash, seal);
    if (replay) return replayed(replay);
    refuseEarly();
  }

  if (mode === 'saga') {
    return withSessionLock(services, lockName(scope, key), waitMs, async () => {
      const replay = await recorded(services.db, scope, key, requestHash, seal);
      if (replay) return replayed(replay);
      const answer = await answerOf(c, run);
      if (answer instanceof Response) return answer;
      await record(services.db, answer);
      return send(c, answer);
    });
  }

  type Result = { kind: 'replay' | 'recorded'; answer: Recorded } | { kind: 'response'; response: Response };
  const result = await unitOfWork(services.db, async (tx): Promise<Result> => {
    await lock(tx, lockName(scope, key), waitMs);
    const replay = await recorded(tx, scope, key, requestHash, seal);
    if (replay) return { kind: 'replay', answer: replay };
    await step('claimed');
    const answer = await answerOf(c, run);
    // Streams and files are not recorded: they are not replayed.
    if (answer instanceof Response) return { kind: 'response', response: answer };
    await step('ran');
    await record(tx, answer);
    await step('recorded');
    return { kind: 'recorded', answer };
  });
  if (result.kind === 'response') return result.response;
  await step('committed');
  return result.kind === 'replay' ? replayed(result.answer) : send(c, result.answer);
}

/**
 * Runs the route and turns what it answers into a record. A refusal (4xx other than 429) is an answer like any other
 * and is replayed; anything else is thrown, so the unit rolls back, key included, and a retry runs afresh.
 */
async function answerOf(c: Context<AppEnv>, run: () => Promise<Outcome>): Promise<Recorded | Response> {
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500 || error.status === 429) throw error;
    const body = problemBody(error.status, error.code, error.detail, c.get('requestId'), error.extra);
    c.set('problemCode', error.code);
    return {
      status: error.status,
      text: JSON.stringify(body),
      headers: { 'content-type': 'application/problem+json', ...error.headers },
    };
  }
  if (outcome instanceof Response) return outcome;
  if (outcome.status === 204) return { status: 204, text: '', headers: {} };
  return {
    status: outcome.status,
    text: JSON.stringify(outcome.body),
    headers: { 'content-type': 'application/json' },
  };
}

/** A finished response carrying a recorded answer exactly. */
function send(c: Context<AppEnv>, answer: Recorded): Response {
  for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
  if (answer.status === 204) return c.body(null, 204);
  return c.body(answer.text, answer.status as 200);
}

const inFlight = () =>
  new ApiError(
    409,
    ProblemCode.idempotencyKeyInFlight,
    'A request with this Idempotency-Key is still being processed; retry shortly.',
    {},
    { 'retry-after': '1' },
  );

/** The name of a key's advisory lock (hashed to 64 bits by `hashtextextended`). */
const lockName = (scope: string, key: string) => `${scope}\n${key}`;

/** Polls `attempt` with backoff until it succeeds or `waitMs` passes (then 409 in flight). */
async function poll(attempt: () => Promise<boolean>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (let pause = 10; !(await attempt()); pause = Math.min(pause * 2, 200)) {
    if (Date.now() >= deadline) throw inFlight();
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * Takes the key's advisory lock for this transaction. The transaction that runs a request holds it until it commits
 * or rolls back: a repeat waits on it (polling, bounded), then reads what was committed. A first request whose
 * process died held the lock in a transaction that PostgreSQL rolled back, so its repeat finds no record and runs.
 */
async function lock(tx: Executor, name: string, waitMs: number): Promise<void> {
  await poll(async () => {
    const [row] = await rows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(hashtextextended(${name}, 7271)) as locked`,
    );
    return row?.locked === true;
  }, waitMs);
}

/** In-process key locks for sagas on PGlite (one process, one connection: no session to hold a lock on). */
const localLocks = new Set<string>();

/**
 * Runs `work` holding the key's lock for the session (sagas): on PostgreSQL an advisory lock on a connection of its own,
 * released when `work` ends or the connection dies with its process; on PGlite an in-process lock.
 */
async function withSessionLock<T>(
  services: Services,
  name: string,
  waitMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const pool = services.handle.pool;
  if (!pool) {
    await poll(async () => !localLocks.has(name) && Boolean(localLocks.add(name)), waitMs);
    try {
      return await work();
    } finally {
      localLocks.delete(name);
    }
  }
  const client = await pool.connect();
  let broken = false;
  try {
    const take = 'select pg_try_advisory_lock(hashtextextended($1, 7271)) as locked';
    await poll(
      async () => (await client.query<{ locked: boolean }>(take, [name])).rows[0]?.locked === true,
      waitMs,
    );
    try {
      return await work();
    } finally {
      await client
        .query('select pg_advisory_unlock(hashtextextended($1, 7271))', [name])
        .catch(() => (broken = true));
    }
  } catch (error) {
    broken ||= pgError(error) !== undefined && !(error instanceof ApiError);
    throw error;
  } finally {
    client.release(broken);
  }
}

const SEALED = 'sealed:v1:';

/** The key that seals an answer: derived from the request's credentials, bound to the Idempotency-Key's scope. */
function sealKey(credentials: string, scope: string, key: string): Buffer {
  return Buffer.from(hkdfSync('sha256', credentials, `${scope}\n${key}`, 'dropslot idempotent answer', 32));
}

/** `text` encrypted with the request's credentials (AES-256-GCM, random nonce). */
function sealText(text: string, credentials: string, scope: string, key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(credentials, scope, key), iv);
  const sealed = Buffer.concat([cipher.update(text, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${SEALED}${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** The text of a sealed answer, or undefined when these credentials cannot open it. */
function openText(stored: string, credentials: string, scope: string, key: string): string | undefined {
  const [iv, sealed] = stored.slice(SEALED.length).split('.');
  try {
    const bytes = Buffer.from(sealed ?? '', 'base64url');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      sealKey(credentials, scope, key),
      Buffer.from(iv ?? '', 'base64url'),
    );
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

/** The answer recorded under the key, if any; 422 when the key was used for another request. */
async function recorded(
  executor: Executor,
  scope: string,
  key: string,
  requestHash: string,
  seal: string | undefined,
): Promise<Recorded | undefined> {
  const t = schema.idempotencyKeys;
  const [existing] = await executor
    .select({
      requestHash: t.requestHash,
      status: t.responseStatus,
      text: t.responseText,
      headers: t.responseHeaders,
    })
    .from(t)
    .where(and(eq(t.scope, scope), eq(t.key, key)));
  if (!existing) return undefined;
  if (existing.requestHash !== requestHash) {
    throw new ApiError(
      422,
      ProblemCode.idempotencyKeyReused,
      'This Idempotency-Key was used with a different request; use a new key for a new request.',
    );
  }
  if (!existing.text.startsWith(SEALED)) {
    return { status: existing.status, text: existing.text, headers: existing.headers };
  }
  const text = seal === undefined ? undefined : openText(existing.text, seal, scope, key);
  if (text === undefined) {
    throw new ApiError(
      422,
      ProblemCode.idempotencyKeyReused,
      'The first request with this Idempotency-Key was sent with other credentials, and its answer holds a secret ' +
        'only they can read. Send the same credentials, or use a new key for a new request.',
    );
  }
  return { status: existing.status, text, headers: existing.headers };
}

/** Deletes records older than the retention window. */
export async function purgeIdempotencyKeys(services: Services): Promise<void> {
  const cutoff = new Date(services.clock.now().getTime() - RETENTION_MS);
  await services.db.delete(schema.idempotencyKeys).where(lt(schema.idempotencyKeys.createdAt, cutoff));
}
