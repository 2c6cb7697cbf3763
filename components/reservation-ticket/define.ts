/** Registers `<reservation-ticket>` (once; a second load of the script only warns). */
import { define } from '../internal/define.js';
import { ReservationTicket } from './reservation-ticket.js';

define('reservation-ticket', ReservationTicket);

declare global {
  interface HTMLElementTagNameMap {
    'reservation-ticket': ReservationTicket;
  }
}

export { ReservationTicket };
