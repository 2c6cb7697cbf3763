/** Configuration from the environment (a `.env` file in the working directory is read first if present). */
import path from 'node:path';
import type { S3AssetStoreOptions } from './storage/index.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  trustProxy: boolean;
  /** Notifications: SMTP (`SMTP_URL`) or the log/file transport, the From address, reminder lead times (ms). */
  notifications: {
    smtpUrl: string | undefined;
    from: string;
    logFile: string;
    leads: { holdExpiring: number; rentalPickup: number; rentalReturn: number };
  };
  /**
   * Webhook receivers on loopback and private addresses (a receiver on this machine or network), only when switched
   * on explicitly: `WEBHOOK_ALLOW_PRIVATE_URLS=true`. Off by default, with PGlite and PostgreSQL alike. Link-local and
   * cloud metadata addresses stay refused even then.
   */
  webhookAllowPrivateUrls: boolean;
  /**
   * Who may frame the demo shop pages: `STORE_FRAME_ANCESTORS`, space-separated CSP sources (`'self'`,
   * `https://partner.example`, `'none'`). @default 'self'. The staff desk is never framed.
   */
  storeFrameAncestors: string[];
  /**
   * Retention (see docs/security.md): `RETENTION_INTERVAL_SECONDS` between purges (default 3600),
   * `RETENTION_NOTIFICATIONS_DAYS` and `RETENTION_WEBHOOK_DAYS` that finished notifications and webhook messages are
   * kept (default 30 each).
   */
  retention: { intervalMs: number; notificationsDays: number; webhookDays: number };
  /** How a newly seeded demo store is paid (`DEMO_PAYMENTS=online|at_pickup`, default `at_pickup`). */
  demoPayments: 'online' | 'at_pickup';
  /** Stripe, when `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` are both set (`STRIPE_PUBLISHABLE_KEY` for the page). */
  stripe: { secretKey: string; webhookSecret: string; publishableKey: string | undefined } | undefined;
  /** The platform operator credential (`OPERATOR_TOKEN`) for `POST /v1/stores`; unset → stores only by the CLI. */
  operatorToken: string | undefined;
  /** `METRICS_TOKEN`: `GET /metrics` answers with `Authorization: Bearer <token>`; unset → no `/metrics`. */
  metricsToken: string | undefined;
  /**
   * Product assets: the largest image upload (`ASSETS_MAX_UPLOAD_BYTES`, default 5 MiB), kept as files under
   * `DATA_DIR/assets` (`ASSETS_DIR`), or in an S3-compatible bucket when `ASSETS_S3_BUCKET` is set (see `assetsS3`).
   */
  assets: { dir: string; maxUploadBytes: number; s3: S3AssetStoreOptions | undefined };
}

/**
 * The S3-compatible bucket of product assets, when `ASSETS_S3_BUCKET` is set: `ASSETS_S3_ENDPOINT` (unset: AWS S3),
 * `ASSETS_S3_REGION` (default us-east-1), `ASSETS_S3_ACCESS_KEY_ID` with `ASSETS_S3_SECRET_ACCESS_KEY` (unset: the AWS
 * SDK's default credentials), `ASSETS_S3_FORCE_PATH_STYLE` (default true with an endpoint), `ASSETS_S3_PREFIX`.
 */
function assetsS3(env: NodeJS.ProcessEnv): S3AssetStoreOptions | undefined {
  const bucket = env.ASSETS_S3_BUCKET;
  if (!bucket) return undefined;
  const accessKeyId = env.ASSETS_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.ASSETS_S3_SECRET_ACCESS_KEY;
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    throw new Error('Set both ASSETS_S3_ACCESS_KEY_ID and ASSETS_S3_SECRET_ACCESS_KEY, or neither.');
  }
  const endpoint = env.ASSETS_S3_ENDPOINT || undefined;
  if (endpoint && !/^https?:\/\/[^/?#]+/.test(endpoint)) {
    throw new Error(`ASSETS_S3_ENDPOINT must be an http(s) URL, got ${endpoint}`);
  }
  return {
    bucket,
    endpoint,
    region: env.ASSETS_S3_REGION || undefined,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle:
      env.ASSETS_S3_FORCE_PATH_STYLE === undefined || env.ASSETS_S3_FORCE_PATH_STYLE === ''
        ? undefined
        : flag(env, 'ASSETS_S3_FORCE_PATH_STYLE'),
    prefix: env.ASSETS_S3_PREFIX || undefined,
  };
}

function demoPayments(value: string | undefined): Config['demoPayments'] {
  if (!value || value === 'at_pickup') return 'at_pickup';
  if (value === 'online') return 'online';
  throw new Error(`DEMO_PAYMENTS must be online or at_pickup, got ${value}`);
}

/** A whole number > 0 from the environment. */
function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a whole number > 0, got ${raw}`);
  return value;
}

/** A boolean switch: `true` or `false` (unset or empty: false). */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new Error(`${name} must be true or false, got ${value}`);
}

function frameAncestors(value: string | undefined): string[] {
  const sources = (value ?? "'self'").split(/\s+/).filter(Boolean);
  if (sources.length === 1 && sources[0] === "'none'") return [];
  for (const source of sources) {
    if (!/^('self'|https?:\/\/[\w.*-]+(:\d+)?|[\w.*-]+)$/.test(source))
      throw new Error(`STORE_FRAME_ANCESTORS: ${source} is not a frame-ancestors source`);
  }
  return sources;
}

/** A lead time in seconds from the environment, in milliseconds. */
function leadSeconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be whole seconds ≥ 0, got ${raw}`);
  return value * 1000;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    process.loadEnvFile?.();
  } catch {
    // No .env file: the environment alone configures the server.
  }
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got ${env.PORT}`);
  const host = env.HOST ?? '127.0.0.1';
  const level = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level))
    throw new Error(`LOG_LEVEL ${level} is not one of debug|info|warn|error|silent`);
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    publicUrl: (env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(
      /\/$/,
      '',
    ),
    logLevel: level,
    trustProxy: env.TRUST_PROXY === 'true',
    notifications: {
      smtpUrl: env.SMTP_URL || undefined,
      from: env.NOTIFY_FROM || 'DropSlot <no-reply@localhost>',
      logFile: env.NOTIFY_LOG_FILE || path.join(path.resolve(env.DATA_DIR ?? '.data'), 'notifications.jsonl'),
      leads: {
        holdExpiring: leadSeconds(env, 'NOTIFY_HOLD_LEAD_SECONDS', 120),
        rentalPickup: leadSeconds(env, 'NOTIFY_PICKUP_LEAD_SECONDS', 86_400),
        rentalReturn: leadSeconds(env, 'NOTIFY_RETURN_LEAD_SECONDS', 86_400),
      },
    },
    demoPayments: demoPayments(env.DEMO_PAYMENTS),
    operatorToken: env.OPERATOR_TOKEN || undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    assets: {
      dir: path.resolve(env.ASSETS_DIR || path.join(env.DATA_DIR ?? '.data', 'assets')),
      maxUploadBytes: positive(env, 'ASSETS_MAX_UPLOAD_BYTES', 5 * 1024 * 1024),
      s3: assetsS3(env),
    },
    storeFrameAncestors: frameAncestors(env.STORE_FRAME_ANCESTORS),
    retention: {
      intervalMs: positive(env, 'RETENTION_INTERVAL_SECONDS', 3600) * 1000,
      notificationsDays: positive(env, 'RETENTION_NOTIFICATIONS_DAYS', 30),
      webhookDays: positive(env, 'RETENTION_WEBHOOK_DAYS', 30),
    },
    webhookAllowPrivateUrls: flag(env, 'WEBHOOK_ALLOW_PRIVATE_URLS'),
    stripe:
      env.STRIPE_SECRET_KEY && env.STRIPE_WEBHOOK_SECRET
        ? {
            secretKey: env.STRIPE_SECRET_KEY,
            webhookSecret: env.STRIPE_WEBHOOK_SECRET,
            publishableKey: env.STRIPE_PUBLISHABLE_KEY || undefined,
          }
        : undefined,
  };
}
