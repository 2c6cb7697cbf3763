import { sendKeys } from '@web/test-runner-commands';
import {
  equal,
  expectAccessible,
  freshApi,
  match,
  ok,
  part,
  recordEvents,
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';
import { choose, clickButton, noticeText, pickerIn, primary, reserve } from './support/picker.js';
import { SlotPicker } from '../../components/slot-picker/slot-picker.js';
import type {
  ConfirmEvent,
  HoldExpireEvent,
  ReserveEvent,
  WaitlistJoinEvent,
  WaitlistPromoteEvent,
} from '../../components/slot-picker/slot-picker.events.js';
import type { Drop } from '../../src/schemas/drops.js';
import type { Reservation } from '../../src/schemas/reservations.js';

const EVENTS = [
  'ds-reserve',
  'ds-hold-expire',
  'ds-waitlist-join',
  'ds-waitlist-promote',
  'ds-confirm',
  'change',
];

/** Events of one type, checked to bubble and cross the shadow boundary. */
function ofType<E extends Event>(events: Event[], type: string): E[] {
  const found = events.filter((e) => e.type === type) as E[];
  for (const event of found) {
    if (type === 'change') equal(event.bubbles, true, 'change bubbles');
    else equal(event.bubbles && event.composed, true, `${type} bubbles and is composed`);
  }
  return found;
}

describe('<slot-picker> hold: reserve, confirm, cancel, expiry', () => {
  it('hold: reserving shows the hold with its timer on server time; ds-reserve and change fire', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 3 }, { capacityTotal: 3 }] });
    const el = await pickerIn('open', api, drop.id, { token });
    const events = recordEvents(document.body, ...EVENTS);
    await reserve(el, 1);

    const [reserved] = ofType<ReserveEvent>(events, 'ds-reserve');
    ok(reserved, 'ds-reserve fired');
    equal(reserved.detail.reservation.slotId, slots[1]!.id);
    equal(reserved.detail.reservation.state, 'PENDING');
    ok(reserved.detail.reservation.expiresAt, 'with expiresAt');
    equal(ofType(events, 'change').length, 1, 'change after the user reserved');
    equal(el.value, reserved.detail.reservation.id);

    const request = api.requestsTo('POST', /^\/v1\/reservations$/)[0]!;
    equal(request.headers.get('x-customer-token'), token);
    ok(request.headers.get('idempotency-key'), 'an idempotency key');

    const timer = part(el, 'timer')!;
    equal(timer.getAttribute('role'), 'timer');
    match(text(timer), /^(10:00|9:5\d)$/);
    match(text(part(el, 'hold')), /Held for you — confirm within/);
    equal(text(primary(el)), 'Confirm');
    equal(el.shadowRoot!.activeElement, primary(el), 'focus moved to Confirm');
    await expectAccessible(el);
  });

  it('confirmed: Confirm confirms the hold; ds-confirm carries the CONFIRMED reservation', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id, { token });
    await reserve(el);
    const held = el.value;
    const events = recordEvents(el, ...EVENTS);
    primary(el).click();
    await waitForAttribute(el, 'state', 'confirmed');
    await el.updateComplete;
    const [confirmed] = ofType<ConfirmEvent>(events, 'ds-confirm');
    ok(confirmed, 'ds-confirm fired');
    equal(confirmed.detail.reservation.id, held);
    equal(confirmed.detail.reservation.state, 'CONFIRMED');
    equal(ofType(events, 'change').length, 0, 'the value did not change');
    equal(el.value, held);
    match(text(part(el, 'confirmed')), /^Confirmed — see you there!/);
    await expectAccessible(el);
  });

  it('cancel: Cancel releases the place, back to open; change fires', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 2 }] });
    const el = await pickerIn('open', api, drop.id, { token });
    await reserve(el);
    await waitFor(() => text(part(el, 'hold')).length > 0, 'the hold');
    const events = recordEvents(el, ...EVENTS);
    await clickButton(el, 'Cancel');
    await waitForAttribute(el, 'state', 'open');
    equal(el.value, '');
    equal(ofType(events, 'change').length, 1);
    equal(api.slots.get(slots[0]!.id)!.capacityRemaining, 2, 'the place went back');
    await waitFor(() => text(part(el, 'slot-remaining')) === '2 left', 'the live figure');
  });

  it('expired: the hold runs out on server time; ds-hold-expire fires; Choose another time', async () => {
    const api = freshApi();
    api.holdTtlMs = 1500;
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id, { token });
    await reserve(el);
    const id = el.value;
    const events = recordEvents(el, ...EVENTS);
    await waitForAttribute(el, 'state', 'expired', 4000);
    await el.updateComplete;
    const [expired] = ofType<HoldExpireEvent>(events, 'ds-hold-expire');
    ok(expired, 'ds-hold-expire fired');
    equal(expired.detail.reservationId, id);
    equal(ofType(events, 'change').length, 0, 'no change event for an expiry');
    equal(el.value, '');
    equal(text(part(el, 'expired')).startsWith('Your hold expired.'), true);
    await expectAccessible(el);
    await clickButton(el, 'Choose another time');
    await waitForAttribute(el, 'state', 'open');
  });

  it('error: an unexpected failure of the reserve shows Retry, which reserves', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    api.fail('POST', /^\/v1\/reservations$/, 403, 'forbidden');
    const el = await pickerIn('open', api, drop.id, { token });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'error');
    await el.updateComplete;
    equal(part(el, 'error')!.getAttribute('role'), 'alert');
    await expectAccessible(el);
    await clickButton(el, 'Try again');
    await waitForAttribute(el, 'state', 'hold');
  });

  it('a slot that filled up meanwhile (409 slot_full) offers its waitlist', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 1 }, { capacityTotal: 1 }] });
    const el = await pickerIn('open', api, drop.id, { token });
    await choose(el, 0);
    // Filled on the server, the stream event not delivered yet.
    const slot = api.slots.get(slots[0]!.id)!;
    slot.capacityReserved = 1;
    slot.capacityRemaining = 0;
    primary(el).click();
    await waitFor(() => noticeText(el).startsWith('This time just filled up.'), 'the notice');
    equal(el.getAttribute('state'), 'open');
    equal(text(primary(el)), 'Join the waitlist');
  });

  it('moving the element in the page keeps the hold', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id, { token });
    await reserve(el);
    const held = el.value;
    const elsewhere = document.createElement('section');
    document.body.append(elsewhere);
    try {
      elsewhere.append(el); // disconnected and connected again
      await el.updateComplete;
      equal(el.getAttribute('state'), 'hold');
      equal(el.value, held);
      await waitFor(() => api.streamCount(drop.id) === 1, 'one live stream again');
      match(text(part(el, 'timer')), /^(10:00|9:[45]\d)$/);
    } finally {
      elsewhere.remove();
    }
  });

  it('paid drops: the payment hook can take over the confirmation', async () => {
    class PaidPicker extends SlotPicker {
      handedOver: Reservation[] = [];
      protected override handOverToPayment(hold: Reservation, _drop: Drop | null): Promise<boolean> {
        this.handedOver.push(hold);
        return Promise.resolve(true);
      }
    }
    customElements.define('paid-slot-picker', PaidPicker);
    const api = freshApi();
    const token = api.addCustomer();
    const { drop } = api.addDrop();
    const el = document.createElement('paid-slot-picker') as PaidPicker;
    el.setAttribute('drop', drop.id);
    el.setAttribute('api', api.api);
    el.setAttribute('publishable-key', api.key);
    el.setAttribute('customer-token', token);
    document.body.append(el);
    try {
      await waitForAttribute(el, 'state', 'open');
      await el.updateComplete;
      await reserve(el);
      primary(el).click();
      await waitFor(() => el.handedOver.length === 1, 'the hand-over');
      equal(api.requestsTo('POST', /\/confirm$/).length, 0, 'not confirmed directly');
      equal(el.getAttribute('state'), 'hold');
    } finally {
      el.remove();
    }
  });
});

describe('<slot-picker> waitlist: join, live position, promotion, claim', () => {
  it('waitlisted: joining a full slot shows the live position; ds-waitlist-join fires', async () => {
    const api = freshApi();
    const ahead = api.addCustomer('ahead@example.com');
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 1, capacityReserved: 1 }] });
    // Someone is already in line.
    await api.fetch(`${api.api}/v1/slots/${slots[0]!.id}/waitlist`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${api.key}`,
        'X-Customer-Token': ahead,
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    const el = await pickerIn('sold-out', api, drop.id, { token });
    const events = recordEvents(el, ...EVENTS);
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'waitlisted');
    await el.updateComplete;
    const [joined] = ofType<WaitlistJoinEvent>(events, 'ds-waitlist-join');
    ok(joined, 'ds-waitlist-join fired');
    equal(joined.detail.entry.slotId, slots[0]!.id);
    equal(joined.detail.entry.position, 2);
    equal(text(part(el, 'waitlist')!.querySelector('.position')!), 'You are number 2 in line.');
    await expectAccessible(el);

    // The shopper ahead leaves: the slot changes on the stream, the position follows.
    const aheadEntry = [...api.waitlist.values()].find(
      (e) => e.customerId !== joined.detail.entry.customerId,
    )!;
    aheadEntry.state = 'LEFT';
    api.slots.get(slots[0]!.id)!.waitlistCount -= 1;
    api.pushSlot(slots[0]!.id);
    await waitFor(
      () => text(part(el, 'waitlist')!.querySelector('.position')!) === 'You are number 1 in line.',
      'the new position',
    );
  });

  it('promoted: a place frees up, the claim deadline shows; ds-waitlist-promote; Claim confirms', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 1 }] });
    const taken = api.takePlace(slots[0]!.id);
    const el = await pickerIn('sold-out', api, drop.id, { token, attributes: 'locale="en-US"' });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'waitlisted');
    const events = recordEvents(el, ...EVENTS);

    api.cancelReservation(taken.id); // the first customer cancels: the head of the line is promoted
    await waitForAttribute(el, 'state', 'promoted');
    await el.updateComplete;
    const [promoted] = ofType<WaitlistPromoteEvent>(events, 'ds-waitlist-promote');
    ok(promoted, 'ds-waitlist-promote fired');
    ok(promoted.detail.entry.claimDeadline, 'with the claim deadline');
    equal(promoted.detail.entry.state, 'PROMOTED');
    const deadline = new Intl.DateTimeFormat('en-US', {
      timeStyle: 'short',
      timeZone: 'America/New_York',
    }).format(new Date(promoted.detail.entry.claimDeadline!));
    equal(
      text(part(el, 'waitlist')!.querySelector('p:nth-of-type(2)')!),
      `A place is yours! Claim it before ${deadline}.`,
    );
    match(text(part(el, 'timer')), /^(15:00|14:5\d)$/);
    await expectAccessible(el);

    primary(el).click(); // Claim
    await waitForAttribute(el, 'state', 'confirmed');
    const [confirmed] = ofType<ConfirmEvent>(events, 'ds-confirm');
    equal(confirmed!.detail.reservation.state, 'CONFIRMED');
    equal(confirmed!.detail.reservation.id, promoted.detail.entry.reservationId);
    equal(el.value, promoted.detail.entry.reservationId);
    equal(ofType(events, 'change').length, 1, 'change after the user claimed');
  });

  it('expired claim: the claim deadline passes; ds-hold-expire fires', async () => {
    const api = freshApi();
    api.claimTtlMs = 1500;
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 1 }] });
    const taken = api.takePlace(slots[0]!.id);
    const el = await pickerIn('sold-out', api, drop.id, { token });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'waitlisted');
    const events = recordEvents(el, ...EVENTS);
    api.cancelReservation(taken.id);
    await waitForAttribute(el, 'state', 'promoted');
    await waitForAttribute(el, 'state', 'expired', 4000);
    await el.updateComplete;
    equal(text(part(el, 'expired')!.querySelector('p')!), 'The time to claim this place has passed.');
    const [expired] = ofType<HoldExpireEvent>(events, 'ds-hold-expire');
    ok(expired, 'ds-hold-expire fired');
    equal(typeof expired.detail.reservationId, 'string');
    await expectAccessible(el);
  });

  it('Leave the waitlist returns to the slots', async () => {
    const api = freshApi();
    const token = api.addCustomer();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 1, capacityReserved: 1 }] });
    const el = await pickerIn('sold-out', api, drop.id, { token });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'waitlisted');
    await el.updateComplete;
    await clickButton(el, 'Leave the waitlist');
    await waitForAttribute(el, 'state', 'sold-out');
    equal([...api.waitlist.values()][0]!.state, 'LEFT');
    equal(slots.length, 1);
  });
});

describe('<slot-picker> sign-in step', () => {
  it('sign-in: without a token, Reserve asks who is booking; signing in continues the reserve', async () => {
    const api = freshApi();
    api.addCustomer('ada@example.com', 'correct horse');
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id);
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'sign-in');
    await el.updateComplete;
    const form = part(el, 'sign-in')!;
    equal(form.localName, 'form');
    equal(el.shadowRoot!.activeElement?.getAttribute('name'), 'email', 'focus on the email field');
    await expectAccessible(el);

    await sendKeys({ type: 'ada@example.com' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ type: 'wrong password' });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => noticeText(el) === 'Wrong email or password.', 'the sign-in error');
    equal(el.getAttribute('state'), 'sign-in');
    await expectAccessible(el);

    const password = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="password"]')!;
    password.select();
    await sendKeys({ type: 'correct horse' });
    await sendKeys({ press: 'Enter' });
    await waitForAttribute(el, 'state', 'hold');
    const reserveRequest = api.requestsTo('POST', /^\/v1\/reservations$/).at(-1)!;
    ok(reserveRequest.headers.get('x-customer-token'), 'reserved with the new token');
    ok(
      localStorage.getItem(`dropslot.session.${api.key}`),
      'the token is remembered for the store, across tabs',
    );
  });

  it('sign-up: Create account makes an account (and says so when the email is taken)', async () => {
    const api = freshApi();
    api.addCustomer('taken@example.com');
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id);
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'sign-in');
    await el.updateComplete;
    const email = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="email"]')!;
    const password = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="password"]')!;
    email.value = 'taken@example.com';
    password.value = 'long enough';
    await clickButton(el, 'Create account');
    await waitFor(
      () => noticeText(el).startsWith('An account with this email exists already.'),
      'email taken',
    );
    email.value = 'new@example.com';
    await clickButton(el, 'Create account');
    await waitForAttribute(el, 'state', 'hold');
    equal(api.requestsTo('POST', /^\/v1\/customers\/sign-up$/).length, 2);
  });

  it('Back leaves the sign-in step', async () => {
    const api = freshApi();
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id);
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'sign-in');
    await el.updateComplete;
    await clickButton(el, 'Back');
    await waitForAttribute(el, 'state', 'open');
  });

  it('a rejected token (401) asks to sign in again', async () => {
    const api = freshApi();
    const { drop } = api.addDrop();
    const el = await pickerIn('open', api, drop.id, { token: 'ct_not_valid' });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'sign-in');
  });
});
