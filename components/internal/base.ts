/**
 * The base of every DropSlot element that talks to the API through the SDK: resolves the page configuration (script tag,
 * `<dropslot-config>`, `configure()`) with the element's own overrides (see `DropSlotLightElement`), hands out the shared
 * SDK client, and reads the shopper from the page-wide session (session.ts): one signed-in customer for every element
 * of the page. Staff elements (a `tokenStorage` of their own) keep their token apart, in this tab. Not public API.
 */
import { property } from 'lit/decorators.js';
import type { PropertyValues } from 'lit';
import type { DropSlotClient } from '../../src/client.js';
import type { SessionStore } from '../../src/stores/session.js';
import { $config, type DropSlotConfig } from './config.js';
import { sharedClient } from './client.js';
import { format, type MessageKey } from './i18n.js';
import { DropSlotLightElement } from './light-base.js';
import { pageSession } from './session.js';
import { StoreController } from './store-controller.js';

export class DropSlotElement extends DropSlotLightElement {
  /** Staff elements name their own session-storage key here, so a staff token never becomes the shopper's. */
  protected static tokenStorage = 'dropslot.customerToken';

  /** The shopper's token; defaults to the page configuration, then the page's session (the built-in sign-in). */
  @property({ attribute: 'customer-token' }) customerToken?: string;

  /** Re-renders the element when the page's shopper signs in or out (in any element, or another tab). */
  readonly #token = new StoreController<string | null>(this);
  /** The token the page or attribute gave last, applied to the session once (a later sign-out is not undone). */
  #given?: string | undefined;

  /** A message of the full catalog in the resolved locale. */
  protected override msg(key: MessageKey, vars?: Record<string, string | number>): string {
    return format(this.resolvedLocale, key, vars);
  }

  get #staff(): boolean {
    return (this.constructor as typeof DropSlotElement).tokenStorage !== DropSlotElement.tokenStorage;
  }

  /** The page's shopper session for this element's API and key; undefined until configured, and for staff elements. */
  protected get session(): SessionStore | undefined {
    const api = this.resolvedApi;
    const key = this.resolvedKey;
    return api && key && !this.#staff ? pageSession(api, key) : undefined;
  }

  /** The configuration in force for this element. */
  protected get settings(): Partial<DropSlotConfig> {
    const given = this.customerToken ?? $config.get().customerToken;
    const session = this.session;
    return {
      api: this.resolvedApi,
      publishableKey: this.resolvedKey,
      locale: this.resolvedLocale,
      customerToken: session
        ? (session.$token.get() ?? undefined)
        : (given ?? (this.#staff ? this.#storedToken() : undefined)),
    };
  }

  /** The shared client for this element's API and key; undefined until configured. Its token is the session's. */
  protected get client(): DropSlotClient | undefined {
    const api = this.resolvedApi;
    const key = this.resolvedKey;
    return api && key ? sharedClient(api, key) : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const session = this.session;
    this.#token.bind(session?.$token);
    const given = this.customerToken ?? $config.get().customerToken;
    if (session && given !== this.#given) {
      this.#given = given;
      if (given) session.useToken(given);
    }
    if (!session) this.#applyStaffToken();
  }

  /** Signs the shopper in on the whole page (staff elements: keeps the token in this tab, apart). */
  protected rememberToken(token: string, expiresAt: string | null = null): void {
    const session = this.session;
    if (session) {
      session.signIn({ token, expiresAt });
      return;
    }
    const key = this.resolvedKey;
    try {
      if (key) sessionStorage.setItem(this.#storageKey(key), token);
    } catch {
      // Storage blocked: the token lives as long as the element.
    }
    this.customerToken = token;
    this.#applyStaffToken();
  }

  /** Signs out (the shopper: on the whole page, and in every tab of the store). */
  protected forgetToken(): void {
    const session = this.session;
    if (session) {
      this.#given = undefined;
      session.signOut();
      return;
    }
    const key = this.resolvedKey;
    try {
      if (key) sessionStorage.removeItem(this.#storageKey(key));
    } catch {
      // Storage blocked: nothing was stored.
    }
    this.customerToken = undefined;
    this.#applyStaffToken();
  }

  #applyStaffToken(): void {
    const client = this.client;
    const token = this.settings.customerToken ?? null;
    if (client && client.customerToken !== token) client.setCustomerToken(token);
  }

  #storageKey(publishableKey: string): string {
    return `${(this.constructor as typeof DropSlotElement).tokenStorage}.${publishableKey}`;
  }

  #storedToken(): string | undefined {
    const key = this.resolvedKey;
    if (!key) return undefined;
    try {
      return sessionStorage.getItem(this.#storageKey(key)) ?? undefined;
    } catch {
      return undefined;
    }
  }
}
