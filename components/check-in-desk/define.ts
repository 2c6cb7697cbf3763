/** Registers `<check-in-desk>` (once; a second load of the script only warns). */
import { define } from '../internal/define.js';
import { CheckInDesk } from './check-in-desk.js';

define('check-in-desk', CheckInDesk);

declare global {
  interface HTMLElementTagNameMap {
    'check-in-desk': CheckInDesk;
  }
}

export { CheckInDesk };
