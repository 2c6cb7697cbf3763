/** Events of `<slot-picker>`. */
import type { Reservation } from '../../src/schemas/reservations.js';
import type { WaitlistEntry } from '../../src/schemas/waitlist.js';
import { DropSlotEvent } from '../internal/events.js';

/** `ds-reserve`: the shopper took a hold on a slot. `detail.reservation` is the PENDING reservation (with `expiresAt`). */
export class ReserveEvent extends DropSlotEvent<{ reservation: Reservation }> {
  static readonly eventName = 'ds-reserve';
  constructor(reservation: Reservation) {
    super(ReserveEvent.eventName, { reservation });
  }
}

/** `ds-hold-expire`: a hold (or a waitlist promotion's hold) ran out before it was confirmed, on server time. */
export class HoldExpireEvent extends DropSlotEvent<{ reservationId: string }> {
  static readonly eventName = 'ds-hold-expire';
  constructor(reservationId: string) {
    super(HoldExpireEvent.eventName, { reservationId });
  }
}

/** `ds-waitlist-join`: the shopper joined a full slot's waitlist. `detail.entry.position` is their place in line. */
export class WaitlistJoinEvent extends DropSlotEvent<{ entry: WaitlistEntry }> {
  static readonly eventName = 'ds-waitlist-join';
  constructor(entry: WaitlistEntry) {
    super(WaitlistJoinEvent.eventName, { entry });
  }
}

/**
 * `ds-waitlist-promote`: a place freed up and the shopper's waitlist entry was promoted to a hold. `detail.entry` has the
 * `reservationId` and the `claimDeadline`.
 */
export class WaitlistPromoteEvent extends DropSlotEvent<{ entry: WaitlistEntry }> {
  static readonly eventName = 'ds-waitlist-promote';
  constructor(entry: WaitlistEntry) {
    super(WaitlistPromoteEvent.eventName, { entry });
  }
}

/** `ds-confirm`: the shopper confirmed a hold or claimed a promotion. `detail.reservation` is CONFIRMED. */
export class ConfirmEvent extends DropSlotEvent<{ reservation: Reservation }> {
  static readonly eventName = 'ds-confirm';
  constructor(reservation: Reservation) {
    super(ConfirmEvent.eventName, { reservation });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-reserve': ReserveEvent;
    'ds-hold-expire': HoldExpireEvent;
    'ds-waitlist-join': WaitlistJoinEvent;
    'ds-waitlist-promote': WaitlistPromoteEvent;
    'ds-confirm': ConfirmEvent;
  }
}
