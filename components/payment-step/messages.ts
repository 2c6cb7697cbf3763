/** Messages of `<payment-step>`, in its own chunk. English is the source; every catalog has the same keys. Not public API. */
import { fill, languageOf } from '../internal/i18n-light.js';

const en = {
  payTitle: 'Payment',
  payAmount: 'Amount due: {amount}',
  payTestCards: 'Test card (no real money moves)',
  payCardVisa: 'Visa ending 4242 — succeeds',
  payCardDeclined: 'Card ending 0002 — declined',
  payCardAction: 'Card ending 3184 — asks your bank to confirm',
  payNow: 'Pay {amount}',
  payProcessing: 'Waiting for the payment provider…',
  payActionTitle: 'Your bank asks you to confirm this payment.',
  payApprove: 'Confirm payment',
  payDeny: 'Refuse',
  paySucceeded: 'Paid — thank you!',
  payDeclined: 'The payment was declined: {reason} Choose another card.',
  payFailed: 'The payment did not go through. Try again.',
  payLoadingStripe: 'Loading the secure card form…',
  payStripeUnavailable: 'The card form could not be loaded. Check your connection and try again.',
  payTimeout:
    'The payment provider has not answered yet. Your place is kept while the hold lasts; check again.',
  payCheckAgain: 'Check again',
} as const;

export type PaymentMessageKey = keyof typeof en;
type PaymentCatalog = Record<PaymentMessageKey, string>;

const de: PaymentCatalog = {
  payTitle: 'Zahlung',
  payAmount: 'Zu zahlen: {amount}',
  payTestCards: 'Testkarte (es fließt kein echtes Geld)',
  payCardVisa: 'Visa mit Endziffern 4242 — erfolgreich',
  payCardDeclined: 'Karte mit Endziffern 0002 — abgelehnt',
  payCardAction: 'Karte mit Endziffern 3184 — Bestätigung durch die Bank',
  payNow: '{amount} bezahlen',
  payProcessing: 'Warte auf den Zahlungsanbieter…',
  payActionTitle: 'Deine Bank bittet dich, diese Zahlung zu bestätigen.',
  payApprove: 'Zahlung bestätigen',
  payDeny: 'Ablehnen',
  paySucceeded: 'Bezahlt — danke!',
  payDeclined: 'Die Zahlung wurde abgelehnt: {reason} Wähle eine andere Karte.',
  payFailed: 'Die Zahlung ist nicht durchgegangen. Versuche es noch einmal.',
  payLoadingStripe: 'Das sichere Kartenformular wird geladen…',
  payStripeUnavailable:
    'Das Kartenformular konnte nicht geladen werden. Prüfe deine Verbindung und versuche es erneut.',
  payTimeout:
    'Der Zahlungsanbieter hat noch nicht geantwortet. Dein Platz bleibt reserviert, solange die Reservierung läuft; prüfe es erneut.',
  payCheckAgain: 'Erneut prüfen',
};

const ar: PaymentCatalog = {
  payTitle: 'الدفع',
  payAmount: 'المبلغ المستحق: {amount}',
  payTestCards: 'بطاقة تجريبية (لا تُنقل أموال حقيقية)',
  payCardVisa: 'فيزا تنتهي بـ 4242 — تنجح',
  payCardDeclined: 'بطاقة تنتهي بـ 0002 — مرفوضة',
  payCardAction: 'بطاقة تنتهي بـ 3184 — تطلب تأكيد البنك',
  payNow: 'ادفع {amount}',
  payProcessing: 'بانتظار مزوّد الدفع…',
  payActionTitle: 'يطلب منك بنكك تأكيد هذه الدفعة.',
  payApprove: 'تأكيد الدفع',
  payDeny: 'رفض',
  paySucceeded: 'تم الدفع — شكرًا لك!',
  payDeclined: 'رُفضت الدفعة: {reason} اختر بطاقة أخرى.',
  payFailed: 'لم تتم الدفعة. حاول مرة أخرى.',
  payLoadingStripe: 'جارٍ تحميل نموذج البطاقة الآمن…',
  payStripeUnavailable: 'تعذّر تحميل نموذج البطاقة. تحقّق من اتصالك وحاول مرة أخرى.',
  payTimeout: 'لم يرد مزوّد الدفع بعد. يبقى مكانك محجوزًا طوال مدة الحجز؛ تحقّق مرة أخرى.',
  payCheckAgain: 'تحقّق مرة أخرى',
};

const catalogs: Record<string, PaymentCatalog> = { en, de, ar };

export function paymentMessage(
  locale: string,
  key: PaymentMessageKey,
  vars?: Record<string, string | number>,
): string {
  return fill((catalogs[languageOf(locale)] ?? en)[key], vars);
}
