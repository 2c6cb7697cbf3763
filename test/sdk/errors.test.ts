/** The status → class table, transport errors, invalid bodies, and type guards across two copies of the package. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse, delay } from 'msw';
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  DropSlotError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  isDropSlotError,
} from '../../src/index.js';
import { BASE, client, drop, id, problem, problemHeaders, server, useServer } from './fixtures.js';

useServer();

/** Runs `fn` and returns what it threw. */
async function caught(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

const dropId = id();
const dropUrl = `${BASE}/v1/drops/${dropId}`;

type ErrorClass = { is(value: unknown): boolean; name: string };
const table: [number, string, ErrorClass][] = [
  [400, 'malformed_json', ValidationError],
  [401, 'invalid_api_key', AuthenticationError],
  [403, 'origin_not_allowed', AuthenticationError],
  [404, 'not_found', NotFoundError],
  [409, 'slot_full', ConflictError],
  [422, 'validation_failed', ValidationError],
  [429, 'rate_limited', RateLimitError],
  [500, 'internal_error', ServerError],
  [503, 'internal_error', ServerError],
];
const all: ErrorClass[] = [
  ValidationError,
  AuthenticationError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  ConnectionError,
  TimeoutError,
  InvalidResponseError,
];

describe('HTTP status → error class', () => {
  for (const [status, code, Class] of table) {
    test(`${status} ${code} → ${Class.name}`, async () => {
      server.use(
        http.get(dropUrl, () =>
          HttpResponse.json(problem(status, code, { requestId: 'req_body', detail: 'nope' }), {
            status,
            headers: { ...problemHeaders, 'Retry-After': '7' },
          }),
        ),
      );
      const e = await caught(() => client().drops.retrieve(dropId));
      assert.ok(isDropSlotError(e));
      assert.ok(Class.is(e), `${Class.name}.is`);
      for (const Other of all) if (Other !== Class) assert.equal(Other.is(e), false, `not ${Other.name}`);
      assert.ok(e instanceof DropSlotError);
      assert.equal(e.status, status);
      assert.equal(e.code, code);
      assert.equal(e.requestId, 'req_123', 'the X-Request-Id header wins over the body');
      assert.equal(e.problem?.detail, 'nope');
      assert.match(e.message, new RegExp(code));
      if (RateLimitError.is(e)) assert.equal(e.retryAfter, 7);
    });
  }

  test('409 carries the code and the extra members of the problem', async () => {
    const firstUsedAt = '2026-11-21T18:01:00.000Z';
    server.use(
      http.post(`${BASE}/v1/check-ins`, () =>
        HttpResponse.json(problem(409, 'qr_already_used', { firstUsedAt }), {
          status: 409,
          headers: problemHeaders,
        }),
      ),
    );
    const e = await caught(() => client().checkIns.create({ qrToken: 'x' }));
    assert.ok(ConflictError.is(e));
    assert.equal(e.code, 'qr_already_used');
    assert.equal(e.problem?.['firstUsedAt'], firstUsedAt);
  });

  test('422 exposes field errors', async () => {
    const errors = [{ path: 'slotId', message: 'Invalid UUID', code: 'invalid_format' }];
    server.use(
      http.post(`${BASE}/v1/reservations`, () =>
        HttpResponse.json(problem(422, 'validation_failed', { errors }), {
          status: 422,
          headers: problemHeaders,
        }),
      ),
    );
    const e = await caught(() => client().reservations.create({ slotId: 'nope' }));
    assert.ok(ValidationError.is(e));
    assert.deepEqual(e.errors, errors);
  });

  test('a non-JSON error body still maps by status, with no problem', async () => {
    server.use(http.get(dropUrl, () => new HttpResponse('<h1>Bad gateway</h1>', { status: 502 })));
    const e = await caught(() => client().drops.retrieve(dropId));
    assert.ok(ServerError.is(e));
    assert.equal(e.status, 502);
    assert.equal(e.problem, undefined);
    assert.equal(e.code, undefined);
  });

  test('an unmapped status is a plain DropSlotError', async () => {
    server.use(
      http.get(dropUrl, () => HttpResponse.json(problem(405, 'method_not_allowed'), { status: 405 })),
    );
    const e = await caught(() => client().drops.retrieve(dropId));
    assert.ok(isDropSlotError(e));
    for (const Class of all) assert.equal(Class.is(e), false, Class.name);
    assert.equal(e.code, 'method_not_allowed');
  });
});

describe('transport errors', () => {
  test('network failure → ConnectionError with the cause', async () => {
    server.use(http.get(dropUrl, () => HttpResponse.error()));
    const e = await caught(() => client().drops.retrieve(dropId));
    assert.ok(ConnectionError.is(e));
    assert.equal(TimeoutError.is(e), false);
    assert.equal(e.status, undefined);
    assert.ok(e.cause instanceof Error);
  });

  test('no response within timeout → TimeoutError (a ConnectionError)', async () => {
    server.use(
      http.get(dropUrl, async () => {
        await delay(1_000);
        return HttpResponse.json(drop());
      }),
    );
    const started = Date.now();
    const e = await caught(() => client({ timeout: 50 }).drops.retrieve(dropId));
    assert.ok(TimeoutError.is(e));
    assert.ok(ConnectionError.is(e));
    assert.ok(Date.now() - started < 900, 'gave up at the timeout');
  });

  test('per-call timeout overrides the client default', async () => {
    server.use(
      http.get(dropUrl, async () => {
        await delay(1_000);
        return HttpResponse.json(drop());
      }),
    );
    const e = await caught(() => client({ timeout: 60_000 }).drops.retrieve(dropId, { timeout: 30 }));
    assert.ok(TimeoutError.is(e));
  });

  test('an aborted signal rejects with its reason, not a DropSlotError', async () => {
    server.use(
      http.get(dropUrl, async () => {
        await delay(1_000);
        return HttpResponse.json(drop());
      }),
    );
    const controller = new AbortController();
    const reason = new Error('user left');
    setTimeout(() => controller.abort(reason), 20);
    const e = await caught(() => client().drops.retrieve(dropId, { signal: controller.signal }));
    assert.equal(e, reason);
  });
});

describe('invalid responses', () => {
  test('a 2xx body that does not match the schema → InvalidResponseError (not an HTTP error)', async () => {
    const bad = { ...drop(), capacityRemaining: 'lots' };
    server.use(http.get(dropUrl, () => HttpResponse.json(bad, { headers: { 'X-Request-Id': 'req_9' } })));
    const e = await caught(() => client().drops.retrieve(dropId));
    assert.ok(InvalidResponseError.is(e));
    for (const Class of all) if (Class !== InvalidResponseError) assert.equal(Class.is(e), false, Class.name);
    assert.equal(e.status, 200);
    assert.equal(e.requestId, 'req_9');
    assert.deepEqual(
      e.issues.map((i) => i.path),
      ['capacityRemaining'],
    );
    assert.match(e.message, /Drop schema/);
  });

  test('a 2xx body that is not JSON → InvalidResponseError', async () => {
    server.use(http.get(dropUrl, () => new HttpResponse('OK', { status: 200 })));
    const e = await caught(() => client().drops.retrieve(dropId));
    assert.ok(InvalidResponseError.is(e));
    assert.deepEqual(e.issues, []);
  });
});

describe('type guards across two copies of the package', () => {
  test('an error from another copy passes is(), isDropSlotError and instanceof', async () => {
    // A second module instance, as when a page loads two bundles of the SDK.
    const specifier = new URL('../../src/errors.ts?copy=2', import.meta.url).href;
    const other = (await import(specifier)) as typeof import('../../src/errors.js');
    assert.notEqual(other.ConflictError, ConflictError, 'really two copies');
    const foreign = new other.ConflictError('slot full', { status: 409, code: 'slot_full' });
    assert.equal(foreign instanceof Error, true);
    assert.ok(isDropSlotError(foreign));
    assert.ok(ConflictError.is(foreign));
    assert.ok(DropSlotError.is(foreign));
    assert.ok(foreign instanceof ConflictError);
    assert.equal(NotFoundError.is(foreign), false);
    assert.equal(foreign instanceof NotFoundError, false);
    const timeout = new other.TimeoutError('slow');
    assert.ok(ConnectionError.is(timeout), 'subclass relation survives');
    assert.ok(timeout instanceof ConnectionError);
  });

  test('plain objects and ordinary errors are not DropSlot errors', () => {
    assert.equal(isDropSlotError(new Error('x')), false);
    assert.equal(isDropSlotError({ status: 409, code: 'slot_full' }), false);
    assert.equal(isDropSlotError(null), false);
    assert.equal(ConflictError.is(undefined), false);
    assert.equal({} instanceof DropSlotError, false);
  });

  test('names survive for logs', () => {
    assert.equal(new RateLimitError('x').name, 'RateLimitError');
    assert.equal(new TimeoutError('x').name, 'TimeoutError');
  });
});
