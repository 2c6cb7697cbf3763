/** The default asset store: one file per key under a directory (`DATA_DIR/assets/{storeId}/{sha-256}.{ext}`). */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkKey, type AssetStore } from './store.js';

export class LocalAssetStore implements AssetStore {
  readonly kind = 'local';
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
  }

  /** The file of `key` (keys are checked, so the path never leaves the directory). */
  pathOf(key: string): string {
    checkKey(key);
    return path.join(this.dir, ...key.split('/'));
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.isFile() && existing.size === bytes.byteLength) return;
    await mkdir(path.dirname(file), { recursive: true });
    // Written whole under a temporary name, then renamed: a reader never sees half a file.
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes, { mode: 0o644 });
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
