/** The picture of a product in the widgets. Not public API. */
import type { Product } from '../../src/schemas/products.js';

/**
 * The product's picture: its first image asset with the merchant's alt text, else the first URL of its plain `images`
 * list (no alt text of its own: `alt` is empty, and the product's name next to it says what it shows). A relative URL
 * (an upload, `/assets/…`) is resolved against the API base URL.
 */
export function productImage(
  product: Product,
  apiBase: string | undefined,
): { src: string; alt: string } | undefined {
  const asset = product.assets.find((a) => a.type === 'image');
  const url = asset?.url ?? product.images[0];
  if (!url) return undefined;
  return { src: apiBase ? new URL(url, apiBase).href : url, alt: asset?.alt ?? '' };
}
