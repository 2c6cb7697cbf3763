// Types of scripts/bindings.mjs for test/build/manifest.test.ts.
export declare const root: string;
export declare function readManifest(): unknown;
export declare function elementsOf(manifest: unknown): unknown[];
export declare function sources(manifest?: unknown): Promise<Record<string, string>>;
export declare function editorData(manifest?: unknown): Record<string, string>;
