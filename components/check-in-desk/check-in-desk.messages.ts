/**
 * Messages of `<check-in-desk>` in its own catalogs (en, de, ar), so that the staff desk's strings travel with the desk:
 * in the script-tag bundle the desk is a lazy chunk that shopper pages never download. The messages it shares with the
 * other elements (`scan`, `checkIn`, `alreadyUsed`, …) stay in `../internal/i18n.ts`. Not public API.
 */
import { fill, languageOf } from '../internal/i18n-light.js';

const en = {
  deskSignIn: 'Staff sign-in',
  deskSignOut: 'Sign out',
  deskNotStaff: 'This account is not staff of this store.',
  deskBadCredentials: 'Wrong email or password.',
  deskStartCamera: 'Start camera',
  deskStopCamera: 'Stop camera',
  deskCameraHint: 'Point the camera at the ticket’s QR code.',
  deskNoCamera: 'No camera available — type the code instead.',
  deskCameraDenied: 'Camera access was denied — type the code instead.',
  deskCheckedIn: 'Checked in: {drop}',
  deskChecking: 'Checking…',
  deskNotCheckable: 'This ticket cannot be checked in (it is {state}).',
  deskNotOpenYet: 'Too early: check-in opens at {time}.',
  deskClosed: 'Too late: check-in closed at {time}.',
  deskPickedUp: 'Pickup verified: hand over {items}',
  deskReturned: 'Return verified: {items}',
  deskCustomer: 'Customer',
  deskNoName: 'No name given',
  deskDrop: 'Drop',
  deskSlot: 'Slot',
  deskRental: 'Rental',
  deskHandOver: 'Hand over',
  deskTakeBack: 'Take back',
  deskCollect: 'Collect',
  deskNothingToCollect: 'Nothing — paid',
  deskVerifiedAt: 'Verified',
} as const;

export type DeskMessageKey = keyof typeof en;
type DeskCatalog = Record<DeskMessageKey, string>;

const de: DeskCatalog = {
  deskSignIn: 'Anmeldung für Personal',
  deskSignOut: 'Abmelden',
  deskNotStaff: 'Dieses Konto gehört nicht zum Personal dieses Shops.',
  deskBadCredentials: 'E-Mail oder Passwort falsch.',
  deskStartCamera: 'Kamera starten',
  deskStopCamera: 'Kamera stoppen',
  deskCameraHint: 'Halte die Kamera auf den QR-Code des Tickets.',
  deskNoCamera: 'Keine Kamera verfügbar — gib den Code ein.',
  deskCameraDenied: 'Kamerazugriff verweigert — gib den Code ein.',
  deskCheckedIn: 'Eingecheckt: {drop}',
  deskChecking: 'Wird geprüft…',
  deskNotCheckable: 'Dieses Ticket kann nicht eingecheckt werden (Status: {state}).',
  deskNotOpenYet: 'Zu früh: Der Check-in öffnet um {time}.',
  deskClosed: 'Zu spät: Der Check-in schloss um {time}.',
  deskPickedUp: 'Abholung bestätigt: {items} übergeben',
  deskReturned: 'Rückgabe bestätigt: {items}',
  deskCustomer: 'Kunde',
  deskNoName: 'Kein Name angegeben',
  deskDrop: 'Drop',
  deskSlot: 'Zeitfenster',
  deskRental: 'Miete',
  deskHandOver: 'Übergeben',
  deskTakeBack: 'Zurücknehmen',
  deskCollect: 'Kassieren',
  deskNothingToCollect: 'Nichts — bezahlt',
  deskVerifiedAt: 'Bestätigt',
};

const ar: DeskCatalog = {
  deskSignIn: 'دخول الموظفين',
  deskSignOut: 'تسجيل الخروج',
  deskNotStaff: 'هذا الحساب ليس من موظفي هذا المتجر.',
  deskBadCredentials: 'البريد الإلكتروني أو كلمة المرور غير صحيحة.',
  deskStartCamera: 'شغّل الكاميرا',
  deskStopCamera: 'أوقف الكاميرا',
  deskCameraHint: 'وجّه الكاميرا نحو رمز QR في التذكرة.',
  deskNoCamera: 'لا توجد كاميرا — اكتب الرمز بدلًا من ذلك.',
  deskCameraDenied: 'رُفض الوصول إلى الكاميرا — اكتب الرمز بدلًا من ذلك.',
  deskCheckedIn: 'تم تسجيل الحضور: {drop}',
  deskChecking: 'جارٍ التحقق…',
  deskNotCheckable: 'لا يمكن تسجيل حضور هذه التذكرة (حالتها {state}).',
  deskNotOpenYet: 'مبكر جدًا: يبدأ تسجيل الحضور في {time}.',
  deskClosed: 'متأخر جدًا: انتهى تسجيل الحضور في {time}.',
  deskPickedUp: 'تم التحقق من الاستلام: سلّم {items}',
  deskReturned: 'تم التحقق من الإرجاع: {items}',
  deskCustomer: 'العميل',
  deskNoName: 'لم يُذكر اسم',
  deskDrop: 'الإصدار',
  deskSlot: 'الموعد',
  deskRental: 'الإيجار',
  deskHandOver: 'سلّم',
  deskTakeBack: 'استلم',
  deskCollect: 'حصّل',
  deskNothingToCollect: 'لا شيء — مدفوع',
  deskVerifiedAt: 'تم التحقق',
};

const catalogs: Record<string, DeskCatalog> = { en, de, ar };

/** A desk message in the locale's language (English when the language has no catalog). */
export function deskMessage(
  locale: string,
  key: DeskMessageKey,
  vars?: Record<string, string | number>,
): string {
  return fill((catalogs[languageOf(locale)] ?? en)[key], vars);
}
