import {
  AuditLogList,
  AuditLogListQuery,
  ListQuery,
  ProblemCode,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointDeleted,
  WebhookEndpointList,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookSecretRotate,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { ApiError } from '../http/problem.js';
import type { Services } from '../services.js';
import {
  assertReceiverUrl,
  createEndpoint,
  DEFAULT_PREVIOUS_SECRET_SECONDS,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  redeliver,
  rotateSecret,
  updateEndpoint,
} from '../domain/webhooks.js';
import { listAuditLogs } from '../domain/audit-logs.js';

const urlRule = (services: Services) => ({
  allowPrivate: services.webhooks.allowPrivateUrls,
  resolve: services.webhooks.resolve,
});

export function webhookRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/webhook-endpoints',
        operationId: 'createWebhookEndpoint',
        summary: 'Add a webhook endpoint',
        description:
          'Registers a URL that receives signed event messages (Standard Webhooks). The answer carries the signing ' +
          'secret (`whsec_…`), shown only here and on rotation. URLs whose host resolves to a loopback, private, ' +
          'link-local or unique-local address are refused (422 `url_not_allowed`) outside development mode.',
        tag: 'Webhooks',
        access: 'owner',
        body: WebhookEndpointCreate,
        success: {
          status: 201,
          schema: WebhookEndpointWithSecret,
          description: 'The endpoint and its secret.',
        },
        errors: [422],
      },
      async ({ c, services, auth, body }) => {
        await assertReceiverUrl(body.url, urlRule(services));
        return createEndpoint(services.db, actorOf(c, auth), body, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/webhook-endpoints',
        operationId: 'listWebhookEndpoints',
        summary: 'List webhook endpoints',
        description: 'Newest first. Secrets are never listed.',
        tag: 'Webhooks',
        access: 'owner',
        query: ListQuery,
        success: { status: 200, schema: WebhookEndpointList, description: 'One page of endpoints.' },
      },
      async ({ services, auth, query }) =>
        listEndpoints(services.db, auth.storeId, query, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/webhook-endpoints/:id',
        operationId: 'getWebhookEndpoint',
        summary: 'Get a webhook endpoint',
        tag: 'Webhooks',
        access: 'owner',
        success: { status: 200, schema: WebhookEndpoint, description: 'The endpoint.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getEndpoint(services.db, auth.storeId, params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/webhook-endpoints/:id',
        operationId: 'updateWebhookEndpoint',
        summary: 'Change a webhook endpoint',
        description:
          'Changes the URL (checked like on create), description, event types or `active`. `active: true` ' +
          're-enables an endpoint the server disabled after a 410 Gone.',
        tag: 'Webhooks',
        access: 'owner',
        body: WebhookEndpointUpdate,
        success: { status: 200, schema: WebhookEndpoint, description: 'The changed endpoint.' },
        errors: [404, 422],
      },
      async ({ c, services, auth, params, body }) => {
        if (body.url !== undefined) await assertReceiverUrl(body.url, urlRule(services));
        return updateEndpoint(services.db, actorOf(c, auth), params.id!, body, services.clock.now());
      },
    )
    .add(
      {
        method: 'delete',
        path: '/webhook-endpoints/:id',
        operationId: 'deleteWebhookEndpoint',
        summary: 'Delete a webhook endpoint',
        description: 'Deletes the endpoint with its pending messages and delivery log.',
        tag: 'Webhooks',
        access: 'owner',
        success: { status: 200, schema: WebhookEndpointDeleted, description: 'Deleted.' },
        errors: [404],
      },
      async ({ c, services, auth, params }) => {
        await deleteEndpoint(services.db, actorOf(c, auth), params.id!, services.clock.now());
        return { id: params.id!, deleted: true as const };
      },
    )
    .add(
      {
        method: 'post',
        path: '/webhook-endpoints/:id/rotate-secret',
        operationId: 'rotateWebhookSecret',
        summary: 'Rotate the signing secret',
        description:
          'Issues a new secret. For `expiresPreviousAfter` seconds (default 86400, 0 to 604800) messages carry two ' +
          'signatures, `v1,<new> v1,<old>`, so receivers can switch secrets without losing messages.',
        tag: 'Webhooks',
        access: 'owner',
        body: WebhookSecretRotate,
        bodyOptional: true,
        success: {
          status: 200,
          schema: WebhookEndpointWithSecret,
          description: 'The endpoint and its new secret.',
        },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        rotateSecret(
          services.db,
          actorOf(c, auth),
          params.id!,
          body.expiresPreviousAfter ?? DEFAULT_PREVIOUS_SECRET_SECONDS,
          services.clock.now(),
        ),
    )
    .add(
      {
        method: 'get',
        path: '/webhook-endpoints/:id/deliveries',
        operationId: 'listWebhookDeliveries',
        summary: 'The delivery log of an endpoint',
        description:
          'Messages to the endpoint, newest first, each with its status and every attempt (status code or error, ' +
          'duration).',
        tag: 'Webhooks',
        access: 'owner',
        query: WebhookDeliveryListQuery,
        success: { status: 200, schema: WebhookDeliveryList, description: 'One page of deliveries.' },
        errors: [404],
      },
      async ({ services, auth, params, query }) =>
        listDeliveries(services.db, auth.storeId, params.id!, query),
    )
    .add(
      {
        method: 'post',
        path: '/webhook-endpoints/:id/deliveries/:deliveryId/redeliver',
        operationId: 'redeliverWebhook',
        summary: 'Send a message again',
        description:
          'Queues a delivered, failed or disabled message for the next delivery pass with the same `webhook-id` ' +
          'and a fresh retry schedule. The endpoint must be active (409 `invalid_state`).',
        tag: 'Webhooks',
        access: 'owner',
        success: { status: 202, schema: WebhookDelivery, description: 'The message, pending again.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        redeliver(services.db, actorOf(c, auth), params.id!, params.deliveryId!, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/audit-logs',
        operationId: 'listAuditLogs',
        summary: 'The audit trail',
        description:
          'Every audited state change of the store, newest first: filter by `entity`, `entityId`, `action`, ' +
          '`actorUserId` and the half-open period `[from, to)`. Rows are never changed or deleted.',
        tag: 'Audit',
        access: 'owner',
        query: AuditLogListQuery,
        success: { status: 200, schema: AuditLogList, description: 'One page of audit rows.' },
      },
      async ({ services, auth, query }) => {
        if (query.from && query.to && Date.parse(query.from) >= Date.parse(query.to)) {
          throw new ApiError(400, ProblemCode.validationFailed, '`from` must be before `to`.');
        }
        return listAuditLogs(services.db, auth.storeId, query);
      },
    );
}
