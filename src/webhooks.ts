/**
 * Verifying DropSlot webhook messages (Standard Webhooks) on your server: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several space-separated during a secret
 * rotation). Web Crypto only, so it runs in Node 20+, Deno, Bun, edge runtimes and browsers.
 */
import type { DropSlotWebhookEvent } from './schemas/webhook-events.js';

const BRAND: unique symbol = Symbol.for('dropslot.webhook-verification-error') as never;

/** Why a message failed verification. */
export type WebhookVerificationReason =
  /** `webhook-id`, `webhook-timestamp` or `webhook-signature` is missing. */
  | 'missing_header'
  /** `webhook-timestamp` is not a number of seconds. */
  | 'invalid_timestamp'
  /** Signed longer ago than the tolerance: possibly a replay. */
  | 'timestamp_too_old'
  /** Signed further in the future than the tolerance. */
  | 'timestamp_too_new'
  /** No signature matches any of the secrets (tampered body or headers, or a wrong secret). */
  | 'invalid_signature'
  /** A secret is not `whsec_` + base64. */
  | 'invalid_secret'
  /** The signature matches but the body is not a JSON webhook payload. */
  | 'invalid_body';

/**
 * A webhook message that must not be trusted. `reason` says why; answer the sender with a 4xx. Check with
 * `WebhookVerificationError.is(e)`, which works across two copies of the package.
 */
export class WebhookVerificationError extends Error {
  /** Why verification failed. */
  readonly reason: WebhookVerificationReason;
  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
  /** Whether `value` is a `WebhookVerificationError` (from any copy of the package). */
  static is(value: unknown): value is WebhookVerificationError {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}

/**
 * A verified message: the event `type`, when it happened, and its `data`. `verifyWebhook` answers the typed union
 * {@link DropSlotWebhookEvent}; this is its untyped shape.
 */
export interface WebhookEvent<T = Record<string, unknown>> {
  /** `reservation.created`, `rental.returned`, … */
  type: string;
  /** When the event happened (ISO 8601, UTC). */
  timestamp: string;
  data: T;
}

/** Request headers: a `Headers` object or a plain record (Node's `req.headers`); names are matched case-insensitively. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way; older messages are refused as replays.
   * @default 300
   */
  toleranceSeconds?: number | undefined;
  /** The current time (for tests). @default Date.now() */
  now?: Date | number | undefined;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(
    headers as Record<string, string | readonly string[] | undefined>,
  )) {
    if (key.toLowerCase() === name)
      return Array.isArray(value) ? value.join(' ') : (value as string | undefined);
  }
  return undefined;
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/**
 * Verifies a webhook message and returns its parsed payload; throws {@link WebhookVerificationError} when a header is
 * missing, the timestamp is outside the tolerance, or no signature matches. Pass the **raw** body exactly as received
 * (not re-serialised JSON). During a secret rotation pass both secrets: a message verifies when any signature
 * matches any secret.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { verifyWebhook, WebhookVerificationError } from 'dropslot';
 *
 * createServer(async (req, res) => {
 *   const chunks: Buffer[] = [];
 *   for await (const chunk of req) chunks.push(chunk as Buffer);
 *   try {
 *     const event = await verifyWebhook(process.env.WEBHOOK_SECRET!, req.headers, Buffer.concat(chunks));
 *     // `type` narrows `data`: here a reservation's facts.
 *     if (event.type === 'reservation.confirmed') console.log(event.data.reservationId, event.data.slotId);
 *     res.writeHead(204).end();
 *   } catch (e) {
 *     res.writeHead(WebhookVerificationError.is(e) ? 400 : 500).end();
 *   }
 * }).listen(4000);
 * ```
 */
export async function verifyWebhook<E extends WebhookEvent<unknown> = DropSlotWebhookEvent>(
  secret: string | readonly string[],
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): Promise<E> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signature = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError(
      'missing_header',
      'The webhook-id, webhook-timestamp and webhook-signature headers are required.',
    );
  }
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a number of seconds.');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor(
    (options.now === undefined
      ? Date.now()
      : typeof options.now === 'number'
        ? options.now
        : options.now.getTime()) / 1000,
  );
  const sent = Number(timestamp);
  if (sent < now - tolerance) {
    throw new WebhookVerificationError('timestamp_too_old', 'The message is older than the tolerance.');
  }
  if (sent > now + tolerance) {
    throw new WebhookVerificationError('timestamp_too_new', 'The message is dated in the future.');
  }

  const encoder = new TextEncoder();
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);

  const candidates = signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => fromBase64(part.slice(3)))
    .filter((bytes): bytes is Uint8Array<ArrayBuffer> => bytes !== undefined && bytes.length === 32);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  if (secrets.length === 0) throw new WebhookVerificationError('invalid_secret', 'No secret was given.');
  let matched = false;
  for (const one of secrets) {
    const keyBytes = fromBase64(one.startsWith('whsec_') ? one.slice(6) : one);
    if (!keyBytes || keyBytes.length === 0) {
      throw new WebhookVerificationError('invalid_secret', 'A secret is not whsec_ followed by base64.');
    }
    const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    for (const candidate of candidates) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify('HMAC', key, candidate, signed)) matched = true;
    }
    if (matched) break;
  }
  if (!matched) throw new WebhookVerificationError('invalid_signature', 'No matching signature.');

  let payload: unknown;
  try {
    payload = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody));
  } catch {
    throw new WebhookVerificationError('invalid_body', 'The body is not JSON.');
  }
  const event = payload as Partial<WebhookEvent<unknown>> | null;
  if (
    !event ||
    typeof event !== 'object' ||
    typeof event.type !== 'string' ||
    typeof event.data !== 'object'
  ) {
    throw new WebhookVerificationError('invalid_body', 'The body is not a webhook payload.');
  }
  // Typed by the contract's schemas (`src/schemas/webhook-events.ts`), not checked here: a type added later arrives too,
  // so switch on `type` and keep a default branch.
  return event as E;
}
