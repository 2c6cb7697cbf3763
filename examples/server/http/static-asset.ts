/**
 * Static files the pages load (the script-tag bundle and its lazy chunks): compressed once per file version with the
 * best encoding the browser accepts (Brotli, else gzip), revalidated by ETag, and cached for a year when the file name
 * carries its content hash. Reads and compression are memoised per path and modification time, so a rebuild is served
 * at once and an unchanged file is never compressed twice.
 */
import { createHash } from 'node:crypto';
import { stat, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

interface Cached {
  mtimeMs: number;
  etag: string;
  raw: Buffer;
  encoded: Map<'br' | 'gzip', Promise<Buffer>>;
}

const cache = new Map<string, Cached>();

/** Below this size compression is not worth its header bytes. */
const MIN_COMPRESS_BYTES = 1024;

async function load(file: string): Promise<Cached> {
  const { mtimeMs } = await stat(file);
  const known = cache.get(file);
  if (known && known.mtimeMs === mtimeMs) return known;
  const raw = await readFile(file);
  const etag = `"${createHash('sha256').update(raw).digest('base64url').slice(0, 22)}"`;
  const fresh: Cached = { mtimeMs, etag, raw, encoded: new Map() };
  cache.set(file, fresh);
  return fresh;
}

/** Whether an `If-None-Match` header names `etag` (weak or strong, one of a list): the answer is then a 304. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  return Boolean(ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));
}

/** The encoding to send for an `Accept-Encoding` header: `br` over `gzip`, none when neither is accepted. */
export function chooseEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name, q ? Number(q.slice(2)) : 1);
  }
  const weight = (name: string) => offered.get(name) ?? (offered.has('*') ? offered.get('*')! : 0);
  if (weight('br') > 0) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return undefined;
}

/**
 * Answers `file` (throws when it cannot be read: the caller answers 404). `immutable`: the name carries a content hash,
 * so it is cached for a year; otherwise the browser revalidates (a 304 when unchanged).
 */
export async function serveStatic(
  c: Context,
  file: string,
  contentType: string,
  options: { immutable?: boolean } = {},
): Promise<Response> {
  const entry = await load(file);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'cache-control': options.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    etag: entry.etag,
    vary: 'accept-encoding',
  };
  if (matchesEtag(c.req.header('if-none-match'), entry.etag)) return c.body(null, 304, headers);
  const encoding =
    entry.raw.length >= MIN_COMPRESS_BYTES ? chooseEncoding(c.req.header('accept-encoding')) : undefined;
  if (!encoding) return c.body(new Uint8Array(entry.raw), 200, headers);
  let encoded = entry.encoded.get(encoding);
  if (!encoded) {
    encoded =
      encoding === 'br'
        ? brotli(entry.raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
        : gz(entry.raw, { level: 9 });
    entry.encoded.set(encoding, encoded);
  }
  return c.body(new Uint8Array(await encoded), 200, { ...headers, 'content-encoding': encoding });
}
