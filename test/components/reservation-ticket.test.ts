import { sendKeys } from '@web/test-runner-commands';
import {
  button,
  byRole,
  deepEqual,
  equal,
  expectAccessible,
  focused,
  freshApi,
  match,
  mount,
  nextEvent,
  ok,
  part,
  recordEvents,
  sleep,
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';
import '../../components/reservation-ticket/define.js';
import type { ReservationTicket } from '../../components/reservation-ticket/reservation-ticket.js';
import type { TicketUpdateEvent } from '../../components/reservation-ticket/reservation-ticket.events.js';
import type { FakeApi, ReservationInit } from './support/fake-api.js';
import { drawQr, readQr } from './support/qr.js';

/** The server's "now" in these tests: 13:00 UTC, 9:00 in the branch's zone (New York, summer time). */
const NOW = '2030-05-01T13:00:00.000Z';
/** The slot: 10:00–10:30 in New York. */
const SLOT_START = '2030-05-01T14:00:00.000Z';

interface TicketOptions extends ReservationInit {
  /** Extra attributes of the ticket. */
  attributes?: string;
  /** Markup around the ticket; `{ticket}` is replaced by it. */
  around?: string;
  /** Give the ticket no customer token. */
  signedOut?: boolean;
}

/** A customer with a reservation in a drop of the fake API, and a `<reservation-ticket>` for it. */
function setUp(api: FakeApi, options: TicketOptions = {}) {
  const { drop, slots } = api.addDrop({ slots: [{ startsAt: SLOT_START }] });
  const token = api.addCustomer();
  const reservation = api.addReservation(token, slots[0]!.id, options);
  const el = mountTicket(api, reservation.id, options.signedOut ? undefined : token, options);
  return { el, drop, slot: slots[0]!, token, reservation };
}

function mountTicket(
  api: FakeApi,
  reservationId: string | undefined,
  token: string | undefined,
  options: Pick<TicketOptions, 'attributes' | 'around'> = {},
): ReservationTicket {
  const attrs = [
    reservationId ? `reservation="${reservationId}"` : '',
    `api="${api.api}"`,
    `publishable-key="${api.key}"`,
    token ? `customer-token="${token}"` : '',
    options.attributes ?? '',
  ].join(' ');
  const ticket = `<reservation-ticket ${attrs}></reservation-ticket>`;
  const root = mount(options.around ? options.around.replace('{ticket}', ticket) : ticket);
  return (
    root.localName === 'reservation-ticket' ? root : root.querySelector('reservation-ticket')
  ) as ReservationTicket;
}

/** Waits for the ticket to show `status` and finish rendering. */
async function inStatus(el: ReservationTicket, status: string): Promise<void> {
  await waitForAttribute(el, 'status', status);
  await el.updateComplete;
}

/** A confirmed ticket draws its QR code once the lazily loaded encoder is here. */
async function qrDrawn(el: ReservationTicket): Promise<SVGSVGElement> {
  return (await waitFor(() => part(el, 'qr'), 'the QR code')) as unknown as SVGSVGElement;
}

const statusText = (el: Element): string => text(part(el, 'status'));

/** Reads the QR code the ticket drew: its dark modules (the `<path>`), drawn black on white, decoded with jsQR. */
async function decodeQr(svgElement: SVGSVGElement): Promise<string | undefined> {
  const size = Number(svgElement.getAttribute('data-modules'));
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * 8;
  drawQr(canvas, svgElement.querySelector('path')!.getAttribute('d')!, size);
  return readQr(canvas, canvas.width, canvas.height);
}

const detailOf = (event: Event) => (event as TicketUpdateEvent).detail;

describe('<reservation-ticket> designed states', () => {
  it('loading: a skeleton, busy and announced, then the ticket', async () => {
    const api = freshApi();
    api.latency = 300;
    const { el } = setUp(api);
    await inStatus(el, 'loading');
    equal(el.status, 'loading');
    ok(part(el, 'skeleton'), 'skeleton part');
    equal(part(el, 'skeleton')!.getAttribute('aria-hidden'), 'true');
    equal(part(el, 'base')!.getAttribute('aria-busy'), 'true');
    equal(text(byRole(el, 'status')[0]), 'Loading…');
    equal(part(el, 'status'), undefined, 'no status line yet');
    await expectAccessible(el);
    await inStatus(el, 'confirmed');
    equal(part(el, 'base')!.getAttribute('aria-busy'), 'false');
    equal(part(el, 'skeleton'), undefined);
  });

  it('loading: waits for the configuration (no API, no key), then loads', async () => {
    const api = freshApi();
    const { slots } = api.addDrop({ slots: [{ startsAt: SLOT_START }] });
    const token = api.addCustomer();
    const reservation = api.addReservation(token, slots[0]!.id);
    const el = mount<ReservationTicket>(
      `<reservation-ticket reservation="${reservation.id}" customer-token="${token}"></reservation-ticket>`,
    );
    await inStatus(el, 'loading');
    equal(part(el, 'base')!.getAttribute('aria-busy'), 'true');
    equal(api.requests.length, 0);
    el.api = api.api;
    el.publishableKey = api.key;
    await inStatus(el, 'confirmed');
  });

  it('error: a failed first load, an alert and Try again, which recovers', async () => {
    const api = freshApi();
    api.fail('GET', /^\/v1\/reservations\//, 500, 'internal_error', 3); // the first call and its two retries
    const { el } = setUp(api);
    await inStatus(el, 'error');
    equal(el.status, 'error');
    const error = part(el, 'error')!;
    equal(error.getAttribute('role'), 'alert');
    equal(text(error), 'Something went wrong.');
    const retry = part(el, 'retry')!;
    equal(text(retry), 'Try again');
    equal(retry.localName, 'button');
    await expectAccessible(el);
    const before = api.requestsTo('GET', /^\/v1\/reservations\//).length;
    retry.focus();
    await sendKeys({ press: 'Enter' });
    await inStatus(el, 'confirmed');
    equal(api.requestsTo('GET', /^\/v1\/reservations\//).length, before + 1, 'loaded again');
    equal(part(el, 'error'), undefined);
    ok(part(el, 'status'), 'the ticket is shown');
  });

  it('pending: a hold, with the time to confirm by in the branch zone; no code yet', async () => {
    const api = freshApi();
    api.setServerNow(Date.parse(NOW)); // the hold (10 minutes) lapses at 13:10 UTC
    const { el } = setUp(api, { state: 'PENDING', attributes: 'locale="en-US"' });
    await inStatus(el, 'pending');
    equal(el.status, 'pending');
    equal(statusText(el), 'Not confirmed yet — confirm before 9:10 AM to get your ticket.');
    equal(part(el, 'status')!.getAttribute('role'), 'status');
    equal(text(part(el, 'drop-name')), 'Fake drop');
    equal(part(el, 'qr-frame'), undefined, 'no QR code before confirmation');
    equal(part(el, 'token'), undefined);
    equal(part(el, 'calendar'), undefined, 'nothing to add to a calendar yet');
    equal(text(part(el, 'cancel')), 'Cancel reservation', 'a hold can be let go');
    await expectAccessible(el);
  });

  it('confirmed: when and where, the QR code drawn from its modules, and the code as text', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api, { attributes: 'locale="en-US"' });
    await inStatus(el, 'confirmed');
    equal(el.status, 'confirmed');
    equal(text(part(el, 'title')), 'Your ticket');
    equal(part(el, 'title')!.localName, 'h2');
    equal(statusText(el), 'Confirmed — show this code at the door.');
    equal(text(part(el, 'drop-name')), 'Fake drop');
    match(text(part(el, 'when')), /^Wednesday, May 1, 2030(,| at) 10:00\s?–\s?10:30\sAM$/);
    equal(text(part(el, 'where')), 'Downtown, 1 Main Street');
    equal(part(el, 'base')!.getAttribute('aria-label'), 'Your ticket');

    const qr = await qrDrawn(el);
    equal(qr.getAttribute('role'), 'img');
    equal(qr.getAttribute('aria-label'), 'QR code of your ticket');
    const modules = Number(qr.getAttribute('data-modules'));
    ok(modules >= 21 + 8, `a QR code of at least version 1 with its quiet zone (${modules} modules)`);
    equal(qr.getAttribute('viewBox'), `0 0 ${modules} ${modules}`);
    const dark = qr.querySelector('path')!;
    match(dark.getAttribute('d'), /^(M\d+ \d+h\d+v1h-\d+z)+$/, 'one rectangle per run of dark modules');
    ok(dark.getAttribute('d')!.length > 500, 'many modules drawn');
    equal(getComputedStyle(dark).fill, 'rgb(0, 0, 0)', 'dark modules are black');
    equal(getComputedStyle(qr.querySelector('rect')!).fill, 'rgb(255, 255, 255)', 'on white');
    ok(qr.getBoundingClientRect().width > 100, 'drawn at a scannable size');
    equal(await decodeQr(qr), reservation.qrToken, 'the QR code reads as the ticket code');

    equal(text(part(el, 'token-label')), 'Ticket code');
    equal(text(part(el, 'token')), reservation.qrToken);
    equal(part(el, 'token')!.localName, 'code');
    ok(part(el, 'calendar'), 'Add to calendar');
    equal(text(part(el, 'cancel')), 'Cancel reservation');
    await expectAccessible(el);
  });

  it('checked-in: when it was checked in, formatted in the branch zone; no code to show any more', async () => {
    const api = freshApi();
    const { el } = setUp(api, {
      state: 'CHECKED_IN',
      checkedInAt: '2030-05-01T13:55:00.000Z',
      attributes: 'locale="en-US"',
    });
    await inStatus(el, 'checked-in');
    equal(el.status, 'checked-in');
    equal(statusText(el), 'Checked in at 9:55 AM.');
    equal(part(el, 'qr-frame'), undefined, 'the used code is not shown again');
    equal(part(el, 'calendar'), undefined);
    equal(part(el, 'cancel'), undefined, 'a used ticket cannot be cancelled');
    ok(part(el, 'when'), 'still says when');
    await expectAccessible(el);
  });

  it('checked-in: in 24-hour time for en-GB', async () => {
    const api = freshApi();
    const { el } = setUp(api, {
      state: 'CHECKED_IN',
      checkedInAt: '2030-05-01T13:55:00.000Z',
      attributes: 'locale="en-GB"',
    });
    await inStatus(el, 'checked-in');
    equal(statusText(el), 'Checked in at 09:55.');
  });

  it('cancelled: says so; no code, no calendar, no cancel', async () => {
    const api = freshApi();
    const { el } = setUp(api, { state: 'CANCELLED' });
    await inStatus(el, 'cancelled');
    equal(el.status, 'cancelled');
    equal(statusText(el), 'This reservation was cancelled.');
    equal(part(el, 'qr-frame'), undefined);
    equal(part(el, 'calendar'), undefined);
    equal(part(el, 'cancel'), undefined);
    await expectAccessible(el);
  });

  it('expired: a hold that lapsed before it was confirmed', async () => {
    const api = freshApi();
    const { el } = setUp(api, { state: 'EXPIRED' });
    await inStatus(el, 'expired');
    equal(el.status, 'expired');
    equal(statusText(el), 'This hold expired before it was confirmed.');
    equal(part(el, 'qr-frame'), undefined);
    equal(part(el, 'cancel'), undefined);
    await expectAccessible(el);
  });

  it('pending → expired on its own when the hold lapses (no reload by the page)', async () => {
    const api = freshApi();
    api.holdTtlMs = 1500;
    const { el, reservation } = setUp(api, { state: 'PENDING', attributes: 'refresh-interval="0"' });
    await inStatus(el, 'pending');
    const update = nextEvent<TicketUpdateEvent>(el, 'ds-ticket-update', 6000);
    await inStatus(el, 'expired');
    deepEqual(detailOf(await update), {
      reservationId: reservation.id,
      state: 'EXPIRED',
      previousState: 'PENDING',
    });
    equal(part(el, 'cancel'), undefined);
  });

  it('signed-out, not-found and empty', async () => {
    const api = freshApi();
    const signedOut = setUp(api, { signedOut: true }).el;
    await inStatus(signedOut, 'signed-out');
    equal(text(part(signedOut, 'message')), 'Sign in to see your ticket.');
    await expectAccessible(signedOut);

    const missing = mountTicket(api, crypto.randomUUID(), api.addCustomer());
    await inStatus(missing, 'not-found');
    equal(text(part(missing, 'message')), 'This ticket does not exist.');
    await expectAccessible(missing);

    const empty = mountTicket(api, undefined, api.addCustomer());
    await inStatus(empty, 'empty');
    equal(text(part(empty, 'message')), 'No reservation yet.');
    await expectAccessible(empty);
  });

  it('reflects every status it shows as the status attribute, as it changes', async () => {
    const api = freshApi();
    api.latency = 100;
    const { el, reservation } = setUp(api, { attributes: 'refresh-interval="0"' });
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(el.getAttribute('status') ?? ''));
    observer.observe(el, { attributes: true, attributeFilter: ['status'] });
    await inStatus(el, 'confirmed');
    api.checkInReservation(reservation.id);
    await el.refresh();
    await inStatus(el, 'checked-in');
    observer.disconnect();
    deepEqual(seen, ['loading', 'confirmed', 'checked-in']);
    equal(el.status, 'checked-in');
  });
});

describe('<reservation-ticket> on and off the page', () => {
  it('a ticket taken off the page sends no more requests, and loads again when put back', async () => {
    const api = freshApi();
    const { el } = setUp(api, { attributes: 'refresh-interval="0"' });
    await inStatus(el, 'confirmed');
    await qrDrawn(el);
    const parent = el.parentElement!;
    el.remove();
    const before = api.requests.length;
    el.locale = 'de'; // a detached element still updates
    await el.updateComplete;
    await sleep(300);
    equal(api.requests.length, before, 'no request from a ticket that is not on the page');
    parent.append(el);
    await waitFor(() => api.requests.length > before, 'a reload once it is back');
    await inStatus(el, 'confirmed');
    equal(text(part(el, 'title')), 'Dein Ticket');
  });
});

describe('<reservation-ticket> Add to calendar', () => {
  it('a link to an .ics file (Blob URL) with the event in UTC, the drop as summary and the branch as location', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api);
    await inStatus(el, 'confirmed');
    const link = (await waitFor(() => part(el, 'calendar'), 'the calendar link')) as HTMLAnchorElement;
    equal(link.localName, 'a');
    equal(text(link), 'Add to calendar');
    match(link.getAttribute('href'), /^blob:/);
    equal(link.getAttribute('download'), 'Fake-drop.ics');

    const response = await fetch(link.href);
    const blob = await response.blob();
    match(blob.type, /^text\/calendar/);
    const ics = await blob.text();
    ok(ics.startsWith('BEGIN:VCALENDAR\r\n'), 'starts with BEGIN:VCALENDAR');
    ok(ics.endsWith('END:VCALENDAR\r\n'), 'ends with END:VCALENDAR and a CRLF');
    ok(!/[^\r]\n/.test(ics), 'CRLF line endings only');
    const lines = ics.split('\r\n');
    ok(lines.includes('BEGIN:VEVENT') && lines.includes('END:VEVENT'), 'one event');
    ok(lines.includes('DTSTART:20300501T140000Z'), `DTSTART in UTC, got ${ics}`);
    ok(lines.includes('DTEND:20300501T143000Z'), 'DTEND in UTC');
    ok(lines.includes('SUMMARY:Fake drop'), 'SUMMARY is the drop');
    ok(lines.includes('LOCATION:Downtown\\, 1 Main Street'), 'LOCATION escaped (RFC 5545 TEXT)');
    ok(lines.includes(`UID:reservation-${reservation.id}@dropslot`), 'a stable UID');
    ok(lines.includes(`DESCRIPTION:Ticket code: ${reservation.qrToken}`), 'the code in the description');
    match(
      lines.find((l) => l.startsWith('DTSTAMP:')),
      /^DTSTAMP:\d{8}T\d{6}Z$/,
    );
    await expectAccessible(el);
  });

  it('the file is released when the ticket leaves the page', async () => {
    const api = freshApi();
    const { el } = setUp(api);
    await inStatus(el, 'confirmed');
    const link = (await waitFor(() => part(el, 'calendar'), 'the calendar link')) as HTMLAnchorElement;
    ok((await fetch(link.href)).ok);
    el.remove();
    let failed = false;
    await fetch(link.href).catch(() => (failed = true));
    ok(failed, 'the Blob URL was revoked');
  });
});

describe('<reservation-ticket> cancel with confirmation (keyboard)', () => {
  it('Enter asks first (focus on Keep it); Keep it goes back; Yes, cancel cancels and says so', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api, {
      around: '<div><button id="before">Before</button>{ticket}</div>',
      attributes: 'refresh-interval="0"',
    });
    await inStatus(el, 'confirmed');
    await waitFor(() => part(el, 'calendar'), 'the calendar link');
    const events = recordEvents(el, 'ds-ticket-update');

    document.getElementById('before')!.focus();
    await sendKeys({ press: 'Tab' });
    equal(focused(el), part(el, 'calendar'), 'Tab: Add to calendar');
    await sendKeys({ press: 'Tab' });
    equal(focused(el), part(el, 'cancel'), 'Tab: Cancel reservation');

    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const ask = part(el, 'cancel-ask')!;
    ok(ask, 'the confirmation step');
    equal(ask.getAttribute('role'), 'group');
    equal(
      text(el.shadowRoot!.getElementById(ask.getAttribute('aria-labelledby')!)!),
      'Cancel this reservation? Your place goes to the next in line.',
    );
    equal(part(el, 'cancel'), undefined);
    await waitFor(() => focused(el) === part(el, 'cancel-keep'), 'focus on Keep it, the safe choice');
    equal(text(part(el, 'cancel-keep')), 'Keep it');
    equal(text(part(el, 'cancel-confirm')), 'Yes, cancel');
    await expectAccessible(el);

    await sendKeys({ press: 'Enter' }); // Keep it
    await el.updateComplete;
    equal(part(el, 'cancel-ask'), undefined, 'back to the ticket');
    await waitFor(() => focused(el) === part(el, 'cancel'), 'focus back on Cancel reservation');
    equal(api.requestsTo('POST', /\/cancel$/).length, 0, 'nothing was cancelled');
    equal(el.status, 'confirmed');

    await sendKeys({ press: 'Space' });
    await waitFor(() => focused(el) === part(el, 'cancel-keep'), 'asked again');
    await sendKeys({ press: 'Shift+Tab' });
    equal(focused(el), part(el, 'cancel-confirm'), 'Shift+Tab: Yes, cancel');
    await sendKeys({ press: 'Enter' });
    await inStatus(el, 'cancelled');

    equal(api.requestsTo('POST', new RegExp(`^/v1/reservations/${reservation.id}/cancel$`)).length, 1);
    equal(api.reservations.get(reservation.id)!.state, 'CANCELLED');
    equal(statusText(el), 'This reservation was cancelled.');
    equal(part(el, 'qr-frame'), undefined, 'the code is gone');
    equal(part(el, 'calendar'), undefined);
    equal(part(el, 'cancel-ask'), undefined);
    equal(part(el, 'cancel'), undefined);
    deepEqual(events.map(detailOf), [
      { reservationId: reservation.id, state: 'CANCELLED', previousState: 'CONFIRMED' },
    ]);
    await expectAccessible(el);
  });

  it('a failed cancel says what to do in the confirmation step and keeps the ticket', async () => {
    const api = freshApi();
    api.fail('POST', /\/cancel$/, 409, 'invalid_state');
    const { el, reservation } = setUp(api, { attributes: 'refresh-interval="0"' });
    await inStatus(el, 'confirmed');
    part(el, 'cancel')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => focused(el) === part(el, 'cancel-keep'), 'the confirmation step');
    await sendKeys({ press: 'Shift+Tab' });
    await sendKeys({ press: 'Enter' });
    const alert = await waitFor(() => byRole(el, 'alert')[0], 'the error');
    equal(
      text(alert),
      'That did not go through, and nothing was changed. Try again; if it keeps failing, reload the page.',
    );
    ok(part(el, 'cancel-ask')!.contains(alert), 'inside the confirmation step');
    equal((part(el, 'cancel-confirm') as HTMLButtonElement).disabled, false, 'may try again');
    equal(el.status, 'confirmed');
    equal(api.reservations.get(reservation.id)!.state, 'CONFIRMED');
    await expectAccessible(el);
  });

  it('offline: a cancel says so, and cancels once the browser is back online', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api, { attributes: 'refresh-interval="0"' });
    await inStatus(el, 'confirmed');
    part(el, 'cancel')!.click();
    await waitFor(() => part(el, 'cancel-confirm'), 'the confirmation step');
    api.offline = true;
    part(el, 'cancel-confirm')!.click();
    const alert = await waitFor(() => byRole(el, 'alert')[0], 'the offline notice', 15_000);
    equal(
      text(alert),
      'You are offline, so nothing was changed. It will try again as soon as you are back online.',
    );
    equal(el.status, 'confirmed');
    api.offline = false;
    window.dispatchEvent(new Event('online'));
    await inStatus(el, 'cancelled');
    equal(api.reservations.get(reservation.id)!.state, 'CANCELLED');
  });

  it('a hold can be cancelled too', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api, { state: 'PENDING', attributes: 'refresh-interval="0"' });
    await inStatus(el, 'pending');
    part(el, 'cancel')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => focused(el) === part(el, 'cancel-keep'), 'the confirmation step');
    button(el, 'Yes, cancel')!.focus();
    await sendKeys({ press: 'Enter' });
    await inStatus(el, 'cancelled');
    equal(api.reservations.get(reservation.id)!.state, 'CANCELLED');
  });
});

describe('<reservation-ticket> events', () => {
  it('ds-ticket-update on the first load: bubbles out of the page, composed, previousState null', async () => {
    const api = freshApi();
    const { slots } = api.addDrop({ slots: [{ startsAt: SLOT_START }] });
    const token = api.addCustomer();
    const reservation = api.addReservation(token, slots[0]!.id);
    const heard = nextEvent<TicketUpdateEvent>(document, 'ds-ticket-update');
    const el = mountTicket(api, reservation.id, token);
    const event = await heard;
    equal(event.target, el);
    equal(event.bubbles, true);
    equal(event.composed, true);
    deepEqual(event.detail, { reservationId: reservation.id, state: 'CONFIRMED', previousState: null });
    equal(el.status, 'confirmed', 'fired once the ticket shows it');
  });

  it('the door checks it in: the next refresh shows it and fires CONFIRMED → CHECKED_IN (once)', async () => {
    const api = freshApi();
    const { el, reservation } = setUp(api, { attributes: 'refresh-interval="1"' });
    await inStatus(el, 'confirmed');
    const events = recordEvents(el, 'ds-ticket-update');
    await el.refresh(); // no change: no event
    equal(events.length, 0, 'no event when nothing changed');
    api.checkInReservation(reservation.id); // staff scanned it at the door
    await inStatus(el, 'checked-in'); // by the refresh interval
    equal(part(el, 'qr-frame'), undefined);
    await el.refresh();
    deepEqual(events.map(detailOf), [
      { reservationId: reservation.id, state: 'CHECKED_IN', previousState: 'CONFIRMED' },
    ]);
  });

  it('a failed background refresh keeps the ticket on screen', async () => {
    const api = freshApi();
    const { el } = setUp(api, { attributes: 'refresh-interval="0"' });
    await inStatus(el, 'confirmed');
    api.fail('GET', /^\/v1\/reservations\//, 400, 'validation_failed');
    await el.refresh();
    await el.updateComplete;
    equal(el.status, 'confirmed');
    ok(part(el, 'status'), 'still the ticket');
  });
});

describe('<reservation-ticket> locales', () => {
  it('German: the labels, the status and the date in German', async () => {
    const api = freshApi();
    const { el } = setUp(api, { attributes: 'locale="de"' });
    await inStatus(el, 'confirmed');
    await qrDrawn(el);
    const link = await waitFor(() => part(el, 'calendar'), 'the calendar link');
    equal(text(part(el, 'title')), 'Dein Ticket');
    equal(statusText(el), 'Bestätigt — zeig diesen Code am Eingang.');
    equal(text(link), 'Zum Kalender hinzufügen');
    equal(text(part(el, 'token-label')), 'Ticketcode');
    equal(text(part(el, 'cancel')), 'Reservierung stornieren');
    match(text(part(el, 'when')), /^Mittwoch, 1\. Mai 2030/);
    equal(part(el, 'qr')!.getAttribute('aria-label'), 'QR-Code deines Tickets');
    equal(part(el, 'base')!.getAttribute('lang'), 'de');
    equal(
      part(el, 'base')!.getAttribute('dir'),
      'ltr',
      'a left-to-right ticket stays so inside a right-to-left page',
    );
    await expectAccessible(el);
  });

  it('Arabic: right to left, translated, and still accessible (ticket and confirmation step)', async () => {
    const api = freshApi();
    const { el } = setUp(api, { attributes: 'locale="ar"' });
    await inStatus(el, 'confirmed');
    await qrDrawn(el);
    const link = await waitFor(() => part(el, 'calendar'), 'the calendar link');
    const base = part(el, 'base')!;
    equal(base.getAttribute('dir'), 'rtl');
    equal(base.getAttribute('lang'), 'ar');
    equal(getComputedStyle(base).direction, 'rtl');
    equal(text(part(el, 'title')), 'تذكرتك');
    equal(text(link), 'أضف إلى التقويم');
    equal(statusText(el), 'تم التأكيد — اعرض هذا الرمز عند الدخول.');
    equal(base.getAttribute('aria-label'), 'تذكرتك');
    await expectAccessible(el);

    part(el, 'cancel')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => focused(el) === part(el, 'cancel-keep'), 'the confirmation step');
    equal(text(part(el, 'cancel-keep')), 'احتفظ به');
    await expectAccessible(el);
  });

  it('takes the language of the page when it has no locale of its own', async () => {
    const api = freshApi();
    const { el } = setUp(api, { around: '<div lang="de">{ticket}</div>' });
    await inStatus(el, 'confirmed');
    equal(text(part(el, 'title')), 'Dein Ticket');
  });
});
