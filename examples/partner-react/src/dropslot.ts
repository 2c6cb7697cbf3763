/**
 * One SDK client for the whole page, and the shopper's session as a store. The API's base URL and publishable key
 * come from the build (`VITE_DROPSLOT_API`, `VITE_DROPSLOT_KEY`) or the page's query (`?api=…&key=…`).
 */
import { atom } from 'nanostores';
import { createClient, setNowClock, type Customer } from 'dropslot';

const query = new URLSearchParams(location.search);

export const apiUrl = query.get('api') ?? import.meta.env.VITE_DROPSLOT_API ?? 'http://127.0.0.1:8787';
export const publishableKey = query.get('key') ?? import.meta.env.VITE_DROPSLOT_KEY ?? '';

export const client = createClient({ baseUrl: apiUrl, publishableKey });
// Countdowns and hold timers tick on server time.
setNowClock(client.clock);

/** The signed-in shopper, or `null`. */
export const $customer = atom<Customer | null>(null);

export async function signIn(email: string, password: string): Promise<void> {
  const session = await client.customers.signIn({ email, password });
  client.setCustomerToken(session.token);
  $customer.set(session.customer);
}

export async function signUp(email: string, password: string): Promise<void> {
  const session = await client.customers.signUp({ email, password });
  client.setCustomerToken(session.token);
  $customer.set(session.customer);
}

export function signOut(): void {
  client.setCustomerToken(null);
  $customer.set(null);
}
