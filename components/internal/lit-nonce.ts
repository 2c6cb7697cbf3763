/**
 * Strict CSP with nonces: in browsers without constructable stylesheets Lit falls back to `<style>` elements in each
 * shadow root and gives them `window.litNonce` as their nonce. When the page has not set `litNonce`, the script-tag
 * bundle takes the nonce of its own script tag (`<script type="module" src="…/dropslot.js" nonce="…" data-key="…">`),
 * so a policy like `style-src 'nonce-…'` needs nothing else. Imported first by `components/cdn.ts`, before any element
 * is defined (elements adopt their styles as they upgrade). Not public API.
 */
const page = globalThis as { litNonce?: string };
if (page.litNonce === undefined && typeof document !== 'undefined') {
  // Browsers hide the nonce attribute's value after parsing; the `nonce` property keeps it.
  const script = document.querySelector<HTMLScriptElement>(
    'script[data-key][nonce], script[data-dropslot][nonce]',
  );
  if (script?.nonce) page.litNonce = script.nonce;
}

export {};
