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
  /**
   * Failed sign-ins per account (store + e-mail), beside the per-IP limit: after `freeFailures` consecutive failures
   * the account is locked for 1 s, then 2, 4, 8 … up to `maxLockSeconds` after each further failure; a successful
   * sign-in resets it. @default { freeFailures: 5, maxLockSeconds: 900 }
   */
  signInPerAccount?: { freeFailures: number; maxLockSeconds: number };
}

export const defaultRateLimits: RateLimitConfig = {
  reservePerCustomer: { points: 20, duration: 10 },
  reservePerIp: { points: 600, duration: 10 },
  authPerIp: { points: 30, duration: 60 },
  trustProxy: false,
  signInPerAccount: { freeFailures: 5, maxLockSeconds: 900 },
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
  readonly #limiters: Record<
    'reserveCustomer' | 'reserveIp' | 'authIp' | 'accountFailures' | 'accountLock',
    RateLimiterAbstract
  >;
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
      // Consecutive failed sign-ins of an account (kept a day), and the lock that backs off after them.
      accountFailures: make('auth_account_failures', { points: 1_000_000, duration: 86_400 }),
      accountLock: make('auth_account_lock', { points: 1, duration: 1 }),
    };
  }

  #accountKey = (storeId: string, email: string) => `${storeId}:${email.trim().toLowerCase()}`;

  /** Refuses a sign-in with 429 while the account is locked after failed attempts. */
  async checkAccount(storeId: string, email: string): Promise<void> {
    if (!this.config) return;
    const lock = await this.#limiters.accountLock.get(this.#accountKey(storeId, email));
    if (lock && lock.consumedPoints > 1 && lock.msBeforeNext > 0) {
      const retryAfter = Math.max(1, Math.ceil(lock.msBeforeNext / 1000));
      throw new ApiError(
        429,
        ProblemCode.rateLimited,
        `Too many failed sign-ins for this account; retry in ${retryAfter} s.`,
        { retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  }

  /** Records a failed sign-in of an account; past the free failures, locks it for an exponentially longer time. */
  async accountFailed(storeId: string, email: string): Promise<void> {
    if (!this.config) return;
    const rule = this.config.signInPerAccount ?? defaultRateLimits.signInPerAccount!;
    const key = this.#accountKey(storeId, email);
    const failures = (await this.#limiters.accountFailures.penalty(key, 1)).consumedPoints;
    const over = failures - rule.freeFailures;
    if (over > 0) {
      await this.#limiters.accountLock.block(key, Math.min(rule.maxLockSeconds, 2 ** Math.min(over - 1, 20)));
    }
  }

  /** A successful sign-in: the account's failures are forgotten. */
  async accountSucceeded(storeId: string, email: string): Promise<void> {
    if (!this.config) return;
    await this.#limiters.accountFailures.delete(this.#accountKey(storeId, email));
  }

  /**
   * Gives back the point a request consumed under `name`, for answers that did no new work: an idempotent replay of
   * a stored answer must not count against the customer (a client retrying one key would otherwise get 429).
   */
  async refund(c: Context<AppEnv>, name: 'reserve' | 'auth', auth: Auth | undefined): Promise<void> {
    if (!this.config) return;
    const ip = clientIp(c, this.config.trustProxy);
    if (name === 'auth') {
      await this.#limiters.authIp.reward(ip, 1);
      return;
    }
    await this.#limiters.reserveIp.reward(ip, 1);
    if (auth?.userId) await this.#limiters.reserveCustomer.reward(auth.userId, 1);
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
