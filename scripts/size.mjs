#!/usr/bin/env node
// `npm run size`: the size budgets of the browser bundles (DESIGN.md, "Performance budgets").
//
//   dist/cdn/dropslot.js      the script-tag bundle: every element and the SDK        ≤ 35 KB min+gz
//   <drop-countdown> alone    components/drop-countdown/define.ts, all deps inlined   ≤ 10 KB min+gz
//
// The CDN bundle is read from dist/ when it is up to date with its sources, else built first. The countdown bundle is
// built in memory with the same plugins as the CDN bundle (rollup.config.mjs `browserBundlePlugins`). Lazily imported
// chunks (the jsqr decoder, downloaded only by a camera check-in without BarcodeDetector) are listed, not counted.
// 1 KB = 1,000 bytes. Exits 1 when a bundle is over its budget.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { rollup } from 'rollup';
import { browserBundlePlugins } from '../rollup.config.mjs';
import { buildCdn, cdnFile, cdnIsFresh, root } from './build-cdn.mjs';

const KB = 1000;
const BUDGETS = { cdn: 35 * KB, countdown: 10 * KB };

const gz = (code) => gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

async function countdownBundle() {
  const outDir = mkdtempSync(path.join(tmpdir(), 'dropslot-size-'));
  try {
    const bundle = await rollup({
      input: path.join(root, 'components/drop-countdown/define.ts'),
      plugins: browserBundlePlugins(outDir, { sourcemap: false }),
      onwarn(warning, warn) {
        if (warning.code === 'THIS_IS_UNDEFINED') return;
        if (warning.code === 'MISSING_EXPORT' || warning.code === 'UNRESOLVED_IMPORT')
          throw new Error(warning.message);
        warn(warning);
      },
    });
    const { output } = await bundle.generate({ dir: outDir, format: 'es' });
    await bundle.close();
    const chunks = output.filter((item) => item.type === 'chunk');
    const entry = chunks.find((chunk) => chunk.isEntry);
    // Statically imported chunks load with the entry and count; dynamically imported ones do not.
    const eager = chunks.filter((chunk) => chunk === entry || entry.imports.includes(chunk.fileName));
    const code = eager.map((chunk) => chunk.code).join('\n');
    return { min: Buffer.byteLength(code), gz: gz(code), modules: Object.keys(entry.modules) };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

function cdnBundle() {
  if (!cdnIsFresh()) {
    console.log('dist/cdn/dropslot.js is missing or stale: building it…');
    buildCdn();
  }
  const code = readFileSync(cdnFile);
  // One file: the embed may load lazy chunks with `import()`, but must not need one to start.
  const staticChunkImport = /(?:^|[;}])\s*import\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/chunks\//;
  if (staticChunkImport.test(code.toString('utf8'))) {
    throw new Error(
      'dist/cdn/dropslot.js imports a chunk statically: it is no longer one self-contained file.',
    );
  }
  const lazyDir = path.join(path.dirname(cdnFile), 'chunks');
  const lazy = existsSync(lazyDir)
    ? readdirSync(lazyDir)
        .filter((file) => file.endsWith('.js'))
        .map((file) => {
          const chunk = readFileSync(path.join(lazyDir, file));
          return { file: `chunks/${file}`, min: chunk.length, gz: gz(chunk) };
        })
    : [];
  return { min: code.length, gz: gz(code), lazy };
}

const cdn = cdnBundle();
const countdown = await countdownBundle();

const rows = [
  ['bundle', 'min', 'min+gz', 'budget (gz)', ''],
  ['dist/cdn/dropslot.js', kb(cdn.min), kb(cdn.gz), kb(BUDGETS.cdn), cdn.gz <= BUDGETS.cdn ? 'ok' : 'OVER'],
  [
    '<drop-countdown> alone',
    kb(countdown.min),
    kb(countdown.gz),
    kb(BUDGETS.countdown),
    countdown.gz <= BUDGETS.countdown ? 'ok' : 'OVER',
  ],
  ...cdn.lazy.map((chunk) => [`  lazy: ${chunk.file}`, kb(chunk.min), kb(chunk.gz), '(not counted)', '']),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
for (const row of rows)
  console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
console.log(`\n(exact: CDN ${cdn.gz} B gz, countdown ${countdown.gz} B gz; 1 KB = 1,000 bytes)`);

const over = cdn.gz > BUDGETS.cdn || countdown.gz > BUDGETS.countdown;
if (over) {
  console.error('\nOver budget.');
  process.exit(1);
}
