/**
 * Routes are declared once, as data: method, path, access, request and response schemas from `src/schemas`.
 * The same declarations validate requests, serialise responses and generate `/openapi.json`.
 */
import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from './problem.js';
import type { AppEnv, Auth } from './context.js';
import { authenticate, requireAccess, type Access } from './auth.js';
import { withIdempotency } from './idempotency.js';
import type { Services } from '../services.js';
import { enterStore, pgError } from '../db/index.js';

export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Hono path under `/v1`, `:name` for parameters. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  /** The body may be absent (an empty object is assumed). */
  bodyOptional?: boolean;
  /**
   * The route takes its body as bytes. Without `buffered`, the route reads it itself (a provider's signed event):
   * documented here, never parsed or validated by the router, since the signature covers the exact bytes. With
   * `buffered`, the router reads a body of one of the content types (up to `maxBytes`, instead of the API's 64 KiB) and
   * hands it to the handler as `raw`; an Idempotency-Key is then tied to the bytes and the query. With `body` too, a JSON
   * body is parsed as `body` instead (an upload or a link).
   */
  rawBody?: {
    contentType: string | readonly string[];
    description: string;
    buffered?: { maxBytes: number };
  };
  success: { status: number; schema?: z.ZodMiniType; description: string; contentType?: string };
  /** Error statuses this route documents besides 400/401/403/429/500. */
  errors?: number[];
  /**
   * The answer carries a secret shown once (a new API key): its Idempotency-Key record keeps the answer sealed with the
   * request's credentials, never in the clear (see `http/idempotency.ts`).
   */
  secretAnswer?: boolean;
  /** Applies the named rate limit before the handler. */
  rateLimit?: 'reserve' | 'auth';
  /**
   * The route calls a payment provider, so it cannot run as one database transaction: its Idempotency-Key is kept as a
   * saga's (see `http/idempotency.ts`).
   */
  externalCalls?: boolean;
  /**
   * A refusal decided from memory alone (no database), checked after validation and rate limits and before the
   * request's unit of work opens; with an Idempotency-Key, after the key's recorded answer is looked up (one indexed
   * read), so a committed answer is always replayed. Such a refusal is not recorded under the key.
   */
  refuseEarly?: (input: { body: unknown; auth: Auth; services: Services }) => void;
}

/** A body the router read as bytes (`RouteSpec.rawBody.buffered`), with its media type (lower case, no parameters). */
export interface RawBody {
  bytes: Uint8Array;
  contentType: string;
}

export interface HandlerInput<Q, B> {
  c: Context<AppEnv>;
  params: Record<string, string>;
  query: Q;
  body: B;
  /** The body as bytes, on a `rawBody.buffered` route when it was not sent as JSON. */
  raw: RawBody | undefined;
  auth: Auth;
  services: Services;
}

type Infer<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;
/** The body a handler gets: absent when a `rawBody.buffered` route was sent bytes instead of JSON. */
type BodyOf<S extends RouteSpec> = S['rawBody'] extends { buffered: object }
  ? Infer<S['body']> | undefined
  : Infer<S['body']>;

/** The largest JSON body (and any body of a route without a larger `rawBody.buffered.maxBytes`). */
export const JSON_BODY_LIMIT = 64 * 1024;

/** A size in words: `64 KiB`, `5 MiB`. */
export function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

const isJsonType = (type: string) => /^application\/(.+\+)?json\b/i.test(type);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns zod issues into the problem's field errors. */
export function validationError(error: z.core.$ZodError, where: 'body' | 'query'): ApiError {
  const errors = error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  return new ApiError(400, ProblemCode.validationFailed, `The request ${where} is not valid.`, { errors });
}

/** PostgreSQL cannot store U+0000 in text or jsonb: such strings are refused as input, not failed on insert. */
function nulPaths(value: unknown, path: string, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => nulPaths(item, `${path}.${i}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) found.push(path);
      else nulPaths(item, `${path}.${key}`, found);
    }
  }
  return found;
}

/**
 * A value the contract accepts but the database cannot hold (SQLSTATE class 22, data exception: an integer beyond
 * int4, a timestamp outside PostgreSQL's range, …) is bad input: 400, never 500.
 */
function asInputError(error: unknown): unknown {
  if (error instanceof ApiError) return error;
  if (pgError(error)?.code.startsWith('22')) {
    return new ApiError(
      400,
      ProblemCode.validationFailed,
      'A value of the request is outside the range the server can store.',
    );
  }
  return error;
}

async function readJson(c: Context<AppEnv>, optional: boolean, maxBytes?: number): Promise<unknown> {
  const text = await c.req.text();
  if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) {
    throw new ApiError(
      413,
      ProblemCode.payloadTooLarge,
      `A JSON body is at most ${describeBytes(maxBytes)}.`,
    );
  }
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError(400, ProblemCode.validationFailed, 'A JSON body is required.', {
      errors: [{ path: 'body', message: 'Required', code: 'invalid_type' }],
    });
  }
  const type = c.req.header('content-type') ?? '';
  if (!isJsonType(type)) {
    throw new ApiError(415, ProblemCode.unsupportedMediaType, 'Send the body as application/json.');
  }
  checkJsonShape(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, ProblemCode.malformedJson, 'The body is not valid JSON.');
  }
  const nul = nulPaths(json, 'body');
  if (nul.length > 0) {
    throw new ApiError(400, ProblemCode.validationFailed, 'The request body is not valid.', {
      errors: nul.map((path) => ({
        path,
        message: 'Must not contain NUL (U+0000) characters',
        code: 'invalid_format',
      })),
    });
  }
  return json;
}

/** The deepest nesting of arrays and objects a request body may have. */
export const MAX_JSON_DEPTH = 32;
/** The most values (array items, object members, scalars) a request body may hold. */
export const MAX_JSON_VALUES = 10_000;

/**
 * Refuses a body that nests deeper than `MAX_JSON_DEPTH` or holds more than `MAX_JSON_VALUES` values, by one linear
 * scan of the text before anything parses or walks it recursively (a 10 KB body of nested arrays would otherwise
 * overflow the stack). Malformed text is left to `JSON.parse` to report.
 */
function checkJsonShape(text: string): void {
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      // A backslash escapes the next character; a quote ends the string.
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new ApiError(
          400,
          ProblemCode.jsonTooComplex,
          `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          { maxDepth: MAX_JSON_DEPTH },
        );
      }
    } else if (ch === 0x5d || ch === 0x7d) depth--;
    else if (ch === 0x2c && ++values > MAX_JSON_VALUES) {
      throw new ApiError(
        400,
        ProblemCode.jsonTooComplex,
        `The JSON body holds more than ${MAX_JSON_VALUES} values.`,
        { maxValues: MAX_JSON_VALUES },
      );
    }
  }
}

/** Reads a `rawBody.buffered` route's body as bytes, after checking its type. */
async function readRaw(c: Context<AppEnv>, spec: RouteSpec): Promise<RawBody> {
  const accepted = [spec.rawBody!.contentType].flat();
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!accepted.includes(contentType)) {
    const choices = [...(spec.body ? ['application/json'] : []), ...accepted].join(', ');
    throw new ApiError(
      415,
      ProblemCode.unsupportedMediaType,
      `Send the body as one of ${choices}${contentType ? `, not ${contentType}` : ' (the Content-Type header is missing)'}.`,
    );
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), contentType };
}

/** Collects route specs while mounting them on a Hono app. */
export class Router {
  readonly specs: RouteSpec[] = [];
  /** Routes that accept bodies larger than `JSON_BODY_LIMIT`. */
  readonly #limits: { method: string; pattern: RegExp; maxBytes: number }[] = [];
  constructor(private readonly app: Hono<AppEnv>) {}

  /** The largest body the route of `method` and `path` accepts when it is larger than the API's `JSON_BODY_LIMIT`. */
  maxBodyBytes(method: string, path: string): number | undefined {
    return this.#limits.find((limit) => limit.method === method && limit.pattern.test(path))?.maxBytes;
  }

  add<S extends RouteSpec>(
    spec: S,
    handler: (input: HandlerInput<Infer<S['query']>, BodyOf<S>>) => Promise<unknown>,
  ): this {
    this.specs.push(spec);
    const buffered = spec.rawBody?.buffered;
    if (buffered && buffered.maxBytes > JSON_BODY_LIMIT) {
      this.#limits.push({
        method: spec.method.toUpperCase(),
        pattern: new RegExp(`^/v1${spec.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`),
        maxBytes: buffered.maxBytes,
      });
    }
    this.app.on(spec.method.toUpperCase(), `/v1${spec.path}`, async (c) => {
      const services = c.get('services');
      const params = c.req.param() as Record<string, string>;
      for (const [name, value] of Object.entries(params)) {
        if ((name === 'id' || name.endsWith('Id')) && !UUID.test(value))
          throw new ApiError(
            404,
            ProblemCode.notFound,
            `No such ${spec.tag.toLowerCase().replace(/s$/, '')}.`,
          );
      }
      const auth = await authenticate(c, services, spec.access);
      await requireAccess(services, auth, spec.access);
      // Every transaction of this request states its store: row-level security confines it to that store's rows.
      if (auth?.storeId) enterStore(auth.storeId);
      let query: unknown = undefined;
      if (spec.query) {
        const parsed = spec.query.safeParse(c.req.query());
        if (!parsed.success) throw validationError(parsed.error, 'query');
        query = parsed.data;
      }
      let body: unknown = undefined;
      let raw: RawBody | undefined;
      let rawBody = '';
      if (buffered && !(spec.body && isJsonType(c.req.header('content-type') ?? ''))) {
        raw = await readRaw(c, spec);
        // An Idempotency-Key stands for these bytes, of this type, with this query.
        const digest = createHash('sha256').update(raw.bytes).digest('hex');
        rawBody = `${raw.contentType}\n${new URL(c.req.url).search}\n${digest}`;
      } else if (spec.body) {
        const json = await readJson(c, spec.bodyOptional ?? false, buffered && JSON_BODY_LIMIT);
        rawBody = JSON.stringify(json);
        const parsed = spec.body.safeParse(json);
        if (!parsed.success) throw validationError(parsed.error, 'body');
        body = parsed.data;
      }
      if (spec.rateLimit) await services.rateLimiter.consume(c, spec.rateLimit, auth);
      const refuseEarly =
        spec.refuseEarly && (() => spec.refuseEarly!({ body, auth: auth as Auth, services }));
      const run = async (): Promise<{ status: number; body: unknown } | Response> => {
        let result: unknown;
        try {
          result = await handler({
            c,
            params,
            query: query as never,
            body: body as never,
            raw,
            auth: auth as Auth,
            services,
          });
        } catch (error) {
          throw asInputError(error);
        }
        if (result instanceof Response) return result;
        const out = spec.success.schema ? spec.success.schema.parse(result) : result;
        return { status: spec.success.status, body: out };
      };
      const outcome =
        spec.method === 'post' && auth
          ? await withIdempotency(c, services, auth, rawBody, run, {
              mode: spec.externalCalls ? 'saga' : 'unit',
              refuseEarly,
              // A replay is not a new request: it gives back the rate-limit point it took.
              onReplay: spec.rateLimit && (() => services.rateLimiter.refund(c, spec.rateLimit!, auth)),
              seal: spec.secretAnswer
                ? `${c.req.header('authorization') ?? ''}\n${c.req.header('x-customer-token') ?? ''}`
                : undefined,
            })
          : (refuseEarly?.(), await run());
      if (outcome instanceof Response) return outcome;
      if (outcome.status === 204) return c.body(null, 204);
      return c.json(outcome.body as object, outcome.status as 200);
    });
    return this;
  }
}
