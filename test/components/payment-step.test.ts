import '../../components/payment-step/define.js';
import '../../components/rental-checkout/define.js';
import type { PaymentStep } from '../../components/payment-step/payment-step.js';
import type { RentalCheckout } from '../../components/rental-checkout/rental-checkout.js';
import { mountPicker, primary, reserve } from './support/picker.js';
import type { FakeApi } from './support/fake-api.js';
import {
  equal,
  expectAccessible,
  freshApi,
  match,
  mount,
  nextEvent,
  ok,
  part,
  text,
  waitFor,
  waitForAttribute,
} from './support/setup.js';

/** A hold of the customer's in a live drop, and a `<payment-step>` for it. */
async function stepForHold(api: FakeApi, extra = ''): Promise<PaymentStep> {
  const token = api.addCustomer(`payer-${crypto.randomUUID()}@example.com`, 'correct horse');
  const { slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 2 }] });
  const hold = api.addReservation(token, slots[0]!.id, { state: 'PENDING' });
  api.payments.paidDrops.add(hold.dropId);
  const step = mount<PaymentStep>(
    `<payment-step reservation="${hold.id}" api="${api.api}" publishable-key="${api.key}" customer-token="${token}" ${extra.includes('locale=') ? '' : 'locale="en-US"'} ${extra}></payment-step>`,
  );
  await waitForAttribute(step, 'state', 'ready');
  return step;
}

const choose = async (step: PaymentStep, method: string) => {
  step.shadowRoot!.querySelector<HTMLInputElement>(`input[type="radio"][value="${method}"]`)!.click();
  await step.updateComplete;
};
const pay = (step: PaymentStep) =>
  step.shadowRoot!.querySelector<HTMLButtonElement>('button[data-primary]')!.click();

describe('<payment-step>', () => {
  it('test cards: a radio group with the amount; a good card succeeds once its webhook arrives', async () => {
    const api = freshApi();
    const step = await stepForHold(api);
    const radios = [...step.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
    equal(radios.length, 3);
    ok(radios[0]!.checked, 'the succeeding card is preselected');
    match(text(part(step, 'base')), /Amount due: \$120\.00|Amount due: €120\.00/);
    await expectAccessible(step);
    const succeeded = nextEvent<CustomEvent>(step, 'ds-payment-succeed');
    pay(step);
    await waitForAttribute(step, 'state', 'processing');
    await waitForAttribute(step, 'state', 'succeeded');
    equal((await succeeded).detail.payment.status, 'succeeded');
    match(text(step.shadowRoot!.querySelector('[role="status"]')!), /Paid/);
    const sent = api.requestsTo('POST', /\/v1\/payments$/).map((r) => r.body as { paymentMethod?: string });
    equal(sent.at(-1)!.paymentMethod, 'pm_card_visa');
    await expectAccessible(step);
  });

  it('a declined card says so in plain words, once, and lets the shopper choose another', async () => {
    const api = freshApi();
    const step = await stepForHold(api);
    await choose(step, 'pm_card_declined');
    const failed = nextEvent<CustomEvent>(step, 'ds-payment-fail');
    pay(step);
    await waitForAttribute(step, 'state', 'declined');
    equal((await failed).detail.code, 'card_declined');
    const said = text(step.shadowRoot!.querySelector('[role="status"]')!);
    equal(
      said,
      'Your card was declined, and nothing was charged. Try another card, or ask your bank why.',
      'the reason in plain words, not "The payment was declined: Your card was declined."',
    );
    equal(said.match(/declined/g)?.length, 1, 'said once');
    await expectAccessible(step);
    await choose(step, 'pm_card_visa');
    pay(step);
    await waitForAttribute(step, 'state', 'succeeded');
  });

  it('the bank’s confirmation step: approve pays, refuse declines', async () => {
    const api = freshApi();
    const step = await stepForHold(api);
    await choose(step, 'pm_card_requires_action');
    pay(step);
    await waitForAttribute(step, 'state', 'action');
    match(text(part(step, 'base')), /Your bank asks you to confirm/);
    await expectAccessible(step);
    const buttons = [...step.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="actions"] button')];
    buttons.find((b) => /Refuse/.test(text(b)))!.click();
    await waitForAttribute(step, 'state', 'declined');
    const said = text(step.shadowRoot!.querySelector('[role="status"]')!);
    match(said, /^The payment was not confirmed with your bank, so nothing was charged\. Try again/);
    ok(!/authentication|customer/i.test(said), `no provider jargon: ${said}`);
    await choose(step, 'pm_card_requires_action');
    pay(step);
    await waitForAttribute(step, 'state', 'action');
    step.shadowRoot!.querySelector<HTMLButtonElement>('button[data-primary]')!.click();
    await waitForAttribute(step, 'state', 'succeeded');
    equal(api.requestsTo('POST', /authenticate$/).length, 2);
  });
});

describe('<payment-step> offline and in other languages', () => {
  it('offline: paying says nothing was charged, and pays once the browser is back online', async () => {
    const api = freshApi();
    const step = await stepForHold(api);
    api.goOffline();
    pay(step);
    const notice = await waitFor(
      () => step.shadowRoot!.querySelector('.offline'),
      'the offline notice',
      15_000,
    );
    equal(
      text(notice),
      'You are offline, so nothing was charged. It will try again as soon as you are back online.',
    );
    equal(step.getAttribute('state'), 'ready', 'the card form stays');
    await expectAccessible(step);
    api.goOnline();
    window.dispatchEvent(new Event('online'));
    await waitForAttribute(step, 'state', 'succeeded');
    ok(!step.shadowRoot!.querySelector('.offline'));
  });

  it('German and Arabic: a declined card in their words', async () => {
    for (const [locale, expected] of [
      ['de', /^Deine Karte wurde abgelehnt, es wurde nichts abgebucht\./],
      ['ar', /^رُفضت بطاقتك ولم يُخصم أي مبلغ\./],
    ] as const) {
      const api = freshApi();
      const step = await stepForHold(api, `locale="${locale}"`);
      await choose(step, 'pm_card_declined');
      pay(step);
      await waitForAttribute(step, 'state', 'declined');
      match(text(step.shadowRoot!.querySelector('[role="status"]')!), expected);
      step.remove();
    }
  });
});

describe('<payment-step> with Stripe', () => {
  it('loads Stripe.js from js.stripe.com only when a Stripe payment starts; a failed load is an error with Retry', async () => {
    const stripeScripts = () =>
      [...document.querySelectorAll<HTMLScriptElement>('script')].filter((s) =>
        s.src.startsWith('https://js.stripe.com/'),
      );
    const api = freshApi();
    // The test provider first: no Stripe.js.
    const testStep = await stepForHold(api);
    equal(stripeScripts().length, 0, 'no Stripe.js for the test provider');
    testStep.remove();
    api.payments.provider = 'stripe';
    const token = api.addCustomer('stripe@example.com', 'correct horse');
    const { slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 2 }] });
    const hold = api.addReservation(token, slots[0]!.id, { state: 'PENDING' });
    const step = mount<PaymentStep>(
      `<payment-step reservation="${hold.id}" api="${api.api}" publishable-key="${api.key}" customer-token="${token}"></payment-step>`,
    );
    await waitFor(() => stripeScripts().length === 1, 'the Stripe.js script tag');
    equal(stripeScripts()[0]!.src, 'https://js.stripe.com/v3/');
    // No network here: the script cannot load, and the step says so with Retry (never a test card form).
    await waitForAttribute(step, 'state', 'error', 15_000);
    ok(!step.shadowRoot!.querySelector('input[type="radio"]'), 'no test cards for Stripe');
    ok(step.shadowRoot!.querySelector('button.primary'), 'Retry');
    for (const s of stripeScripts()) s.remove();
  });
});

describe('payment hand-over', () => {
  it('<slot-picker>: a paid drop’s hold shows the payment step; paying confirms it', async () => {
    const api = freshApi();
    const token = api.addCustomer('paid-drop@example.com', 'correct horse');
    const { drop } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 3 }] });
    api.payments.paidDrops.add(drop.id);
    const picker = mountPicker(api, drop.id, { token, attributes: 'locale="en-US"' });
    await waitForAttribute(picker, 'state', 'open');
    await reserve(picker);
    await waitForAttribute(picker, 'state', 'hold');
    primary(picker).click();
    const step = await waitFor(() => picker.shadowRoot!.querySelector<PaymentStep>('payment-step'));
    await waitForAttribute(step, 'state', 'ready');
    await expectAccessible(picker);
    const confirmed = nextEvent<CustomEvent>(picker, 'ds-confirm');
    pay(step);
    await waitForAttribute(picker, 'state', 'confirmed', 8000);
    equal((await confirmed).detail.reservation.state, 'CONFIRMED');
    equal(
      api.requestsTo('POST', /\/confirm$/).length,
      0,
      'a paid hold goes straight to payment, no refused confirm',
    );
  });

  it('<slot-picker>: a promoted waitlist entry of a paid drop pays to claim its place', async () => {
    const api = freshApi();
    const token = api.addCustomer('claimer@example.com', 'correct horse');
    const { drop, slots } = api.addDrop({ startsIn: -60_000, slots: [{ capacityTotal: 1 }] });
    api.payments.paidDrops.add(drop.id);
    const taken = api.takePlace(slots[0]!.id);
    const picker = mountPicker(api, drop.id, { token, attributes: 'locale="en-US"' });
    await waitForAttribute(picker, 'state', 'sold-out');
    picker.shadowRoot!.querySelector<HTMLElement>('[role="radio"]')!.click();
    await picker.updateComplete;
    primary(picker).click(); // Join the waitlist
    await waitForAttribute(picker, 'state', 'waitlisted');
    api.cancelReservation(taken.id); // a place frees up: the line's head is promoted
    await waitForAttribute(picker, 'state', 'promoted');
    primary(picker).click(); // Claim → a paid drop: the payment step
    const step = await waitFor(() => picker.shadowRoot!.querySelector<PaymentStep>('payment-step'));
    await waitForAttribute(step, 'state', 'ready');
    ok(primary(picker).hidden, 'the Claim button gives way to the payment step');
    await expectAccessible(picker);
    const confirmed = nextEvent<CustomEvent>(picker, 'ds-confirm');
    pay(step);
    await waitForAttribute(picker, 'state', 'confirmed', 8000);
    equal((await confirmed).detail.reservation.state, 'CONFIRMED');
  });

  it('<rental-checkout>: online stores pay the invoice in the payment step, then show the pickup code', async () => {
    const api = freshApi({ storeZone: 'Europe/Berlin' });
    // Today is the 3rd of the month in the store's zone: the next two days are in the month shown.
    api.skew -= (Number(api.rentals.day(0).slice(8, 10)) - 3) * 86_400_000;
    const token = api.addCustomer('online@example.com', 'correct horse');
    const product = api.rentals.addProduct({ basePrice: 3500 });
    const el = mount<RentalCheckout>(
      `<rental-checkout product="${product.id}" api="${api.api}" publishable-key="${api.key}" customer-token="${token}" locale="en-US"></rental-checkout>`,
    );
    await waitForAttribute(el, 'state', 'choose');
    const cell = (d: string) => el.shadowRoot!.querySelector<HTMLElement>(`td[data-date="${d}"]`)!;
    cell(api.rentals.day(1)).click();
    await el.updateComplete;
    cell(api.rentals.day(2)).click();
    await waitForAttribute(el, 'state', 'quote');
    await waitFor(() => !el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-primary]')!.disabled);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-primary]')!.click();
    await waitForAttribute(el, 'state', 'awaiting-payment');
    const step = await waitFor(() => el.shadowRoot!.querySelector<PaymentStep>('payment-step'));
    await waitForAttribute(step, 'state', 'ready');
    await expectAccessible(el);
    pay(step);
    await waitForAttribute(el, 'state', 'confirmed', 8000);
    match(text(el.shadowRoot!.querySelector('code.code')!), /^ds1h\./);
  });
});
