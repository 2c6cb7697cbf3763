/** Opens, migrates and (on first boot) seeds the configured database; shared by `npm start` and `npm run seed`. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/index.js';
import { seedDemo } from './seed.js';
import type { Clock } from './clock.js';

export interface DemoKeys {
  storeId: string;
  publishableKey: string;
  secretKey: string;
}

export async function openConfiguredDatabase(config: Config): Promise<DatabaseHandle> {
  if (!config.databaseUrl) await mkdir(config.dataDir, { recursive: true });
  const handle = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
  });
  await handle.migrate();
  return handle;
}

const keysFile = (config: Config) => path.join(config.dataDir, 'demo-keys.json');

/** Seeds the demo store if missing and returns its keys (kept in DATA_DIR, since the database stores only hashes). */
export async function ensureDemo(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock,
): Promise<DemoKeys | undefined> {
  const seeded = await seedDemo(handle.db, clock, { payments: config.demoPayments });
  if ('publishableKey' in seeded) {
    const keys = {
      storeId: seeded.storeId,
      publishableKey: seeded.publishableKey,
      secretKey: seeded.secretKey,
    };
    await mkdir(config.dataDir, { recursive: true });
    await writeFile(keysFile(config), JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
    return keys;
  }
  try {
    const keys = JSON.parse(await readFile(keysFile(config), 'utf8')) as DemoKeys;
    return keys.storeId === seeded.storeId ? keys : undefined;
  } catch {
    return undefined;
  }
}
