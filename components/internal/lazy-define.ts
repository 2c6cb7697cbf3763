/**
 * Defines elements that only some pages use when such a page has one: `load()` (a dynamic import of the element's
 * define module) runs as soon as a matching tag is in the document — at start or added later (a MutationObserver
 * watches until every lazy tag is loaded). Used by the script-tag bundle for the staff desk, so shopper pages never
 * download it. Elements created inside other shadow roots are not seen: import their define module instead.
 * Not public API.
 */
export function defineWhenUsed(
  loaders: Record<string, () => Promise<unknown>>,
  doc: Document = document,
): void {
  const pending = new Map(Object.entries(loaders));
  const check = (): void => {
    for (const [tag, load] of pending) {
      if (!doc.querySelector(tag)) continue;
      pending.delete(tag);
      load().catch((error: unknown) => console.error(`dropslot: could not load <${tag}>`, error));
    }
    if (pending.size === 0) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(doc.documentElement, { childList: true, subtree: true });
  check();
}
