/** `client.notifications` sends exactly the contract request, pages with `for await`, and maps refusals to errors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { http, HttpResponse } from 'msw';
import {
  AuthenticationError,
  InvalidResponseError,
  ValidationError,
  type Notification,
} from '../../src/index.js';
import {
  BASE,
  PK,
  SK,
  T,
  client,
  id,
  problem,
  problemHeaders,
  recordRequests,
  server,
  useServer,
} from './fixtures.js';

useServer();
const seen = recordRequests();

/** What a call rejected with (a list promise is a thenable, not a Promise). */
async function failure(call: PromiseLike<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  return assert.fail('expected the call to fail');
}
const TOKEN = 'ct_shopper';

function notification(over: Partial<Notification> = {}): Notification {
  return {
    id: id(),
    customerId: id(),
    template: 'reservation_confirmed',
    channel: 'email',
    status: 'sent',
    recipient: 'ada@example.com',
    locale: 'de',
    entityId: id(),
    scheduledFor: T,
    sentAt: T,
    attempts: 1,
    lastError: null,
    data: { dropName: 'Winter drop', slotStartsAt: T },
    createdAt: T,
    ...over,
  };
}

describe('client.notifications sends the contract request', () => {
  test('list: GET /v1/notifications with the secret key, filters and cursor', async () => {
    const page = {
      data: [notification({ status: 'failed', lastError: '550 Mailbox unavailable' })],
      hasMore: false,
    };
    server.use(http.get(`${BASE}/v1/notifications`, () => HttpResponse.json(page)));
    const cursor = id();
    const result = await client({ secretKey: SK }).notifications.list({
      status: 'failed',
      template: 'payment_receipt',
      limit: 5,
      startingAfter: cursor,
    });
    assert.equal(seen.length, 1);
    const req = seen[0]!;
    assert.equal(req.method, 'GET');
    assert.equal(req.url.pathname, '/v1/notifications');
    assert.deepEqual(Object.fromEntries(req.url.searchParams), {
      status: 'failed',
      template: 'payment_receipt',
      limit: '5',
      startingAfter: cursor,
    });
    assert.equal(req.headers.get('authorization'), `Bearer ${SK}`);
    assert.equal(req.headers.get('idempotency-key'), null);
    assert.equal(await req.body, '');
    assert.deepEqual(result, page);
  });

  test('mine: GET /v1/customers/me/notifications with the customer token, every page with for await', async () => {
    const first = [notification(), notification({ template: 'hold_expiring', status: 'cancelled' })];
    const second = [notification({ template: 'waitlist_promoted' })];
    server.use(
      http.get(`${BASE}/v1/customers/me/notifications`, ({ request }) => {
        const after = new URL(request.url).searchParams.get('startingAfter');
        return HttpResponse.json(
          after === first[1]!.id ? { data: second, hasMore: false } : { data: first, hasMore: true },
        );
      }),
    );
    const api = client({ publishableKey: PK, customerToken: TOKEN });
    const all: Notification[] = [];
    for await (const n of api.notifications.mine({ limit: 2 })) all.push(n);
    assert.deepEqual(
      all.map((n) => n.id),
      [...first, ...second].map((n) => n.id),
    );
    assert.equal(seen.length, 2);
    assert.deepEqual(Object.fromEntries(seen[0]!.url.searchParams), { limit: '2' });
    assert.deepEqual(Object.fromEntries(seen[1]!.url.searchParams), {
      limit: '2',
      startingAfter: first[1]!.id,
    });
    for (const req of seen) {
      assert.equal(req.url.pathname, '/v1/customers/me/notifications');
      assert.equal(req.headers.get('authorization'), `Bearer ${PK}`);
      assert.equal(req.headers.get('x-customer-token'), TOKEN);
    }
  });
});

describe('client.notifications errors', () => {
  test('without a customer token the list is an AuthenticationError customer_token_required', async () => {
    server.use(
      http.get(`${BASE}/v1/customers/me/notifications`, () =>
        HttpResponse.json(problem(401, 'customer_token_required'), { status: 401, headers: problemHeaders }),
      ),
    );
    const error = await failure(client().notifications.mine());
    assert.ok(AuthenticationError.is(error));
    assert.equal(error.code, 'customer_token_required');
    assert.equal(error.requestId, 'req_123');
  });

  test('a bad filter is a ValidationError', async () => {
    server.use(
      http.get(`${BASE}/v1/notifications`, () =>
        HttpResponse.json(problem(400, 'validation_failed'), { status: 400, headers: problemHeaders }),
      ),
    );
    const error = await failure(client({ secretKey: SK }).notifications.list({ status: 'lost' as never }));
    assert.ok(ValidationError.is(error));
  });

  test('a page that does not match the contract is an InvalidResponseError', async () => {
    server.use(
      http.get(`${BASE}/v1/notifications`, () =>
        HttpResponse.json({ data: [{ ...notification(), status: 'delivered' }], hasMore: false }),
      ),
    );
    const error = await failure(client({ secretKey: SK }).notifications.list());
    assert.ok(error instanceof InvalidResponseError);
  });
});
