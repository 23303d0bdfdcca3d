import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { HttpError } from '../errors.js';
import { staticRoutes } from './static.js';

describe('GET /loupe-consent.js', () => {
  it('serves the consent banner bundle with an ETag, and 304 when it matches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-static-'));
    writeFileSync(join(dir, 'loupe-consent.js'), '(()=>{})();');
    const routes = staticRoutes({
      trackerBundlePath: join(dir, 'missing.js'),
      consentBundlePath: join(dir, 'loupe-consent.js'),
    });
    const response = await routes.request('/loupe-consent.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(await response.text()).toBe('(()=>{})();');
    const etag = response.headers.get('etag') as string;
    expect((await routes.request('/loupe-consent.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });

  it('answers 404 with a hint when the banner is not built', async () => {
    const app = new Hono();
    app.route('/', staticRoutes({ trackerBundlePath: '/nope/loupe.js', consentBundlePath: '/nope/loupe-consent.js' }));
    app.onError((error, c) => c.json({ code: (error as HttpError).code }, (error as HttpError).status));
    const response = await app.request('/loupe-consent.js');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'consent_banner_not_built' });
  });
});
