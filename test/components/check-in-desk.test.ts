import { sendKeys } from '@web/test-runner-commands';
import {
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
  parts,
  recordEvents,
  text,
  waitFor,
} from './support/setup.js';
import '../../components/check-in-desk/define.js';
import type { CheckInDesk } from '../../components/check-in-desk/check-in-desk.js';
import type { CheckInEvent, CheckInFailEvent } from '../../components/check-in-desk/check-in-desk.events.js';
import type { FakeApi, ReservationInit } from './support/fake-api.js';
import { drawCode, readQr } from './support/qr.js';

/** The slot: 10:00–10:30 in the branch's zone (New York, summer time). */
const SLOT_START = '2030-05-01T14:00:00.000Z';

interface DeskOptions {
  /** The desk's `customer-token` (a staff token); none shows the sign-in step. */
  token?: string;
  /** Extra attributes. */
  attributes?: string;
}

function mountDesk(api: FakeApi, options: DeskOptions = {}): CheckInDesk {
  const token = options.token ? ` customer-token="${options.token}"` : '';
  return mount<CheckInDesk>(
    `<check-in-desk api="${api.api}" publishable-key="${api.key}"${token} ${options.attributes ?? ''}></check-in-desk>`,
  );
}

/** A shopper's reservation in a drop of the fake API; its `qrToken` is the code on the ticket. */
function ticket(api: FakeApi, init: ReservationInit = {}) {
  const { drop, slots } = api.addDrop({ slots: [{ startsAt: SLOT_START }] });
  const reservation = api.addReservation(api.addCustomer(), slots[0]!.id, init);
  return { drop, slot: slots[0]!, reservation, code: reservation.qrToken ?? '' };
}

/** A signed-in staff desk, ready for codes. */
async function staffDesk(api: FakeApi, attributes = 'locale="en-US"'): Promise<CheckInDesk> {
  const el = mountDesk(api, { token: api.addStaff(), attributes });
  await el.updateComplete;
  ok(part(el, 'form'), 'the code form');
  return el;
}

const codeInput = (el: CheckInDesk): HTMLInputElement =>
  el.shadowRoot!.querySelector<HTMLInputElement>('[part~="form"] input[name="code"]')!;
const resultTitle = (el: Element): string => text(part(el, 'result-title'));

/** Types a code into the code field with real key presses and submits it with Enter. */
async function typeCode(el: CheckInDesk, code: string): Promise<void> {
  const input = codeInput(el);
  if (el.shadowRoot!.activeElement !== input) input.focus();
  await sendKeys({ type: code });
  await sendKeys({ press: 'Enter' });
}

/** Waits for the outcome of a code: its headline, once it is no longer "Checking…". */
async function outcome(el: CheckInDesk, expected: string | RegExp): Promise<string> {
  await waitFor(
    () => {
      const title = resultTitle(el);
      return typeof expected === 'string' ? title === expected : expected.test(title);
    },
    () => `result "${String(expected)}" (is "${resultTitle(el)}")`,
  );
  await el.updateComplete;
  return resultTitle(el);
}

describe('<check-in-desk> staff sign-in', () => {
  it('asks staff to sign in; wrong password, then a shopper account, are refused; staff get the desk', async () => {
    const api = freshApi();
    api.addCustomer('shopper@example.com', 'correct horse');
    api.addStaff('sam@example.com', 'staff password');
    const el = mountDesk(api);
    await el.updateComplete;

    const form = part(el, 'sign-in')!;
    ok(form, 'the sign-in step');
    equal(form.localName, 'form');
    equal(text(part(el, 'title')), 'Staff sign-in');
    equal(part(el, 'base')!.getAttribute('aria-label'), 'Check in');
    equal(
      parts(el, 'label')
        .map((l) => text(l))
        .join('|'),
      'Email|Password',
    );
    equal(part(el, 'form'), undefined, 'no code form before sign-in');
    equal(part(el, 'camera'), undefined, 'no camera before sign-in');
    await expectAccessible(el);

    const email = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="email"]')!;
    email.focus();
    await sendKeys({ type: 'sam@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'not it' });
    await sendKeys({ press: 'Enter' });
    const alert = await waitFor(() => byRole(el, 'alert')[0], 'the sign-in error');
    equal(text(alert), 'Wrong email or password.');
    ok(alert.part.contains('error'));
    await expectAccessible(el);

    email.select();
    await sendKeys({ type: 'shopper@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'correct horse' });
    await sendKeys({ press: 'Enter' });
    await waitFor(
      () => text(byRole(el, 'alert')[0]) === 'This account is not staff of this store.',
      'the not-staff error',
    );
    ok(part(el, 'sign-in'), 'still signing in');
    equal(sessionStorage.length, 0, 'a shopper token is not kept for the desk');

    email.select();
    await sendKeys({ type: 'sam@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'staff password' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => part(el, 'form'), 'the desk');
    await el.updateComplete;
    equal(part(el, 'sign-in'), undefined);
    equal(text(part(el, 'title')), 'Scan a ticket');
    await waitFor(() => focused(el) === codeInput(el), 'focus in the code field, ready for a scanner');
    ok(sessionStorage.getItem(`dropslot.staffToken.${api.key}`), 'the staff token is kept for the tab');
    equal(sessionStorage.getItem(`dropslot.customerToken.${api.key}`), null, 'apart from a shopper’s token');
    equal(api.requestsTo('POST', /^\/v1\/customers\/sign-in$/).length, 3);
    await expectAccessible(el);
  });

  it('Sign out goes back to the sign-in step and forgets the token', async () => {
    const api = freshApi();
    api.addStaff('sam@example.com', 'staff password');
    const el = mountDesk(api);
    await el.updateComplete;
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="email"]')!.focus();
    await sendKeys({ type: 'sam@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'staff password' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => part(el, 'sign-out'), 'the desk');
    part(el, 'sign-out')!.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => part(el, 'sign-in'), 'the sign-in step');
    equal(sessionStorage.getItem(`dropslot.staffToken.${api.key}`), null);
  });

  it('a shopper signed in on this tab does not open the desk: staff sign in on their own', async () => {
    const api = freshApi();
    const shopper = api.addCustomer('shopper@example.com', 'correct horse');
    sessionStorage.setItem(`dropslot.customerToken.${api.key}`, shopper);
    const el = mountDesk(api);
    await el.updateComplete;
    ok(part(el, 'sign-in'), 'the staff sign-in step, not the shopper’s session');
    equal(api.requestsTo('POST', /^\/v1\/check-ins$/).length, 0);
  });

  it('a token that is not (or no longer) staff goes back to sign-in, saying why', async () => {
    const api = freshApi();
    const { code } = ticket(api);
    const el = mountDesk(api, { token: api.addCustomer() }); // a shopper's token
    await el.updateComplete;
    const failed = nextEvent<CheckInFailEvent>(el, 'ds-check-in-fail');
    await typeCode(el, code);
    deepEqual((await failed).detail, { code: 'forbidden', firstUsedAt: undefined });
    await waitFor(() => part(el, 'sign-in'), 'the sign-in step');
    await el.updateComplete;
    equal(text(byRole(el, 'alert')[0]), 'This account is not staff of this store.');
  });
});

describe('<check-in-desk> checking codes in', () => {
  it('a typed code and Enter: checked in, with the customer, the drop, the slot and the time; ds-check-in', async () => {
    const api = freshApi();
    const { reservation, code } = ticket(api);
    const el = await staffDesk(api);
    api.setServerNow(Date.parse('2030-05-01T13:55:00.000Z'));
    const checkedIn = nextEvent<CheckInEvent>(el, 'ds-check-in');
    await typeCode(el, code);

    const event = await checkedIn;
    equal(event.bubbles, true);
    equal(event.composed, true);
    equal(event.detail.reservationId, reservation.id);
    equal(event.detail.reservation.id, reservation.id);
    equal(event.detail.reservation.state, 'CHECKED_IN');
    equal(event.detail.checkedInAt, api.reservations.get(reservation.id)!.checkedInAt);
    match(event.detail.checkedInAt, /^2030-05-01T13:55:0\d\.\d{3}Z$/);

    await outcome(el, 'Checked in: Fake drop');
    const result = part(el, 'result')!;
    equal(result.getAttribute('role'), 'status', 'announced');
    ok(result.contains(part(el, 'result-title')!));
    deepEqual(
      [...parts(el, 'detail')].map((row) => row.getAttribute('part')),
      ['detail detail-customer', 'detail detail-slot', 'detail detail-time'],
    );
    equal(text(part(el, 'detail-customer')), 'Customer shopper-1', 'whose ticket it is');
    match(
      text(part(el, 'detail-slot')),
      /^Slot Wed, May 1(,| at) 10:00\s?–\s?10:30\sAM$/,
      'the slot, in the branch zone',
    );
    match(
      text(part(el, 'detail-time')),
      /^Checked in May 1, 2030, 9:55:0\d\sAM$/,
      'when, in the branch zone',
    );
    equal(part(el, 'detail-collect'), undefined, 'nothing to collect at a drop ticket');

    deepEqual(api.requestsTo('POST', /^\/v1\/check-ins$/)[0]!.body, { qrToken: code });
    equal(api.reservations.get(reservation.id)!.state, 'CHECKED_IN');
    equal(codeInput(el).value, '', 'the field is cleared for the next code');
    equal(focused(el), codeInput(el), 'and keeps the focus');
    await expectAccessible(el);
  });

  it('the same code again: already used at the time of the first check-in (409 qr_already_used)', async () => {
    const api = freshApi();
    const { code, reservation } = ticket(api);
    const el = await staffDesk(api);
    await typeCode(el, code);
    await outcome(el, 'Checked in: Fake drop');
    const firstTime = text(part(el, 'detail-time')).replace('Checked in ', '');

    const failed = nextEvent<CheckInFailEvent>(el, 'ds-check-in-fail');
    await typeCode(el, `  ${code} `); // a scanner's stray spaces do not matter
    const event = await failed;
    equal(event.bubbles, true);
    equal(event.composed, true);
    deepEqual(event.detail, {
      code: 'qr_already_used',
      firstUsedAt: api.reservations.get(reservation.id)!.checkedInAt,
    });
    const title = await outcome(el, /^Already used at /);
    equal(title, `Already used at ${firstTime}`, 'the same time as the first check-in showed');
    // The repeat scan names the ticket: whose, which drop and slot.
    equal(text(part(el, 'detail-customer')), 'Customer shopper-1');
    equal(text(part(el, 'detail-drop')), 'Drop Fake drop');
    match(text(part(el, 'detail-slot')), /^Slot Wed, May 1(,| at) 10:00\s?–\s?10:30\sAM$/);
    equal(part(el, 'detail-time'), undefined, 'the time is in the headline');
    equal(part(el, 'result')!.getAttribute('role'), 'status');
    equal(api.requestsTo('POST', /^\/v1\/check-ins$/).length, 2);
    await expectAccessible(el);
  });

  it('a code used earlier at another desk: when, in the branch zone and the desk locale', async () => {
    const api = freshApi();
    const { code } = ticket(api, { state: 'CHECKED_IN', checkedInAt: '2030-05-01T13:58:30.000Z' });
    const el = await staffDesk(api);
    await typeCode(el, code);
    await outcome(el, /^Already used at /);
    match(resultTitle(el), /^Already used at May 1, 2030, 9:58:30\sAM$/);

    el.locale = 'de';
    await el.updateComplete;
    equal(resultTitle(el), 'Bereits benutzt um 01.05.2030, 09:58:30');
  });

  it('an invalid code: not a valid ticket code; ds-check-in-fail with qr_invalid', async () => {
    const api = freshApi();
    ticket(api);
    const el = await staffDesk(api);
    const failed = nextEvent<CheckInFailEvent>(el, 'ds-check-in-fail');
    await typeCode(el, 'not-a-ticket');
    deepEqual((await failed).detail, { code: 'qr_invalid', firstUsedAt: undefined });
    await outcome(el, 'Not a valid ticket code.');
    equal(part(el, 'result')!.getAttribute('role'), 'status');
    equal(codeInput(el).value, '');
    await expectAccessible(el);
  });

  it('a cancelled ticket cannot be checked in, and says its state', async () => {
    const api = freshApi();
    const { code } = ticket(api, { state: 'CANCELLED' });
    const el = await staffDesk(api);
    const failed = nextEvent<CheckInFailEvent>(el, 'ds-check-in-fail');
    await typeCode(el, code);
    equal((await failed).detail.code, 'invalid_state');
    await outcome(el, 'This ticket cannot be checked in (it is cancelled).');
    await expectAccessible(el);
  });

  it('a failed request says so; the desk stays ready', async () => {
    const api = freshApi();
    const { code } = ticket(api);
    api.fail('POST', /^\/v1\/check-ins$/, 500, 'internal_error', 3);
    const el = await staffDesk(api);
    const failed = nextEvent<CheckInFailEvent>(el, 'ds-check-in-fail');
    await typeCode(el, code);
    equal((await failed).detail.code, 'internal_error');
    await outcome(el, 'Something went wrong.');
    await typeCode(el, code);
    await outcome(el, 'Checked in: Fake drop');
  });

  it('shows Checking… while the request runs; an empty field sends nothing', async () => {
    const api = freshApi();
    const { code } = ticket(api);
    const el = await staffDesk(api);
    codeInput(el).focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(api.requestsTo('POST', /^\/v1\/check-ins$/).length, 0, 'a required field');
    api.latency = 300;
    await typeCode(el, code);
    await outcome(el, 'Checking…');
    await outcome(el, 'Checked in: Fake drop');
  });

  it('a pay-at-pickup rental: the customer, the period, each unit to hand over and the amount to collect; then the return; a repeat names the rental', async () => {
    const api = freshApi();
    (api.store as { rentalPayment: string }).rentalPayment = 'at_pickup';
    const product = api.rentals.addProduct({ name: 'Camera kit', basePrice: 3500, units: 3 });
    const customerId = api.customerIdOf(api.addCustomer());
    const url = (path: string) => new URL(`${api.api}${path}`);
    const start = `${api.rentals.day(2)}T08:00:00.000Z`;
    const end = `${api.rentals.day(4)}T08:00:00.000Z`;
    const created = api.rentals.route(
      'POST',
      url('/v1/rentals'),
      { items: [{ productId: product.id, quantity: 2 }], start, end },
      customerId,
    )!;
    equal(created.status, 201, JSON.stringify(created.body));
    const order = created.body as { id: string; total: number };
    const pickupCode = (
      api.rentals.route('POST', url(`/v1/rentals/${order.id}/confirm`), {}, customerId)!.body as {
        qrToken: string;
      }
    ).qrToken;
    const el = await staffDesk(api);

    const handedOver = nextEvent(el, 'ds-handover');
    await typeCode(el, pickupCode);
    await handedOver;
    await outcome(el, /^Pickup verified: hand over /);
    equal(text(part(el, 'detail-customer')), 'Customer Ada Renter');
    match(text(part(el, 'detail-rental')), /^Rental .+–.+/);
    const units = [...part(el, 'detail-units')!.querySelectorAll('li')].map((li) => text(li));
    equal(units.length, 2, 'each unit to hand over');
    match(units[0]!, /^Camera kit · \S+-001$/);
    match(units[1]!, /^Camera kit · \S+-002$/);
    match(text(part(el, 'detail-units')), /^Hand over /);
    equal(text(part(el, 'detail-collect')), `Collect €${(order.total / 100).toFixed(2)}`);
    ok(order.total > 0);
    match(text(part(el, 'detail-time')), /^Verified /);
    await expectAccessible(el);

    // The same pickup code again: already used, and which rental it was.
    await typeCode(el, pickupCode);
    await outcome(el, /^Already used at /);
    equal(text(part(el, 'detail-customer')), 'Customer Ada Renter');
    equal(part(el, 'detail-units')!.querySelectorAll('li').length, 2);

    // The return: units to take back, nothing to collect.
    const returnCode = api.rentals.orders.get(order.id)!.qrToken!;
    await typeCode(el, returnCode);
    await outcome(el, /^Return verified: /);
    match(text(part(el, 'detail-units')), /^Take back Camera kit/);
    equal(part(el, 'detail-collect'), undefined, 'nothing is collected at a return');
    await expectAccessible(el);
  });

  it('checkIn(code) checks a code in as if it had been typed', async () => {
    const api = freshApi();
    const { code } = ticket(api);
    const el = await staffDesk(api);
    const events = recordEvents(el, 'ds-check-in', 'ds-check-in-fail');
    await el.checkIn(code);
    await outcome(el, 'Checked in: Fake drop');
    deepEqual(
      events.map((e) => e.type),
      ['ds-check-in'],
    );
  });
});

describe('<check-in-desk> without a camera', () => {
  afterEach(() => {
    delete (navigator as { mediaDevices?: unknown }).mediaDevices; // back to the prototype's
  });

  /** Replaces `navigator.mediaDevices` for this test. */
  function fakeMediaDevices(value: unknown): void {
    Object.defineProperty(navigator, 'mediaDevices', { value, configurable: true });
  }

  async function pressStartCamera(el: CheckInDesk): Promise<HTMLElement> {
    const toggle = part(el, 'camera-button')!;
    equal(text(toggle), 'Start camera');
    equal(toggle.getAttribute('aria-pressed'), 'false');
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    return (await waitFor(() => part(el, 'camera-message'), 'a camera message')) as HTMLElement;
  }

  it('no getUserMedia: says the camera is unavailable; the text field still works', async () => {
    fakeMediaDevices(undefined);
    const api = freshApi();
    const { code } = ticket(api);
    const el = await staffDesk(api);
    const message = await pressStartCamera(el);
    equal(text(message), 'No camera available — type the code instead.');
    equal(part(el, 'video'), undefined);
    equal(part(el, 'camera-button')!.getAttribute('aria-pressed'), 'false');
    equal(text(part(el, 'camera-button')), 'Start camera');
    await expectAccessible(el);
    await typeCode(el, code);
    await outcome(el, 'Checked in: Fake drop');
    equal(text(part(el, 'camera-message')), 'No camera available — type the code instead.');
    await expectAccessible(el);
  });

  it('access denied: says so; the text field still works', async () => {
    let asked = 0;
    fakeMediaDevices({
      getUserMedia: () => {
        asked++;
        return Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      },
    });
    const api = freshApi();
    const { code } = ticket(api);
    const el = await staffDesk(api);
    await pressStartCamera(el);
    await waitFor(
      () => text(part(el, 'camera-message')) === 'Camera access was denied — type the code instead.',
      'the denied message',
    );
    equal(asked, 1, 'the browser was asked');
    equal(part(el, 'video'), undefined);
    equal(part(el, 'camera-button')!.getAttribute('aria-pressed'), 'false');
    await expectAccessible(el);
    await typeCode(el, code);
    await outcome(el, 'Checked in: Fake drop');
  });

  it('no camera device (NotFoundError): unavailable', async () => {
    fakeMediaDevices({
      getUserMedia: () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError')),
    });
    const api = freshApi();
    const el = await staffDesk(api);
    await pressStartCamera(el);
    await waitFor(
      () => text(part(el, 'camera-message')) === 'No camera available — type the code instead.',
      'the unavailable message',
    );
  });
});

describe('<check-in-desk> with a camera', () => {
  const original = Object.getOwnPropertyDescriptor(window, 'BarcodeDetector');
  let timer: ReturnType<typeof setInterval> | undefined;
  afterEach(() => {
    clearInterval(timer);
    delete (navigator as { mediaDevices?: unknown }).mediaDevices;
    if (original) Object.defineProperty(window, 'BarcodeDetector', original);
    else delete (window as { BarcodeDetector?: unknown }).BarcodeDetector;
  });

  it('a ticket held up to the camera checks in once; Stop camera stops it', async () => {
    const api = freshApi();
    const { code, reservation } = ticket(api);
    // The "camera": a canvas showing the ticket's QR code, as a live MediaStream.
    const scene = document.createElement('canvas');
    scene.width = scene.height = 480;
    drawCode(scene, code);
    timer = setInterval(() => drawCode(scene, code), 50); // keep frames coming
    const stream = scene.captureStream(20);
    const track = stream.getVideoTracks()[0]!;
    Object.defineProperty(navigator, 'mediaDevices', {
      value: { getUserMedia: () => Promise.resolve(stream) },
      configurable: true,
    });
    // The browser's detector, standing in for the platform one (Linux Chromium has none): it reads the video frame
    // the desk hands it with jsQR, so only a camera picture that really reaches the <video> is read.
    const framesRead: number[] = [];
    Object.defineProperty(window, 'BarcodeDetector', {
      configurable: true,
      value: class {
        static getSupportedFormats = () => Promise.resolve(['qr_code']);
        async detect(video: HTMLVideoElement) {
          framesRead.push(video.currentTime);
          const text = await readQr(video, video.videoWidth, video.videoHeight);
          return text ? [{ rawValue: text }] : [];
        }
      },
    });

    const el = await staffDesk(api);
    const checkedIn = nextEvent<CheckInEvent>(el, 'ds-check-in', 6000);
    const toggle = part(el, 'camera-button')!;
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => part(el, 'video'), 'the camera picture');
    await el.updateComplete;
    equal(toggle.getAttribute('aria-pressed'), 'true');
    equal(text(toggle), 'Stop camera');
    equal(text(part(el, 'camera-message')), 'Point the camera at the ticket’s QR code.');
    equal(part(el, 'video')!.getAttribute('aria-label'), 'Scan a ticket');
    await expectAccessible(el);

    equal((await checkedIn).detail.reservationId, reservation.id);
    await outcome(el, 'Checked in: Fake drop');
    const reads = framesRead.length;
    await waitFor(() => framesRead.length >= reads + 3, 'more frames read');
    equal(api.requestsTo('POST', /^\/v1\/check-ins$/).length, 1, 'the code still in view is not sent again');
    equal(resultTitle(el), 'Checked in: Fake drop', 'not turned into "already used"');

    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    equal(part(el, 'video'), undefined);
    equal(toggle.getAttribute('aria-pressed'), 'false');
    equal(text(toggle), 'Start camera');
    equal(track.readyState, 'ended', 'the camera is released');
  });
});

describe('<check-in-desk> locales', () => {
  it('Arabic: right to left, translated, accessible (sign-in and desk)', async () => {
    const api = freshApi();
    const el = mountDesk(api, { attributes: 'locale="ar"' });
    await el.updateComplete;
    const base = part(el, 'base')!;
    equal(base.getAttribute('dir'), 'rtl');
    equal(getComputedStyle(base).direction, 'rtl');
    equal(text(part(el, 'title')), 'دخول الموظفين');
    await expectAccessible(el);

    const desk = await staffDesk(api, 'locale="ar"');
    equal(text(part(desk, 'title')), 'امسح تذكرة');
    equal(text(part(desk, 'camera-button')), 'شغّل الكاميرا');
    await expectAccessible(desk);
  });

  it('German: the desk in German', async () => {
    const api = freshApi();
    const { code } = ticket(api);
    const el = await staffDesk(api, 'locale="de"');
    equal(text(part(el, 'title')), 'Ticket scannen');
    equal(text(part(el, 'label')), 'Oder Code eingeben');
    await typeCode(el, code);
    await outcome(el, 'Eingecheckt: Fake drop');
    await typeCode(el, 'nonsense');
    await outcome(el, 'Kein gültiger Ticketcode.');
  });
});
