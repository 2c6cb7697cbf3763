import * as z from 'zod/mini';
import { Id, Page } from './common.js';
import { named } from './registry.js';
import { AssetType, ProductAsset } from './products.js';

/** The most assets one product may have. */
export const MAX_ASSETS_PER_PRODUCT = 20;

/** The image types an upload may be sent as (the body's `Content-Type`); SVG is refused, since it can carry scripts. */
export const IMAGE_UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageUploadType = (typeof IMAGE_UPLOAD_TYPES)[number];

/** One page of a product's assets, in position order. */
export const ProductAssetList = Page('ProductAssetList', ProductAsset);
export type ProductAssetList = z.infer<typeof ProductAssetList>;

/** Alt text: 1–1000 characters after trimming, without control characters (line breaks included). */
const alt = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(1000),
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  z.regex(/^[^\u0000-\u001f\u007f]*$/, 'Must not contain control characters'),
);

const position = z.int().check(z.minimum(0), z.maximum(MAX_ASSETS_PER_PRODUCT - 1));

/** An https URL without credentials, up to 2048 characters. */
const httpsUrl = z.url({ protocol: /^https$/ }).check(
  z.maxLength(2048),
  z.refine((url) => !/^https:\/\/[^/?#]*@/i.test(url), 'Must not contain a user name or password'),
);

/**
 * Query of an image upload (`POST /products/{id}/assets` with the image bytes as the body): the alt text (required),
 * whether the image is DRM-protected, and where it goes among the product's assets (default: last).
 */
export const ImageUploadQuery = z.object({
  alt: z.optional(alt),
  drmProtected: z.optional(z.enum(['true', 'false'])),
  position: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_ASSETS_PER_PRODUCT - 1))),
});
export type ImageUploadQuery = z.input<typeof ImageUploadQuery>;

/** Body of `POST /products/{id}/assets` as JSON: an external asset by its https URL. */
export const ProductAssetLink = named(
  'ProductAssetLink',
  'An external asset of a product: its https URL, type and alt text (the URL is not fetched).',
  z.strictObject({
    url: httpsUrl,
    type: AssetType,
    alt,
    drmProtected: z.optional(z.boolean()),
    /** Its media type, if known (`model/gltf-binary`, `image/avif`, …). */
    contentType: z.optional(
      z.string().check(z.maxLength(100), z.regex(/^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/, 'Must be a media type')),
    ),
    /** Where it goes among the product's assets (0 is first). @default last */
    position: z.optional(position),
  }),
);
export type ProductAssetLink = z.infer<typeof ProductAssetLink>;

/** Body of `PATCH /assets/{id}`: the fields to change. */
export const ProductAssetUpdate = named(
  'ProductAssetUpdate',
  'Changes to a product asset: its alt text, DRM flag or position (the others move to make room).',
  z.strictObject({
    alt: z.optional(alt),
    drmProtected: z.optional(z.boolean()),
    position: z.optional(position),
  }),
);
export type ProductAssetUpdate = z.infer<typeof ProductAssetUpdate>;

/** Body of `POST /products/{id}/assets/order`: every asset id of the product, in the new order. */
export const ProductAssetOrder = named(
  'ProductAssetOrder',
  'A new order of a product’s assets: every one of its asset ids, each once, first first.',
  z.strictObject({
    assetIds: z.array(Id).check(z.minLength(1), z.maxLength(MAX_ASSETS_PER_PRODUCT)),
  }),
);
export type ProductAssetOrder = z.infer<typeof ProductAssetOrder>;

/** Answer of `DELETE /assets/{id}`. */
export const ProductAssetDeleted = named(
  'ProductAssetDeleted',
  'A deleted product asset.',
  z.object({ id: Id, deleted: z.literal(true) }),
);
export type ProductAssetDeleted = z.infer<typeof ProductAssetDeleted>;
