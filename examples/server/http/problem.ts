/** One error path: domain code throws `ApiError`; `problemResponse` turns anything thrown into problem+json. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ProblemCode, type Problem } from '../../../src/schemas/index.js';
import { isDatabaseUnavailable } from '../db/index.js';

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** An error the API answers with: an HTTP status, a stable code, a human detail and optional extra members. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

const UNAVAILABLE_DETAIL = 'The service is briefly unavailable; retry after the time in Retry-After.';

/** 503 `service_unavailable` with `Retry-After`: the process is draining or its database is away. */
export const unavailable = (detail = UNAVAILABLE_DETAIL, retryAfterSeconds = 1) =>
  new ApiError(503, ProblemCode.unavailable, detail, {}, { 'retry-after': String(retryAfterSeconds) });

export const notFound = (what: string) => new ApiError(404, ProblemCode.notFound, `No such ${what}.`);

/** 400 `validation_failed` naming the one field at fault (`path` as in the contract's `errors`, e.g. `body.price`). */
export const invalidField = (path: string, message: string) =>
  new ApiError(400, ProblemCode.validationFailed, message, {
    errors: [{ path, message, code: 'invalid_value' }],
  });

export function problemBody(
  status: number,
  code: string,
  detail: string,
  requestId?: string,
  extra = {},
): Problem {
  // Extra members come first: the RFC 9457 members (and `code`, `requestId`) are the problem's own and are never
  // overwritten by an extra member of the same name.
  return {
    ...extra,
    type: `https://dropslot.dev/problems/${code.replaceAll('_', '-')}`,
    title: titles[status] ?? 'Error',
    status,
    detail,
    code,
    ...(requestId ? { requestId } : {}),
  };
}

/**
 * Serialises an error to an RFC 9457 response. Unknown errors are logged and answered 500 without internals.
 * Built through the context, so headers set before the error (CORS, rate limits) stay on the response: a widget on
 * another origin must be able to read a refusal such as `slot_full`.
 */
export function problemResponse(c: Context, error: unknown, log: (e: unknown) => void): Response {
  const requestId = c.get('requestId' as never) as string | undefined;
  let status = 500;
  let body: Problem;
  const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
  if (error instanceof ApiError) {
    status = error.status;
    body = problemBody(status, error.code, error.detail, requestId, error.extra);
    Object.assign(headers, error.headers);
  } else if (isDatabaseUnavailable(error)) {
    // The database is away (restarting, unreachable): the request changed nothing it could not roll back.
    status = 503;
    body = problemBody(status, ProblemCode.unavailable, UNAVAILABLE_DETAIL, requestId);
    headers['retry-after'] = '1';
  } else {
    log(error);
    body = problemBody(500, ProblemCode.internal, 'Something went wrong on our side.', requestId);
  }
  if (requestId) headers['x-request-id'] = requestId;
  c.set('problemCode' as never, body.code as never);
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, headers);
}
