import { describe, expect, it } from 'vitest';
import { consentGateCost } from '../../bench/consent/gate-size.js';

describe('the consent gate inside loupe.js', () => {
  it('costs at most 1 KB gzip (loupe.js built with and without @loupe/consent)', async () => {
    const { gate, full, stubbed } = (await consentGateCost()) as { gate: number; full: number; stubbed: number };
    expect(full).toBeGreaterThan(stubbed);
    expect(gate).toBeLessThanOrEqual(1024);
  }, 120_000);
});
