/** The HTTP engine of the client: ky as transport, plus auth headers, idempotency, retries, timeouts and validation. Not public API. */
import ky, { type KyInstance } from 'ky';
import type * as z from 'zod/mini';
import type { FetchLike, RequestOptions } from '../core.js';
import {
  ConnectionError,
  DropSlotError,
  InvalidResponseError,
  TimeoutError,
  errorFromStatus,
  type ResponseIssue,
} from '../errors.js';
import { Problem } from '../schemas/common.js';
import { contract } from '../schemas/registry.js';
import { abortReason, backoffDelay, parseRetryAfter, sleep, uuid } from './util.js';

/** A query string value; `undefined` is left out. */
export type QueryValue = string | number | boolean | undefined;

export interface TransportConfig {
  baseUrl: string;
  apiKey: string;
  fetch: FetchLike | undefined;
  timeout: number;
  maxRetries: number;
  headers: Record<string, string>;
}

export interface RequestSpec<S extends z.ZodMiniType> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Path under `/v1`, without a leading slash. */
  path: string;
  query?: Readonly<Record<string, QueryValue>> | undefined;
  body?: unknown;
  /** A body sent as bytes with its `Content-Type` (an image upload), instead of `body` as JSON. */
  bytes?: { data: Blob | ArrayBuffer | Uint8Array; contentType: string } | undefined;
  schema: S;
}

/** First delay of the exponential backoff, in ms. */
export const INITIAL_RETRY_DELAY = 500;
/** Longest backoff delay, in ms. */
export const MAX_RETRY_DELAY = 8_000;
/** setTimeout's largest delay (about 24.8 days); longer timeouts are clamped to it. */
const MAX_TIMER = 2 ** 31 - 1;
/** A `Retry-After` longer than this (seconds) is not waited for: the error is thrown instead. */
export const MAX_RETRY_AFTER = 60;

interface Attempt {
  response: Response;
  text: string;
}

function issuesOf(error: z.core.$ZodError): ResponseIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
}

/** Whether a failed attempt may be tried again (if the method allows it). */
function isRetryable(error: DropSlotError): boolean {
  if (ConnectionError.is(error)) return true;
  const status = error.status ?? 0;
  return status === 429 || status >= 500 || (status === 409 && error.code === 'idempotency_key_in_flight');
}

export class Transport {
  readonly #ky: KyInstance;
  readonly #config: TransportConfig;
  customerToken: string | null = null;

  constructor(config: TransportConfig) {
    this.#config = config;
    const fetchFn = config.fetch;
    this.#ky = ky.create({
      prefixUrl: `${config.baseUrl.replace(/\/+$/, '')}/v1`,
      // Resolved per call, so a fetch patched after the client was created (msw, SSR frameworks) is used.
      fetch: (input, init) => (fetchFn ?? globalThis.fetch)(input, init),
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
    });
  }

  /** Headers of every request: client extras first, then auth (which extras cannot override). */
  headers(extra: Record<string, string> = {}): Headers {
    const h = new Headers(this.#config.headers);
    h.set('Accept', 'application/json');
    h.set('Authorization', `Bearer ${this.#config.apiKey}`);
    if (this.customerToken !== null) h.set('X-Customer-Token', this.customerToken);
    for (const [k, v] of Object.entries(extra)) h.set(k, v);
    return h;
  }

  /** Sends a request with retries and returns the body validated by `spec.schema`. */
  async request<S extends z.ZodMiniType>(
    spec: RequestSpec<S>,
    options: RequestOptions = {},
  ): Promise<z.output<S>> {
    const { method } = spec;
    const idempotencyKey = method === 'POST' ? (options.idempotencyKey ?? uuid()) : undefined;
    // GET is safe; a POST may be retried only because it carries an idempotency key. PATCH and DELETE are not retried.
    const canRetry = method === 'GET' || idempotencyKey !== undefined;
    const wanted = options.maxRetries ?? this.#config.maxRetries;
    const maxRetries = canRetry && Number.isFinite(wanted) && wanted > 0 ? Math.floor(wanted) : 0;
    const timeout = options.timeout ?? this.#config.timeout;
    const extra: Record<string, string> = {};
    if (idempotencyKey !== undefined) extra['Idempotency-Key'] = idempotencyKey;
    if (spec.bytes) extra['Content-Type'] = spec.bytes.contentType;

    for (let attempt = 0; ; attempt++) {
      let error: DropSlotError;
      let retryAfter: number | undefined;
      try {
        const { response, text } = await this.#attempt(spec, this.headers(extra), options.signal, timeout);
        if (response.ok) return this.#validate(spec, response, text);
        retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
        error = this.#httpError(response, text, retryAfter);
      } catch (e) {
        if (!(e instanceof ConnectionError)) throw e;
        error = e;
      }
      if (attempt >= maxRetries || !isRetryable(error)) throw error;
      if (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER) throw error;
      const delay =
        retryAfter !== undefined
          ? retryAfter * 1000
          : backoffDelay(attempt, INITIAL_RETRY_DELAY, MAX_RETRY_DELAY);
      await sleep(delay, options.signal);
    }
  }

  /** Opens a long-lived GET (no timeout, no retries, body left unread). Used by live updates. */
  async stream(path: string, extra: Record<string, string>, signal: AbortSignal): Promise<Response> {
    try {
      return await this.#ky(path, { method: 'GET', headers: this.headers(extra), signal });
    } catch (e) {
      if (signal.aborted) throw abortReason(signal);
      throw new ConnectionError(`GET /v1/${path} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
  }

  /** Builds the error of a non-2xx response from its problem document. */
  #httpError(response: Response, text: string, retryAfter: number | undefined): DropSlotError {
    let problem: Problem | undefined;
    try {
      const parsed = Problem.safeParse(JSON.parse(text));
      if (parsed.success) problem = parsed.data;
    } catch {
      // Not JSON (a proxy's HTML page, an empty body): the status alone decides the class.
    }
    return errorFromStatus(response.status, {
      code: problem?.code,
      requestId: response.headers.get('X-Request-Id') ?? problem?.requestId,
      problem,
      retryAfter,
    });
  }

  /** One HTTP exchange, headers and body both within `timeout`. Transport failures become ConnectionError/TimeoutError. */
  async #attempt(
    spec: RequestSpec<z.ZodMiniType>,
    headers: Headers,
    signal: AbortSignal | undefined,
    timeout: number,
  ): Promise<Attempt> {
    if (signal?.aborted) throw abortReason(signal);
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort(abortReason(signal));
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer =
      Number.isFinite(timeout) && timeout > 0
        ? setTimeout(
            () => {
              timedOut = true;
              controller.abort(new DOMException('The request timed out', 'TimeoutError'));
            },
            Math.min(timeout, MAX_TIMER),
          )
        : undefined;
    const where = `${spec.method} /v1/${spec.path}`;
    try {
      const response = await this.#ky(spec.path, {
        method: spec.method,
        headers,
        searchParams: spec.query as Record<string, string | number | boolean | undefined> | undefined,
        ...(spec.bytes ? { body: spec.bytes.data as BodyInit } : { json: spec.body }),
        signal: controller.signal,
      });
      const text = await response.text();
      return { response, text };
    } catch (e) {
      if (signal?.aborted) throw abortReason(signal);
      if (timedOut) throw new TimeoutError(`${where} timed out after ${timeout} ms`, { cause: e });
      throw new ConnectionError(`${where} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  #validate<S extends z.ZodMiniType>(spec: RequestSpec<S>, response: Response, text: string): z.output<S> {
    const requestId = response.headers.get('X-Request-Id') ?? undefined;
    const name = contract.get(spec.schema)?.id ?? 'response';
    const where = `${spec.method} /v1/${spec.path}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new InvalidResponseError(`${where} answered ${response.status} with a body that is not JSON`, {
        status: response.status,
        requestId,
        cause: e,
      });
    }
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new InvalidResponseError(`${where} answered with a body that does not match the ${name} schema`, {
        status: response.status,
        requestId,
        issues: issuesOf(parsed.error),
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

/** The transport behind each client, so live updates can reuse it without it being public API. */
const transports = new WeakMap<object, Transport>();

export function registerTransport(client: object, transport: Transport): void {
  transports.set(client, transport);
}

export function transportOf(client: object): Transport {
  const t = transports.get(client);
  if (t === undefined)
    throw new TypeError('Not a DropSlot client: pass the object returned by createClient().');
  return t;
}
