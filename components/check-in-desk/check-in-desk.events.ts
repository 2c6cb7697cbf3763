/** Events of `<check-in-desk>`. */
import type { Handover } from '../../src/schemas/rentals.js';
import type { Reservation } from '../../src/schemas/reservations.js';
import { DropSlotEvent } from '../internal/events.js';

export interface CheckInDetail {
  reservationId: string;
  /** When the ticket was checked in (ISO 8601, server time). */
  checkedInAt: string;
  reservation: Reservation;
}

/** `ds-check-in`: a ticket was checked in. */
export class CheckInEvent extends DropSlotEvent<CheckInDetail> {
  static readonly eventName = 'ds-check-in';
  constructor(detail: CheckInDetail) {
    super(CheckInEvent.eventName, detail);
  }
}

export interface CheckInFailDetail {
  /** The problem code: `qr_already_used`, `qr_invalid`, `invalid_state`, … (`error` when there was none). */
  code: string;
  /** For `qr_already_used`: when the ticket was first used (ISO 8601). */
  firstUsedAt?: string | undefined;
}

/** `ds-check-in-fail`: a code was refused (already used, not a ticket, not checkable) or the request failed. */
export class CheckInFailEvent extends DropSlotEvent<CheckInFailDetail> {
  static readonly eventName = 'ds-check-in-fail';
  constructor(detail: CheckInFailDetail) {
    super(CheckInFailEvent.eventName, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-check-in': CheckInEvent;
    'ds-check-in-fail': CheckInFailEvent;
    'ds-handover': HandoverEvent;
  }
}

/** `ds-handover`: a rental's pickup or return code was verified (`detail.handover.type`, `detail.handover.rental`). */
export class HandoverEvent extends DropSlotEvent<{ handover: Handover }> {
  static readonly eventName = 'ds-handover';
  constructor(handover: Handover) {
    super(HandoverEvent.eventName, { handover });
  }
}
