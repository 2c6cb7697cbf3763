/**
 * An asset store in an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, …) through `@aws-sdk/client-s3`. Objects
 * are written with their content type and an immutable cache lifetime (keys are content-addressed).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { checkKey, type AssetStore } from './store.js';

export interface S3AssetStoreOptions {
  bucket: string;
  /** An S3-compatible endpoint (`https://s3.eu-central-1.example`, `http://127.0.0.1:9000`); unset: AWS S3. */
  endpoint?: string | undefined;
  /** @default 'us-east-1' */
  region?: string | undefined;
  /** Credentials; unset: the AWS SDK's default chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. @default true with an endpoint */
  forcePathStyle?: boolean | undefined;
  /** Prepended to every key (`dropslot/`), to share a bucket. @default '' */
  prefix?: string | undefined;
}

export class S3AssetStore implements AssetStore {
  readonly kind = 's3';
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3AssetStoreOptions) {
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    this.#client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint && { endpoint: options.endpoint }),
      ...(options.credentials && { credentials: options.credentials }),
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    });
  }

  #key(key: string): string {
    checkKey(key);
    return `${this.#prefix}${key}`;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: this.#key(key),
        Body: bytes,
        ContentType: contentType,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }),
      );
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (
        error instanceof NoSuchKey ||
        (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)
      ) {
        return undefined;
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.#key(key) }));
  }

  /** Closes the client's connections. */
  close(): void {
    this.#client.destroy();
  }
}
