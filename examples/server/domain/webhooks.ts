/**
 * Webhook endpoints of a store (secret key or owner): CRUD, secret rotation with an overlap window, the delivery log
 * and manual redelivery. Messages themselves are written by the `events` trigger and sent by `WebhookDeliverer`.
 */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import {
  ProblemCode,
  type WebhookDelivery,
  type WebhookDeliveryListQuery,
  type WebhookEndpoint,
  type WebhookEndpointCreate,
  type WebhookEndpointUpdate,
  type WebhookEndpointWithSecret,
  type ListQuery,
} from '../../../src/schemas/index.js';
import { schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import { audit, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';
import { checkDestination, DestinationRefused, type Resolver } from './webhook-url.js';

const ep = schema.webhookEndpoints;
const msg = schema.webhookEvents;

/** The default overlap of a rotation: the previous secret keeps signing for 24 h. */
export const DEFAULT_PREVIOUS_SECRET_SECONDS = 86_400;

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

type EndpointRow = typeof ep.$inferSelect;

function toEndpoint(row: EndpointRow, at?: Date): WebhookEndpoint {
  const overlap =
    row.previousSecret && row.previousSecretExpiresAt && (!at || row.previousSecretExpiresAt > at)
      ? row.previousSecretExpiresAt.toISOString()
      : null;
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    enabledEvents: row.enabledEvents,
    active: row.active,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt?.toISOString() ?? null,
    previousSecretExpiresAt: overlap,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit trail keeps of an endpoint: never its secrets. */
function audited(row: EndpointRow) {
  return {
    url: row.url,
    description: row.description,
    enabledEvents: row.enabledEvents,
    active: row.active,
  };
}

/** Refuses (422 `url_not_allowed`) a URL the server may not call; see `webhook-url.ts`. */
export async function assertReceiverUrl(
  url: string,
  options: { allowPrivate: boolean; resolve: Resolver },
): Promise<void> {
  try {
    await checkDestination(url, options);
  } catch (error) {
    if (error instanceof DestinationRefused) {
      throw new ApiError(422, ProblemCode.urlNotAllowed, error.message, {
        errors: [{ path: 'body.url', message: error.message, code: 'url_not_allowed' }],
      });
    }
    throw error;
  }
}

/** `*` alone when every type is wanted; otherwise the distinct types. */
function normaliseEvents(events: string[] | undefined): string[] {
  if (!events || events.includes('*')) return ['*'];
  return [...new Set(events)].sort();
}

export async function createEndpoint(
  db: Database,
  actor: Actor,
  input: WebhookEndpointCreate,
  now: Date,
): Promise<WebhookEndpointWithSecret> {
  return transaction(db, async (tx) => {
    const [row] = await tx
      .insert(ep)
      .values({
        storeId: actor.storeId,
        url: input.url,
        secret: newSecret(),
        description: input.description ?? null,
        enabledEvents: normaliseEvents(input.enabledEvents),
        active: input.active ?? true,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, actor, 'webhook_endpoint.create', 'webhook_endpoint', row!.id, null, audited(row!), now);
    return { ...toEndpoint(row!, now), secret: row!.secret };
  });
}

async function loadEndpoint(db: Executor, storeId: string, id: string, lock = false): Promise<EndpointRow> {
  const query = db
    .select()
    .from(ep)
    .where(and(eq(ep.storeId, storeId), eq(ep.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('webhook endpoint');
  return row;
}

export async function getEndpoint(db: Database, storeId: string, id: string, now: Date) {
  return toEndpoint(await loadEndpoint(db, storeId, id), now);
}

export async function listEndpoints(db: Database, storeId: string, query: ListQuery, now: Date) {
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: ep,
    sort: ep.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'webhook endpoint',
  });
  const found = await db
    .select()
    .from(ep)
    .where(and(eq(ep.storeId, storeId), where))
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return { data: result.data.map((row) => toEndpoint(row, now)), hasMore: result.hasMore };
}

export async function updateEndpoint(
  db: Database,
  actor: Actor,
  id: string,
  input: WebhookEndpointUpdate,
  now: Date,
): Promise<WebhookEndpoint> {
  return transaction(db, async (tx) => {
    const before = await loadEndpoint(tx, actor.storeId, id, true);
    const reenabled = input.active === true && !before.active;
    const [row] = await tx
      .update(ep)
      .set({
        ...(input.url !== undefined && { url: input.url }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.enabledEvents !== undefined && { enabledEvents: normaliseEvents(input.enabledEvents) }),
        ...(input.active !== undefined && { active: input.active }),
        ...(reenabled && { disabledAt: null, disabledReason: null }),
        updatedAt: now,
      })
      .where(and(eq(ep.storeId, actor.storeId), eq(ep.id, id)))
      .returning();
    await audit(
      tx,
      actor,
      'webhook_endpoint.update',
      'webhook_endpoint',
      id,
      audited(before),
      audited(row!),
      now,
    );
    return toEndpoint(row!, now);
  });
}

export async function deleteEndpoint(db: Database, actor: Actor, id: string, now: Date): Promise<void> {
  await transaction(db, async (tx) => {
    const before = await loadEndpoint(tx, actor.storeId, id, true);
    await tx.delete(ep).where(and(eq(ep.storeId, actor.storeId), eq(ep.id, id)));
    await audit(tx, actor, 'webhook_endpoint.delete', 'webhook_endpoint', id, audited(before), null, now);
  });
}

/**
 * A new secret; the current one becomes the previous secret and keeps signing (a second signature) for
 * `expiresPreviousAfter` seconds, so receivers can switch without losing messages.
 */
export async function rotateSecret(
  db: Database,
  actor: Actor,
  id: string,
  expiresPreviousAfter: number,
  now: Date,
): Promise<WebhookEndpointWithSecret> {
  return transaction(db, async (tx) => {
    const before = await loadEndpoint(tx, actor.storeId, id, true);
    const [row] = await tx
      .update(ep)
      .set({
        secret: newSecret(),
        previousSecret: expiresPreviousAfter > 0 ? before.secret : null,
        previousSecretExpiresAt:
          expiresPreviousAfter > 0 ? new Date(now.getTime() + expiresPreviousAfter * 1000) : null,
        updatedAt: now,
      })
      .where(and(eq(ep.storeId, actor.storeId), eq(ep.id, id)))
      .returning();
    await audit(
      tx,
      actor,
      'webhook_endpoint.rotate_secret',
      'webhook_endpoint',
      id,
      null,
      { previousSecretExpiresAt: row!.previousSecretExpiresAt?.toISOString() ?? null },
      now,
    );
    return { ...toEndpoint(row!, now), secret: row!.secret };
  });
}

type MessageRow = typeof msg.$inferSelect;

async function toDeliveries(db: Executor, found: MessageRow[]): Promise<WebhookDelivery[]> {
  const ids = found.map((row) => row.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(schema.webhookAttempts)
          .where(inArray(schema.webhookAttempts.deliveryId, ids))
          .orderBy(asc(schema.webhookAttempts.attemptedAt), asc(schema.webhookAttempts.attempt));
  return found.map((row) => ({
    id: row.id,
    endpointId: row.endpointId,
    messageId: row.messageId,
    eventId: row.eventId,
    type: row.type,
    payload: row.payload as WebhookDelivery['payload'],
    status: row.deliveryStatus as WebhookDelivery['status'],
    nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    attempts: attempts
      .filter((a) => a.deliveryId === row.id)
      .map((a) => ({
        id: a.id,
        attempt: a.attempt,
        attemptedAt: a.attemptedAt.toISOString(),
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
      })),
  }));
}

/** The delivery log of an endpoint, newest message first, each with every attempt. */
export async function listDeliveries(
  db: Database,
  storeId: string,
  endpointId: string,
  query: WebhookDeliveryListQuery,
) {
  await loadEndpoint(db, storeId, endpointId);
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: msg,
    sort: msg.createdAt,
    direction: 'desc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'delivery',
  });
  const found = await db
    .select()
    .from(msg)
    .where(
      and(
        eq(msg.storeId, storeId),
        eq(msg.endpointId, endpointId),
        where,
        query.status ? eq(msg.deliveryStatus, query.status) : undefined,
      ),
    )
    .orderBy(...orderBy)
    .limit(take);
  const result = page(found, limit);
  return { data: await toDeliveries(db, result.data), hasMore: result.hasMore };
}

/**
 * Sends a message again (same `webhook-id`) at the next pass, with a fresh retry schedule. A message still pending
 * is left as it is (it is already going to be sent); the endpoint must be active.
 */
export async function redeliver(
  db: Database,
  actor: Actor,
  endpointId: string,
  deliveryId: string,
  now: Date,
): Promise<WebhookDelivery> {
  return transaction(db, async (tx) => {
    const endpoint = await loadEndpoint(tx, actor.storeId, endpointId);
    const [row] = await tx
      .select()
      .from(msg)
      .where(and(eq(msg.storeId, actor.storeId), eq(msg.endpointId, endpointId), eq(msg.id, deliveryId)))
      .for('update');
    if (!row) throw notFound('delivery');
    if (!endpoint.active) {
      throw new ApiError(409, ProblemCode.invalidState, 'The endpoint is disabled: enable it first.');
    }
    if (row.deliveryStatus === 'pending') return (await toDeliveries(tx, [row]))[0]!;
    const [updated] = await tx
      .update(msg)
      .set({ deliveryStatus: 'pending', nextAttemptAt: now, retryCount: 0, updatedAt: now })
      .where(eq(msg.id, deliveryId))
      .returning();
    await audit(
      tx,
      actor,
      'webhook_delivery.redeliver',
      'webhook_delivery',
      deliveryId,
      { status: row.deliveryStatus },
      { status: 'pending' },
      now,
    );
    return (await toDeliveries(tx, [updated!]))[0]!;
  });
}
