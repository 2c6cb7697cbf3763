/**
 * No input is a 5xx. Random deep, wide and odd JSON sent to every body route of the OpenAPI document, with every kind
 * of credential, is answered 2xx or an RFC 9457 problem — never 500, never a crash — and refused bodies change nothing.
 * Keyed requests: replays are byte-identical and do not count against rate limits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { databaseKinds } from '../support/db.js';
import { withApp, type TestApp } from '../support/app.js';
import { MAX_JSON_DEPTH, MAX_JSON_VALUES } from '../../examples/server/http/router.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 120);

interface BodyRoute {
  method: string;
  path: string;
}

/** Every operation of the served document that takes a JSON body. */
function bodyRoutes(openapi: Record<string, unknown>): BodyRoute[] {
  const paths = openapi.paths as Record<string, Record<string, { requestBody?: unknown }>>;
  const found: BodyRoute[] = [];
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody) found.push({ method: method.toUpperCase(), path });
    }
  }
  return found;
}

const nested = (depth: number, leaf: string) => '['.repeat(depth) + leaf + ']'.repeat(depth);

/** JSON texts that break naive servers: deep nesting, huge arrays, odd numbers and strings, lone surrogates. */
const oddJson = fc.oneof(
  fc.integer({ min: 1, max: 6_000 }).map((depth) => nested(depth, '1')),
  fc.integer({ min: 1, max: 3_000 }).map((depth) => '{"a":'.repeat(depth) + 'null' + '}'.repeat(depth)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `[${Array.from({ length: n }, () => '0').join(',')}]`),
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(
      fc.constantFrom(
        'slotId',
        'email',
        'password',
        'items',
        'start',
        'end',
        'name',
        'url',
        'capacity',
        '__proto__',
      ),
      fc.oneof(
        fc.string(),
        fc.double(),
        fc.constantFrom(1e308, -0, 2 ** 53 + 1, '\u0000', '\ud800', '9999-99-99', 'x'.repeat(5_000)),
        fc.array(fc.anything({ maxDepth: 3 }), { maxLength: 5 }),
      ),
    )
    .map((value) => JSON.stringify(value)),
  fc.constantFrom('', '{', '[1,]', 'null', '"str"', '1e999999', '{"a":1,"a":2}', '\ufeff{}'),
);

function checkProblem(status: number, contentType: string | null, body: unknown, where: string): void {
  assert.ok(status < 500, `${where}: ${status} ${JSON.stringify(body)}`);
  if (status < 400) return;
  assert.match(contentType ?? '', /^application\/problem\+json/, `${where}: content type ${contentType}`);
  const problem = body as Record<string, unknown>;
  for (const member of ['type', 'title', 'detail', 'code'] as const) {
    assert.equal(typeof problem[member], 'string', `${where}: problem.${member}`);
  }
  assert.equal(problem.status, status, `${where}: problem.status`);
}

async function credentials(t: TestApp): Promise<Record<string, { key: string | null; token?: string }>> {
  const customer = await t.customer();
  const staff = await t.staff();
  return {
    none: { key: null },
    publishable: { key: t.store.publishableKey },
    customer: { key: t.store.publishableKey, token: customer.token },
    staff: { key: t.store.publishableKey, token: staff.token },
    secret: { key: t.store.secretKey },
  };
}

for (const kind of databaseKinds) {
  describe(`robustness on ${kind}`, () => {
    it(`a body nested deeper than ${MAX_JSON_DEPTH} or holding over ${MAX_JSON_VALUES} values is 400 json_too_complex, unauthenticated too`, () =>
      withApp(kind, async (t) => {
        const { token } = await t.customer();
        const before = await t.fingerprint();
        for (const [path, key, customer] of [
          ['/v1/customers/sign-up', t.store.publishableKey, undefined],
          ['/v1/reservations', t.store.publishableKey, token],
          ['/v1/drops', t.store.secretKey, undefined],
        ] as const) {
          const deep = await t.call('POST', path, {
            key,
            ...(customer && { token: customer }),
            rawBody: nested(5_000, '1'),
            headers: { 'content-type': 'application/json' },
          });
          assert.equal(deep.status, 400, JSON.stringify(deep.body));
          assert.equal(deep.body.code, 'json_too_complex');
          assert.equal(deep.body.maxDepth, MAX_JSON_DEPTH);
          const wide = await t.call('POST', path, {
            key,
            ...(customer && { token: customer }),
            rawBody: JSON.stringify({ items: Array.from({ length: MAX_JSON_VALUES + 1 }, () => 0) }),
            headers: { 'content-type': 'application/json' },
          });
          assert.equal(wide.status, 400);
          assert.equal(wide.body.code, 'json_too_complex');
        }
        assert.deepEqual(await t.fingerprint(), before, 'refused bodies changed nothing');
        // Brackets inside strings are text, not nesting.
        const text = await t.call('POST', '/v1/customers/sign-up', {
          body: { email: 'x@example.com', password: '['.repeat(100), name: '{'.repeat(100) },
        });
        assert.notEqual(text.body?.code, 'json_too_complex');
      }));

    it('random deep, wide and odd JSON on every body route with every credential: never 5xx, always RFC 9457', () =>
      withApp(kind, async (t) => {
        const routes = bodyRoutes(t.dropslot.openapi);
        assert.ok(routes.length >= 25, `found ${routes.length} body routes`);
        const creds = await credentials(t);
        const before = await t.fingerprint();
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...routes),
            fc.constantFrom(...Object.keys(creds)),
            oddJson,
            fc.uuid(),
            async (route, credential, json, id) => {
              const path = route.path.replace(/\{[^}]+\}/g, id);
              const { key, token } = creds[credential]!;
              const reply = await t.call(route.method, path, {
                key,
                ...(token && { token }),
                rawBody: json,
                headers: { 'content-type': 'application/json' },
              });
              sent++;
              checkProblem(
                reply.status,
                reply.headers.get('content-type'),
                reply.body,
                `${route.method} ${path} as ${credential} with ${json.slice(0, 80)}`,
              );
            },
          ),
          { numRuns: RUNS },
        );
        assert.ok(sent >= RUNS);
        // Random bodies are refused: nothing changed, except what a random valid body may have created.
        const after = await t.fingerprint();
        for (const table of ['reservations', 'payments', 'rental_orders', 'idempotency_keys']) {
          if (table in before) assert.equal(after[table], before[table], `${table} unchanged`);
        }
      }));

    it('a client retrying one key is replayed byte for byte and never rate limited for it', () =>
      withApp(
        kind,
        async (t) => {
          const { slotIds } = await t.drop({ capacity: 5 });
          const customer = await t.customer();
          const answers: { status: number; text: string; replayed: string | null }[] = [];
          for (let i = 0; i < 8; i++) {
            const response = await fetch(`${t.baseUrl}/v1/reservations`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${t.store.publishableKey}`,
                'x-customer-token': customer.token,
                'content-type': 'application/json',
                'idempotency-key': 'retry-me',
              },
              body: JSON.stringify({ slotId: slotIds[0] }),
            });
            answers.push({
              status: response.status,
              text: await response.text(),
              replayed: response.headers.get('idempotent-replayed'),
            });
          }
          assert.deepEqual(
            answers.map((a) => a.status),
            Array(8).fill(201),
            'eight sends of one key under a limit of three: no 429',
          );
          assert.equal(new Set(answers.map((a) => a.text)).size, 1, 'every replay is byte-identical');
          assert.equal(answers[0]!.replayed, null);
          assert.ok(answers.slice(1).every((a) => a.replayed === 'true'));
          // New keys still count: the limit holds for new work.
          const other = await t.drop({ capacity: 5, slots: 4 });
          const statuses: number[] = [];
          for (const slotId of other.slotIds) {
            statuses.push(
              (
                await t.call('POST', '/v1/reservations', {
                  token: customer.token,
                  body: { slotId },
                  idempotencyKey: `new-${slotId}`,
                })
              ).status,
            );
          }
          assert.ok(statuses.includes(429), `new keys are limited: ${statuses.join(',')}`);
        },
        {
          rateLimits: {
            reservePerCustomer: { points: 3, duration: 60 },
            reservePerIp: { points: 1_000, duration: 60 },
            authPerIp: { points: 1_000, duration: 60 },
            trustProxy: false,
            signInPerAccount: { freeFailures: 5, maxLockSeconds: 900 },
          },
        },
      ));
  });
}
