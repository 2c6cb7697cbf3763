import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Payment } from '../../src/schemas/payments.js';
import { DropSlotElement } from '../internal/base.js';
import { numberFormat } from '../internal/duration.js';
import { pageFetch } from '../internal/fetch.js';
import { baseStyles } from '../internal/tokens.styles.js';
import { PaymentFailEvent, PaymentSucceedEvent } from './payment-step.events.js';
import { paymentMessage, type PaymentMessageKey } from './payment-step.messages.js';
import { paymentStyles } from './payment-step.styles.js';
import { loadStripe, type StripeJs } from './stripe-loader.js';

/** What the step shows; reflected as the host's `status` attribute. */
export type PaymentStepStatus =
  'loading' | 'ready' | 'paying' | 'action' | 'card' | 'processing' | 'succeeded' | 'nothing' | 'error';

const TEST_METHODS = [
  ['pm_card_visa', 'visa'],
  ['pm_card_declined', 'declined'],
  ['pm_card_requires_action', 'action'],
] as const;

/**
 * Pays a held reservation of a paid drop, or a rental invoice. It opens the payment (`POST /v1/payments`) to show the
 * amount, then: with the built-in test provider, a choice of test cards and the authentication step a card may ask
 * for; with Stripe, the Payment Element — Stripe.js is loaded by a script tag only when the customer starts a card
 * payment. The payment succeeds when the provider's signed webhook reaches the server; the step then fires
 * `ds-payment-succeed`.
 *
 * @summary Pay a hold or a rental invoice (test provider or Stripe).
 *
 * @attribute status - Reflected, read-only: `loading`, `ready`, `paying`, `action`, `card`, `processing`,
 * `succeeded`, `nothing` or `error`.
 *
 * @csspart base - The card (`<section>`).
 * @csspart title - The heading.
 * @csspart amount - The amount to pay.
 * @csspart methods - The test card choice (`<fieldset>`).
 * @csspart pay - The pay button.
 * @csspart card - Where Stripe's Payment Element is mounted.
 * @csspart approve - The authentication step's confirm button.
 * @csspart deny - The authentication step's cancel button.
 * @csspart status - The status line (a live region).
 * @csspart error - The reason of a failed attempt or of an error.
 * @csspart retry - The "Try again" button of the error state.
 *
 * @cssprop --ds-color-accent - The pay button. Default `#1f5eff`.
 * @cssprop --ds-color-danger - Errors. Default `#b3261e`.
 * @cssprop --ds-color-success - The paid state. Default `#1b7a3a`.
 *
 * @fires {PaymentSucceedEvent} ds-payment-succeed - The payment succeeded; detail `{ paymentId, reservationId, invoiceId }`.
 * @fires {PaymentFailEvent} ds-payment-fail - An attempt failed; detail `{ paymentId, code }`.
 */
export class PaymentStep extends DropSlotElement {
  static override styles = [baseStyles, paymentStyles];

  /** Id of the held reservation to pay. */
  @property() reservation?: string;

  /** Id of the rental invoice to pay (used when `reservation` is not set). */
  @property() invoice?: string;

  /** What the step shows now (also the host's `status` attribute). */
  get status(): PaymentStepStatus {
    return this._status;
  }

  @state() private _status: PaymentStepStatus = 'loading';
  @state() private _payment?: Payment;
  @state() private _method: string = TEST_METHODS[0][0];
  @state() private _message?: string;

  #stripe?: { stripe: StripeJs; elements: unknown };

  #t(key: PaymentMessageKey, vars?: Record<string, string | number>): string {
    return paymentMessage(this.resolvedLocale, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('_status' as keyof PaymentStep)) this.setAttribute('status', this._status);
  }

  #openedFor?: string;

  protected override updated(): void {
    // Opens the payment once the element knows its target and its API (the page configuration may come later).
    const target = this.#target();
    const key = target && this.client ? `${this.settings.api}|${JSON.stringify(target)}` : undefined;
    if (key && key !== this.#openedFor) {
      this.#openedFor = key;
      void this.#open();
    }
  }

  #target(): { reservationId: string } | { invoiceId: string } | undefined {
    if (this.reservation) return { reservationId: this.reservation };
    if (this.invoice) return { invoiceId: this.invoice };
    return undefined;
  }

  /** Opens (or finds) the payment, to show its amount. */
  async #open(): Promise<void> {
    const client = this.client;
    const target = this.#target();
    if (!client || !target) return;
    this._status = 'loading';
    try {
      this.#show(await client.payments.create(target));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'already_paid') this._status = 'succeeded';
      else if (code === 'payment_not_required') this._status = 'nothing';
      else this.#fail(error);
    }
  }

  #show(payment: Payment): void {
    const previous = this._payment;
    this._payment = payment;
    this._message = undefined;
    if (payment.status === 'succeeded') {
      this._status = 'succeeded';
      this.dispatchEvent(
        new PaymentSucceedEvent({
          paymentId: payment.id,
          reservationId: payment.reservationId,
          invoiceId: payment.invoiceId,
        }),
      );
    } else if (payment.status === 'requires_action' && payment.nextAction) {
      this._status = 'action';
    } else if (payment.status === 'processing') {
      this._status = 'processing';
      setTimeout(() => void this.#refresh(), 1500);
    } else {
      this._status = this.#stripe ? 'card' : 'ready';
      if (payment.lastError && payment.lastError.code !== previous?.lastError?.code) {
        this._message = this.#t('failed', { reason: payment.lastError.message });
        this.dispatchEvent(new PaymentFailEvent({ paymentId: payment.id, code: payment.lastError.code }));
      } else if (payment.lastError) {
        this._message = this.#t('failed', { reason: payment.lastError.message });
      }
    }
  }

  async #refresh(): Promise<void> {
    if (!this._payment || !this.isConnected) return;
    try {
      this.#show(await this.client!.payments.retrieve(this._payment.id));
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this._status = 'error';
    this._message = (error as { message?: string }).message ?? this.#t('error');
  }

  async #pay(event: Event): Promise<void> {
    event.preventDefault();
    const payment = this._payment;
    const target = this.#target();
    if (!payment || !target) return;
    if (payment.provider === 'stripe') return this.#startCard(payment);
    this._status = 'paying';
    try {
      this.#show(await this.client!.payments.create({ ...target, paymentMethod: this._method }));
    } catch (error) {
      this.#fail(error);
    }
  }

  async #startCard(payment: Payment): Promise<void> {
    if (!payment.clientSecret || !payment.publishableKey) return this.#fail(new Error(this.#t('error')));
    this._status = 'paying';
    try {
      if (!this.#stripe) {
        const Stripe = await loadStripe();
        const stripe = Stripe(payment.publishableKey);
        const elements = stripe.elements({ clientSecret: payment.clientSecret });
        this._status = 'card';
        await this.updateComplete;
        elements.create('payment').mount(this.renderRoot.querySelector<HTMLElement>('[part="card"]')!);
        this.#stripe = { stripe, elements };
        return;
      }
      const result = await this.#stripe.stripe.confirmPayment({
        elements: this.#stripe.elements,
        redirect: 'if_required',
      });
      if (result.error) {
        this._status = 'card';
        this._message = this.#t('failed', { reason: result.error.message ?? result.error.code ?? '' });
        return;
      }
      this._status = 'processing';
      await this.#refresh();
    } catch (error) {
      this.#fail(error);
    }
  }

  async #authenticate(result: 'approve' | 'deny'): Promise<void> {
    const action = this._payment?.nextAction;
    const api = this.settings.api;
    if (!action || !api) return;
    this._status = 'paying';
    try {
      const response = await pageFetch(new URL(action.url, api), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: action.token, result }),
      });
      if (!response.ok) throw new Error(this.#t('error'));
      await this.#refresh();
    } catch (error) {
      this.#fail(error);
    }
  }

  #amount(): string {
    const p = this._payment;
    if (!p) return '';
    const format = numberFormat(this.resolvedLocale, { style: 'currency', currency: p.currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(p.amount / 10 ** digits);
  }

  protected override render(): TemplateResult {
    const amount = this.#amount();
    return html`<section
      part="base"
      class="base"
      aria-labelledby="title"
      aria-busy=${this._status === 'loading' || this._status === 'paying'}
    >
      <h2 id="title" part="title" class="title">${this.#t('title')}</h2>
      ${amount ? html`<p part="amount" class="amount">${this.#t('amount', { amount })}</p>` : nothing}
      ${this.#body(amount)}
      <p part="status" class="status ${this._status === 'succeeded' ? 'succeeded' : ''}" role="status">
        ${this.#statusText()}
      </p>
      ${this._message ? html`<p part="error" class="error" role="alert">${this._message}</p>` : nothing}
    </section>`;
  }

  #statusText(): string {
    switch (this._status) {
      case 'loading':
        return this.#t('loading');
      case 'paying':
        return this.#t('paying');
      case 'processing':
        return this.#t('processing');
      case 'succeeded':
        return this.#t('succeeded');
      case 'nothing':
        return this.#t('nothing');
      default:
        return '';
    }
  }

  #body(amount: string): TemplateResult | typeof nothing {
    const busy = this._status === 'paying';
    if (this._status === 'error') {
      return html`<div class="actions">
        <button part="retry" @click=${() => void this.#open()}>${this.#t('retry')}</button>
      </div>`;
    }
    if (this._status === 'action') {
      return html`<p>${this.#t('authenticate')}</p>
        <div class="actions">
          <button part="approve" class="primary" @click=${() => void this.#authenticate('approve')}>
            ${this.#t('approve')}
          </button>
          <button part="deny" @click=${() => void this.#authenticate('deny')}>${this.#t('deny')}</button>
        </div>`;
    }
    if (this._status === 'card' || (this._payment?.provider === 'stripe' && this.#stripe)) {
      return html`<div part="card"></div>
        <div class="actions">
          <button part="pay" class="primary" ?disabled=${busy} @click=${(e: Event) => void this.#pay(e)}>
            ${this.#t('confirm')}
          </button>
        </div>`;
    }
    if ((this._status !== 'ready' && this._status !== 'paying') || !this._payment) return nothing;
    if (this._payment.provider === 'stripe') {
      return html`<div class="actions">
        <button part="pay" class="primary" ?disabled=${busy} @click=${(e: Event) => void this.#pay(e)}>
          ${this.#t('card')}
        </button>
      </div>`;
    }
    return html`<form @submit=${(e: Event) => void this.#pay(e)}>
      <fieldset part="methods">
        <legend>${this.#t('method')}</legend>
        ${TEST_METHODS.map(
          ([value, key]) =>
            html`<label>
              <input
                type="radio"
                name="method"
                .value=${value}
                .checked=${this._method === value}
                ?disabled=${busy}
                @change=${() => (this._method = value)}
              />
              ${this.#t(key)}
            </label>`,
        )}
      </fieldset>
      <div class="actions">
        <button part="pay" class="primary" type="submit" ?disabled=${busy}>
          ${this.#t('pay', { amount })}
        </button>
      </div>
    </form>`;
  }
}
