import * as z from 'zod/mini';
import { Id, ListQuery, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/**
 * Every event type the API emits today (the catalogue of `docs/webhooks.md`). Endpoints subscribe to types by name
 * (or `*` for all); a type added later reaches `*` subscribers with no change on their side.
 */
export const WEBHOOK_EVENT_TYPES = [
  'reservation.created',
  'reservation.confirmed',
  'reservation.cancelled',
  'reservation.expired',
  'reservation.checked_in',
  'waitlist.joined',
  'waitlist.promoted',
  'waitlist.left',
  'rental.created',
  'rental.confirmed',
  'rental.cancelled',
  'rental.schedule_assigned',
  'rental.picked_up',
  'rental.overdue',
  'rental.returned',
  'subscription.started',
  'subscription.renewal_due',
  'subscription.cancelled',
  'subscription.ended',
] as const;

/** An event type an endpoint subscribes to: `area.action` (`reservation.created`), or `*` for every type. */
export const WebhookEventFilter = z.string().check(z.regex(/^(\*|[a-z][a-z_]{0,39}\.[a-z][a-z_]{0,39})$/));

/** A receiver URL: `https://` (or `http://`), at most 2,000 characters, no credentials. */
export const WebhookUrl = z.url({ protocol: /^https?$/ }).check(
  z.maxLength(2000),
  z.refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), 'The URL must not carry credentials.'),
);

/** A receiver of signed event messages (Standard Webhooks). The secret is shown only on create and rotate. */
export const WebhookEndpoint = named(
  'WebhookEndpoint',
  'A URL that receives signed event messages of the store.',
  z.object({
    id: Id,
    url: z.string(),
    description: z.nullable(z.string()),
    /** Event types delivered; `["*"]` is every type. */
    enabledEvents: z.array(z.string()),
    /** Inactive endpoints get no new messages and their pending ones wait. */
    active: z.boolean(),
    /** Why the server disabled it (a receiver answering 410 Gone), if it did. */
    disabledReason: z.nullable(z.string()),
    disabledAt: z.nullable(Timestamp),
    /** Until when messages also carry a signature with the secret before the last rotation. */
    previousSecretExpiresAt: z.nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** An endpoint with its signing secret, as answered by create and rotate-secret (the only times it is shown). */
export const WebhookEndpointWithSecret = named(
  'WebhookEndpointWithSecret',
  'A webhook endpoint with its signing secret (`whsec_…`), shown on create and rotation only.',
  z.extend(WebhookEndpoint, { secret: z.string() }),
);
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

/** Body of `POST /webhook-endpoints`. */
export const WebhookEndpointCreate = named(
  'WebhookEndpointCreate',
  'A new webhook endpoint: its URL, and which event types it receives (default every type).',
  z.strictObject({
    url: WebhookUrl,
    description: z.optional(z.string().check(z.maxLength(500))),
    enabledEvents: z.optional(z.array(WebhookEventFilter).check(z.minLength(1), z.maxLength(50))),
    active: z.optional(z.boolean()),
  }),
);
export type WebhookEndpointCreate = z.infer<typeof WebhookEndpointCreate>;

/** Body of `PATCH /webhook-endpoints/{id}`: the fields to change. Setting `active: true` re-enables a disabled endpoint. */
export const WebhookEndpointUpdate = named(
  'WebhookEndpointUpdate',
  'Changes to a webhook endpoint.',
  z.strictObject({
    url: z.optional(WebhookUrl),
    description: z.optional(z.nullable(z.string().check(z.maxLength(500)))),
    enabledEvents: z.optional(z.array(WebhookEventFilter).check(z.minLength(1), z.maxLength(50))),
    active: z.optional(z.boolean()),
  }),
);
export type WebhookEndpointUpdate = z.infer<typeof WebhookEndpointUpdate>;

/** Body of `POST /webhook-endpoints/{id}/rotate-secret` (optional). */
export const WebhookSecretRotate = named(
  'WebhookSecretRotate',
  'How long the old secret keeps signing (second signature) after a rotation: 0 to 7 days, default 24 h.',
  z.strictObject({
    /** Seconds the previous secret still signs; `0` drops it at once. @default 86400 */
    expiresPreviousAfter: z.optional(z.int().check(z.minimum(0), z.maximum(7 * 86_400))),
  }),
);
export type WebhookSecretRotate = z.infer<typeof WebhookSecretRotate>;

/** The answer of `DELETE /webhook-endpoints/{id}`. */
export const WebhookEndpointDeleted = named(
  'WebhookEndpointDeleted',
  'A deleted webhook endpoint.',
  z.object({ id: Id, deleted: z.literal(true) }),
);
export type WebhookEndpointDeleted = z.infer<typeof WebhookEndpointDeleted>;

export const WebhookEndpointList = Page('WebhookEndpointList', WebhookEndpoint);
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

/** One HTTP attempt of a delivery. */
export const WebhookAttempt = named(
  'WebhookAttempt',
  "One attempt of a delivery: the receiver's status code, or the transport error, and its duration.",
  z.object({
    id: Id,
    /** 1 for the first attempt. */
    attempt: z.int(),
    attemptedAt: Timestamp,
    /** The HTTP status the receiver answered; null when no response came (timeout, refused, DNS). */
    statusCode: z.nullable(z.int()),
    error: z.nullable(z.string()),
    durationMs: z.int(),
  }),
);
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

/** pending (will be attempted at `nextAttemptAt`) → delivered, or failed (retries exhausted) / disabled (410 Gone). */
export const WebhookDeliveryStatus = z.enum(['pending', 'delivered', 'failed', 'disabled']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

/** The Standard Webhooks payload of a message. */
export const WebhookPayload = named(
  'WebhookPayload',
  'The body of a webhook message: `type`, the `timestamp` of the event and its `data`.',
  z.object({
    type: z.string(),
    timestamp: Timestamp,
    data: z.record(z.string(), z.unknown()),
  }),
);
export type WebhookPayload = z.infer<typeof WebhookPayload>;

/** One message to one endpoint, with its attempts. */
export const WebhookDelivery = named(
  'WebhookDelivery',
  'One event message to one endpoint: its status and every attempt.',
  z.object({
    id: Id,
    endpointId: Id,
    /** The `webhook-id` header: the same on every attempt. */
    messageId: z.string(),
    eventId: z.nullable(Id),
    type: z.string(),
    payload: WebhookPayload,
    status: WebhookDeliveryStatus,
    nextAttemptAt: z.nullable(Timestamp),
    deliveredAt: z.nullable(Timestamp),
    lastStatusCode: z.nullable(z.int()),
    lastError: z.nullable(z.string()),
    createdAt: Timestamp,
    /** Every attempt so far, oldest first. */
    attempts: z.array(WebhookAttempt),
  }),
);
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryList = Page('WebhookDeliveryList', WebhookDelivery);
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

/** Query of `GET /webhook-endpoints/{id}/deliveries`. */
export const WebhookDeliveryListQuery = z.extend(ListQuery, {
  status: z.optional(WebhookDeliveryStatus),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuery>;
