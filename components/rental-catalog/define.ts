/** Registers `<rental-catalog>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { RentalCatalog } from './rental-catalog.js';

define('rental-catalog', RentalCatalog);

declare global {
  interface HTMLElementTagNameMap {
    'rental-catalog': RentalCatalog;
  }
}

export { RentalCatalog };
