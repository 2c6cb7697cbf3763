/**
 * Page-wide configuration of the DropSlot elements, set once per page: by the script tag's data attributes
 * (`data-api`, `data-key`, `data-locale`, `data-customer-token`), by a `<dropslot-config>` element, or by
 * `configure()`. Any element may override a value with its own attribute. Not public API.
 */
import { atom } from 'nanostores';

export interface DropSlotConfig {
  /** API origin without `/v1`. */
  api: string;
  /** Publishable key of the store. */
  publishableKey: string;
  /** BCP 47 locale for messages, dates and numbers. */
  locale: string;
  /** The shopper's token, if the page knows who they are. */
  customerToken: string;
}

export const $config = atom<Partial<DropSlotConfig>>({});

/** Merges values into the page configuration (empty values are ignored). */
export function configure(values: Partial<DropSlotConfig>): void {
  const next = { ...$config.get() };
  for (const [key, value] of Object.entries(values) as [keyof DropSlotConfig, string | undefined][]) {
    if (value) next[key] = value;
  }
  $config.set(next);
}

/** Reads the data attributes of the script tag that loaded the bundle (or any tag marked `data-dropslot`). */
export function configureFromScripts(doc: Document = document): void {
  const scripts = doc.querySelectorAll<HTMLScriptElement>('script[data-key], script[data-dropslot]');
  for (const script of scripts) {
    configure({
      api: script.dataset.api,
      publishableKey: script.dataset.key,
      locale: script.dataset.locale,
      customerToken: script.dataset.customerToken,
    });
  }
}
