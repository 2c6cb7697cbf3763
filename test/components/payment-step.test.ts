import {
  button,
  equal,
  expectAccessible,
  match,
  mount,
  nextEvent,
  ok,
  part,
  recordEvents,
  text,
  waitForAttribute,
} from './support/setup.js';
import '../../components/payment-step/define.js';
import type { PaymentStep } from '../../components/payment-step/payment-step.js';
import type {
  PaymentFailEvent,
  PaymentSucceedEvent,
} from '../../components/payment-step/payment-step.events.js';
import { STRIPE_JS } from '../../components/payment-step/stripe-loader.js';
import { setFetchForTesting } from '../../components/internal/client.js';
import type { Payment } from '../../src/schemas/payments.js';

const API = 'https://api.payments.test';
const KEY = 'pk_test_payments';
const RESERVATION = '0b9f3c1e-7a2d-4e5f-8a9b-1c2d3e4f5a6b';
const PAYMENT = '1c0a4d2f-8b3e-4f60-9bac-2d3e4f5a6b7c';
const STORE = '2d1b5e30-9c4f-4071-8cbd-3e4f5a6b7c8d';
const CUSTOMER = '3e2c6f41-ad50-4182-9dce-4f5a6b7c8d9e';

/** A fake of the payments API: the test provider's behaviour for the three test cards, or a Stripe payment. */
function fakePayments(provider: 'test' | 'stripe' = 'test') {
  const requests: { method: string; path: string; body: unknown }[] = [];
  let payment: Payment = {
    id: PAYMENT,
    storeId: STORE,
    provider,
    status: 'requires_payment_method',
    amount: 2500,
    currency: 'EUR',
    reservationId: RESERVATION,
    invoiceId: null,
    customerId: CUSTOMER,
    clientSecret: provider === 'stripe' ? 'pi_1_secret_2' : null,
    publishableKey: provider === 'stripe' ? 'pk_test_stripe' : null,
    nextAction: null,
    lastError: null,
    refundStatus: null,
    createdAt: '2030-05-01T13:00:00.000Z',
    paidAt: null,
    refundedAt: null,
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.method === 'POST' ? JSON.parse((await request.text()) || '{}') : undefined;
    requests.push({ method: request.method, path: url.pathname, body });
    if (request.method === 'POST' && url.pathname === '/v1/payments') {
      const method = (body as { paymentMethod?: string }).paymentMethod;
      if (method === 'pm_card_visa') payment = { ...payment, status: 'succeeded', paidAt: payment.createdAt };
      if (method === 'pm_card_declined') {
        payment = { ...payment, lastError: { code: 'card_declined', message: 'Your card was declined.' } };
      }
      if (method === 'pm_card_requires_action') {
        payment = {
          ...payment,
          status: 'requires_action',
          lastError: null,
          nextAction: {
            type: 'authenticate',
            url: '/v1/test-provider/intents/tpi_1/authenticate',
            token: 'tok_1',
          },
        };
      }
      return json(200, payment);
    }
    if (request.method === 'GET' && url.pathname === `/v1/payments/${PAYMENT}`) return json(200, payment);
    if (request.method === 'POST' && url.pathname === '/v1/test-provider/intents/tpi_1/authenticate') {
      const approve = (body as { result: string }).result === 'approve';
      payment = approve
        ? { ...payment, status: 'succeeded', nextAction: null, paidAt: payment.createdAt }
        : {
            ...payment,
            status: 'requires_payment_method',
            nextAction: null,
            lastError: { code: 'authentication_failed', message: 'Not authenticated.' },
          };
      return json(200, { id: 'tpi_1', status: approve ? 'succeeded' : 'requires_payment_method' });
    }
    return json(404, { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found' });
  };
  setFetchForTesting(fetch as typeof globalThis.fetch);
  return { requests };
}

function mountStep(): PaymentStep {
  return mount<PaymentStep>(
    `<payment-step reservation="${RESERVATION}" api="${API}" publishable-key="${KEY}" customer-token="ct_1"></payment-step>`,
  );
}

async function inStatus(el: PaymentStep, status: string): Promise<void> {
  await waitForAttribute(el, 'status', status);
  await el.updateComplete;
}

function choose(el: PaymentStep, label: RegExp): void {
  const radios = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type="radio"]')];
  const radio = radios.find((r) => label.test(text(r.parentElement!)));
  ok(radio, `a radio labelled ${label}`);
  radio.click();
}

describe('<payment-step>', () => {
  it('opens the payment, shows the amount and pays with the succeeding test card', async () => {
    const { requests } = fakePayments();
    const el = mountStep();
    await inStatus(el, 'ready');
    match(text(part(el, 'amount')), /25\.00/);
    equal(requests[0]!.path, '/v1/payments');
    await expectAccessible(el);
    const succeeded = nextEvent<PaymentSucceedEvent>(el, 'ds-payment-succeed');
    button(el, /Pay/)!.click();
    const event = await succeeded;
    equal(event.detail.paymentId, PAYMENT);
    equal(event.detail.reservationId, RESERVATION);
    await inStatus(el, 'succeeded');
    match(text(part(el, 'status')), /Paid/);
    equal((requests.at(-1)!.body as { paymentMethod: string }).paymentMethod, 'pm_card_visa');
    await expectAccessible(el);
  });

  it('shows a declined card as an alert and lets the customer pay with another', async () => {
    fakePayments();
    const el = mountStep();
    await inStatus(el, 'ready');
    const events = recordEvents(el, 'ds-payment-fail');
    choose(el, /Declined/);
    button(el, /Pay/)!.click();
    await waitForAttribute(el, 'status', 'ready');
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    match(text(part(el, 'error')), /declined/);
    equal(part(el, 'error')!.getAttribute('role'), 'alert');
    equal((events[0] as PaymentFailEvent).detail.code, 'card_declined');
    await expectAccessible(el);
    choose(el, /Visa/);
    button(el, /Pay/)!.click();
    await inStatus(el, 'succeeded');
  });

  it('runs the authentication step of a card that asks for it', async () => {
    const { requests } = fakePayments();
    const el = mountStep();
    await inStatus(el, 'ready');
    choose(el, /authentication/);
    button(el, /Pay/)!.click();
    await inStatus(el, 'action');
    await expectAccessible(el);
    part(el, 'approve')!.click();
    await inStatus(el, 'succeeded');
    const step = requests.find((r) => r.path.endsWith('/authenticate'))!;
    equal(JSON.stringify(step.body), JSON.stringify({ token: 'tok_1', result: 'approve' }));
  });

  it('loads Stripe.js only when a card payment starts', async () => {
    fakePayments('stripe');
    const el = mountStep();
    await inStatus(el, 'ready');
    equal(document.querySelector(`script[src="${STRIPE_JS}"]`), null, 'not loaded before the payment starts');
    button(el, /card/)!.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    ok(document.querySelector(`script[src="${STRIPE_JS}"]`), 'a script tag for Stripe.js');
  });
});
