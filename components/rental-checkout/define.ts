/** Registers `<rental-checkout>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { RentalCheckout } from './rental-checkout.js';

define('rental-checkout', RentalCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'rental-checkout': RentalCheckout;
  }
}

export { RentalCheckout };
