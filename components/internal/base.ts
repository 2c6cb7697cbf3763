/**
 * The base of every DropSlot element: resolves the page configuration (script tag, `<dropslot-config>`, `configure()`)
 * with the element's own overrides, hands out the shared SDK client, and formats messages in the resolved locale.
 * Not public API.
 */
import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { DropSlotClient } from '../../src/client.js';
import { $config, type DropSlotConfig } from './config.js';
import { sharedClient } from './client.js';
import { format, type MessageKey } from './i18n.js';

const TOKEN_STORAGE = 'dropslot.customerToken';

export class DropSlotElement extends LitElement {
  /** API origin without `/v1`; defaults to the page configuration. */
  @property({ reflect: false }) api?: string;
  /** Publishable key; defaults to the page configuration. */
  @property({ attribute: 'publishable-key' }) publishableKey?: string;
  /** Locale of messages, dates and numbers; defaults to the page configuration, then `<html lang>`, then the browser. */
  @property() locale?: string;
  /** The shopper's token; defaults to the page configuration, then a token from the built-in sign-in step. */
  @property({ attribute: 'customer-token' }) customerToken?: string;

  #unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = $config.listen(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
  }

  /** The configuration in force for this element. */
  protected get settings(): Partial<DropSlotConfig> {
    const page = $config.get();
    return {
      api: this.api ?? page.api,
      publishableKey: this.publishableKey ?? page.publishableKey,
      locale: this.resolvedLocale,
      customerToken: this.customerToken ?? page.customerToken ?? storedToken(this.publishableKey ?? page.publishableKey),
    };
  }

  protected get resolvedLocale(): string {
    return (
      this.locale ??
      $config.get().locale ??
      (this.closest('[lang]')?.getAttribute('lang') || undefined) ??
      (typeof navigator === 'undefined' ? 'en' : navigator.language) ??
      'en'
    );
  }

  /** The shared client for this element's API and key, with the customer token applied; undefined until configured. */
  protected get client(): DropSlotClient | undefined {
    const { api, publishableKey, customerToken } = this.settings;
    if (!api || !publishableKey) return undefined;
    const client = sharedClient(api, publishableKey);
    if ((customerToken ?? null) !== client.customerToken) client.setCustomerToken(customerToken ?? null);
    return client;
  }

  /** Remembers a token from the built-in sign-in step for this key (session storage: gone with the tab). */
  protected rememberToken(token: string): void {
    const key = this.settings.publishableKey;
    if (!key) return;
    try {
      sessionStorage.setItem(`${TOKEN_STORAGE}.${key}`, token);
    } catch {
      // Storage blocked: the token lives as long as the element.
    }
    this.customerToken = token;
  }

  protected msg(key: MessageKey, vars?: Record<string, string | number>): string {
    return format(this.resolvedLocale, key, vars);
  }
}

function storedToken(publishableKey: string | undefined): string | undefined {
  if (!publishableKey) return undefined;
  try {
    return sessionStorage.getItem(`${TOKEN_STORAGE}.${publishableKey}`) ?? undefined;
  } catch {
    return undefined;
  }
}
