/**
 * Calendar arithmetic of `<rental-checkout>`: plain calendar dates (`YYYY-MM-DD`, no zone) for the grid, and the
 * instant of a date and hour in the store's time zone (from `Intl`'s zone data, DST included). Not public API.
 */

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a UTC calendar day number. */
function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function toUtcMs(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

/** The date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtcMs(b) - toUtcMs(a)) / DAY_MS);
}

/** `YYYY-MM` of a date. */
export const monthOf = (date: string): string => date.slice(0, 7);

/** The month `n` months after `month` (`YYYY-MM`). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return d.toISOString().slice(0, 7);
}

/** The same day of the month `n` months later, clamped to that month's last day (APG: Page Up/Down). */
export function shiftMonth(date: string, n: number): string {
  const month = addMonths(monthOf(date), n);
  const last = addDays(`${addMonths(month, 1)}-01`, -1);
  const day = Math.min(Number(date.slice(8, 10)), Number(last.slice(8, 10)));
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** The first day of the week in a locale (0 = Sunday, 1 = Monday), from `Intl.Locale` week data when the browser has it. */
export function firstDayOfWeek(locale: string): number {
  try {
    const l = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const info = l.getWeekInfo?.() ?? l.weekInfo;
    if (info) return info.firstDay % 7;
  } catch {
    // An unknown locale: fall through to the default.
  }
  return 1;
}

/** The weeks of a month as rows of seven dates; days of the neighbouring months are `null`. */
export function monthWeeks(month: string, firstDay: number): (string | null)[][] {
  const first = `${month}-01`;
  const days = daysBetween(first, `${addMonths(month, 1)}-01`);
  const lead = (weekday(first) - firstDay + 7) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let i = 0; i < days; i++) cells.push(addDays(first, i));
  while (cells.length % 7) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Minutes the zone is ahead of UTC at `ms`. */
function zoneOffsetMinutes(ms: number, zone: string): number {
  let f = offsetFormats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/**
 * The instant of `date` at `hour`:00 on the wall clock of `zone`. A wall time skipped by a DST change resolves to the
 * same offset as the hour before it (e.g. 02:00 on a spring-forward night becomes 03:00 local).
 */
export function zonedInstant(date: string, hour: number, zone: string): Date {
  const wall = toUtcMs(date) + hour * 3_600_000;
  const first = wall - zoneOffsetMinutes(wall, zone) * 60_000;
  const second = wall - zoneOffsetMinutes(first, zone) * 60_000;
  return new Date(second);
}

/** Today's date on the wall clock of `zone` at `ms`. */
export function dateIn(ms: number, zone: string): string {
  return fromUtcMs(ms + zoneOffsetMinutes(ms, zone) * 60_000);
}
