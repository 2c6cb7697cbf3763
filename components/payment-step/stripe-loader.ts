/**
 * Loads Stripe.js only when a card payment starts: one `<script src="https://js.stripe.com/v3/">` added to the
 * document on first use (never bundled; the page's CSP must allow it, see docs/payments.md). Not public API.
 */
export interface StripeJs {
  elements(options: { clientSecret: string }): {
    create(type: 'payment'): { mount(target: HTMLElement): void };
  };
  confirmPayment(options: {
    elements: unknown;
    redirect: 'if_required';
    confirmParams?: { return_url?: string };
  }): Promise<{ error?: { code?: string; message?: string } }>;
}

export const STRIPE_JS = 'https://js.stripe.com/v3/';

let loading: Promise<(key: string) => StripeJs> | undefined;

export function loadStripe(doc: Document = document): Promise<(key: string) => StripeJs> {
  loading ??= new Promise((resolve, reject) => {
    const existing = (globalThis as { Stripe?: (key: string) => StripeJs }).Stripe;
    if (existing) return resolve(existing);
    const script = doc.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.addEventListener('load', () => {
      const Stripe = (globalThis as { Stripe?: (key: string) => StripeJs }).Stripe;
      if (Stripe) resolve(Stripe);
      else reject(new Error('Stripe.js loaded without defining Stripe'));
    });
    script.addEventListener('error', () => {
      loading = undefined;
      script.remove();
      reject(new Error('Stripe.js could not be loaded'));
    });
    doc.head.append(script);
  });
  return loading;
}
