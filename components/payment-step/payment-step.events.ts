/** Events of `<payment-step>`. */
import { DropSlotEvent } from '../internal/events.js';

export interface PaymentSucceedDetail {
  paymentId: string;
  reservationId: string | null;
  invoiceId: string | null;
}

/** `ds-payment-succeed`: the provider's webhook confirmed the payment (the hold is confirmed, or the invoice paid). */
export class PaymentSucceedEvent extends DropSlotEvent<PaymentSucceedDetail> {
  static readonly eventName = 'ds-payment-succeed';
  constructor(detail: PaymentSucceedDetail) {
    super(PaymentSucceedEvent.eventName, detail);
  }
}

export interface PaymentFailDetail {
  paymentId: string;
  /** The provider's reason (`card_declined`, `authentication_failed`, …). */
  code: string;
}

/** `ds-payment-fail`: an attempt failed; the customer may try another card. */
export class PaymentFailEvent extends DropSlotEvent<PaymentFailDetail> {
  static readonly eventName = 'ds-payment-fail';
  constructor(detail: PaymentFailDetail) {
    super(PaymentFailEvent.eventName, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-payment-succeed': PaymentSucceedEvent;
    'ds-payment-fail': PaymentFailEvent;
  }
}
