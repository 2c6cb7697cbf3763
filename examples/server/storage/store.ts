/** The asset store interface and its keys (see `index.ts`). */
export interface AssetStore {
  /** `local` or `s3`, for logs and `/readyz`-style reports. */
  readonly kind: string;
  /** Keeps `bytes` under `key` (a key always names the same bytes, so an existing key may be left as it is). */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes under `key`, or `undefined` when there are none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes `key` (nothing happens when it is absent). */
  delete(key: string): Promise<void>;
  /** Releases connections, if the store holds any. */
  close?(): void;
}

/** A content-addressed key: the store, the SHA-256 of the bytes, the extension of their type. */
export const ASSET_KEY =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[0-9a-f]{64}\.(png|jpg|webp|gif)$/;

/** Refuses anything but a content-addressed key (a key never comes from a request unchecked). */
export function checkKey(key: string): void {
  if (!ASSET_KEY.test(key)) throw new Error(`Not an asset key: ${JSON.stringify(key)}`);
}
