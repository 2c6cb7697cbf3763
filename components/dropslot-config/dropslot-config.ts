import { html, LitElement, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { configure } from '../internal/config.js';
import { configStyles } from './dropslot-config.styles.js';

/**
 * Configures every DropSlot element of the page once: the API origin, the publishable key, the locale and, when the page
 * knows the shopper, their customer token. Put it anywhere in the page (it may wrap the elements, or not); the values
 * apply page-wide when it connects and whenever an attribute changes. An element's own attribute still wins.
 * Empty values are ignored, so removing an attribute keeps the value set before.
 *
 * The script tag's data attributes (`data-api`, `data-key`, `data-locale`, `data-customer-token`) do the same without
 * an element.
 *
 * @summary Page-wide configuration of the DropSlot elements.
 *
 * @slot - Any content; rendered as is (the element itself has no box: `display: contents`).
 */
export class DropslotConfig extends LitElement {
  static override styles = configStyles;

  /** API origin without `/v1`, e.g. `https://api.example.com`. */
  @property() api?: string;
  /** The store's publishable key (`pk_…`). */
  @property({ attribute: 'publishable-key' }) publishableKey?: string;
  /** BCP 47 locale for messages, dates and numbers, e.g. `de-DE`. */
  @property() locale?: string;
  /** The shopper's customer token, when the page knows who they are. */
  @property({ attribute: 'customer-token' }) customerToken?: string;
  /**
   * Where the built-in sign-in keeps the shopper's token: `local` (every tab of this store until it expires; the
   * default), `tab` or `none`. Read when the page's session starts (the first element that needs it).
   */
  @property() session?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#apply();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (
      changed.has('api') ||
      changed.has('publishableKey') ||
      changed.has('locale') ||
      changed.has('customerToken') ||
      changed.has('session')
    ) {
      this.#apply();
    }
  }

  #apply(): void {
    configure({
      api: this.api,
      publishableKey: this.publishableKey,
      locale: this.locale,
      customerToken: this.customerToken,
      session: this.session,
    });
  }

  protected override render(): TemplateResult {
    return html`<slot></slot>`;
  }
}
