/**
 * Where uploaded product images are kept: an `AssetStore` holds bytes under a key. Keys are content-addressed
 * (`{storeId}/{sha-256}.{ext}`), so a key always names the same bytes: writing one twice is harmless, and a file may be
 * cached forever. Two stores: `local` (files under `DATA_DIR/assets`, the default) and `s3` (an S3-compatible bucket,
 * when `ASSETS_S3_BUCKET` is set).
 */
import { LocalAssetStore } from './local.js';
import type { S3AssetStoreOptions } from './s3.js';
import type { AssetStore } from './store.js';

export interface AssetStorageConfig {
  /** Directory of the local store. */
  dir: string;
  /** An S3-compatible bucket: used instead of the directory when given. */
  s3?: S3AssetStoreOptions | undefined;
}

/** The configured store: the S3 bucket when one is configured, else files under `dir`. */
export async function openAssetStore(config: AssetStorageConfig): Promise<AssetStore> {
  if (config.s3) {
    // Loaded only when configured: the AWS SDK is large, and a local store never needs it.
    const { S3AssetStore } = await import('./s3.js');
    return new S3AssetStore(config.s3);
  }
  return new LocalAssetStore(config.dir);
}

export { LocalAssetStore };
export { ASSET_KEY, checkKey, type AssetStore } from './store.js';
export type { S3AssetStoreOptions };
