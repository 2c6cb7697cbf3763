/** Events of `<reservation-ticket>`. */
import type { ReservationState } from '../../src/schemas/reservations.js';
import { DropSlotEvent } from '../internal/events.js';

export interface TicketUpdateDetail {
  /** The reservation shown. */
  reservationId: string;
  /** Its state now. */
  state: ReservationState;
  /** Its state before this update; `null` on the first load. */
  previousState: ReservationState | null;
}

/**
 * `ds-ticket-update`: the ticket loaded, or the reservation's state changed while it was shown (for example
 * `CONFIRMED` → `CHECKED_IN` after the door scanned it).
 */
export class TicketUpdateEvent extends DropSlotEvent<TicketUpdateDetail> {
  static readonly eventName = 'ds-ticket-update';
  constructor(detail: TicketUpdateDetail) {
    super(TicketUpdateEvent.eventName, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-ticket-update': TicketUpdateEvent;
  }
}
