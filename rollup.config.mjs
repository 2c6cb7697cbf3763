// Rollup builds for the published package (`files: ["dist"]`).
//
// 1. The npm library: ESM, one output file per source module (`preserveModules`) so bundlers only pull in
//    what a user imports, with `.d.ts` declarations next to each file. Every dependency stays external.
// 2. (later) The CDN single-file bundle `dist/cdn/dropslot.js`: see the marked section at the bottom.
import { readFileSync, rmSync } from 'node:fs';
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

/** Removes the previous build once, so deleted modules never linger in the published `dist/`. */
function cleanDist() {
  let cleaned = false;
  return {
    name: 'clean-dist',
    buildStart() {
      if (cleaned) return;
      rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
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

/** @type {import('rollup').RollupOptions} */
const library = {
  input: ['src/index.ts', 'src/schemas/index.ts'],
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
    preserveModules: true,
    preserveModulesRoot: 'src',
    entryFileNames: '[name].js',
    sourcemap: true,
  },
};

// ---------------------------------------------------------------------------------------------------------
// CDN BUNDLE — TO BE ADDED once components/ exists.
//
// `dist/cdn/dropslot.js`: one self-contained file for the `<script type="module">` embed. Input is the module
// that imports every `components/*/define.ts`; all dependencies are inlined (no `external`), minified with
// terser. It is listed in package.json "sideEffects" (it registers elements). Budget: <= 35 KB min+gz.
//
// Also then: add "components" to tsconfig.build.json `include` (and move `rootDir` to "." or build the
// components with their own tsconfig, since rootDir is "src" today).
//
// Sketch:
//
//   import { nodeResolve } from '@rollup/plugin-node-resolve';
//   import terser from '@rollup/plugin-terser';
//
//   const cdn = {
//     input: 'components/cdn.ts',
//     plugins: [
//       nodeResolve({ browser: true, exportConditions: ['browser', 'production'] }),
//       typescript({ tsconfig: './tsconfig.build.json', declaration: false, outDir: 'dist/cdn' }),
//       terser({ ecma: 2022, module: true, format: { comments: false } }),
//     ],
//     output: { file: 'dist/cdn/dropslot.js', format: 'es', sourcemap: true },
//   };
//
// and export `[library, cdn]` below.
// ---------------------------------------------------------------------------------------------------------

export default [library];
