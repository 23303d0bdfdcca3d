import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { staticRoutes } from './static.js';

// Repetitive enough that every coding is much smaller than the file.
const SCRIPT = `!function(){${Array.from({ length: 200 }, (_, i) => `window.loupe${i}=${i};`).join('')}}();`;

function routes() {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-static-'));
  writeFileSync(join(dir, 'loupe.js'), SCRIPT);
  return staticRoutes({ trackerBundlePath: join(dir, 'loupe.js') });
}

const get = (app: ReturnType<typeof staticRoutes>, headers: Record<string, string> = {}) =>
  app.request('/loupe.js', { headers });
const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

describe('GET /loupe.js content codings', () => {
  it('answers Brotli to a browser, gzip to a gzip-only client, and the file itself without Accept-Encoding', async () => {
    const app = routes();
    const br = await get(app, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    const gzip = await get(app, { 'Accept-Encoding': 'gzip' });
    const plain = await get(app);

    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(await bytes(br)).toString()).toBe(SCRIPT);
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(await bytes(gzip)).toString()).toBe(SCRIPT);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);

    for (const response of [br, gzip, plain]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(response.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    }
    // A shared cache keeps each representation under its own validator.
    expect(new Set([br, gzip, plain].map((r) => r.headers.get('etag'))).size).toBe(3);
  });

  it('revalidates each coding with its own ETag: a 304 only when the client holds that representation', async () => {
    const app = routes();
    const br = await get(app, { 'Accept-Encoding': 'br' });
    const etag = br.headers.get('etag') as string;

    const same = await get(app, { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect(same.headers.get('vary')).toBe('Accept-Encoding');
    expect(await same.text()).toBe('');
    expect((await get(app, { 'Accept-Encoding': 'br', 'If-None-Match': `W/${etag}` })).status).toBe(304);

    const other = await get(app, { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    expect(other.status).toBe(200);
    expect(gunzipSync(await bytes(other)).toString()).toBe(SCRIPT);
  });
});
