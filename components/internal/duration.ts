/**
 * Durations for countdowns and hold timers, formatted with `Intl` in the element's locale (digits, unit names and
 * order come from the locale, never from string concatenation). Formatters are cached: building one costs far more
 * than using it. Not public API.
 */

export type DurationUnit = 'day' | 'hour' | 'minute' | 'second';

/** Whole days, hours, minutes and seconds of a duration in ms, rounded up to the second (a countdown shows 0:01 until it hits 0). */
export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function splitDuration(ms: number): DurationParts {
  let s = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(s / 86_400);
  s -= days * 86_400;
  const hours = Math.floor(s / 3600);
  s -= hours * 3600;
  const minutes = Math.floor(s / 60);
  return { days, hours, minutes, seconds: s - minutes * 60 };
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A cached `Intl.NumberFormat`; an unknown locale falls back to the default one. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const id = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(id);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, options);
    } catch {
      format = new Intl.NumberFormat(undefined, options);
    }
    numberFormats.set(id, format);
  }
  return format;
}

/** One unit of a duration split into its localized number and unit name (`{ value: '05', unit: 'min' }`). */
export function unitParts(
  locale: string,
  unit: DurationUnit,
  n: number,
  minimumIntegerDigits = 1,
): { value: string; unit: string } {
  const parts = numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'narrow',
    minimumIntegerDigits,
  }).formatToParts(n);
  let value = '';
  let name = '';
  for (const part of parts) {
    if (part.type === 'unit') name += part.value;
    else if (part.type !== 'literal') value += part.value;
  }
  return { value, unit: name };
}

interface DurationFormatLike {
  format(duration: Partial<Record<'days' | 'hours' | 'minutes' | 'seconds', number>>): string;
}
type DurationFormatCtor = new (locale: string, options: { style: 'long' }) => DurationFormatLike;

/** "1 hour, 10 minutes" in the locale: `Intl.DurationFormat` where the browser has it, else unit numbers in a list. */
export function longDuration(locale: string, ms: number): string {
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const duration = { days, hours, minutes, seconds };
  const Ctor = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (Ctor) {
    try {
      // Zero units are left out by the "long" style; only an all-zero duration keeps "0 seconds".
      return new Ctor(locale, { style: 'long' }).format(duration);
    } catch {
      // Unknown locale: fall through.
    }
  }
  const units: [DurationUnit, number][] = [
    ['day', days],
    ['hour', hours],
    ['minute', minutes],
    ['second', seconds],
  ];
  const pieces = units
    .filter(([, n]) => n > 0)
    .map(([unit, n]) => numberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
  if (pieces.length === 0)
    pieces.push(numberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(0));
  try {
    return new Intl.ListFormat(locale, { style: 'long', type: 'unit' }).format(pieces);
  } catch {
    return pieces.join(', ');
  }
}

/** A short clock reading for timers under a day: `9:05`, `1:02:03`, with the locale's digits. */
export function clockReading(locale: string, ms: number): string {
  const { days, hours, minutes, seconds } = splitDuration(ms);
  const h = days * 24 + hours;
  const two = numberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  const one = numberFormat(locale, { useGrouping: false });
  return h > 0
    ? `${one.format(h)}:${two.format(minutes)}:${two.format(seconds)}`
    : `${one.format(minutes)}:${two.format(seconds)}`;
}
