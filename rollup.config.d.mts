// Types of the helpers rollup.config.mjs exports for scripts and tests that build browser bundles.
import type { Plugin, RollupOptions } from 'rollup';

export declare function elementTags(): string[];
export declare function browserShims(): Plugin;
export declare function productionEnv(): Plugin;
export declare function stripSchemaShapes(): Plugin;
export declare function browserBundlePlugins(outDir: string, options?: { sourcemap?: boolean }): Plugin[];
declare const config: (args: Record<string, unknown>) => RollupOptions[];
export default config;
