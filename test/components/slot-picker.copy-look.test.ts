/**
 * What the shopper reads and sees in `<slot-picker>`: a paid hold asks to pay (not to confirm); an action offline says
 * so and runs again once back online; the chosen slot is filled and echoed in a summary line; time ranges stay on one
 * line at desktop width; a sold-out drop leads with its waitlist and offers no Reserve.
 */
import { setViewport } from '@web/test-runner-commands';
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

describe('<slot-picker> copy and look', () => {
  afterEach(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  it('a paid drop’s hold says Pay and "pay within", never Confirm', async () => {
    const api = freshApi();
    const token = api.addCustomer('payer@example.com', 'correct horse');
    const { drop } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 3 }] });
    api.payments.paidDrops.add(drop.id);
    const el = await pickerIn('open', api, drop.id, { token, attributes: 'locale="en-US"' });
    await choose(el, 0);
    primary(el).click();
    await waitForAttribute(el, 'state', 'hold');
    await el.updateComplete;
    const hold = text(part(el, 'hold'));
    match(hold, /Held for you — pay within/);
    ok(!/confirm/i.test(hold), `no "confirm" in a paid hold: ${hold}`);
    equal(text(primary(el)), 'Pay');
  });

  it('offline: Reserve says so and reserves once the browser is back online', async () => {
    const api = freshApi();
    const token = api.addCustomer('offline@example.com', 'correct horse');
    const { drop } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 3 }] });
    const el = await pickerIn('open', api, drop.id, { token, attributes: 'locale="en-US"' });
    await choose(el, 0);
    // The request fails, the stream stays (it is cut separately): only the action meets the lost connection.
    api.offline = true;
    primary(el).click();
    await waitFor(() => /You are offline/.test(noticeText(el)), 'the offline notice', 15_000);
    equal(
      noticeText(el),
      'You are offline, so nothing was changed. It will try again as soon as you are back online.',
    );
    api.offline = false;
    window.dispatchEvent(new Event('online'));
    await waitForAttribute(el, 'state', 'hold');
  });

  it('the chosen slot is filled and named in a summary line; time ranges fit on one line at 1280 px', async () => {
    await setViewport({ width: 1280, height: 900 });
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    const { drop } = api.addDrop({
      startsIn: -60_000,
      slots: Array.from({ length: 6 }, () => ({ capacityTotal: 5 })),
    });
    const el = mountPicker(api, drop.id, {
      attributes: 'locale="en-US"',
      around: '<div style="inline-size: 560px">{picker}</div>',
    });
    await waitForAttribute(el, 'state', 'open');
    await choose(el, 1);
    const chosen = radios(el)[1]!;
    const other = radios(el)[0]!;
    const fill = (node: HTMLElement) => getComputedStyle(node).backgroundColor;
    ok(fill(chosen) !== fill(other), `the chosen slot is filled (${fill(chosen)} vs ${fill(other)})`);
    const time = text(chosen.querySelector('[part~="slot-time"]')!);
    match(text(part(el, 'summary')), new RegExp(`^Chosen: .*${time.replace(/[–-]/g, '.')}`));
    for (const slot of parts(el, 'slot-time')) {
      const lineHeight = parseFloat(getComputedStyle(slot).lineHeight) || 24;
      ok(
        slot.getBoundingClientRect().height < lineHeight * 1.5,
        `"${text(slot)}" is on one line (${slot.getBoundingClientRect().height}px)`,
      );
      ok(
        slot.getBoundingClientRect().right <=
          slot.closest('[part~="slot"]')!.getBoundingClientRect().right + 0.5,
        `"${text(slot)}" stays inside its slot`,
      );
    }
    await expectAccessible(el);
  });

  it('a sold-out drop leads with its waitlist: no Reserve, the hint first', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({
      startsIn: -60_000,
      slots: [{ capacityTotal: 1 }, { capacityTotal: 1 }],
    });
    for (const slot of slots) api.fillSlot(slot.id);
    const el = await pickerIn('sold-out', api, drop.id, { attributes: 'locale="en-US"' });
    match(noticeText(el), /^Sold out Every time is taken\. Choose one to join its waitlist\./);
    equal(text(primary(el)), 'Join the waitlist');
    ok(!parts(el, 'button').some((b) => /^Reserve$/.test(text(b))), 'no Reserve anywhere');
    await choose(el, 0);
    equal(text(primary(el)), 'Join the waitlist');
  });
});
