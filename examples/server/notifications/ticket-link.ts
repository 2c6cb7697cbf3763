/**
 * The ticket page behind the signed link of a confirmation mail: `GET /tickets/{token}` shows the reservation's drop,
 * slot and state and — while it is confirmed — its check-in QR code, without signing in. The token
 * (`Tokens.ticketLinkToken`) is read-only and expires a day after the slot ends; the page changes nothing. It is
 * served under a strict Content-Security-Policy with no script at all (the QR code is a PNG data URL).
 *
 * A rental's confirmation links the same way to its booking page (`Tokens.rentalLinkToken`, `dsr1.…`): the items, the
 * period and — while the order waits for its pickup or its return — the handover QR code staff scan next, and the
 * amount to pay at pickup when the invoice is open. It expires a day after the rental ends.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Context, Hono } from 'hono';
import { formatMoney } from '../../../src/money.js';
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

/** The link of a rental's booking page: `{publicUrl}/tickets/{token}`, valid until a day after the rental ends. */
export function rentalLink(tokens: Tokens, publicUrl: string, orderId: string, endsAt: Date): string {
  const token = tokens.rentalLinkToken(orderId, new Date(endsAt.getTime() + TICKET_LINK_GRACE_MS));
  return `${publicUrl.replace(/\/+$/, '')}/tickets/${token}`;
}

/**
 * The handover code staff scan next for an order — the pickup's while `confirmed`, the return's while `active` or
 * `overdue` — or null (pending, cancelled, completed).
 */
export async function nextHandoverToken(
  db: Database,
  tokens: Tokens,
  orderId: string,
  status: string,
): Promise<{ token: string; type: 'pickup' | 'return' } | null> {
  const type =
    status === 'confirmed' ? 'pickup' : status === 'active' || status === 'overdue' ? 'return' : null;
  if (!type) return null;
  const [qr] = await db
    .select({ id: schema.handoverQr.id })
    .from(schema.handoverQr)
    .where(
      and(
        eq(schema.handoverQr.rentalOrderId, orderId),
        eq(schema.handoverQr.type, type),
        isNull(schema.handoverQr.verifiedAt),
      ),
    );
  return qr ? { token: tokens.handoverToken(qr.id), type } : null;
}

/** The rental order a valid booking link names, with what its page shows. */
export async function rentalOfLink(db: Database, tokens: Tokens, token: string) {
  const id = tokens.verifyRentalLinkToken(token);
  if (!id) return undefined;
  const o = schema.rentalOrders;
  const [row] = await db
    .select({
      id: o.id,
      status: o.status,
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      completedAt: o.completedAt,
      storeName: schema.stores.name,
      locale: schema.stores.locale,
      timeZone: schema.stores.timeZone,
    })
    .from(o)
    .innerJoin(schema.stores, eq(schema.stores.id, o.storeId))
    .where(eq(o.id, id));
  if (!row) return undefined;
  const items = await db
    .select({ name: schema.products.name })
    .from(schema.rentalItems)
    .innerJoin(schema.products, eq(schema.products.id, schema.rentalItems.productId))
    .where(eq(schema.rentalItems.rentalOrderId, id))
    .orderBy(asc(schema.products.name));
  const [invoice] = await db
    .select({
      status: schema.invoices.status,
      due: schema.invoices.amountDueCents,
      paid: schema.invoices.amountPaidCents,
      currency: schema.invoices.currency,
    })
    .from(schema.invoices)
    .where(eq(schema.invoices.rentalOrderId, id));
  return {
    ...row,
    items: items.map((i) => i.name),
    toPay:
      invoice?.status === 'open' ? { amount: invoice.due - invoice.paid, currency: invoice.currency } : null,
    handover: await nextHandoverToken(db, tokens, id, row.status),
  };
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
    if (c.req.param('token').startsWith('dsr1.')) return rentalPage(c, services.db, services.tokens);
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
<p>Code: <code>${breakable(ticket.qrToken)}</code></p>`
      : '';
    return c.html(
      page(
        `Your ticket: ${ticket.dropName}`,
        `<p>${escape(ticket.storeName)}</p><p>${escape(when)}</p>${state}${qr}`,
      ),
    );
  });
}

/** The booking page of a rental (`dsr1.` links). */
async function rentalPage(c: Context<AppEnv>, db: Database, tokens: Tokens) {
  const rental = await rentalOfLink(db, tokens, c.req.param('token')!);
  if (!rental) {
    return c.html(
      page(
        'Booking link not valid',
        '<p>This booking link is not valid or has expired. Sign in to the store to see your rental.</p>',
      ),
      404,
    );
  }
  let timeZone = rental.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    timeZone = 'UTC';
  }
  const locale = rental.locale || 'en';
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).formatRange(rental.startsAt, rental.endsAt);
  const state =
    rental.status === 'confirmed'
      ? '<p>Confirmed. Show this QR code at the counter when you pick it up.</p>'
      : rental.status === 'active' || rental.status === 'overdue'
        ? '<p>Picked up. Show this QR code when you bring it back.</p>'
        : rental.status === 'completed'
          ? '<p>Returned. Thank you!</p>'
          : rental.status === 'pending_payment'
            ? '<p>Not confirmed yet: its pickup code comes with the confirmation.</p>'
            : `<p>This rental is ${escape(rental.status.replace('_', ' '))}.</p>`;
  const toPay =
    rental.toPay && rental.status === 'confirmed' && rental.toPay.amount > 0
      ? `<p>To pay at pickup: ${escape(formatMoney(rental.toPay.amount, rental.toPay.currency, locale))}</p>`
      : '';
  const qr = rental.handover
    ? `<img src="data:image/png;base64,${qrPng(rental.handover.token).toString('base64')}" alt="${
        rental.handover.type === 'pickup' ? 'Pickup' : 'Return'
      } QR code" width="246" height="246">
<p>Code: <code>${breakable(rental.handover.token)}</code></p>`
    : '';
  return c.html(
    page(
      `Your rental: ${rental.items.join(', ')}`,
      `<p>${escape(rental.storeName)}</p><p>${escape(when)}</p>${state}${toPay}${qr}`,
    ),
  );
}

/** A long code, escaped, that may wrap after its dots on a narrow screen (the page has no style sheet). */
const breakable = (code: string) => escape(code).replaceAll('.', '.<wbr>');

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}
