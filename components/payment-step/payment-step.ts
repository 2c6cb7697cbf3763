import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Payment } from '../../src/schemas/payments.js';
import { formatMoney } from '../../src/money.js';
import { DropSlotElement } from '../internal/base.js';
import { pageFetch } from '../internal/fetch.js';
import { isRtl } from '../internal/i18n.js';
import { OnlineRetry } from '../internal/online-retry.js';
import { baseStyles } from '../internal/tokens.styles.js';
import { ConnectionError, TimeoutError } from '../../src/errors.js';
import { declineMessageKey, paymentMessage, type PaymentMessageKey } from './messages.js';
import { loadStripe, type StripeLike } from './stripe.js';
import { PaymentFailEvent, PaymentSucceedEvent } from './payment-step.events.js';

/**
 * The designed states of `<payment-step>`, reflected as `state`: `loading`, `ready` (choose and pay), `paying`,
 * `action` (the bank's confirmation step), `processing` (waiting for the provider's webhook), `succeeded`, `declined`
 * (try another card), `timeout` (no answer yet; check again), `error` (with Retry).
 */
export type PaymentStepState =
  'loading' | 'ready' | 'paying' | 'action' | 'processing' | 'succeeded' | 'declined' | 'timeout' | 'error';

/** The test provider's payment methods, as its docs name them. */
const TEST_METHODS: [string, PaymentMessageKey][] = [
  ['pm_card_visa', 'payCardVisa'],
  ['pm_card_declined', 'payCardDeclined'],
  ['pm_card_requires_action', 'payCardAction'],
];
const POLL_MS = 400;
const POLL_LIMIT_MS = 30_000;

/**
 * Pays a held reservation (`reservation="…"`) or a rental invoice (`invoice="…"`) for the signed-in customer. With the
 * built-in test provider it offers the test cards (success, decline, the bank's confirmation step); with Stripe it loads
 * Stripe.js — only now, never in the main bundle — and mounts the Payment Element with the payment's client secret. A
 * payment succeeds only when the provider's signed webhook reaches the server: the step waits for that, then fires
 * `ds-payment-succeed`. `<slot-picker>` and `<rental-checkout>` show it by themselves when a payment is due.
 *
 * @summary Pay a reservation or a rental invoice: test cards or Stripe's Payment Element.
 *
 * @fires ds-payment-succeed - The payment succeeded (`detail.payment`).
 * @fires ds-payment-fail - An attempt was declined or failed (`detail.code`).
 * @csspart base - The step's content box.
 * @csspart methods - The test card choices.
 * @csspart card-element - Where Stripe's Payment Element is mounted.
 * @csspart notice - A message about the current state.
 * @csspart button - Any button. `button-primary` marks the main action.
 */
export class PaymentStep extends DropSlotElement {
  static override styles = [
    baseStyles,
    css`
      [part~='base'] {
        display: grid;
        gap: calc(var(--_space) * 1.5);
      }
      p,
      fieldset {
        margin: 0;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        padding: var(--_space) calc(var(--_space) * 1.5);
        display: grid;
        gap: 4px;
      }
      label {
        display: flex;
        align-items: center;
        gap: var(--_space);
        min-block-size: 44px;
      }
      input[type='radio'] {
        inline-size: 20px;
        block-size: 20px;
      }
      .danger {
        color: var(--_danger);
      }
      .success {
        color: var(--_success);
        font-weight: 600;
      }
      [part~='actions'] {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
      }
      [part~='card-element'] {
        min-block-size: 44px;
      }
    `,
  ];

  /** The held reservation to pay. */
  @property() reservation?: string;
  /** The rental invoice to pay. */
  @property() invoice?: string;
  /** Read-only: the designed state. */
  @property({ reflect: true }) state: PaymentStepState = 'loading';

  @state() private _payment?: Payment;
  @state() private _method = 'pm_card_visa';
  /** The provider's refusal code of the last attempt (said in plain words, see `declineMessageKey`). */
  @state() private _declined?: string;
  /** The last step failed because the device is offline: it runs again once the browser is back online. */
  @state() private _offline = false;

  #started = false;
  /** Runs the failed step again once the browser is back online. */
  readonly #onlineRetry = new OnlineRetry(this, (offline) => (this._offline = offline));
  #stripe?: { stripe: StripeLike; elements: unknown };
  #cardHost?: HTMLElement;

  #t(key: PaymentMessageKey, vars?: Record<string, string | number>): string {
    return paymentMessage(this.resolvedLocale, key, vars);
  }

  get #target(): { reservationId: string } | { invoiceId: string } | undefined {
    if (this.reservation) return { reservationId: this.reservation };
    if (this.invoice) return { invoiceId: this.invoice };
    return undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed); // applies a `customer-token` given to this element to the page's session
    if (!this.#started && this.client && this.#target) {
      this.#started = true;
      void this.#open();
    }
  }

  protected override updated(): void {
    const host = this.renderRoot.querySelector<HTMLElement>('[part~="card-element"]');
    if (host && this.#stripe && host !== this.#cardHost) {
      this.#cardHost = host;
      (this.#stripe.elements as { create(type: string): { mount(el: HTMLElement): void } })
        .create('payment')
        .mount(host);
    }
  }

  #money(payment: Payment): string {
    return formatMoney(payment.amount, payment.currency, this.resolvedLocale);
  }

  /** Opens (or finds) the target's live payment: it says which provider takes it. */
  async #open(): Promise<void> {
    const client = this.client!;
    this.state = 'loading';
    try {
      const payment = await client.payments.create({ ...this.#target! });
      this._payment = payment;
      if (payment.status === 'succeeded') return this.#succeeded(payment);
      if (payment.provider === 'stripe') {
        if (!payment.clientSecret || !payment.publishableKey)
          throw new Error('Stripe payment without client secret');
        const stripe = await loadStripe(payment.publishableKey);
        this.#stripe = { stripe, elements: stripe.elements({ clientSecret: payment.clientSecret }) };
      }
      this.#settle(payment);
    } catch (error) {
      this.state = 'error';
      if (offline(error)) this.#onlineRetry.schedule(this.#retry);
    }
  }

  /** Moves to the state a payment's status calls for. */
  #settle(payment: Payment): void {
    this._payment = payment;
    switch (payment.status) {
      case 'succeeded':
        this.#succeeded(payment);
        return;
      case 'requires_action':
        this.state = 'action';
        return;
      case 'processing':
        this.state = 'processing';
        void this.#poll(payment.id);
        return;
      case 'requires_payment_method':
        if (payment.lastError) {
          this._declined = payment.lastError.code;
          this.state = 'declined';
          this.dispatchEvent(new PaymentFailEvent(payment.lastError.code));
        } else {
          this.state = 'ready';
        }
        return;
      default:
        this.state = 'error';
        this.dispatchEvent(new PaymentFailEvent(payment.status));
    }
  }

  #succeeded(payment: Payment): void {
    this._payment = payment;
    this.state = 'succeeded';
    this.dispatchEvent(new PaymentSucceedEvent(payment));
  }

  /** Waits for the provider's webhook to settle the payment (the server's record is the truth). */
  async #poll(id: string): Promise<void> {
    const client = this.client!;
    const deadline = Date.now() + POLL_LIMIT_MS;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!this.isConnected) return;
      const payment = await client.payments.retrieve(id).catch(() => undefined);
      if (!payment || payment.status === 'processing') continue;
      this.#settle(payment);
      return;
    }
    this.state = 'timeout';
  }

  #pay = async (): Promise<void> => {
    const client = this.client!;
    const payment = this._payment!;
    this.state = 'paying';
    this._declined = undefined;
    this._offline = false;
    try {
      if (payment.provider === 'stripe' && this.#stripe) {
        const result = await this.#stripe.stripe.confirmPayment({
          elements: this.#stripe.elements,
          redirect: 'if_required',
        });
        if (result.error) {
          this._declined = result.error.decline_code ?? result.error.code ?? 'card_error';
          this.state = 'declined';
          this.dispatchEvent(new PaymentFailEvent(result.error.code ?? 'card_error'));
          return;
        }
        this.state = 'processing';
        void this.#poll(payment.id);
        return;
      }
      this.#settle(await client.payments.create({ ...this.#target!, paymentMethod: this._method }));
    } catch (error) {
      if (offline(error)) {
        // Nothing was charged: the card form stays, and the same card is tried again once back online.
        this.state = 'ready';
        this.#onlineRetry.schedule(() => void this.#pay());
      } else {
        this.state = 'error';
      }
    }
  };

  /** The test provider's 3-D Secure-like step: approve or refuse, then wait for its webhook. */
  #authenticate = async (result: 'approve' | 'deny'): Promise<void> => {
    const payment = this._payment!;
    const action = payment.nextAction;
    if (!action) return;
    this.state = 'paying';
    try {
      await authenticate(this.resolvedApi!, action.url, { token: action.token, result });
      this.state = 'processing';
      void this.#poll(payment.id);
    } catch (error) {
      if (offline(error)) {
        this.state = 'action';
        this.#onlineRetry.schedule(() => void this.#authenticate(result));
      } else {
        this.state = 'error';
      }
    }
  };

  #retry = (): void => {
    this.#started = false;
    this.requestUpdate();
  };

  #checkAgain = (): void => {
    if (!this._payment) return;
    this.state = 'processing';
    void this.#poll(this._payment.id);
  };

  protected override render(): TemplateResult {
    const p = this._payment;
    return html`<section
      part="base"
      dir=${isRtl(this.resolvedLocale) ? 'rtl' : 'ltr'}
      aria-labelledby="pay-title"
    >
      <p id="pay-title" class="title"><strong>${this.#t('payTitle')}</strong></p>
      ${p ? html`<p>${this.#t('payAmount', { amount: this.#money(p) })}</p>` : nothing}
      <div role="status" aria-live="polite">${this.#status()}</div>
      ${this.#body()}
    </section>`;
  }

  #status(): TemplateResult | typeof nothing {
    if (this._offline) return html`<p part="notice" class="offline">${this.#t('payOffline')}</p>`;
    switch (this.state) {
      case 'loading':
        return html`<p part="notice">${this.msg('loading')}</p>`;
      case 'processing':
      case 'paying':
        return html`<p part="notice" aria-busy="true">${this.#t('payProcessing')}</p>`;
      case 'succeeded':
        return html`<p part="notice" class="success">${this.#t('paySucceeded')}</p>`;
      case 'declined':
        return html`<p part="notice" class="danger">${this.#t(declineMessageKey(this._declined))}</p>`;
      case 'timeout':
        return html`<p part="notice">${this.#t('payTimeout')}</p>`;
      case 'error':
        return html`<p part="notice" class="danger">${this.#t('payFailed')}</p>`;
      default:
        return nothing;
    }
  }

  #body(): TemplateResult | typeof nothing {
    const p = this._payment;
    if (this.state === 'error') {
      return html`<div part="actions">
        <button part="button button-primary" class="primary" @click=${this.#retry}>
          ${this.msg('retry')}
        </button>
      </div>`;
    }
    if (this.state === 'timeout') {
      return html`<div part="actions">
        <button part="button button-primary" class="primary" @click=${this.#checkAgain}>
          ${this.#t('payCheckAgain')}
        </button>
      </div>`;
    }
    if (!p || (this.state !== 'ready' && this.state !== 'declined' && this.state !== 'action'))
      return nothing;
    if (this.state === 'action') {
      return html`<div part="actions" role="group" aria-label=${this.#t('payActionTitle')}>
        <p>${this.#t('payActionTitle')}</p>
        <button
          part="button button-primary"
          class="primary"
          data-primary
          @click=${() => this.#authenticate('approve')}
        >
          ${this.#t('payApprove')}
        </button>
        <button part="button" @click=${() => this.#authenticate('deny')}>${this.#t('payDeny')}</button>
      </div>`;
    }
    const methods =
      p.provider === 'stripe'
        ? html`<div part="card-element"></div>`
        : html`<fieldset part="methods">
            <legend>${this.#t('payTestCards')}</legend>
            ${TEST_METHODS.map(
              ([value, key]) =>
                html`<label>
                  <input
                    type="radio"
                    name="method"
                    .value=${value}
                    .checked=${this._method === value}
                    @change=${() => (this._method = value)}
                  />
                  ${this.#t(key)}
                </label>`,
            )}
          </fieldset>`;
    return html`${methods}
      <div part="actions">
        <button part="button button-primary" class="primary" data-primary @click=${this.#pay}>
          ${this.#t('payNow', { amount: this.#money(p) })}
        </button>
      </div>`;
  }
}

/** A failure of the connection (the SDK's, or a plain fetch's `TypeError`), not an answer of the server. */
function offline(error: unknown): boolean {
  return ConnectionError.is(error) || TimeoutError.is(error) || error instanceof TypeError;
}

/** Posts the test provider's authentication answer (a public route; `url` is relative to the API base). */
async function authenticate(
  api: string,
  url: string,
  body: { token: string; result: 'approve' | 'deny' },
): Promise<void> {
  // `/v1/test-provider/…`: a path on the API origin (and below its base path, if any).
  const target = url.startsWith('/') ? `${api.replace(/\/$/, '')}${url}` : url;
  const response = await pageFetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`authentication answered ${response.status}`);
}

export * from './payment-step.events.js';
