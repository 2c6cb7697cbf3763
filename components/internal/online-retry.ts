/**
 * One pending "try again once the browser is back online" for an element: `schedule` says the device is offline and
 * runs the step again on the next `online` event (once; a later `schedule` replaces the earlier one). Dropped when the
 * element leaves the page. Not public API.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class OnlineRetry implements ReactiveController {
  #listener?: (() => void) | undefined;

  constructor(
    host: ReactiveControllerHost,
    /** Sets the element's offline state: `true` when a retry waits, `false` when the browser is back online. */
    private readonly setOffline: (offline: boolean) => void,
  ) {
    host.addController(this);
  }

  /** Says the device is offline and runs `again` once the browser is back online (once). */
  schedule(again: () => void): void {
    this.setOffline(true);
    if (this.#listener) removeEventListener('online', this.#listener);
    this.#listener = () => {
      this.#listener = undefined;
      this.setOffline(false);
      again();
    };
    addEventListener('online', this.#listener, { once: true });
  }

  hostDisconnected(): void {
    if (this.#listener) removeEventListener('online', this.#listener);
  }
}
