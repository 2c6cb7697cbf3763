/**
 * Messages of `<payment-step>`, kept in its own lazy chunk so pages without it download none of them. Same keys in
 * every catalog (the type checks it); `{name}` placeholders are filled by `fill`. Not public API.
 */
import { fill, languageOf } from '../internal/i18n-light.js';

const en = {
  title: 'Payment',
  amount: 'To pay: {amount}',
  method: 'Test card',
  visa: 'Visa — succeeds',
  declined: 'Declined card',
  action: 'Card that needs authentication',
  pay: 'Pay {amount}',
  card: 'Pay by card',
  confirm: 'Confirm payment',
  paying: 'Paying…',
  authenticate: 'Your bank asks you to confirm this payment.',
  approve: 'Confirm',
  deny: 'Cancel',
  processing: 'Waiting for the payment to be confirmed…',
  succeeded: 'Paid. Thank you!',
  failed: 'The payment failed: {reason}',
  error: 'The payment could not be started.',
  retry: 'Try again',
  loading: 'Loading the payment…',
  nothing: 'Nothing to pay.',
} as const;

export type PaymentMessageKey = keyof typeof en;
type Catalog = Record<PaymentMessageKey, string>;

const de: Catalog = {
  title: 'Zahlung',
  amount: 'Zu zahlen: {amount}',
  method: 'Testkarte',
  visa: 'Visa — erfolgreich',
  declined: 'Abgelehnte Karte',
  action: 'Karte mit Bestätigung',
  pay: '{amount} bezahlen',
  card: 'Mit Karte bezahlen',
  confirm: 'Zahlung bestätigen',
  paying: 'Zahlung läuft…',
  authenticate: 'Deine Bank bittet dich, diese Zahlung zu bestätigen.',
  approve: 'Bestätigen',
  deny: 'Abbrechen',
  processing: 'Warte auf die Bestätigung der Zahlung…',
  succeeded: 'Bezahlt. Danke!',
  failed: 'Die Zahlung ist fehlgeschlagen: {reason}',
  error: 'Die Zahlung konnte nicht gestartet werden.',
  retry: 'Erneut versuchen',
  loading: 'Zahlung wird geladen…',
  nothing: 'Nichts zu bezahlen.',
};

const ar: Catalog = {
  title: 'الدفع',
  amount: 'المبلغ المستحق: {amount}',
  method: 'بطاقة تجريبية',
  visa: 'فيزا — تنجح',
  declined: 'بطاقة مرفوضة',
  action: 'بطاقة تحتاج إلى تأكيد',
  pay: 'ادفع {amount}',
  card: 'ادفع بالبطاقة',
  confirm: 'أكّد الدفع',
  paying: 'جارٍ الدفع…',
  authenticate: 'يطلب منك مصرفك تأكيد هذا الدفع.',
  approve: 'تأكيد',
  deny: 'إلغاء',
  processing: 'بانتظار تأكيد الدفع…',
  succeeded: 'تم الدفع. شكرًا لك!',
  failed: 'فشل الدفع: {reason}',
  error: 'تعذّر بدء الدفع.',
  retry: 'أعد المحاولة',
  loading: 'جارٍ تحميل الدفع…',
  nothing: 'لا شيء للدفع.',
};

const catalogs: Record<string, Catalog> = { en, de, ar };

export function paymentMessage(
  locale: string,
  key: PaymentMessageKey,
  vars?: Record<string, string | number>,
): string {
  return fill((catalogs[languageOf(locale)] ?? en)[key], vars);
}
