import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const BUNDLE = fileURLToPath(new URL('../../dist/loupe-consent.js', import.meta.url));
/** The budget: the banner, its CSS and the bridges, minified and gzipped. */
const BUDGET = 8 * 1024;

describe('loupe-consent.js', () => {
  it('is built (npm run build) and at most 8 KB gzipped with its CSS', () => {
    expect(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build`).toBe(true);
    const code = readFileSync(BUNDLE);
    const size = gzipSync(code, { level: 9 }).length;
    expect(code.toString()).toContain('.lc-dialog{');
    expect(size).toBeLessThanOrEqual(BUDGET);
  });
});
