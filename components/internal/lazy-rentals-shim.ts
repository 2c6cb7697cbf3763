/**
 * The browser bundles' `client.rentals`: the same methods, but the rentals resource (and the rental schemas it
 * validates with) is a chunk loaded on the first call, so drop pages never download rental API code
 * (docs/decisions/0002). Every method answers a promise, as the real ones do; `list()` is awaitable but not
 * iterable with `for await` here (no element iterates it). Not public API.
 */
import type { Transport } from '../../src/internal/transport.js';
import type { RentalsResource } from '../../src/resources/rentals.js';
type Loaded = (t: Transport) => RentalsResource;

export function rentalsResource(transport: Transport): RentalsResource {
  let real: Promise<RentalsResource> | undefined;
  const load = (): Promise<RentalsResource> =>
    // Only `src/client.ts`'s import of the resource is redirected to this shim; this one loads the real module.
    (real ??= (import('../../src/resources/rentals.js') as Promise<{ rentalsResource: Loaded }>).then((m) =>
      m.rentalsResource(transport),
    ));
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (key === 'then' ? undefined : at([...path, String(key)])),
      apply: (_target, _this, args: unknown[]) =>
        load().then((resource) => {
          let owner: Record<string, unknown> = resource as unknown as Record<string, unknown>;
          for (const key of path.slice(0, -1)) owner = owner[key] as Record<string, unknown>;
          return (owner[path.at(-1)!] as (...a: unknown[]) => unknown).apply(owner, args);
        }),
    });
  return at([]) as RentalsResource;
}
