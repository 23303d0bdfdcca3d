import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from './harness.js';

const BUILT = fileURLToPath(new URL('../../packages/tracker/dist/loupe.js', import.meta.url));

/** The response's bytes as they crossed the socket (node:http does not decode), and its headers. */
function raw(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('the collector serves loupe.js compressed over real HTTP', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(() => collector.close());

  it('sends a browser the built loupe.js as Brotli, no larger than its gzip budget figure, and a gzip-only client gzip', async () => {
    const file = readFileSync(BUILT);
    const br = await raw(`${collector.url}/loupe.js`, { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(file)).toBe(true);
    // What a page load costs on the wire: below the min+gzip figure the budget test holds loupe.js to.
    expect(br.body.length).toBeLessThan(gzipSync(file, { level: 9 }).length);

    const gzip = await raw(`${collector.url}/loupe.js`, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(file)).toBe(true);
    expect(gzip.body.length).toBe(gzipSync(file, { level: 9 }).length);

    // fetch decodes on its own: the script it hands over is the build, byte for byte.
    const fetched = await fetch(`${collector.url}/loupe.js`);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(file)).toBe(true);
    expect(fetched.headers.get('vary')).toBe('Accept-Encoding');
  });
});
