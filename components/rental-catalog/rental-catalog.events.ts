/** Events of `<rental-catalog>`. */
import type { Product } from '../../src/schemas/products.js';
import { DropSlotEvent } from '../internal/events.js';

/** `ds-rental-select`: the shopper chose a product to rent (`detail.product`). */
export class RentalSelectEvent extends DropSlotEvent<{ product: Product }> {
  static readonly eventName = 'ds-rental-select';
  constructor(product: Product) {
    super(RentalSelectEvent.eventName, { product });
  }
}

declare global {
  interface HTMLElementEventMap {
    'ds-rental-select': RentalSelectEvent;
  }
}
