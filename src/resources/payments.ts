import type { RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import { Payment, type PaymentCreate } from '../schemas/payments.js';
import { Invoice } from '../schemas/rentals.js';
import { seg } from './shared.js';

/**
 * Payments (`/v1/payments`): pay a held reservation of a paid drop or a rental invoice. A payment succeeds only when
 * the provider's signed webhook reaches the server; then the hold is confirmed, or the invoice paid and the rental
 * confirmed. Read it again (or watch the reservation) to see the outcome.
 *
 * With the built-in test provider pass a test `paymentMethod` (`pm_card_visa`, `pm_card_declined`,
 * `pm_card_requires_action`); with Stripe, confirm `clientSecret` in the page with Stripe.js.
 *
 * @example
 * ```ts
 * import { createClient, ConflictError } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
 * const hold = await client.reservations.create({ slotId });
 * const payment = await client.payments.create({ reservationId: hold.id, paymentMethod: 'pm_card_visa' });
 * if (payment.status === 'succeeded') console.log('confirmed');
 * else if (payment.status === 'requires_action') console.log('authenticate at', payment.nextAction?.url);
 * ```
 */
export interface PaymentsResource {
  /**
   * The payment of a reservation or an invoice (`POST /v1/payments`), created on the first call and answered again on
   * the next ones. Fails with `ConflictError` `already_paid`, `hold_expired`, `payment_not_required`, `invalid_state`.
   */
  create(body: PaymentCreate, options?: RequestOptions): Promise<Payment>;
  /** Reads one payment (`GET /v1/payments/{id}`). */
  retrieve(id: string, options?: RequestOptions): Promise<Payment>;
}

/** Invoices of rental orders (`GET /v1/invoices/{id}`). */
export interface InvoicesResource {
  /** Reads one invoice: amount due, amount paid, `open` | `paid` | `void`. */
  retrieve(id: string, options?: RequestOptions): Promise<Invoice>;
}

export function paymentsResource(t: Transport): PaymentsResource {
  return {
    create: (body, options) =>
      t.request({ method: 'POST', path: 'payments', body, schema: Payment }, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `payments/${seg(id)}`, schema: Payment }, options),
  };
}

export function invoicesResource(t: Transport): InvoicesResource {
  return {
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `invoices/${seg(id)}`, schema: Invoice }, options),
  };
}
