/**
 * First render of `<slot-picker>` with 48 slots in headless Chromium (budget: 60 ms after the script runs, DESIGN.md
 * "Performance budgets"), beside a baseline: the same 48 slots, formatted with the same Intl calls, as a plain `innerHTML`
 * list — timed in the same page after the element (Intl warm) and alone in a fresh page (Intl cold: the first Intl object
 * of a page loads ICU data, a cost the element's first render pays too).
 *
 *   npx tsx test/bench/slot-picker.bench.ts        (BENCH_RUNS=15 measured page loads after 3 warm-up loads)
 *
 * The page script (test/bench/slot-picker.page.ts) is bundled with esbuild as a store would ship it: minified, Lit's
 * production build, the SDK with its response validation. Data comes from the in-page fake API of the component tests
 * (no network), so the figure is the element's own cost: evaluating the script, connecting, reading the store, the
 * stream's snapshot, and rendering. "script → render" (the budgeted figure) runs from the bundle's first statement to
 * the 48 slots in the element's DOM; "element → render" starts when the element is added; "script → frame" waits for
 * the next frame. Served by a tiny HTTP server on 127.0.0.1; Chromium from CHROMIUM_PATH or /usr/bin/chromium.
 * Exits 1 over budget.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const BUDGET_MS = 60;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Sample {
  fromScript: number;
  fromElement: number;
  toFrame: number;
  baseline: number;
  slots: number;
}

/**
 * The two ways the element reaches a page: `cdn` as in the script-tag bundle (`zod/mini` and `ky` replaced by the
 * pass-through shims of rollup.config.mjs `browserShims()`, no response validation), and `npm` with the full SDK
 * (response validation with zod). The budget applies to `cdn`, what a store embeds; `npm` is shown beside it.
 */
const SHIMS = {
  'zod/mini': 'components/internal/zod-mini-shim.ts',
  ky: 'components/internal/ky-shim.ts',
} as const;
type Variant = 'cdn' | 'npm';

async function bundle(variant: Variant): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./slot-picker.page.ts', import.meta.url))],
    absWorkingDir: root,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: 'tsconfig.json',
    banner: { js: "performance.mark('ds-script-start');" },
    ...(variant === 'cdn' && {
      alias: Object.fromEntries(Object.entries(SHIMS).map(([k, v]) => [k, `./${v}`])),
    }),
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0]!.text;
}

function serve(scripts: Record<string, string>): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const script = scripts[url.pathname.slice(1).replace(/\.js$/, '')];
    if (script !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      response.end(script);
      return;
    }
    const variant = url.searchParams.get('variant') ?? 'cdn';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>slot-picker bench</title></head><body><script type="module" src="/${variant}.js"></script></body></html>`,
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
const quantile = (values: number[], q: number): number => {
  const s = sorted(values);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

const loadBefore = loadavg()[0]!;
const variants: Variant[] = Object.values(SHIMS).every((file) =>
  existsSync(new URL(`../../${file}`, import.meta.url)),
)
  ? ['cdn', 'npm']
  : ['npm'];
const scripts: Record<string, string> = {};
for (const variant of variants) scripts[variant] = await bundle(variant);
const server = await serve(scripts);
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});

/** One fresh page per load; returns what the page reported. */
async function loadPage(query: string): Promise<Sample> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}?${query}`);
    const handle = await page
      .waitForFunction(() => window.__bench, undefined, { timeout: 15_000 })
      .catch(() => {
        throw new Error(`the page (${query}) did not finish: ${errors.join('; ') || 'no error reported'}`);
      });
    const sample = (await handle.jsonValue()) as Sample;
    if (sample.slots !== 48) throw new Error(`rendered ${sample.slots} slots, expected 48`);
    return sample;
  } finally {
    await context.close();
  }
}

const samples: Record<string, Sample[]> = {};
const coldBaseline: number[] = [];
try {
  for (const variant of variants) {
    samples[variant] = [];
    for (let run = 0; run < WARMUP + RUNS; run++) {
      const sample = await loadPage(`variant=${variant}`);
      if (run >= WARMUP) samples[variant]!.push(sample);
    }
  }
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const sample = await loadPage(`variant=${variants[0]}&cold-baseline`);
    if (run >= WARMUP) coldBaseline.push(sample.baseline);
  }
} finally {
  await browser.close();
  server.close();
}

const kb = (text: string): string => `${(text.length / 1000).toFixed(1)} KB min`;
console.log(
  `\n<slot-picker> first render, 48 slots, headless Chromium, ${RUNS} page loads per bundle (+${WARMUP} warm-up)`,
);
console.log(`bundles: ${variants.map((v) => `${v} ${kb(scripts[v]!)}`).join(', ')}`);
const load = Math.max(loadBefore, loadavg()[0]!);
console.log(
  `machine: ${cpus().length} CPUs, load average ${load.toFixed(1)}${load > cpus().length ? ' (busy: figures are inflated)' : ''}\n`,
);
const rows: [string, number[]][] = [];
for (const variant of variants) {
  const list = samples[variant]!;
  rows.push(
    [`${variant}: script → render`, list.map((s) => s.fromScript)],
    [`${variant}: element → render`, list.map((s) => s.fromElement)],
    [`${variant}: script → frame`, list.map((s) => s.toFrame)],
  );
}
rows.push(
  ['baseline: innerHTML list, Intl cold', coldBaseline],
  [
    'baseline: innerHTML list, Intl warm',
    Object.values(samples)
      .flat()
      .map((s) => s.baseline),
  ],
);
const header = ['', 'median', 'p95', 'min', 'max'];
const table = rows.map(([label, values]) => [
  label,
  ms(quantile(values, 0.5)),
  ms(quantile(values, 0.95)),
  ms(Math.min(...values)),
  ms(Math.max(...values)),
]);
const widths = header.map((_, i) => Math.max(...[header, ...table].map((row) => row[i]!.length)));
for (const row of [header, ...table]) {
  console.log(
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
}
const judged = variants[0]!;
const figures = samples[judged]!.map((s) => s.fromScript);
const p95 = quantile(figures, 0.95);
const median = quantile(figures, 0.5);
const verdict = p95 <= BUDGET_MS ? 'within budget' : 'OVER BUDGET';
console.log(
  `\nBudget (${judged}): script → render ≤ ${BUDGET_MS} ms at p95: ${ms(p95)} (median ${ms(median)}) — ${verdict}`,
);
if (p95 > BUDGET_MS) process.exitCode = 1;
