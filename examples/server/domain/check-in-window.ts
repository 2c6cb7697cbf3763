/**
 * When a ticket may be checked in and a rental handed over. A reservation checks in from `opensMinutesBefore` its
 * slot starts until `closesMinutesAfter` it ends: the drop's rule decides, else the store's check-in setting, else
 * 120 minutes before and 0 after (check-in closes when the slot ends). A rental's pickup may be verified from the
 * same number of minutes before the rental starts until it ends; a return whenever the units are out (returning early
 * or late is allowed; late returns are marked overdue by the sweeper).
 *
 * Outside the window: 409 `check_in_not_open` with `opensAt` (and `closesAt`), or 409 `check_in_closed` with
 * `closedAt`. Nothing changes and the code stays unused.
 */
import { ProblemCode } from '../../../src/schemas/index.js';
import { ApiError } from '../http/problem.js';

export const DEFAULT_OPENS_MINUTES_BEFORE = 120;
export const DEFAULT_CLOSES_MINUTES_AFTER = 0;

export interface WindowRule {
  opensMinutesBefore?: number | null | undefined;
  closesMinutesAfter?: number | null | undefined;
}

/** The window around `[startsAt, endsAt)`: the first rule that says wins (drop, then store), then the defaults. */
export function windowAround(
  startsAt: Date,
  endsAt: Date,
  ...rules: (WindowRule | undefined)[]
): { opensAt: Date; closesAt: Date } {
  const pick = (key: keyof WindowRule, fallback: number) => {
    for (const rule of rules) {
      const value = rule?.[key];
      if (typeof value === 'number') return value;
    }
    return fallback;
  };
  return {
    opensAt: new Date(startsAt.getTime() - pick('opensMinutesBefore', DEFAULT_OPENS_MINUTES_BEFORE) * 60_000),
    closesAt: new Date(endsAt.getTime() + pick('closesMinutesAfter', DEFAULT_CLOSES_MINUTES_AFTER) * 60_000),
  };
}

/** Throws 409 when `now` is outside the window; `what` names the act in the detail ("Check-in", "Pickup"). */
export function assertWithin(
  window: { opensAt: Date; closesAt: Date },
  now: Date,
  what: string,
  extra: Record<string, unknown> = {},
): void {
  if (now < window.opensAt) {
    throw new ApiError(409, ProblemCode.checkInNotOpen, `${what} opens at ${window.opensAt.toISOString()}.`, {
      ...extra,
      opensAt: window.opensAt.toISOString(),
      closesAt: window.closesAt.toISOString(),
    });
  }
  if (now >= window.closesAt) {
    throw new ApiError(
      409,
      ProblemCode.checkInClosed,
      `${what} closed at ${window.closesAt.toISOString()}.`,
      {
        ...extra,
        closedAt: window.closesAt.toISOString(),
      },
    );
  }
}
