/**
 * The ticket page behind the signed link of a confirmation mail: `GET /tickets/{token}` shows the reservation's drop,
 * slot and state and — while it is confirmed — its check-in QR code, without signing in. The token
 * (`Tokens.ticketLinkToken`) is read-only and expires a day after the slot ends; the page changes nothing. It is
 * served under a strict Content-Security-Policy with no script at all (the QR code is a PNG data URL).
 */
import { and, eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { schema, type Database } from '../db/index.js';
import type { AppEnv } from '../http/context.js';
import type { Tokens } from '../domain/tokens.js';
import { qrPng } from './qr-png.js';

export const TICKET_PAGE_CSP =
  "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** How long a ticket link stays valid after its slot ends. */
export const TICKET_LINK_GRACE_MS = 24 * 3_600_000;

/** The link of a reservation's ticket page: `{publicUrl}/tickets/{token}`, valid until a day after the slot ends. */
export function ticketLink(
  tokens: Tokens,
  publicUrl: string,
  reservationId: string,
  slotEndsAt: Date,
): string {
  const token = tokens.ticketLinkToken(reservationId, new Date(slotEndsAt.getTime() + TICKET_LINK_GRACE_MS));
  return `${publicUrl.replace(/\/+$/, '')}/tickets/${token}`;
}

const escape = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The reservation a valid link names, with what the page shows. */
export async function ticketOfLink(db: Database, tokens: Tokens, token: string) {
  const id = tokens.verifyTicketLinkToken(token);
  if (!id) return undefined;
  const r = schema.reservations;
  const [row] = await db
    .select({
      id: r.id,
      state: r.state,
      checkedInAt: r.checkedInAt,
      dropName: schema.drops.name,
      startsAt: schema.slots.startTime,
      endsAt: schema.slots.endTime,
      storeName: schema.stores.name,
      locale: schema.stores.locale,
      storeZone: schema.stores.timeZone,
      branchZone: schema.branches.timeZone,
    })
    .from(r)
    .innerJoin(schema.slots, eq(schema.slots.id, r.slotId))
    .innerJoin(schema.drops, eq(schema.drops.id, r.dropId))
    .innerJoin(schema.stores, eq(schema.stores.id, r.storeId))
    .leftJoin(schema.branches, and(eq(schema.branches.id, schema.drops.branchId)))
    .where(eq(r.id, id));
  if (!row) return undefined;
  return { ...row, qrToken: row.state === 'CONFIRMED' ? tokens.checkInToken(row.id) : null };
}

/** Mounts `GET /tickets/:token`. */
export function ticketLinkPage(app: Hono<AppEnv>): void {
  app.get('/tickets/:token', async (c) => {
    const services = c.get('services');
    c.header('content-security-policy', TICKET_PAGE_CSP);
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    const ticket = await ticketOfLink(services.db, services.tokens, c.req.param('token'));
    if (!ticket) {
      return c.html(
        page(
          'Ticket link not valid',
          '<p>This ticket link is not valid or has expired. Sign in to the store to see your ticket.</p>',
        ),
        404,
      );
    }
    let timeZone = ticket.branchZone ?? ticket.storeZone;
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      timeZone = 'UTC';
    }
    const when = new Intl.DateTimeFormat(ticket.locale || 'en', {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone,
    }).formatRange(ticket.startsAt, ticket.endsAt);
    const state =
      ticket.state === 'CONFIRMED'
        ? '<p>Confirmed. Show this QR code at the entrance.</p>'
        : ticket.state === 'CHECKED_IN'
          ? `<p>Checked in on ${escape(
              new Intl.DateTimeFormat(ticket.locale || 'en', {
                dateStyle: 'medium',
                timeStyle: 'short',
                timeZone,
              }).format(ticket.checkedInAt!),
            )}.</p>`
          : `<p>This reservation is ${escape(ticket.state.toLowerCase())}.</p>`;
    const qr = ticket.qrToken
      ? `<img src="data:image/png;base64,${qrPng(ticket.qrToken).toString('base64')}" alt="Check-in QR code" width="246" height="246">
<p>Code: <code>${escape(ticket.qrToken)}</code></p>`
      : '';
    return c.html(
      page(
        `Your ticket: ${ticket.dropName}`,
        `<p>${escape(ticket.storeName)}</p><p>${escape(when)}</p>${state}${qr}`,
      ),
    );
  });
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}
