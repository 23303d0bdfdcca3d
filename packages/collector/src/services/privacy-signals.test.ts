import { describe, expect, it } from 'vitest';
import { applyGpcPolicy, consentAllows, hasGpcHeader } from './privacy-signals.js';

const all = { necessary: true, analytics: true, personalization: true, marketing: true };

describe('consentAllows', () => {
  it('allows a category only when it is explicitly true', () => {
    expect(consentAllows({ personalization: true }, 'personalization')).toBe(true);
    expect(consentAllows({ personalization: false }, 'personalization')).toBe(false);
    expect(consentAllows({ analytics: true }, 'personalization')).toBe(false);
    expect(consentAllows(undefined, 'personalization')).toBe(false);
    expect(consentAllows(null, 'necessary')).toBe(true);
  });
});

describe('hasGpcHeader', () => {
  it('reads Sec-GPC: 1 and nothing else', () => {
    expect(hasGpcHeader('1')).toBe(true);
    expect(hasGpcHeader(' 1 ')).toBe(true);
    expect(hasGpcHeader('0')).toBe(false);
    expect(hasGpcHeader(undefined)).toBe(false);
  });
});

describe('applyGpcPolicy', () => {
  it('turns the policy categories off and records what it changed', () => {
    const { effective, signals } = applyGpcPolicy(all, [], true, ['marketing', 'personalization']);
    expect(effective).toEqual({ necessary: true, analytics: true, personalization: false, marketing: false });
    expect(signals).toEqual([
      { name: 'gpc-header', value: '1', effect: 'marketing, personalization off because Sec-GPC: 1' },
    ]);
  });

  it('changes nothing without the header', () => {
    expect(applyGpcPolicy(all, [{ name: 'tcf', value: 'x' }], false, ['marketing'])).toEqual({
      effective: all,
      signals: [{ name: 'tcf', value: 'x' }],
    });
  });

  it('never turns necessary off', () => {
    expect(applyGpcPolicy(all, [], true, ['necessary']).effective.necessary).toBe(true);
  });
});
