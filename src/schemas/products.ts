import * as z from 'zod/mini';
import { Id, ListQuery, Money, Page, Timestamp } from './common.js';
import { named } from './registry.js';

/** How a rental is priced: per started hour, day (24 h) or week (7 × 24 h). */
export const PricingUnit = z.enum(['hour', 'day', 'week']);
export type PricingUnit = z.infer<typeof PricingUnit>;

/** What a product asset is: an image, a 3D model or an AR scene. */
export const AssetType = z.enum(['image', '3d', 'ar']);
export type AssetType = z.infer<typeof AssetType>;

/**
 * An image, 3D model or AR scene of a product: an image uploaded to the store's asset storage (`source: 'upload'`,
 * served by the API at `url`, a path on the API origin such as `/assets/{storeId}/{sha-256}.png`) or an external https
 * URL the merchant registered (`source: 'external'`). `alt` is the text shown in its place; `position` orders a
 * product's assets from 0 (the first image is the product's picture).
 */
export const ProductAsset = named(
  'ProductAsset',
  'A media asset of a product: an uploaded image or an external https URL, with its alt text, in position order.',
  z.object({
    id: Id,
    productId: Id,
    type: AssetType,
    /** Where to load it: a path on the API origin for an upload (resolve it against the API base URL), else the https URL. */
    url: z.string(),
    /** The text alternative: what the asset shows, for people who cannot see it. */
    alt: z.string(),
    /** The asset is protected by the store's DRM (as the rental design has it); recorded and reported, not enforced. */
    drmProtected: z.boolean(),
    /** Order among the product's assets, from 0. */
    position: z.int(),
    /** `upload`: a file in the store's asset storage; `external`: a URL the merchant registered. */
    source: z.enum(['upload', 'external']),
    /** Media type: read from the bytes of an upload; as declared for an external asset, else `null`. */
    contentType: z.nullable(z.string()),
    /** Size of an uploaded file in bytes (`null` for external assets). */
    byteSize: z.nullable(z.int()),
    /** Pixel size of an uploaded image, read from its bytes (`null` for external assets). */
    width: z.nullable(z.int()),
    height: z.nullable(z.int()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type ProductAsset = z.infer<typeof ProductAsset>;

/** The rental terms of a rentable product: price per pricing unit, category, media, units in service. */
export const RentalTerms = named(
  'RentalTerms',
  'The rental terms of a product: base price per pricing unit, its category, media assets and units in service.',
  z.object({
    categoryId: z.nullable(Id),
    basePrice: Money,
    pricingUnit: PricingUnit,
    /** The product's assets, as in the product's own `assets` (kept here for clients of the rental terms). */
    assets: z.array(ProductAsset),
    /** Units that can be rented at all (status `available`; maintenance and retired units are not counted). */
    unitsInService: z.int(),
  }),
);
export type RentalTerms = z.infer<typeof RentalTerms>;

/** The rental terms a product is created or updated with (`rental` of `POST /products` and `PATCH /products/{id}`). */
export const RentalTermsInput = named(
  'RentalTermsInput',
  'Rent the product out: price of one pricing unit (in the store currency) and its category.',
  z.strictObject({
    basePrice: Money,
    pricingUnit: PricingUnit,
    categoryId: z.optional(z.nullable(Id)),
  }),
);
export type RentalTermsInput = z.infer<typeof RentalTermsInput>;

/** A product of the store's catalog. Drops release a product; rentals rent units of one. */
export const Product = named(
  'Product',
  'A catalog product.',
  z.object({
    id: Id,
    storeId: Id,
    sku: z.string(),
    name: z.string(),
    description: z.nullable(z.string()),
    /** Image URLs given with `POST`/`PATCH /products` (a plain list without alt text); prefer `assets`. */
    images: z.array(z.string()),
    /** Images, 3D models and AR scenes of the product in position order: the first image is its picture. */
    assets: z.array(ProductAsset),
    price: Money,
    isActive: z.boolean(),
    /** The rental terms when units of this product are rented out, else `null`. */
    rental: z.nullable(RentalTerms),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type Product = z.infer<typeof Product>;

export const ProductList = Page('ProductList', Product);

/** Query of `GET /products`. */
export const ProductListQuery = z.extend(ListQuery, {
  active: z.optional(z.enum(['true', 'false'])),
  /** `true`: only rentable products; `false`: only products that are not rented out. */
  rentable: z.optional(z.enum(['true', 'false'])),
  /** Only products of this category or any category below it. */
  categoryId: z.optional(z.uuid()),
});
export type ProductListQuery = z.infer<typeof ProductListQuery>;

const sku = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9._-]+$/));
const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const imageUrl = z.url({ protocol: /^https?$/ });

/** Body of `POST /products` (secret key). */
export const ProductCreate = named(
  'ProductCreate',
  'A new catalog product.',
  z.strictObject({
    sku,
    name,
    description: z.optional(z.nullable(z.string().check(z.maxLength(5000)))),
    images: z.optional(z.array(imageUrl).check(z.maxLength(20))),
    price: Money,
    isActive: z.optional(z.boolean()),
    /** Rent the product out with these terms (then add its units with `POST /products/{id}/units`). */
    rental: z.optional(z.nullable(RentalTermsInput)),
  }),
);
export type ProductCreate = z.infer<typeof ProductCreate>;

/** Body of `PATCH /products/{id}` (secret key): the fields to change. */
export const ProductUpdate = named(
  'ProductUpdate',
  'Changes to a catalog product.',
  z.strictObject({
    sku: z.optional(sku),
    name: z.optional(name),
    description: z.optional(z.nullable(z.string().check(z.maxLength(5000)))),
    images: z.optional(z.array(imageUrl).check(z.maxLength(20))),
    price: z.optional(Money),
    isActive: z.optional(z.boolean()),
    /** New rental terms, or `null` to stop renting the product out (orders already made keep their units). */
    rental: z.optional(z.nullable(RentalTermsInput)),
  }),
);
export type ProductUpdate = z.infer<typeof ProductUpdate>;
