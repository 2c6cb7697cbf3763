import type { Context } from 'hono';
import type { Actor } from '../domain/audit.js';
import type { AppEnv, Auth } from './context.js';
import { clientIp } from './rate-limit.js';

/** The audit actor of a request: the key, the signed-in user, IP, user agent and request id. */
export function actorOf(c: Context<AppEnv>, auth: Auth): Actor {
  const limits = c.get('services').rateLimiter.config;
  return {
    storeId: auth.storeId,
    userId: auth.userId,
    keyId: auth.keyId,
    ip: clientIp(c, limits ? limits.trustProxy : false),
    ua: c.req.header('user-agent')?.slice(0, 500),
    requestId: c.get('requestId'),
  };
}
