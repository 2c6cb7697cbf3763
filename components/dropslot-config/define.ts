/** Registers `<dropslot-config>` (the only side effect of this element). */
import { define } from '../internal/define.js';
import { DropslotConfig } from './dropslot-config.js';

define('dropslot-config', DropslotConfig);

declare global {
  interface HTMLElementTagNameMap {
    'dropslot-config': DropslotConfig;
  }
}

export { DropslotConfig };
