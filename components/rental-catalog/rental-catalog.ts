import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Product } from '../../src/schemas/products.js';
import type { Category, PricingUnit } from '../../src/schemas/rentals.js';
import { formatMoney } from '../../src/money.js';
import { DropSlotElement } from '../internal/base.js';
import { isRtl } from '../internal/i18n.js';
import { productImage } from '../internal/product-image.js';
import { baseStyles } from '../internal/tokens.styles.js';
import { rentalMessage, type RentalMessageKey } from '../rental-checkout/messages.js';
import { RentalSelectEvent } from './rental-catalog.events.js';

/** The designed states of `<rental-catalog>`: `loading`, `error` (with Retry), `empty`, `ready`. */
export type RentalCatalogState = 'loading' | 'error' | 'empty' | 'ready';

const PER: Record<PricingUnit, RentalMessageKey> = { hour: 'rcPerHour', day: 'rcPerDay', week: 'rcPerWeek' };

/**
 * Browse the store's rental catalog: the category tree as filters and the rentable products as cards with image and
 * price. Choosing a product fires `ds-rental-select`; with `for="<id>"` it also sets the `product` of the
 * `<rental-checkout>` with that id and moves focus to it.
 *
 * @summary Browse rentable products by category and pick one for `<rental-checkout>`.
 *
 * @attribute state - Reflected, read-only: `loading`, `error`, `empty` or `ready`.
 * @fires ds-rental-select - A product was chosen (`detail.product`).
 * @csspart categories - The category filter list.
 * @csspart category - A category filter button (`aria-pressed` when chosen).
 * @csspart products - The list of product cards.
 * @csspart card - One product card.
 * @csspart image - A product image.
 * @csspart button - Any button. `button-primary` marks a product's "Choose dates" button.
 */
export class RentalCatalog extends DropSlotElement {
  static override styles = [
    baseStyles,
    css`
      [part~='base'] {
        display: grid;
        gap: calc(var(--_space) * 2);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      [part~='categories'] {
        display: flex;
        flex-wrap: wrap;
        gap: var(--_space);
      }
      [part~='category'][aria-pressed='true'] {
        background: var(--_accent);
        border-color: var(--_accent);
        color: var(--_on-accent);
      }
      [part~='products'] {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
        gap: calc(var(--_space) * 2);
      }
      [part~='card'] {
        display: grid;
        gap: var(--_space);
        padding: calc(var(--_space) * 1.5);
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
      }
      [part~='card'][aria-current='true'] {
        border-color: var(--_accent);
        box-shadow: 0 0 0 1px var(--_accent);
      }
      [part~='image'] {
        inline-size: 100%;
        aspect-ratio: 4 / 3;
        object-fit: cover;
        border-radius: calc(var(--_radius) / 2);
      }
      h3,
      p {
        margin: 0;
      }
      .muted {
        color: var(--_muted);
      }
    `,
  ];

  /** The id of a `<rental-checkout>` in the same document whose `product` a choice sets. */
  @property() for?: string;
  /** Read-only: the designed state. */
  @property({ reflect: true }) state: RentalCatalogState = 'loading';

  @state() private _categories: Category[] = [];
  @state() private _products: Product[] = [];
  @state() private _category?: string;
  @state() private _chosen?: string;
  @state() private _failed = false;
  #loadedFor?: string;

  #t(key: RentalMessageKey, vars?: Record<string, string | number>): string {
    return rentalMessage(this.resolvedLocale, key, vars);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const key = `${this.resolvedApi ?? ''}|${this.resolvedKey ?? ''}`;
    if (this.client && key !== this.#loadedFor) {
      this.#loadedFor = key;
      void this.#load();
    }
    this.state = this._failed
      ? 'error'
      : this.#loadedFor === undefined || this.state === 'loading'
        ? this.state
        : this._products.length
          ? 'ready'
          : 'empty';
  }

  async #load(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.state = 'loading';
    this._failed = false;
    try {
      const [tree, products] = await Promise.all([
        client.rentals.categories.list(),
        client.products.list({ rentable: 'true', limit: 100 }),
      ]);
      this._categories = tree.data;
      this._products = products.data;
      this.state = products.data.length ? 'ready' : 'empty';
    } catch {
      this._failed = true;
    }
  }

  /** Ids of a category and every category below it. */
  #subtree(id: string): Set<string> {
    const ids = new Set<string>();
    const walk = (nodes: Category[], inside: boolean): void => {
      for (const node of nodes) {
        const hit = inside || node.id === id;
        if (hit) ids.add(node.id);
        walk(node.children, hit);
      }
    };
    walk(this._categories, false);
    return ids;
  }

  #choose(product: Product): void {
    this._chosen = product.id;
    this.dispatchEvent(new RentalSelectEvent(product));
    const target = this.for ? this.ownerDocument.getElementById(this.for) : null;
    if (target) {
      target.setAttribute('product', product.id);
      target.scrollIntoView?.({ block: 'start' });
      (target as HTMLElement).focus?.();
    }
  }

  #money(amount: number, currency: string): string {
    return formatMoney(amount, currency, this.resolvedLocale);
  }

  protected override render(): TemplateResult {
    const dir = isRtl(this.resolvedLocale) ? 'rtl' : 'ltr';
    if (this.state === 'loading')
      return html`<p part="base" dir=${dir} aria-busy="true">${this.msg('loading')}</p>`;
    if (this.state === 'error') {
      return html`<div part="base" dir=${dir}>
        <p role="alert">${this.msg('error')}</p>
        <div><button part="button" @click=${() => void this.#load()}>${this.msg('retry')}</button></div>
      </div>`;
    }
    const within = this._category ? this.#subtree(this._category) : undefined;
    const shown = this._products.filter(
      (p) => !within || (p.rental?.categoryId && within.has(p.rental.categoryId)),
    );
    const flat: Category[] = [];
    const flatten = (nodes: Category[]): void => {
      for (const n of nodes) {
        flat.push(n);
        flatten(n.children);
      }
    };
    flatten(this._categories);
    return html`<div part="base" dir=${dir}>
      ${
        flat.length
          ? html`<ul part="categories" aria-label=${this.#t('rcCategories')}>
              <li>
                <button
                  part="category"
                  aria-pressed=${String(!this._category)}
                  @click=${() => (this._category = undefined)}
                >
                  ${this.#t('rcAll')}
                </button>
              </li>
              ${flat.map(
                (c) =>
                  html`<li>
                    <button
                      part="category"
                      aria-pressed=${String(this._category === c.id)}
                      @click=${() => (this._category = c.id)}
                    >
                      ${c.name}
                    </button>
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        shown.length
          ? html`<ul part="products" aria-live="polite">
              ${shown.map((p) => this.#renderCard(p))}
            </ul>`
          : html`<p>${this.#t('rcNothingToRent')}</p>`
      }
    </div>`;
  }

  #renderCard(p: Product): TemplateResult {
    const terms = p.rental!;
    const image = productImage(p, this.resolvedApi);
    return html`<li part="card" aria-current=${this._chosen === p.id ? 'true' : 'false'}>
      ${image ? html`<img part="image" src=${image.src} alt=${image.alt} loading="lazy" />` : nothing}
      <h3 id="name-${p.id}">${p.name}</h3>
      <p class="muted">
        ${this.#t(PER[terms.pricingUnit], { price: this.#money(terms.basePrice.amount, terms.basePrice.currency) })}
      </p>
      <div>
        <button
          part="button button-primary"
          class="primary"
          aria-describedby="name-${p.id}"
          @click=${() => this.#choose(p)}
        >
          ${this.#t('rcChooseDates')}
        </button>
      </div>
    </li>`;
  }
}

export * from './rental-catalog.events.js';
