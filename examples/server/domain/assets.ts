/**
 * Product assets: images uploaded to the asset store (checked, measured, content-addressed) and external https URLs,
 * each with alt text, in a position order the merchant sets. Every change is audited and moves the product's
 * `updatedAt`. A file leaves the asset store once no asset of its store uses it any more (after the deletion commits).
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import {
  MAX_ASSETS_PER_PRODUCT,
  ProblemCode,
  type ImageUploadType,
  type ListQuery,
  type ProductAsset,
  type ProductAssetLink,
  type ProductAssetUpdate,
} from '../../../src/schemas/index.js';
import { rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import type { Logger } from '../services.js';
import { inspectImage, ImageRefusal } from '../storage/image.js';
import type { AssetStore } from '../storage/store.js';
import { audit, type Actor } from './audit.js';
import { page, pageWindow } from './pagination.js';

type AssetRow = typeof schema.productAssets.$inferSelect;
const t = schema.productAssets;

/** The default largest image upload: 5 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The public path of an uploaded file (served by `GET /assets/{storeId}/{sha-256}.{ext}`). */
export const assetPath = (key: string) => `/assets/${key}`;

export function serializeAsset(row: AssetRow): ProductAsset {
  return {
    id: row.id,
    productId: row.productId,
    type: row.assetType as ProductAsset['type'],
    url: row.url,
    alt: row.alt,
    drmProtected: row.drmProtected,
    position: row.position,
    source: row.storageKey ? 'upload' : 'external',
    contentType: row.contentType,
    byteSize: row.byteSize,
    width: row.width,
    height: row.height,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The assets of each of `productIds`, in position order (one query for a whole page of products). */
export async function assetsOf(db: Executor, productIds: string[]): Promise<Map<string, ProductAsset[]>> {
  const found = new Map<string, ProductAsset[]>(productIds.map((id) => [id, []]));
  if (productIds.length === 0) return found;
  const assetRows = await db
    .select()
    .from(t)
    .where(inArray(t.productId, productIds))
    .orderBy(asc(t.position), asc(t.id));
  for (const row of assetRows) found.get(row.productId)?.push(serializeAsset(row));
  return found;
}

/**
 * The uploaded files of the app and their clean-up: the configured store, the largest upload, and the removals
 * still running (a file goes once the deletion of its last asset has committed).
 */
export class AssetFiles {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    readonly store: AssetStore,
    readonly maxUploadBytes: number,
    private readonly db: Database,
    private readonly log: Logger,
  ) {}

  /** Removes the file of `key` if no asset uses it any more; runs in the background, errors are logged. */
  collect(key: string): void {
    const task = transaction(this.db, async (tx) => {
      await lockKey(tx, key);
      const [used] = await rows<{ n: number }>(
        tx,
        sql`select count(*)::int as n from product_assets where storage_key = ${key}`,
      );
      // Removed while the key is locked: an upload of the same bytes waits, then writes the file again.
      if (used!.n === 0) await this.store.delete(key);
    })
      .catch((error: unknown) => this.log.error('asset file clean-up failed', { key, error: String(error) }))
      .finally(() => this.#pending.delete(task));
    this.#pending.add(task);
  }

  /** Resolves once every clean-up started so far has finished. */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  async close(): Promise<void> {
    await this.idle();
    this.store.close?.();
  }
}

/** Serialises uploads and clean-ups of one file (held until the transaction ends). */
async function lockKey(tx: Executor, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`asset:${key}`}, 7272))`);
}

/**
 * The product, 404 when it is not in the store or (for callers who see only the published catalog) not active.
 * `forUpdate` locks it: a product's asset changes run one at a time, so positions and the limit hold.
 */
async function productOf(
  db: Executor,
  storeId: string,
  productId: string,
  options: { includeInactive: boolean; forUpdate?: boolean },
) {
  const query = db
    .select({ id: schema.products.id, isActive: schema.products.isActive })
    .from(schema.products)
    .where(and(eq(schema.products.storeId, storeId), eq(schema.products.id, productId)));
  const [product] = options.forUpdate ? await query.for('update') : await query;
  if (!product || (!product.isActive && !options.includeInactive)) throw notFound('product');
  return product;
}

/** The product's asset ids in position order. */
async function orderOf(tx: Executor, productId: string): Promise<string[]> {
  const found = await tx
    .select({ id: t.id })
    .from(t)
    .where(eq(t.productId, productId))
    .orderBy(asc(t.position), asc(t.id));
  return found.map((row) => row.id);
}

/** Gives the assets positions 0, 1, 2… in the order of `ids`; those whose position changes are updated now. */
async function renumber(tx: Executor, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const values = sql.join(
    ids.map((id, position) => sql`(${id}::uuid, ${position}::int)`),
    sql`, `,
  );
  await tx.execute(sql`
    update product_assets as a set position = v.position, updated_at = ${now}
    from (values ${values}) as v(id, position)
    where a.id = v.id and a.position <> v.position`);
}

/** `ids` with `id` moved to `position` (clamped to the end). */
function moved(ids: string[], id: string, position: number): string[] {
  const rest = ids.filter((other) => other !== id);
  rest.splice(Math.min(position, rest.length), 0, id);
  return rest;
}

async function touchProduct(tx: Executor, productId: string, now: Date): Promise<void> {
  await tx.update(schema.products).set({ updatedAt: now }).where(eq(schema.products.id, productId));
}

async function assetRow(tx: Executor, storeId: string, id: string): Promise<AssetRow> {
  const [row] = await tx
    .select()
    .from(t)
    .where(and(eq(t.storeId, storeId), eq(t.id, id)));
  if (!row) throw notFound('asset');
  return row;
}

/** The product's asset ids in order; 409 when it holds as many as it may. */
async function roomFor(tx: Executor, productId: string): Promise<string[]> {
  const ids = await orderOf(tx, productId);
  if (ids.length >= MAX_ASSETS_PER_PRODUCT) {
    throw new ApiError(
      409,
      ProblemCode.assetLimitReached,
      `A product has at most ${MAX_ASSETS_PER_PRODUCT} assets; delete one first.`,
    );
  }
  return ids;
}

/** Inserts a new asset at `position` (default last) of a locked product, within the limit. */
async function insertAsset(
  tx: Executor,
  actor: Actor,
  productId: string,
  values: Omit<typeof t.$inferInsert, 'storeId' | 'productId' | 'position' | 'createdAt' | 'updatedAt'>,
  position: number | undefined,
  now: Date,
): Promise<ProductAsset> {
  const ids = await roomFor(tx, productId);
  const [row] = await tx
    .insert(t)
    .values({
      ...values,
      storeId: actor.storeId,
      productId,
      position: ids.length,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await renumber(tx, moved([...ids, row!.id], row!.id, position ?? ids.length), now);
  const created = serializeAsset(await assetRow(tx, actor.storeId, row!.id));
  await touchProduct(tx, productId, now);
  await audit(tx, actor, 'product_asset.create', 'product_asset', created.id, null, created, now);
  return created;
}

export interface ImageUpload {
  bytes: Uint8Array;
  contentType: ImageUploadType;
  alt: string | undefined;
  drmProtected: boolean;
  position: number | undefined;
}

/** Stores an uploaded image (checked, measured, content-addressed) and adds it to the product. */
export async function uploadImage(
  db: Database,
  files: AssetFiles,
  actor: Actor,
  productId: string,
  upload: ImageUpload,
  now: Date,
): Promise<ProductAsset> {
  if (upload.alt === undefined) {
    throw invalidField('query.alt', 'Describe the image in `alt` (its text alternative): it is required.');
  }
  if (upload.bytes.byteLength === 0) {
    throw new ApiError(400, ProblemCode.validationFailed, 'The body is empty: send the image bytes.');
  }
  let facts;
  try {
    facts = inspectImage(upload.bytes, upload.contentType);
  } catch (error) {
    if (error instanceof ImageRefusal) throw new ApiError(400, ProblemCode.imageInvalid, error.message);
    throw error;
  }
  await productOf(db, actor.storeId, productId, { includeInactive: true });
  const sha = createHash('sha256').update(upload.bytes).digest('hex');
  const key = `${actor.storeId}/${sha}.${facts.ext}`;
  return transaction(db, async (tx) => {
    await productOf(tx, actor.storeId, productId, { includeInactive: true, forUpdate: true });
    await roomFor(tx, productId);
    await lockKey(tx, key);
    await files.store.put(key, upload.bytes, facts.type);
    return insertAsset(
      tx,
      actor,
      productId,
      {
        assetType: 'image',
        url: assetPath(key),
        alt: upload.alt!,
        drmProtected: upload.drmProtected,
        contentType: facts.type,
        byteSize: upload.bytes.byteLength,
        width: facts.width,
        height: facts.height,
        storageKey: key,
      },
      upload.position,
      now,
    );
  });
}

/** Adds an external asset by its https URL (never fetched). */
export async function linkAsset(
  db: Database,
  actor: Actor,
  productId: string,
  input: ProductAssetLink,
  now: Date,
): Promise<ProductAsset> {
  return transaction(db, async (tx) => {
    await productOf(tx, actor.storeId, productId, { includeInactive: true, forUpdate: true });
    return insertAsset(
      tx,
      actor,
      productId,
      {
        assetType: input.type,
        url: input.url,
        alt: input.alt,
        drmProtected: input.drmProtected ?? false,
        contentType: input.contentType ?? null,
      },
      input.position,
      now,
    );
  });
}

/** A page of the product's assets in position order. */
export async function listAssets(
  db: Database,
  storeId: string,
  productId: string,
  query: ListQuery,
  includeInactive: boolean,
) {
  await productOf(db, storeId, productId, { includeInactive });
  if (query.startingAfter) {
    const [cursor] = await db
      .select({ productId: t.productId })
      .from(t)
      .where(and(eq(t.storeId, storeId), eq(t.id, query.startingAfter)));
    if (cursor?.productId !== productId) {
      throw new ApiError(400, ProblemCode.validationFailed, 'startingAfter names no asset of this product.');
    }
  }
  const { where, orderBy, take, limit } = await pageWindow(db, {
    table: t,
    sort: t.position,
    direction: 'asc',
    storeId,
    startingAfter: query.startingAfter,
    limit: query.limit,
    what: 'asset',
  });
  const found = await db
    .select()
    .from(t)
    .where(and(eq(t.storeId, storeId), eq(t.productId, productId), where))
    .orderBy(...orderBy)
    .limit(take);
  return page(found.map(serializeAsset), limit);
}

/** One asset; 404 for another store's, and for an inactive product's unless `includeInactive`. */
export async function getAsset(db: Database, storeId: string, id: string, includeInactive: boolean) {
  const row = await assetRow(db, storeId, id);
  await productOf(db, storeId, row.productId, { includeInactive }).catch(() => {
    throw notFound('asset');
  });
  return serializeAsset(row);
}

/** Changes alt text, DRM flag or position (the product's other assets move to make room). */
export async function updateAsset(
  db: Database,
  actor: Actor,
  id: string,
  input: ProductAssetUpdate,
  now: Date,
): Promise<ProductAsset> {
  const found = await assetRow(db, actor.storeId, id);
  return transaction(db, async (tx) => {
    await productOf(tx, actor.storeId, found.productId, { includeInactive: true, forUpdate: true });
    const before = serializeAsset(await assetRow(tx, actor.storeId, id));
    await tx
      .update(t)
      .set({
        ...(input.alt !== undefined && { alt: input.alt }),
        ...(input.drmProtected !== undefined && { drmProtected: input.drmProtected }),
        updatedAt: now,
      })
      .where(eq(t.id, id));
    if (input.position !== undefined) {
      await renumber(tx, moved(await orderOf(tx, found.productId), id, input.position), now);
    }
    const after = serializeAsset(await assetRow(tx, actor.storeId, id));
    await touchProduct(tx, found.productId, now);
    await audit(tx, actor, 'product_asset.update', 'product_asset', id, before, after, now);
    return after;
  });
}

/** Puts the product's assets in the order of `assetIds`, which must name each of them once. */
export async function orderAssets(
  db: Database,
  actor: Actor,
  productId: string,
  assetIds: string[],
  now: Date,
) {
  return transaction(db, async (tx) => {
    await productOf(tx, actor.storeId, productId, { includeInactive: true, forUpdate: true });
    const current = await orderOf(tx, productId);
    const given = new Set(assetIds);
    if (given.size !== assetIds.length) {
      throw invalidField('body.assetIds', 'Name each asset once.');
    }
    if (given.size !== current.length || current.some((id) => !given.has(id))) {
      throw invalidField(
        'body.assetIds',
        `Name every asset of the product once (it has ${current.length}), and no other.`,
      );
    }
    const before = current;
    await renumber(tx, assetIds, now);
    await touchProduct(tx, productId, now);
    await audit(
      tx,
      actor,
      'product_asset.order',
      'product',
      productId,
      { assetIds: before },
      { assetIds },
      now,
    );
    const ordered = await tx
      .select()
      .from(t)
      .where(eq(t.productId, productId))
      .orderBy(asc(t.position), asc(t.id));
    return { data: ordered.map(serializeAsset), hasMore: false };
  });
}

/** Deletes an asset; its file goes once no other asset of the store uses it (after the deletion commits). */
export async function deleteAsset(
  db: Database,
  actor: Actor,
  id: string,
  now: Date,
): Promise<{ deleted: { id: string; deleted: true }; unusedKey: string | null }> {
  const found = await assetRow(db, actor.storeId, id);
  return transaction(db, async (tx) => {
    await productOf(tx, actor.storeId, found.productId, { includeInactive: true, forUpdate: true });
    const row = await assetRow(tx, actor.storeId, id);
    await tx.delete(t).where(eq(t.id, id));
    await renumber(tx, await orderOf(tx, row.productId), now);
    await touchProduct(tx, row.productId, now);
    await audit(tx, actor, 'product_asset.delete', 'product_asset', id, serializeAsset(row), null, now);
    return { deleted: { id, deleted: true as const }, unusedKey: row.storageKey };
  });
}

/** What the file route needs of an uploaded file: its type and whether any asset using it is DRM-protected. */
export async function assetFile(
  db: Database,
  storeId: string,
  key: string,
): Promise<{ contentType: string; drmProtected: boolean } | undefined> {
  const [row] = await rows<{ content_type: string; drm: boolean }>(
    db,
    sql`select min(content_type) as content_type, bool_or(drm_protected) as drm from product_assets
        where store_id = ${storeId} and storage_key = ${key} having count(*) > 0`,
  );
  return row ? { contentType: row.content_type, drmProtected: row.drm } : undefined;
}
