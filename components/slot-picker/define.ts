/** Registers `<slot-picker>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { SlotPicker } from './slot-picker.js';

define('slot-picker', SlotPicker);

declare global {
  interface HTMLElementTagNameMap {
    'slot-picker': SlotPicker;
  }
}

export { SlotPicker };
