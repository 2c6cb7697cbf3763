/** Registers a custom element once: a second registration (the script loaded twice) warns and returns. */
export function define(tag: string, element: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (existing) {
    if (existing !== element)
      console.warn(`dropslot: <${tag}> is already defined; keeping the first definition.`);
    return;
  }
  customElements.define(tag, element);
}
