import type { ListPromise, RequestOptions } from '../core.js';
import type { ListQuery } from '../schemas/common.js';
import type { Transport } from '../internal/transport.js';
import {
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookEndpoint,
  WebhookEndpointDeleted,
  WebhookEndpointList,
  WebhookEndpointWithSecret,
  type WebhookDeliveryListQuery,
  type WebhookEndpointCreate,
  type WebhookEndpointUpdate,
  type WebhookSecretRotate,
} from '../schemas/webhooks.js';
import { list, seg } from './shared.js';

/** The delivery log of an endpoint (`/v1/webhook-endpoints/{id}/deliveries`). */
export interface WebhookDeliveriesResource {
  /** Messages to the endpoint, newest first, each with every attempt; await for a page or `for await` over all. */
  list(
    endpointId: string,
    query?: WebhookDeliveryListQuery,
    options?: RequestOptions,
  ): ListPromise<WebhookDelivery>;
  /** Queues a message again with the same `webhook-id` (`POST …/deliveries/{id}/redeliver`). */
  redeliver(endpointId: string, deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery>;
}

/**
 * Webhook endpoints (secret key or an owner): URLs that receive the store's events signed per Standard Webhooks.
 * The signing secret is returned by `create` and `rotateSecret` only; verify messages with {@link verifyWebhook}.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const endpoint = await client.webhookEndpoints.create({
 *   url: 'https://shop.example.com/hooks/dropslot',
 *   enabledEvents: ['reservation.confirmed', 'reservation.cancelled'],
 * });
 * saveSecret(endpoint.secret);
 * ```
 */
export interface WebhookEndpointsResource {
  /** `GET /v1/webhook-endpoints/{id}/deliveries` and redelivery. */
  readonly deliveries: WebhookDeliveriesResource;
  /** Adds an endpoint (`POST /v1/webhook-endpoints`); `ValidationError` `url_not_allowed` for private addresses. */
  create(body: WebhookEndpointCreate, options?: RequestOptions): Promise<WebhookEndpointWithSecret>;
  /** Lists endpoints, newest first (`GET /v1/webhook-endpoints`). */
  list(query?: ListQuery, options?: RequestOptions): ListPromise<WebhookEndpoint>;
  /** Reads one endpoint (`GET /v1/webhook-endpoints/{id}`), without its secret. */
  retrieve(id: string, options?: RequestOptions): Promise<WebhookEndpoint>;
  /** Changes an endpoint (`PATCH /v1/webhook-endpoints/{id}`); `active: true` re-enables one disabled by a 410. */
  update(id: string, body: WebhookEndpointUpdate, options?: RequestOptions): Promise<WebhookEndpoint>;
  /** Deletes an endpoint with its pending messages and log (`DELETE /v1/webhook-endpoints/{id}`). */
  delete(id: string, options?: RequestOptions): Promise<WebhookEndpointDeleted>;
  /**
   * Issues a new secret (`POST /v1/webhook-endpoints/{id}/rotate-secret`). For `expiresPreviousAfter` seconds
   * (default 86400) messages carry both signatures, so pass both secrets to {@link verifyWebhook} meanwhile.
   */
  rotateSecret(
    id: string,
    body?: WebhookSecretRotate,
    options?: RequestOptions,
  ): Promise<WebhookEndpointWithSecret>;
}

export function webhookEndpointsResource(t: Transport): WebhookEndpointsResource {
  const path = (id: string) => `webhook-endpoints/${seg(id)}`;
  return {
    deliveries: {
      list: (endpointId, query, options) =>
        list(t, `${path(endpointId)}/deliveries`, WebhookDeliveryList, query, options),
      redeliver: (endpointId, deliveryId, options) =>
        t.request(
          {
            method: 'POST',
            path: `${path(endpointId)}/deliveries/${seg(deliveryId)}/redeliver`,
            schema: WebhookDelivery,
          },
          options,
        ),
    },
    create: (body, options) =>
      t.request(
        { method: 'POST', path: 'webhook-endpoints', body, schema: WebhookEndpointWithSecret },
        options,
      ),
    list: (query, options) => list(t, 'webhook-endpoints', WebhookEndpointList, query, options),
    retrieve: (id, options) => t.request({ method: 'GET', path: path(id), schema: WebhookEndpoint }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: path(id), body, schema: WebhookEndpoint }, options),
    delete: (id, options) =>
      t.request({ method: 'DELETE', path: path(id), schema: WebhookEndpointDeleted }, options),
    rotateSecret: (id, body, options) =>
      t.request(
        {
          method: 'POST',
          path: `${path(id)}/rotate-secret`,
          body: body ?? {},
          schema: WebhookEndpointWithSecret,
        },
        options,
      ),
  };
}
