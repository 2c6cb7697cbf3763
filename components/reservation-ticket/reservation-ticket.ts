import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DropSlotClient } from '../../src/client.js';
import { AuthenticationError, ConnectionError, NotFoundError, TimeoutError } from '../../src/errors.js';
import type { Drop } from '../../src/schemas/drops.js';
import type { Reservation, ReservationState } from '../../src/schemas/reservations.js';
import type { Slot } from '../../src/schemas/slots.js';
import type { HoldState, WaitlistStoreState } from '../../src/stores.js';
import type { DropSession, DropSessionStatus } from '../../src/stores/session.js';
import { DropSlotElement } from '../internal/base.js';
import { StoreController } from '../internal/store-controller.js';
import { baseStyles } from '../internal/tokens.styles.js';
import type { QrGeometry } from './qr.js';
import { TicketUpdateEvent } from './reservation-ticket.events.js';
import { ticketStyles } from './reservation-ticket.styles.js';

/** What the ticket shows; reflected as the host's `status` attribute. */
export type TicketStatus =
  | 'loading'
  | 'error'
  | 'signed-out'
  | 'empty'
  | 'not-found'
  | 'pending'
  | 'confirmed'
  | 'checked-in'
  | 'cancelled'
  | 'expired';

const STATUS_OF: Record<ReservationState, TicketStatus> = {
  PENDING: 'pending',
  CONFIRMED: 'confirmed',
  CHECKED_IN: 'checked-in',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
};

interface Details {
  slotId: string;
  drop: Drop;
  slot: Slot;
  /** The branch's name and address, for the page and the calendar's LOCATION. */
  place: string | undefined;
  /** IANA zone times are shown in: the branch's, else the store's. */
  timeZone: string;
}

/**
 * The customer's ticket for a reservation: when and where, its live status, and — once confirmed — the QR code staff
 * scan at the door, the same code as text, and an "Add to calendar" file (.ics). The status refreshes when the page
 * becomes visible again and every `refresh-interval` seconds, so a check-in at the door shows up on the phone.
 *
 * Give it a reservation id (`reservation`), or a drop id (`drop`) to show the signed-in customer's reservation in that
 * drop; in drop mode it reloads after the `<slot-picker>` events on the page (`ds-reserve`, `ds-confirm`, …).
 * Reads need the customer's token: from the page configuration, the element's `customer-token`, or the built-in
 * sign-in step of another DropSlot element on the page.
 *
 * @summary A reservation's ticket: live status, QR code for check-in, add to calendar.
 *
 * @attribute status - Reflected, read-only: what the ticket shows — `loading`, `error`, `signed-out`, `empty`,
 * `not-found`, `pending`, `confirmed`, `checked-in`, `cancelled` or `expired`.
 *
 * @csspart base - The ticket card (`<article>`).
 * @csspart header - The title and status line.
 * @csspart title - The heading ("Your ticket").
 * @csspart status - The status line (a live region: changes are announced).
 * @csspart details - The list of when and where.
 * @csspart drop-name - The drop's name.
 * @csspart when - The slot's date and time range, in the branch's time zone.
 * @csspart where - The branch's name and address.
 * @csspart qr-frame - The figure around the QR code and the code as text.
 * @csspart qr - The QR code (`<svg role="img">`).
 * @csspart token-label - The label of the code as text.
 * @csspart token - The ticket code as text, for typing at the door.
 * @csspart calendar - The "Add to calendar" link (downloads an .ics file).
 * @csspart cancel - The "Cancel reservation" button (pending and confirmed reservations).
 * @csspart cancel-ask - The confirmation step of a cancellation: a question and two buttons.
 * @csspart cancel-confirm - The "Yes, cancel" button.
 * @csspart cancel-keep - The "Keep it" button (focused first).
 * @csspart skeleton - The loading placeholder.
 * @csspart message - The text of the empty, signed-out and not-found states.
 * @csspart error - The error message.
 * @csspart retry - The "Try again" button of the error state.
 *
 * @cssprop --ds-color-accent - Links and the confirmed accent. Default `#1f5eff`.
 * @cssprop --ds-color-text - Text. Default `#16181d`.
 * @cssprop --ds-color-muted - Secondary text. Default `#5b6170`.
 * @cssprop --ds-color-surface - Card background. Default `#ffffff`.
 * @cssprop --ds-color-border - Card border. Default `#c9ced8`.
 * @cssprop --ds-color-danger - Error, cancelled and expired states. Default `#b3261e`.
 * @cssprop --ds-color-success - Confirmed and checked-in states. Default `#1b7a3a`.
 * @cssprop --ds-radius - Corner radius. Default `10px`.
 * @cssprop --ds-space - Base spacing unit. Default `8px`.
 * @cssprop --ds-font-family - Font. Default the system UI font.
 * @cssprop --ds-focus-ring - Focus outline. Default `3px solid #1f5eff`.
 * @cssprop --ds-ticket-qr-size - Width of the QR code. Default `min(100%, 16rem)`.
 *
 * @fires {TicketUpdateEvent} ds-ticket-update - The ticket loaded or its state changed; detail `{ reservationId, state, previousState }`.
 */
export class ReservationTicket extends DropSlotElement {
  static override styles = [baseStyles, ticketStyles];

  /** Id of the reservation to show. */
  @property() reservation?: string;

  /** Id of a drop: show the signed-in customer's reservation in it (used when `reservation` is not set). */
  @property() drop?: string;

  /** Seconds between status refreshes while the page is visible; `0` turns polling off. */
  @property({ type: Number, attribute: 'refresh-interval' }) refreshInterval = 30;

  /** What the ticket shows now (also the host's `status` attribute). */
  get status(): TicketStatus {
    return this._status;
  }

  @state() private _status: TicketStatus = 'loading';
  @state() private _reservation?: Reservation;
  @state() private _details?: Details;
  /** The cancel step: `ask` shows the confirmation, `busy` while the request runs, `failed` after an error. */
  @state() private _cancel?: 'ask' | 'busy' | 'failed' | 'offline';

  /** Drop mode: the page session's hold and waitlist entry of the customer in the drop (the picker's, too). */
  readonly #hold = new StoreController<HoldState>(this, () => this.#fromSession());
  readonly #line = new StoreController<WaitlistStoreState>(this, () => this.#fromSession());
  readonly #restore = new StoreController<DropSessionStatus>(this, () => this.#fromSession());
  #loadKey: string | undefined;
  #abort?: AbortController;
  #timer?: ReturnType<typeof setInterval>;
  #expiryTimer?: ReturnType<typeof setTimeout>;
  /** The QR encoder and .ics writer, loaded on first use (a confirmed ticket). */
  #extras?: typeof import('./ticket-extras.js');
  #extrasLoading = false;
  #qr?: { token: string; geometry: QrGeometry };
  #calendar?: { key: string; url: string };

  override connectedCallback(): void {
    super.connectedCallback();
    this.requestUpdate(); // a reconnected ticket loads again
    document.addEventListener('visibilitychange', this.#onVisibility);
    this.#startPolling();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    clearInterval(this.#timer);
    clearTimeout(this.#expiryTimer);
    this.#abort?.abort();
    this.#loadKey = undefined;
    if (this.#calendar) URL.revokeObjectURL(this.#calendar.url);
    this.#calendar = undefined;
  }

  /** Reloads the reservation now (the page calls this after changing it elsewhere). */
  async refresh(): Promise<void> {
    this.#loadKey = this.#sourceKey();
    const mine = this.#mine();
    if (mine && this.settings.customerToken) await mine.refresh();
    else await this.#load(this._reservation === undefined);
  }

  /** Drop mode (a `drop`, no `reservation`): the page session's standing of the customer in that drop. */
  #mine(): DropSession | undefined {
    return !this.reservation && this.drop ? this.session?.drop(this.drop) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const mine = this.#mine();
    this.#hold.bind(mine?.hold.$hold);
    this.#line.bind(mine?.waitlist.$waitlist);
    this.#restore.bind(mine?.$status);
    if (changed.has('refreshInterval') && this.isConnected) this.#startPolling();
    const key = this.#sourceKey();
    // A ticket that left the page may still render (the lazy QR encoder arriving); it loads again when reconnected.
    if (key !== this.#loadKey && this.isConnected) {
      this.#loadKey = key;
      void this.#load(true);
    }
  }

  protected override updated(): void {
    if (this.getAttribute('status') !== this._status) this.setAttribute('status', this._status);
  }

  /** Everything a load depends on: a change of any of these reloads from scratch. */
  #sourceKey(): string {
    const s = this.settings;
    return [s.api, s.publishableKey, s.customerToken, this.reservation, this.drop].join('\n');
  }

  #startPolling(): void {
    clearInterval(this.#timer);
    if (this.refreshInterval > 0) {
      this.#timer = setInterval(() => {
        if (document.visibilityState === 'visible') void this.refresh();
      }, this.refreshInterval * 1000);
    }
  }

  #onVisibility = (): void => {
    if (document.visibilityState === 'visible') void this.refresh();
  };

  /** Drop mode: shows what the session's stores hold (the reservation of the hold, or of a claimed promotion). */
  #fromSession(): void {
    if (!this.#mine() || !this.isConnected) return;
    if (!this.settings.customerToken) return this.#show(undefined, 'signed-out');
    const hold = this.#hold.value;
    const line = this.#line.value;
    const held = hold && hold.status !== 'idle' && hold.status !== 'reserving' && hold.status !== 'error';
    const reservation = held ? hold.reservation : line?.status === 'claimed' ? line.reservation : null;
    if (!reservation) {
      const restore = this.#restore.value;
      if (restore === 'error') this._status = 'error';
      else if (restore === 'ready') this.#show(undefined, 'empty');
      else this._status = 'loading';
      return;
    }
    const status = hold?.status === 'expired' && held ? 'expired' : STATUS_OF[reservation.state];
    if (this._details?.slotId === reservation.slotId) return this.#show(reservation, status);
    const client = this.client;
    if (!client) return;
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#fetchDetails(client, reservation, abort.signal).then(
      (details) => {
        if (abort.signal.aborted) return;
        this._details = details;
        this.#show(reservation, status);
      },
      () => {
        if (!abort.signal.aborted) this._status = 'error';
      },
    );
  }

  async #load(showLoading: boolean): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    const client = this.client;
    if (!client) {
      this._status = 'loading'; // waits for the page configuration (script tag or <dropslot-config>)
      return;
    }
    if (!this.settings.customerToken) {
      this.#show(undefined, 'signed-out');
      return;
    }
    if (!this.reservation && !this.drop) {
      this.#show(undefined, 'empty');
      return;
    }
    if (!this.reservation) return this.#fromSession();
    if (showLoading) this._status = 'loading';
    try {
      const reservation = await this.#fetchReservation(client, abort.signal);
      if (abort.signal.aborted) return;
      if (!reservation) {
        this.#show(undefined, 'empty');
        return;
      }
      if (this._details?.slotId !== reservation.slotId) {
        const details = await this.#fetchDetails(client, reservation, abort.signal);
        if (abort.signal.aborted) return;
        this._details = details;
      }
      this.#show(reservation, STATUS_OF[reservation.state]);
      this.#scheduleExpiry(client, reservation);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (NotFoundError.is(error)) this.#show(undefined, 'not-found');
      else if (AuthenticationError.is(error)) this.#show(undefined, 'signed-out');
      // A failed background refresh keeps the ticket on screen; only a first load shows the error state.
      else if (showLoading || this._reservation === undefined) this._status = 'error';
    }
  }

  /** Shows a reservation (or a message); fires `ds-ticket-update` when its state changed. */
  #show(reservation: Reservation | undefined, status: TicketStatus): void {
    const previous = reservation && this._reservation?.id === reservation.id ? this._reservation.state : null;
    this._reservation = reservation;
    if (!reservation) this._details = undefined;
    this._status = status;
    if (reservation && previous !== reservation.state) {
      this.dispatchEvent(
        new TicketUpdateEvent({
          reservationId: reservation.id,
          state: reservation.state,
          previousState: previous,
        }),
      );
    }
  }

  async #fetchReservation(client: DropSlotClient, signal: AbortSignal): Promise<Reservation | undefined> {
    return client.reservations.retrieve(this.reservation!, { signal });
  }

  async #fetchDetails(
    client: DropSlotClient,
    reservation: Reservation,
    signal: AbortSignal,
  ): Promise<Details> {
    const [drop, slot, store] = await Promise.all([
      client.drops.retrieve(reservation.dropId, { signal }),
      client.slots.retrieve(reservation.slotId, { signal }),
      client.store.retrieve({ signal }),
    ]);
    const branch = store.branches.find((b) => b.id === drop.branchId);
    const place = branch ? [branch.name, branch.address].filter(Boolean).join(', ') : undefined;
    return { slotId: slot.id, drop, slot, place, timeZone: branch?.timeZone ?? store.timeZone };
  }

  /** A PENDING hold turns EXPIRED at `expiresAt` (server time): look again just after. */
  #scheduleExpiry(client: DropSlotClient, reservation: Reservation): void {
    clearTimeout(this.#expiryTimer);
    if (reservation.state !== 'PENDING' || !reservation.expiresAt) return;
    const wait = Date.parse(reservation.expiresAt) - client.clock.now() + 1000;
    this.#expiryTimer = setTimeout(() => void this.refresh(), Math.min(Math.max(wait, 1000), 2 ** 31 - 1));
  }

  #askCancel = async (): Promise<void> => {
    this._cancel = 'ask';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.cancel-keep')?.focus(); // the safe choice first
  };

  #keep = async (): Promise<void> => {
    this._cancel = undefined;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.cancel')?.focus();
  };

  #confirmCancel = async (): Promise<void> => {
    const client = this.client;
    const reservation = this._reservation;
    if (!client || !reservation) return;
    this._cancel = 'busy';
    const mine = this.#mine();
    if (mine) {
      // Through the page's hold store: the picker shows the freed slots at once.
      if (mine.hold.$hold.get().reservation?.id !== reservation.id) mine.hold.adopt(reservation);
      const result = await mine.hold.cancel();
      if (result.status === 'cancelled') this._cancel = undefined;
      else this.#cancelFailed(result.error);
      return;
    }
    try {
      const cancelled = await client.reservations.cancel(reservation.id);
      this._cancel = undefined;
      this.#show(cancelled, STATUS_OF[cancelled.state]);
    } catch (error) {
      this.#cancelFailed(error);
    }
  };

  /** Says what to do: offline, it cancels again by itself once the browser is back online; else try again. */
  #cancelFailed(error: unknown): void {
    if (ConnectionError.is(error) || TimeoutError.is(error)) {
      this._cancel = 'offline';
      addEventListener('online', () => void (this._cancel === 'offline' && this.#confirmCancel()), {
        once: true,
      });
    } else {
      this._cancel = 'failed';
    }
  }

  /** Confirms a held reservation of a free drop from the ticket (the picker, on the same store, follows). */
  #confirmHold = async (): Promise<void> => {
    const client = this.client;
    const reservation = this._reservation;
    if (!client || !reservation) return;
    const mine = this.#mine();
    if (mine) {
      if (mine.hold.$hold.get().reservation?.id !== reservation.id) mine.hold.adopt(reservation);
      await mine.hold.confirm();
      return;
    }
    try {
      const confirmed = await client.reservations.confirm(reservation.id);
      this.#show(confirmed, STATUS_OF[confirmed.state]);
    } catch {
      void this.refresh();
    }
  };

  #retry = (): void => {
    this.#loadKey = this.#sourceKey();
    void this.#load(true);
  };

  // ---- Rendering -------------------------------------------------------------------------------------------------

  #time(iso: string, timeZone: string | undefined): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, { timeStyle: 'short', timeZone }).format(
      new Date(iso),
    );
  }

  #range(slot: Slot, timeZone: string): string {
    const format = new Intl.DateTimeFormat(this.resolvedLocale, {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
    });
    return format.formatRange(new Date(slot.startsAt), new Date(slot.endsAt));
  }

  #statusText(r: Reservation, timeZone: string | undefined): string {
    switch (r.state) {
      case 'PENDING':
        return this.msg('ticketPending', { time: r.expiresAt ? this.#time(r.expiresAt, timeZone) : '' });
      case 'CONFIRMED':
        return this.msg('ticketConfirmed');
      case 'CHECKED_IN':
        return this.msg('ticketCheckedInAt', {
          time: r.checkedInAt ? this.#time(r.checkedInAt, timeZone) : '',
        });
      case 'CANCELLED':
        return this.msg('ticketCancelled');
      case 'EXPIRED':
        return this.msg('ticketExpired');
    }
  }

  /** The lazily loaded extras, or undefined while they load (the element renders again when they are here). */
  #loadExtras(): typeof import('./ticket-extras.js') | undefined {
    if (!this.#extras && !this.#extrasLoading) {
      this.#extrasLoading = true;
      import('./ticket-extras.js').then(
        (extras) => {
          this.#extras = extras;
          if (this.isConnected) this.requestUpdate(); // a removed ticket renders again when reconnected
        },
        () => {
          this.#extrasLoading = false; // the next render tries again
        },
      );
    }
    return this.#extras;
  }

  #qrGeometry(token: string): QrGeometry | undefined {
    const extras = this.#loadExtras();
    if (!extras) return undefined;
    if (this.#qr?.token !== token) this.#qr = { token, geometry: extras.qrGeometry(token) };
    return this.#qr.geometry;
  }

  /** A Blob URL of the .ics for the confirmed reservation, made once per content and revoked when replaced. */
  #calendarUrl(r: Reservation, d: Details): string | undefined {
    const extras = this.#loadExtras();
    if (!extras) return undefined;
    const key = [r.id, d.slot.startsAt, d.slot.endsAt, d.drop.name, d.place].join('\n');
    if (this.#calendar?.key === key) return this.#calendar.url;
    if (this.#calendar) URL.revokeObjectURL(this.#calendar.url);
    const ics = extras.toIcs({
      uid: `reservation-${r.id}@dropslot`,
      stamp: new Date(this.client?.clock.now() ?? Date.now()),
      start: new Date(d.slot.startsAt),
      end: new Date(d.slot.endsAt),
      summary: d.drop.name,
      location: d.place,
      description: `${this.msg('ticketCode')}: ${r.qrToken ?? ''}`,
    });
    const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
    this.#calendar = { key, url };
    return url;
  }

  #renderQr(token: string): TemplateResult {
    const geometry = this.#qrGeometry(token);
    if (!geometry) {
      return html`<figure part="qr-frame" class="qr-frame">
        <div class="bone square" aria-hidden="true"></div>
        <figcaption>
          <span part="token-label" class="token-label">${this.msg('ticketCode')}</span>
          <code part="token" class="token">${token}</code>
        </figcaption>
      </figure>`;
    }
    const { size, path } = geometry;
    const modules = svg`<rect class="qr-light" width=${size} height=${size}></rect><path class="qr-dark" d=${path}></path>`;
    return html`<figure part="qr-frame" class="qr-frame">
      <svg
        part="qr"
        class="qr"
        role="img"
        aria-label=${this.msg('ticketQr')}
        viewBox="0 0 ${size} ${size}"
        shape-rendering="crispEdges"
        data-modules=${size}
      >
        ${modules}
      </svg>
      <figcaption>
        <span part="token-label" class="token-label">${this.msg('ticketCode')}</span>
        <code part="token" class="token">${token}</code>
      </figcaption>
    </figure>`;
  }

  #renderTicket(r: Reservation, d: Details | undefined): TemplateResult {
    const tone =
      r.state === 'CONFIRMED' || r.state === 'CHECKED_IN'
        ? 'good'
        : r.state === 'PENDING'
          ? 'neutral'
          : 'bad';
    const calendar = r.state === 'CONFIRMED' && d ? this.#calendarUrl(r, d) : undefined;
    const cancellable = r.state === 'CONFIRMED' || r.state === 'PENDING';
    return html`
      <header part="header" class="header">
        <h2 part="title" class="title">${this.msg('ticket')}</h2>
        <p part="status" class="status ${tone}" role="status">${this.#statusText(r, d?.timeZone)}</p>
      </header>
      ${
        d
          ? html`<p part="drop-name" class="drop-name">${d.drop.name}</p>
              <dl part="details" class="details">
                <dt>${this.msg('ticketWhen')}</dt>
                <dd part="when">${this.#range(d.slot, d.timeZone)}</dd>
                ${
                  d.place
                    ? html`<dt>${this.msg('ticketWhere')}</dt>
                        <dd part="where">${d.place}</dd>`
                    : nothing
                }
              </dl>`
          : nothing
      }
      ${r.state === 'CONFIRMED' && r.qrToken ? this.#renderQr(r.qrToken) : nothing}
      ${
        calendar
          ? html`<a
              part="calendar"
              class="calendar"
              href=${calendar}
              download="${(d?.drop.name ?? 'ticket').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '')}.ics"
              >${this.msg('addToCalendar')}</a
            >`
          : nothing
      }
      ${
        r.state === 'PENDING' && this._status === 'pending' && d
          ? d.drop.paymentRequired
            ? html`<p part="message" class="message">${this.msg('ticketPay')}</p>`
            : html`<button part="confirm" class="confirm primary" type="button" @click=${this.#confirmHold}>
                ${this.msg('ticketConfirm')}
              </button>`
          : nothing
      }
      ${cancellable && this._status !== 'expired' ? this.#renderCancel() : nothing}
    `;
  }

  #renderCancel(): TemplateResult {
    if (this._cancel === undefined) {
      return html`<button part="cancel" class="cancel" type="button" @click=${this.#askCancel}>
        ${this.msg('ticketCancel')}
      </button>`;
    }
    const busy = this._cancel === 'busy';
    return html`<div part="cancel-ask" class="cancel-ask" role="group" aria-labelledby="cancel-ask">
      <p id="cancel-ask">${this.msg('ticketCancelAsk')}</p>
      ${
        this._cancel === 'failed' || this._cancel === 'offline'
          ? html`<p part="error" class="error" role="alert">
              ${this.msg(this._cancel === 'offline' ? 'actionOffline' : 'actionFailed')}
            </p>`
          : nothing
      }
      <button
        part="cancel-confirm"
        class="danger"
        type="button"
        ?disabled=${busy}
        @click=${this.#confirmCancel}
      >
        ${this.msg('ticketCancelYes')}
      </button>
      <button part="cancel-keep" class="cancel-keep" type="button" ?disabled=${busy} @click=${this.#keep}>
        ${this.msg('ticketCancelKeep')}
      </button>
    </div>`;
  }

  #renderBody(): TemplateResult {
    switch (this._status) {
      case 'loading':
        return html`<div part="skeleton" class="skeleton" aria-hidden="true">
            <div class="bone title-bone"></div>
            <div class="bone"></div>
            <div class="bone short"></div>
            <div class="bone square"></div>
          </div>
          <p class="visually-hidden" role="status">${this.msg('loading')}</p>`;
      case 'error':
        return html`<div part="error" class="error" role="alert">${this.msg('error')}</div>
          <button part="retry" class="retry" @click=${this.#retry}>${this.msg('retry')}</button>`;
      case 'signed-out':
        return html`<p part="message" class="message">${this.msg('ticketSignedOut')}</p>`;
      case 'empty':
        return html`<p part="message" class="message">${this.msg('ticketEmpty')}</p>`;
      case 'not-found':
        return html`<p part="message" class="message">${this.msg('ticketNotFound')}</p>`;
      default:
        return this._reservation ? this.#renderTicket(this._reservation, this._details) : html``;
    }
  }

  protected override render(): TemplateResult {
    return html`<article
      part="base"
      class="base"
      dir=${this.resolvedDir}
      lang=${this.resolvedLocale}
      aria-label=${this.msg('ticket')}
      aria-busy=${this._status === 'loading' ? 'true' : 'false'}
    >
      ${this.#renderBody()}
    </article>`;
  }
}

export * from './reservation-ticket.events.js';
