/**
 * Fresh databases for tests: every test gets its own. PGlite databases load from a migrated dump (made once per
 * process); PostgreSQL databases are created from a migrated template database (made once per migration set).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../examples/server/db/index.js';

export type DatabaseKind = 'pglite' | 'postgres';

const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
export const postgresUrl = process.env.TEST_DATABASE_URL;
if (inCI && !postgresUrl) throw new Error('CI must run the PostgreSQL suites: set TEST_DATABASE_URL.');

/** The databases the domain suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const databaseKinds: DatabaseKind[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
if (!postgresUrl)
  console.warn('TEST_DATABASE_URL is not set: the PostgreSQL runs of this suite are SKIPPED.');

const migrationsDir = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../examples/server/db/migrations',
);

function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(migrationsDir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

let pgliteDump: Promise<File | Blob> | undefined;

/**
 * The migrated PGlite cluster every PGlite test database starts from: made once per migration set and kept under the
 * OS temp dir, so the test files (separate processes) do not each migrate from scratch.
 */
async function migratedDump(): Promise<File | Blob> {
  const file = path.join(tmpdir(), `dropslot-pglite-${migrationsHash()}.tar`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const handle = await openDatabase();
  await handle.migrate();
  const client = (handle.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('none');
  await handle.close();
  // Written aside and renamed: a process reading it never sees half a file.
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

async function freshPglite(): Promise<DatabaseHandle> {
  pgliteDump ??= migratedDump();
  const dump = await pgliteDump;
  return openDatabase({ loadDataDir: dump });
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

let template: Promise<string> | undefined;

async function ensureTemplate(url: string): Promise<string> {
  const name = `dropslot_tpl_${migrationsHash()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(727002)');
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await admin.query(`create database ${pg.escapeIdentifier(name)}`);
      const handle = await openDatabase({ url: withDatabase(url, name), poolSize: 2 });
      try {
        await handle.migrate();
      } catch (error) {
        await handle.close();
        await admin.query(`drop database if exists ${pg.escapeIdentifier(name)}`);
        throw error;
      }
      await handle.close();
    }
    await admin.query('select pg_advisory_unlock(727002)');
  } finally {
    await admin.end();
  }
  return name;
}

export interface TestDatabase {
  kind: DatabaseKind;
  /** Connection string of this database (PostgreSQL only): other processes may open it. */
  url?: string;
  open(poolSize?: number): Promise<DatabaseHandle>;
  drop(): Promise<void>;
}

/** A new, migrated, empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    let handle: DatabaseHandle | undefined;
    return {
      kind,
      async open() {
        if (handle) throw new Error('a PGlite test database has one connection: open it once');
        handle = await freshPglite();
        return handle;
      },
      async drop() {},
    };
  }
  if (!postgresUrl) throw new Error('TEST_DATABASE_URL is not set');
  template ??= ensureTemplate(postgresUrl);
  const tpl = await template;
  const name = `dropslot_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(tpl)}`);
      break;
    } catch (error) {
      // The template is busy while another CREATE DATABASE copies it.
      if (attempt > 50 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  await admin.end();
  const url = withDatabase(postgresUrl, name);
  return {
    kind,
    url,
    open: (poolSize = 10) => openDatabase({ url, poolSize }),
    async drop() {
      const dropper = new pg.Client({ connectionString: postgresUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      await dropper.end();
    },
  };
}
