import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DropSlotClient } from '../../src/client.js';
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  TimeoutError,
  type DropSlotError,
} from '../../src/errors.js';
import type { LiveStatus } from '../../src/live.js';
import type { Drop, DropPhase } from '../../src/schemas/drops.js';
import type { Reservation } from '../../src/schemas/reservations.js';
import type { Slot } from '../../src/schemas/slots.js';
import type { Store } from '../../src/schemas/store.js';
import type { ReadableAtom } from 'nanostores';
import type { DropSessionStatus } from '../../src/stores/session.js';
import {
  createDropStore,
  createNowStore,
  type DropStore,
  type HoldState,
  type HoldStore,
  type WaitlistStore,
  type WaitlistStoreState,
} from '../../src/stores.js';
import { DropSlotElement } from '../internal/base.js';
import { syncClock } from '../internal/client.js';
import { clockReading, longDuration, numberFormat } from '../internal/duration.js';
import type { MessageKey } from '../internal/i18n.js';
import { pollUntil } from '../internal/poll.js';
import { accountLine, signInErrorKey, signInForm, submitSignIn } from '../internal/sign-in.js';
import { baseStyles } from '../internal/tokens.styles.js';
import {
  ConfirmEvent,
  HoldExpireEvent,
  ReserveEvent,
  WaitlistJoinEvent,
  WaitlistPromoteEvent,
} from './slot-picker.events.js';
import { pickerStyles } from './slot-picker.styles.js';

/**
 * The designed states of `<slot-picker>`, reflected as its `state` attribute:
 * `loading` (skeleton), `not-open-yet` (with the opening time), `open`, `sold-out`, `empty` (no slots), `ended`,
 * `sign-in` (the built-in sign-in step), `hold` (a hold with its timer), `expired`, `confirmed`, `waitlisted`
 * (live position), `promoted` (claim deadline), `error` (with Retry), `offline` (reconnecting).
 */
export type SlotPickerState =
  | 'loading'
  | 'not-open-yet'
  | 'open'
  | 'sold-out'
  | 'empty'
  | 'ended'
  | 'sign-in'
  | 'hold'
  | 'expired'
  | 'confirmed'
  | 'waitlisted'
  | 'promoted'
  | 'error'
  | 'offline';

const PHASE_RANK: Record<DropPhase, number> = { upcoming: 0, live: 1, ended: 2 };

/** The day headings: "Saturday, March 9". */
const DAY_LABEL: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };

/** Hold time left (seconds) at which screen readers hear a reminder. */
const HOLD_REMINDER_S = 60;

interface Session {
  client: DropSlotClient;
  drop: DropStore;
  /** The page-wide hold and waitlist entry of the signed-in customer in this drop (shared with the ticket). */
  hold: HoldStore;
  waitlist: WaitlistStore;
  $restore: ReadableAtom<DropSessionStatus>;
  stops: (() => void)[];
}

interface Notice {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

interface Day {
  label: string;
  slots: Slot[];
}

/** One `/v1/store` read per client and page (a failed read is not cached). */
const storeReads = new WeakMap<DropSlotClient, Promise<Store>>();
function readStore(client: DropSlotClient): Promise<Store> {
  let read = storeReads.get(client);
  if (!read) {
    read = client.store.retrieve();
    storeReads.set(client, read);
    read.catch(() => storeReads.delete(client));
  }
  return read;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A cached `Intl.DateTimeFormat`; an unknown zone or locale falls back to the browser's. */
function dateFormat(
  locale: string,
  zone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const id = `${locale}|${zone}|${JSON.stringify(options)}`;
  let format = dateFormats.get(id);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    } catch {
      format = new Intl.DateTimeFormat(undefined, options);
    }
    dateFormats.set(id, format);
  }
  return format;
}

const isBusyHold = (status: HoldState['status']): boolean =>
  status === 'reserving' || status === 'confirming' || status === 'cancelling';
const isBusyWaitlist = (status: WaitlistStoreState['status']): boolean =>
  status === 'joining' || status === 'leaving' || status === 'claiming';

/**
 * The slots of a drop, grouped by day in the branch's time zone (or the store's), with remaining places kept live from
 * the drop's stream. The shopper chooses a slot (a radio group: arrow keys, Home/End, Space), reserves it and gets a hold
 * with a visible expiry timer on server time, then confirms or cancels. When a slot is full they join its waitlist,
 * watch their position live, and claim the place before the deadline when promoted.
 *
 * Without a customer token (attribute, page configuration, or the page's session: a sign-in in any element of the
 * page or any tab of the store) reserving first shows a
 * minimal sign-in / sign-up step.
 *
 * Form-associated: inside a `<form>`, its value (under its `name`) is the reservation id once a place is held or
 * confirmed, and with `required` it is invalid (`valueMissing`) until then.
 *
 * State logic lives in the SDK's stores (`createDropStore`, `createHoldStore`, `createWaitlistStore`); the element
 * renders them.
 *
 * @summary Choose a slot of a drop, hold it, confirm it; or wait for it on the waitlist.
 *
 * @attribute state - Reflected, read-only: the designed state (`loading`, `not-open-yet`, `open`, `sold-out`, `empty`,
 * `ended`, `sign-in`, `hold`, `expired`, `confirmed`, `waitlisted`, `promoted`, `error`, `offline`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart heading - The "Choose a time" label of the slot list.
 * @csspart slots - The radio group of all slots.
 * @csspart day - One day's group of slots.
 * @csspart day-label - The date heading of a day.
 * @csspart slot - One slot (a radio); also `slot-selected` when chosen and `slot-full` when it has no place left.
 * @csspart slot-time - The time range of a slot.
 * @csspart slot-remaining - The places left (or "Full") of a slot.
 * @csspart notice - A message about the drop or the last action (not open yet, sold out, slot just filled, …).
 * @csspart hold - The running hold: its slot, timer and actions.
 * @csspart payment - The payment step (`<payment-step>`) of a paid drop's hold, under the timer.
 * @csspart timer - The time left of a hold or of a promotion's claim, on server time.
 * @csspart actions - A row of buttons.
 * @csspart button - Every button; the main action also has `button-primary`.
 * @csspart waitlist - The waitlist panel: position, or promotion with its claim deadline.
 * @csspart confirmed - The confirmation message.
 * @csspart expired - The message after a hold or claim ran out.
 * @csspart sign-in - The built-in sign-in / sign-up form.
 * @csspart summary - The line that repeats the chosen slot's day and time under the list.
 * @csspart account - Who is signed in, with Sign out (or, signed out, Sign in to see a booking made elsewhere).
 * @csspart sign-out - The Sign out button (also `button`).
 * @csspart account-sign-in - The Sign in button of the account line (also `button`).
 * @csspart field - A label and input of the sign-in form.
 * @csspart input - An input of the sign-in form.
 * @csspart error - The error message (with a Retry button).
 * @csspart offline - The "reconnecting" banner.
 * @csspart skeleton - The placeholders shown while loading.
 *
 * @cssprop --ds-color-accent - Accent: the primary button, the chosen slot.
 * @cssprop --ds-color-on-accent - Text on the accent colour.
 * @cssprop --ds-color-text - Text colour.
 * @cssprop --ds-color-muted - Secondary text (places left, day labels).
 * @cssprop --ds-color-surface - Background of slots, buttons and inputs.
 * @cssprop --ds-color-border - Borders of slots, buttons, inputs and the skeleton.
 * @cssprop --ds-color-danger - Errors and a hold's last minute.
 * @cssprop --ds-color-success - The confirmation.
 * @cssprop --ds-radius - Corner radius.
 * @cssprop --ds-font-family - Font family.
 * @cssprop --ds-space - Base spacing unit.
 * @cssprop --ds-focus-ring - Outline of focused controls.
 * @cssprop --ds-slot-min-width - Narrowest slot in the grid (default 11.5rem: a time range on one line).
 *
 * @fires ds-reserve - {ReserveEvent} The shopper took a hold. `detail: { reservation }` (PENDING, with `expiresAt`).
 * @fires ds-hold-expire - {HoldExpireEvent} A hold or a promotion's claim ran out before it was confirmed. `detail: { reservationId }`.
 * @fires ds-waitlist-join - {WaitlistJoinEvent} The shopper joined a full slot's waitlist. `detail: { entry }`.
 * @fires ds-waitlist-promote - {WaitlistPromoteEvent} The shopper's waitlist entry was promoted. `detail: { entry }` (with `claimDeadline`).
 * @fires ds-confirm - {ConfirmEvent} A hold was confirmed or a promotion claimed. `detail: { reservation }` (CONFIRMED).
 * @fires change - The value changed by the shopper's action (a hold taken or claimed, a hold cancelled); never after a programmatic change or an expiry.
 */
export class SlotPicker extends DropSlotElement {
  static override styles = [baseStyles, pickerStyles];
  static formAssociated = true;
  static override shadowRootOptions: ShadowRootInit = {
    ...LitElement.shadowRootOptions,
    delegatesFocus: true,
  };

  /** The id of the drop whose slots are offered. */
  @property() drop?: string;
  /** The name under which a form submits the reservation id. */
  @property({ reflect: true }) name?: string;
  /** Whether a form needs a held or confirmed reservation from this picker before it submits. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** The id of the chosen slot. Setting it chooses a slot without firing `change`. */
  @property({ attribute: 'selected-slot-id' }) selectedSlotId?: string;

  @state() private _drop: Drop | null = null;
  @state() private _slots: readonly Slot[] = [];
  @state() private _connection: LiveStatus = 'closed';
  @state() private _streamError: DropSlotError | null = null;
  @state() private _hold: HoldState = { status: 'idle', reservation: null, error: null };
  @state() private _waitlist: WaitlistStoreState = {
    status: 'idle',
    entry: null,
    reservation: null,
    error: null,
  };
  @state() private _store: Store | null = null;
  @state() private _storeFailed = false;
  /** Server time, set on the ticks that change what is shown (timers, a phase flip). */
  @state() private _now?: number;
  @state() private _signingIn = false;
  @state() private _signInOpen = false;
  /** The hold being paid (a paid drop; a claimed promotion too): the payment step is shown under its timer. */
  @state() private _paying?: string;
  @state() private _signInError?: MessageKey;
  @state() private _notice?: Notice;
  @state() private _actionError?: { retry: () => void };
  @state() private _announcement = '';
  @state() private _formDisabled = false;
  /** Restoring the customer's standing in the drop from the server (after a load, a sign-in). */
  @state() private _restore: DropSessionStatus = 'idle';

  readonly #internals: ElementInternals;
  #session?: Session;
  /** Bumped on every (un)subscription, so a late clock sync knows whether it still applies. */
  #listening = 0;
  #source?: string;
  #serverNow?: number;
  #afterSignIn?: () => void;
  /** Slots the API said were full since the stream last reported them (so "Join the waitlist" shows at once). */
  #knownFull = new Set<string>();
  #hadFocus = false;
  #focusSelector?: string;
  #dayCache?: { slots: readonly Slot[]; zone: string | undefined; locale: string; days: Day[] };
  #timeCache?: { locale: string; zone: string | undefined; texts: Map<string, string> };

  constructor() {
    super();
    this.#internals = this.attachInternals();
  }

  // ---- Public API -------------------------------------------------------------------------------------------

  /** The designed state the picker is in; reflected as the `state` attribute. */
  get state(): SlotPickerState {
    return this.#computeState();
  }

  /** The form value: the id of the held or confirmed reservation, or `''`. */
  get value(): string {
    const { status, reservation } = this._hold;
    if (
      reservation &&
      (status === 'held' || status === 'confirming' || status === 'cancelling' || status === 'confirmed')
    )
      return reservation.id;
    const { status: waitlistStatus, reservation: claimed, entry } = this._waitlist;
    if (waitlistStatus === 'claimed') return claimed?.id ?? entry?.reservationId ?? '';
    return '';
  }

  /** The form this picker belongs to. */
  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  /** The validity state (`valueMissing` when `required` and nothing is reserved). */
  get validity(): ValidityState {
    return this.#internals.validity;
  }

  /** The message shown when the picker is invalid. */
  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  /** Whether the picker takes part in form validation. */
  get willValidate(): boolean {
    return this.#internals.willValidate;
  }

  /** Checks validity; fires `invalid` when invalid. */
  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  /** Checks validity and shows the browser's message when invalid. */
  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  /** Form reset: forgets the chosen slot when nothing is reserved (a reservation is never undone by a reset). */
  formResetCallback(): void {
    if (!this.value) this.selectedSlotId = undefined;
  }

  /** A disabled `<fieldset>` around the picker disables its controls. */
  formDisabledCallback(disabled: boolean): void {
    this._formDisabled = disabled;
  }

  /**
   * Payment hand-over, the hook for paid drops (the payments work wires it; nothing is charged here). Called when the
   * shopper confirms a hold. Resolve `true` when a payment flow took over (it confirms the reservation once paid),
   * `false` to confirm the hold directly. The default confirms directly.
   */
  protected handOverToPayment(_hold: Reservation, _drop: Drop | null): Promise<boolean> {
    return Promise.resolve(false);
  }

  // ---- Lifecycle --------------------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page (disconnected, then connected again): listen again; the hold or waitlist entry is kept.
    if (this.#session && this.#session.stops.length === 0) this.#subscribe(this.#session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const source = `${this.resolvedApi}|${this.resolvedKey}|${this.drop}`;
    if (source !== this.#source) {
      this.#source = source;
      this.#start();
    }
    this.#hadFocus = this.matches(':focus-within');
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const state = this.#computeState();
    if (this.getAttribute('state') !== state) this.setAttribute('state', state);
    this.#syncForm();
    const selector = this.#focusSelector;
    this.#focusSelector = undefined;
    if (selector) this.#focus(selector);
    else if (this.#hadFocus && !this.matches(':focus-within')) {
      // The control that had focus went away with the old state: keep focus in the picker.
      this.#focus('[data-primary], [role="radio"][tabindex="0"], button');
    }
  }

  #focus(selector: string): void {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  #syncForm(): void {
    const value = this.value;
    this.#internals.setFormValue(value || null);
    if (this.required && !value) {
      const anchor =
        this.renderRoot.querySelector<HTMLElement>('[role="radio"][tabindex="0"], [data-primary]') ??
        undefined;
      this.#internals.setValidity({ valueMissing: true }, this.msg('pickerValueMissing'), anchor);
    } else {
      this.#internals.setValidity({});
    }
  }

  // ---- Stores -----------------------------------------------------------------------------------------------

  /** Stops listening to the session's stores (which closes the stream and stops their timers); they keep their state. */
  #unsubscribe(): void {
    this.#listening++;
    const session = this.#session;
    if (session) for (const stop of session.stops.splice(0)) stop();
  }

  /** Starts over for the current drop, API and key: new stores, nothing held. */
  #start(): void {
    this.#unsubscribe();
    this.#session = undefined;
    this._drop = null;
    this._slots = [];
    this._connection = 'closed';
    this._streamError = null;
    this._store = null;
    this._storeFailed = false;
    this._now = undefined;
    this._notice = undefined;
    this._actionError = undefined;
    this._signInOpen = false;
    this._paying = undefined;
    this.#afterSignIn = undefined;
    this.#serverNow = undefined;
    this.#knownFull.clear();
    this._hold = { status: 'idle', reservation: null, error: null };
    this._waitlist = { status: 'idle', entry: null, reservation: null, error: null };
    this._restore = 'idle';

    // The page's session restores the customer's hold or waitlist entry in this drop from the server, and shares
    // them with every other element of the page (the ticket, another picker).
    const client = this.client;
    const dropId = this.drop;
    const shopper = this.session;
    if (!client || !shopper || !dropId) return;
    const mine = shopper.drop(dropId);
    const session: Session = {
      client,
      drop: createDropStore(client, dropId),
      hold: mine.hold,
      waitlist: mine.waitlist,
      $restore: mine.$status,
      stops: [],
    };
    this.#session = session;
    this.#subscribe(session);

    readStore(client).then(
      (store) => {
        if (this.#session === session) this._store = store;
      },
      () => {
        if (this.#session === session) this._storeFailed = true;
      },
    );

    // The first Intl object of a page loads ICU data (tens of ms on a slow device): do it while the requests are out
    // (the main thread is idle then), not when the slots arrive. The zone is not known yet; later formatters are cheap.
    const warmIntl = (): void => {
      if (this.#session === session) dateFormat(this.resolvedLocale, undefined, DAY_LABEL).format(0);
    };
    if (typeof requestIdleCallback === 'function') requestIdleCallback(warmIntl, { timeout: 200 });
    else setTimeout(warmIntl);
  }

  /** Listens to the session's stores (mounting them opens the stream), and ticks server time once the clock is synced. */
  #subscribe(session: Session): void {
    session.stops.push(
      session.drop.$drop.subscribe((drop) => {
        this._drop = drop;
      }),
      session.drop.$slots.subscribe((slots) => this.#onSlots(slots)),
      session.drop.$connection.subscribe((connection) => {
        this._connection = connection;
      }),
      session.drop.$error.subscribe((error) => {
        this._streamError = error;
      }),
      session.hold.$hold.subscribe((hold, previous) => this.#onHold(hold, previous)),
      session.waitlist.$waitlist.subscribe((entry, previous) => this.#onWaitlist(entry, previous)),
      session.$restore.subscribe((status) => {
        this._restore = status;
      }),
    );
    // Server time is read only once synced: before that the clock would pin the device time (see ServerClock.now).
    const listening = ++this.#listening;
    void syncClock(session.client).then(() => {
      if (listening !== this.#listening) return; // unsubscribed or started over meanwhile
      const $now = createNowStore(session.client.clock);
      session.stops.push($now.subscribe((now) => this.#onTick(now)));
    });
  }

  #onSlots(slots: readonly Slot[]): void {
    const previous = this._slots;
    this._slots = slots;
    for (const slot of slots) if (slot.capacityRemaining > 0) this.#knownFull.delete(slot.id);
    // The line moves when the slot changes: re-read the position (and catch a promotion) at once.
    const entry = this._waitlist.entry;
    if (entry && (this._waitlist.status === 'waiting' || this._waitlist.status === 'promoted')) {
      const before = previous.find((s) => s.id === entry.slotId);
      const after = slots.find((s) => s.id === entry.slotId);
      if (before && after && before !== after) void this.#session?.waitlist.refresh();
    }
    const chosen = this.selectedSlotId;
    // The shopper's own hold may have taken the last place: that is no news for them.
    const own = this._hold.reservation?.slotId === chosen && this._hold.status !== 'cancelled';
    if (chosen && !own && this._hold.status !== 'reserving') {
      const before = previous.find((s) => s.id === chosen);
      const after = slots.find((s) => s.id === chosen);
      if (before && after && before.capacityRemaining > 0 && after.capacityRemaining <= 0)
        this._announcement = this.msg('pickerSlotFilled');
    }
  }

  #onHold(hold: HoldState, previous: HoldState | undefined): void {
    this._hold = hold;
    if (
      hold.status === 'expired' &&
      previous &&
      (previous.status === 'held' || previous.status === 'confirming') &&
      hold.reservation
    ) {
      this._announcement = this.msg('holdExpired');
      this.dispatchEvent(new HoldExpireEvent(hold.reservation.id));
    }
  }

  #onWaitlist(entry: WaitlistStoreState, previous: WaitlistStoreState | undefined): void {
    this._waitlist = entry;
    if (!previous || !entry.entry) return;
    if (entry.status === 'promoted' && previous.status !== 'promoted' && previous.status !== 'claiming') {
      this._announcement = this.msg('promoted', { deadline: this.#deadlineText(entry.entry.claimDeadline) });
      this.dispatchEvent(new WaitlistPromoteEvent(entry.entry));
    } else if (
      entry.status === 'expired' &&
      (previous.status === 'promoted' || previous.status === 'claiming')
    ) {
      this._announcement = this.msg('pickerClaimExpired');
      if (entry.entry.reservationId) this.dispatchEvent(new HoldExpireEvent(entry.entry.reservationId));
    } else if (
      entry.status === 'waiting' &&
      previous.status === 'waiting' &&
      entry.entry.position !== previous.entry?.position &&
      entry.entry.position !== null
    ) {
      this._announcement = this.msg('waitlisted', { position: this.#number(entry.entry.position) });
    }
  }

  /** A server-time tick: re-renders only when a timer is visible or the phase flips. */
  #onTick(now: number): void {
    const before = this.#serverNow;
    this.#serverNow = now;
    const state = this.#computeState();
    const timerShown = state === 'hold' || state === 'promoted';
    const phaseFlipped = before === undefined || this.#phaseAt(before) !== this.#phaseAt(now);
    if (timerShown || phaseFlipped) this._now = now;
    const { status, reservation } = this._hold;
    if (status === 'held' && reservation?.expiresAt && before !== undefined) {
      const end = Date.parse(reservation.expiresAt);
      const at = HOLD_REMINDER_S * 1000;
      if (end - before > at && end - now <= at && end - now > 0) {
        this._announcement = this.msg('pickerHoldEndsSoon', { time: longDuration(this.resolvedLocale, at) });
      }
    }
  }

  // ---- Derived state ----------------------------------------------------------------------------------------

  #phaseAt(now: number | undefined): DropPhase | undefined {
    const drop = this._drop;
    if (!drop) return undefined;
    if (drop.status === 'cancelled') return 'ended';
    let phase: DropPhase = drop.phase;
    if (now !== undefined) {
      const byClock: DropPhase =
        now < Date.parse(drop.startsAt) ? 'upcoming' : now < Date.parse(drop.endsAt) ? 'live' : 'ended';
      // The stream and the clock may disagree for a moment; the later phase wins, so the view never goes back.
      if (PHASE_RANK[byClock] > PHASE_RANK[phase]) phase = byClock;
    }
    return phase;
  }

  #computeState(): SlotPickerState {
    if (this._actionError) return 'error';
    if (this._signInOpen) return 'sign-in';
    const hold = this._hold.status;
    if (hold === 'held' || hold === 'confirming' || hold === 'cancelling') return 'hold';
    if (hold === 'confirmed') return 'confirmed';
    if (hold === 'expired') return 'expired';
    const waitlist = this._waitlist.status;
    if (waitlist === 'promoted' || waitlist === 'claiming') return 'promoted';
    if (waitlist === 'claimed') return 'confirmed';
    if (waitlist === 'expired') return 'expired';
    if (waitlist === 'waiting' || waitlist === 'leaving') return 'waitlisted';
    const fatal = this._connection === 'closed' && this._streamError !== null;
    if (this._storeFailed || fatal) return 'error';
    if (this._connection === 'reconnecting') return 'offline';
    if (this._drop === null || this._store === null) return 'loading';
    // Signed in: the list waits for the customer's standing, so a reload never offers Reserve to a ticket holder.
    if (this._restore === 'loading' && this.#hasToken()) return 'loading';
    const phase = this.#phaseAt(this.#serverNow);
    if (phase === 'upcoming') return 'not-open-yet';
    if (phase === 'ended') return 'ended';
    if (this._slots.length === 0) return 'empty';
    if (this._slots.every((slot) => this.#isFull(slot))) return 'sold-out';
    return 'open';
  }

  #isFull(slot: Slot): boolean {
    return slot.capacityRemaining <= 0 || this.#knownFull.has(slot.id);
  }

  #selectedSlot(): Slot | undefined {
    return this._slots.find((slot) => slot.id === this.selectedSlotId);
  }

  #zone(): string | undefined {
    const store = this._store;
    if (!store) return undefined;
    const branchId = this._drop?.branchId;
    return store.branches.find((branch) => branch.id === branchId)?.timeZone ?? store.timeZone;
  }

  #number(n: number): string {
    return numberFormat(this.resolvedLocale).format(n);
  }

  #deadlineText(iso: string | null): string {
    if (!iso) return '';
    return dateFormat(this.resolvedLocale, this.#zone(), { timeStyle: 'short' }).format(new Date(iso));
  }

  /** The slots (sorted by start) grouped by their day in the zone; the localized day label is the group's key. */
  #days(): Day[] {
    const zone = this.#zone();
    const locale = this.resolvedLocale;
    const cached = this.#dayCache;
    if (cached && cached.slots === this._slots && cached.zone === zone && cached.locale === locale)
      return cached.days;
    const labelFormat = dateFormat(locale, zone, DAY_LABEL);
    const days: Day[] = [];
    let current: Day | undefined;
    for (const slot of this._slots) {
      const label = labelFormat.format(new Date(slot.startsAt));
      if (current?.label !== label) {
        current = { label, slots: [] };
        days.push(current);
      }
      current.slots.push(slot);
    }
    this.#dayCache = { slots: this._slots, zone, locale, days };
    return days;
  }

  /**
   * "10:00 – 10:30" in the zone, cached per locale and zone (every stream event re-renders the slots). Two `format`
   * calls, not `formatRange`: that costs ~20× more, too slow for 48 slots.
   */
  #slotTime(slot: Slot): string {
    const locale = this.resolvedLocale;
    const zone = this.#zone();
    let cache = this.#timeCache;
    if (cache?.locale !== locale || cache.zone !== zone)
      cache = this.#timeCache = { locale, zone, texts: new Map() };
    const id = `${slot.startsAt}|${slot.endsAt}`;
    let text = cache.texts.get(id);
    if (text === undefined) {
      const format = dateFormat(locale, zone, { timeStyle: 'short' });
      text = `${format.format(new Date(slot.startsAt))} – ${format.format(new Date(slot.endsAt))}`;
      cache.texts.set(id, text);
    }
    return text;
  }

  /** The time range with each time isolated (`<bdi>`), so it reads right in a right-to-left layout too. */
  #slotTimeIsolated(slot: Slot): TemplateResult {
    const [start, end] = this.#slotTime(slot).split(' – ');
    return html`<bdi>${start}</bdi> – <bdi>${end}</bdi>`;
  }

  #slotDayAndTime(slotId: string | undefined): string {
    const slot = this._slots.find((s) => s.id === slotId);
    if (!slot) return '';
    const day = dateFormat(this.resolvedLocale, this.#zone(), DAY_LABEL);
    return `${day.format(new Date(slot.startsAt))} · ${this.#slotTime(slot)}`;
  }

  #hasToken(): boolean {
    return Boolean(this.settings.customerToken);
  }

  // ---- Actions ----------------------------------------------------------------------------------------------

  /** Runs a user action and fires `change` if it changed the value. */
  async #userAction(action: () => Promise<void>): Promise<void> {
    const before = this.value;
    await action();
    if (this.value !== before) this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  #choose(slotId: string): void {
    if (this._formDisabled) return;
    this.selectedSlotId = slotId;
    this._notice = undefined;
  }

  #primary = (): void => {
    const slot = this.#selectedSlot();
    if (!slot) {
      this._notice = { key: 'pickerChooseFirst' };
      this.#focusSelector = '[role="radio"][tabindex="0"]';
      return;
    }
    if (this.#isFull(slot)) void this.#join(slot);
    else void this.#reserve(slot);
  };

  #reserve(slot: Slot): Promise<void> {
    return this.#userAction(async () => {
      const session = this.#session;
      if (!session) return;
      if (!this.#hasToken()) return this.#askSignIn(() => void this.#reserve(slot));
      this._notice = undefined;
      const result = await session.hold.reserve(slot.id);
      if (session !== this.#session) return;
      if (result.status === 'held' && result.reservation) {
        const { expiresAt } = result.reservation;
        const now = this.#serverNow; // undefined until the clock synced: never read it before (see ServerClock.now)
        if (expiresAt && now !== undefined) {
          const time = longDuration(this.resolvedLocale, Date.parse(expiresAt) - now);
          this._announcement = this.msg('holdRunning', { time });
        }
        this.dispatchEvent(new ReserveEvent(result.reservation));
        this.#focusSelector = '[data-primary]';
      } else if (result.status === 'error' && result.error) {
        session.hold.reset();
        this.#handleError(result.error, slot, () => void this.#reserve(slot));
      }
    });
  }

  #join(slot: Slot): Promise<void> {
    return this.#userAction(async () => {
      const session = this.#session;
      if (!session) return;
      if (!this.#hasToken()) return this.#askSignIn(() => void this.#join(slot));
      this._notice = undefined;
      const result = await session.waitlist.join(slot.id);
      if (session !== this.#session) return;
      if ((result.status === 'waiting' || result.status === 'promoted') && result.entry) {
        const position = result.entry.position;
        if (position !== null)
          this._announcement = this.msg('waitlisted', { position: this.#number(position) });
        this.dispatchEvent(new WaitlistJoinEvent(result.entry));
        this.#focusSelector = '[data-primary]';
      } else if (result.status === 'error' && result.error) {
        session.waitlist.reset();
        this.#handleError(result.error, slot, () => void this.#join(slot));
      }
    });
  }

  #confirm = (): Promise<void> =>
    this.#userAction(async () => {
      const session = this.#session;
      const reservation = this._hold.reservation;
      if (!session || !reservation) return;
      if (await this.handOverToPayment(reservation, this._drop)) return;
      // A paid drop: its hold is confirmed by the payment, not by a confirm call.
      if (this._drop?.paymentRequired) return this.#askPayment(reservation.id);
      const result = await session.hold.confirm();
      if (session !== this.#session) return;
      if (result.status === 'held' && result.error?.code === 'payment_required') {
        return this.#askPayment(reservation.id);
      }
      if (result.status === 'confirmed' && result.reservation) {
        this._announcement = this.msg('confirmed');
        this.dispatchEvent(new ConfirmEvent(result.reservation));
        this.#focusSelector = '[data-primary]';
      }
    });

  /** A paid drop: the provider's payment confirms the hold. The payment step is a chunk of its own. */
  async #askPayment(reservationId: string): Promise<void> {
    await import('../payment-step/define.js');
    this._paying = reservationId;
    this.#focusSelector = 'payment-step';
  }

  /** The payment succeeded: its webhook confirms the hold on the server; follow it there. */
  #paid = (): Promise<void> =>
    this.#userAction(async () => {
      const session = this.#session;
      const paying = this._paying;
      if (!session || !paying) return;
      const reservation = await pollUntil(
        () => session.client.reservations.retrieve(paying),
        (r) => r.state !== 'PENDING',
      );
      if (session !== this.#session) return;
      this._paying = undefined;
      if (this._waitlist.entry?.reservationId === paying) await session.waitlist.refresh();
      else session.hold.adopt(reservation);
      if (reservation.state === 'CONFIRMED') {
        this._announcement = this.msg('confirmed');
        this.dispatchEvent(new ConfirmEvent(reservation));
        this.#focusSelector = '[data-primary]';
      }
    });

  #cancel = (): Promise<void> =>
    this.#userAction(async () => {
      const session = this.#session;
      if (!session) return;
      const result = await session.hold.cancel();
      if (session !== this.#session) return;
      // The cancelled reservation stays in the shared store (the ticket says so); the picker offers the slots again.
      if (result.status === 'cancelled') this.#focusSelector = '[role="radio"][tabindex="0"]';
    });

  #claim = (): Promise<void> =>
    this.#userAction(async () => {
      const session = this.#session;
      if (!session) return;
      const promoted = this._waitlist.entry?.reservationId;
      if (this._drop?.paymentRequired && promoted) return this.#askPayment(promoted);
      const result = await session.waitlist.claim();
      if (session !== this.#session) return;
      if (result.error?.code === 'payment_required' && result.entry?.reservationId) {
        return this.#askPayment(result.entry.reservationId);
      }
      if (result.status === 'claimed' && result.reservation) {
        this._announcement = this.msg('confirmed');
        this.dispatchEvent(new ConfirmEvent(result.reservation));
        this.#focusSelector = '[data-primary]';
      }
    });

  #leave = async (): Promise<void> => {
    const session = this.#session;
    if (!session) return;
    const result = await session.waitlist.leave();
    if (session !== this.#session) return;
    if (result.status === 'left') {
      session.waitlist.reset();
      this.#focusSelector = '[role="radio"][tabindex="0"]';
    }
  };

  #startOver = (): void => {
    this.#session?.hold.reset();
    this.#session?.waitlist.reset();
    this._notice = undefined;
    this.#focusSelector = '[role="radio"][tabindex="0"]';
  };

  #retry = (): void => {
    const failed = this._actionError;
    this._actionError = undefined;
    if (failed) failed.retry();
    else {
      this.#source = undefined; // reload everything
      this.requestUpdate();
    }
  };

  /** Turns a failed reserve or join into a notice, the sign-in step, or the error state. */
  #handleError(error: DropSlotError, slot: Slot, retry: () => void): void {
    if (
      AuthenticationError.is(error) &&
      (error.code === 'customer_token_required' || error.code === 'invalid_customer_token')
    ) {
      this.forgetToken();
      this.#askSignIn(retry);
      return;
    }
    if (ConflictError.is(error)) {
      switch (error.code) {
        case 'slot_full':
          this.#knownFull.add(slot.id);
          this._notice = { key: 'pickerSlotFilled' };
          this.#focusSelector = '[data-primary]';
          return;
        case 'drop_not_open':
          this._notice = { key: 'notOpenYet', vars: { when: this.#openingText() } };
          return;
        case 'drop_closed':
          this._notice = { key: 'countdownEnded' };
          return;
        case 'already_reserved':
        case 'reservation_limit_reached':
          this._notice = { key: 'pickerAlreadyReserved' };
          return;
        case 'already_waitlisted':
          this._notice = { key: 'pickerAlreadyWaitlisted' };
          return;
        case 'slot_available':
          this.#knownFull.delete(slot.id);
          this._notice = { key: 'pickerSlotHasPlaces' };
          this.#focusSelector = '[data-primary]';
          return;
      }
    }
    if (ConnectionError.is(error) || TimeoutError.is(error)) {
      // Offline: say so, and try again by itself once the browser is back online.
      this._notice = { key: 'actionOffline' };
      addEventListener('online', retry, { once: true });
      return;
    }
    this._actionError = { retry };
    this.#focusSelector = '[data-primary]';
  }

  #askSignIn(then: () => void): void {
    this.#afterSignIn = then;
    this._signInError = undefined;
    this._signInOpen = true;
    this.#focusSelector = 'input[name="email"]';
  }

  #closeSignIn = (): void => {
    this.#afterSignIn = undefined;
    this._signInOpen = false;
    this.#focusSelector = '[role="radio"][tabindex="0"]';
  };

  #submitSignIn = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client) {
      event.preventDefault();
      return;
    }
    this._signingIn = true;
    this._signInError = undefined;
    try {
      const session = await submitSignIn(client, event);
      this.rememberToken(session.token, session.expiresAt);
      const then = this.#afterSignIn;
      this.#afterSignIn = undefined;
      // Their standing in the drop first: someone who already holds a place sees it rather than a refusal.
      const drop = this.drop;
      if (drop) await this.session?.drop(drop).refresh();
      this._signInOpen = false;
      const hold = this._hold.status;
      const line = this._waitlist.status;
      const standing = hold === 'held' || hold === 'confirmed' || line === 'waiting' || line === 'promoted';
      if (!standing) then?.();
    } catch (e) {
      this._signInError = signInErrorKey(e);
      this.#focusSelector = 'input[name="email"]';
    } finally {
      this._signingIn = false;
    }
  };

  #openingText(): string {
    const drop = this._drop;
    if (!drop) return '';
    return dateFormat(this.resolvedLocale, this.#zone(), { dateStyle: 'full', timeStyle: 'short' }).format(
      new Date(drop.startsAt),
    );
  }

  // ---- Keyboard (WAI-ARIA APG radio group, roving tabindex) ------------------------------------------------

  #onKeyDown = (event: KeyboardEvent): void => {
    const radio = (event.target as HTMLElement).closest<HTMLElement>('[role="radio"]');
    if (!radio || this._formDisabled) return;
    const radios = [...this.renderRoot.querySelectorAll<HTMLElement>('[role="radio"]')];
    const index = radios.indexOf(radio);
    const rtl = getComputedStyle(this).direction === 'rtl';
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = index + 1;
        break;
      case 'ArrowUp':
        next = index - 1;
        break;
      case 'ArrowRight':
        next = rtl ? index - 1 : index + 1;
        break;
      case 'ArrowLeft':
        next = rtl ? index + 1 : index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = radios.length - 1;
        break;
      case ' ':
        event.preventDefault();
        this.#choose(radio.dataset.slotId ?? '');
        return;
      default:
        return;
    }
    event.preventDefault();
    const target = radios[(next + radios.length) % radios.length];
    if (!target) return;
    this.#choose(target.dataset.slotId ?? '');
    target.focus();
  };

  #onSlotClick = (event: MouseEvent): void => {
    const radio = (event.currentTarget as HTMLElement).closest<HTMLElement>('[role="radio"]');
    if (!radio) return;
    this.#choose(radio.dataset.slotId ?? '');
    radio.focus();
  };

  // ---- Rendering --------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    const state = this.#computeState();
    return html`<div
      part="base"
      class="state-${state}"
      dir=${this.resolvedDir}
      lang=${this.resolvedLocale}
      aria-busy=${state === 'loading' ? 'true' : 'false'}
    >
      ${this._connection === 'reconnecting' && state !== 'offline' ? this.#renderOffline() : nothing}
      ${this.#renderState(state)}
      ${state === 'sign-in' || state === 'loading' ? nothing : this.#renderAccount()}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        ${this._announcement}
      </div>
    </div>`;
  }

  #renderState(state: SlotPickerState): TemplateResult {
    switch (state) {
      case 'loading':
        return this.#renderSkeleton();
      case 'error':
        return this.#renderError();
      case 'offline':
        return html`${this.#renderOffline()}${this._drop && this._store ? this.#renderPicker(state) : this.#renderSkeleton()}`;
      case 'sign-in':
        return this.#renderSignIn();
      case 'hold':
        return this.#renderHold();
      case 'confirmed':
        return this.#renderConfirmed();
      case 'expired':
        return this.#renderExpired();
      case 'waitlisted':
        return this.#renderWaitlisted();
      case 'promoted':
        return this.#renderPromoted();
      case 'ended':
        return html`<p part="notice">${this.msg('countdownEnded')}</p>`;
      case 'empty':
        return html`<p part="notice">${this.msg('pickerNoSlots')}</p>`;
      default:
        return this.#renderPicker(state);
    }
  }

  /**
   * Signed in: says so, with the way out (for every element of the page, and every tab of the store). Signed out: the
   * way in, for someone who booked elsewhere (their hold, ticket or waitlist place shows once signed in).
   */
  #renderAccount(): TemplateResult {
    return accountLine({
      msg: (key) => this.msg(key),
      signedIn: this.#hasToken(),
      onSignOut: this.#signOut,
      onSignIn: () => this.#askSignIn(() => undefined),
    });
  }

  #signOut = (): void => {
    this.forgetToken();
    this.#focusSelector = '[role="radio"][tabindex="0"], [data-primary]';
  };

  #renderSkeleton(): TemplateResult {
    return html`<div class="skeleton-list" aria-hidden="true">
        <span part="skeleton" class="skeleton-label"></span>
        ${[0, 1, 2, 3, 4, 5].map(() => html`<span part="skeleton" class="skeleton-slot"></span>`)}
      </div>
      <p class="visually-hidden">${this.msg('loading')}</p>`;
  }

  #renderOffline(): TemplateResult {
    return html`<p part="offline">${this.msg('offline')}</p>`;
  }

  #renderError(): TemplateResult {
    return html`<div part="error" role="alert">
      <p>${this._actionError ? this.msg('actionFailed') : this.msg('error')}</p>
      <div part="actions">
        <button part="button button-primary" class="primary" type="button" data-primary @click=${this.#retry}>
          ${this.msg('retry')}
        </button>
      </div>
    </div>`;
  }

  #renderNotice(state: SlotPickerState): TemplateResult | typeof nothing {
    const notice = this._notice;
    if (notice) return html`<p part="notice">${this.msg(notice.key, notice.vars)}</p>`;
    if (state === 'not-open-yet')
      return html`<p part="notice">${this.msg('notOpenYet', { when: this.#openingText() })}</p>`;
    if (state === 'sold-out')
      return html`<p part="notice">
        <strong>${this.msg('soldOut')}</strong> ${this.msg('pickerSoldOutHint')}
      </p>`;
    return nothing;
  }

  #renderPicker(state: SlotPickerState): TemplateResult {
    const selected = this.#selectedSlot();
    const days = this.#days();
    const tabbable = selected?.id ?? this._slots[0]?.id;
    const disabled = this._formDisabled;
    const busy = isBusyHold(this._hold.status) || isBusyWaitlist(this._waitlist.status);
    const closed = state === 'not-open-yet';
    const full = selected !== undefined && this.#isFull(selected);
    return html`${this.#renderNotice(state)}
      <p part="heading" id="heading">${this.msg('chooseSlot')}</p>
      <div
        part="slots"
        role="radiogroup"
        aria-labelledby="heading"
        aria-disabled=${disabled ? 'true' : 'false'}
      >
        ${days.map(
          (day, i) =>
            html`<div part="day" role="group" aria-labelledby="day-${i}">
              <p part="day-label" id="day-${i}">${day.label}</p>
              <div class="day-slots">
                ${day.slots.map((slot) => this.#renderSlot(slot, slot.id === selected?.id, slot.id === tabbable))}
              </div>
            </div>`,
        )}
      </div>
      ${selected ? html`<p part="summary" class="summary">${this.msg('pickerChosen', { slot: this.#slotDayAndTime(selected.id) })}</p>` : nothing}
      <div part="actions">
        <button
          part="button button-primary"
          class="primary"
          type="button"
          data-primary
          ?disabled=${disabled || busy || closed}
          aria-busy=${busy ? 'true' : 'false'}
          @click=${this.#primary}
        >
          ${full || (state === 'sold-out' && !selected) ? this.msg('joinWaitlist') : this.msg('reserve')}
        </button>
      </div>`;
  }

  #renderSlot(slot: Slot, checked: boolean, tabbable: boolean): TemplateResult {
    const full = this.#isFull(slot);
    const part = `slot${checked ? ' slot-selected' : ''}${full ? ' slot-full' : ''}`;
    return html`<div
      part=${part}
      role="radio"
      aria-checked=${checked ? 'true' : 'false'}
      aria-disabled=${this._formDisabled ? 'true' : 'false'}
      tabindex=${tabbable ? '0' : '-1'}
      data-slot-id=${slot.id}
      @click=${this.#onSlotClick}
      @keydown=${this.#onKeyDown}
    >
      <span part="slot-time">${this.#slotTimeIsolated(slot)}</span>
      <span part="slot-remaining"
        >${full ? this.msg('full') : this.msg('placesLeft', { n: this.#number(slot.capacityRemaining) })}</span
      >
    </div>`;
  }

  /** A message whose `{name}` placeholder is a template (a live timer) rather than text. */
  #messageWith(key: MessageKey, name: string, node: TemplateResult): TemplateResult {
    const marker = '\u0000';
    const [before = '', after = ''] = this.msg(key, { [name]: marker }).split(marker);
    return html`${before}${node}${after}`;
  }

  #timer(until: string | null | undefined, urgentBelowMs = HOLD_REMINDER_S * 1000): TemplateResult {
    // Server time now (not the last tick's): the clock is read only once synced, see #start.
    const now = this.#serverNow === undefined ? undefined : this.#session?.client.clock.now();
    const left = until && now !== undefined ? Math.max(0, Date.parse(until) - now) : undefined;
    const urgent = left !== undefined && left <= urgentBelowMs;
    return html`<span part="timer" role="timer" class=${urgent ? 'urgent' : ''}
      >${left === undefined ? '–:––' : clockReading(this.resolvedLocale, left)}</span
    >`;
  }

  #renderHold(): TemplateResult {
    const { status, reservation, error } = this._hold;
    const busy = isBusyHold(status) || this._formDisabled;
    const paid = this._drop?.paymentRequired === true;
    return html`<div part="hold" role="group" aria-labelledby="hold-title">
      <p class="title" id="hold-title">${this.#slotDayAndTime(reservation?.slotId)}</p>
      <p>
        ${this.#messageWith(paid ? 'holdRunningPay' : 'holdRunning', 'time', this.#timer(reservation?.expiresAt))}
      </p>
      ${
        error && error.code !== 'payment_required'
          ? html`<p part="notice" class="danger">${this.msg('actionFailed')}</p>`
          : nothing
      }
      ${this.#renderPayment(reservation?.id)}
      <div part="actions">
        <button
          part="button button-primary"
          class="primary"
          type="button"
          data-primary
          ?hidden=${this._paying !== undefined && this._paying === reservation?.id}
          ?disabled=${busy}
          aria-busy=${status === 'confirming' ? 'true' : 'false'}
          @click=${this.#confirm}
        >
          ${paid ? this.msg('pay') : this.msg('confirm')}
        </button>
        <button
          part="button"
          type="button"
          ?disabled=${busy}
          aria-busy=${status === 'cancelling' ? 'true' : 'false'}
          @click=${this.#cancel}
        >
          ${this.msg('cancel')}
        </button>
      </div>
    </div>`;
  }

  #renderConfirmed(): TemplateResult {
    const reservation = this._hold.reservation ?? this._waitlist.reservation;
    return html`<div part="confirmed" role="group" aria-labelledby="confirmed-title">
      <p class="title" id="confirmed-title">${this.msg('confirmed')}</p>
      <p>${this.#slotDayAndTime(reservation?.slotId)}</p>
    </div>`;
  }

  #renderExpired(): TemplateResult {
    const claim = this._waitlist.status === 'expired';
    return html`<div part="expired">
      <p>${claim ? this.msg('pickerClaimExpired') : this.msg('holdExpired')}</p>
      <div part="actions">
        <button
          part="button button-primary"
          class="primary"
          type="button"
          data-primary
          @click=${this.#startOver}
        >
          ${this.msg('pickerChooseAnother')}
        </button>
      </div>
    </div>`;
  }

  #renderWaitlisted(): TemplateResult {
    const { entry, status, error } = this._waitlist;
    const position = entry?.position ?? null;
    return html`<div part="waitlist" role="group" aria-labelledby="waitlist-title">
      <p class="title" id="waitlist-title">${this.#slotDayAndTime(entry?.slotId)}</p>
      <p class="position">
        ${position === null ? '' : this.msg('waitlisted', { position: this.#number(position) })}
      </p>
      ${error ? html`<p part="notice" class="danger">${this.msg('actionFailed')}</p>` : nothing}
      <div part="actions">
        <button
          part="button"
          type="button"
          data-primary
          ?disabled=${status === 'leaving' || this._formDisabled}
          aria-busy=${status === 'leaving' ? 'true' : 'false'}
          @click=${this.#leave}
        >
          ${this.msg('leaveWaitlist')}
        </button>
      </div>
    </div>`;
  }

  /** The payment step for the hold being paid, if it is `reservationId`. */
  #renderPayment(reservationId: string | null | undefined): TemplateResult | typeof nothing {
    if (!reservationId || this._paying !== reservationId) return nothing;
    return html`<payment-step
      part="payment"
      tabindex="-1"
      reservation=${reservationId}
      api=${this.settings.api ?? nothing}
      publishable-key=${this.settings.publishableKey ?? nothing}
      customer-token=${this.settings.customerToken ?? nothing}
      locale=${this.resolvedLocale}
      @ds-payment-succeed=${this.#paid}
    ></payment-step>`;
  }

  #renderPromoted(): TemplateResult {
    const { entry, status, error } = this._waitlist;
    const busy = status === 'claiming' || this._formDisabled;
    return html`<div part="waitlist" class="promoted" role="group" aria-labelledby="promoted-title">
      <p class="title" id="promoted-title">${this.#slotDayAndTime(entry?.slotId)}</p>
      <p>${this.msg('promoted', { deadline: this.#deadlineText(entry?.claimDeadline ?? null) })}</p>
      <p>${this.#timer(entry?.claimDeadline)}</p>
      ${
        error && error.code !== 'payment_required'
          ? html`<p part="notice" class="danger">${this.msg('actionFailed')}</p>`
          : nothing
      }
      ${this.#renderPayment(entry?.reservationId)}
      <div part="actions">
        <button
          part="button button-primary"
          class="primary"
          type="button"
          data-primary
          ?disabled=${busy}
          ?hidden=${this._paying !== undefined && this._paying === entry?.reservationId}
          aria-busy=${status === 'claiming' ? 'true' : 'false'}
          @click=${this.#claim}
        >
          ${this.msg('claim')}
        </button>
        <button part="button" type="button" ?disabled=${busy} @click=${this.#leave}>
          ${this.msg('leaveWaitlist')}
        </button>
      </div>
    </div>`;
  }

  #renderSignIn(): TemplateResult {
    return signInForm({
      msg: (key) => this.msg(key),
      hint: this.msg('pickerSignInHint'),
      busy: this._signingIn,
      error: this._signInError,
      onSubmit: this.#submitSignIn,
      onBack: this.#closeSignIn,
    });
  }
}

export * from './slot-picker.events.js';
