import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  ConflictError,
  ConnectionError,
  DropSlotError,
  NotFoundError,
  TimeoutError,
  ValidationError,
} from '../../src/errors.js';
import type { Product } from '../../src/schemas/products.js';
import type {
  AvailabilityMonth,
  LoyaltyAccount,
  PricingUnit,
  RentalOrder,
  RentalQuote,
  RentalQuoteRequest,
} from '../../src/schemas/rentals.js';
import type { Store } from '../../src/schemas/store.js';
import type { DropSessionStatus } from '../../src/stores/session.js';
import { formatMoney } from '../../src/money.js';
import { DropSlotElement } from '../internal/base.js';
import { syncClock } from '../internal/client.js';
import { pollUntil } from '../internal/poll.js';
import { isRtl } from '../internal/i18n.js';
import { OnlineRetry } from '../internal/online-retry.js';
import { productImage } from '../internal/product-image.js';
import { accountLine, signInErrorKey, signInForm, submitSignIn } from '../internal/sign-in.js';
import type { MessageKey } from '../internal/i18n.js';
import { StoreController } from '../internal/store-controller.js';
import { baseStyles } from '../internal/tokens.styles.js';
import type { QrGeometry } from '../reservation-ticket/qr.js';
import {
  addDays,
  addMonths,
  dateIn,
  daysBetween,
  firstDayOfWeek,
  monthOf,
  monthWeeks,
  shiftMonth,
  weekday,
  zonedInstant,
} from './calendar.js';
import { rentalMessage, type RentalMessageKey } from './messages.js';
import { RentalBookEvent, RentalConfirmEvent, RentalQuoteEvent } from './rental-checkout.events.js';
import { checkoutStyles } from './rental-checkout.styles.js';

/**
 * The designed states of `<rental-checkout>`, reflected as its `state` attribute: `loading` (skeleton), `error` (with
 * Retry), `not-rentable`, `choose` (no complete period yet), `quote` (a price for the period), `unavailable` (not
 * enough free units), `sign-in` (the built-in sign-in step), `payment` (the order holds its units: pay at pickup and
 * confirm, or the payment step), `awaiting-payment` (held until the invoice is paid online), `confirmed` (pickup QR).
 */
export type RentalCheckoutState =
  | 'loading'
  | 'error'
  | 'not-rentable'
  | 'choose'
  | 'quote'
  | 'unavailable'
  | 'sign-in'
  | 'payment'
  | 'awaiting-payment'
  | 'confirmed';

/** Hours a pickup or return can be booked at, on the store's wall clock, when the store publishes no opening hours. */
const HOURS = Array.from({ length: 15 }, (_, i) => i + 7);
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const DEFAULT_HOUR = 10;
const MAX_DAYS = 90;
const QUOTE_DEBOUNCE_MS = 150;

type Phase =
  'loading' | 'error' | 'not-rentable' | 'choose' | 'sign-in' | 'payment' | 'awaiting-payment' | 'confirmed';

/**
 * Rent a product: its images and price, a date-range calendar with free units per day (an APG date-picker grid: arrow
 * keys move by day and week, Home/End to the week's edges, Page Up/Down by month, Shift+Page Up/Down by year, Enter or
 * Space chooses the pickup day, then the return day), pickup and return times, quantity, a promo code, loyalty points,
 * and a live itemised quote. Booking holds the units and issues the invoice; then the payment step (pay at pickup and
 * confirm, when the store takes payment at the counter), and the confirmation with the pickup QR code staff scan.
 * Dates and times are in the store's time zone.
 *
 * Without a customer token (attribute, page configuration, or the page's session: a sign-in in any element of the
 * page or any tab of the store) booking first shows a
 * minimal sign-in / sign-up step.
 *
 * A signed-in shopper's open order for the product is restored from the server on load and on sign-in
 * (`GET /v1/customers/me/products/{id}/rentals`, through the page's session): one to pay or confirm shows the payment
 * step with its deadline, a confirmed one its pickup code, a picked-up one its return code — so a reload, a new tab or
 * another device shows the same state. The payment step has a way back: Change dates releases the order's units and
 * returns to the calendar with its period filled in. Offline, an action says so and runs again once back online.
 *
 * @summary Choose dates for a rental product, see the live price, book it and get the pickup code.
 *
 * @attribute state - Reflected, read-only: the designed state (`loading`, `error`, `not-rentable`, `choose`, `quote`,
 * `unavailable`, `sign-in`, `payment`, `awaiting-payment`, `confirmed`).
 *
 * @fires ds-rental-quote - A new quote for the chosen period (`detail.quote`).
 * @fires ds-rental-book - The order was created and its units are held (`detail.order`, `pending_payment`).
 * @fires ds-rental-confirm - The order is confirmed (`detail.order`, with the pickup `qrToken`).
 *
 * @csspart base - The element's content box.
 * @csspart product - The product header: image, name, price.
 * @csspart image - The product image.
 * @csspart calendar - The month grid with its navigation.
 * @csspart branch - Where the rental is picked up and returned, when the store names a branch with opening hours.
 * @csspart day - A day cell of the grid (`aria-selected` for the chosen period, `aria-disabled` when not bookable).
 * @csspart field - A label and input (times, quantity, promo code, sign-in).
 * @csspart input - An input or select.
 * @csspart quote - The price breakdown.
 * @csspart total - The total row of the breakdown.
 * @csspart notice - A message about the current state.
 * @csspart actions - The row of buttons.
 * @csspart button - Any button. `button-primary` marks the main action.
 * @csspart qr - The pickup (or, once picked up, return) QR code (`<svg role="img">`).
 * @csspart deadline - The payment step's deadline: pay or confirm before the pickup.
 * @csspart change-dates - The payment step's way back to the calendar (also `button`).
 * @csspart sign-in - The built-in sign-in / sign-up form.
 * @csspart account - Who is signed in, with Sign out (or, signed out, Sign in to see a booking made elsewhere).
 * @csspart sign-out - The Sign out button (also `button`).
 * @csspart account-sign-in - The Sign in button of the account line (also `button`).
 *
 * @cssprop --ds-color-accent - Accent (chosen days, primary button). Default `#1f5eff`.
 * @cssprop --ds-color-surface - Background. Default `#ffffff`.
 * @cssprop --ds-color-text - Text. Default `#16181d`.
 * @cssprop --ds-color-muted - Secondary text. Default `#5b6170`.
 * @cssprop --ds-color-border - Borders. Default `#c9ced8`.
 * @cssprop --ds-radius - Corner radius. Default `10px`.
 */
export class RentalCheckout extends DropSlotElement {
  static override styles = [baseStyles, checkoutStyles];

  /** The id of the rentable product. */
  @property() product?: string;

  /** Read-only: the designed state (see {@link RentalCheckoutState}). */
  @property({ reflect: true }) state: RentalCheckoutState = 'loading';

  @state() private _phase: Phase = 'loading';
  @state() private _store?: Store;
  @state() private _product?: Product;
  @state() private _months = new Map<string, AvailabilityMonth>();
  @state() private _viewMonth = '';
  @state() private _focusDate = '';
  @state() private _today = '';
  @state() private _start?: string;
  @state() private _end?: string;
  @state() private _startHour = DEFAULT_HOUR;
  @state() private _endHour = DEFAULT_HOUR;
  @state() private _quantity = 1;
  @state() private _promo?: string;
  @state() private _promoError?: RentalMessageKey;
  @state() private _loyalty?: LoyaltyAccount;
  @state() private _usePoints = false;
  @state() private _quote?: RentalQuote;
  @state() private _quoting = false;
  @state() private _notice?: RentalMessageKey;
  @state() private _busy = false;
  @state() private _order?: RentalOrder;
  @state() private _signInError?: MessageKey;
  @state() private _announcement = '';
  @state() private _qr?: { token: string; geometry: QrGeometry };
  /** An action failed because the device is offline: it runs again once the browser is back online. */
  @state() private _offline = false;
  /** An action on the shown order failed (not offline): say so where the order is. */
  @state() private _orderError = false;

  /** The signed-in customer's open orders of the product, from the page's session. */
  readonly #orders = new StoreController<readonly RentalOrder[]>(this);
  readonly #ordersStatus = new StoreController<DropSessionStatus>(this);
  /** Orders the shopper left (Book other dates): not shown again by a later restore. */
  readonly #dismissed = new Set<string>();
  #token?: string | null;
  /** Runs the failed step again once the browser is back online. */
  readonly #onlineRetry = new OnlineRetry(this, (offline) => (this._offline = offline));

  #loadedFor?: string;
  #quoteTimer?: ReturnType<typeof setTimeout>;
  #quoteSeq = 0;
  #focusSelector?: string;
  #afterSignIn?: () => void;

  // ---- Messages and formats -------------------------------------------------------------------------------------

  #t(key: RentalMessageKey, vars?: Record<string, string | number>): string {
    return rentalMessage(this.resolvedLocale, key, vars);
  }

  get #zone(): string {
    return this._store?.timeZone ?? 'UTC';
  }

  #money(amount: number, currency: string): string {
    return formatMoney(amount, currency, this.resolvedLocale);
  }

  #dateLabel(date: string, options: Intl.DateTimeFormatOptions): string {
    // A calendar date, not an instant: format it at noon UTC in UTC so no zone can move it to another day.
    return new Intl.DateTimeFormat(this.resolvedLocale, { ...options, timeZone: 'UTC' }).format(
      new Date(`${date}T12:00:00Z`),
    );
  }

  #instantLabel(iso: string): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: this.#zone,
    }).format(new Date(iso));
  }

  #hourLabel(hour: number): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'UTC',
    }).format(new Date(Date.UTC(2000, 0, 1, hour)));
  }

  #unitCount(units: number, unit: PricingUnit): string {
    return new Intl.NumberFormat(this.resolvedLocale, { style: 'unit', unit, unitDisplay: 'long' }).format(
      units,
    );
  }

  // ---- Lifecycle ------------------------------------------------------------------------------------------------

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#quoteTimer);
  }

  /**
   * Moves focus into the checkout: to the calendar's focusable day, else its first control. The host itself is not
   * focusable, so the page needs no `tabindex` on it (which would take the checkout out of the Tab order).
   */
  override focus(options?: FocusOptions): void {
    // In this order of preference (a selector list would take the first match in the document: a disabled button).
    for (const selector of [
      '[role="gridcell"][tabindex="0"]',
      '[data-primary]:not([disabled])',
      'button:not([disabled]), input:not([disabled]), select:not([disabled])',
    ]) {
      const target = this.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus(options);
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = `${this.product ?? ''}|${this.resolvedApi ?? ''}|${this.resolvedKey ?? ''}`;
    if (this.product && this.client && key !== this.#loadedFor) {
      this.#loadedFor = key;
      void this.#load();
    }
    if (changed.has('product') && changed.get('product') !== undefined) this.#reset();
    const rentals = this.product ? this.session?.rentals(this.product) : undefined;
    this.#orders.bind(rentals?.$orders);
    this.#ordersStatus.bind(rentals?.$status);
    const token = this.settings.customerToken ?? null;
    if (token !== this.#token) {
      const before = this.#token;
      this.#token = token;
      if (before !== undefined) this.#tokenChanged();
    }
    this.#followOrders();
    this.state = this.#computeState();
  }

  protected override updated(): void {
    if (this.#focusSelector) {
      const target = this.renderRoot.querySelector<HTMLElement>(this.#focusSelector);
      if (target) {
        this.#focusSelector = undefined;
        target.focus();
      }
    }
  }

  #computeState(): RentalCheckoutState {
    if (this.#restoring()) return 'loading';
    if (this._phase !== 'choose') return this._phase;
    if (!this._start || !this._end) return 'choose';
    if (this._quote && !this._quote.available) return 'unavailable';
    return 'quote';
  }

  #reset(): void {
    this._offline = false;
    this._orderError = false;
    this._start = this._end = undefined;
    this._quote = undefined;
    this._order = undefined;
    this._notice = undefined;
    this._quantity = 1;
    this._promo = undefined;
    this._promoError = undefined;
  }

  // ---- Loading --------------------------------------------------------------------------------------------------

  async #load(): Promise<void> {
    const client = this.client;
    const id = this.product;
    if (!client || !id) return;
    this._phase = 'loading';
    try {
      await syncClock(client);
      const [store, product] = await Promise.all([client.store.retrieve(), client.products.retrieve(id)]);
      this._store = store;
      this._product = product;
      if (!product.rental) {
        this._phase = 'not-rentable';
        return;
      }
      this._today = dateIn(client.clock.now(), store.timeZone);
      this._viewMonth = monthOf(this._today);
      this._focusDate = this._today;
      this._months = new Map();
      await this.#loadMonth(this._viewMonth);
      void this.#loadLoyalty();
      this._phase = 'choose';
    } catch (e) {
      this._phase = NotFoundError.is(e) ? 'not-rentable' : 'error';
      if (this.#isOffline(e)) this.#onlineRetry.schedule(this.#retry);
    }
  }

  async #loadMonth(month: string): Promise<void> {
    const client = this.client;
    if (!client || !this.product || this._months.has(month)) return;
    const found = await client.rentals.availability(this.product, { month });
    this._months = new Map(this._months).set(month, found);
  }

  async #loadLoyalty(): Promise<void> {
    const client = this.client;
    if (!client?.customerToken) return;
    try {
      this._loyalty = await client.rentals.loyalty.retrieve();
    } catch {
      this._loyalty = undefined;
    }
  }

  #retry = (): void => {
    this.#loadedFor = undefined;
    this.requestUpdate();
  };

  // ---- The shopper's open order (restored from the server, kept in the page's session) ----------------------------

  /** Signed in and the first read of the customer's orders still running: wait for it, never offer Book first. */
  #restoring(): boolean {
    return (
      this._phase === 'choose' &&
      !this._start &&
      Boolean(this.#token) &&
      this.#ordersStatus.value === 'loading' &&
      this.#orders.value?.length === 0
    );
  }

  /** Whether the element shows an order (to pay or confirm, or its code). */
  get #showsOrder(): boolean {
    return this._phase === 'payment' || this._phase === 'awaiting-payment' || this._phase === 'confirmed';
  }

  /**
   * Keeps the view in step with the session's orders: the order shown follows its server state (confirmed or picked
   * up elsewhere), and an open order the shopper has not left is shown when the checkout is idle (on load, on
   * sign-in, or when another tab booked).
   */
  #followOrders(): void {
    const orders = this.#orders.value;
    if (!orders || !this._product?.rental || this._busy) return;
    const shown = this._order;
    if (shown && this.#showsOrder) {
      const now = orders.find((o) => o.id === shown.id);
      if (now && (now.status !== shown.status || now.qrToken !== shown.qrToken)) this.#showOrder(now);
      return;
    }
    if (this._phase !== 'choose' || this._start) return;
    const open = orders.filter((o) => !this.#dismissed.has(o.id));
    const next = open.find((o) => o.status === 'pending_payment') ?? open[0];
    if (next) this.#showOrder(next);
  }

  /** Shows an order where it stands: the payment step while pending, else its handover code. Fires nothing. */
  #showOrder(order: RentalOrder): void {
    this._order = order;
    this._orderError = false;
    if (order.status === 'pending_payment') {
      if (this._store?.rentalPayment === 'at_pickup') this._phase = 'payment';
      else void this.#toOnlinePayment(order);
    } else if (order.qrToken) {
      this._phase = 'confirmed';
      void this.#loadQr(order.qrToken);
    } else {
      this._phase = 'confirmed';
    }
  }

  /** The page's shopper changed (signed out, or someone else signed in): an order shown was theirs, not this one's. */
  #tokenChanged(): void {
    this.#dismissed.clear();
    if (this.#showsOrder) {
      this.#leaveOrder();
      this._phase = 'choose';
    }
    if (!this._busy) void this.#loadLoyalty(); // the built-in sign-in reads it itself
  }

  #leaveOrder(): void {
    this._order = undefined;
    this._qr = undefined;
    this._orderError = false;
  }

  /** Records an order this element changed in the page's session, so every element sees it. */
  #remember(order: RentalOrder): void {
    if (this.product) this.session?.rentals(this.product).update(order);
  }

  // ---- Offline ----------------------------------------------------------------------------------------------------

  #isOffline(error: unknown): boolean {
    return ConnectionError.is(error) || TimeoutError.is(error);
  }

  // ---- Calendar -------------------------------------------------------------------------------------------------

  #freeOn(date: string): number | undefined {
    return this._months.get(monthOf(date))?.days.find((d) => d.date === date)?.freeUnits;
  }

  /** The branch where rentals are picked up and returned: the store's first with opening hours. */
  get #branch(): Store['branches'][number] | undefined {
    return this._store?.branches.find((b) => b.openingHours);
  }

  /**
   * The whole hours of `date` a pickup or return may be booked at: inside the branch's opening ranges for that date (its
   * exception, else its weekday; a range's closing time counts, as the server's rule does), none on a closed day, and
   * 07:00–21:00 when the store publishes no hours.
   */
  #openHours(date: string | undefined): number[] {
    const branch = this.#branch;
    if (!branch?.openingHours || !date) return HOURS;
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]!;
    const ranges =
      branch.openingExceptions?.find((e) => e.date === date)?.ranges ?? branch.openingHours[weekday] ?? [];
    const bounds = ranges.map((r) => r.split('-').map(minutesOf) as [number, number]);
    return Array.from({ length: 24 }, (_, h) => h).filter((h) =>
      bounds.some(([from, to]) => from <= h * 60 && h * 60 <= to),
    );
  }

  /** Keeps the chosen hours inside the chosen days' opening hours (the first open hour when they are not). */
  #fitHours(): void {
    const starts = this.#openHours(this._start);
    if (starts.length > 0 && !starts.includes(this._startHour)) this._startHour = starts[0]!;
    const ends = this.#openHours(this._end ?? this._start);
    if (ends.length > 0 && !ends.includes(this._endHour)) {
      this._endHour =
        this._end === this._start ? (ends.find((h) => h > this._startHour) ?? ends.at(-1)!) : ends[0]!;
    }
  }

  /** Why a day cannot be chosen now, or undefined when it can. */
  #blocked(date: string): boolean {
    if (date < this._today) return true;
    // A closed day can be inside a rental, never its pickup or return day.
    if (this.#openHours(date).length === 0) return true;
    const free = this.#freeOn(date);
    if (free !== undefined && free < this._quantity) return true;
    if (this._start && !this._end && date >= this._start) {
      // Choosing the return day: not past the first booked-out day after pickup, and within 90 days.
      if (daysBetween(this._start, date) > MAX_DAYS) return true;
      for (let d = addDays(this._start, 1); d < date; d = addDays(d, 1)) {
        const f = this.#freeOn(d);
        if (f !== undefined && f < this._quantity) return true;
      }
      if (date === this._start && this._product?.rental?.pricingUnit !== 'hour') return true;
    }
    return false;
  }

  #choose(date: string): void {
    if (this.#blocked(date)) return;
    this._notice = undefined;
    if (!this._start || this._end || date < this._start) {
      this._start = date;
      this._end = undefined;
      this.#fitHours();
      this._quote = undefined;
      this._announcement = this.#t('rcPickEnd');
    } else {
      this._end = date;
      if (date === this._start && this._endHour <= this._startHour) {
        const ends = this.#openHours(date);
        this._endHour = ends.find((h) => h >= this._startHour + 2) ?? ends.at(-1) ?? this._startHour + 2;
      }
      this.#fitHours();
      this.#requestQuote();
    }
  }

  #moveFocus(date: string): void {
    this._focusDate = date;
    const month = monthOf(date);
    if (month !== this._viewMonth) {
      this._viewMonth = month;
      void this.#loadMonth(month).catch(() => undefined);
    }
    this.#focusSelector = `[data-date="${date}"]`;
  }

  #onGridKey = (event: KeyboardEvent): void => {
    const from = this._focusDate;
    if (!from) return;
    const rtl = isRtl(this.resolvedLocale);
    const first = firstDayOfWeek(this.resolvedLocale);
    let to: string | undefined;
    switch (event.key) {
      case 'ArrowRight':
        to = addDays(from, rtl ? -1 : 1);
        break;
      case 'ArrowLeft':
        to = addDays(from, rtl ? 1 : -1);
        break;
      case 'ArrowDown':
        to = addDays(from, 7);
        break;
      case 'ArrowUp':
        to = addDays(from, -7);
        break;
      case 'Home':
        to = addDays(from, -((weekday(from) - first + 7) % 7));
        break;
      case 'End':
        to = addDays(from, 6 - ((weekday(from) - first + 7) % 7));
        break;
      case 'PageUp':
        to = shiftMonth(from, event.shiftKey ? -12 : -1);
        break;
      case 'PageDown':
        to = shiftMonth(from, event.shiftKey ? 12 : 1);
        break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        this.#choose(from);
        return;
      default:
        return;
    }
    event.preventDefault();
    this.#moveFocus(to);
  };

  #showMonth(n: number): void {
    const month = addMonths(this._viewMonth, n);
    this._viewMonth = month;
    this._focusDate = `${month}-01` < this._today ? this._today : `${month}-01`;
    void this.#loadMonth(month).catch(() => undefined);
  }

  // ---- Quote ----------------------------------------------------------------------------------------------------

  #request(): RentalQuoteRequest | undefined {
    if (!this.product || !this._start || !this._end) return undefined;
    const start = zonedInstant(this._start, this._startHour, this.#zone);
    const end = zonedInstant(this._end, this._endHour, this.#zone);
    return {
      items: [{ productId: this.product, quantity: this._quantity }],
      start: start.toISOString(),
      end: end.toISOString(),
      ...(this._promo && { promoCode: this._promo }),
      ...(this._usePoints && this._loyalty?.pointsBalance && { redeemPoints: this._loyalty.pointsBalance }),
    };
  }

  #requestQuote(): void {
    clearTimeout(this.#quoteTimer);
    if (!this.#request()) return;
    this._quoting = true;
    this.#quoteTimer = setTimeout(() => void this.#fetchQuote(), QUOTE_DEBOUNCE_MS);
  }

  async #fetchQuote(): Promise<void> {
    const client = this.client;
    const body = this.#request();
    if (!client || !body) return;
    const seq = ++this.#quoteSeq;
    try {
      const quote = await client.rentals.quotes.create(body);
      if (seq !== this.#quoteSeq) return;
      this._quote = quote;
      this._notice = quote.available ? undefined : 'rcUnavailable';
      this._announcement = quote.available
        ? this.#t('rcTotalIs', { total: this.#money(quote.total, quote.currency) })
        : this.#t('rcUnavailable');
      this.dispatchEvent(new RentalQuoteEvent(quote));
    } catch (e) {
      if (seq !== this.#quoteSeq) return;
      const code = e instanceof DropSlotError ? e.code : undefined;
      const promoError: Partial<Record<string, RentalMessageKey>> = {
        promo_invalid: 'rcPromoInvalid',
        promo_expired: 'rcPromoExpired',
        promo_exhausted: 'rcPromoExhausted',
      };
      if (code && promoError[code] && this._promo) {
        // The code is refused: say so at the field and price without it.
        this._promoError = promoError[code];
        this._promo = undefined;
        this.#focusSelector = 'input[name="promo"]';
        void this.#fetchQuote();
        return;
      }
      this._quote = undefined;
      this._notice = code === 'invalid_period' ? 'rcBadPeriod' : undefined;
      if (this.#isOffline(e)) this.#onlineRetry.schedule(() => this.#requestQuote());
      else if (!this._notice) this._phase = 'error';
    } finally {
      if (seq === this.#quoteSeq) this._quoting = false;
    }
  }

  #onHour = (event: Event): void => {
    const select = event.target as HTMLSelectElement;
    if (select.name === 'start-hour') this._startHour = Number(select.value);
    else this._endHour = Number(select.value);
    this.#requestQuote();
  };

  #onQuantity = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const max = this._product?.rental?.unitsInService ?? 1;
    const value = Math.max(1, Math.min(max, Math.floor(Number(input.value)) || 1));
    this._quantity = value;
    this.#requestQuote();
  };

  #applyPromo = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('promo') as HTMLInputElement;
    const code = input.value.trim();
    this._promoError = undefined;
    this._promo = code || undefined;
    this.#requestQuote();
  };

  #removePromo = (): void => {
    this._promo = undefined;
    this._promoError = undefined;
    this.#focusSelector = 'input[name="promo"]';
    this.#requestQuote();
  };

  #onPoints = (event: Event): void => {
    this._usePoints = (event.target as HTMLInputElement).checked;
    this.#requestQuote();
  };

  // ---- Booking --------------------------------------------------------------------------------------------------

  #book = async (): Promise<void> => {
    const client = this.client;
    const body = this.#request();
    if (!client || !body || !this._quote?.available || this._busy) return;
    if (!client.customerToken) {
      this.#askSignIn(() => void this.#book());
      return;
    }
    this._busy = true;
    this._notice = undefined;
    this._offline = false;
    try {
      const order = await client.rentals.create({ ...body, expectedTotal: this._quote.total });
      this._order = order;
      this.#remember(order);
      this.dispatchEvent(new RentalBookEvent(order));
      if (this._store?.rentalPayment === 'at_pickup') this._phase = 'payment';
      else await this.#toOnlinePayment(order);
      this.#focusSelector = '[data-primary], [part~="notice"]';
    } catch (e) {
      if (ConflictError.is(e) && (e.code === 'unit_unavailable' || e.code === 'quote_changed')) {
        this._notice = e.code === 'unit_unavailable' ? 'rcTaken' : 'rcPriceChanged';
        if (e.code === 'unit_unavailable') {
          this._start = this._end = undefined;
          this._quote = undefined;
          this._months = new Map();
          await this.#loadMonth(this._viewMonth).catch(() => undefined);
          this.#focusSelector = '[role="gridcell"][tabindex="0"]';
        } else {
          void this.#fetchQuote();
        }
      } else if (ValidationError.is(e) && e.code === 'invalid_period') {
        this._notice = 'rcBadPeriod';
      } else if (this.#isOffline(e)) {
        // The same request again (its idempotency key is new, but nothing was booked: the server never heard it, or
        // answered and a repeat is refused as taken by this very order — then the restore shows it).
        this.#onlineRetry.schedule(() => void this.#book());
      } else {
        this._phase = 'error';
      }
    } finally {
      this._busy = false;
    }
  };

  /** Online stores: the payment step (a chunk of its own) pays the invoice; its webhook confirms the order. */
  async #toOnlinePayment(order: RentalOrder): Promise<void> {
    const paid = await this.handOverToPayment(order);
    if (paid) return this.#confirmed(paid);
    await import('../payment-step/define.js');
    if (this._order?.id === order.id) this._phase = 'awaiting-payment';
  }

  /**
   * A seam for stores that pay rentals their own way (`Store.rentalPayment = online`): resolve to the confirmed order
   * once paid, or `null` (the default) to show the built-in `<payment-step>` for the order's invoice.
   */
  protected handOverToPayment(_order: RentalOrder): Promise<RentalOrder | null> {
    return Promise.resolve(null);
  }

  /** The invoice was paid: its webhook confirms the order on the server; follow it there. */
  #paid = async (): Promise<void> => {
    const client = this.client;
    const order = this._order;
    if (!client || !order) return;
    const current = await pollUntil(
      () => client.rentals.retrieve(order.id),
      (o) => o.status !== 'pending_payment',
    );
    if (current.status === 'confirmed') this.#confirmed(current);
    else this._phase = 'error';
  };

  #confirm = async (): Promise<void> => {
    const client = this.client;
    const order = this._order;
    if (!client || !order || this._busy) return;
    this._busy = true;
    this._offline = false;
    this._orderError = false;
    try {
      this.#confirmed(await client.rentals.confirm(order.id));
    } catch (e) {
      if (this.#isOffline(e)) this.#onlineRetry.schedule(() => void this.#confirm());
      else this._orderError = true;
    } finally {
      this._busy = false;
    }
  };

  /**
   * The way back from the payment step: cancels the pending order (its units go back to the pool) and returns to the
   * calendar with the order's period, times and quantity filled in, priced again.
   */
  #changeDates = async (): Promise<void> => {
    const client = this.client;
    const order = this._order;
    if (!client || !order || this._busy) return;
    this._busy = true;
    this._offline = false;
    this._orderError = false;
    try {
      const cancelled = await client.rentals.cancel(order.id);
      this.#remember(cancelled);
      this.#leaveOrder();
      this.#choosePeriodOf(cancelled);
      this._phase = 'choose';
      this._announcement = this.#t('rcReleased');
      this._months = new Map();
      await this.#loadMonth(this._viewMonth).catch(() => undefined);
      this.#focusSelector = '[role="gridcell"][tabindex="0"]';
      this.#requestQuote();
    } catch (e) {
      if (this.#isOffline(e)) this.#onlineRetry.schedule(() => void this.#changeDates());
      else this._orderError = true;
    } finally {
      this._busy = false;
    }
  };

  /** Fills the calendar and fields with an order's period (store time), quantity and promo code. */
  #choosePeriodOf(order: RentalOrder): void {
    const zone = this.#zone;
    const hourOf = (iso: string) =>
      Number(
        new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: zone }).format(
          new Date(iso),
        ),
      );
    const start = dateIn(Date.parse(order.start), zone);
    this._start = start < this._today ? undefined : start;
    this._end = this._start ? dateIn(Date.parse(order.end), zone) : undefined;
    const startHour = hourOf(order.start);
    const endHour = hourOf(order.end);
    if (startHour >= 0 && startHour < 24) this._startHour = startHour;
    if (endHour >= 0 && endHour < 24) this._endHour = endHour;
    this._quantity = Math.max(1, order.items.filter((i) => i.productId === this.product).length);
    this._promo = order.quote.promotion?.code ?? undefined;
    if (this._start) {
      this._viewMonth = monthOf(this._start);
      this._focusDate = this._start;
    }
  }

  #confirmed(order: RentalOrder): void {
    this._order = order;
    this.#remember(order);
    this._phase = 'confirmed';
    this._announcement = this.#t('rcConfirmed');
    this.dispatchEvent(new RentalConfirmEvent(order));
    this.#focusSelector = '[part~="qr"], [data-primary]';
    if (order.qrToken) void this.#loadQr(order.qrToken);
  }

  async #loadQr(token: string): Promise<void> {
    const extras = await import('../reservation-ticket/ticket-extras.js');
    this._qr = { token, geometry: extras.qrGeometry(token) };
  }

  #bookAgain = (): void => {
    for (const order of this.#orders.value ?? []) this.#dismissed.add(order.id);
    if (this._order) this.#dismissed.add(this._order.id);
    this.#reset();
    this._qr = undefined;
    this._phase = 'choose';
    this._months = new Map();
    void this.#loadMonth(this._viewMonth).catch(() => undefined);
    void this.#loadLoyalty();
    this.#focusSelector = '[role="gridcell"][tabindex="0"]';
  };

  // ---- Sign-in --------------------------------------------------------------------------------------------------

  #askSignIn(then: () => void): void {
    this.#afterSignIn = then;
    this._signInError = undefined;
    this._phase = 'sign-in';
    this.#focusSelector = 'input[name="email"]';
  }

  #closeSignIn = (): void => {
    this.#afterSignIn = undefined;
    this._phase = 'choose';
    this.#focusSelector = 'button[data-primary]';
  };

  #submitSignIn = async (event: SubmitEvent): Promise<void> => {
    const client = this.client;
    if (!client) {
      event.preventDefault();
      return;
    }
    this._busy = true;
    this._signInError = undefined;
    try {
      const session = await submitSignIn(client, event);
      this.rememberToken(session.token, session.expiresAt);
      this._phase = 'choose';
      await this.#loadLoyalty();
      const then = this.#afterSignIn;
      this.#afterSignIn = undefined;
      this._busy = false;
      then?.();
    } catch (e) {
      this._signInError = signInErrorKey(e);
      this.#focusSelector = 'input[name="email"]';
    } finally {
      this._busy = false;
    }
  };

  // ---- Rendering ------------------------------------------------------------------------------------------------

  protected override render(): TemplateResult {
    return html`<div
      part="base"
      dir=${isRtl(this.resolvedLocale) ? 'rtl' : 'ltr'}
      aria-busy=${this._phase === 'loading'}
    >
      ${this.#renderBody()} ${this.#renderOffline()} ${this.#renderAccount()}
      <p class="visually-hidden" role="status" aria-live="polite">${this._announcement}</p>
    </div>`;
  }

  #renderOffline(): TemplateResult | typeof nothing {
    return this._offline
      ? html`<p part="notice" class="offline" role="alert">${this.msg('actionOffline')}</p>`
      : nothing;
  }

  /**
   * Signed in: says so, with the way out (for every element of the page, and every tab of the store). Signed out: the
   * way in, for someone who booked elsewhere (their order shows once signed in).
   */
  #renderAccount(): TemplateResult | typeof nothing {
    const phase = this.state;
    if (phase === 'loading' || phase === 'sign-in' || phase === 'not-rentable' || phase === 'error')
      return nothing;
    return accountLine({
      msg: (key) => this.msg(key),
      signedIn: Boolean(this.#token),
      onSignOut: this.#signOut,
      onSignIn: () => this.#askSignIn(() => undefined),
    });
  }

  #signOut = (): void => {
    this.forgetToken();
    this.#focusSelector = '[role="gridcell"][tabindex="0"], [data-primary]';
  };

  #renderBody(): TemplateResult {
    if (this.#restoring()) return this.#renderSkeleton();
    switch (this._phase) {
      case 'loading':
        return this.#renderSkeleton();
      case 'error':
        // Offline: the offline notice says why (and it tries again by itself); Retry stays at hand.
        return html`${this._offline ? nothing : html`<p part="notice" class="danger" role="alert">${this.msg('error')}</p>`}
          <div part="actions">
            <button part="button button-primary" class="primary" data-primary @click=${this.#retry}>
              ${this.msg('retry')}
            </button>
          </div>`;
      case 'not-rentable':
        return html`<p part="notice">${this.#t('rcNotRentable')}</p>`;
      case 'sign-in':
        return signInForm({
          msg: (key) => this.msg(key),
          hint: this.#t('rcSignInHint'),
          busy: this._busy,
          error: this._signInError,
          onSubmit: this.#submitSignIn,
          onBack: this.#closeSignIn,
        });
      case 'payment':
      case 'awaiting-payment':
        return html`${this.#renderProduct()}${this.#renderPayment()}`;
      case 'confirmed':
        return html`${this.#renderProduct()}${this.#renderConfirmed()}`;
      default:
        return html`${this.#renderProduct()}${this.#renderChoose()}`;
    }
  }

  #renderSkeleton(): TemplateResult {
    return html`<div class="skeleton" aria-hidden="true"><span></span><span></span><span></span></div>
      <p class="visually-hidden">${this.msg('loading')}</p>`;
  }

  #renderProduct(): TemplateResult | typeof nothing {
    const p = this._product;
    const terms = p?.rental;
    if (!p || !terms) return nothing;
    const image = productImage(p, this.resolvedApi);
    const per: Record<PricingUnit, RentalMessageKey> = {
      hour: 'rcPerHour',
      day: 'rcPerDay',
      week: 'rcPerWeek',
    };
    return html`<div part="product" class="product">
      ${image ? html`<img part="image" src=${image.src} alt=${image.alt} width="96" height="96" />` : nothing}
      <div>
        <h2 class="title" id="product-name">${p.name}</h2>
        <p class="muted">
          ${this.#t(per[terms.pricingUnit], { price: this.#money(terms.basePrice.amount, terms.basePrice.currency) })}
        </p>
      </div>
    </div>`;
  }

  /** Where the rental is picked up and returned, when the store names a branch with opening hours. */
  #renderBranch(): TemplateResult | typeof nothing {
    const branch = this.#branch;
    if (!branch) return nothing;
    return html`<p part="branch" class="muted small">
      ${this.#t('rcBranch', { name: branch.name, address: branch.address ?? '' })}
    </p>`;
  }

  #renderChoose(): TemplateResult {
    const terms = this._product!.rental!;
    const complete = Boolean(this._start && this._end);
    const canBook = complete && this._quote?.available && !this._quoting && !this._busy;
    return html`<section aria-labelledby="product-name" class="choose">
      ${this.#renderCalendar()}
      <p class="muted small">${this.#t('rcZone', { zone: this.#zone })}</p>
      ${this.#renderBranch()}
      <div class="fields">
        <div part="field">
          <label for="start-hour">${this.#t('rcPickupTime')}</label>
          <select part="input" id="start-hour" name="start-hour" @change=${this.#onHour}>
            ${this.#openHours(this._start).map((h) => html`<option value=${h} ?selected=${h === this._startHour}>${this.#hourLabel(h)}</option>`)}
          </select>
        </div>
        <div part="field">
          <label for="end-hour">${this.#t('rcReturnTime')}</label>
          <select part="input" id="end-hour" name="end-hour" @change=${this.#onHour}>
            ${this.#openHours(this._end ?? this._start).map((h) => html`<option value=${h} ?selected=${h === this._endHour}>${this.#hourLabel(h)}</option>`)}
          </select>
        </div>
        <div part="field">
          <label for="quantity">${this.#t('rcQuantity')}</label>
          <input
            part="input"
            id="quantity"
            name="quantity"
            type="number"
            inputmode="numeric"
            min="1"
            max=${Math.max(1, terms.unitsInService)}
            .value=${String(this._quantity)}
            @change=${this.#onQuantity}
          />
        </div>
      </div>
      ${this.#renderPromo()} ${this.#renderPoints()}
      ${this._notice ? html`<p part="notice" class="danger" role="alert">${this.#t(this._notice)}</p>` : nothing}
      ${complete ? this.#renderQuote() : html`<p part="notice">${this.#t(this._start ? 'rcPickEnd' : 'rcPickStart')}</p>`}
      <div part="actions">
        <button
          part="button button-primary"
          class="primary"
          data-primary
          ?disabled=${!canBook}
          aria-busy=${this._busy ? 'true' : 'false'}
          @click=${this.#book}
        >
          ${this.#t('rcBook')}
        </button>
      </div>
    </section>`;
  }

  #renderCalendar(): TemplateResult {
    const locale = this.resolvedLocale;
    const first = firstDayOfWeek(locale);
    const weeks = monthWeeks(this._viewMonth, first);
    const monthLabel = this.#dateLabel(`${this._viewMonth}-01`, { month: 'long', year: 'numeric' });
    // Seven consecutive dates that start on the locale's first weekday, for the column headers.
    const sample = weeks.find((w) => w.every(Boolean)) ?? weeks[1]!;
    const focus = monthOf(this._focusDate) === this._viewMonth ? this._focusDate : `${this._viewMonth}-01`;
    const canGoBack = this._viewMonth > monthOf(this._today);
    return html`<div part="calendar" class="calendar">
      <div class="calendar-head">
        <button
          part="button"
          class="nav"
          aria-label=${this.#t('rcPrevMonth')}
          ?disabled=${!canGoBack}
          @click=${() => this.#showMonth(-1)}
        >
          <span aria-hidden="true">${isRtl(locale) ? '›' : '‹'}</span>
        </button>
        <h3 id="calendar-month" aria-live="polite">${monthLabel}</h3>
        <button
          part="button"
          class="nav"
          aria-label=${this.#t('rcNextMonth')}
          @click=${() => this.#showMonth(1)}
        >
          <span aria-hidden="true">${isRtl(locale) ? '‹' : '›'}</span>
        </button>
      </div>
      <table role="grid" aria-labelledby="calendar-month" @keydown=${this.#onGridKey}>
        <thead>
          <tr>
            ${sample.map(
              (d) =>
                html`<th scope="col" abbr=${this.#dateLabel(d!, { weekday: 'long' })}>
                  ${this.#dateLabel(d!, { weekday: 'narrow' })}
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${weeks.map(
            (week) =>
              html`<tr>
                ${week.map((date) => (date ? this.#renderDay(date, focus) : html`<td role="presentation"></td>`))}
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="legend muted" aria-hidden="true">${this.#t('rcFreeLegend')}</p>
    </div>`;
  }

  #renderDay(date: string, focus: string): TemplateResult {
    const free = this.#freeOn(date);
    const blocked = this.#blocked(date);
    const isStart = date === this._start;
    const isEnd = date === this._end;
    const inRange = Boolean(this._start && this._end && date > this._start && date < this._end);
    const selected = isStart || isEnd || inRange;
    const past = date < this._today;
    const freeText =
      past || free === undefined ? '' : free > 0 ? this.#t('rcFree', { n: free }) : this.#t('rcBookedOut');
    const role = isStart ? this.#t('rcPickupDay') : isEnd ? this.#t('rcReturnDay') : '';
    const label = [
      this.#dateLabel(date, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      role,
      freeText,
    ]
      .filter(Boolean)
      .join(', ');
    return html`<td
      role="gridcell"
      part="day"
      class=${[
        isStart ? 'start' : '',
        isEnd ? 'end' : '',
        inRange ? 'in-range' : '',
        blocked ? 'blocked' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-date=${date}
      tabindex=${date === focus ? 0 : -1}
      aria-selected=${selected ? 'true' : 'false'}
      aria-disabled=${blocked ? 'true' : 'false'}
      @focus=${() => {
        this._focusDate = date;
      }}
      @click=${() => {
        this._focusDate = date;
        this.#choose(date);
      }}
    >
      <span class="day-number" aria-hidden="true">${Number(date.slice(8, 10))}</span>
      <span class="visually-hidden">${label}</span>
      <span class="day-free" aria-hidden="true">${past || free === undefined ? '' : free}</span>
    </td>`;
  }

  #renderPromo(): TemplateResult {
    return html`<form class="promo" @submit=${this.#applyPromo} novalidate>
      <div part="field">
        <label for="promo">${this.#t('rcPromo')}</label>
        <input
          part="input"
          id="promo"
          name="promo"
          autocomplete="off"
          maxlength="64"
          .value=${this._promo ?? ''}
          aria-invalid=${this._promoError ? 'true' : 'false'}
          aria-describedby=${this._promoError ? 'promo-error' : nothing}
        />
      </div>
      ${
        this._promo
          ? html`<button part="button" type="button" @click=${this.#removePromo}>
              ${this.#t('rcRemove')}
            </button>`
          : html`<button part="button" type="submit">${this.#t('rcApply')}</button>`
      }
      ${
        this._promoError
          ? html`<p id="promo-error" part="notice" class="danger" role="alert">
              ${this.#t(this._promoError)}
            </p>`
          : nothing
      }
    </form>`;
  }

  #renderPoints(): TemplateResult | typeof nothing {
    const balance = this._loyalty?.pointsBalance ?? 0;
    if (balance <= 0) return nothing;
    return html`<label class="check">
      <input type="checkbox" name="points" .checked=${this._usePoints} @change=${this.#onPoints} />
      ${this.#t('rcUsePoints', { n: new Intl.NumberFormat(this.resolvedLocale).format(balance) })}
    </label>`;
  }

  #renderQuote(): TemplateResult {
    const q = this._quote;
    if (!q) return html`<p part="notice" aria-busy="true">${this.#t('rcUpdating')}</p>`;
    const money = (n: number) => this.#money(n, q.currency);
    const rows: [string, string][] = q.lines.map((line) => [
      `${line.name}${line.quantity > 1 ? ` × ${line.quantity}` : ''}: ${this.#t('rcLine', {
        units: this.#unitCount(line.units, line.pricingUnit),
        price: money(line.unitPrice),
      })}`,
      money(line.amount),
    ]);
    if (q.subscriptionDiscount) rows.push([this.#t('rcSubscription'), `−${money(q.subscriptionDiscount)}`]);
    if (q.promotion && q.promoDiscount)
      rows.push([this.#t('rcPromoLine', { code: q.promotion.code }), `−${money(q.promoDiscount)}`]);
    if (q.pointsDiscount)
      rows.push([this.#t('rcPointsLine', { n: q.pointsRedeemed }), `−${money(q.pointsDiscount)}`]);
    return html`<table part="quote" class="quote" aria-busy=${this._quoting ? 'true' : 'false'}>
      <caption class="visually-hidden">
        ${this.#t('rcPrice')}
      </caption>
      <tbody>
        <tr class="period">
          <th scope="row" colspan="2">
            ${this.#t('rcPeriod', { start: this.#instantLabel(q.start), end: this.#instantLabel(q.end) })}
          </th>
        </tr>
        ${rows.map(
          ([label, amount]) =>
            html`<tr>
              <th scope="row">${label}</th>
              <td>${amount}</td>
            </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr part="total">
          <th scope="row">${this.#t('rcTotal')}</th>
          <td>${money(q.total)}</td>
        </tr>
      </tfoot>
    </table>`;
  }

  #renderPayment(): TemplateResult {
    const order = this._order!;
    const total = this.#money(order.total, order.currency);
    const pickup = order.schedules.find((s) => s.type === 'pickup');
    const ret = order.schedules.find((s) => s.type === 'return');
    const deadline = this.#instantLabel(pickup?.scheduledFor ?? order.start);
    const atPickup = this._phase === 'payment';
    return html`<section class="payment" aria-labelledby="payment-title">
      <h3 id="payment-title" class="title">${this.#t('rcOrder', { id: order.id.slice(0, 8) })}</h3>
      <dl>
        <dt>${this.#t('rcPickup')}</dt>
        <dd>${this.#instantLabel(pickup?.scheduledFor ?? order.start)}</dd>
        <dt>${this.#t('rcReturn')}</dt>
        <dd>${this.#instantLabel(ret?.scheduledFor ?? order.end)}</dd>
        <dt>${this.#t('rcTotal')}</dt>
        <dd>${total}</dd>
      </dl>
      <p part="notice deadline" class="deadline" tabindex="-1">
        ${this.#t(atPickup ? 'rcPayAtPickup' : 'rcAwaitingPayment', { total, deadline })}
      </p>
      ${this._orderError ? html`<p part="notice" class="danger" role="alert">${this.msg('actionFailed')}</p>` : nothing}
      ${
        atPickup
          ? nothing
          : html`<payment-step
              invoice=${order.invoice.id}
              api=${this.settings.api ?? nothing}
              publishable-key=${this.settings.publishableKey ?? nothing}
              customer-token=${this.settings.customerToken ?? nothing}
              locale=${this.resolvedLocale}
              @ds-payment-succeed=${this.#paid}
            ></payment-step>`
      }
      <div part="actions">
        ${
          atPickup
            ? html`<button
                part="button button-primary"
                class="primary"
                data-primary
                ?disabled=${this._busy}
                aria-busy=${this._busy ? 'true' : 'false'}
                @click=${this.#confirm}
              >
                ${this.#t('rcConfirmBooking')}
              </button>`
            : nothing
        }
        <button part="button change-dates" type="button" ?disabled=${this._busy} @click=${this.#changeDates}>
          ${this.#t('rcChangeDates')}
        </button>
      </div>
    </section>`;
  }

  #renderConfirmed(): TemplateResult {
    const order = this._order!;
    const pickup = order.schedules.find((s) => s.type === 'pickup');
    const ret = order.schedules.find((s) => s.type === 'return');
    const branch = this._store?.branches[0];
    const pickedUp = order.qrType === 'return' || order.status === 'active' || order.status === 'overdue';
    return html`<section class="confirmed" aria-labelledby="confirmed-title">
      <p id="confirmed-title" part="notice" class="success">
        ${this.#t(pickedUp ? 'rcPickedUp' : 'rcConfirmed')}
      </p>
      ${order.qrToken ? this.#renderQr(order.qrToken, pickedUp) : nothing}
      <dl>
        ${
          pickup
            ? html`<dt>${this.#t('rcPickup')}</dt>
                <dd>${this.#instantLabel(pickup.scheduledFor)}</dd>`
            : nothing
        }
        ${
          ret
            ? html`<dt>${this.#t('rcReturn')}</dt>
                <dd>${this.#instantLabel(ret.scheduledFor)}</dd>`
            : nothing
        }
        ${
          branch
            ? html`<dt>${this.msg('ticketWhere')}</dt>
                <dd>${branch.name}${branch.address ? `, ${branch.address}` : ''}</dd>`
            : nothing
        }
        <dt>${this.#t('rcTotal')}</dt>
        <dd>${this.#money(order.total, order.currency)}</dd>
      </dl>
      <div part="actions">
        <button part="button" data-primary @click=${this.#bookAgain}>${this.#t('rcBookAgain')}</button>
      </div>
    </section>`;
  }

  #renderQr(token: string, forReturn = false): TemplateResult {
    const qr = this._qr?.token === token ? this._qr.geometry : undefined;
    return html`<figure class="qr-frame">
      ${
        qr
          ? html`<svg
              part="qr"
              class="qr"
              role="img"
              tabindex="-1"
              aria-label=${this.#t(forReturn ? 'rcReturnQr' : 'rcPickupQr')}
              viewBox="0 0 ${qr.size} ${qr.size}"
              shape-rendering="crispEdges"
            >
              ${svg`<rect class="qr-light" width=${qr.size} height=${qr.size}></rect><path class="qr-dark" d=${qr.path}></path>`}
            </svg>`
          : html`<div class="qr-placeholder" aria-hidden="true"></div>`
      }
      <figcaption>
        <span class="muted">${this.#t(forReturn ? 'rcReturnCode' : 'rcPickupCode')}</span>
        <code class="code">${token}</code>
      </figcaption>
    </figure>`;
  }
}

export * from './rental-checkout.events.js';
