/**
 * The `fetch` of elements that talk to the API without the SDK client (the countdown stays small that way).
 * `setFetchForTesting()` in `client.ts` routes it, together with the shared client's fetch, to an in-test fake.
 * Not public API.
 */
let override: typeof fetch | undefined;
let generation = 0;

/** Replaces the fetch of plain requests (`undefined` restores `globalThis.fetch`); caches keyed by generation reset. */
export function setPageFetch(fetchImpl: typeof fetch | undefined): void {
  override = fetchImpl;
  generation++;
}

/** Bumped by every {@link setPageFetch}, so per-page caches (server clocks) start over with a new fetch. */
export function fetchGeneration(): number {
  return generation;
}

/** `fetch`, or the test override. Looked up at each call. */
export function pageFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  return (override ?? globalThis.fetch)(input, init);
}
