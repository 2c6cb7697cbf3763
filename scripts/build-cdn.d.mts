// Types of scripts/build-cdn.mjs for the TypeScript tests that build the CDN bundle before serving it.
export declare const root: string;
export declare const cdnFile: string;
export declare function cdnIsFresh(): boolean;
export declare function buildCdn(): void;
