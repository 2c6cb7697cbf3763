#!/usr/bin/env node
// `npm run check:package`: checks the package as npm would publish it (run `npm run build` first).
//
// 1. Packs it (`npm pack`) into a temp directory.
// 2. Checks the tarball's contents: LICENSE, README.md and CHANGELOG.md are in it, no source maps, every target of
//    the `exports` map exists and every entry with code has types.
// 3. `publint --strict` (packaging errors and warnings) and `attw --profile esm-only` (@arethetypeswrong/cli: the
//    types resolve for every entry point under node16 and bundler resolution; the package is ESM only).
//
// test/build/consumer.test.ts installs the same tarball into a scratch project and type-checks code against it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules/.bin', name);

/** Runs `npm pack` into `dir`; returns the tarball's path and the packed file list. */
export function pack(dir) {
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/** The `exports` subpaths that are not `*` patterns, with each entry's targets. */
function exportEntries(pkg) {
  return Object.entries(pkg.exports).map(([subpath, target]) => ({
    subpath,
    targets: typeof target === 'string' ? { default: target } : target,
  }));
}

/** Problems with the packed file list (empty when it is right). */
export function contentProblems(files, pkg) {
  const problems = [];
  const has = new Set(files);
  for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'custom-elements.json'])
    if (!has.has(file)) problems.push(`${file} is not in the package`);
  const maps = files.filter((f) => f.endsWith('.map'));
  if (maps.length) problems.push(`source maps are in the package: ${maps.slice(0, 3).join(', ')}…`);
  for (const { subpath, targets } of exportEntries(pkg)) {
    for (const [condition, target] of Object.entries(targets)) {
      const rel = target.replace(/^\.\//, '');
      if (rel.includes('*')) {
        const [prefix, suffix] = rel.split('*');
        if (!files.some((f) => f.startsWith(prefix) && f.endsWith(suffix)))
          problems.push(`exports["${subpath}"].${condition} matches no file (${target})`);
      } else if (!has.has(rel)) problems.push(`exports["${subpath}"].${condition} is missing (${target})`);
    }
    if (targets.default?.endsWith('.js') && !targets.types)
      problems.push(`exports["${subpath}"] has no types`);
  }
  return problems;
}

/** The React element modules behind the `./react/*` pattern, which attw does not discover by itself. */
function reactEntrypoints() {
  return readdirSync(path.join(root, 'src/react'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => `./react/${f.replace(/\.ts$/, '')}`);
}

function run(label, command, args) {
  console.log(`\n$ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status === 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dropslot-pack-'));
  let ok = true;
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const { tarball, files } = pack(dir);
    const problems = contentProblems(files, pkg);
    console.log(`${path.basename(tarball)}: ${files.length} files`);
    for (const problem of problems) console.error(`  ✖ ${problem}`);
    ok = problems.length === 0;
    ok = run('publint --strict', bin('publint'), ['run', tarball, '--strict']) && ok;
    ok =
      run('attw --profile esm-only', bin('attw'), [
        tarball,
        '--profile',
        'esm-only',
        '--format',
        'table-flipped',
        '--include-entrypoints',
        ...reactEntrypoints(),
      ]) && ok;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (!ok) {
    console.error('\nThe package has problems (above).');
    process.exit(1);
  }
  console.log('\nThe package is clean.');
}
