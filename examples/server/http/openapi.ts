/** The OpenAPI 3.1 document, generated from the route declarations and the contract registry — never by hand. */
import * as z from 'zod/mini';
import { toJSONSchema } from 'zod/v4/core';
import { contract } from '../../../src/schemas/index.js';
import type { RouteSpec } from './router.js';

type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

function clean(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function schemaOf(schema: z.ZodMiniType): Json {
  const meta = contract.get(schema);
  if (meta) return ref(meta.id);
  return clean(
    toJSONSchema(schema, {
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }) as Json,
  );
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input (`validation_failed` with field `errors`, `malformed_json`, …).',
  401: 'Missing or invalid API key or customer token.',
  402: 'Payment is needed first (`payment_required`).',
  403: 'The key or user may not do this (`wrong_key_kind`, `forbidden`, `origin_not_allowed`).',
  404: 'No such resource in this store (`not_found`).',
  409: 'Conflicts with the current state (see `code`).',
  413: 'The body is larger than the API accepts (`payload_too_large`).',
  415: 'The body is not of a type the operation accepts (JSON, or the types its request body lists).',
  422: 'The Idempotency-Key was used with another request (`idempotency_key_reused`).',
  429: 'Rate limited (`rate_limited`); see `Retry-After`.',
  500: 'Server error (`internal_error`).',
  502: 'The payment provider failed or is unreachable (`provider_error`); retry.',
  503: 'The process is draining or its database is briefly away (`service_unavailable`); retry after `Retry-After`.',
};

function security(access: RouteSpec['access']) {
  switch (access) {
    case 'none':
      return [];
    case 'customer':
      return [{ apiKey: [], customerToken: [] }, { apiKey: [] }];
    case 'staff':
    case 'owner':
      return [{ apiKey: [] }, { apiKey: [], customerToken: [] }];
    default:
      return [{ apiKey: [] }];
  }
}

export function buildOpenApi(specs: RouteSpec[], serverUrl: string): Json {
  const { schemas } = toJSONSchema(contract, {
    target: 'draft-2020-12',
    unrepresentable: 'any',
    uri: (id: string) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  const components: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) components[id] = clean(schema);

  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of specs) {
    const path = `/v1${spec.path}`.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: Json[] = [];
    for (const match of spec.path.matchAll(/:([A-Za-z]+)/g)) {
      parameters.push({
        name: match[1],
        in: 'path',
        required: true,
        // `id` and `…Id` parameters are UUIDs (the router answers 404 otherwise); others are the provider's own ids.
        schema:
          match[1] === 'id' || match[1]!.endsWith('Id')
            ? { type: 'string', format: 'uuid' }
            : { type: 'string', maxLength: 255 },
      });
    }
    if (spec.query) {
      for (const [name, prop] of Object.entries(spec.query.def.shape as Record<string, z.ZodMiniType>)) {
        const optional = (prop._zod as { optin?: string }).optin === 'optional';
        parameters.push({ name, in: 'query', required: !optional, schema: schemaOf(prop) });
      }
    }
    if (spec.method === 'post') {
      parameters.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes the request safe to retry: a repeat replays the first response (24 h); reuse with another body is 422.',
        schema: { type: 'string', maxLength: 255 },
      });
    }
    // Any operation may answer 500 or 503 (draining, database away); a body may be too large or not JSON.
    const errors = new Set([
      400,
      500,
      503,
      ...(spec.access === 'none' ? [] : [401, 403]),
      ...(spec.errors ?? []),
    ]);
    if (spec.rateLimit) errors.add(429);
    if (spec.body) errors.add(413).add(415);
    if (spec.rawBody) errors.add(413);
    if (spec.rawBody?.buffered) errors.add(415);
    if (spec.method === 'post') errors.add(422);
    const responses: Record<string, Json> = {
      [String(spec.success.status)]: {
        description: spec.success.description,
        content: {
          [spec.success.contentType ?? 'application/json']: {
            schema: spec.success.schema ? schemaOf(spec.success.schema) : { type: 'string' },
          },
        },
      },
    };
    for (const status of [...errors].sort())
      responses[String(status)] = problemResponse(errorDescriptions[status]!);
    const operation: Json = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description && { description: spec.description }),
      tags: [spec.tag],
      security: security(spec.access),
      ...(parameters.length > 0 && { parameters }),
      responses,
    };
    const content: Json = {};
    if (spec.body) content['application/json'] = { schema: schemaOf(spec.body) };
    for (const type of spec.rawBody ? [spec.rawBody.contentType].flat() : []) {
      // Text (a provider's signed JSON event) or bytes (an image).
      content[type] = {
        schema: /^(text\/|application\/(.+\+)?json)/.test(type)
          ? { type: 'string' }
          : { type: 'string', format: 'binary', contentMediaType: type },
      };
    }
    if (spec.rawBody || spec.body) {
      operation.requestBody = {
        required: spec.rawBody ? true : !spec.bodyOptional,
        ...(spec.rawBody && { description: spec.rawBody.description }),
        content,
      };
    }
    (paths[path] ??= {})[spec.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'DropSlot API',
      version: '1.0.0',
      description:
        'Limited drops with capacity-limited slots, holds, a fair waitlist and QR check-in. Errors are RFC 9457 ' +
        'problem documents with a stable `code`; lists are cursor-paginated; every POST takes an `Idempotency-Key`.',
    },
    servers: [{ url: serverUrl }],
    tags: [...new Set(specs.map((s) => s.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A publishable (`pk_…`, safe in pages) or secret (`sk_…`, servers only) key of the store.',
        },
        customerToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Customer-Token',
          description: 'Who the shopper is: from sign-in/sign-up or minted by `POST /v1/customer-sessions`.',
        },
      },
    },
  };
}
