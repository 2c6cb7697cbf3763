#!/usr/bin/env node
// Builds the script-tag bundle (`dist/cdn/dropslot.js`) when it is missing or older than its sources — what `npm start`
// needs to serve the demo store on a fresh clone (`prestart`). A fresh bundle is left alone, so starting stays fast.
//
//   node scripts/build-cdn.mjs          build if stale
//   node scripts/build-cdn.mjs --force  always build
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cdnFile = path.join(root, 'dist', 'cdn', 'dropslot.js');

/** Files the CDN bundle is built from: a newer one makes the bundle stale. */
const SOURCES = [
  'components',
  'src',
  'rollup.config.mjs',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.cdn.json',
  'package-lock.json',
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** Whether `dist/cdn/dropslot.js` exists and is newer than every source it is built from. */
export function cdnIsFresh() {
  if (!existsSync(cdnFile)) return false;
  const built = statSync(cdnFile).mtimeMs;
  return SOURCES.every((source) => newestMtime(path.join(root, source)) <= built);
}

/** Runs `rollup -c --configCdn` (only the CDN bundle; the library build is left as it is). */
export function buildCdn() {
  const rollup = createRequire(import.meta.url).resolve('rollup/dist/bin/rollup');
  const result = spawnSync(process.execPath, [rollup, '-c', '--configCdn', '--silent'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0)
    throw new Error(`Building the CDN bundle failed (exit ${result.status ?? result.signal})`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  if (!force && cdnIsFresh()) {
    console.log('dist/cdn/dropslot.js is up to date.');
  } else {
    const started = Date.now();
    console.log('Building dist/cdn/dropslot.js (the script-tag bundle the demo store serves)…');
    try {
      buildCdn();
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
    console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
}
