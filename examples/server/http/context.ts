import type { Services } from '../services.js';

/** Who is calling: the key's store and kind, and the customer of the token if one was sent. */
export interface Auth {
  storeId: string;
  keyId: string;
  keyKind: 'publishable' | 'secret';
  allowedOrigins: string[];
  /** The user named by `X-Customer-Token`, if any. */
  userId?: string;
}

export type RoleCode = 'admin' | 'owner' | 'staff' | 'customer';

/** Hono environment of every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    services: Services;
    auth?: Auth;
    /** The `code` of the problem this request was answered with (set by `problemResponse`), for metrics. */
    problemCode?: string;
  };
}
