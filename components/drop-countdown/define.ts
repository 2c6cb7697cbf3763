/** Registers `<drop-countdown>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { DropCountdown } from './drop-countdown.js';

define('drop-countdown', DropCountdown);

declare global {
  interface HTMLElementTagNameMap {
    'drop-countdown': DropCountdown;
  }
}

export { DropCountdown };
