/**
 * The messages of the light elements (`<drop-countdown>`, which must stay under 10 KB on its own): a small slice of the
 * catalogs that `i18n.ts` spreads into its full en/de/ar catalogs, so there is still one catalog per language and one
 * place per message. Elements built on the SDK use `format` from `i18n.ts`. Not public API.
 */
export const lightEn = {
  loading: 'Loading…',
  retry: 'Try again',
  error: 'Something went wrong.',
  countdownOpensIn: 'Opens in',
  countdownLive: 'Live now',
  countdownSoldOut: 'Sold out',
  countdownEnded: 'This drop has ended',
  countdownAnnounceOpens: 'Opens in {time}',
} as const;

export type LightMessageKey = keyof typeof lightEn;
export type LightCatalog = Record<LightMessageKey, string>;

export const lightDe: LightCatalog = {
  loading: 'Wird geladen…',
  retry: 'Erneut versuchen',
  error: 'Etwas ist schiefgelaufen.',
  countdownOpensIn: 'Startet in',
  countdownLive: 'Jetzt live',
  countdownSoldOut: 'Ausverkauft',
  countdownEnded: 'Dieser Drop ist vorbei',
  countdownAnnounceOpens: 'Startet in {time}',
};

export const lightAr: LightCatalog = {
  loading: 'جارٍ التحميل…',
  retry: 'أعد المحاولة',
  error: 'حدث خطأ ما.',
  countdownOpensIn: 'يبدأ خلال',
  countdownLive: 'مباشر الآن',
  countdownSoldOut: 'نفدت الأماكن',
  countdownEnded: 'انتهى هذا الإصدار',
  countdownAnnounceOpens: 'يبدأ خلال {time}',
};

const lightCatalogs: Record<string, LightCatalog> = { en: lightEn, de: lightDe, ar: lightAr };

/** The language subtag of a BCP 47 locale, lower case (`de-CH` → `de`). */
export function languageOf(locale: string): string {
  return locale.toLowerCase().split('-')[0] ?? '';
}

/** The first of the browser's languages that has a catalog (`navigator.languages`), if any. */
export function browserLocale(): string | undefined {
  return typeof navigator === 'undefined'
    ? undefined
    : navigator.languages?.find((l) => languageOf(l) in lightCatalogs);
}

/** Whether the locale's script runs right to left. */
export function isRtl(locale: string): boolean {
  return /^(ar|he|fa|ur)\b/i.test(locale);
}

/** Fills `{name}` placeholders; an unknown name is left as is. */
export function fill(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}

/** A light message in the locale's language (English when the language has no catalog). */
export function formatLight(
  locale: string,
  key: LightMessageKey,
  vars?: Record<string, string | number>,
): string {
  return fill((lightCatalogs[languageOf(locale)] ?? lightEn)[key], vars);
}
