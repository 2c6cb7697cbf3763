/**
 * An example webhook receiver: a plain node:http server that verifies every DropSlot message with the SDK's
 * `verifyWebhook` (Standard Webhooks), answers 204 once it has stored the event, 400 when verification fails, and
 * keeps each `webhook-id` once (deliveries are at least once: a retry of a message already stored is acknowledged,
 * not stored again).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile } from 'node:fs/promises';
// In your project: import { verifyWebhook, WebhookVerificationError } from 'dropslot';
import { verifyWebhook, WebhookVerificationError, type DropSlotWebhookEvent } from '../../src/index.js';

/** A verified event (typed by its `type`: narrowing on it types `data`) and its `webhook-id`. */
export type ReceivedEvent = DropSlotWebhookEvent & {
  /** The `webhook-id` header: one per message, the same on every retry. */
  id: string;
};

export interface ReceiverOptions {
  /** The endpoint's secret, or the new and old secrets during a rotation. */
  secrets: string[];
  /** @default 4000 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Path messages are POSTed to. @default '/webhooks' */
  path?: string;
  /** Appends each new event as one JSON line here, if set. */
  file?: string;
  /** Called once per new event, with the request's headers and raw body (to archive or re-verify them). */
  onEvent?: (event: ReceivedEvent, request: { headers: IncomingHttpHeaders; body: Buffer }) => void;
  /** Seconds a message's timestamp may be off. @default 300 */
  toleranceSeconds?: number;
  /** The current time, for tests. @default Date.now */
  now?: () => number;
}

export interface WebhookReceiver {
  url: string;
  /** Every event stored so far, in arrival order. */
  events: ReceivedEvent[];
  close(): Promise<void>;
}

const MAX_BODY = 256 * 1024;

export async function startWebhookReceiver(options: ReceiverOptions): Promise<WebhookReceiver> {
  const events: ReceivedEvent[] = [];
  const seen = new Set<string>();
  const path = options.path ?? '/webhooks';
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        try {
          // Verify the raw bytes as received: re-serialised JSON would not match the signature.
          const body = Buffer.concat(chunks);
          const event = await verifyWebhook(options.secrets, req.headers, body, {
            toleranceSeconds: options.toleranceSeconds,
            now: options.now?.(),
          });
          const id = String(req.headers['webhook-id']);
          if (!seen.has(id)) {
            seen.add(id);
            const received = { id, ...event };
            if (options.file) await appendFile(options.file, JSON.stringify(received) + '\n');
            events.push(received);
            options.onEvent?.(received, { headers: req.headers, body });
          }
          res.writeHead(204).end();
        } catch (error) {
          if (WebhookVerificationError.is(error)) {
            res.writeHead(400, { 'content-type': 'text/plain' }).end(`refused: ${error.reason}\n`);
          } else {
            res.writeHead(500).end();
          }
        }
      })();
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', resolve),
  );
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}${path}`,
    events,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
