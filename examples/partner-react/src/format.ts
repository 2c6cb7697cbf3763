import { isDropSlotError } from 'dropslot';

/** `1:02:03` or `02:03` for a duration in ms (never negative). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A time range in the store's zone: `Sat 14 Mar, 10:00–11:00`. */
export function timeRange(startsAt: string, endsAt: string, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', timeZone });
  const time = new Intl.DateTimeFormat('en', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return `${day.format(new Date(startsAt))}, ${time.formatRange(new Date(startsAt), new Date(endsAt))}`;
}

/** What to tell the shopper about a failed call. */
export function problemText(error: unknown): string {
  if (isDropSlotError(error)) return error.problem?.detail ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
