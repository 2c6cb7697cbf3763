// Rollup builds for the published package (`files: ["dist"]`).
//
// 1. The npm library: ESM, one output file per source module (`preserveModules`) so bundlers only pull in
//    what a user imports, with `.d.ts` declarations next to each file. Every dependency stays external.
//    `dist/src/` holds the SDK, `dist/components/<tag>/` each element: `<tag>.js` (the class, no side effects) and
//    `define.js` (registers the tag; the only modules with side effects besides the CDN bundle).
// 2. The CDN bundle `dist/cdn/dropslot.js`: one self-contained file for the `<script type="module">` embed, built from
//    `components/cdn.ts` (reads the script tag's data attributes and imports every define module). All dependencies are
//    inlined and minified; `zod/mini` is replaced by a pass-through shim (docs/decisions/0002). The QR decoder for
//    cameras without BarcodeDetector (`jsqr`) is a lazily imported chunk next to it (`dist/cdn/chunks/`).
//
// `rollup -c` builds both (without source maps: see `sourcemap` below); `rollup -c --configCdn` only the CDN bundle,
// with source maps (what `npm start` needs).
import path from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { literalsHtmlCssMinifier } from '@literals/rollup-plugin-html-css-minifier';
import typescript from '@rollup/plugin-typescript';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

// Runtime packages of the SDK and components. `lit` and `@lit/*` are listed explicitly because the components
// depend on them before they are added to package.json.
const externalPackages = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  'zod',
  'ky',
  'nanostores',
  'eventsource-parser',
  'lit',
]);

/** True for a bare import of an external package or one of its subpaths (`zod/mini`, `lit/decorators.js`). */
function isExternal(id) {
  if (id.startsWith('.') || id.startsWith('/') || id.startsWith('\0')) return false;
  if (id.startsWith('@lit/') || id.startsWith('@lit-labs/')) return true;
  const [first, second] = id.split('/');
  const name = first?.startsWith('@') ? `${first}/${second}` : first;
  return name !== undefined && externalPackages.has(name);
}

/** Removes the previous build of `dir` once, so deleted modules and old chunks never linger in the published `dist/`. */
function cleanDist(dir = './dist') {
  let cleaned = false;
  return {
    name: 'clean-dist',
    buildStart() {
      if (cleaned) return;
      rmSync(new URL(dir, import.meta.url), { recursive: true, force: true });
      cleaned = true;
    },
  };
}

/** A missing file or an undeclared dependency is an error, not a silently external import. */
function onwarn(warning, warn) {
  if (warning.code === 'UNRESOLVED_IMPORT') {
    throw new Error(
      `Unresolved import "${warning.exporter}" in ${warning.id}: ` +
        'add it to package.json dependencies (it is then external) or fix the path.',
    );
  }
  warn(warning);
}

/** The element folders: `components/<tag>/` with a `define.ts` (everything but `internal/`). */
export function elementTags() {
  const dir = new URL('./components/', import.meta.url);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'internal')
    .map((entry) => entry.name)
    .filter((tag) => existsSync(new URL(`./components/${tag}/define.ts`, import.meta.url)))
    .sort();
}

/** Library inputs of the elements: each element's class module and its define module. */
function elementInputs() {
  return elementTags().flatMap((tag) =>
    [`components/${tag}/${tag}.ts`, `components/${tag}/define.ts`].filter((file) =>
      existsSync(new URL(`./${file}`, import.meta.url)),
    ),
  );
}

/** The framework bindings generated from the manifest (scripts/bindings.mjs): `src/react/*.ts`, `src/vue/index.ts`. */
function bindingInputs() {
  const dir = new URL('./src/react/', import.meta.url);
  const react = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.ts'))
        .sort()
        .map((file) => `src/react/${file}`)
    : [];
  return [...react, 'src/vue/index.ts'].filter((file) => existsSync(new URL(`./${file}`, import.meta.url)));
}

/** @type {import('rollup').RollupOptions} */
const library = {
  input: [
    'src/index.ts',
    'src/schemas/index.ts',
    'components/events.ts',
    ...elementInputs(),
    ...bindingInputs(),
  ],
  external: isExternal,
  onwarn,
  plugins: [
    cleanDist(),
    typescript({
      tsconfig: './tsconfig.build.json',
      // Type errors fail the build (they are also caught earlier by `npm run typecheck`).
      noEmitOnError: true,
    }),
  ],
  output: {
    dir: 'dist',
    format: 'es',
    // Output paths mirror the sources (`dist/src/…`, `dist/components/…`), like the declarations (rootDir ".").
    preserveModules: true,
    entryFileNames: '[name].js',
    // No source maps in the package: this output is readable, unminified ESM with its comments (a map would only add
    // the TypeScript text), and the maps were most of the tarball's weight.
    sourcemap: false,
  },
  // The Vue bindings are types only: their module is empty on purpose.
  onLog(level, log, handler) {
    if (log.code === 'EMPTY_BUNDLE') return;
    handler(level, log);
  },
};

const zodShim = fileURLToPath(new URL('./components/internal/zod-mini-shim.ts', import.meta.url));
const kyShim = fileURLToPath(new URL('./components/internal/ky-shim.ts', import.meta.url));
const serverOnlyShim = fileURLToPath(new URL('./components/internal/server-only-shim.ts', import.meta.url));
/** SDK resources that need a secret key: never used in a page, replaced by `serverOnlyShim` in browser bundles. */
const SERVER_ONLY_RESOURCES = /[\\/]resources[\\/](webhook-endpoints|audit-logs)\.js$/;
const lazyResourceModule = fileURLToPath(new URL('./components/internal/lazy-resource.ts', import.meta.url));
/** SDK resource modules whose factories the client gets lazily in browser bundles (see lazy-resource.ts). */
const LAZY_RESOURCES = {
  rentals: ['rentalsResource'],
  subscriptions: ['subscriptionsResource'],
  payments: ['paymentsResource', 'invoicesResource'],
  notifications: ['notificationsResource'],
  merchant: [
    'storesResource',
    'invitationsResource',
    'storeSettingsResource',
    'branchesResource',
    'storeCustomersResource',
    'reportsResource',
    'apiKeysResource',
    'membersResource',
    'productAssetsResource',
  ],
};

/**
 * The size measures of the browser bundles (docs/decisions/0002): `zod/mini` resolves to a pass-through shim (no
 * response validation), `ky` to a minimal fetch wrapper, the secret-key-only SDK resources (webhook endpoints,
 * audit logs) to stubs that reject, and the resources only lazy elements use (rentals, subscriptions, payments,
 * notifications) to proxies that load them on first use. Any other zod or ky entry is refused, so the full libraries
 * can never slip into a browser bundle unnoticed.
 */
export function browserShims() {
  return {
    name: 'dropslot-browser-shims',
    resolveId(source, importer) {
      if (source === 'zod/mini') return zodShim;
      // Resources only lazy elements use load on first use: the client's import gets a generated wrapper module.
      const lazy = /[\\/]resources[\\/](\w+)\.js$/.exec(source);
      if (lazy && lazy[1] in LAZY_RESOURCES && importer && /[\\/]src[\\/]client\.ts$/.test(importer))
        return `\0lazy-resource:${path.resolve(path.dirname(importer), source).replace(/\.js$/, '.ts')}`;
      if (source === 'ky') return kyShim;
      if (SERVER_ONLY_RESOURCES.test(source)) return serverOnlyShim;
      if (source === 'zod' || source.startsWith('zod/') || source.startsWith('ky/')) {
        throw new Error(
          `A browser bundle cannot import "${source}": only "zod/mini" and "ky" (both shimmed) are.`,
        );
      }
      return null;
    },
    load(id) {
      if (!id.startsWith('\0lazy-resource:')) return null;
      const real = id.slice('\0lazy-resource:'.length);
      const names = LAZY_RESOURCES[path.basename(real, '.ts')];
      return [
        `import { lazyResource } from ${JSON.stringify(lazyResourceModule)};`,
        ...names.map(
          (name) =>
            `export const ${name} = (t) => lazyResource(() => import(${JSON.stringify(real)}).then((m) => m.${name}(t)));`,
        ),
      ].join('\n');
    },
  };
}

/**
 * `process.env.NODE_ENV` → `"production"` (nanostores guards its development helpers with it; browsers have no
 * `process`). Terser then drops the development branches.
 */
export function productionEnv() {
  return {
    name: 'dropslot-production-env',
    transform(code) {
      if (!code.includes('process.env.NODE_ENV')) return null;
      return { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null };
    },
  };
}

/** The leftmost-first names of a `z.a.b(...)...` call chain's builder (`['iso', 'datetime']`), if it is one. */
function zodBuilderPath(call) {
  let callee = call.callee;
  // `z.string().check(...)`: walk down to the innermost call of the chain.
  while (callee?.type === 'MemberExpression' && callee.object.type === 'CallExpression')
    callee = callee.object.callee;
  const names = [];
  while (callee?.type === 'MemberExpression' && !callee.computed) {
    names.unshift(callee.property.name);
    callee = callee.object;
  }
  return callee?.type === 'Identifier' && callee.name === 'z' && names.length > 0 ? names : undefined;
}

/**
 * With the pass-through shim, the arguments of the contract's schema builders (object shapes, nested schemas, checks)
 * and the descriptions given to `named()` are never read in the browser: this transform drops them from
 * `src/schemas/*`, so `z.object({ … })` becomes `z.object()` (enum values are kept). Runs after TypeScript, on the
 * emitted JavaScript. Only for the browser bundles, together with `browserShims()` (docs/decisions/0002).
 */
export function stripSchemaShapes() {
  const isSchemaModule = (id) => /[\\/]src[\\/]schemas[\\/][^\\/]+\.ts$/.test(id);
  return {
    name: 'dropslot-strip-schema-shapes',
    transform(code, id) {
      if (!isSchemaModule(id)) return null;
      const edits = [];
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'CallExpression') {
          const path = zodBuilderPath(node);
          if (path && path[0] !== 'enum') {
            edits.push([node.start, node.end, `z.${path.join('.')}()`]);
            return;
          }
          if (node.callee.type === 'Identifier' && node.callee.name === 'named' && node.arguments[1]) {
            edits.push([node.arguments[1].start, node.arguments[1].end, "''"]);
          }
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object' && typeof value.type === 'string') visit(value);
        }
      };
      visit(this.parse(code));
      if (edits.length === 0) return null;
      edits.sort((a, b) => b[0] - a[0]);
      let out = code;
      for (const [start, end, text] of edits) out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

/** Warnings that would mean a broken CDN bundle (a missing export of the shim, an unresolved package) are errors. */
function cdnOnwarn(warning, warn) {
  if (warning.code === 'MISSING_EXPORT' || warning.code === 'UNRESOLVED_IMPORT') {
    throw new Error(`CDN bundle: ${warning.message}`);
  }
  // Lit and ky use `this` at the top level of some modules; harmless in ESM.
  if (warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
}

/**
 * Plugins of a self-contained, minified browser bundle (the CDN bundle, and the `<drop-countdown>`-alone bundle that
 * `npm run size` measures).
 */
export function browserBundlePlugins(outDir, { sourcemap = true } = {}) {
  return [
    browserShims(),
    nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
    commonjs(),
    productionEnv(),
    typescript({
      tsconfig: './tsconfig.cdn.json',
      declaration: false,
      declarationMap: false,
      sourceMap: sourcemap,
      inlineSources: sourcemap,
      outDir,
      noEmitOnError: true,
    }),
    stripSchemaShapes(),
    // Whitespace and comments inside the elements' html`…` and css`…` templates (terser leaves template strings alone).
    literalsHtmlCssMinifier({ include: ['**/components/**'], failOnError: true }),
    terser({ ecma: 2022, module: true, compress: { passes: 3 }, format: { comments: false } }),
  ];
}

/**
 * `dist/cdn/dropslot.d.ts`: the script-tag bundle exports nothing, but referencing its types (`/// <reference
 * types="dropslot/cdn/dropslot.js" />`, or importing it in a bundler) declares every tag in `HTMLElementTagNameMap`
 * and every event in `HTMLElementEventMap`, as the define modules do.
 */
function cdnDeclarations() {
  return {
    name: 'dropslot-cdn-declarations',
    generateBundle() {
      const defines = elementTags().map((tag) => `import '../components/${tag}/define.js';`);
      this.emitFile({
        type: 'asset',
        fileName: 'dropslot.d.ts',
        source: [
          '// The script-tag bundle registers every element: their tags and events, typed for the whole page.',
          ...defines,
          "export type * from '../components/events.js';",
          '',
        ].join('\n'),
      });
    },
  };
}

/**
 * The script-tag bundle. Source maps only in the development build (`rollup -c --configCdn`, what `npm start` runs, so
 * the demo store can be debugged): the published bundle has none, since its maps (with the inlined sources of every
 * dependency) would weigh more than the code.
 *
 * @returns {import('rollup').RollupOptions}
 */
const cdnBuild = ({ sourcemap }) => ({
  input: { dropslot: 'components/cdn.ts' },
  onwarn: cdnOnwarn,
  plugins: [cleanDist('./dist/cdn'), ...browserBundlePlugins('dist/cdn', { sourcemap }), cdnDeclarations()],
  output: {
    dir: 'dist/cdn',
    format: 'es',
    entryFileNames: '[name].js',
    // Only lazily imported code lands here — the staff desk, the ticket extras (QR encoder and .ics writer, for a
    // confirmed ticket) and the QR decoder
    // (camera check-in without BarcodeDetector); the embed is the one file `dropslot.js`. (No `manualChunks`: it would
    // pull shared modules into a lazy chunk and make `dropslot.js` import it.)
    chunkFileNames(chunk) {
      const has = (pattern) => chunk.moduleIds.some((id) => pattern.test(id));
      if (has(/[\\/]components[\\/]check-in-desk[\\/]/)) return 'chunks/check-in-desk-[hash].js';
      if (has(/[\\/]components[\\/]rental-checkout[\\/]rental-checkout/))
        return 'chunks/rental-checkout-[hash].js';
      if (has(/[\\/]components[\\/]rental-catalog[\\/]/)) return 'chunks/rental-catalog-[hash].js';
      if (has(/[\\/]components[\\/]payment-step[\\/]/)) return 'chunks/payment-step-[hash].js';
      if (has(/[\\/]node_modules[\\/]uqr[\\/]/)) return 'chunks/ticket-extras-[hash].js';
      if (has(/[\\/]node_modules[\\/]jsqr[\\/]/)) return 'chunks/qr-decoder-[hash].js';
      return 'chunks/[name]-[hash].js';
    },
    sourcemap,
  },
});

export default (args) => {
  if (args.configCdn) {
    delete args.configCdn;
    return [cdnBuild({ sourcemap: true })];
  }
  return [library, cdnBuild({ sourcemap: false })];
};
