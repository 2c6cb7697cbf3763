/** Events of `<drop-countdown>`. */
import { DropSlotEvent } from '../internal/events.js';

/** Detail of {@link CountdownEndEvent}. */
export interface CountdownEndDetail {
  /** The drop's id, when the countdown was given one. */
  dropId: string | undefined;
  /** The start it counted down to (ISO 8601, UTC). */
  startsAt: string;
}

/**
 * `ds-countdown-end`: the countdown reached the drop's start on server time (fired once, when it flips from `upcoming`
 * to `live` while the page watches). Bubbles and is composed.
 */
export class CountdownEndEvent extends DropSlotEvent<CountdownEndDetail> {
  static readonly eventName = 'ds-countdown-end';
  constructor(detail: CountdownEndDetail) {
    super(CountdownEndEvent.eventName, detail);
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-countdown-end': CountdownEndEvent;
  }
}
