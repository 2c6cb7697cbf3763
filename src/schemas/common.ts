import * as z from 'zod/mini';
import { named } from './registry.js';

/** A resource id (UUID). */
export const Id = z.uuid();

/** An instant, ISO 8601 in UTC (`2026-11-21T18:00:00.000Z`). */
export const Timestamp = z.iso.datetime({ offset: false });

/** An ISO 4217 currency code, upper case. */
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/));

/** Money as an integer amount in minor units plus its currency. Never a float. */
export const Money = named(
  'Money',
  'An amount in minor units (cents) with its ISO 4217 currency.',
  z.object({
    amount: z.int().check(z.minimum(0)),
    currency: Currency,
  }),
);
export type Money = z.infer<typeof Money>;

/** Cursor pagination query: `limit` (1–100, default 20) and `startingAfter` (the last id of the previous page). */
export const ListQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  startingAfter: z.optional(z.uuid()),
});
export type ListQuery = z.infer<typeof ListQuery>;

/**
 * The schema of one page of a list: the items and whether more follow, registered under `id` in the contract.
 *
 * @example
 * ```ts
 * import { Drop, Page } from 'dropslot/schemas';
 *
 * const DropPage = Page('DropPage', Drop);
 * const page = DropPage.parse(await (await fetch('/v1/drops', { headers })).json());
 * page.hasMore; // whether to ask for the next page with `startingAfter`
 * ```
 */
export function Page<T extends z.ZodMiniType>(id: string, item: T) {
  return named(
    id,
    'One page of a cursor-paginated list.',
    z.object({ data: z.array(item), hasMore: z.boolean() }),
  );
}
/** The shape of one page of `T`. */
export interface PageOf<T> {
  data: T[];
  hasMore: boolean;
}

/** One field error of a validation problem. */
export const FieldError = named(
  'FieldError',
  'A field that failed validation: its JSON path, a message and a machine code.',
  z.object({
    path: z.string(),
    message: z.string(),
    code: z.string(),
  }),
);

/**
 * An RFC 9457 problem document (`application/problem+json`) with a stable machine `code`.
 * Extra members carry details of some codes (`firstUsedAt` of `qr_already_used`, `waitlist` of `slot_full`, …).
 */
export const Problem = named(
  'Problem',
  'An RFC 9457 problem document with a stable machine code.',
  z.looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    code: z.string(),
    requestId: z.optional(z.string()),
    errors: z.optional(z.array(FieldError)),
  }),
);
export type Problem = z.infer<typeof Problem>;

/** Every stable problem `code` the API answers with. */
export const ProblemCode = {
  validationFailed: 'validation_failed',
  malformedJson: 'malformed_json',
  /** The JSON body nests deeper or holds more values than the API accepts. */
  jsonTooComplex: 'json_too_complex',
  notFound: 'not_found',
  unauthenticated: 'unauthenticated',
  invalidApiKey: 'invalid_api_key',
  wrongKeyKind: 'wrong_key_kind',
  invalidCustomerToken: 'invalid_customer_token',
  customerTokenRequired: 'customer_token_required',
  forbidden: 'forbidden',
  originNotAllowed: 'origin_not_allowed',
  credentialInUrl: 'credential_in_url',
  slotFull: 'slot_full',
  dropNotOpen: 'drop_not_open',
  dropClosed: 'drop_closed',
  holdExpired: 'hold_expired',
  alreadyReserved: 'already_reserved',
  reservationLimitReached: 'reservation_limit_reached',
  invalidState: 'invalid_state',
  slotAvailable: 'slot_available',
  alreadyWaitlisted: 'already_waitlisted',
  qrInvalid: 'qr_invalid',
  qrAlreadyUsed: 'qr_already_used',
  checkInNotOpen: 'check_in_not_open',
  checkInClosed: 'check_in_closed',
  emailTaken: 'email_taken',
  invalidCredentials: 'invalid_credentials',
  conflict: 'conflict',
  idempotencyKeyReused: 'idempotency_key_reused',
  idempotencyKeyInFlight: 'idempotency_key_in_flight',
  invalidIdempotencyKey: 'invalid_idempotency_key',
  rateLimited: 'rate_limited',
  payloadTooLarge: 'payload_too_large',
  unsupportedMediaType: 'unsupported_media_type',
  methodNotAllowed: 'method_not_allowed',
  invalidPeriod: 'invalid_period',
  notRentable: 'not_rentable',
  unitUnavailable: 'unit_unavailable',
  promoInvalid: 'promo_invalid',
  promoExpired: 'promo_expired',
  promoExhausted: 'promo_exhausted',
  insufficientPoints: 'insufficient_points',
  quoteChanged: 'quote_changed',
  paymentRequired: 'payment_required',
  urlNotAllowed: 'url_not_allowed',
  paymentNotRequired: 'payment_not_required',
  alreadyPaid: 'already_paid',
  invalidSignature: 'invalid_signature',
  providerNotConfigured: 'provider_not_configured',
  providerError: 'provider_error',
  invitationInvalid: 'invitation_invalid',
  invitationUsed: 'invitation_used',
  /** The change would leave the store without an owner (removing or demoting its last one). */
  lastOwner: 'last_owner',
  /** The change would leave the store without a secret key that does not expire (roll it instead). */
  lastSecretKey: 'last_secret_key',
  /** The e-mail already belongs to a member of the store; change their role instead. */
  memberExists: 'member_exists',
  /** The API key is revoked or expired: it cannot be changed or rolled. */
  apiKeyInactive: 'api_key_inactive',
  /** The API key was rolled already: roll its successor, or revoke it to end the overlap now. */
  apiKeyRolled: 'api_key_rolled',
  /** The uploaded bytes are not a whole image of the declared type (another format, truncated, unreadable, too large in pixels). */
  imageInvalid: 'image_invalid',
  /** The product has as many assets as it may have (20): delete one first. */
  assetLimitReached: 'asset_limit_reached',
  /** The customer has a subscription to this plan waiting for its payment, or a renewal queued already. */
  alreadySubscribed: 'already_subscribed',
  /** The subscription plan is switched off: it takes no new subscribers. */
  planInactive: 'plan_inactive',
  internal: 'internal_error',
  /** The server cannot answer now (draining for a restart, database unreachable); retry after `Retry-After`. */
  unavailable: 'service_unavailable',
} as const;
export type ProblemCode = (typeof ProblemCode)[keyof typeof ProblemCode];
