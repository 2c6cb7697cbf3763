import type { Problem, ProblemCode } from './schemas/common.js';

/**
 * A problem's machine `code`: one of the codes this version of the contract knows ({@link ProblemCode}), typed so
 * editors complete them, and open to codes a newer server may add.
 */
export type ErrorCode = ProblemCode | (string & {});

/** The brand every DropSlot error carries; shared by every copy of the package on a page through the global symbol registry. */
const BRAND: unique symbol = Symbol.for('dropslot.error') as never;

/** Every constructor argument of a DropSlot error; all optional. */
export interface DropSlotErrorInit {
  /** HTTP status of the response, if there was one. */
  status?: number | undefined;
  /** The problem document's machine `code` (`slot_full`, `hold_expired`, …). */
  code?: ErrorCode | undefined;
  /** The request id (`X-Request-Id` header or the problem's `requestId`). */
  requestId?: string | undefined;
  /** The parsed `application/problem+json` body, if the server sent one. */
  problem?: Problem | undefined;
  /** The underlying error (a network failure, a schema mismatch, …). */
  cause?: unknown;
  /** Seconds the server asked to wait (`Retry-After`), for 429 and some 503 answers. */
  retryAfter?: number | undefined;
  /** Schema issues of an invalid response body. */
  issues?: readonly ResponseIssue[] | undefined;
}

/** One way a response body failed the contract schema: the JSON path, a message and zod's issue code. */
export interface ResponseIssue {
  /** Dotted path of the offending value (`data.0.startsAt`), empty for the root. */
  path: string;
  /** Human-readable description. */
  message: string;
  /** Machine code of the issue (`invalid_type`, …). */
  code: string;
}

function kindsOf(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kinds: unknown = (value as { [BRAND]?: unknown })[BRAND];
  return Array.isArray(kinds) ? (kinds as readonly string[]) : undefined;
}

function hasKind(value: unknown, kind: string): boolean {
  return kindsOf(value)?.includes(kind) ?? false;
}

/**
 * The base class of every error the SDK throws for a failed API call: HTTP problems, transport failures
 * and invalid responses. Check for it with {@link isDropSlotError} (or `DropSlotError.is(e)`), which work
 * across two copies of the package on one page; `instanceof` does too, through the same brand.
 *
 * An unmapped HTTP status (for example 405 or 413) is thrown as a plain `DropSlotError`.
 *
 * @example
 * ```ts
 * import { createClient, isDropSlotError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * try {
 *   await client.reservations.create({ slotId });
 * } catch (e) {
 *   if (isDropSlotError(e)) console.log(e.status, e.code, e.requestId);
 * }
 * ```
 */
export class DropSlotError extends Error {
  /** Stable name of this error class, used by the cross-copy brand (survives minification). */
  static readonly kind: string = 'DropSlotError';
  /** HTTP status of the response; `undefined` for transport errors. */
  readonly status: number | undefined;
  /** The problem document's machine `code` (`slot_full`, `hold_expired`, …), if any. */
  readonly code: ErrorCode | undefined;
  /** The request id to quote to support (`X-Request-Id`). */
  readonly requestId: string | undefined;
  /** The full `application/problem+json` document, including extra members such as `firstUsedAt`. */
  readonly problem: Problem | undefined;
  constructor(message: string, init: DropSlotErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
      const kind: unknown = Object.getOwnPropertyDescriptor(c, 'kind')?.value;
      if (typeof kind === 'string') kinds.push(kind);
    }
    Object.defineProperty(this, BRAND, { value: kinds, enumerable: false });
    this.name = kinds[0] ?? 'DropSlotError';
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.problem = init.problem;
  }

  /**
   * Whether `value` is an error of this class (or a subclass), from any copy of the package.
   *
   * @example
   * ```ts
   * import { ConflictError } from 'dropslot';
   *
   * if (ConflictError.is(e) && e.code === 'slot_full') showWaitlist();
   * ```
   */
  static is(value: unknown): value is DropSlotError {
    return kindsOf(value) !== undefined;
  }

  /** Makes `instanceof` use the cross-copy brand. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasKind(value, this.kind);
  }
}

/**
 * The request was invalid: HTTP 400 or 422 (`validation_failed`, `malformed_json`, `idempotency_key_reused`).
 * {@link ValidationError.errors} lists the fields that failed.
 *
 * @example
 * ```ts
 * import { ValidationError } from 'dropslot';
 *
 * if (ValidationError.is(e)) for (const f of e.errors) console.log(f.path, f.message);
 * ```
 */
export class ValidationError extends DropSlotError {
  static override readonly kind: string = 'ValidationError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isValidationError: true;
  /** Field errors of the problem document (empty when the server sent none). */
  get errors(): NonNullable<Problem['errors']> {
    return this.problem?.errors ?? [];
  }
  static override is(value: unknown): value is ValidationError {
    return hasKind(value, 'ValidationError');
  }
}

/**
 * The key or customer token was missing, wrong or not allowed to do this: HTTP 401 or 403.
 *
 * @example
 * ```ts
 * import { AuthenticationError } from 'dropslot';
 *
 * if (AuthenticationError.is(e) && e.code === 'customer_token_required') showSignIn();
 * ```
 */
export class AuthenticationError extends DropSlotError {
  static override readonly kind: string = 'AuthenticationError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isAuthenticationError: true;
  static override is(value: unknown): value is AuthenticationError {
    return hasKind(value, 'AuthenticationError');
  }
}

/**
 * The resource does not exist (or belongs to another store): HTTP 404.
 *
 * @example
 * ```ts
 * import { NotFoundError } from 'dropslot';
 *
 * if (NotFoundError.is(e)) showMissingDrop();
 * ```
 */
export class NotFoundError extends DropSlotError {
  static override readonly kind: string = 'NotFoundError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isNotFoundError: true;
  static override is(value: unknown): value is NotFoundError {
    return hasKind(value, 'NotFoundError');
  }
}

/**
 * The request conflicts with the current state: HTTP 409. Read {@link DropSlotError.code}
 * (`slot_full`, `drop_not_open`, `already_reserved`, `qr_already_used`, …) and the extra members of
 * {@link DropSlotError.problem} (`firstUsedAt`, `waitlist`, …).
 *
 * @example
 * ```ts
 * import { ConflictError } from 'dropslot';
 *
 * if (ConflictError.is(e) && e.code === 'qr_already_used') console.log(e.problem?.firstUsedAt);
 * ```
 */
export class ConflictError extends DropSlotError {
  static override readonly kind: string = 'ConflictError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isConflictError: true;
  static override is(value: unknown): value is ConflictError {
    return hasKind(value, 'ConflictError');
  }
}

/**
 * Too many requests: HTTP 429. {@link RateLimitError.retryAfter} holds the seconds the server asked to wait.
 * The SDK already waited and retried up to `maxRetries` times before throwing this.
 *
 * @example
 * ```ts
 * import { RateLimitError } from 'dropslot';
 *
 * if (RateLimitError.is(e)) setTimeout(retry, (e.retryAfter ?? 1) * 1000);
 * ```
 */
export class RateLimitError extends DropSlotError {
  static override readonly kind: string = 'RateLimitError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isRateLimitError: true;
  /** Seconds to wait before trying again, from `Retry-After`; `undefined` when the header was absent. */
  readonly retryAfter: number | undefined;
  constructor(message: string, init: DropSlotErrorInit = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
  static override is(value: unknown): value is RateLimitError {
    return hasKind(value, 'RateLimitError');
  }
}

/**
 * The server failed: any HTTP 5xx. Retried automatically (up to `maxRetries`) before being thrown.
 *
 * @example
 * ```ts
 * import { ServerError } from 'dropslot';
 *
 * if (ServerError.is(e)) console.error('DropSlot is having trouble', e.requestId);
 * ```
 */
export class ServerError extends DropSlotError {
  static override readonly kind: string = 'ServerError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isServerError: true;
  static override is(value: unknown): value is ServerError {
    return hasKind(value, 'ServerError');
  }
}

/**
 * The request never got an HTTP response: DNS, TCP, TLS or CORS failure, or a dropped connection.
 * The original error is in `cause`.
 *
 * @example
 * ```ts
 * import { ConnectionError } from 'dropslot';
 *
 * if (ConnectionError.is(e)) showOffline();
 * ```
 */
export class ConnectionError extends DropSlotError {
  static override readonly kind: string = 'ConnectionError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isConnectionError: true;
  static override is(value: unknown): value is ConnectionError {
    return hasKind(value, 'ConnectionError');
  }
}

/**
 * No response arrived within the `timeout`. A kind of {@link ConnectionError}.
 *
 * @example
 * ```ts
 * import { TimeoutError } from 'dropslot';
 *
 * if (TimeoutError.is(e)) showSlowNetwork();
 * ```
 */
export class TimeoutError extends ConnectionError {
  static override readonly kind: string = 'TimeoutError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isTimeoutError: true;
  static override is(value: unknown): value is TimeoutError {
    return hasKind(value, 'TimeoutError');
  }
}

/**
 * A successful (2xx) response whose body does not match the contract schema, or is not JSON.
 * This is not an HTTP error: the server answered, but the SDK cannot trust the shape.
 * {@link InvalidResponseError.issues} lists what did not match.
 *
 * @example
 * ```ts
 * import { InvalidResponseError } from 'dropslot';
 *
 * if (InvalidResponseError.is(e)) console.error(e.issues);
 * ```
 */
export class InvalidResponseError extends DropSlotError {
  static override readonly kind: string = 'InvalidResponseError';
  /** Makes the class nominal, so a failed `is()` check narrows correctly. */
  declare private readonly _isInvalidResponseError: true;
  /** What did not match the schema (empty when the body was not JSON at all). */
  readonly issues: readonly ResponseIssue[];
  constructor(message: string, init: DropSlotErrorInit = {}) {
    super(message, init);
    this.issues = init.issues ?? [];
  }
  static override is(value: unknown): value is InvalidResponseError {
    return hasKind(value, 'InvalidResponseError');
  }
}

/**
 * Whether `value` is any error thrown by the DropSlot SDK, from any copy of the package on the page.
 *
 * @example
 * ```ts
 * import { isDropSlotError } from 'dropslot';
 *
 * try { await work(); } catch (e) { if (!isDropSlotError(e)) throw e; report(e.code); }
 * ```
 */
export function isDropSlotError(value: unknown): value is DropSlotError {
  return DropSlotError.is(value);
}

/** A constructor of one of the HTTP error classes. */
type HttpErrorClass = new (message: string, init?: DropSlotErrorInit) => DropSlotError;

/** The single status → class table. 5xx is handled by range. */
const STATUS_CLASSES: Readonly<Record<number, HttpErrorClass>> = {
  400: ValidationError,
  401: AuthenticationError,
  403: AuthenticationError,
  404: NotFoundError,
  409: ConflictError,
  422: ValidationError,
  429: RateLimitError,
};

/**
 * Builds the error for an HTTP error status from the single status → class table above:
 * 400/422 → ValidationError, 401/403 → AuthenticationError, 404 → NotFoundError, 409 → ConflictError,
 * 429 → RateLimitError, 5xx → ServerError, anything else → DropSlotError. Internal (used by the client and live updates).
 */
export function errorFromStatus(status: number, init: Omit<DropSlotErrorInit, 'status'> = {}): DropSlotError {
  const Class: HttpErrorClass =
    STATUS_CLASSES[status] ?? (status >= 500 && status <= 599 ? ServerError : DropSlotError);
  const p = init.problem;
  const title = p ? (p.detail ? `${p.title}: ${p.detail}` : p.title) : `HTTP ${status}`;
  const message = init.code ? `${title} (${init.code})` : title;
  return new Class(message, { ...init, status });
}
