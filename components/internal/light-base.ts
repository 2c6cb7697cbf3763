/**
 * The light base of every DropSlot element: API origin, publishable key and locale from the page configuration (script
 * tag, `<dropslot-config>`, `configure()`) with the element's own overrides, and messages in the resolved locale. It
 * imports no SDK client, so an element built on it alone (`<drop-countdown>`) stays within its size budget;
 * `DropSlotElement` (base.ts) adds the shared client and the customer token. Not public API.
 */
import { LitElement, type PropertyDeclarations } from 'lit';
import { $config } from './config.js';
import { browserLocale, formatLight, isRtl, type LightMessageKey } from './i18n-light.js';

export class DropSlotLightElement extends LitElement {
  // Declared without decorators: the decorator helpers cost bytes the countdown's 10 KB budget does not have.
  static override properties: PropertyDeclarations = {
    api: {},
    publishableKey: { attribute: 'publishable-key' },
    locale: {},
  };

  /** API origin without `/v1`; defaults to the page configuration. */
  declare api?: string;
  /** Publishable key; defaults to the page configuration. */
  declare publishableKey?: string;
  /** Locale of messages, dates and numbers; defaults to the page configuration, then the browser's languages. */
  declare locale?: string;

  #unsubscribe?: () => void;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#unsubscribe = $config.listen(() => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unsubscribe?.();
  }

  /** The API origin in force for this element. */
  protected get resolvedApi(): string | undefined {
    return this.api ?? $config.get().api;
  }

  /** The publishable key in force for this element. */
  protected get resolvedKey(): string | undefined {
    return this.publishableKey ?? $config.get().publishableKey;
  }

  /**
   * The locale in force: the element's `locale`, the page configuration's, the `lang` of an enclosing element (a
   * deliberate choice for part of a page), then the first of the browser's languages with a shipped catalog, then the
   * document's `lang` (usually boilerplate, so the shopper's languages come first), then English.
   */
  protected get resolvedLocale(): string {
    const near = this.closest('[lang]');
    const lang = near?.getAttribute('lang') || undefined;
    return (
      this.locale ??
      $config.get().locale ??
      (near === document.documentElement ? undefined : lang) ??
      browserLocale() ??
      lang ??
      'en'
    );
  }

  /** The writing direction of the resolved locale, for the element's `dir`. */
  protected get resolvedDir(): 'rtl' | 'ltr' {
    return isRtl(this.resolvedLocale) ? 'rtl' : 'ltr';
  }

  /** A message in the resolved locale. Light elements know the light catalog only; `DropSlotElement` widens it. */
  protected msg(key: LightMessageKey, vars?: Record<string, string | number>): string {
    return formatLight(this.resolvedLocale, key, vars);
  }
}
