import type { RequestOptions } from '../core.js';
import type { Transport } from '../internal/transport.js';
import {
  Customer,
  CustomerSession,
  type CustomerSessionCreate,
  type SignIn,
  type SignUp,
} from '../schemas/customers.js';
import { CustomerDropState, CustomerRentalState } from '../schemas/customer-state.js';
import { seg } from './shared.js';

/**
 * Customers and their tokens. `signUp`/`signIn` work with the publishable key; `createSession` mints a token for a
 * user of your own login and needs the secret key. The SDK does not switch tokens by itself: pass the session's
 * `token` to {@link DropSlotClient.setCustomerToken}.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const session = await client.customers.signIn({ email, password });
 * client.setCustomerToken(session.token);
 * const me = await client.customers.me();
 * ```
 */
export interface CustomersResource {
  /** Creates an account (`POST /v1/customers/sign-up`) → a session. `ConflictError` `email_taken` if it exists. */
  signUp(body: SignUp, options?: RequestOptions): Promise<CustomerSession>;
  /** Signs in (`POST /v1/customers/sign-in`) → a session. `AuthenticationError` `invalid_credentials` if wrong. */
  signIn(body: SignIn, options?: RequestOptions): Promise<CustomerSession>;
  /** Mints a token for your own logged-in user (`POST /v1/customer-sessions`, secret key; like Stripe's ephemeral keys). */
  createSession(body: CustomerSessionCreate, options?: RequestOptions): Promise<CustomerSession>;
  /** The customer of the current token (`GET /v1/customers/me`). */
  me(options?: RequestOptions): Promise<Customer>;
  /**
   * The signed-in customer's standing in a drop (`GET /v1/customers/me/drops/{dropId}`): reservations that still hold
   * a place and waitlist entries still in line, newest first. Restore a page's state from it after a reload.
   *
   * @example
   * ```ts
   * import { createClient } from 'dropslot';
   *
   * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
   * const { reservations, waitlistEntries } = await client.customers.dropState(dropId);
   * ```
   */
  dropState(dropId: string, options?: RequestOptions): Promise<CustomerDropState>;
  /**
   * The signed-in customer's open rentals of a product (`GET /v1/customers/me/products/{productId}/rentals`): orders
   * to pay or confirm, to pick up or to return, soonest pickup first, each with its next handover code. Restore a
   * checkout from it after a reload.
   *
   * @example
   * ```ts
   * import { createClient } from 'dropslot';
   *
   * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', customerToken });
   * const { orders } = await client.customers.rentalState(productId);
   * const due = orders.find((order) => order.status === 'pending_payment');
   * ```
   */
  rentalState(productId: string, options?: RequestOptions): Promise<CustomerRentalState>;
}

export function customersResource(t: Transport): CustomersResource {
  return {
    signUp: (body, options) =>
      t.request({ method: 'POST', path: 'customers/sign-up', body, schema: CustomerSession }, options),
    signIn: (body, options) =>
      t.request({ method: 'POST', path: 'customers/sign-in', body, schema: CustomerSession }, options),
    createSession: (body, options) =>
      t.request({ method: 'POST', path: 'customer-sessions', body, schema: CustomerSession }, options),
    me: (options) => t.request({ method: 'GET', path: 'customers/me', schema: Customer }, options),
    dropState: (dropId, options) =>
      t.request(
        { method: 'GET', path: `customers/me/drops/${seg(dropId)}`, schema: CustomerDropState },
        options,
      ),
    rentalState: (productId, options) =>
      t.request(
        {
          method: 'GET',
          path: `customers/me/products/${seg(productId)}/rentals`,
          schema: CustomerRentalState,
        },
        options,
      ),
  };
}
