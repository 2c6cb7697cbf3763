/** The example receiver (examples/webhook-receiver) gets the server's messages, stores each once, refuses forgeries. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startWebhookReceiver } from '../../examples/webhook-receiver/receiver.js';
import { databaseKinds } from '../support/db.js';
import { withApp } from '../support/app.js';

for (const kind of databaseKinds) {
  describe(`example webhook receiver on ${kind}`, () => {
    it('verifies and stores every event once, acknowledges a redelivery, and refuses a forged message', () =>
      withApp(
        kind,
        async (t) => {
          const file = path.join(mkdtempSync(path.join(tmpdir(), 'receiver-')), 'events.jsonl');
          const secrets: string[] = [];
          let checked = 0;
          const receiver = await startWebhookReceiver({
            secrets,
            port: 0,
            file,
            now: () => t.clock.now().getTime(),
            // Every message the example accepts also verifies with the standardwebhooks package.
            onEvent: (event, request) => {
              const realNow = Date.now;
              Date.now = () => Number(request.headers['webhook-timestamp']) * 1000;
              try {
                const payload = new Webhook(secrets[0]!).verify(
                  request.body,
                  request.headers as Record<string, string>,
                );
                assert.deepEqual(payload, { type: event.type, timestamp: event.timestamp, data: event.data });
                checked++;
              } finally {
                Date.now = realNow;
              }
            },
          });
          try {
            const created = await t.call('POST', '/v1/webhook-endpoints', {
              key: t.store.secretKey,
              body: { url: receiver.url },
            });
            assert.equal(created.status, 201);
            secrets.push(created.body.secret);
            const { slotIds } = await t.drop();
            const customer = await t.customer();
            const held = await t.call('POST', '/v1/reservations', {
              token: customer.token,
              body: { slotId: slotIds[0] },
            });
            await t.call('POST', `/v1/reservations/${held.body.id}/confirm`, { token: customer.token });
            assert.equal(await t.dropslot.deliverWebhooks(), 2);
            assert.deepEqual(receiver.events.map((e) => e.type).sort(), [
              'reservation.confirmed',
              'reservation.created',
            ]);
            const log = await t.call('GET', `/v1/webhook-endpoints/${created.body.id}/deliveries`, {
              key: t.store.secretKey,
            });
            assert.deepEqual(
              log.body.data.map((d: { status: string; lastStatusCode: number }) => [
                d.status,
                d.lastStatusCode,
              ]),
              [
                ['delivered', 204],
                ['delivered', 204],
              ],
            );

            // A redelivery (same webhook-id) is acknowledged and not stored twice.
            const again = await t.call(
              'POST',
              `/v1/webhook-endpoints/${created.body.id}/deliveries/${log.body.data[0].id}/redeliver`,
              { key: t.store.secretKey },
            );
            assert.equal(again.status, 202);
            assert.equal(await t.dropslot.deliverWebhooks(), 1);
            assert.equal(receiver.events.length, 2);
            assert.equal(checked, 2);
            const lines = readFileSync(file, 'utf8')
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l));
            assert.equal(lines.length, 2);
            assert.equal(lines[0].data.reservationId, held.body.id);

            const forged = await fetch(receiver.url, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'webhook-id': 'msg_forged',
                'webhook-timestamp': String(Math.floor(t.clock.now().getTime() / 1000)),
                'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64'),
              },
              body: JSON.stringify({
                type: 'reservation.confirmed',
                timestamp: '2030-01-01T00:00:00.000Z',
                data: {},
              }),
            });
            assert.equal(forged.status, 400);
            assert.match(await forged.text(), /invalid_signature/);
            assert.equal(receiver.events.length, 2);
          } finally {
            await receiver.close();
          }
        },
        { webhooks: { allowPrivateUrls: true, timeoutMs: 2000 } },
      ));
  });
}
