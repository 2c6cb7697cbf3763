import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { DropSlotClient } from '../../src/client.js';
import { AuthenticationError, ConflictError, ValidationError, isDropSlotError } from '../../src/errors.js';
import { formatMoney } from '../../src/money.js';
import type { DeskTicket } from '../../src/schemas/desk.js';
import type { Handover } from '../../src/schemas/rentals.js';
import type { Reservation } from '../../src/schemas/reservations.js';
import { DropSlotElement } from '../internal/base.js';
import { isRtl } from '../internal/i18n.js';
import { baseStyles } from '../internal/tokens.styles.js';
import { CheckInEvent, CheckInFailEvent, HandoverEvent } from './check-in-desk.events.js';
import { deskMessage, type DeskMessageKey } from './check-in-desk.messages.js';
import { deskStyles } from './check-in-desk.styles.js';
import { createFrameReader, type FrameReader } from './scanner.js';

type Camera = 'off' | 'starting' | 'on' | 'unavailable' | 'denied';

type Result =
  | { kind: 'checking' }
  | { kind: 'ok'; reservation: Reservation; ticket: DeskTicket }
  | { kind: 'handover'; handover: Handover; ticket: DeskTicket }
  | { kind: 'used'; firstUsedAt: string | undefined; ticket?: DeskTicket }
  | { kind: 'invalid' }
  | { kind: 'not-checkable'; state: string }
  | { kind: 'window'; opensAt?: string; closedAt?: string }
  | { kind: 'error' };

const STAFF_ROLES = ['staff', 'owner', 'admin'];
/** Rental pickup and return codes start with this; ticket codes do not. */
const HANDOVER_PREFIX = 'ds1h.';
/** The `ticket` member of a 409 `qr_already_used` (what was scanned), when the server named it. */
function usedTicket(value: unknown): DeskTicket | undefined {
  const ticket = value as DeskTicket | undefined;
  return ticket && typeof ticket === 'object' && typeof ticket.timeZone === 'string' && ticket.customer
    ? ticket
    : undefined;
}

/** Milliseconds between camera frames read. */
const SCAN_INTERVAL = 200;
/** The same code seen again by the camera within this many ms is not sent again (it is still in front of the lens). */
const SAME_CODE_PAUSE = 20_000;

/**
 * The staff side of the door: scan a ticket's QR code with the camera, or type or paste its code (a USB scanner that
 * types works too), and see at once whether it checked in — with the customer's name, the drop, the slot and the time —
 * or was already used: then when, and whose ticket it is. Built-in staff sign-in (email and password of a staff
 * account) when the page gives no staff token.
 *
 * The same desk verifies rental handovers: a pickup or return code of `<rental-checkout>` (`ds1h.…`) is redeemed once
 * through `POST /v1/handovers` and shows the customer, the rental's period, each unit to hand over or take back
 * (product and serial) and, at the pickup of a pay-at-pickup rental, the amount to collect.
 *
 * The camera starts only when asked (the browser asks for permission). It reads codes with `BarcodeDetector` where the
 * browser has it, otherwise with a JavaScript decoder that is downloaded only then. Without a camera, or when access is
 * denied, the text field still works.
 *
 * @summary Staff check-in: scan or type a ticket code; shows success or when it was already used.
 *
 * @csspart base - The desk (`<section>`).
 * @csspart title - The heading.
 * @csspart sign-in - The staff sign-in form.
 * @csspart sign-out - The "Sign out" button.
 * @csspart field - A label and its input (sign-in email and password, ticket code).
 * @csspart label - A field's label.
 * @csspart input - A text input (sign-in email and password, ticket code).
 * @csspart button - A form's submit button.
 * @csspart camera - The camera area: start/stop button, video and camera messages.
 * @csspart camera-button - The "Start camera" / "Stop camera" button.
 * @csspart video - The live camera picture.
 * @csspart camera-message - Why the camera is not available, or how to aim it.
 * @csspart form - The ticket code form.
 * @csspart result - The outcome of the last code (a live region: announced).
 * @csspart result-title - The outcome's headline (checked in / already used at … / not a valid code).
 * @csspart result-details - What the code is for (a description list): customer, drop and slot or rental, units, amount, time.
 * @csspart detail - One entry of the details (also `detail-customer`, `detail-slot`, `detail-rental`, `detail-units`,
 *   `detail-collect`, `detail-time`).
 * @csspart error - A sign-in error.
 *
 * @cssprop --ds-color-accent - Buttons and focus. Default `#1f5eff`.
 * @cssprop --ds-color-on-accent - Text on accent buttons. Default `#ffffff`.
 * @cssprop --ds-color-text - Text. Default `#16181d`.
 * @cssprop --ds-color-muted - Secondary text. Default `#5b6170`.
 * @cssprop --ds-color-surface - Background. Default `#ffffff`.
 * @cssprop --ds-color-border - Borders. Default `#c9ced8`.
 * @cssprop --ds-color-danger - Refused codes and errors. Default `#b3261e`.
 * @cssprop --ds-color-success - Checked-in result. Default `#1b7a3a`.
 * @cssprop --ds-radius - Corner radius. Default `10px`.
 * @cssprop --ds-space - Base spacing unit. Default `8px`.
 * @cssprop --ds-font-family - Font. Default the system UI font.
 * @cssprop --ds-focus-ring - Focus outline. Default `3px solid #1f5eff`.
 *
 * @fires {CheckInEvent} ds-check-in - A ticket was checked in; detail `{ reservationId, checkedInAt, reservation }`.
 * @fires {CheckInFailEvent} ds-check-in-fail - A code was refused or the request failed; detail `{ code, firstUsedAt? }`.
 * @fires {HandoverEvent} ds-handover - A rental pickup or return code (`ds1h.…`) was verified; detail `{ handover }`.
 */
export class CheckInDesk extends DropSlotElement {
  static override styles = [baseStyles, deskStyles];
  /** Staff sign in on this desk: their token is kept apart from a shopper's in the same tab. */
  protected static override tokenStorage = 'dropslot.staffToken';

  @state() private _camera: Camera = 'off';
  @state() private _result?: Result;
  @state() private _signInError?: string;
  @state() private _signingIn = false;

  #stream?: MediaStream;
  #reader?: FrameReader;
  #scanTimer?: ReturnType<typeof setTimeout>;
  #lastCode?: { text: string; at: number };
  #inFlight = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopCamera();
  }

  /** Checks a ticket code in, as if it had been typed. */
  async checkIn(code: string): Promise<void> {
    const qrToken = code.trim();
    const client = this.client;
    if (!qrToken || !client || this.#inFlight) return;
    this.#inFlight = true;
    this._result = { kind: 'checking' };
    try {
      if (qrToken.startsWith(HANDOVER_PREFIX)) {
        // A rental's pickup or return code: verified once, like a ticket.
        const handover = await client.rentals.handovers.create({ qrToken });
        this._result = { kind: 'handover', handover, ticket: handover.ticket };
        this.dispatchEvent(new HandoverEvent(handover));
        return;
      }
      const result = await client.checkIns.create({ qrToken });
      const { reservation } = result;
      this._result = { kind: 'ok', reservation, ticket: result.ticket };
      this.dispatchEvent(
        new CheckInEvent({
          reservationId: result.reservationId,
          checkedInAt: result.checkedInAt,
          reservation,
        }),
      );
    } catch (error) {
      await this.#refused(client, error);
    } finally {
      this.#inFlight = false;
    }
  }

  async #refused(client: DropSlotClient, error: unknown): Promise<void> {
    let code = isDropSlotError(error) ? (error.code ?? 'error') : 'error';
    let firstUsedAt: string | undefined;
    if (ConflictError.is(error) && error.code === 'qr_already_used') {
      const at = error.problem?.firstUsedAt;
      firstUsedAt = typeof at === 'string' ? at : undefined;
      // The server names the ticket (whose, what for) and the zone of its first use, as the success message showed it.
      this._result = { kind: 'used', firstUsedAt, ticket: usedTicket(error.problem?.ticket) };
    } else if (
      ConflictError.is(error) &&
      (error.code === 'check_in_not_open' || error.code === 'check_in_closed')
    ) {
      // Too early or too late for this slot (or rental pickup): say when it opens, or that it closed.
      const opensAt = error.problem?.opensAt;
      const closedAt = error.problem?.closedAt;
      this._result = {
        kind: 'window',
        ...(typeof opensAt === 'string' && { opensAt }),
        ...(typeof closedAt === 'string' && { closedAt }),
      };
    } else if (ConflictError.is(error) && error.code === 'invalid_state') {
      const state = error.problem?.state;
      this._result = { kind: 'not-checkable', state: typeof state === 'string' ? state.toLowerCase() : '?' };
    } else if (ValidationError.is(error) || (isDropSlotError(error) && error.code === 'qr_invalid')) {
      this._result = { kind: 'invalid' };
    } else if (AuthenticationError.is(error)) {
      // The token is not (or no longer) a staff member's: back to sign-in.
      this.forgetToken();
      this._signInError = this.#desk('deskNotStaff');
      this._result = undefined;
      code = error.code ?? 'forbidden';
    } else {
      this._result = { kind: 'error' };
    }
    this.dispatchEvent(new CheckInFailEvent({ code, firstUsedAt }));
  }

  // ---- Staff sign-in ---------------------------------------------------------------------------------------------

  #onSignIn = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const client = this.client;
    if (!client || this._signingIn) return;
    this._signingIn = true;
    this._signInError = undefined;
    try {
      const session = await client.customers.signIn({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
      });
      if (!session.customer.roles.some((role) => STAFF_ROLES.includes(role))) {
        this._signInError = this.#desk('deskNotStaff');
        return;
      }
      this.rememberToken(session.token);
      form.reset();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
    } catch (error) {
      this._signInError =
        AuthenticationError.is(error) || ValidationError.is(error)
          ? this.#desk('deskBadCredentials')
          : this.msg('error');
    } finally {
      this._signingIn = false;
    }
  };

  #signOut = (): void => {
    this.#stopCamera();
    this.forgetToken();
    this._result = undefined;
  };

  // ---- Camera ----------------------------------------------------------------------------------------------------

  #toggleCamera = (): void => {
    if (this._camera === 'on' || this._camera === 'starting') this.#stopCamera();
    else void this.#startCamera();
  };

  async #startCamera(): Promise<void> {
    if (!navigator.mediaDevices?.getUserMedia) {
      this._camera = 'unavailable';
      return;
    }
    this._camera = 'starting';
    this.#lastCode = undefined;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' } },
        audio: false,
      });
      if (this._camera !== 'starting') {
        for (const track of stream.getTracks()) track.stop(); // stopped while the browser was asking
        return;
      }
      this.#stream = stream;
      this._camera = 'on';
      await this.updateComplete;
      const video = this.renderRoot.querySelector('video');
      if (!video) return;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      this.#reader ??= await createFrameReader();
      this.#scan();
    } catch (error) {
      this.#stopCamera();
      const name = error instanceof DOMException ? error.name : '';
      this._camera = name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable';
    }
  }

  #scan = (): void => {
    clearTimeout(this.#scanTimer);
    if (this._camera !== 'on') return;
    const video = this.renderRoot.querySelector('video');
    const reader = this.#reader;
    const next = (): void => {
      if (this._camera === 'on') this.#scanTimer = setTimeout(this.#scan, SCAN_INTERVAL);
    };
    if (!video || !reader || video.readyState < 2 || this.#inFlight) return next();
    reader(video)
      .then((text) => {
        if (!text) return;
        const now = Date.now();
        if (this.#lastCode?.text === text && now - this.#lastCode.at < SAME_CODE_PAUSE) return;
        this.#lastCode = { text, at: now };
        return this.checkIn(text);
      })
      .catch(() => undefined)
      .finally(next);
  };

  #stopCamera(): void {
    clearTimeout(this.#scanTimer);
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    this.#stream = undefined;
    const video = this.renderRoot?.querySelector('video');
    if (video) video.srcObject = null;
    if (this._camera === 'on' || this._camera === 'starting') this._camera = 'off';
  }

  // ---- Typed codes -----------------------------------------------------------------------------------------------

  #onCode = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('code') as HTMLInputElement;
    await this.checkIn(input.value);
    input.value = '';
    input.focus();
  };

  // ---- Rendering -------------------------------------------------------------------------------------------------

  #desk(key: DeskMessageKey, vars?: Record<string, string | number>): string {
    return deskMessage(this.resolvedLocale, key, vars);
  }

  #dateTime(iso: string, timeZone: string | undefined): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone,
    }).format(new Date(iso));
  }

  #slotRange(slot: { startsAt: string; endsAt: string }, timeZone: string | undefined): string {
    return new Intl.DateTimeFormat(this.resolvedLocale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
    }).formatRange(new Date(slot.startsAt), new Date(slot.endsAt));
  }

  #renderSignIn(): TemplateResult {
    return html`<form part="sign-in" class="sign-in" @submit=${this.#onSignIn}>
      <h2 part="title" class="title">${this.#desk('deskSignIn')}</h2>
      <label part="field" class="field">
        <span part="label">${this.msg('email')}</span>
        <input part="input" name="email" type="email" autocomplete="username" required />
      </label>
      <label part="field" class="field">
        <span part="label">${this.msg('password')}</span>
        <input part="input" name="password" type="password" autocomplete="current-password" required />
      </label>
      ${
        this._signInError
          ? html`<p part="error" class="error" role="alert">${this._signInError}</p>`
          : nothing
      }
      <button part="button" class="primary" type="submit" ?disabled=${this._signingIn}>
        ${this.msg('signIn')}
      </button>
    </form>`;
  }

  #renderCamera(): TemplateResult {
    const running = this._camera === 'on' || this._camera === 'starting';
    const message =
      this._camera === 'denied'
        ? this.#desk('deskCameraDenied')
        : this._camera === 'unavailable'
          ? this.#desk('deskNoCamera')
          : running
            ? this.#desk('deskCameraHint')
            : undefined;
    return html`<div part="camera" class="camera">
      <button
        part="camera-button"
        type="button"
        aria-pressed=${running ? 'true' : 'false'}
        @click=${this.#toggleCamera}
      >
        ${running ? this.#desk('deskStopCamera') : this.#desk('deskStartCamera')}
      </button>
      ${
        running
          ? html`<video part="video" class="video" playsinline muted aria-label=${this.msg('scan')}></video>`
          : nothing
      }
      ${message ? html`<p part="camera-message" class="camera-message">${message}</p>` : nothing}
    </div>`;
  }

  #renderResult(): TemplateResult {
    const r = this._result;
    let tone = '';
    let title: string | typeof nothing = nothing;
    let details: TemplateResult | typeof nothing = nothing;
    switch (r?.kind) {
      case 'checking':
        tone = 'neutral';
        title = this.#desk('deskChecking');
        break;
      case 'ok':
        tone = 'ok';
        title = r.ticket.drop
          ? this.#desk('deskCheckedIn', { drop: r.ticket.drop.name })
          : this.msg('checkedIn');
        details = this.#renderTicket(r.ticket, this.msg('checkedIn'));
        break;
      case 'handover': {
        tone = 'ok';
        const { type } = r.handover;
        const items = r.ticket.units.map((u) => u.serial).join(', ');
        title = this.#desk(type === 'pickup' ? 'deskPickedUp' : 'deskReturned', { items });
        details = this.#renderTicket(r.ticket, this.#desk('deskVerifiedAt'));
        break;
      }
      case 'used':
        tone = 'refused';
        title = this.msg('alreadyUsed', {
          time: r.firstUsedAt ? this.#dateTime(r.firstUsedAt, r.ticket?.timeZone) : '?',
        });
        details = r.ticket ? this.#renderTicket(r.ticket) : nothing;
        break;
      case 'invalid':
        tone = 'refused';
        title = this.msg('invalidCode');
        break;
      case 'window':
        tone = 'refused';
        title = r.opensAt
          ? this.#desk('deskNotOpenYet', { time: this.#dateTime(r.opensAt, undefined) })
          : this.#desk('deskClosed', { time: r.closedAt ? this.#dateTime(r.closedAt, undefined) : '?' });
        break;
      case 'not-checkable':
        tone = 'refused';
        title = this.#desk('deskNotCheckable', { state: r.state });
        break;
      case 'error':
        tone = 'refused';
        title = this.msg('error');
        break;
    }
    // The live region stays in the DOM so each new outcome is announced.
    return html`<div part="result" class="result ${tone}" role="status" data-result=${r?.kind ?? 'none'}>
      ${title === nothing ? nothing : html`<p part="result-title" class="result-title">${title}</p>`}
      ${details}
    </div>`;
  }

  /**
   * What a code is for, as a description list: the customer, the drop and slot or the rental's period, the units to
   * hand over or take back, the amount to collect, and (`timeLabel`) when it was used now.
   */
  #renderTicket(ticket: DeskTicket, timeLabel?: string): TemplateResult {
    const zone = ticket.timeZone;
    const row = (name: string, label: string, value: TemplateResult | string) =>
      html`<div part="detail detail-${name}" class="detail">
        <dt>${label}</dt>
        <dd>${value}</dd>
      </div>`;
    const unitsLabel = ticket.kind === 'return' ? this.#desk('deskTakeBack') : this.#desk('deskHandOver');
    const collect =
      ticket.amountToCollect > 0 && ticket.currency
        ? formatMoney(ticket.amountToCollect, ticket.currency, this.resolvedLocale)
        : this.#desk('deskNothingToCollect');
    return html`<dl part="result-details" class="result-details">
      ${row('customer', this.#desk('deskCustomer'), ticket.customer.name ?? this.#desk('deskNoName'))}
      ${ticket.drop && !timeLabel ? row('drop', this.#desk('deskDrop'), ticket.drop.name) : nothing}
      ${ticket.slot ? row('slot', this.#desk('deskSlot'), this.#slotRange(ticket.slot, zone)) : nothing}
      ${
        ticket.period
          ? row(
              'rental',
              this.#desk('deskRental'),
              this.#slotRange({ startsAt: ticket.period.start, endsAt: ticket.period.end }, zone),
            )
          : nothing
      }
      ${
        ticket.units.length > 0
          ? row(
              'units',
              unitsLabel,
              html`<ul class="units">
                ${ticket.units.map(
                  (u) =>
                    html`<li><span class="product">${u.productName}</span> · <bdi>${u.serial}</bdi></li>`,
                )}
              </ul>`,
            )
          : nothing
      }
      ${ticket.kind === 'pickup' ? row('collect', this.#desk('deskCollect'), collect) : nothing}
      ${timeLabel ? row('time', timeLabel, this.#dateTime(ticket.usedAt, zone)) : nothing}
    </dl>`;
  }

  #renderDesk(): TemplateResult {
    return html`<div class="desk-head">
        <h2 part="title" class="title">${this.msg('scan')}</h2>
        <button part="sign-out" class="sign-out" type="button" @click=${this.#signOut}>
          ${this.#desk('deskSignOut')}
        </button>
      </div>
      ${this.#renderCamera()}
      <form part="form" class="code-form" @submit=${this.#onCode}>
        <label part="field" class="field">
          <span part="label">${this.msg('typeToken')}</span>
          <input
            part="input"
            name="code"
            type="text"
            autocomplete="off"
            autocapitalize="off"
            spellcheck="false"
            required
          />
        </label>
        <button part="button" class="primary" type="submit">${this.msg('checkIn')}</button>
      </form>
      ${this.#renderResult()}`;
  }

  protected override render(): TemplateResult {
    const signedIn = Boolean(this.settings.customerToken);
    return html`<section
      part="base"
      class="base"
      dir=${isRtl(this.resolvedLocale) ? 'rtl' : nothing}
      lang=${this.locale ?? nothing}
      aria-label=${this.msg('checkIn')}
    >
      ${signedIn ? this.#renderDesk() : this.#renderSignIn()}
    </section>`;
  }
}

export * from './check-in-desk.events.js';
