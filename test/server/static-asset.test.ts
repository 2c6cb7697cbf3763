/**
 * The script-tag bundle as the store's page gets it: compressed with the best encoding the browser accepts,
 * revalidated by ETag, hashed chunks cached for a year, a rebuilt file served at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { chooseEncoding, serveStatic } from '../../examples/server/http/static-asset.js';

describe('static assets', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dropslot-static-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const bundle = path.join(dir, 'dropslot.js');
  const source = `export const x = ${JSON.stringify('a widget '.repeat(2000))};\n`;
  writeFileSync(bundle, source);
  const app = new Hono();
  app.get('/dropslot.js', (c) => serveStatic(c, bundle, 'text/javascript; charset=utf-8'));
  app.get('/chunk.js', (c) => serveStatic(c, bundle, 'text/javascript; charset=utf-8', { immutable: true }));

  it('picks Brotli over gzip, honours q=0, and sends neither when none is accepted', () => {
    assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(chooseEncoding('gzip;q=1, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('identity'), undefined);
    assert.equal(chooseEncoding(undefined), undefined);
    assert.equal(chooseEncoding('*'), 'br');
  });

  it('compresses, revalidates by ETag and caches hashed chunks for a year', async () => {
    const br = await app.request('/dropslot.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('content-encoding'), 'br');
    assert.equal(br.headers.get('vary'), 'accept-encoding');
    assert.equal(br.headers.get('cache-control'), 'no-cache');
    const brBytes = Buffer.from(await br.arrayBuffer());
    assert.ok(brBytes.length < source.length / 10, `${brBytes.length} bytes for ${source.length}`);
    assert.equal(brotliDecompressSync(brBytes).toString(), source);

    const gz = await app.request('/dropslot.js', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gz.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), source);

    const plain = await app.request('/dropslot.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), source);

    const etag = br.headers.get('etag')!;
    assert.match(etag, /^"[\w-]+"$/);
    const again = await app.request('/dropslot.js', { headers: { 'if-none-match': `W/${etag}` } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');

    const chunk = await app.request('/chunk.js');
    assert.equal(chunk.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('serves a rebuilt file at once (a new ETag, the old one no longer matches)', async () => {
    const first = await app.request('/dropslot.js');
    const etag = first.headers.get('etag')!;
    writeFileSync(bundle, `${source}// rebuilt\n`);
    const later = new Date(Date.now() + 5_000);
    utimesSync(bundle, later, later);
    const fresh = await app.request('/dropslot.js', { headers: { 'if-none-match': etag } });
    assert.equal(fresh.status, 200);
    assert.notEqual(fresh.headers.get('etag'), etag);
    assert.match(await fresh.text(), /\/\/ rebuilt\n$/);
  });
});
