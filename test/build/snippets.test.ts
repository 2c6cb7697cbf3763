/**
 * Every code block of README.md and docs/sdk.md runs against the real backend (createApp on PGlite with the demo store
 * seeded as `npm start` seeds it, on real HTTP), so the documentation cannot rot:
 *
 * - `ts`/`js` blocks are written to a file and run with tsx from the repository root, as a reader would run them on a
 *   fresh clone (`npx tsx try.ts`): `dropslot` resolves to `src/` through tsconfig.json's `paths`, not to a build.
 *   The `ts` blocks also type-check with the repository's strict tsconfig (one `tsc` run for all of them).
 * - `sh` blocks run in bash.
 * - Anything else, and blocks that cannot run here (starting the server, the whole test suite, HTML for a store's page,
 *   program output), carry the word `illustrative` in their info string: ```` ```sh illustrative ````.
 *
 * Placeholders a reader replaces are replaced: `http://127.0.0.1:8787`, `localhost:8787` and `https://api.example.com`
 * by the server's URL, `pk_test_…` by the demo store's publishable key. Fragments that continue an earlier block may use
 * these names without declaring them: `client` (a client signed in as the demo shopper), `dropId` and `slotId` (a live
 * drop of the demo store and a slot of it with places), and the UI callbacks `render`, `patch`, `openTheDoors` and
 * `showConnection`, which record their calls. A block that passes `render` or `showConnection` must see them called
 * (the stream's snapshot arrived; the connection opened).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, type DropSlotApp } from '../../examples/server/app.js';
import { systemClock } from '../../examples/server/clock.js';
import { openDatabase, type DatabaseHandle } from '../../examples/server/db/index.js';
import { seedDemo } from '../../examples/server/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = ['README.md', 'docs/sdk.md'];
const RUNNABLE = new Set(['ts', 'typescript', 'js', 'javascript', 'sh', 'bash', 'shell']);

interface Block {
  file: string;
  line: number;
  info: string;
  lang: string;
  code: string;
}

/** The fenced code blocks of a Markdown file, with the line of their opening fence. */
export function codeBlocks(file: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence); j++) body.push(lines[j]!);
    blocks.push({ file, line: i + 1, info, lang: info.split(/\s+/)[0] ?? '', code: body.join('\n') });
    i = j;
  }
  return blocks;
}

const illustrative = (block: Block) => /\billustrative\b/.test(block.info);

/** A fresh reference backend with the demo store, as a reader's `npm start` gives them: one per block. */
interface Server {
  baseUrl: string;
  publishableKey: string;
  /** A live drop of the demo store and a slot of it with places. */
  dropId: string;
  slotId: string;
  close(): Promise<void>;
}

async function startServer(): Promise<Server> {
  const handle: DatabaseHandle = await openDatabase();
  await handle.migrate();
  const dropslot: DropSlotApp = await createApp({ db: handle, clock: systemClock, rateLimits: false });
  const seeded = await seedDemo(handle.db, systemClock, {});
  assert.ok('publishableKey' in seeded);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: dropslot.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  type Row = { id: string; capacityRemaining: number };
  const api = async (route: string): Promise<{ data: Row[] }> => {
    const response = await fetch(`${baseUrl}${route}`, {
      headers: { authorization: `Bearer ${seeded.secretKey}` },
    });
    assert.equal(response.status, 200, route);
    return (await response.json()) as { data: Row[] };
  };
  let live: { dropId: string; slotId: string } | undefined;
  for (const drop of (await api('/v1/drops?phase=live')).data) {
    const slot = (await api(`/v1/drops/${drop.id}/slots`)).data.find((s) => s.capacityRemaining > 0);
    if (slot) {
      live = { dropId: drop.id, slotId: slot.id };
      break;
    }
  }
  assert.ok(live, 'the demo store has a live drop with places');
  return {
    baseUrl,
    publishableKey: seeded.publishableKey,
    ...live,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dropslot.close();
      await handle.close();
    },
  };
}

const work = mkdtempSync(path.join(tmpdir(), 'dropslot-snippets-'));
after(() => rmSync(work, { recursive: true, force: true }));
const undiciUrl = pathToFileURL(createRequire(import.meta.url).resolve('undici')).href;

/** The reader's placeholders, replaced by this server's URL and key. */
function substitute(code: string, { baseUrl, publishableKey }: Server): string {
  const { host } = new URL(baseUrl);
  return code
    .replaceAll('https://api.example.com', baseUrl)
    .replaceAll('http://127.0.0.1:8787', baseUrl)
    .replaceAll('localhost:8787', host)
    .replaceAll('127.0.0.1:8787', host)
    .replaceAll('pk_test_…', publishableKey);
}

const declares = (code: string, name: string) =>
  new RegExp(
    `\\b(?:const|let|var|function|class)\\s+${name}\\b|import\\s*(?:type\\s*)?\\{[^}]*\\b${name}\\b`,
  ).test(code) || new RegExp(`(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=`).test(code);
const uses = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(code);

const CALLBACKS = ['render', 'patch', 'openTheDoors', 'showConnection'];
/** Callbacks a block must see called when it passes them. */
const EXPECTED = ['render', 'showConnection'];

/** A TS/JS block as a module: the fixtures it needs, the block, then the check of the expected callbacks. */
function moduleOf(block: Block, server: Server, typecheckOnly = false): string {
  const code = substitute(block.code, server);
  const free = (name: string) => uses(code, name) && !declares(code, name);
  const prelude: string[] = [
    `import { createClient as __createClient } from 'dropslot';`,
    // Node 20 has no EventSource: undici's stands in for the browser's (the DOM types describe it for tsc).
    ...(typecheckOnly
      ? []
      : [
          `import { EventSource as __EventSource } from '${undiciUrl}';`,
          `(globalThis as { EventSource?: unknown }).EventSource ??= __EventSource;`,
        ]),
    `const __calls: Record<string, unknown[][]> = {};`,
    `const __record = (name: string) => (...args: unknown[]): void => void (__calls[name] ??= []).push(args);`,
  ];
  if (free('client')) {
    prelude.push(
      `const client = __createClient({ baseUrl: ${JSON.stringify(server.baseUrl)}, publishableKey: ${JSON.stringify(server.publishableKey)} });`,
      `client.setCustomerToken((await client.customers.signIn({ email: 'shopper@demo.dropslot.test', password: 'dropslot-shopper' })).token);`,
    );
  }
  if (free('dropId')) prelude.push(`const dropId = ${JSON.stringify(server.dropId)};`);
  if (free('slotId')) prelude.push(`const slotId = ${JSON.stringify(server.slotId)};`);
  const expected: string[] = [];
  for (const name of CALLBACKS) {
    if (!free(name)) continue;
    prelude.push(`const ${name} = __record('${name}');`);
    if (EXPECTED.includes(name)) expected.push(name);
  }
  const epilogue = `
const __deadline = Date.now() + 10_000;
while (${JSON.stringify(expected)}.some((name) => !__calls[name]) && Date.now() < __deadline) {
  await new Promise((resolve) => setTimeout(resolve, 50));
}
console.log('__SNIPPET__' + JSON.stringify(Object.fromEntries(Object.entries(__calls).map(([k, v]) => [k, v.length]))));
process.exit(0);
`;
  return `${prelude.join('\n')}\n// ---- ${block.file}:${block.line}\n${code}\n${epilogue}`;
}

function run(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

for (const file of DOCS) {
  const blocks = codeBlocks(file, readFileSync(path.join(root, file), 'utf8'));
  describe(`code blocks of ${file}`, () => {
    test('every block runs or is marked illustrative', () => {
      const unmarked = blocks.filter((b) => !illustrative(b) && !RUNNABLE.has(b.lang));
      assert.deepEqual(
        unmarked.map((b) => `${b.file}:${b.line} \`\`\`${b.info}`),
        [],
        'make these runnable (ts, js or sh) or add `illustrative` to their info string',
      );
    });
    for (const block of blocks.filter((b) => !illustrative(b) && RUNNABLE.has(b.lang))) {
      test(`${file}:${block.line} (${block.lang}) runs against the server`, async () => {
        const server = await startServer();
        try {
          await runBlock(block, server);
        } finally {
          await server.close();
        }
      });
    }
  });
}

const typescriptBlocks = DOCS.flatMap((file) =>
  codeBlocks(file, readFileSync(path.join(root, file), 'utf8')).filter(
    (b) => !illustrative(b) && (b.lang === 'ts' || b.lang === 'typescript'),
  ),
);
test('the TypeScript blocks type-check (strict, with the repository tsconfig)', async () => {
  const dir = mkdtempSync(path.join(work, 'tsc-'));
  const placeholder: Server = {
    baseUrl: 'http://127.0.0.1:8787',
    publishableKey: 'pk_test_0000000000000000',
    dropId: '00000000-0000-4000-8000-000000000000',
    slotId: '00000000-0000-4000-8000-000000000000',
    close: async () => {},
  };
  const files = typescriptBlocks.map((block) => {
    const script = path.join(dir, `${path.basename(block.file, '.md')}-${block.line}.mts`);
    writeFileSync(script, moduleOf(block, placeholder, true));
    return script;
  });
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: path.join(root, 'tsconfig.json'),
      compilerOptions: { typeRoots: [path.join(root, 'node_modules/@types')] },
      files,
      // Only the blocks (and what they import): not the whole repository that the base config includes.
      include: [],
    }),
  );
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const { code, out } = await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], 300_000);
  assert.equal(code, 0, out);
});

async function runBlock(block: Block, server: Server): Promise<void> {
  if (block.lang === 'sh' || block.lang === 'bash' || block.lang === 'shell') {
    const { code, out } = await run('bash', ['-euo', 'pipefail', '-c', substitute(block.code, server)]);
    assert.equal(code, 0, out);
    // An API refusal is a problem document: a block whose calls were refused has rotted.
    assert.doesNotMatch(out, /dropslot\.dev\/problems\//, out);
    return;
  }
  const script = path.join(work, `${path.basename(block.file, '.md')}-${block.line}.mts`);
  writeFileSync(script, moduleOf(block, server));
  const { code, out } = await run(process.execPath, ['--import', 'tsx', script]);
  assert.equal(code, 0, out);
  const marker = /__SNIPPET__(.*)/.exec(out);
  assert.ok(marker, `the block ran to its end:\n${out}`);
  const calls = JSON.parse(marker[1]!) as Record<string, number>;
  for (const name of EXPECTED) {
    if (uses(block.code, name) && !declares(block.code, name)) assert.ok(calls[name], `${name} was called`);
  }
}
