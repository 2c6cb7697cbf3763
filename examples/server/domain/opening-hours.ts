/**
 * Opening hours of a branch: weekly ranges (`mon` … `sun` → `HH:MM-HH:MM`, several a day) in the branch's IANA zone,
 * and dated exceptions (other ranges, or none for a closed day). Wall times become instants through `Intl`, so a day
 * with a DST change has its real length: 10:00–18:00 on the last Sunday of March in Berlin is 08:00–16:00 UTC while the
 * Saturday before is 09:00–17:00 UTC. A wall time that a spring-forward skips is moved forward by the gap.
 */
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from '../http/problem.js';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Partial<Record<Weekday, string[]>>;
export interface OpeningExceptionInput {
  date: string;
  ranges: string[];
  note?: string | undefined;
}

export interface BranchHoursInput {
  timeZone: string;
  openingHours: WeeklyHours | null;
  openingExceptions: OpeningExceptionInput[];
}

/** Whether `Intl` knows the IANA zone (names are matched case-sensitively as the database stores them). */
export function isTimeZone(zone: string): boolean {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone !== undefined;
  } catch {
    return false;
  }
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `HH:MM-HH:MM` → minutes since local midnight; the end may be `24:00`. */
export function parseRange(range: string): [number, number] {
  const [from, to] = range.split('-') as [string, string];
  return [minutesOf(from), minutesOf(to)];
}

const bad = (path: string, message: string) =>
  new ApiError(400, ProblemCode.validationFailed, message, {
    errors: [{ path, message, code: 'invalid_value' }],
  });

/** Each day's ranges must end after they start and must not overlap; dates must be real and not repeated. */
export function validateHours(
  weekly: WeeklyHours | null | undefined,
  exceptions: OpeningExceptionInput[] | undefined,
  where = 'body',
): void {
  const checkRanges = (ranges: string[], path: string) => {
    const parsed = ranges.map(parseRange).sort((a, b) => a[0] - b[0]);
    parsed.forEach(([start, end], i) => {
      if (end <= start) throw bad(path, `A range must end after it starts (${ranges[i]}).`);
      if (i > 0 && start < parsed[i - 1]![1]) throw bad(path, 'Ranges of one day must not overlap.');
    });
  };
  for (const [day, ranges] of Object.entries(weekly ?? {}))
    checkRanges(ranges, `${where}.openingHours.${day}`);
  const seen = new Set<string>();
  (exceptions ?? []).forEach((exception, i) => {
    const path = `${where}.openingExceptions.${i}`;
    const [y, m, d] = exception.date.split('-').map(Number) as [number, number, number];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
      throw bad(`${path}.date`, `${exception.date} is not a calendar date.`);
    if (seen.has(exception.date)) throw bad(`${path}.date`, `${exception.date} is listed twice.`);
    seen.add(exception.date);
    checkRanges(exception.ranges, `${path}.ranges`);
  });
}

/** Milliseconds the wall clock of `timeZone` is ahead of UTC at `instant`. */
function zoneOffset(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  );
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant the wall clock of `timeZone` shows `minutes` after midnight on `date` (`YYYY-MM-DD`). In a repeated
 * hour (autumn) the first occurrence; in a skipped hour (spring) the wall time is moved forward by the gap.
 */
export function wallTime(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + minutes * 60_000;
  const before = zoneOffset(wall - 86_400_000 / 2, timeZone);
  const after = zoneOffset(wall + 86_400_000 / 2, timeZone);
  // Try the offset in force before and after any change that day; keep the candidate that shows the wall time.
  for (const offset of [before, after]) {
    const candidate = wall - offset;
    if (candidate + zoneOffset(candidate, timeZone) === wall) return new Date(candidate);
  }
  // The wall time does not exist (skipped by a spring-forward): the instant the clock jumps over it.
  return new Date(wall - before);
}

/** The calendar date (`YYYY-MM-DD`) and weekday in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): { date: string; weekday: Weekday } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).toLowerCase().slice(0, 3) as Weekday,
  };
}

/** Weekday of a calendar date (independent of any zone). */
function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
}

/** The next calendar date. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The ranges that apply on a date: the exception for that date if any, else the weekday's. */
export function rangesOn(hours: BranchHoursInput, date: string): string[] {
  const exception = hours.openingExceptions.find((e) => e.date === date);
  if (exception) return exception.ranges;
  return hours.openingHours?.[weekdayOf(date)] ?? [];
}

export interface OpenDay {
  date: string;
  closed: boolean;
  open: { start: Date; end: Date }[];
  times: Date[];
}

/** The open intervals of a date as instants, and the times offered for pickup/return every `stepMinutes`. */
export function openDay(hours: BranchHoursInput, date: string, stepMinutes = 30): OpenDay {
  const ranges = rangesOn(hours, date)
    .map(parseRange)
    .sort((a, b) => a[0] - b[0]);
  const open = ranges.map(([from, to]) => ({
    start: wallTime(date, from, hours.timeZone),
    end: to === 1440 ? wallTime(nextDate(date), 0, hours.timeZone) : wallTime(date, to, hours.timeZone),
  }));
  const times: Date[] = [];
  for (const [from, to] of ranges) {
    for (let minute = from; minute <= to; minute += stepMinutes) {
      const at =
        minute === 1440
          ? wallTime(nextDate(date), 0, hours.timeZone)
          : wallTime(date, minute, hours.timeZone);
      if (times.length === 0 || times.at(-1)!.getTime() < at.getTime()) times.push(at);
    }
  }
  return { date, closed: open.length === 0, open, times };
}

/** Whether the branch is open at `instant` (a range's end counts as open: a return at closing time is fine). */
export function isOpenAt(hours: BranchHoursInput, instant: Date): boolean {
  const { date } = localDate(instant, hours.timeZone);
  const t = instant.getTime();
  return openDay(hours, date).open.some((r) => r.start.getTime() <= t && t <= r.end.getTime());
}
