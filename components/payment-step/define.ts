/** Registers `<payment-step>` (once; a second load of the script only warns). */
import { define } from '../internal/define.js';
import { PaymentStep } from './payment-step.js';

define('payment-step', PaymentStep);

declare global {
  interface HTMLElementTagNameMap {
    'payment-step': PaymentStep;
  }
}

export { PaymentStep };
