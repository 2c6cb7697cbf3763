#!/usr/bin/env node
// The single test entry: `npm test` (all suites) or `npm test -- <file>...` (just those files).
//
// Suites, in order, stopping at the first failing one:
//   a. test/sdk, test/build and test/server (**/*.test.ts)          node --test (tsx)
//   b. test/concurrency/**/*.test.ts                                 node --test, needs TEST_DATABASE_URL
//   c. test/components (real browser)                                web-test-runner, once it is configured
//   d. test/e2e/**/*.test.ts                                         node --test
//
// Without TEST_DATABASE_URL the PostgreSQL suites are skipped with a warning, except in CI (CI set), where
// that is an error. The last line printed is `N passed, N failed` (`, N skipped` when any were skipped),
// totalled over the node test runner suites, for CI tooling. Everything this script prints goes to stdout so
// that line stays last.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const databaseUrl = process.env.TEST_DATABASE_URL;
const tmp = mkdtempSync(path.join(tmpdir(), 'dropslot-test-'));
const totals = { pass: 0, fail: 0, skipped: 0 };
const notes = [];

/** Every `*.test.ts` / `*.test.js` / `*.test.mjs` below `dir` (relative to the repo root), sorted. */
function findTests(dir) {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const found = [];
  const walk = (current) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && /\.test\.(ts|mts|js|mjs)$/.test(entry.name)) {
        found.push(path.relative(root, full));
      }
    }
  };
  walk(abs);
  return found.sort();
}

function banner(text, char = '=') {
  const width = Math.max(60, ...text.split('\n').map((part) => part.length + 4));
  const line = char.repeat(width);
  return `\n${line}\n  ${text}\n${line}\n`;
}

function printSummary() {
  const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
  console.log(`${totals.pass} passed, ${totals.fail} failed${skipped}`);
}

function finish(code) {
  rmSync(tmp, { recursive: true, force: true });
  for (const note of notes) console.log(note);
  printSummary();
  process.exit(code);
}

/** Reads the closing `# pass N` / `# fail N` … lines of a TAP report written by node's test runner. */
function countTap(file) {
  const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  let seen = false;
  for (const match of text.matchAll(/^# (pass|fail|cancelled|skipped|todo) (\d+)$/gm)) {
    counts[match[1]] = Number(match[2]);
    seen = true;
  }
  return seen ? counts : null;
}

/** Runs `files` with node's test runner: spec output for people, a TAP copy in a temp file for counting. */
function runNodeTests(label, files, concurrency = 1) {
  console.log(banner(`${label}: ${files.length} file${files.length === 1 ? '' : 's'}`));
  const tapFile = path.join(tmp, `${label.replace(/\W+/g, '-')}.tap`);
  const args = [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const result = spawnSync(process.execPath, args, { cwd: root, env: process.env, stdio: 'inherit' });
  const counts = countTap(tapFile);
  if (counts) {
    totals.pass += counts.pass;
    totals.fail += counts.fail + counts.cancelled;
    totals.skipped += counts.skipped + counts.todo;
  }
  if (result.error) {
    console.log(`Could not start node --test: ${result.error.message}`);
    return false;
  }
  if (result.status !== 0 || result.signal) {
    // A crash before any test ran still has to show up as a failure in the summary.
    if (!counts || counts.fail + counts.cancelled === 0) totals.fail += 1;
    console.log(banner(`${label} FAILED (exit ${result.status ?? result.signal})`, '!'));
    return false;
  }
  return true;
}

const postgresMissingInCI = banner(
  'ERROR: PostgreSQL suites required in CI; set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  '!',
);
const postgresSkipped = banner(
  'WARNING: the PostgreSQL suites (test/concurrency) were SKIPPED.\n' +
    '  To run them, start PostgreSQL and run:\n' +
    '    TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test',
  '!',
);

// ---- `npm test -- <files>`: run just the given files -----------------------------------------------------
const requested = process.argv.slice(2).filter((arg) => arg !== '--');
if (requested.length > 0) {
  const missing = requested.filter((file) => !existsSync(path.resolve(root, file)));
  if (missing.length > 0) {
    console.log(`No such test file: ${missing.join(', ')}`);
    totals.fail += 1;
    finish(1);
  }
  const needsPostgres = requested.some((file) =>
    path.relative(root, path.resolve(root, file)).startsWith(`test${path.sep}concurrency`),
  );
  if (needsPostgres && !databaseUrl) {
    if (inCI) {
      console.log(postgresMissingInCI);
      finish(1);
    }
    notes.push(
      banner('WARNING: TEST_DATABASE_URL is not set; the PostgreSQL suites will fail or skip.', '!'),
    );
  }
  finish(runNodeTests('selected files', requested) ? 0 : 1);
}

// ---- Full run -------------------------------------------------------------------------------------------
// In CI a missing database is an error: say so before spending minutes on the other suites.
if (!databaseUrl && inCI) {
  console.log(postgresMissingInCI);
  finish(1);
}

// Files of suite a run two at a time (each has its own databases, ports and scratch directories; much of their time is
// spent waiting on PostgreSQL, SMTP or a child process). TEST_CONCURRENCY=1 runs them one by one.
const UNIT_CONCURRENCY = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2) || 1);

// a. SDK, build (browser bundles and their shims) and server suites (the server suites run on PGlite unless they opt
//    into TEST_DATABASE_URL).
const unitFiles = [...findTests('test/sdk'), ...findTests('test/build'), ...findTests('test/server')];
if (unitFiles.length === 0) {
  console.log(banner('sdk + server: no test files yet'));
} else if (!runNodeTests('sdk + server', unitFiles, UNIT_CONCURRENCY)) {
  finish(1);
}

// b. Concurrency suites: PostgreSQL only (PGlite is a single session and cannot show a locking bug).
const concurrencyFiles = findTests('test/concurrency');
if (databaseUrl) {
  if (concurrencyFiles.length > 0 && !runNodeTests('concurrency (PostgreSQL)', concurrencyFiles)) finish(1);
} else {
  notes.push(postgresSkipped);
}

// c. Component suites in a real browser. (Hook for later: runs once tests and the config both exist.)
const componentFiles = findTests('test/components');
if (componentFiles.length > 0) {
  if (existsSync(path.join(root, 'web-test-runner.config.mjs'))) {
    console.log(banner(`components (web-test-runner): ${componentFiles.length} files`));
    const result = spawnSync('npx', ['web-test-runner'], { cwd: root, env: process.env, stdio: 'inherit' });
    if (result.status !== 0) {
      totals.fail += 1;
      console.log(banner(`components FAILED (exit ${result.status ?? result.signal})`, '!'));
      finish(1);
    }
  } else {
    const message = banner('test/components has tests but web-test-runner.config.mjs is missing.', '!');
    if (inCI) {
      console.log(message);
      finish(1);
    }
    notes.push(message);
  }
}

// d. End-to-end suites. (Hook for later.)
const e2eFiles = findTests('test/e2e');
if (e2eFiles.length > 0 && !runNodeTests('e2e', e2eFiles)) finish(1);

finish(0);
