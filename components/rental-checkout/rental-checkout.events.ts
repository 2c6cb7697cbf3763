/** Events of `<rental-checkout>`. */
import type { RentalOrder, RentalQuote } from '../../src/schemas/rentals.js';
import { DropSlotEvent } from '../internal/events.js';

/** `ds-rental-quote`: a new price for the chosen dates, quantity, promo code and points. */
export class RentalQuoteEvent extends DropSlotEvent<{ quote: RentalQuote }> {
  static readonly eventName = 'ds-rental-quote';
  constructor(quote: RentalQuote) {
    super(RentalQuoteEvent.eventName, { quote });
  }
}

/** `ds-rental-book`: the order was created (`pending_payment`): units held, invoice issued. */
export class RentalBookEvent extends DropSlotEvent<{ order: RentalOrder }> {
  static readonly eventName = 'ds-rental-book';
  constructor(order: RentalOrder) {
    super(RentalBookEvent.eventName, { order });
  }
}

/** `ds-rental-confirm`: the order is confirmed; `detail.order.qrToken` is the pickup code. */
export class RentalConfirmEvent extends DropSlotEvent<{ order: RentalOrder }> {
  static readonly eventName = 'ds-rental-confirm';
  constructor(order: RentalOrder) {
    super(RentalConfirmEvent.eventName, { order });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-rental-quote': RentalQuoteEvent;
    'ds-rental-book': RentalBookEvent;
    'ds-rental-confirm': RentalConfirmEvent;
  }
}
