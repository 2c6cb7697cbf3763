/**
 * One page-wide shopper session: the picker and the ticket read the same stores, restored from the server
 * (`GET /v1/customers/me/drops/{id}`); the token is kept per store in `localStorage`; a 401 signs every element out.
 */
import {
  button,
  equal,
  expectAccessible,
  freshApi,
  mount,
  ok,
  part,
  waitFor,
  waitForAttribute,
} from './support/setup.js';
import '../../components/slot-picker/define.js';
import '../../components/reservation-ticket/define.js';
import type { SlotPicker } from '../../components/slot-picker/slot-picker.js';
import type { ReservationTicket } from '../../components/reservation-ticket/reservation-ticket.js';
import type { FakeApi } from './support/fake-api.js';

function page(api: FakeApi, dropId: string) {
  const root = mount(
    `<div><slot-picker drop="${dropId}" api="${api.api}" publishable-key="${api.key}"></slot-picker>` +
      `<reservation-ticket drop="${dropId}" api="${api.api}" publishable-key="${api.key}"></reservation-ticket></div>`,
  );
  return {
    picker: root.querySelector('slot-picker') as SlotPicker,
    ticket: root.querySelector('reservation-ticket') as ReservationTicket,
  };
}

/** A token signed in earlier (another tab, a previous visit): what the built-in sign-in keeps. */
function signedInBefore(api: FakeApi, token: string): void {
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  localStorage.setItem(`dropslot.session.${api.key}`, JSON.stringify({ token, expiresAt }));
}

describe('the page-wide shopper session', () => {
  it('restores a hold after a reload: the picker offers Confirm, the ticket agrees, Confirm works', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 1 }] });
    const token = api.addCustomer();
    api.addReservation(token, slots[0]!.id, { state: 'PENDING' });
    signedInBefore(api, token);
    const { picker, ticket } = page(api, drop.id);
    await waitForAttribute(picker, 'state', 'hold');
    await waitForAttribute(ticket, 'status', 'pending');
    await expectAccessible(picker);
    part(picker, 'button-primary')!.click();
    await waitForAttribute(picker, 'state', 'confirmed');
    await waitForAttribute(ticket, 'status', 'confirmed');
    equal(api.requestsTo('POST', /\/confirm$/).length, 1);
  });

  it('cancel in the ticket frees the picker at once, without a request of its own', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 2 }] });
    const token = api.addCustomer();
    api.addReservation(token, slots[0]!.id, { state: 'CONFIRMED' });
    signedInBefore(api, token);
    const { picker, ticket } = page(api, drop.id);
    await waitForAttribute(picker, 'state', 'confirmed');
    await waitForAttribute(ticket, 'status', 'confirmed');
    ok(!button(picker, /reserve/i), 'a confirmed ticket hides Reserve');
    const reads = api.requestsTo('GET', /\/customers\/me\/drops\//).length;
    part(ticket, 'cancel')!.click();
    await waitFor(() => part(ticket, 'cancel-confirm'), 'the confirmation step');
    part(ticket, 'cancel-confirm')!.click();
    await waitForAttribute(ticket, 'status', 'cancelled');
    equal(picker.getAttribute('state'), 'open');
    equal(api.requestsTo('GET', /\/customers\/me\/drops\//).length, reads, 'no request of the picker’s own');
  });

  it('Sign out signs every element of the page out, in every tab', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 2 }] });
    const token = api.addCustomer();
    api.addReservation(token, slots[0]!.id, { state: 'CONFIRMED' });
    signedInBefore(api, token);
    const { picker, ticket } = page(api, drop.id);
    await waitForAttribute(ticket, 'status', 'confirmed');
    part(picker, 'sign-out')!.click();
    await waitForAttribute(ticket, 'status', 'signed-out');
    equal(localStorage.getItem(`dropslot.session.${api.key}`), null, 'gone for every tab');
    ok(part(picker, 'account-sign-in'), 'the way back in');
  });

  it('a 401 on any request signs every element of the page out', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -60_000 });
    signedInBefore(api, 'a-token-the-server-no-longer-takes');
    const { picker, ticket } = page(api, drop.id);
    await waitForAttribute(ticket, 'status', 'signed-out');
    await waitFor(() => part(picker, 'account-sign-in'), 'the picker signed out too');
    equal(localStorage.getItem(`dropslot.session.${api.key}`), null);
  });

  it('Arabic: the picker lays out right to left', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -60_000 });
    const root = mount(
      `<slot-picker locale="ar" drop="${drop.id}" api="${api.api}" publishable-key="${api.key}"></slot-picker>`,
    );
    await waitForAttribute(root, 'state', 'open');
    equal(getComputedStyle(part(root, 'slots')!).direction, 'rtl');
    await expectAccessible(root);
  });
});
