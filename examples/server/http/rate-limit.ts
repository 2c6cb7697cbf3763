/**
 * Rate limits on hot routes, per customer and per client IP, with `RateLimit-*` headers and `Retry-After` on 429.
 * Counters live in PostgreSQL when the server runs on it (shared by every process) and in memory on PGlite.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from './problem.js';
import type { AppEnv, Auth } from './context.js';
import type { DatabaseHandle } from '../db/index.js';

export interface Limit {
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
}

export interface RateLimitConfig {
  /** `POST /reservations` and waitlist joins per customer. @default 20 per 10 s */
  reservePerCustomer: Limit;
  /** Same routes per client IP. @default 600 per 10 s */
  reservePerIp: Limit;
  /** Sign-up and sign-in per client IP. @default 30 per 60 s */
  authPerIp: Limit;
  /** Trust `X-Forwarded-For` for the client IP (behind a proxy). */
  trustProxy: boolean;
}

export const defaultRateLimits: RateLimitConfig = {
  reservePerCustomer: { points: 20, duration: 10 },
  reservePerIp: { points: 600, duration: 10 },
  authPerIp: { points: 30, duration: 60 },
  trustProxy: false,
};

export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export class RateLimiter {
  readonly #limiters: Record<'reserveCustomer' | 'reserveIp' | 'authIp', RateLimiterAbstract>;
  constructor(
    handle: DatabaseHandle,
    readonly config: RateLimitConfig | false,
  ) {
    const make = (prefix: string, limit: Limit): RateLimiterAbstract =>
      handle.pool
        ? new RateLimiterPostgres({
            storeClient: handle.pool,
            storeType: 'pool',
            tableName: 'rate_limits',
            tableCreated: true,
            keyPrefix: prefix,
            points: limit.points,
            duration: limit.duration,
            clearExpiredByTimeout: false,
          })
        : new RateLimiterMemory({ keyPrefix: prefix, points: limit.points, duration: limit.duration });
    const c = config || defaultRateLimits;
    this.#limiters = {
      reserveCustomer: make('reserve_customer', c.reservePerCustomer),
      reserveIp: make('reserve_ip', c.reservePerIp),
      authIp: make('auth_ip', c.authPerIp),
    };
  }

  async consume(c: Context<AppEnv>, name: 'reserve' | 'auth', auth: Auth | undefined): Promise<void> {
    if (!this.config) return;
    const ip = clientIp(c, this.config.trustProxy);
    const checks: [RateLimiterAbstract, string][] =
      name === 'reserve'
        ? [
            [this.#limiters.reserveIp, ip],
            ...(auth?.userId
              ? ([[this.#limiters.reserveCustomer, auth.userId]] as [RateLimiterAbstract, string][])
              : []),
          ]
        : [[this.#limiters.authIp, ip]];
    let tightest: { limiter: RateLimiterAbstract; res: RateLimiterRes } | undefined;
    for (const [limiter, key] of checks) {
      try {
        const res = await limiter.consume(key);
        if (!tightest || res.remainingPoints < tightest.res.remainingPoints) tightest = { limiter, res };
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new ApiError(
          429,
          ProblemCode.rateLimited,
          `Too many requests; retry in ${retryAfter} s.`,
          { retryAfter },
          {
            'retry-after': String(retryAfter),
            'ratelimit-limit': String(limiter.points),
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(retryAfter),
          },
        );
      }
    }
    if (tightest) {
      c.header('ratelimit-limit', String(tightest.limiter.points));
      c.header('ratelimit-remaining', String(tightest.res.remainingPoints));
      c.header('ratelimit-reset', String(Math.ceil(tightest.res.msBeforeNext / 1000)));
    }
  }
}
