/**
 * A minimal stand-in for `ky`, used ONLY by the script-tag bundle (`dist/cdn/dropslot.js`; the rollup config resolves
 * `ky` to this module there). The SDK's transport (`src/internal/transport.ts`) does its own retries, timeouts, error
 * mapping and idempotency keys, and uses ky only to join the URL, encode query and JSON body, and call `fetch` — with
 * `retry: 0`, `timeout: false` and `throwHttpErrors: false`. This module does exactly that and nothing else, in a
 * fraction of ky's size. See docs/decisions/0002-cdn-bundle-without-response-validation.md. Not public API.
 */

type SearchValue = string | number | boolean | undefined;

export interface ShimOptions {
  prefixUrl?: string | URL;
  fetch?: (input: Request) => Promise<Response>;
  method?: string;
  headers?: HeadersInit;
  searchParams?: Record<string, SearchValue> | URLSearchParams | string;
  json?: unknown;
  body?: BodyInit | null;
  signal?: AbortSignal | null;
  /** Accepted for compatibility; this shim never retries, never times out and never throws on an HTTP status. */
  retry?: number;
  timeout?: false | number;
  throwHttpErrors?: boolean;
}

export type ShimInstance = ((input: string, options?: ShimOptions) => Promise<Response>) & {
  create(defaults: ShimOptions): ShimInstance;
};

function queryOf(searchParams: ShimOptions['searchParams']): string {
  if (searchParams === undefined) return '';
  if (typeof searchParams === 'string') return searchParams.replace(/^\?/, '');
  if (searchParams instanceof URLSearchParams) return searchParams.toString();
  const params = new URLSearchParams();
  // Like ky: keys whose value is `undefined` are left out.
  for (const [key, value] of Object.entries(searchParams))
    if (value !== undefined) params.append(key, String(value));
  return params.toString();
}

function create(defaults: ShimOptions = {}): ShimInstance {
  const instance = (input: string, options: ShimOptions = {}): Promise<Response> => {
    const o = { ...defaults, ...options };
    let url = input;
    if (o.prefixUrl !== undefined) {
      const prefix = String(o.prefixUrl);
      url = (prefix.endsWith('/') ? prefix : `${prefix}/`) + input.replace(/^\/+/, '');
    }
    const query = queryOf(o.searchParams);
    if (query) url = `${url.replace(/\?.*$/, '')}?${query}`;
    const headers = new Headers(o.headers);
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const request = new Request(url, {
      method: (o.method ?? 'GET').toUpperCase(),
      headers,
      body: body ?? null,
      signal: o.signal ?? null,
    });
    return (o.fetch ?? ((r: Request) => globalThis.fetch(r)))(request);
  };
  return Object.assign(instance, { create: (more: ShimOptions) => create({ ...defaults, ...more }) });
}

const ky: ShimInstance = create();
export default ky;
