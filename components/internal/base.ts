/**
 * The base of every DropSlot element that talks to the API through the SDK: resolves the page configuration (script tag,
 * `<dropslot-config>`, `configure()`) with the element's own overrides (see `DropSlotLightElement`), hands out the shared
 * SDK client, and keeps the shopper's customer token. Not public API.
 */
import { property } from 'lit/decorators.js';
import type { DropSlotClient } from '../../src/client.js';
import { $config, type DropSlotConfig } from './config.js';
import { sharedClient } from './client.js';
import { format, type MessageKey } from './i18n.js';
import { DropSlotLightElement } from './light-base.js';

export class DropSlotElement extends DropSlotLightElement {
  /** Where the built-in sign-in step keeps its token in this tab (per publishable key); staff elements use their own. */
  protected static tokenStorage = 'dropslot.customerToken';

  /** The shopper's token; defaults to the page configuration, then a token from the built-in sign-in step. */
  @property({ attribute: 'customer-token' }) customerToken?: string;

  /** A message of the full catalog in the resolved locale. */
  protected override msg(key: MessageKey, vars?: Record<string, string | number>): string {
    return format(this.resolvedLocale, key, vars);
  }

  /** The configuration in force for this element. */
  protected get settings(): Partial<DropSlotConfig> {
    const page = $config.get();
    return {
      api: this.resolvedApi,
      publishableKey: this.resolvedKey,
      locale: this.resolvedLocale,
      customerToken: this.customerToken ?? page.customerToken ?? this.#storedToken(),
    };
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
      sessionStorage.setItem(this.#storageKey(key), token);
    } catch {
      // Storage blocked: the token lives as long as the element.
    }
    this.customerToken = token;
  }

  /** Forgets a token remembered by {@link rememberToken} (sign-out of the built-in sign-in step). */
  protected forgetToken(): void {
    const key = this.settings.publishableKey;
    try {
      if (key) sessionStorage.removeItem(this.#storageKey(key));
    } catch {
      // Storage blocked: nothing was stored.
    }
    this.customerToken = undefined;
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
