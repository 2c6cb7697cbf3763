import {
  equal,
  expectAccessible,
  freshApi,
  match,
  mount,
  nextEvent,
  ok,
  part,
  parts,
  sleep,
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';
import '../../components/drop-countdown/define.js';
import type { DropCountdown } from '../../components/drop-countdown/drop-countdown.js';
import type { CountdownEndEvent } from '../../components/drop-countdown/drop-countdown.events.js';
import type { FakeApi } from './support/fake-api.js';

const HOUR = 3_600_000;

/** Values of the time segments, in order (`['2', '00', '00', '30']`). */
const values = (el: Element): string[] => parts(el, 'value').map((p) => text(p));

function countdown(api: FakeApi, dropId: string, extra = ''): DropCountdown {
  return mount<DropCountdown>(
    `<drop-countdown drop="${dropId}" api="${api.api}" publishable-key="${api.key}" ${extra}></drop-countdown>`,
  );
}

describe('<drop-countdown>', () => {
  const realDateNow = Date.now;
  afterEach(() => {
    Date.now = realDateNow;
  });

  it('a live drop with every place taken says "Sold out", not "Live now"', async () => {
    const api = freshApi();
    const { drop, slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 1 }] });
    const open = countdown(api, drop.id, 'locale="en-US"');
    await waitForAttribute(open, 'phase', 'live');
    await open.updateComplete;
    equal(text(part(open, 'label')), 'Live now');
    open.remove();

    api.fillSlot(slots[0]!.id);
    const el = countdown(api, drop.id, 'locale="en-US"');
    await waitForAttribute(el, 'phase', 'live');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'Sold out');
    equal(
      el.shadowRoot!.querySelector('slot[name="sold-out"]')?.textContent,
      'Sold out',
      'a slot to replace it',
    );
    await expectAccessible(el);
    const de = countdown(api, drop.id, 'locale="de"');
    await waitForAttribute(de, 'phase', 'live');
    await de.updateComplete;
    equal(text(part(de, 'label')), 'Ausverkauft');
  });

  it('is loading (skeleton, busy, no phase) until the drop and the server time are known', async () => {
    const api = freshApi();
    api.latency = 400;
    const { drop } = api.addDrop({ startsIn: HOUR });
    const el = countdown(api, drop.id);
    await el.updateComplete;
    ok(part(el, 'skeleton'), 'skeleton part');
    equal(part(el, 'base')?.getAttribute('aria-busy'), 'true');
    equal(el.hasAttribute('phase'), false, 'no phase while loading');
    equal(el.phase, undefined);
    await expectAccessible(el);
    await waitForAttribute(el, 'phase', 'upcoming');
  });

  it('counts down on server time, not the device clock (device clock an hour ahead)', async () => {
    Date.now = () => realDateNow() + HOUR; // the shopper's clock is wrong by an hour
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 2 * HOUR + 30_000 });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    const base = part(el, 'base')!;
    equal(base.getAttribute('role'), 'timer');
    equal(text(part(el, 'label')), 'Opens in');
    const [hours, minutes, seconds] = values(el);
    equal(hours, '2', 'hours follow the server (a device-clock countdown would show 1)');
    equal(minutes, '00');
    match(seconds, /^(29|30)$/);
    equal(parts(el, 'unit').length, 3);
    ok(part(el, 'segment-hours') && part(el, 'segment-minutes') && part(el, 'segment-seconds'));
    await expectAccessible(el);
  });

  it('reads the drop with a plain fetch and the publishable key, and probes /v1/time (nothing else)', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: HOUR });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'upcoming');
    const dropReads = api.requestsTo('GET', new RegExp(`^/v1/drops/${drop.id}$`));
    equal(dropReads.length, 1);
    equal(dropReads[0]!.headers.get('authorization'), `Bearer ${api.key}`);
    const probes = api.requestsTo('GET', /^\/v1\/time$/);
    equal(probes.length, 5, 'five probes, the fastest wins');
    equal(probes[0]!.headers.get('authorization'), null, 'the probe is a simple request (no preflight)');
    equal(api.requests.length, 6, 'no other request (no store, no stream)');
  });

  it('shows days when the start is more than a day away, in the element locale', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 2 * 86_400_000 + 3 * HOUR + 10_000 });
    const el = countdown(api, drop.id, 'locale="de"');
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'Startet in');
    ok(part(el, 'segment-days'), 'a days segment');
    equal(values(el)[0], '2');
    equal(values(el)[1], '03');
  });

  it('uses the locale digits and works right to left (Arabic)', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 5 * 60_000 + 20_000 });
    const wrapper = mount(`<div dir="rtl" lang="ar-EG"></div>`);
    wrapper.innerHTML = `<drop-countdown drop="${drop.id}" api="${api.api}" publishable-key="${api.key}"></drop-countdown>`;
    const el = wrapper.firstElementChild as DropCountdown;
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'يبدأ خلال');
    equal(values(el)[0], new Intl.NumberFormat('ar-EG').format(5), 'the locale digits, from Intl');
    match(values(el)[0], /^[٠-٩]$/, 'Arabic-Indic digits in ar-EG');
    equal(getComputedStyle(part(el, 'base')!).direction, 'rtl');
    await expectAccessible(el);
  });

  it('flips to live at the start on server time, fires ds-countdown-end once, and never goes back', async () => {
    Date.now = () => realDateNow() - 30 * 60_000; // device clock half an hour behind
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 1500 });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'upcoming');
    const ends: CountdownEndEvent[] = [];
    const outer = el.parentElement!;
    outer.addEventListener('ds-countdown-end', (e) => ends.push(e));
    const event = await nextEvent<CountdownEndEvent>(el, 'ds-countdown-end', 4000);
    equal(el.getAttribute('phase'), 'live');
    equal(event.bubbles && event.composed, true, 'bubbles and composed');
    equal(event.detail.dropId, drop.id);
    equal(event.detail.startsAt, drop.startsAt);
    const flippedAt = api.serverNow();
    ok(flippedAt >= Date.parse(drop.startsAt), 'not before the start on server time');
    ok(flippedAt - Date.parse(drop.startsAt) < 1000, 'within a second of the start');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'Live now');
    equal(parts(el, 'time').length, 0);
    await expectAccessible(el);

    // The device clock jumps back an hour (NTP, a user): server time holds still, the phase never goes back.
    Date.now = () => realDateNow() - 90 * 60_000;
    await sleep(1200);
    equal(el.getAttribute('phase'), 'live');
    equal(ends.length, 1, 'fired once (and it bubbled out)');
  });

  it('shows ended after the end', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -2 * HOUR, lengthMs: HOUR });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'ended');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'This drop has ended');
    await expectAccessible(el);
  });

  it('goes from live to ended at the end', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -HOUR, lengthMs: HOUR + 1200 });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'live');
    await waitForAttribute(el, 'phase', 'ended', 4000);
  });

  it('announces sparsely: at 1 minute, not on every tick', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 61_500 });
    const el = countdown(api, drop.id);
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    const region = el.shadowRoot!.querySelector('[aria-live="polite"]')!;
    equal(text(region), '', 'nothing announced on load');
    const changes: string[] = [];
    new MutationObserver(() => changes.push(text(region))).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    await waitFor(() => text(region) === 'Opens in 1 minute', 'the one-minute announcement', 4000);
    await sleep(2200); // two more ticks
    equal(new Set(changes.filter(Boolean)).size, 1, `announced once, got ${JSON.stringify(changes)}`);
    ok(values(el).length >= 2, 'the visible timer kept ticking');
  });

  it('uses starts-at / ends-at without any API call (static use, device clock)', async () => {
    const api = freshApi();
    const start = new Date(realDateNow() + 10 * 60_000).toISOString();
    const end = new Date(realDateNow() + 70 * 60_000).toISOString();
    const el = mount<DropCountdown>(
      `<drop-countdown starts-at="${start}" ends-at="${end}"></drop-countdown>`,
    );
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    equal(api.requests.length, 0, 'no request');
    deepValues(values(el), [/^(9|10)$/, /^(59|00)$/]);
  });

  it('lets the drop id and starts-at combine (the override wins)', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: 5 * HOUR });
    const start = new Date(api.serverNow() - 60_000).toISOString();
    const el = countdown(api, drop.id, `starts-at="${start}"`);
    await waitForAttribute(el, 'phase', 'live');
  });

  it('shows an error with a retry button that reloads', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: HOUR });
    api.fail('GET', new RegExp(`^/v1/drops/${drop.id}$`), 503, 'unavailable');
    const el = countdown(api, drop.id);
    await waitFor(() => part(el, 'error'), 'the error part');
    equal(part(el, 'error')!.getAttribute('role'), 'alert');
    equal(el.hasAttribute('phase'), false);
    await expectAccessible(el);
    const retry = part(el, 'button') as HTMLButtonElement;
    equal(text(retry), 'Try again');
    retry.click();
    await waitForAttribute(el, 'phase', 'upcoming');
  });

  it('shows an error for an invalid starts-at', async () => {
    freshApi();
    const el = mount<DropCountdown>(`<drop-countdown starts-at="next tuesday"></drop-countdown>`);
    await waitFor(() => part(el, 'error'), 'the error part');
  });

  it('lets named slots replace the labels', async () => {
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: -HOUR });
    const el = countdown(api, drop.id);
    el.innerHTML = '<span slot="live">Doors are open!</span><span slot="upcoming">Soon</span>';
    await waitForAttribute(el, 'phase', 'live');
    await el.updateComplete;
    const slot = part(el, 'label')!.querySelector('slot')!;
    equal(slot.name, 'live');
    equal(text(slot.assignedElements()[0]), 'Doors are open!');
    await expectAccessible(el);
  });

  it('takes its API and key from <dropslot-config>', async () => {
    await import('../../components/dropslot-config/define.js');
    const api = freshApi();
    const { drop } = api.addDrop({ startsIn: HOUR });
    const config = mount(
      `<dropslot-config api="${api.api}" publishable-key="${api.key}" locale="de"><drop-countdown drop="${drop.id}"></drop-countdown></dropslot-config>`,
    );
    const el = config.querySelector('drop-countdown')!;
    await waitForAttribute(el, 'phase', 'upcoming');
    await el.updateComplete;
    equal(text(part(el, 'label')), 'Startet in');
  });
});

function deepValues(actual: string[], expected: (string | RegExp)[]): void {
  equal(
    actual.length >= expected.length,
    true,
    `at least ${expected.length} values, got ${JSON.stringify(actual)}`,
  );
  expected.forEach((want, i) => {
    if (typeof want === 'string') equal(actual[i], want, `value ${i}`);
    else match(actual[i], want, `value ${i}`);
  });
}
