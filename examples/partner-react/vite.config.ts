/**
 * Vite config of the partner frontend. `dropslot` resolves to the SDK's sources in this repository; a partner's own
 * project installs the `dropslot` package instead and needs no alias. JSX is compiled by Vite's esbuild (React's
 * automatic runtime), so no plugin is needed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** The demo store's publishable key, if `npm start` has seeded it (DATA_DIR/demo-keys.json), for `vite` dev runs. */
function demoKey(): string {
  try {
    const file = path.join(process.env.DATA_DIR ?? path.join(root, '.data'), 'demo-keys.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { publishableKey?: string }).publishableKey ?? '';
  } catch {
    return '';
  }
}

export default defineConfig({
  root: here,
  // Relative asset URLs: the built page works from any path.
  base: './',
  resolve: { alias: { dropslot: path.join(root, 'src/index.ts') } },
  esbuild: { jsx: 'automatic' },
  define: {
    'import.meta.env.VITE_DROPSLOT_KEY': JSON.stringify(process.env.VITE_DROPSLOT_KEY ?? demoKey()),
  },
  server: { port: 5173, strictPort: false },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
