/**
 * The drop stream takes a publishable key as `?key=` for the browser's own EventSource (which sends no headers), and
 * refuses what must never be in a URL: a secret key (on any route) or a customer token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { schema } from '../../examples/server/db/index.js';
import { withApp, type Reply } from '../support/app.js';

function assertProblem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(reply.body.code, code);
}

/** The first SSE block of a stream opened with fetch and no Authorization header. */
async function firstEvent(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  try {
    assert.equal(response.status, 200, await (response.ok ? '' : response.text()));
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const match = /event: (\w+)\ndata: (.*)\n/.exec(buffer);
      if (match) return { event: match[1], data: JSON.parse(match[2]!) };
    }
    throw new Error('the stream ended before an event');
  } finally {
    controller.abort();
  }
}

describe('drop stream with the publishable key in the URL', () => {
  it('streams with ?key=pk_… and no header; refuses secret keys and customer tokens in URLs', () =>
    withApp('pglite', async (t) => {
      const { dropId } = await t.drop({ capacity: 3 });
      const pk = t.store.publishableKey;
      const stream = `${t.baseUrl}/v1/drops/${dropId}/stream`;

      const first = await firstEvent(`${stream}?key=${pk}`);
      assert.equal(first.event, 'snapshot');
      assert.equal(first.data.drop.id, dropId);
      assert.equal(first.data.slots[0].capacityTotal, 3);

      // Nothing at all, or a key that is not one: the usual 401s.
      assertProblem(await t.call('GET', `/v1/drops/${dropId}/stream`, { key: null }), 401, 'unauthenticated');
      assertProblem(
        await t.call('GET', `/v1/drops/${dropId}/stream?key=pk_test_short`, { key: null }),
        401,
        'invalid_api_key',
      );
      assertProblem(
        await t.call('GET', `/v1/drops/${dropId}/stream?key=pk_test_${'x'.repeat(32)}`, { key: null }),
        401,
        'invalid_api_key',
      );

      // A secret key in a URL is refused, on the stream and on any other route, even beside a valid header.
      const secret = await t.call('GET', `/v1/drops/${dropId}/stream?key=${t.store.secretKey}`, {
        key: null,
      });
      assertProblem(secret, 400, 'credential_in_url');
      assert.match(secret.body.detail, /secret key/);
      assert.ok(
        !JSON.stringify(secret.body).includes(t.store.secretKey),
        'the problem does not echo the key',
      );
      assertProblem(await t.call('GET', `/v1/drops?key=${t.store.secretKey}`), 400, 'credential_in_url');

      // A customer token in the stream's URL is refused, whatever the parameter is called.
      const { token } = await t.customer();
      for (const query of [
        `key=${pk}&customerToken=${token}`,
        `key=${pk}&token=${token}`,
        `key=${token}`,
        `key=${pk}&x-customer-token=anything`,
      ]) {
        const reply = await t.call('GET', `/v1/drops/${dropId}/stream?${query}`, { key: null });
        assertProblem(reply, 400, 'credential_in_url');
        assert.match(reply.body.detail, /customer token/);
      }

      // The query key is for the stream only: other routes still need the header.
      assertProblem(
        await t.call('GET', `/v1/drops/${dropId}?key=${pk}`, { key: null }),
        401,
        'unauthenticated',
      );
    }));

  it("checks the key's allowed origins for a query key as for a header", () =>
    withApp('pglite', async (t) => {
      const { dropId } = await t.drop();
      await t.handle.db
        .update(schema.apiKeys)
        .set({ allowedOrigins: ['https://shop.example'] })
        .where(eq(schema.apiKeys.kind, 'publishable'));
      const url = `/v1/drops/${dropId}/stream?key=${t.store.publishableKey}`;
      assertProblem(
        await t.call('GET', url, { key: null, headers: { origin: 'https://evil.example' } }),
        403,
        'origin_not_allowed',
      );
      const first = await firstEvent(`${t.baseUrl}${url}`, { origin: 'https://shop.example' });
      assert.equal(first.event, 'snapshot');
    }));
});
