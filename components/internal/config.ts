/**
 * Page-wide configuration of the DropSlot elements, set once per page: by the script tag's data attributes
 * (`data-api`, `data-key`, `data-locale`, `data-customer-token`, `data-session`), by a `<dropslot-config>` element, or by
 * `configure()`. Any element may override a value with its own attribute. Not public API.
 */

export interface DropSlotConfig {
  /** API origin without `/v1`. */
  api: string;
  /** Publishable key of the store. */
  publishableKey: string;
  /** BCP 47 locale for messages, dates and numbers. */
  locale: string;
  /** The shopper's token, if the page knows who they are. */
  customerToken: string;
  /**
   * Where the built-in sign-in keeps the shopper's token: `local` (this store's pages in every tab, until it expires or
   * they sign out; the default), `tab` (this tab only) or `none` (this page only). See docs/security.md.
   */
  session: string;
}

/** A readable and writable value with change listeners: the subset of a nanostores atom the elements use. */
export interface ConfigStore {
  /** The current configuration. */
  get(): Partial<DropSlotConfig>;
  /** Replaces the configuration and notifies the listeners (only when it changed). */
  set(value: Partial<DropSlotConfig>): void;
  /** Calls `listener` on every later change; returns the function that stops it. */
  listen(listener: (value: Partial<DropSlotConfig>) => void): () => void;
  /** Like `listen`, but also calls `listener` at once with the current value. */
  subscribe(listener: (value: Partial<DropSlotConfig>) => void): () => void;
}

/**
 * The page configuration. A tiny store with the nanostores atom interface the elements use (`get`, `set`, `listen`,
 * `subscribe`) rather than a nanostores atom: the atom's runtime (~0.4 KB gz) does not fit `<drop-countdown>`'s 10 KB
 * budget, which imports this module without the SDK.
 */
export const $config: ConfigStore = (() => {
  let value: Partial<DropSlotConfig> = {};
  const listeners = new Set<(value: Partial<DropSlotConfig>) => void>();
  return {
    get: () => value,
    set(next) {
      if (next === value) return;
      value = next;
      for (const listener of [...listeners]) listener(value);
    },
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    subscribe(listener) {
      listener(value);
      return this.listen(listener);
    },
  };
})();

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
      session: script.dataset.session,
    });
  }
}
