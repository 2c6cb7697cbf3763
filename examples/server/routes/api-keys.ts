import {
  ApiKey,
  ApiKeyCreate,
  ApiKeyList,
  ApiKeyRoll,
  ApiKeyRolled,
  ApiKeyUpdate,
  ApiKeyWithSecret,
  ListQuery,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import {
  DEFAULT_ROLL_OVERLAP_SECONDS,
  createApiKey,
  getApiKey,
  listApiKeys,
  revokeKey,
  rollApiKey,
  updateApiKey,
} from '../domain/api-keys.js';

/** `/v1/api-keys`: the store's keys (owner or secret key). A key is shown once, when it is made; stored hashed. */
export function apiKeyRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/api-keys',
        operationId: 'listApiKeys',
        summary: 'List API keys',
        description:
          'Every key of the store, revoked and expired ones included: kind, first characters (`prefix`), label, ' +
          'allowed origins and state. Never the key itself.',
        tag: 'API keys',
        access: 'owner',
        query: ListQuery,
        success: { status: 200, schema: ApiKeyList, description: 'A page of keys.' },
      },
      async ({ services, auth, query }) =>
        listApiKeys(services.db, auth.storeId, query, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/api-keys/:id',
        operationId: 'getApiKey',
        summary: 'Retrieve an API key',
        tag: 'API keys',
        access: 'owner',
        success: { status: 200, schema: ApiKey, description: 'The key (never the key itself).' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getApiKey(services.db, auth.storeId, params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/api-keys',
        operationId: 'createApiKey',
        summary: 'Create an API key',
        description:
          'A publishable (`pk_…`, for pages; optionally limited to `allowedOrigins`) or secret (`sk_…`, servers only) ' +
          'key. The answer carries the key itself in `secret`, shown only here: the server keeps its SHA-256 hash. ' +
          'A repeat with the same `Idempotency-Key` gives the same key back, to the same credentials only: the recorded ' +
          'answer is sealed with them.',
        tag: 'API keys',
        access: 'owner',
        body: ApiKeyCreate,
        secretAnswer: true,
        success: { status: 201, schema: ApiKeyWithSecret, description: 'The new key, with the key itself.' },
      },
      async ({ c, services, auth, body }) =>
        createApiKey(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/api-keys/:id',
        operationId: 'updateApiKey',
        summary: 'Change an API key',
        description:
          'The label (`null` clears it) and, for a publishable key, the allowed origins (exact `scheme://host[:port]`; ' +
          'empty: any origin). New origins apply at once on every process. A revoked or expired key is 409 ' +
          '`api_key_inactive`.',
        tag: 'API keys',
        access: 'owner',
        body: ApiKeyUpdate,
        success: { status: 200, schema: ApiKey, description: 'The key after the change.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params, body }) =>
        updateApiKey(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/api-keys/:id/revoke',
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key',
        description:
          'Every process refuses the key from the moment this answers (the revocation is announced to all of them). ' +
          'Revoking a revoked key answers it unchanged. A key may revoke itself, but not the store’s last secret key ' +
          'that does not expire (409 `last_secret_key`): roll that one instead, with `expiresPreviousAfter: 0` to ' +
          'stop it at once.',
        tag: 'API keys',
        access: 'owner',
        success: { status: 200, schema: ApiKey, description: 'The revoked key.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        revokeKey(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/api-keys/:id/roll',
        operationId: 'rollApiKey',
        summary: 'Roll an API key',
        description:
          'Makes a new key of the same kind, label and origins (the key itself in `secret`, shown only here) and keeps ' +
          'the old one working for `expiresPreviousAfter` seconds (default 86400, 0 to 604800; 0 stops it at once), ' +
          'so servers can switch keys without an outage. After that every process refuses the old key. A revoked or ' +
          'expired key is 409 `api_key_inactive`; a key rolled already is 409 `api_key_rolled`.',
        tag: 'API keys',
        access: 'owner',
        body: ApiKeyRoll,
        bodyOptional: true,
        secretAnswer: true,
        success: {
          status: 200,
          schema: ApiKeyRolled,
          description: 'The new key with the key itself, and the rolled key with its expiry in `previous`.',
        },
        errors: [404, 409],
      },
      async ({ c, services, auth, params, body }) =>
        rollApiKey(
          services.db,
          actorOf(c, auth),
          params.id!,
          body.expiresPreviousAfter ?? DEFAULT_ROLL_OVERLAP_SECONDS,
          services.clock.now(),
        ),
    );
}
