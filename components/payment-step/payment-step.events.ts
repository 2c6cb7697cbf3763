/** Events of `<payment-step>`. */
import type { Payment } from '../../src/schemas/payments.js';
import { DropSlotEvent } from '../internal/events.js';

/** `ds-payment-succeed`: the provider's signed webhook settled the payment (`detail.payment.status` is `succeeded`). */
export class PaymentSucceedEvent extends DropSlotEvent<{ payment: Payment }> {
  static readonly eventName = 'ds-payment-succeed';
  constructor(payment: Payment) {
    super(PaymentSucceedEvent.eventName, { payment });
  }
}

/** `ds-payment-fail`: an attempt was declined or refused (`detail.code`); the shopper may try again. */
export class PaymentFailEvent extends DropSlotEvent<{ code: string }> {
  static readonly eventName = 'ds-payment-fail';
  constructor(code: string) {
    super(PaymentFailEvent.eventName, { code });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-payment-succeed': PaymentSucceedEvent;
    'ds-payment-fail': PaymentFailEvent;
  }
}
