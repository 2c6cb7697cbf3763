import type { Clock } from './clock.js';
import type { Database, DatabaseHandle } from './db/index.js';
import type { Tokens } from './domain/tokens.js';
import type { KeyCache } from './http/auth.js';
import type { Revocations } from './http/revocation.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { IdempotencyStep } from './http/idempotency.js';
import type { LiveHub } from './live.js';
import type { Semaphore } from './semaphore.js';
import type { WebhookSettings } from './domain/webhook-delivery.js';
import type { PaymentProviders } from './domain/payments.js';
import type { TestProvider } from './payments/test-provider.js';
import type { AssetFiles } from './domain/assets.js';

/** Everything a route needs, built once per app by `createApp`. */
export interface Services {
  db: Database;
  handle: DatabaseHandle;
  clock: Clock;
  tokens: Tokens;
  keys: KeyCache;
  /** Disabled customers, kept current on every process by notices (see `http/revocation.ts`). */
  revocations: Revocations;
  rateLimiter: RateLimiter;
  live: LiveHub;
  /** Admits reserves to the database no faster than the pool can take them. */
  reserveGate: Semaphore;
  log: Logger;
  /** Receiver URL rules and delivery settings of outbound webhooks. */
  webhooks: WebhookSettings;
  /** Payment providers: the built-in test provider always, Stripe when configured. */
  payments: PaymentProviders;
  testProvider: TestProvider;
  /** Uploaded product images: the asset store, the largest upload, and the removal of unused files. */
  assets: AssetFiles;
  /** How long a repeated Idempotency-Key waits for the first request to finish. @default IDEMPOTENCY_WAIT_MS */
  idempotencyWaitMs?: number;
  /** Test hook: called at each step of a keyed request (a crash test kills the process between two). */
  onIdempotencyStep?: (step: IdempotencyStep) => void | Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
