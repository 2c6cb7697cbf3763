/** Registers `<payment-step>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { PaymentStep } from './payment-step.js';

define('payment-step', PaymentStep);

declare global {
  interface HTMLElementTagNameMap {
    'payment-step': PaymentStep;
  }
}

export { PaymentStep };
