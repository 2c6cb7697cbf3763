/**
 * Message catalogs of the elements. English is the source; every other catalog has the same keys (the type checks it).
 * `{name}` placeholders are filled by `format`. Dates, times and numbers are formatted with `Intl`, never here.
 */
const en = {
  loading: 'Loading…',
  retry: 'Try again',
  error: 'Something went wrong.',
  offline: 'Connection lost — reconnecting…',
  countdownOpensIn: 'Opens in',
  countdownLive: 'Live now',
  countdownEnded: 'This drop has ended',
  countdownAnnounceOpens: 'Opens in {time}',
  days: '{n} d',
  notOpenYet: 'Booking opens {when}.',
  soldOut: 'Sold out',
  placesLeft: '{n} left',
  full: 'Full',
  chooseSlot: 'Choose a time',
  reserve: 'Reserve',
  holdRunning: 'Held for you — confirm within {time}',
  holdExpired: 'Your hold expired. The place went back to the pool.',
  confirm: 'Confirm',
  cancel: 'Cancel',
  confirmed: 'Confirmed — see you there!',
  joinWaitlist: 'Join the waitlist',
  leaveWaitlist: 'Leave the waitlist',
  waitlisted: 'You are number {position} in line.',
  promoted: 'A place is yours! Claim it before {deadline}.',
  claim: 'Claim my place',
  signInTitle: 'Who is booking?',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signUp: 'Create account',
  ticket: 'Your ticket',
  addToCalendar: 'Add to calendar',
  checkedIn: 'Checked in',
  scan: 'Scan a ticket',
  typeToken: 'Or type the code',
  checkIn: 'Check in',
  alreadyUsed: 'Already used at {time}',
  invalidCode: 'Not a valid ticket code.',
} as const;

export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

const de: Catalog = {
  loading: 'Wird geladen…',
  retry: 'Erneut versuchen',
  error: 'Etwas ist schiefgelaufen.',
  offline: 'Verbindung verloren — verbinde neu…',
  countdownOpensIn: 'Startet in',
  countdownLive: 'Jetzt live',
  countdownEnded: 'Dieser Drop ist vorbei',
  countdownAnnounceOpens: 'Startet in {time}',
  days: '{n} T',
  notOpenYet: 'Buchung ab {when}.',
  soldOut: 'Ausverkauft',
  placesLeft: 'Noch {n}',
  full: 'Voll',
  chooseSlot: 'Zeit wählen',
  reserve: 'Reservieren',
  holdRunning: 'Für dich reserviert — bestätige innerhalb von {time}',
  holdExpired: 'Deine Reservierung ist abgelaufen. Der Platz ist wieder frei.',
  confirm: 'Bestätigen',
  cancel: 'Stornieren',
  confirmed: 'Bestätigt — bis bald!',
  joinWaitlist: 'Auf die Warteliste',
  leaveWaitlist: 'Warteliste verlassen',
  waitlisted: 'Du bist Nummer {position} in der Warteschlange.',
  promoted: 'Ein Platz ist frei für dich! Sichere ihn bis {deadline}.',
  claim: 'Platz sichern',
  signInTitle: 'Wer bucht?',
  email: 'E-Mail',
  password: 'Passwort',
  signIn: 'Anmelden',
  signUp: 'Konto erstellen',
  ticket: 'Dein Ticket',
  addToCalendar: 'Zum Kalender hinzufügen',
  checkedIn: 'Eingecheckt',
  scan: 'Ticket scannen',
  typeToken: 'Oder Code eingeben',
  checkIn: 'Einchecken',
  alreadyUsed: 'Bereits benutzt um {time}',
  invalidCode: 'Kein gültiger Ticketcode.',
};

const ar: Catalog = {
  loading: 'جارٍ التحميل…',
  retry: 'أعد المحاولة',
  error: 'حدث خطأ ما.',
  offline: 'انقطع الاتصال — تجري إعادة الاتصال…',
  countdownOpensIn: 'يبدأ خلال',
  countdownLive: 'مباشر الآن',
  countdownEnded: 'انتهى هذا الإصدار',
  countdownAnnounceOpens: 'يبدأ خلال {time}',
  days: '{n} يوم',
  notOpenYet: 'يبدأ الحجز {when}.',
  soldOut: 'نفدت الأماكن',
  placesLeft: 'متبقٍ {n}',
  full: 'ممتلئ',
  chooseSlot: 'اختر وقتًا',
  reserve: 'احجز',
  holdRunning: 'محجوز لك — أكّد خلال {time}',
  holdExpired: 'انتهت مهلة الحجز وعاد المكان متاحًا.',
  confirm: 'تأكيد',
  cancel: 'إلغاء',
  confirmed: 'تم التأكيد — نراك هناك!',
  joinWaitlist: 'انضم إلى قائمة الانتظار',
  leaveWaitlist: 'غادر قائمة الانتظار',
  waitlisted: 'ترتيبك {position} في الطابور.',
  promoted: 'أصبح لك مكان! احجزه قبل {deadline}.',
  claim: 'احجز مكاني',
  signInTitle: 'من يحجز؟',
  email: 'البريد الإلكتروني',
  password: 'كلمة المرور',
  signIn: 'تسجيل الدخول',
  signUp: 'إنشاء حساب',
  ticket: 'تذكرتك',
  addToCalendar: 'أضف إلى التقويم',
  checkedIn: 'تم تسجيل الحضور',
  scan: 'امسح تذكرة',
  typeToken: 'أو اكتب الرمز',
  checkIn: 'تسجيل الحضور',
  alreadyUsed: 'استُخدمت في {time}',
  invalidCode: 'رمز تذكرة غير صالح.',
};

const catalogs: Record<string, Catalog> = { en, de, ar };

/** The catalog for a locale: exact language match, else English. */
export function catalogFor(locale: string): Catalog {
  return catalogs[locale.toLowerCase().split('-')[0]!] ?? en;
}

/** A message of the locale's catalog with `{name}` placeholders filled in. */
export function format(locale: string, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return catalogFor(locale)[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** Whether the locale's script runs right to left. */
export function isRtl(locale: string): boolean {
  return ['ar', 'he', 'fa', 'ur'].includes(locale.toLowerCase().split('-')[0]!);
}
