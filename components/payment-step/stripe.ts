/**
 * Loads Stripe.js from js.stripe.com — only when a card payment with Stripe starts, never in the bundle (Stripe requires
 * loading it from its own origin). Pages that take Stripe payments allow it in their CSP: see docs/payments.md.
 * Not public API.
 */
export interface StripeLike {
  elements(options: { clientSecret: string }): unknown;
  confirmPayment(options: {
    elements: unknown;
    redirect: 'if_required';
  }): Promise<{ error?: { code?: string; decline_code?: string; message?: string } }>;
}

type StripeFactory = (publishableKey: string) => StripeLike;

const STRIPE_JS = 'https://js.stripe.com/v3/';
let loading: Promise<StripeFactory> | undefined;

export function loadStripe(publishableKey: string): Promise<StripeLike> {
  loading ??= new Promise<StripeFactory>((resolve, reject) => {
    const existing = (globalThis as { Stripe?: StripeFactory }).Stripe;
    if (existing) return resolve(existing);
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => {
      const factory = (globalThis as { Stripe?: StripeFactory }).Stripe;
      if (factory) resolve(factory);
      else reject(new Error('Stripe.js loaded without Stripe()'));
    };
    script.onerror = () => reject(new Error('Stripe.js could not be loaded'));
    document.head.append(script);
  });
  loading.catch(() => (loading = undefined));
  return loading.then((factory) => factory(publishableKey));
}
