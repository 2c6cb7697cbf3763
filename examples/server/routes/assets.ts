import type { Hono } from 'hono';
import {
  IMAGE_UPLOAD_TYPES,
  ImageUploadQuery,
  ListQuery,
  ProblemCode,
  ProductAsset,
  ProductAssetDeleted,
  ProductAssetLink,
  ProductAssetList,
  ProductAssetOrder,
  ProductAssetUpdate,
  type ImageUploadType,
} from '../../../src/schemas/index.js';
import { afterCommit } from '../db/index.js';
import type { AppEnv } from '../http/context.js';
import { actorOf } from '../http/actor.js';
import { isStaff } from '../http/auth.js';
import { ApiError, problemResponse } from '../http/problem.js';
import { describeBytes, type Router } from '../http/router.js';
import { matchesEtag } from '../http/static-asset.js';
import {
  assetFile,
  deleteAsset,
  getAsset,
  linkAsset,
  listAssets,
  orderAssets,
  updateAsset,
  uploadImage,
} from '../domain/assets.js';
import { ASSET_KEY } from '../storage/store.js';

export interface AssetRouteOptions {
  /** The largest image upload in bytes. */
  maxUploadBytes: number;
}

/**
 * `/v1/products/{id}/assets` and `/v1/assets/{id}`: a product's images, 3D models and AR scenes. Any key reads the
 * assets of a published (active) product; the secret key, owners and staff also those of inactive ones. Writes need
 * the secret key or an owner.
 */
export function assetRoutes(router: Router, options: AssetRouteOptions): void {
  const size = describeBytes(options.maxUploadBytes);
  router
    .add(
      {
        method: 'get',
        path: '/products/:id/assets',
        operationId: 'listProductAssets',
        summary: 'List a product’s assets',
        description:
          'The product’s images, 3D models and AR scenes in position order (the first image is its picture). Any key ' +
          'for an active product; the secret key, an owner or staff member also for an inactive one.',
        tag: 'Product assets',
        access: 'key',
        query: ListQuery,
        success: { status: 200, schema: ProductAssetList, description: 'A page of assets.' },
        errors: [404],
      },
      async ({ services, auth, params, query }) =>
        listAssets(services.db, auth.storeId, params.id!, query, await isStaff(services, auth)),
    )
    .add(
      {
        method: 'post',
        path: '/products/:id/assets',
        operationId: 'createProductAsset',
        summary: 'Upload an image or add an external asset',
        description:
          `Upload: the image itself as the body (\`Content-Type\` ${IMAGE_UPLOAD_TYPES.join(', ')}; at most ${size}), ` +
          'its alt text in the `alt` query parameter (required), `drmProtected=true` to flag it, `position` to place ' +
          'it (default last). The bytes must be a whole image of the declared type (400 `image_invalid` otherwise, ' +
          'e.g. a PNG sent as image/jpeg or a truncated file); SVG is refused (it can carry scripts). The width and ' +
          'height are read from the image; it is stored content-addressed and served at `url` (`/assets/…`, cached ' +
          'for a year). External: a JSON body with an https `url`, its `type` and `alt` (the URL is never fetched). ' +
          `A product has at most 20 assets (409 \`asset_limit_reached\`).`,
        tag: 'Product assets',
        access: 'owner',
        query: ImageUploadQuery,
        body: ProductAssetLink,
        rawBody: {
          contentType: IMAGE_UPLOAD_TYPES,
          description: `The image bytes (at most ${size}), or a JSON \`ProductAssetLink\` for an external asset.`,
          buffered: { maxBytes: options.maxUploadBytes },
        },
        success: { status: 201, schema: ProductAsset, description: 'The new asset.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params, query, body, raw }) => {
        const actor = actorOf(c, auth);
        const now = services.clock.now();
        if (raw) {
          return uploadImage(
            services.db,
            services.assets,
            actor,
            params.id!,
            {
              bytes: raw.bytes,
              contentType: raw.contentType as ImageUploadType,
              alt: query.alt,
              drmProtected: query.drmProtected === 'true',
              position: query.position,
            },
            now,
          );
        }
        const misplaced = Object.keys(query).filter(
          (name) => query[name as keyof typeof query] !== undefined,
        );
        if (misplaced.length > 0) {
          throw new ApiError(
            400,
            ProblemCode.validationFailed,
            'With a JSON body, give alt, drmProtected and position in the body, not the query.',
            {
              errors: misplaced.map((name) => ({
                path: `query.${name}`,
                message: 'Give it in the JSON body',
                code: 'unrecognized_keys',
              })),
            },
          );
        }
        return linkAsset(services.db, actor, params.id!, body!, now);
      },
    )
    .add(
      {
        method: 'post',
        path: '/products/:id/assets/order',
        operationId: 'orderProductAssets',
        summary: 'Order a product’s assets',
        description:
          'Every asset id of the product, each once, in the new order (the first image becomes its picture).',
        tag: 'Product assets',
        access: 'owner',
        body: ProductAssetOrder,
        success: { status: 200, schema: ProductAssetList, description: 'All the assets in their new order.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        orderAssets(services.db, actorOf(c, auth), params.id!, body.assetIds, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/assets/:id',
        operationId: 'getProductAsset',
        summary: 'Retrieve a product asset',
        description:
          'Any key for an asset of an active product; the secret key, an owner or staff member for any product.',
        tag: 'Product assets',
        access: 'key',
        success: { status: 200, schema: ProductAsset, description: 'The asset.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getAsset(services.db, auth.storeId, params.id!, await isStaff(services, auth)),
    )
    .add(
      {
        method: 'patch',
        path: '/assets/:id',
        operationId: 'updateProductAsset',
        summary: 'Change a product asset',
        description:
          'Alt text, the DRM flag, or the position (the product’s other assets move to make room; a position past ' +
          'the end puts it last).',
        tag: 'Product assets',
        access: 'owner',
        body: ProductAssetUpdate,
        success: { status: 200, schema: ProductAsset, description: 'The asset after the change.' },
        errors: [404],
      },
      async ({ c, services, auth, params, body }) =>
        updateAsset(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'delete',
        path: '/assets/:id',
        operationId: 'deleteProductAsset',
        summary: 'Delete a product asset',
        description:
          'The others close the gap. An uploaded file is removed from storage once no asset of the store uses it.',
        tag: 'Product assets',
        access: 'owner',
        success: { status: 200, schema: ProductAssetDeleted, description: 'The deleted asset.' },
        errors: [404],
      },
      async ({ c, services, auth, params }) => {
        const { deleted, unusedKey } = await deleteAsset(
          services.db,
          actorOf(c, auth),
          params.id!,
          services.clock.now(),
        );
        if (unusedKey) afterCommit(() => services.assets.collect(unusedKey));
        return deleted;
      },
    );
}

/** The policy of a served image: it loads nothing, runs nothing, and is shown on its own only as an image. */
export const ASSET_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * `GET /assets/{storeId}/{sha-256}.{ext}`: an uploaded image, public (an `<img>` sends no key). The name is the
 * SHA-256 of the bytes, so it cannot be guessed and never changes: cached for a year as immutable (`private` when an
 * asset using it is DRM-protected, so shared caches keep no copy), `ETag` the hash, `If-None-Match` answered 304.
 */
export function assetFileRoute(app: Hono<AppEnv>): void {
  app.get('/assets/:storeId/:file', async (c) => {
    const { storeId, file } = c.req.param();
    const key = `${storeId}/${file}`;
    const notFound = () =>
      problemResponse(c, new ApiError(404, ProblemCode.notFound, 'No such asset file.'), () => {});
    if (!ASSET_KEY.test(key)) return notFound();
    const { db, assets, log } = c.get('services');
    const found = await assetFile(db, storeId, key);
    if (!found) return notFound();
    const etag = `"${file.slice(0, 64)}"`;
    const headers = {
      'content-type': found.contentType,
      'cache-control': `${found.drmProtected ? 'private' : 'public'}, max-age=31536000, immutable`,
      etag,
      'x-content-type-options': 'nosniff',
      'content-security-policy': ASSET_CSP,
      // Shown by store pages on any origin (the widgets), including pages that require CORP.
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
    const bytes = await assets.store.get(key);
    if (!bytes) {
      log.error('asset file missing from storage', { key });
      return notFound();
    }
    return c.body(new Uint8Array(bytes), 200, { ...headers, 'content-length': String(bytes.byteLength) });
  });
}
