/**
 * Delivering notifications: real SMTP (an in-process SMTP server receives what nodemailer sends), retries with backoff
 * until `failed` when the server refuses, the transport chosen from the configuration, and two workers on one
 * PostgreSQL database never sending one notification twice.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { eq } from 'drizzle-orm';
import { silentLogger } from '../../examples/server/app.js';
import { loadConfig } from '../../examples/server/config.js';
import { schema, transaction } from '../../examples/server/db/index.js';
import { recordEvent } from '../../examples/server/domain/events.js';
import {
  FileChannel,
  LogChannel,
  SmtpChannel,
  channelFromConfig,
  type Message,
  type SendResult,
} from '../../examples/server/notifications/channel.js';
import { Notifier } from '../../examples/server/notifications/worker.js';
import { databaseKinds } from '../support/db.js';
import { withApp, type TestApp } from '../support/app.js';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP server on a free port that keeps every message, or refuses every recipient when `refuse` is set. */
async function smtpServer() {
  const received: Received[] = [];
  const state = { refuse: false, refusals: 0 };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!state.refuse) return callback();
      state.refusals++;
      callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decodes RFC 2047 encoded words of a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : qp(text.replace(/_/g, ' ')),
    );
}

function qp(text: string): string {
  const bytes = text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Headers (unfolded, lower-case names) and body of one MIME entity. */
function entity(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

/** The decoded text/plain and text/html parts of a message. */
function parts(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const message = entity(raw);
  const boundary = /boundary="?([^";]+)"?/.exec(message.headers['content-type'] ?? '')?.[1];
  const found = { text: '', html: '' };
  const bodies = boundary ? message.body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const chunk of bodies) {
    const part = entity(chunk.replace(/^\r\n/, ''));
    if (/^multipart\//.test(part.headers['content-type'] ?? '')) {
      // A nested multipart (the HTML with its inline QR code image): its text parts count too.
      const nested = parts(chunk.replace(/^\r\n/, ''));
      found.text ||= nested.text;
      found.html ||= nested.html;
      continue;
    }
    const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    const decoded =
      encoding === 'base64'
        ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : encoding === 'quoted-printable'
          ? qp(part.body)
          : part.body;
    if (/^text\/plain/.test(part.headers['content-type'] ?? '')) found.text = decoded;
    if (/^text\/html/.test(part.headers['content-type'] ?? '')) found.html = decoded;
  }
  return { headers: message.headers, ...found };
}

let seq = 0;
async function customer(t: TestApp) {
  const email = `mail${++seq}-${Math.random().toString(36).slice(2, 8)}@test.example`;
  const reply = await t.call('POST', '/v1/customer-sessions', {
    key: t.store.secretKey,
    body: { externalId: `d${seq}-${email}`, email, name: 'Grace' },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { id: reply.body.customer.id as string, token: reply.body.token as string, email };
}

async function receipts(t: TestApp, customerId: string, count: number) {
  await transaction(t.handle.db, async (tx) => {
    for (let i = 0; i < count; i++) {
      const paymentId = crypto.randomUUID();
      await recordEvent(tx, {
        storeId: t.store.storeId,
        type: 'payment.succeeded',
        at: t.clock.now(),
        userId: customerId,
        data: {
          paymentId,
          amount: 1000 + i,
          currency: 'EUR',
          provider: 'test',
          invoiceId: paymentId,
          customerId,
        },
      });
    }
  });
}

const rowsOf = (t: TestApp) =>
  t.handle.db.select().from(schema.notifications).where(eq(schema.notifications.storeId, t.store.storeId));

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dropslot-delivery-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('notification transports', () => {
  it('are chosen from the configuration: SMTP_URL → email, else a JSON lines file under DATA_DIR, `-` → the log', () => {
    const smtp = loadConfig({ SMTP_URL: 'smtp://mail.example:587', DATA_DIR: dir });
    assert.equal(smtp.notifications.smtpUrl, 'smtp://mail.example:587');
    assert.ok(channelFromConfig(smtp.notifications, silentLogger) instanceof SmtpChannel);
    const file = loadConfig({ DATA_DIR: dir });
    assert.equal(file.notifications.logFile, path.join(dir, 'notifications.jsonl'));
    const channel = channelFromConfig(file.notifications, silentLogger);
    assert.ok(channel instanceof FileChannel);
    assert.equal(channel.kind, 'log');
    const logged = loadConfig({ DATA_DIR: dir, NOTIFY_LOG_FILE: '-' });
    assert.ok(channelFromConfig(logged.notifications, silentLogger) instanceof LogChannel);
    const leads = loadConfig({ NOTIFY_HOLD_LEAD_SECONDS: '300', NOTIFY_PICKUP_LEAD_SECONDS: '3600' });
    assert.deepEqual(leads.notifications.leads, {
      holdExpiring: 300_000,
      rentalPickup: 3_600_000,
      rentalReturn: 86_400_000,
    });
    assert.throws(() => loadConfig({ NOTIFY_HOLD_LEAD_SECONDS: 'soon' }), /NOTIFY_HOLD_LEAD_SECONDS/);
  });
});

for (const kind of databaseKinds) {
  describe(`notification delivery on ${kind}`, () => {
    it('sends email through a real SMTP server with nodemailer: recipient, subject, text and HTML', async () => {
      const smtp = await smtpServer();
      try {
        await withApp(
          kind,
          async (t) => {
            const grace = await customer(t);
            const { slotIds } = await t.drop();
            const hold = await t.call('POST', '/v1/reservations', {
              token: grace.token,
              body: { slotId: slotIds[0] },
            });
            assert.equal(hold.status, 201);
            const confirmed = await t.call('POST', `/v1/reservations/${hold.body.id}/confirm`, {
              token: grace.token,
            });
            assert.equal(confirmed.status, 200);
            const pass = await t.dropslot.notify();
            assert.equal(pass.sent, 1);

            assert.equal(smtp.received.length, 1);
            const [mail] = smtp.received;
            assert.equal(mail!.from, 'shop@test.example');
            assert.deepEqual(mail!.to, [grace.email]);
            const message = parts(mail!.raw);
            assert.equal(message.headers.to, grace.email);
            assert.equal(
              decodeHeader(message.headers.subject!),
              'Your place for Test drop is confirmed · Test store',
            );
            assert.match(message.text, /^Hello Grace,/);
            assert.match(message.text, /Your reservation for Test drop is confirmed\./);
            assert.match(message.html, /<p>Your reservation for Test drop is confirmed\.<\/p>/);

            const [row] = (await rowsOf(t)).filter((r) => r.template === 'reservation_confirmed');
            assert.equal(row!.status, 'sent');
            assert.equal(row!.channel, 'email');
            assert.equal(message.headers['x-dropslot-notification'], row!.id);
            assert.equal(row!.providerId, message.headers['message-id']);
          },
          { notifications: { channel: new SmtpChannel(smtp.url, 'Shop <shop@test.example>') } },
        );
      } finally {
        await smtp.close();
      }
    });

    it('retries a refused message with backoff and records `failed` with the error after the last attempt', async () => {
      const smtp = await smtpServer();
      smtp.state.refuse = true;
      try {
        await withApp(
          kind,
          async (t) => {
            const grace = await customer(t);
            await receipts(t, grace.id, 1);
            const start = t.clock.now().getTime();

            let pass = await t.dropslot.notify();
            assert.equal(pass.failedAttempts, 1);
            let [row] = await rowsOf(t);
            assert.equal(row!.status, 'pending');
            assert.equal(row!.attempts, 1);
            assert.match(row!.lastError!, /550|Mailbox unavailable/);
            assert.equal(row!.nextAttemptAt!.getTime(), start + 1000);

            assert.equal((await t.dropslot.notify()).failedAttempts, 0, 'waits for its backoff');
            t.clock.set(start + 1000);
            assert.equal((await t.dropslot.notify()).failedAttempts, 1);
            [row] = await rowsOf(t);
            assert.equal(row!.attempts, 2);
            assert.equal(row!.nextAttemptAt!.getTime(), start + 1000 + 4000, 'backoff grows four-fold');

            t.clock.set(start + 4999);
            assert.equal((await t.dropslot.notify()).failedAttempts, 0);
            t.clock.set(start + 5000);
            pass = await t.dropslot.notify();
            assert.equal(pass.failedAttempts, 1);
            [row] = await rowsOf(t);
            assert.equal(row!.status, 'failed');
            assert.equal(row!.attempts, 3);
            assert.equal(row!.sentAt, null);
            assert.match(row!.lastError!, /Mailbox unavailable/);

            t.clock.advance(3_600_000);
            assert.equal(
              (await t.dropslot.notify()).failedAttempts,
              0,
              'a failed notification is left alone',
            );
            assert.equal(smtp.state.refusals, 3);
            assert.equal(smtp.received.length, 0);

            const failed = await t.call('GET', '/v1/notifications?status=failed', { key: t.store.secretKey });
            assert.equal(failed.body.data.length, 1);
            assert.match(failed.body.data[0].lastError, /Mailbox unavailable/);
          },
          {
            notifications: {
              channel: new SmtpChannel(smtp.url, 'shop@test.example'),
              maxAttempts: 3,
              retryBaseMs: 1000,
            },
          },
        );
      } finally {
        await smtp.close();
      }
    });
  });
}

/** A file transport that takes a moment per message, so concurrent workers overlap. */
class SlowFileChannel extends FileChannel {
  override async send(message: Message): Promise<SendResult> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return super.send(message);
  }
}

if (databaseKinds.includes('postgres')) {
  describe('notification workers on postgres', () => {
    it('two workers on their own connection pools, passing concurrently, never send one notification twice', () =>
      withApp('postgres', async (t) => {
        const grace = await customer(t);
        const second = await t.database.open(5);
        try {
          const files = [path.join(dir, 'worker-a.jsonl'), path.join(dir, 'worker-b.jsonl')];
          const workers = [t.handle, second].map(
            (handle, i) =>
              new Notifier(handle.db, t.clock, new SlowFileChannel(files[i]!), silentLogger, {
                batchSize: 4,
              }),
          );
          let total = 0;
          for (const round of [30, 30, 30]) {
            await receipts(t, grace.id, round);
            total += round;
            const results = await Promise.all(workers.map((w) => w.pass()));
            assert.equal(
              results.reduce((sum, r) => sum + r.derived, 0),
              round,
              'each event derived by one worker',
            );
            assert.equal(
              results.reduce((sum, r) => sum + r.sent, 0),
              round,
            );
          }
          const lines: Message[] = [];
          for (const file of files) {
            const text = await readFile(file, 'utf8').catch(() => '');
            lines.push(
              ...text
                .split('\n')
                .filter(Boolean)
                .map((l) => JSON.parse(l) as Message),
            );
          }
          assert.equal(lines.length, total);
          assert.equal(new Set(lines.map((m) => m.notificationId)).size, total, 'no notification sent twice');
          const rows = await rowsOf(t);
          assert.equal(rows.length, total);
          assert.ok(rows.every((r) => r.status === 'sent' && r.attempts === 1));
        } finally {
          await second.close();
        }
      }));
  });
}
