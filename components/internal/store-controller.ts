/**
 * Binds a nanostores atom to a Lit element: the element re-renders on every change while connected, and `onChange`
 * sees each value with the previous one (for announcements and events). Unlike `@nanostores/lit`'s controller, the
 * store can be swapped with `bind` — the elements' stores change with their `drop`, API and key. Not public API.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

export class StoreController<T> implements ReactiveController {
  #store?: ReadableAtom<T> | undefined;
  #off?: (() => void) | undefined;
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onChange?: (value: T, previous: T | undefined) => void,
  ) {
    host.addController(this);
  }

  /** The bound store's value, or `undefined` when none is bound. */
  get value(): T | undefined {
    return this.#store?.get();
  }

  /** Binds another store (or none); listening follows the host's connection. */
  bind(store: ReadableAtom<T> | undefined): void {
    if (store === this.#store) return;
    this.#off?.();
    this.#off = undefined;
    this.#store = store;
    if (this.#connected) this.#listen();
  }

  hostConnected(): void {
    this.#connected = true;
    this.#listen();
  }

  hostDisconnected(): void {
    this.#connected = false;
    this.#off?.();
    this.#off = undefined;
  }

  #listen(): void {
    this.#off = this.#store?.subscribe((value, previous) => {
      this.onChange?.(value, previous);
      this.host.requestUpdate();
    });
  }
}
