import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { siteRoutes } from './site.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-site-'));
const root = join(dir, 'shop');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>shop</title>');
writeFileSync(join(root, 'assets', 'shop.css'), 'body{}');
writeFileSync(join(root, '.env'), 'SECRET=1');
writeFileSync(join(dir, 'secret.txt'), 'outside the root');
symlinkSync(join(dir, 'secret.txt'), join(root, 'escape.txt'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const app = siteRoutes({ root });
const get = (path: string) => app.request(`http://shop.test${path}`);

describe('siteRoutes', () => {
  it('serves index.html at / and files with their content type', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<title>shop</title>');
    const css = await get('/assets/shop.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toBe('no-cache');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '//etc/passwd',
    '/.env',
    '/escape.txt',
    '/index.html%00.css',
    '/missing.html',
  ])('answers nothing for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('outside the root');
  });
});
