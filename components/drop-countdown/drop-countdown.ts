import { html, type PropertyDeclarations, type TemplateResult } from 'lit';
import { pageFetch } from '../internal/fetch.js';
import { numberFormat, splitDuration, unitParts, type DurationUnit } from '../internal/duration.js';
import { DropSlotLightElement } from '../internal/light-base.js';
import { localClock, pageClock } from '../internal/server-time.js';
import { baseStyles } from '../internal/tokens.styles.js';
import { CountdownEndEvent } from './drop-countdown.events.js';
import { countdownStyles } from './drop-countdown.styles.js';

/** Where a drop stands on server time: before its start, between start and end, or after its end. */
export type CountdownPhase = 'upcoming' | 'live' | 'ended';

const PHASE_RANK = { upcoming: 0, live: 1, ended: 2 } as const;
const LABELS = {
  upcoming: 'countdownOpensIn',
  live: 'countdownLive',
  ended: 'countdownEnded',
  'sold-out': 'countdownSoldOut',
} as const;

/** Remaining times at which the countdown is announced to screen readers (never every tick): 1 h, 10 min, 1 min, 10 s. */
const ANNOUNCE_AT: readonly [seconds: number, unit: DurationUnit, n: number][] = [
  [3600, 'hour', 1],
  [600, 'minute', 10],
  [60, 'minute', 1],
  [10, 'second', 10],
];

/** The largest `setTimeout` delay; longer waits are re-checked on wake-up. */
const MAX_TIMER = 2 ** 31 - 1;

/** A drop's start and end in epoch ms (`end` is Infinity when unknown), and whether every place was taken. */
interface DropWindow {
  start: number;
  end: number;
  soldOut?: boolean;
}

/** An ISO 8601 instant as epoch ms, or NaN. */
const instant = (value: unknown): number => (typeof value === 'string' ? Date.parse(value) : NaN);

/** Reads a drop's window with a plain fetch (no SDK client, no schema library: the countdown stays under 10 KB). */
async function fetchDropWindow(
  api: string,
  key: string,
  dropId: string,
  signal: AbortSignal,
): Promise<DropWindow> {
  const url = `${api.replace(/\/+$/, '')}/v1/drops/${encodeURIComponent(dropId)}`;
  const response = await pageFetch(url, { signal, headers: { Authorization: `Bearer ${key}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const drop = (await response.json()) as {
    startsAt?: unknown;
    endsAt?: unknown;
    capacityRemaining?: unknown;
  } | null;
  const start = instant(drop?.startsAt);
  if (Number.isNaN(start)) throw new TypeError('startsAt');
  // `undefined <= 0` is false: a drop without the count is never called sold out.
  return { start, end: instant(drop?.endsAt) || Infinity, soldOut: (drop?.capacityRemaining as number) <= 0 };
}

/**
 * A countdown to a drop's start on **server time**: the offset of the device clock is estimated from `/v1/time` probes,
 * so every shopper sees the drop open at the same instant whatever their device clock says. The time never runs
 * backwards; the countdown flips to `live` at the start and to `ended` after the end. A live drop whose places were all
 * taken when the page loaded says "Sold out" rather than "Live now" (the picker offers its waitlist).
 *
 * It needs only a drop id and the publishable key (its own attributes or the page configuration) and works without the
 * SDK client, so it can be embedded alone. `starts-at` / `ends-at` override the drop's times, or replace the API
 * entirely for static use (then the device clock is used).
 *
 * Screen readers: the time is a `role="timer"` (not announced on every tick); a polite live region announces the
 * remaining time at 1 hour, 10 minutes, 1 minute and 10 seconds, and each change of phase.
 *
 * @summary Counts down to a drop's start on server time.
 *
 * @attribute phase - Reflected, read-only: `upcoming`, `live` or `ended`; absent while loading or after an error.
 *
 * @slot upcoming - Replaces the label before the start (default: "Opens in").
 * @slot live - Replaces the label while the drop is live (default: "Live now").
 * @slot sold-out - Replaces the label while the drop is live with every place taken (default: "Sold out").
 * @slot ended - Replaces the label after the end (default: "This drop has ended").
 *
 * @csspart base - The wrapper, `role="timer"`.
 * @csspart label - The label: before the time when upcoming, alone when live or ended.
 * @csspart time - The remaining time, a group of segments.
 * @csspart segment - One unit of the remaining time; also `segment-days`, `segment-hours`, `segment-minutes`, `segment-seconds`.
 * @csspart value - The number of a segment.
 * @csspart unit - The unit name of a segment, localized.
 * @csspart skeleton - The placeholder shown while loading.
 * @csspart error - The message shown when the drop could not be loaded.
 * @csspart button - The retry button of the error state.
 *
 * @cssprop --ds-color-text - Text colour.
 * @cssprop --ds-color-muted - Colour of the units and the label.
 * @cssprop --ds-color-accent - Colour of the label when live, and of the retry button's focus ring default.
 * @cssprop --ds-color-danger - Colour of the error message.
 * @cssprop --ds-color-border - Border of the retry button and the skeleton.
 * @cssprop --ds-countdown-size - Font size of the numbers (default 1.75em).
 * @cssprop --ds-font-family - Font family.
 * @cssprop --ds-radius - Corner radius of the retry button and the skeleton.
 * @cssprop --ds-space - Base spacing unit.
 * @cssprop --ds-focus-ring - Outline of focused controls.
 *
 * @fires ds-countdown-end - {CountdownEndEvent} The countdown reached the drop's start while the page was watching. `detail: { dropId, startsAt }`.
 */
export class DropCountdown extends DropSlotLightElement {
  static override styles = [baseStyles, countdownStyles];
  // No decorators (their helpers cost bytes the 10 KB budget does not have).
  static override properties: PropertyDeclarations = {
    drop: {},
    startsAt: { attribute: 'starts-at' },
    endsAt: { attribute: 'ends-at' },
    window: { state: true },
    failed: { state: true },
    now: { state: true },
  };

  /** The id of the drop to count down to; its start and end are read from the API. */
  declare drop?: string;
  /** The start (ISO 8601) to count down to, instead of the drop's; with `ends-at`, no API call is made. */
  declare startsAt?: string;
  /** The end (ISO 8601) after which the countdown shows `ended`, instead of the drop's. */
  declare endsAt?: string;

  /** The drop's window once known. */
  declare private window?: DropWindow;
  /** Loading the window failed. */
  declare private failed?: boolean;
  /** Server time of the last tick; `undefined` until the clock is ready. */
  declare private now?: number;

  #source?: string;
  #abort?: AbortController;
  #clock?: { now(): number };
  #timer?: ReturnType<typeof setTimeout>;
  #phase?: CountdownPhase;
  #reachedStart = false;
  #secondsLeft?: number;
  #announcement = '';

  /** Where the drop stands on server time; `undefined` while loading or after an error. Reflected as `phase`. */
  get phase(): CountdownPhase | undefined {
    return this.#phase;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#source = undefined; // start over on reconnection
    this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#abort?.abort();
    clearTimeout(this.#timer);
  }

  /** Starts loading when the inputs changed; derives the phase (never backwards within one window) and announcements. */
  protected override willUpdate(): void {
    const source = [this.resolvedApi, this.resolvedKey, this.drop, this.startsAt, this.endsAt].join('|');
    if (source !== this.#source) {
      this.#source = source;
      this.#load();
    }
    const { window, now } = this;
    const before = this.#phase;
    if (this.failed || !window || now === undefined) {
      this.#phase = undefined;
      return;
    }
    let phase: CountdownPhase = now < window.start ? 'upcoming' : now < window.end ? 'live' : 'ended';
    if (before && PHASE_RANK[phase] < PHASE_RANK[before]) phase = before;
    this.#phase = phase;
    if (before && before !== phase) {
      this.#announcement = this.msg(LABELS[phase]);
      this.#reachedStart = before === 'upcoming';
    } else if (phase === 'upcoming') {
      const left = Math.ceil((window.start - now) / 1000);
      const last = this.#secondsLeft;
      const crossed = last === undefined ? undefined : ANNOUNCE_AT.find(([at]) => last > at && left <= at);
      if (crossed) {
        const time = numberFormat(this.resolvedLocale, {
          style: 'unit',
          unit: crossed[1],
          unitDisplay: 'long',
        }).format(crossed[2]);
        this.#announcement = this.msg('countdownAnnounceOpens', { time });
      }
      this.#secondsLeft = left;
    }
  }

  protected override updated(): void {
    const phase = this.#phase;
    if (phase) this.setAttribute('phase', phase);
    else this.removeAttribute('phase');
    if (this.#reachedStart && this.window) {
      this.#reachedStart = false;
      this.dispatchEvent(
        new CountdownEndEvent({ dropId: this.drop, startsAt: new Date(this.window.start).toISOString() }),
      );
    }
  }

  #load(): void {
    this.#abort?.abort();
    clearTimeout(this.#timer);
    this.window = this.now = this.#phase = this.#secondsLeft = undefined;
    this.failed = this.#reachedStart = false;
    this.#announcement = '';
    const api = this.resolvedApi;
    const key = this.resolvedKey;
    const abort = (this.#abort = new AbortController());

    const start = instant(this.startsAt);
    const end = instant(this.endsAt);
    if ((this.startsAt !== undefined && !start) || (this.endsAt !== undefined && !end)) {
      this.failed = true; // an attribute that is not an ISO 8601 instant
      return;
    }
    let window: Promise<DropWindow>;
    if (this.drop && !(start && end)) {
      if (!api || !key) return; // waits for the page configuration
      window = fetchDropWindow(api, key, this.drop, abort.signal).then((drop) => ({
        ...drop,
        start: start || drop.start,
        end: end || drop.end,
      }));
    } else if (start) {
      window = Promise.resolve({ start, end: end || Infinity });
    } else {
      return; // nothing to count down to yet
    }

    // Server time when an API is known; for purely static use, the device clock (a clock never synced: offset 0, and
    // still never running backwards).
    const { clock, ready } = api ? pageClock(api) : { clock: localClock(), ready: Promise.resolve() };
    Promise.all([window, ready]).then(
      ([known]) => {
        if (abort.signal.aborted) return;
        this.window = known;
        this.#clock = clock;
        this.#tick();
      },
      () => {
        if (!abort.signal.aborted) this.failed = true;
      },
    );
  }

  /** Reads server time, and schedules the next tick on the next whole second before the start (or at the end). */
  #tick(): void {
    const { window } = this;
    if (!this.#clock || !window || !this.isConnected) return;
    const now = (this.now = this.#clock.now());
    const delay =
      now < window.start ? (window.start - now) % 1000 || 1000 : Math.min(window.end - now, MAX_TIMER);
    if (delay > 0) this.#timer = setTimeout(() => this.#tick(), delay);
  }

  #retry = (): void => {
    this.#source = undefined;
    this.requestUpdate();
  };

  protected override render(): TemplateResult {
    const phase = this.#phase;
    const dir = this.resolvedDir;
    // Live, and every place was taken when the drop was read: the waitlist is what is open.
    const label = phase === 'live' && this.window?.soldOut ? 'sold-out' : (phase ?? 'live');
    return html`${
        this.failed
          ? html`<div part="base" dir=${dir}>
              <p part="error" role="alert">${this.msg('error')}</p>
              <button part="button" type="button" @click=${this.#retry}>${this.msg('retry')}</button>
            </div>`
          : phase && this.window && this.now !== undefined
            ? html`<div part="base" dir=${dir} role="timer" class=${label}>
                <span part="label"><slot name=${label}>${this.msg(LABELS[label])}</slot></span>
                ${phase === 'upcoming' ? this.#renderTime(this.window.start - this.now) : ''}
              </div>`
            : html`<div part="base" dir=${dir} aria-busy="true">
                <span part="skeleton" aria-hidden="true"></span>
                <span class="visually-hidden">${this.msg('loading')}</span>
              </div>`
      }
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">${this.#announcement}</div>`;
  }

  #renderTime(ms: number): TemplateResult {
    const { days, hours, minutes, seconds } = splitDuration(ms);
    const units: [DurationUnit, number][] = [];
    if (days) units.push(['day', days]);
    if (days || hours) units.push(['hour', hours]);
    units.push(['minute', minutes], ['second', seconds]);
    const locale = this.resolvedLocale;
    return html`<span part="time"
      >${units.map(([unit, n], i) => {
        const parts = unitParts(locale, unit, n, i ? 2 : 1);
        return html`<span part="segment segment-${unit}s"
          ><span part="value">${parts.value}</span><span part="unit">${parts.unit}</span></span
        >`;
      })}</span
    >`;
  }
}

export * from './drop-countdown.events.js';
