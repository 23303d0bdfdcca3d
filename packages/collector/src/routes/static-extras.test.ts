import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticRoutes } from './static.js';

describe('GET /loupe-x.js', () => {
  it('serves the file built beside loupe.js with the same caching headers, and 304 when the ETag matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-static-'));
    writeFileSync(join(dir, 'loupe.js'), '(()=>{})();');
    writeFileSync(join(dir, 'loupe-x.js'), '(()=>{1})();');
    const routes = staticRoutes({ trackerBundlePath: join(dir, 'loupe.js') });
    const [tracker, extras] = await Promise.all([routes.request('/loupe.js'), routes.request('/loupe-x.js')]);
    expect(extras.status).toBe(200);
    expect(await extras.text()).toBe('(()=>{1})();');
    for (const header of [
      'content-type',
      'cache-control',
      'access-control-allow-origin',
      'cross-origin-resource-policy',
    ])
      expect(extras.headers.get(header)).toBe(tracker.headers.get(header));
    const etag = extras.headers.get('etag') as string;
    expect(etag).not.toBe(tracker.headers.get('etag'));
    expect((await routes.request('/loupe-x.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});
