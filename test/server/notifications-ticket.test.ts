/**
 * The confirmation mail over real SMTP (an in-process smtp-server receives what nodemailer sends): it carries a signed
 * link to the ticket page and the check-in QR code as an inline PNG (by Content-ID). The link opens the ticket without
 * signing in; both QR codes — the mail's and the page's — decode (jsQR, pixels read by Chromium) to the check-in token
 * that checks the reservation in. A tampered or expired link shows no ticket. A pay-at-pickup rental's confirmation
 * does the same with its pickup code and its booking page, and says what to pay at the counter.
 */
import { sql } from 'drizzle-orm';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import jsqr from 'jsqr';
import type { Browser } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { SmtpChannel } from '../../examples/server/notifications/channel.js';
import { TICKET_PAGE_CSP } from '../../examples/server/notifications/ticket-link.js';
import { createRentalProduct } from '../../examples/server/seed.js';
import { databaseKinds } from '../support/db.js';
import { START, withApp } from '../support/app.js';
import { launchChromium } from '../e2e/support.js';

const PUBLIC_URL = 'http://shop.test';
/** jsqr is CommonJS: under tsx its function is the default export's `default`. */
type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: Decode =
  typeof jsqr === 'function' ? (jsqr as unknown as Decode) : (jsqr as unknown as { default: Decode }).default;

interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

/** Every leaf part of a MIME message (nested multiparts walked), with decoded bodies. */
function leaves(raw: string): Part[] {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  if (boundary) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((chunk) => leaves(chunk.replace(/^\r\n/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          )
        : Buffer.from(body, 'utf8');
  return [{ headers, body: decoded }];
}

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** The QR code of a PNG (or any image URL Chromium can load), decoded with jsQR from the pixels Chromium draws. */
async function decodeQr(src: string): Promise<string | undefined> {
  const page = await browser.newPage();
  try {
    const pixels = await page.evaluate(async (url) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return { width: data.width, height: data.height, data: Array.from(data.data) };
    }, src);
    return jsQR(Uint8ClampedArray.from(pixels.data), pixels.width, pixels.height)?.data;
  } finally {
    await page.close();
  }
}

/** An SMTP server in this process, and the raw messages it received. */
async function smtpInbox() {
  const received: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('latin1'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  const channel = new SmtpChannel(`smtp://127.0.0.1:${port}`, 'DropSlot <shop@test.example>');
  return {
    received,
    channel,
    async close() {
      await channel.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The text, the HTML and the leaves of a raw message. */
function readMail(raw: string) {
  const parts = leaves(raw);
  const text = parts.find((p) => /^text\/plain/.test(p.headers['content-type'] ?? ''))!.body.toString();
  const html = parts.find((p) => /^text\/html/.test(p.headers['content-type'] ?? ''))!.body.toString();
  return { parts, text, html };
}

for (const kind of databaseKinds) {
  describe(`confirmation mail with the ticket on ${kind}`, () => {
    it('links to the ticket page and carries the QR code; both decode to the check-in token', async () => {
      const received: string[] = [];
      const server = new SMTPServer({
        disabledCommands: ['STARTTLS', 'AUTH'],
        authOptional: true,
        logger: false,
        onData(stream, _session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            received.push(Buffer.concat(chunks).toString('latin1'));
            callback();
          });
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const port = (server.server.address() as AddressInfo).port;
      const channel = new SmtpChannel(`smtp://127.0.0.1:${port}`, 'DropSlot <shop@test.example>');
      try {
        await withApp(
          kind,
          async (t) => {
            const externalId = `mail-${Math.random().toString(36).slice(2, 10)}`;
            const session = await t.call('POST', '/v1/customer-sessions', {
              key: t.store.secretKey,
              body: { externalId, email: `${externalId}@test.example`, name: 'Ada' },
            });
            assert.equal(session.status, 201, JSON.stringify(session.body));
            const token = session.body.token as string;
            const { slotIds } = await t.drop();
            const hold = await t.call('POST', '/v1/reservations', { token, body: { slotId: slotIds[0] } });
            assert.equal(hold.status, 201, JSON.stringify(hold.body));
            const confirmed = await t.call('POST', `/v1/reservations/${hold.body.id}/confirm`, { token });
            assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
            const qrToken = confirmed.body.qrToken as string;
            await t.dropslot.notify();
            assert.equal(received.length, 1, 'the confirmation was sent');

            const parts = leaves(received[0]!);
            const text = parts
              .find((p) => /^text\/plain/.test(p.headers['content-type'] ?? ''))!
              .body.toString();
            const html = parts
              .find((p) => /^text\/html/.test(p.headers['content-type'] ?? ''))!
              .body.toString();
            const link = /Open your ticket: (\S+)/.exec(text)?.[1];
            assert.ok(link, `a link in the text: ${text}`);
            assert.ok(link.startsWith(`${PUBLIC_URL}/tickets/dst1.`), link);
            assert.ok(html.includes(`href="${link}"`), 'the same link in the HTML');
            assert.ok(
              !text.includes(qrToken) && !html.includes(qrToken),
              'the check-in token is only in the image',
            );

            // The QR code: a PNG attached inline, named by the HTML's cid: reference.
            const cid = /<img src="cid:([^"]+)"/.exec(html)?.[1];
            assert.ok(cid, 'the HTML shows the attached image');
            const image = parts.find((p) => (p.headers['content-id'] ?? '') === `<${cid}>`);
            assert.ok(image, 'the image is attached by that Content-ID');
            assert.match(image.headers['content-type'] ?? '', /^image\/png/);
            assert.equal(
              await decodeQr(`data:image/png;base64,${image.body.toString('base64')}`),
              qrToken,
              "the mail's QR code is the check-in token",
            );

            // The link opens the ticket without a key or a sign-in, under a strict CSP.
            const page = await fetch(link.replace(PUBLIC_URL, t.baseUrl));
            assert.equal(page.status, 200);
            assert.equal(page.headers.get('content-security-policy'), TICKET_PAGE_CSP);
            const body = await page.text();
            assert.match(body, /<h1>Your ticket: Test drop<\/h1>/);
            const src = /<img src="(data:image\/png;base64,[^"]+)"/.exec(body)?.[1];
            assert.ok(src, 'the page shows the QR code');
            assert.equal(await decodeQr(src), qrToken, "the page's QR code is the check-in token");

            // A tampered link shows nothing.
            const tampered = await fetch(
              link.replace(PUBLIC_URL, t.baseUrl).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
            );
            assert.equal(tampered.status, 404);
            assert.doesNotMatch(await tampered.text(), /Test drop/);

            // The decoded token checks the reservation in; the page then says so and shows no code.
            const staff = await t.staff();
            t.clock.advance(
              Date.parse((await t.call('GET', `/v1/slots/${slotIds[0]}`)).body.startsAt) -
                t.clock.now().getTime(),
            );
            const checkIn = await t.call('POST', '/v1/check-ins', { token: staff.token, body: { qrToken } });
            assert.equal(checkIn.status, 201, JSON.stringify(checkIn.body));
            const after = await (await fetch(link.replace(PUBLIC_URL, t.baseUrl))).text();
            assert.match(after, /Checked in on /);
            assert.doesNotMatch(after, /<img /);

            // Two days after the slot ends the link has expired.
            t.clock.advance(3 * 86_400_000);
            const expired = await fetch(link.replace(PUBLIC_URL, t.baseUrl));
            assert.equal(expired.status, 404);
          },
          { notifications: { channel, publicUrl: PUBLIC_URL } },
        );
      } finally {
        await channel.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
    it('a pay-at-pickup rental: the pickup code, what to pay and a link to the booking page', async () => {
      const inbox = await smtpInbox();
      try {
        await withApp(
          kind,
          async (t) => {
            await t.handle.db.execute(
              sql`update stores set rental_payment = 'at_pickup', check_in_opens_minutes = ${2 * 24 * 60}`,
            );
            const { productId } = await createRentalProduct(
              t.handle.db,
              t.store.storeId,
              {
                sku: `MAIL-${Math.random().toString(36).slice(2, 8)}`,
                name: 'Camera',
                basePriceCents: 3500,
                pricingUnit: 'day',
                units: 1,
              },
              t.clock.now(),
            );
            const externalId = `renter-${Math.random().toString(36).slice(2, 10)}`;
            const session = await t.call('POST', '/v1/customer-sessions', {
              key: t.store.secretKey,
              body: { externalId, email: `${externalId}@test.example`, name: 'Ada' },
            });
            const token = session.body.token as string;
            const DAY = 86_400_000;
            const order = await t.call('POST', '/v1/rentals', {
              token,
              body: {
                items: [{ productId, quantity: 1 }],
                start: new Date(START.getTime() + DAY).toISOString(),
                end: new Date(START.getTime() + 3 * DAY).toISOString(),
              },
            });
            assert.equal(order.status, 201, JSON.stringify(order.body));
            const confirmed = await t.call('POST', `/v1/rentals/${order.body.id}/confirm`, { token });
            assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
            const pickupCode = confirmed.body.qrToken as string;
            assert.match(pickupCode, /^ds1h\./);
            await t.dropslot.notify();
            // The confirmation at once (and here the pickup reminder too: the pickup is a day away).
            const mails = inbox.received.map(readMail);
            const confirmation = mails.filter((m) => /is booked/.test(m.text));
            assert.equal(confirmation.length, 1, 'one confirmation, sent at once');
            const { parts, text, html } = confirmation[0]!;
            assert.match(text, /Your rental \(Camera\) is booked\./);
            assert.match(text, /Pay €70\.00 at pickup\./, 'what to pay at the counter');
            const link = /Open your booking: (\S+)/.exec(text)?.[1];
            assert.ok(link, `a link in the text: ${text}`);
            assert.ok(link.startsWith(`${PUBLIC_URL}/tickets/dsr1.`), link);
            assert.ok(
              !text.includes(pickupCode) && !html.includes(pickupCode),
              'the code is only in the image',
            );
            const cid = /<img src="cid:([^"]+)"/.exec(html)?.[1];
            assert.ok(cid, 'the HTML shows the attached image');
            const image = parts.find((p) => (p.headers['content-id'] ?? '') === `<${cid}>`);
            assert.ok(image, 'the image is attached by that Content-ID');
            assert.equal(
              await decodeQr(`data:image/png;base64,${image.body.toString('base64')}`),
              pickupCode,
              "the mail's QR code is the pickup code",
            );

            // The booking page opens without signing in, under the ticket page's strict CSP.
            const open = () => fetch(link.replace(PUBLIC_URL, t.baseUrl));
            const page = await open();
            assert.equal(page.status, 200);
            assert.equal(page.headers.get('content-security-policy'), TICKET_PAGE_CSP);
            const body = await page.text();
            assert.match(body, /<h1>Your rental: Camera<\/h1>/);
            assert.match(body, /To pay at pickup: €70\.00/);
            const src = /<img src="(data:image\/png;base64,[^"]+)"/.exec(body)?.[1];
            assert.ok(src, 'the page shows the QR code');
            assert.equal(await decodeQr(src), pickupCode, "the page's QR code is the pickup code");

            // A tampered link, or a rental's id in a ticket link's clothes, shows nothing.
            const tampered = await fetch(
              link.replace(PUBLIC_URL, t.baseUrl).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
            );
            assert.equal(tampered.status, 404);
            const disguised = await fetch(link.replace(PUBLIC_URL, t.baseUrl).replace('/dsr1.', '/dst1.'));
            assert.equal(disguised.status, 404);

            // Staff hand it over with the decoded code; the page then shows the return code.
            const staff = await t.staff();
            const pickup = await t.call('POST', '/v1/handovers', {
              token: staff.token,
              body: { qrToken: pickupCode },
            });
            assert.equal(pickup.status, 201, JSON.stringify(pickup.body));
            const after = await (await open()).text();
            assert.match(after, /Picked up\. Show this QR code when you bring it back\./);
            assert.doesNotMatch(after, /To pay at pickup/);
            const returnCode = (await t.call('GET', `/v1/rentals/${order.body.id}`, { token })).body.qrToken;
            const returnSrc = /<img src="(data:image\/png;base64,[^"]+)"/.exec(after)?.[1];
            assert.equal(await decodeQr(returnSrc!), returnCode, 'the return code');

            // A day after the rental ends the link has expired.
            t.clock.advance(5 * DAY);
            assert.equal((await open()).status, 404);
          },
          { notifications: { channel: inbox.channel, publicUrl: PUBLIC_URL } },
        );
      } finally {
        await inbox.close();
      }
    });
  });
}
