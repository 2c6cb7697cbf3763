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
  payDeclinedCard: 'Your card was declined, and nothing was charged. Try another card, or ask your bank why.',
  payDeclinedFunds: 'Your card was declined for lack of funds, and nothing was charged. Try another card.',
  payDeclinedExpired: 'This card has expired, and nothing was charged. Try another card.',
  payDeclinedDetails:
    'The card details were not accepted. Check the number, the expiry date and the security code.',
  payNotAuthenticated:
    'The payment was not confirmed with your bank, so nothing was charged. Try again, or use another card.',
  payDeclinedOther:
    'The payment did not go through, and nothing was charged. Try again, or use another card.',
  payOffline: 'You are offline, so nothing was charged. It will try again as soon as you are back online.',
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
  payDeclinedCard:
    'Deine Karte wurde abgelehnt, es wurde nichts abgebucht. Nimm eine andere Karte oder frag deine Bank nach dem Grund.',
  payDeclinedFunds:
    'Deine Karte wurde mangels Deckung abgelehnt, es wurde nichts abgebucht. Nimm eine andere Karte.',
  payDeclinedExpired: 'Diese Karte ist abgelaufen, es wurde nichts abgebucht. Nimm eine andere Karte.',
  payDeclinedDetails: 'Die Kartendaten wurden nicht angenommen. Prüfe Nummer, Ablaufdatum und Prüfziffer.',
  payNotAuthenticated:
    'Die Zahlung wurde bei deiner Bank nicht bestätigt, es wurde nichts abgebucht. Versuch es noch einmal oder nimm eine andere Karte.',
  payDeclinedOther:
    'Die Zahlung ist nicht durchgegangen, es wurde nichts abgebucht. Versuch es noch einmal oder nimm eine andere Karte.',
  payOffline:
    'Du bist offline, es wurde nichts abgebucht. Sobald du wieder online bist, wird es erneut versucht.',
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
  payDeclinedCard: 'رُفضت بطاقتك ولم يُخصم أي مبلغ. جرّب بطاقة أخرى أو اسأل بنكك عن السبب.',
  payDeclinedFunds: 'رُفضت بطاقتك لعدم كفاية الرصيد ولم يُخصم أي مبلغ. جرّب بطاقة أخرى.',
  payDeclinedExpired: 'انتهت صلاحية هذه البطاقة ولم يُخصم أي مبلغ. جرّب بطاقة أخرى.',
  payDeclinedDetails: 'لم تُقبل بيانات البطاقة. تحقّق من الرقم وتاريخ الانتهاء ورمز الأمان.',
  payNotAuthenticated: 'لم تُؤكَّد الدفعة لدى بنكك، لذلك لم يُخصم أي مبلغ. حاول مرة أخرى أو استخدم بطاقة أخرى.',
  payDeclinedOther: 'لم تتم الدفعة ولم يُخصم أي مبلغ. حاول مرة أخرى أو استخدم بطاقة أخرى.',
  payOffline: 'أنت غير متصل، لذلك لم يُخصم أي مبلغ. ستُعاد المحاولة فور عودة الاتصال.',
  payFailed: 'لم تتم الدفعة. حاول مرة أخرى.',
  payLoadingStripe: 'جارٍ تحميل نموذج البطاقة الآمن…',
  payStripeUnavailable: 'تعذّر تحميل نموذج البطاقة. تحقّق من اتصالك وحاول مرة أخرى.',
  payTimeout: 'لم يرد مزوّد الدفع بعد. يبقى مكانك محجوزًا طوال مدة الحجز؛ تحقّق مرة أخرى.',
  payCheckAgain: 'تحقّق مرة أخرى',
};

const catalogs: Record<string, PaymentCatalog> = { en, de, ar };

/**
 * What a provider's refusal code (Stripe's `decline_code` or `code`, or the test provider's) means for the shopper, in
 * plain words: never the provider's own message, which repeats "declined" and speaks the provider's language.
 */
export function declineMessageKey(code: string | undefined): PaymentMessageKey {
  switch (code) {
    case 'card_declined':
    case 'generic_decline':
    case 'do_not_honor':
    case 'card_not_supported':
    case 'call_issuer':
    case 'pickup_card':
    case 'lost_card':
    case 'stolen_card':
    case 'fraudulent':
      return 'payDeclinedCard';
    case 'insufficient_funds':
    case 'card_velocity_exceeded':
      return 'payDeclinedFunds';
    case 'expired_card':
      return 'payDeclinedExpired';
    case 'authentication_failed':
    case 'authentication_required':
    case 'payment_intent_authentication_failure':
      return 'payNotAuthenticated';
    default:
      return code && /^(incorrect|invalid|incomplete)_/.test(code)
        ? 'payDeclinedDetails'
        : 'payDeclinedOther';
  }
}

export function paymentMessage(
  locale: string,
  key: PaymentMessageKey,
  vars?: Record<string, string | number>,
): string {
  return fill((catalogs[languageOf(locale)] ?? en)[key], vars);
}
