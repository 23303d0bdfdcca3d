import { describe, expect, it } from 'vitest';
import type { Decision } from './consent-records.js';
import { createSegmentGate } from './segment-gate.js';

const decided = (personalization: boolean): Decision => ({
  necessary: true,
  analytics: true,
  personalization,
  marketing: false,
});

function gate(current: Decision | null) {
  return createSegmentGate({ records: { current: async () => current } });
}

const strict = { key: 'wk_strict', requireConsent: true };
const lax = { key: 'wk_lax', requireConsent: false };

describe('segment gate', () => {
  it('serves no segment for a --require-consent key without personalization consent', async () => {
    expect(await gate(null).allows({ key: strict, anonymousId: 'a', gpc: false })).toBe(false);
    expect(await gate(decided(false)).allows({ key: strict, anonymousId: 'a', gpc: false })).toBe(false);
    expect(await gate(decided(true)).allows({ key: strict, anonymousId: 'a', gpc: false })).toBe(true);
  });

  it('serves none under Sec-GPC: 1, whatever was granted', async () => {
    expect(await gate(decided(true)).allows({ key: strict, anonymousId: 'a', gpc: true })).toBe(false);
    expect(await gate(null).allows({ key: lax, anonymousId: 'a', gpc: true })).toBe(false);
  });

  it('serves one for a key without the flag unless personalization was withdrawn', async () => {
    expect(await gate(null).allows({ key: lax, anonymousId: 'a', gpc: false })).toBe(true);
    expect(await gate(decided(false)).allows({ key: lax, anonymousId: 'a', gpc: false })).toBe(false);
  });
});
