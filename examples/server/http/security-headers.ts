/**
 * Headers every answer carries, whatever produced it (routes, refusals, the not-found page, static files):
 *
 * - `X-Content-Type-Options: nosniff`: a browser never runs an answer as a type it was not sent as.
 * - `Cache-Control`: an answer that did not choose is `no-store`. Every `/v1` answer is `no-store`: they are read
 *   with a key, many carry a customer's data (tokens, QR tokens, reservations) or a store's secrets, and capacity is
 *   live, so no browser or shared cache may keep one. Only static files choose otherwise: the script-tag bundle and
 *   the shop's assets revalidate (`no-cache`), the API reference's assets may be cached for an hour (`public`).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.js';

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('x-content-type-options', 'nosniff');
    if (c.req.path === '/v1' || c.req.path.startsWith('/v1/') || !headers.has('cache-control')) {
      headers.set('cache-control', 'no-store');
    }
  };
}
