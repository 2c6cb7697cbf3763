/** Helpers shared by the resource modules. Not public API. */
import type * as z from 'zod/mini';
import { listPromise, type ListPromise, type RequestOptions } from '../core.js';
import type { PageOf } from '../schemas/common.js';
import type { QueryValue, Transport } from '../internal/transport.js';

/** `/v1` path segment for an id, percent-encoded so an id can never change the path. */
export function seg(id: string): string {
  return encodeURIComponent(id);
}

/** A list query as the transport takes it. */
export type Query = Readonly<Record<string, QueryValue>>;

/** A `list` call: a lazily fetched first page that also iterates every item across pages. */
export function list<S extends z.ZodMiniType<PageOf<{ id: string }>>>(
  t: Transport,
  path: string,
  schema: S,
  query: Query | undefined,
  options: RequestOptions | undefined,
): ListPromise<z.output<S>['data'][number]> {
  return listPromise<z.output<S>['data'][number]>(
    (startingAfter) =>
      t.request({ method: 'GET', path, query: { ...query, startingAfter }, schema }, options),
    typeof query?.['startingAfter'] === 'string' ? query['startingAfter'] : undefined,
  );
}
