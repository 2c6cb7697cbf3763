/**
 * The browser bundles' stand-in for SDK resources that only lazily loaded elements use (rentals, payments, invoices,
 * notifications): the same methods, but the real resource (and the schemas it validates with) is a chunk loaded on
 * the first call, so drop pages never download that code (docs/decisions/0002). The build generates, for each such
 * resource module, a module that wraps its factories with {@link lazyResource}. Every method answers a promise, as the
 * real ones do; `list()` is awaitable but not iterable with `for await` here (no element iterates one). Not public API.
 */
export function lazyResource<T>(load: () => Promise<T>): T {
  let real: Promise<T> | undefined;
  const at = (path: string[]): unknown =>
    new Proxy(() => undefined, {
      get: (_target, key) => (key === 'then' ? undefined : at([...path, String(key)])),
      apply: (_target, _this, args: unknown[]) =>
        (real ??= load()).then((resource) => {
          let owner = resource as Record<string, unknown>;
          for (const key of path.slice(0, -1)) owner = owner[key] as Record<string, unknown>;
          return (owner[path.at(-1)!] as (...a: unknown[]) => unknown).apply(owner, args);
        }),
    });
  return at([]) as T;
}
