import {
  equal,
  expectAccessible,
  freshApi,
  match,
  ok,
  part,
  parts,
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';
import { choose, mountPicker, noticeText, pickerIn, primary, radios } from './support/picker.js';

const HOUR = 3_600_000;

describe('<slot-picker> designed states', () => {
  it('loading: a skeleton, busy, then the slots', async () => {
    const api = freshApi();
    api.latency = 300;
    const { drop } = api.addDrop();
    const el = mountPicker(api, drop.id);
    await waitForAttribute(el, 'state', 'loading');
    await el.updateComplete;
    ok(parts(el, 'skeleton').length > 0, 'skeleton parts');
    equal(part(el, 'base')!.getAttribute('aria-busy'), 'true');
    equal(radios(el).length, 0);
    await expectAccessible(el);
    await waitForAttribute(el, 'state', 'open');
    equal(part(el, 'base')!.getAttribute('aria-busy'), 'false');
  });

  it('open: slots grouped by day in the branch time zone, with places left', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin', branchZone: 'America/New_York' });
    const { drop } = api.addDrop({
      slots: [
        // 18:30 on Saturday 9 March in New York (already 00:30 on the 10th in Berlin).
        { startsAt: '2030-03-09T23:30:00.000Z', capacityTotal: 5, capacityReserved: 2 },
        // 10:00 on Sunday 10 March in New York (after the switch to summer time).
        { startsAt: '2030-03-10T14:00:00.000Z', capacityTotal: 4 },
        { startsAt: '2030-03-10T15:00:00.000Z', capacityTotal: 1, capacityReserved: 1 },
      ],
    });
    const el = await pickerIn('open', api, drop.id, { attributes: 'locale="en-US"' });
    const days = parts(el, 'day');
    equal(days.length, 2, 'two days in New York');
    equal(text(parts(el, 'day-label')[0]), 'Saturday, March 9');
    equal(text(parts(el, 'day-label')[1]), 'Sunday, March 10');
    equal(days[0]!.getAttribute('role'), 'group');
    const group = el.shadowRoot!.querySelector('[role="radiogroup"]')!;
    equal(text(el.shadowRoot!.getElementById(group.getAttribute('aria-labelledby')!)!), 'Choose a time');
    const slots = radios(el);
    equal(slots.length, 3);
    match(text(part(el, 'slot-time')), /^6:30\sPM – 7:00\sPM$/);
    equal(text(parts(el, 'slot-remaining')[0]), '3 left');
    equal(text(parts(el, 'slot-remaining')[2]), 'Full');
    ok(slots[2]!.part.contains('slot-full'));
    equal(slots.filter((s) => s.getAttribute('aria-checked') === 'true').length, 0);
    equal(slots.filter((s) => s.tabIndex === 0).length, 1, 'one tab stop (roving tabindex)');
    equal(text(primary(el)), 'Reserve');
    await expectAccessible(el);
  });

  it('open: the store time zone when the drop has no branch', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin', branchZone: 'America/New_York' });
    const { drop } = api.addDrop({
      branchId: null,
      slots: [{ startsAt: '2030-03-09T23:30:00.000Z' }, { startsAt: '2030-03-10T14:00:00.000Z' }],
    });
    const el = await pickerIn('open', api, drop.id, { attributes: 'locale="en-GB"' });
    equal(parts(el, 'day').length, 1, 'both on 10 March in Berlin');
    equal(text(part(el, 'day-label')), 'Sunday 10 March');
    equal(text(part(el, 'slot-time')), '00:30 – 01:00');
  });

  it('open: remaining places follow the live stream', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({ slots: [{ capacityTotal: 5 }, { capacityTotal: 2 }] });
    const el = await pickerIn('open', api, drop.id);
    api.takePlace(slots[0]!.id); // another shopper, elsewhere: the server pushes `event: slot`
    await waitFor(() => text(parts(el, 'slot-remaining')[0]) === '4 left', 'the pushed figure');
    api.fillSlot(slots[1]!.id);
    await waitFor(() => text(parts(el, 'slot-remaining')[1]) === 'Full', 'the slot shown full');
    equal(el.getAttribute('state'), 'open');
  });

  it('not-open-yet: the opening time, Reserve disabled; then open at the start on server time', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 1500 });
    const el = await pickerIn('not-open-yet', api, drop.id);
    match(noticeText(el), /^Booking opens .+\.$/);
    ok(radios(el).length > 0, 'slots are shown ahead of the opening');
    await choose(el, 0);
    equal(primary(el).disabled, true);
    await expectAccessible(el);
    await waitForAttribute(el, 'state', 'open', 4000); // flips by the server clock, no stream event needed
    equal(primary(el).disabled, false);
  });

  it('not-open-yet: shows the opening time in the branch zone and locale', async () => {
    const api = freshApi({ branchZone: 'Asia/Tokyo' });
    const { drop } = api.addDrop({ startsIn: 30 * 86_400_000 });
    const el = await pickerIn('not-open-yet', api, drop.id, { attributes: 'locale="de"' });
    const expected = new Intl.DateTimeFormat('de', {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: 'Asia/Tokyo',
    }).format(new Date(drop.startsAt));
    equal(noticeText(el), `Buchung ab ${expected}.`);
  });

  it('sold-out: every slot full, the notice, and Join the waitlist for a chosen slot', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({
      slots: [
        { capacityTotal: 2, capacityReserved: 2 },
        { capacityTotal: 1, capacityReserved: 1 },
      ],
    });
    const el = await pickerIn('sold-out', api, drop.id);
    match(noticeText(el), /^Sold out Every time is taken/);
    equal(parts(el, 'slot-full').length, 2);
    await choose(el, 1);
    equal(text(primary(el)), 'Join the waitlist');
    await expectAccessible(el);
  });

  it('empty: a drop without slots', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ slots: [] });
    const el = await pickerIn('empty', api, drop.id);
    equal(noticeText(el), 'This drop has no times to book.');
    await expectAccessible(el);
  });

  it('ended: a drop past its end', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -3 * HOUR, lengthMs: HOUR });
    const el = await pickerIn('ended', api, drop.id);
    equal(noticeText(el), 'This drop has ended');
    await expectAccessible(el);
  });

  it('error: a failed load, with Retry that loads again', async () => {
    const api = freshApi();
    const { drop } = api.addDrop();
    api.fail('GET', /^\/v1\/store$/, 404, 'not_found');
    const el = await pickerIn('error', api, drop.id);
    const error = part(el, 'error')!;
    equal(error.getAttribute('role'), 'alert');
    match(text(error), /Something went wrong/);
    await expectAccessible(el);
    primary(el).click();
    await waitForAttribute(el, 'state', 'open');
  });

  it('error: an unknown drop (the stream answers 404)', async () => {
    const api = freshApi();
    const el = await pickerIn('error', api, crypto.randomUUID());
    equal(text(primary(el)), 'Try again');
  });

  it('offline: reconnecting after the stream is lost, back to open when it returns', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop();
    const el = await pickerIn('open', api, drop.id);
    api.goOffline();
    await waitForAttribute(el, 'state', 'offline');
    await el.updateComplete;
    equal(text(part(el, 'offline')), 'Connection lost — reconnecting…');
    ok(radios(el).length > 0, 'the last known slots stay visible');
    await expectAccessible(el);
    api.takePlace(slots[0]!.id); // changed while offline: the new snapshot brings it
    api.goOnline();
    await waitForAttribute(el, 'state', 'open', 6000);
    equal(part(el, 'offline'), undefined);
    equal(text(part(el, 'slot-remaining')), '4 left');
  });
});
