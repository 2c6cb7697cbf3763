/**
 * Amounts in the contract are integers in minor units of their currency (`Money`). These helpers turn them into what
 * people read, with `Intl`: the currency's own number of minor digits (2 for EUR, 0 for JPY, 3 for KWD).
 */

/**
 * Minor digits of an ISO 4217 currency (2 for EUR, 0 for JPY).
 *
 * @example
 * ```ts
 * import { minorDigits } from 'dropslot';
 *
 * minorDigits('EUR'); // 2
 * minorDigits('JPY'); // 0
 * ```
 */
export function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/**
 * An amount in minor units, formatted for `locale` (`formatMoney(3500, 'EUR', 'de')` → `35,00 €`).
 *
 * @example
 * ```ts
 * import { formatMoney } from 'dropslot';
 *
 * formatMoney(3500, 'EUR', 'en'); // "€35.00"
 * ```
 */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
    amount / 10 ** minorDigits(currency),
  );
}
