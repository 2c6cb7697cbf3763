/** Retries: which failures and methods are retried, idempotency keys across retries, Retry-After, backoff, abort. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse, delay } from 'msw';
import { ConflictError, RateLimitError, ServerError, ValidationError } from '../../src/index.js';
import {
  BASE,
  client,
  drop,
  id,
  problem,
  problemHeaders,
  recordRequests,
  reservation,
  server,
  useServer,
} from './fixtures.js';

useServer();
const seen = recordRequests();
const slotId = id();
const dropId = id();

/** A handler answering each call with the next of `responses` (then repeating the last), recording when each arrived. */
function sequence(responses: (() => Response)[]): { times: number[]; resolver: () => Response } {
  const times: number[] = [];
  return {
    times,
    resolver: () => {
      times.push(performance.now());
      const next = responses[Math.min(times.length - 1, responses.length - 1)]!;
      return next();
    },
  };
}
const unavailable = (retryAfter?: string) => () =>
  HttpResponse.json(problem(503, 'internal_error'), {
    status: 503,
    headers: retryAfter === undefined ? problemHeaders : { ...problemHeaders, 'Retry-After': retryAfter },
  });
const created = () => HttpResponse.json(reservation(), { status: 201 });

describe('idempotency keys', () => {
  test('one key per logical POST, reused by every retry', async () => {
    const s = sequence([unavailable('0'), unavailable('0'), created]);
    server.use(http.post(`${BASE}/v1/reservations`, s.resolver));
    await client({ maxRetries: 2 }).reservations.create({ slotId });
    assert.equal(seen.length, 3);
    const keys = seen.map((r) => r.headers.get('idempotency-key'));
    assert.ok(keys[0]);
    assert.deepEqual(keys, [keys[0], keys[0], keys[0]]);
    const bodies = await Promise.all(seen.map((r) => r.body));
    assert.deepEqual(bodies, Array(3).fill(JSON.stringify({ slotId })), 'the same body each time');
  });

  test('different calls get different keys', async () => {
    server.use(
      http.post(`${BASE}/v1/reservations`, created),
      http.post(`${BASE}/v1/reservations/:id/confirm`, () =>
        HttpResponse.json(reservation({ state: 'CONFIRMED' })),
      ),
    );
    const api = client();
    await api.reservations.create({ slotId });
    await api.reservations.create({ slotId });
    await api.reservations.confirm(id());
    const keys = new Set(seen.map((r) => r.headers.get('idempotency-key')));
    assert.equal(seen.length, 3);
    assert.equal(keys.size, 3);
  });

  test('a caller key is reused by retries too', async () => {
    const s = sequence([unavailable('0'), created]);
    server.use(http.post(`${BASE}/v1/reservations`, s.resolver));
    await client({ maxRetries: 1 }).reservations.create({ slotId }, { idempotencyKey: 'order-77' });
    assert.deepEqual(
      seen.map((r) => r.headers.get('idempotency-key')),
      ['order-77', 'order-77'],
    );
  });

  test('409 idempotency_key_in_flight is retried with the same key', async () => {
    const inFlight = () =>
      HttpResponse.json(problem(409, 'idempotency_key_in_flight'), {
        status: 409,
        headers: { ...problemHeaders, 'Retry-After': '0' },
      });
    const s = sequence([inFlight, created]);
    server.use(http.post(`${BASE}/v1/reservations`, s.resolver));
    const r = await client({ maxRetries: 2 }).reservations.create({ slotId });
    assert.equal(r.state, 'PENDING');
    assert.equal(seen.length, 2);
    assert.equal(seen[0]!.headers.get('idempotency-key'), seen[1]!.headers.get('idempotency-key'));
  });
});

describe('what is retried', () => {
  test('a GET is retried after a network error', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/drops/${dropId}`, () => {
        calls++;
        return calls === 1 ? HttpResponse.error() : HttpResponse.json(drop({ id: dropId }));
      }),
    );
    const d = await client({ maxRetries: 1 }).drops.retrieve(dropId);
    assert.equal(d.id, dropId);
    assert.equal(calls, 2);
  });

  test('a timed-out attempt is retried', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/v1/drops/${dropId}`, async () => {
        calls++;
        if (calls === 1) await delay(2_000);
        return HttpResponse.json(drop({ id: dropId }));
      }),
    );
    const d = await client({ maxRetries: 1, timeout: 100 }).drops.retrieve(dropId);
    assert.equal(d.id, dropId);
    assert.equal(calls, 2);
  });

  test('PATCH is never retried (it carries no idempotency key)', async () => {
    const s = sequence([unavailable('0'), () => HttpResponse.json(drop())]);
    server.use(http.patch(`${BASE}/v1/drops/${dropId}`, s.resolver));
    await assert.rejects(client({ maxRetries: 3 }).drops.update(dropId, { name: 'x' }), (e) =>
      ServerError.is(e),
    );
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.headers.get('idempotency-key'), null);
  });

  test('DELETE is never retried', async () => {
    const s = sequence([unavailable('0')]);
    server.use(http.delete(`${BASE}/v1/waitlist/:id`, s.resolver));
    await assert.rejects(client({ maxRetries: 3 }).waitlist.leave(id()), (e) => ServerError.is(e));
    assert.equal(s.times.length, 1);
  });

  test('a 409 conflict such as slot_full is final', async () => {
    server.use(
      http.post(`${BASE}/v1/reservations`, () =>
        HttpResponse.json(problem(409, 'slot_full'), { status: 409, headers: problemHeaders }),
      ),
    );
    await assert.rejects(client({ maxRetries: 3 }).reservations.create({ slotId }), (e) =>
      ConflictError.is(e),
    );
    assert.equal(seen.length, 1);
  });

  test('a 4xx validation error is final', async () => {
    server.use(
      http.post(`${BASE}/v1/reservations`, () =>
        HttpResponse.json(problem(422, 'validation_failed'), { status: 422 }),
      ),
    );
    await assert.rejects(client({ maxRetries: 3 }).reservations.create({ slotId }), (e) =>
      ValidationError.is(e),
    );
    assert.equal(seen.length, 1);
  });

  test('an invalid 2xx body is not retried', async () => {
    server.use(http.get(`${BASE}/v1/drops/${dropId}`, () => HttpResponse.json({ nope: true })));
    await assert.rejects(client({ maxRetries: 3 }).drops.retrieve(dropId));
    assert.equal(seen.length, 1);
  });

  test('after maxRetries the last error is thrown: maxRetries + 1 attempts in all', async () => {
    const limited = () =>
      HttpResponse.json(problem(429, 'rate_limited'), {
        status: 429,
        headers: { ...problemHeaders, 'Retry-After': '0' },
      });
    server.use(http.post(`${BASE}/v1/reservations`, limited));
    await assert.rejects(client({ maxRetries: 2 }).reservations.create({ slotId }), (e) => {
      assert.ok(RateLimitError.is(e));
      assert.equal(e.retryAfter, 0);
      return true;
    });
    assert.equal(seen.length, 3);
  });

  test('maxRetries per call overrides the client', async () => {
    server.use(http.get(`${BASE}/v1/drops/${dropId}`, unavailable('0')));
    await assert.rejects(client({ maxRetries: 5 }).drops.retrieve(dropId, { maxRetries: 1 }));
    assert.equal(seen.length, 2);
  });
});

describe('delays', () => {
  test('Retry-After is honoured', async () => {
    const limited = () =>
      HttpResponse.json(problem(429, 'rate_limited'), {
        status: 429,
        headers: { ...problemHeaders, 'Retry-After': '1' },
      });
    const s = sequence([limited, created]);
    server.use(http.post(`${BASE}/v1/reservations`, s.resolver));
    await client({ maxRetries: 1 }).reservations.create({ slotId });
    assert.equal(s.times.length, 2);
    const waited = s.times[1]! - s.times[0]!;
    assert.ok(waited >= 990, `waited ${waited} ms for Retry-After: 1`);
    assert.ok(waited < 1_500, `but not much longer (${waited} ms)`);
  });

  test('Retry-After as an HTTP date is honoured', async () => {
    const at = new Date(Date.now() + 1_000).toUTCString(); // second precision: 0–1 s from now
    const s = sequence([unavailable(at), () => HttpResponse.json(drop())]);
    server.use(http.get(`${BASE}/v1/drops/${dropId}`, s.resolver));
    await client({ maxRetries: 1 }).drops.retrieve(dropId);
    assert.equal(s.times.length, 2);
  });

  test('a Retry-After over 60 s is not waited for: the error is thrown at once', async () => {
    const limited = () =>
      HttpResponse.json(problem(429, 'rate_limited'), { status: 429, headers: { 'Retry-After': '3600' } });
    server.use(http.post(`${BASE}/v1/reservations`, limited));
    const started = performance.now();
    await assert.rejects(client({ maxRetries: 2 }).reservations.create({ slotId }), (e) => {
      assert.ok(RateLimitError.is(e));
      assert.equal(e.retryAfter, 3600);
      return true;
    });
    assert.equal(seen.length, 1);
    assert.ok(performance.now() - started < 500);
  });

  test('without Retry-After: exponential backoff with jitter, first wait in [250, 500] ms', async () => {
    const s = sequence([unavailable(), () => HttpResponse.json(drop())]);
    server.use(http.get(`${BASE}/v1/drops/${dropId}`, s.resolver));
    await client({ maxRetries: 1 }).drops.retrieve(dropId);
    const waited = s.times[1]! - s.times[0]!;
    assert.ok(waited >= 245 && waited < 1_000, `waited ${waited} ms`);
  });

  test('aborting during the backoff rejects at once with the reason, and stops retrying', async () => {
    const limited = () =>
      HttpResponse.json(problem(429, 'rate_limited'), { status: 429, headers: { 'Retry-After': '30' } });
    server.use(http.post(`${BASE}/v1/reservations`, limited));
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('gave up')), 50);
    await assert.rejects(
      client({ maxRetries: 2 }).reservations.create({ slotId }, { signal: controller.signal }),
      /gave up/,
    );
    assert.ok(performance.now() - started < 1_000);
    assert.equal(seen.length, 1);
  });

  test('an already aborted signal sends nothing', async () => {
    await assert.rejects(client().drops.retrieve(dropId, { signal: AbortSignal.abort() }), {
      name: 'AbortError',
    });
    assert.equal(seen.length, 0);
  });
});
