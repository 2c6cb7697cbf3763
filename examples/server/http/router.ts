/**
 * Routes are declared once, as data: method, path, access, request and response schemas from `src/schemas`.
 * The same declarations validate requests, serialise responses and generate `/openapi.json`.
 */
import type { Context, Hono } from 'hono';
import * as z from 'zod/mini';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from './problem.js';
import type { AppEnv, Auth } from './context.js';
import { authenticate, requireAccess, type Access } from './auth.js';
import { withIdempotency } from './idempotency.js';
import type { Services } from '../services.js';
import { pgError } from '../db/index.js';

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
   * The route reads its body itself, as bytes (a provider's signed event): documented here, never parsed or validated
   * by the router, since the signature covers the exact bytes.
   */
  rawBody?: { contentType: string; description: string };
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

export interface HandlerInput<Q, B> {
  c: Context<AppEnv>;
  params: Record<string, string>;
  query: Q;
  body: B;
  auth: Auth;
  services: Services;
}

type Infer<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;

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

async function readJson(c: Context<AppEnv>, optional: boolean): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') {
    if (optional) return {};
    throw new ApiError(400, ProblemCode.validationFailed, 'A JSON body is required.', {
      errors: [{ path: 'body', message: 'Required', code: 'invalid_type' }],
    });
  }
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
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

/** Collects route specs while mounting them on a Hono app. */
export class Router {
  readonly specs: RouteSpec[] = [];
  constructor(private readonly app: Hono<AppEnv>) {}

  add<S extends RouteSpec>(
    spec: S,
    handler: (input: HandlerInput<Infer<S['query']>, Infer<S['body']>>) => Promise<unknown>,
  ): this {
    this.specs.push(spec);
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
      let query: unknown = undefined;
      if (spec.query) {
        const parsed = spec.query.safeParse(c.req.query());
        if (!parsed.success) throw validationError(parsed.error, 'query');
        query = parsed.data;
      }
      let body: unknown = undefined;
      let rawBody = '';
      if (spec.body) {
        const json = await readJson(c, spec.bodyOptional ?? false);
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
