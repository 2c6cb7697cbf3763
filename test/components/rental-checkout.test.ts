import { sendKeys } from '@web/test-runner-commands';
import '../../components/rental-checkout/define.js';
import '../../components/rental-catalog/define.js';
import type { RentalCheckout } from '../../components/rental-checkout/rental-checkout.js';
import type { RentalCatalog } from '../../components/rental-catalog/rental-catalog.js';
import type { FakeApi } from './support/fake-api.js';
import {
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
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';

function mountCheckout(api: FakeApi, productId: string, extra = ''): RentalCheckout {
  return mount<RentalCheckout>(
    `<rental-checkout product="${productId}" api="${api.api}" publishable-key="${api.key}" ${extra}></rental-checkout>`,
  );
}

async function checkoutIn(
  state: string,
  api: FakeApi,
  productId: string,
  extra = '',
): Promise<RentalCheckout> {
  const el = mountCheckout(api, productId, extra);
  await waitForAttribute(el, 'state', state);
  await el.updateComplete;
  return el;
}

const cell = (el: Element, date: string) =>
  el.shadowRoot!.querySelector<HTMLElement>(`td[data-date="${date}"]`)!;
const primary = (el: Element) => el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-primary]')!;
const total = (el: Element) => text(part(el, 'total'));

/** Chooses the pickup and return days by clicking their cells (both in the month shown). */
async function chooseDays(el: RentalCheckout, start: string, end: string): Promise<void> {
  cell(el, start).click();
  await el.updateComplete;
  cell(el, end).click();
  await waitForAttribute(el, 'state', 'quote');
  await waitFor(() => total(el), 'the total');
}

/** Days in the month shown, so clicks never need the next month. */
function daysThisMonth(api: FakeApi, from: number, count: number): string[] | undefined {
  const days = Array.from({ length: count }, (_, i) => api.rentals.day(from + i));
  return days.every((d) => d.slice(0, 7) === api.rentals.day(0).slice(0, 7)) ? days : undefined;
}

/** Moves the clock so that today is the 3rd of a month: every test has room in the month it shows. */
function earlyInMonth(api: FakeApi): void {
  const today = api.rentals.day(0);
  const dayOfMonth = Number(today.slice(8, 10));
  api.skew -= (dayOfMonth - 3) * 86_400_000;
}

describe('<rental-checkout>', () => {
  it('loading, then the product, its price and a month grid with free units per day', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    api.latency = 200;
    const product = api.rentals.addProduct({ name: 'Camera kit', basePrice: 3500, units: 3 });
    api.rentals.book(product.id, api.rentals.day(2), 1, 3);
    const el = mountCheckout(api, product.id, 'locale="en-US"');
    await waitForAttribute(el, 'state', 'loading');
    await el.updateComplete;
    ok(el.shadowRoot!.querySelector('.skeleton'), 'a skeleton');
    await waitForAttribute(el, 'state', 'choose');
    match(text(part(el, 'product')), /Camera kit/);
    match(text(part(el, 'product')), /€35\.00 per day/);
    const grid = el.shadowRoot!.querySelector('[role="grid"]')!;
    ok(grid.getAttribute('aria-labelledby'));
    equal(parts(el, 'day').filter((d) => d.tabIndex === 0).length, 1, 'one tab stop');
    const today = cell(el, api.rentals.day(0));
    equal(today.tabIndex, 0, 'today has the tab stop');
    equal(cell(el, api.rentals.day(-1)).getAttribute('aria-disabled'), 'true', 'the past is not bookable');
    const full = cell(el, api.rentals.day(2));
    equal(full.getAttribute('aria-disabled'), 'true', 'a booked-out day is not bookable');
    match(text(full), /Booked out/);
    match(text(cell(el, api.rentals.day(1))), /3 free/);
    match(text(part(el, 'notice')), /Choose the pickup day/);
    ok(primary(el).disabled, 'nothing to book yet');
    await expectAccessible(el);
  });

  it('keyboard in the grid: arrows, Home/End, Page Up/Down; Enter picks pickup then return', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct();
    const el = await checkoutIn('choose', api, product.id, 'locale="en-GB"');
    const today = api.rentals.day(0);
    cell(el, today).focus();
    const at = () => (focused(el) as HTMLElement | null)?.dataset.date;
    const press = async (key: string) => {
      await sendKeys({ press: key });
      await el.updateComplete;
      await el.updateComplete;
    };
    await press('ArrowRight');
    equal(at(), api.rentals.day(1));
    await press('ArrowDown');
    equal(at(), api.rentals.day(8));
    await press('ArrowUp');
    await press('ArrowLeft');
    equal(at(), today);
    // en-GB weeks start on Monday.
    await press('Home');
    equal(new Date(`${at()!}T12:00:00Z`).getUTCDay(), 1, 'Home: Monday');
    await press('End');
    equal(new Date(`${at()!}T12:00:00Z`).getUTCDay(), 0, 'End: Sunday');
    await press('PageDown');
    const next = at()!;
    ok(next.slice(0, 7) > today.slice(0, 7), 'Page Down: the next month is shown and focused');
    await waitFor(() => cell(el, next)?.getAttribute('aria-disabled') === 'false', 'next month loaded');
    await press('PageUp');
    equal(at()!.slice(0, 7), today.slice(0, 7));
    // Back to today + 1 and choose the period with Enter and Space.
    cell(el, api.rentals.day(1)).focus();
    await press('Enter');
    equal(cell(el, api.rentals.day(1)).getAttribute('aria-selected'), 'true');
    match(text(part(el, 'notice')), /choose the return day/);
    await press('ArrowRight');
    await press('ArrowRight');
    await press('Space');
    await waitForAttribute(el, 'state', 'quote');
    equal(cell(el, api.rentals.day(2)).getAttribute('aria-selected'), 'true', 'in the range');
    await waitFor(() => total(el));
    match(total(el), /€70\.00/);
    ok(!primary(el).disabled, 'bookable');
    await expectAccessible(el);
  });

  it('quote: times, quantity, promo codes (applied or refused) and loyalty points', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct({ basePrice: 1000, pricingUnit: 'hour', units: 2 });
    const token = api.addCustomer('points@example.com', 'correct horse');
    const el = await checkoutIn('choose', api, product.id, `customer-token="${token}" locale="en-US"`);
    const [start, end] = daysThisMonth(api, 1, 2)!;
    await chooseDays(el, start!, end!);
    match(total(el), /€240\.00/, '24 hours × €10');
    const events: Event[] = [];
    el.addEventListener('ds-rental-quote', (e) => events.push(e));
    const hours = el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="end-hour"]')!;
    hours.value = '12';
    hours.dispatchEvent(new Event('change'));
    await waitFor(() => /€260\.00/.test(total(el)), 'two more hours');
    const qty = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="quantity"]')!;
    qty.value = '2';
    qty.dispatchEvent(new Event('change'));
    await waitFor(() => /€520\.00/.test(total(el)), 'two units');
    ok(events.length >= 2, 'ds-rental-quote fired per quote');

    const promo = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="promo"]')!;
    promo.value = 'NOPE';
    el.shadowRoot!.querySelector<HTMLButtonElement>('form.promo button[type="submit"]')!.click();
    await waitFor(() => promo.getAttribute('aria-invalid') === 'true', 'refused code');
    match(text(el.shadowRoot!.getElementById('promo-error')!), /not valid/);
    equal(focused(el), promo, 'focus back on the code');
    match(total(el), /€520\.00/, 'priced without the code');
    await expectAccessible(el);
    promo.value = 'save10';
    el.shadowRoot!.querySelector<HTMLButtonElement>('form.promo button[type="submit"]')!.click();
    await waitFor(() => /€468\.00/.test(total(el)), '10 % off');
    match(text(part(el, 'quote')), /Code SAVE10/);
  });

  it('loyalty points: a checkbox with the balance takes them off the total', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const poor = api.addCustomer('poor@example.com', 'correct horse');
    const none = await checkoutIn('choose', api, product.id, `customer-token="${poor}" locale="en-US"`);
    await waitFor(() => api.requestsTo('GET', /loyalty$/).length === 1, 'the balance read');
    await none.updateComplete;
    ok(!none.shadowRoot!.querySelector('input[name="points"]'), 'no points, no checkbox');
    none.remove();

    const token = api.addCustomer('loyal@example.com', 'correct horse');
    api.rentals.points.set(api.customerIdOf(token), 500);
    const el = await checkoutIn('choose', api, product.id, `customer-token="${token}" locale="en-US"`);
    const [start, end] = daysThisMonth(api, 1, 2)!;
    await chooseDays(el, start!, end!);
    match(total(el), /€35\.00/);
    const box = await waitFor(() => el.shadowRoot!.querySelector<HTMLInputElement>('input[name="points"]'));
    match(text(box.closest('label')!), /Use my 500 points/);
    box.click();
    await waitFor(() => /€30\.00/.test(total(el)), '500 points = €5.00 off');
    match(text(part(el, 'quote')), /500 points/);
    const sent = api.requestsTo('POST', /rental-quotes$/).at(-1)!.body as { redeemPoints: number };
    equal(sent.redeemPoints, 500);
    await expectAccessible(el);
  });

  it('sign-in, pay at pickup, confirm: the pickup QR code, with the documented events', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    api.store.rentalPayment = 'at_pickup';
    api.addCustomer('renter@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const el = await checkoutIn('choose', api, product.id, 'locale="en-US"');
    const [start, end] = daysThisMonth(api, 1, 3)!.filter((_, i) => i !== 1);
    await chooseDays(el, start!, end!);
    primary(el).click();
    await waitForAttribute(el, 'state', 'sign-in');
    await el.updateComplete;
    equal(focused(el), el.shadowRoot!.querySelector('input[name="email"]'), 'focus on the email');
    await expectAccessible(el);
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="email"]')!.value = 'renter@example.com';
    el.shadowRoot!.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'correct horse';
    const booked = nextEvent<CustomEvent>(el, 'ds-rental-book');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[value="sign-in"]')!.click();
    await waitForAttribute(el, 'state', 'payment');
    const order = (await booked).detail.order;
    equal(order.status, 'pending_payment');
    match(text(el.shadowRoot!.querySelector('.payment')!), /Pay €70\.00 at pickup/);
    await expectAccessible(el);
    const confirmed = nextEvent<CustomEvent>(el, 'ds-rental-confirm');
    primary(el).click();
    await waitForAttribute(el, 'state', 'confirmed');
    equal((await confirmed).detail.order.status, 'confirmed');
    const qr = await waitFor(() => part(el, 'qr'), 'the QR code');
    equal(qr.getAttribute('role'), 'img');
    match(qr.getAttribute('aria-label') ?? '', /pickup/i);
    match(text(el.shadowRoot!.querySelector('code.code')!), /^ds1h\./);
    await expectAccessible(el);
    // Book other dates: the days just rented show one unit fewer.
    primary(el).click();
    await waitForAttribute(el, 'state', 'choose');
    await waitFor(() => /2 free/.test(text(cell(el, start!))), 'one unit fewer');
  });

  it('online stores hold the order until its invoice is paid', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const token = api.addCustomer('online@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const el = await checkoutIn('choose', api, product.id, `customer-token="${token}" locale="en-US"`);
    const [start, end] = daysThisMonth(api, 1, 2)!;
    await chooseDays(el, start!, end!);
    primary(el).click();
    await waitForAttribute(el, 'state', 'awaiting-payment');
    match(text(part(el, 'deadline')), /Pay €35\.00 before .+ to confirm the order/);
    equal(api.requestsTo('POST', /\/confirm$/).length, 0, 'no confirm without payment');
    await expectAccessible(el);
  });

  it('unavailable: too many units for the days, and a race lost when booking', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const token = api.addCustomer('late@example.com', 'correct horse');
    const product = api.rentals.addProduct({ units: 2 });
    const [d1, d2, d3] = daysThisMonth(api, 1, 3)!;
    api.rentals.book(product.id, d2!, 1, 1);
    const el = await checkoutIn('choose', api, product.id, `customer-token="${token}" locale="en-US"`);
    await chooseDays(el, d1!, d3!);
    const qty = el.shadowRoot!.querySelector<HTMLInputElement>('input[name="quantity"]')!;
    qty.value = '2';
    qty.dispatchEvent(new Event('change'));
    await waitForAttribute(el, 'state', 'unavailable');
    match(text(el.shadowRoot!.querySelector('[role="alert"]')!), /Not enough units are free/);
    ok(primary(el).disabled);
    await expectAccessible(el);
    qty.value = '1';
    qty.dispatchEvent(new Event('change'));
    await waitForAttribute(el, 'state', 'quote');
    await waitFor(() => !primary(el).disabled, 'bookable again');
    api.rentals.refuseNextOrder = true;
    primary(el).click();
    await waitFor(() =>
      /just booked these dates/.test(text(el.shadowRoot!.querySelector('[role="alert"]') ?? undefined)),
    );
    equal(el.getAttribute('state'), 'choose', 'the period is cleared');
    equal(parts(el, 'day').filter((d) => d.getAttribute('aria-selected') === 'true').length, 0);
  });

  it('error with Retry, and not-rentable products', async () => {
    const api = freshApi();
    const product = api.rentals.addProduct();
    api.fail('GET', /\/v1\/products\//, 500, 'internal_error', 3); // the first try and the SDK's two retries
    const el = await checkoutIn('error', api, product.id);
    match(text(el.shadowRoot!.querySelector('[role="alert"]')!), /Something went wrong/);
    await expectAccessible(el);
    primary(el).click();
    await waitForAttribute(el, 'state', 'choose');

    const sneaker = api.rentals.addProduct({ notRentable: true });
    const other = await checkoutIn('not-rentable', api, sneaker.id);
    match(text(part(other, 'notice')), /cannot be rented/);
    const missing = await checkoutIn('not-rentable', api, crypto.randomUUID());
    ok(missing);
  });

  it('speaks German and Arabic: Monday-first weeks, right-to-left arrows', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const de = await checkoutIn('choose', api, product.id, 'locale="de"');
    match(text(part(de, 'product')), /35,00\s€ pro Tag/);
    match(text(part(de, 'notice')), /Wähle den Abholtag/);
    equal(text(de.shadowRoot!.querySelector('th')!), 'M', 'Montag first');
    const ar = await checkoutIn('choose', api, product.id, 'locale="ar"');
    equal(part(ar, 'base')!.getAttribute('dir'), 'rtl');
    cell(ar, api.rentals.day(1)).focus();
    await sendKeys({ press: 'ArrowLeft' });
    await ar.updateComplete;
    await ar.updateComplete;
    equal((focused(ar) as HTMLElement).dataset.date, api.rentals.day(2), 'ArrowLeft is the next day in RTL');
    await expectAccessible(ar);
  });
});

/** A token signed in earlier (another tab, a previous visit): what the built-in sign-in keeps. */
function signedInBefore(api: FakeApi, token: string): void {
  const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
  localStorage.setItem(`dropslot.session.${api.key}`, JSON.stringify({ token, expiresAt }));
}

const signIn = async (el: RentalCheckout, email: string) => {
  el.shadowRoot!.querySelector<HTMLInputElement>('input[name="email"]')!.value = email;
  el.shadowRoot!.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'correct horse';
  el.shadowRoot!.querySelector<HTMLButtonElement>('button[value="sign-in"]')!.click();
};

describe('<rental-checkout> restores the shopper’s order', () => {
  it('on load: a pending order shows the payment step with its deadline; confirmed, the same code after a reload', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    api.store.rentalPayment = 'at_pickup';
    const token = api.addCustomer('back@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const order = api.rentals.placeOrder(api.customerIdOf(token), product.id, api.rentals.day(1), 2);
    signedInBefore(api, token);
    const el = mountCheckout(api, product.id, 'locale="en-US"');
    await waitForAttribute(el, 'state', 'loading');
    await waitForAttribute(el, 'state', 'payment');
    equal(api.requestsTo('POST', /\/v1\/rentals$/).length, 0, 'nothing booked again');
    const deadline = text(part(el, 'deadline'));
    match(deadline, /^Pay €70\.00 at pickup\. Confirm before .+ to get your pickup code\.$/);
    match(
      deadline,
      new RegExp(String(Number(api.rentals.day(1).slice(8, 10)))),
      'the deadline is the pickup day',
    );
    match(text(el.shadowRoot!.querySelector('.payment dl')!), /Pickup.+Return.+Total.*€70\.00/);
    ok(part(el, 'change-dates'), 'a way back to the calendar');
    match(text(part(el, 'account')), /Signed in/);
    await expectAccessible(el);

    primary(el).click();
    await waitForAttribute(el, 'state', 'confirmed');
    const qr = await waitFor(() => part(el, 'qr'), 'the QR code');
    ok(
      qr.getBoundingClientRect().width >= 150,
      `a scannable QR code (${qr.getBoundingClientRect().width}px)`,
    );
    const code = text(el.shadowRoot!.querySelector('code.code')!);

    // A reload (a new element, the same stored session): straight to the same pickup code, never to Book.
    el.parentElement!.remove();
    const again = mountCheckout(api, product.id, 'locale="en-US"');
    const seen: string[] = [];
    const watch = new MutationObserver(() => seen.push(again.getAttribute('state') ?? ''));
    watch.observe(again, { attributes: true, attributeFilter: ['state'] });
    await waitForAttribute(again, 'state', 'confirmed');
    watch.disconnect();
    ok(!seen.includes('choose'), `no calendar first (states: ${seen.join(' → ')})`);
    await waitFor(() => part(again, 'qr'), 'the QR code');
    equal(text(again.shadowRoot!.querySelector('code.code')!), code);
    equal(order.status, 'confirmed');
    await expectAccessible(again);

    // Book other dates: the calendar, and it stays there.
    primary(again).click();
    await waitForAttribute(again, 'state', 'choose');
    await again.updateComplete;
    equal(again.getAttribute('state'), 'choose');
  });

  it('a picked-up order shows its return code', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const token = api.addCustomer('out@example.com', 'correct horse');
    const product = api.rentals.addProduct();
    api.rentals.placeOrder(api.customerIdOf(token), product.id, api.rentals.day(1), 2, 'active');
    signedInBefore(api, token);
    const el = await checkoutIn('confirmed', api, product.id, 'locale="en-US"');
    match(text(part(el, 'notice')), /Picked up\. Show this code when you bring it back/);
    const qr = await waitFor(() => part(el, 'qr'), 'the QR code');
    match(qr.getAttribute('aria-label') ?? '', /return/);
    match(text(el.shadowRoot!.querySelector('figcaption')!), /Return code ds1h\./);
  });

  it('on sign-in from the account line: an order booked elsewhere; Sign out returns to the calendar', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const token = api.addCustomer('elsewhere@example.com', 'correct horse');
    const product = api.rentals.addProduct();
    api.rentals.placeOrder(api.customerIdOf(token), product.id, api.rentals.day(2), 1, 'confirmed');
    const el = await checkoutIn('choose', api, product.id, 'locale="en-US"');
    equal(api.requestsTo('GET', /\/customers\/me\/products\//).length, 0, 'signed out: nothing to read');
    part(el, 'account-sign-in')!.click();
    await waitForAttribute(el, 'state', 'sign-in');
    await signIn(el, 'elsewhere@example.com');
    await waitForAttribute(el, 'state', 'confirmed');
    await waitFor(() => part(el, 'qr'), 'the pickup code');
    await expectAccessible(el);
    part(el, 'sign-out')!.click();
    await waitForAttribute(el, 'state', 'choose');
    ok(part(el, 'account-sign-in'), 'the way back in');
    equal(localStorage.getItem(`dropslot.session.${api.key}`), null, 'signed out in every tab');
  });

  it('Change dates releases the order and returns to the calendar with its period filled in', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    api.store.rentalPayment = 'at_pickup';
    const token = api.addCustomer('change@example.com', 'correct horse');
    const product = api.rentals.addProduct({ units: 1 });
    const [start, , end] = daysThisMonth(api, 1, 3)!;
    const order = api.rentals.placeOrder(api.customerIdOf(token), product.id, start!, 2);
    signedInBefore(api, token);
    const el = await checkoutIn('payment', api, product.id, 'locale="en-US"');
    part(el, 'change-dates')!.click();
    await waitForAttribute(el, 'state', 'quote');
    equal(order.status, 'cancelled', 'the order is cancelled on the server');
    equal(api.requestsTo('POST', /\/cancel$/).length, 1);
    equal(cell(el, start!).getAttribute('aria-selected'), 'true', 'the pickup day is chosen');
    equal(cell(el, end!).getAttribute('aria-selected'), 'true', 'the return day is chosen');
    await waitFor(() => /1 free/.test(text(cell(el, start!))), 'its unit is free again');
    await waitFor(() => /€70\.00/.test(total(el)), 'priced again');
    ok(!primary(el).disabled, 'bookable again');
    await expectAccessible(el);
  });

  it('online stores: a pending order shows the payment step and when to pay by', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const token = api.addCustomer('payer@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    api.rentals.placeOrder(api.customerIdOf(token), product.id, api.rentals.day(1), 1);
    signedInBefore(api, token);
    const el = await checkoutIn('awaiting-payment', api, product.id, 'locale="en-US"');
    match(text(part(el, 'deadline')), /^Your units are held\. Pay €35\.00 before .+ to confirm the order\.$/);
    ok(el.shadowRoot!.querySelector('payment-step'), 'the payment step');
    ok(part(el, 'change-dates'));
  });

  it('offline: booking says so, and books once the browser is back online', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    api.store.rentalPayment = 'at_pickup';
    const token = api.addCustomer('offline@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const el = await checkoutIn('choose', api, product.id, `customer-token="${token}" locale="en-US"`);
    const [start, end] = daysThisMonth(api, 1, 2)!;
    await chooseDays(el, start!, end!);
    api.goOffline();
    primary(el).click();
    const notice = await waitFor(
      () => el.shadowRoot!.querySelector('.offline'),
      'the offline notice',
      15_000,
    );
    match(text(notice), /You are offline, so nothing was changed\. It will try again/);
    equal(el.getAttribute('state'), 'quote', 'the chosen period stays');
    api.goOnline();
    window.dispatchEvent(new Event('online'));
    await waitForAttribute(el, 'state', 'payment');
    ok(!el.shadowRoot!.querySelector('.offline'), 'the notice is gone');
  });
});

describe('<rental-checkout> keyboard and look', () => {
  it('is in the Tab order before any "Choose your dates" (no tabindex on the host)', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct();
    const root = mount(
      `<div><button id="before">Before</button><rental-checkout product="${product.id}" api="${api.api}" publishable-key="${api.key}" locale="en-US"></rental-checkout></div>`,
    );
    const el = root.querySelector<RentalCheckout>('rental-checkout')!;
    await waitForAttribute(el, 'state', 'choose');
    equal(el.getAttribute('tabindex'), null);
    root.querySelector<HTMLButtonElement>('#before')!.focus();
    await sendKeys({ press: 'Tab' });
    ok(focused(el), 'Tab moves into the checkout');
    el.focus();
    equal((focused(el) as HTMLElement).dataset.date, api.rentals.day(0), 'focus() lands on the calendar');
  });

  it('the free-units number under each day is explained, and named in each day’s label', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const product = api.rentals.addProduct({ units: 3 });
    const el = await checkoutIn('choose', api, product.id, 'locale="en-US"');
    match(text(el.shadowRoot!.querySelector('.legend')!), /small number under a day: units free that day/);
    const day = cell(el, api.rentals.day(1));
    equal(day.querySelector('.day-free')!.getAttribute('aria-hidden'), 'true');
    match(text(day.querySelector('.visually-hidden')!), /, 3 free$/);
  });
});

describe('<rental-catalog>', () => {
  it('filters by category and hands the chosen product to the checkout', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    const gear = api.rentals.addCategory('Gear');
    const cameras = api.rentals.addCategory('Cameras', gear.id);
    const bikes = api.rentals.addCategory('Bikes', gear.id);
    const camera = api.rentals.addProduct({ name: 'Camera kit', categoryId: cameras.id });
    api.rentals.addProduct({ name: 'E-bike', categoryId: bikes.id, pricingUnit: 'hour', basePrice: 900 });
    const root = mount(
      `<div><rental-catalog for="co" api="${api.api}" publishable-key="${api.key}" locale="en-US"></rental-catalog>
       <rental-checkout id="co" api="${api.api}" publishable-key="${api.key}" locale="en-US"></rental-checkout></div>`,
    );
    const catalog = root.querySelector<RentalCatalog>('rental-catalog')!;
    const checkout = root.querySelector<RentalCheckout>('rental-checkout')!;
    await waitForAttribute(catalog, 'state', 'ready');
    equal(parts(catalog, 'card').length, 2);
    match(catalog.shadowRoot!.textContent ?? '', /€9\.00 per hour/);
    await expectAccessible(catalog);
    const filter = parts(catalog, 'category').find((b) => text(b) === 'Cameras')!;
    filter.click();
    await catalog.updateComplete;
    equal(filter.getAttribute('aria-pressed'), 'true');
    equal(parts(catalog, 'card').length, 1);
    parts(catalog, 'category')
      .find((b) => text(b) === 'Gear')!
      .click();
    await catalog.updateComplete;
    equal(parts(catalog, 'card').length, 2, 'a parent category shows its children’s products');
    const selected = nextEvent<CustomEvent>(catalog, 'ds-rental-select');
    parts(catalog, 'card')
      .find((c) => /Camera kit/.test(text(c)))!
      .querySelector('button')!
      .click();
    equal((await selected).detail.product.id, camera.id);
    equal(checkout.getAttribute('product'), camera.id);
    await waitForAttribute(checkout, 'state', 'choose');
    match(text(part(checkout, 'product')), /Camera kit/);
  });

  it('shows each product’s own first image with its alt text (an upload resolved against the API)', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    const dot = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    api.rentals.addProduct({
      name: 'Camera kit',
      image: '/assets/store/camera.png',
      imageAlt: 'Black mirrorless camera with its lens',
      modelFirst: true,
    });
    api.rentals.addProduct({ name: 'Tent', image: dot, imageAlt: 'Green two-person tent, pitched' });
    api.rentals.addProduct({ name: 'Kayak', legacyImages: [dot] });
    api.rentals.addProduct({ name: 'Paddle' });
    const catalog = mount<RentalCatalog>(
      `<rental-catalog api="${api.api}" publishable-key="${api.key}" locale="en-US"></rental-catalog>`,
    );
    await waitForAttribute(catalog, 'state', 'ready');
    const imageOf = (name: string) =>
      parts(catalog, 'card')
        .find((c) => text(c).includes(name))!
        .querySelector('img');
    const camera = imageOf('Camera kit')!;
    equal(
      camera.getAttribute('src'),
      `${api.api}/assets/store/camera.png`,
      'the first image, not the 3D model',
    );
    equal(camera.getAttribute('alt'), 'Black mirrorless camera with its lens');
    equal(imageOf('Tent')!.getAttribute('alt'), 'Green two-person tent, pitched');
    equal(imageOf('Tent')!.getAttribute('src'), dot);
    equal(imageOf('Kayak')!.getAttribute('alt'), '', 'a plain image URL has no alt text: the name says it');
    equal(imageOf('Paddle'), null, 'no image, no picture');
    await expectAccessible(catalog);
  });
});

describe('<rental-checkout> product picture', () => {
  it('is the product’s first image with its alt text', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    const product = api.rentals.addProduct({
      name: 'Tent',
      image: 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7',
      imageAlt: 'Green two-person tent, pitched',
      modelFirst: true,
    });
    const el = await checkoutIn('choose', api, product.id, 'locale="en-US"');
    const image = part(el, 'image') as HTMLImageElement;
    equal(image.getAttribute('alt'), 'Green two-person tent, pitched');
    match(image.getAttribute('src') ?? '', /^data:image\/gif/);
    await expectAccessible(el);
  });
  it("opening hours: closed days cannot be pickup or return, times follow the day's hours, the branch is named", async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin', branchZone: 'Europe/Berlin' });
    earlyInMonth(api);
    const days = daysThisMonth(api, 1, 14)!;
    const weekday = (date: string) =>
      ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][new Date(`${date}T12:00:00Z`).getUTCDay()]!;
    // Open every day but Wednesday; Saturday has a lunch break; one Monday is closed by an exception.
    const monday = days.find((d) => weekday(d) === 'mon')!;
    Object.assign(api.store.branches[0]!, {
      openingHours: {
        mon: ['09:00-17:00'],
        tue: ['09:00-17:00'],
        thu: ['09:00-17:00'],
        fri: ['09:00-17:00'],
        sat: ['10:00-12:00', '14:00-16:00'],
        sun: ['11:00-15:00'],
      },
      openingExceptions: [{ date: monday, ranges: [] }],
    });
    const product = api.rentals.addProduct({ name: 'Tent', basePrice: 1500, units: 2 });
    const el = await checkoutIn('choose', api, product.id, 'locale="en-GB"');
    match(text(part(el, 'branch')), /Pickup and return at Downtown, 1 Main Street/);
    const wednesday = days.find((d) => weekday(d) === 'wed')!;
    equal(cell(el, wednesday).getAttribute('aria-disabled'), 'true', 'a closed weekday');
    equal(cell(el, monday).getAttribute('aria-disabled'), 'true', 'a closed exception date');
    const saturday = days.find((d) => weekday(d) === 'sat')!;
    cell(el, saturday).click();
    await el.updateComplete;
    const hours = (name: string) =>
      [...el.shadowRoot!.querySelectorAll<HTMLOptionElement>(`select[name="${name}"] option`)].map((o) =>
        Number(o.value),
      );
    equal(hours('start-hour').join(','), '10,11,12,14,15,16', 'the hours of both Saturday ranges');
    const sunday = days.find((d) => d > saturday && weekday(d) === 'sun')!;
    cell(el, sunday).click();
    await waitForAttribute(el, 'state', 'quote');
    equal(hours('end-hour').join(','), '11,12,13,14,15', "Sunday's hours for the return");
    ok(
      hours('end-hour').includes(
        Number(el.shadowRoot!.querySelector<HTMLSelectElement>('select[name="end-hour"]')!.value),
      ),
    );
    await expectAccessible(el);
  });
});
