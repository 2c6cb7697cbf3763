import type { PageOf } from './schemas/common.js';

/**
 * A `fetch`-compatible function, as accepted by the client's `fetch` option.
 *
 * @example
 * ```ts
 * import { createClient, type FetchLike } from 'dropslot';
 *
 * const logged: FetchLike = (input, init) => {
 *   console.log(input instanceof Request ? input.url : String(input));
 *   return fetch(input, init);
 * };
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', fetch: logged });
 * ```
 */
export type FetchLike = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

/**
 * Per-call options, accepted as the last argument of every resource method.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const controller = new AbortController();
 * const drop = await client.drops.retrieve(dropId, { signal: controller.signal, timeout: 5_000 });
 * ```
 */
export interface RequestOptions {
  /** Aborts the call, including any pending retry; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * The `Idempotency-Key` of a POST. By default a fresh UUID is generated once per call and reused by its retries;
   * pass your own to make a call safe to repeat across page reloads.
   */
  idempotencyKey?: string | undefined;
  /**
   * Milliseconds to wait for each attempt's response (headers and body) before it fails with `TimeoutError`.
   * @default the client's `timeout` (30 000)
   */
  timeout?: number | undefined;
  /**
   * How many times to retry this call after a retryable failure.
   * @default the client's `maxRetries` (2)
   */
  maxRetries?: number | undefined;
}

/**
 * What every `list` method returns: await it for the first page (`{ data, hasMore }`), or iterate it with
 * `for await` to get every item across all pages (the next page is requested with `startingAfter` = the last id).
 * Nothing is requested until it is awaited or iterated.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const firstPage = await client.drops.list({ limit: 10 });
 * for await (const drop of client.drops.list({ limit: 50 })) console.log(drop.name);
 * ```
 */
export interface ListPromise<T> extends PromiseLike<PageOf<T>>, AsyncIterable<T> {
  /** Fetches the first page (once; later calls share it). */
  then<R1 = PageOf<T>, R2 = never>(
    onfulfilled?: ((page: PageOf<T>) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2>;
  /** Iterates every item of every page, requesting the next page only when the current one is used up. */
  [Symbol.asyncIterator](): AsyncIterator<T>;
}

/** Builds a {@link ListPromise} from a page fetcher. Internal. */
export function listPromise<T extends { id: string }>(
  fetchPage: (startingAfter: string | undefined) => Promise<PageOf<T>>,
  startingAfter: string | undefined,
): ListPromise<T> {
  let first: Promise<PageOf<T>> | undefined;
  const firstPage = (): Promise<PageOf<T>> => (first ??= fetchPage(startingAfter));
  return {
    then(onfulfilled, onrejected) {
      return firstPage().then(onfulfilled, onrejected);
    },
    async *[Symbol.asyncIterator]() {
      let page = await firstPage();
      for (;;) {
        yield* page.data;
        const last = page.data.at(-1);
        if (!page.hasMore || last === undefined) return;
        page = await fetchPage(last.id);
      }
    },
  };
}
