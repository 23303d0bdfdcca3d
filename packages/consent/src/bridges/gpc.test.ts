// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createConsent } from '../create-consent.js';
import { createMemoryConsentStore } from '../store.js';
import { applyGpc } from './gpc.js';
import type { AppliedSignal } from './signal.js';

function setGpc(value: unknown) {
  Object.defineProperty(navigator, 'globalPrivacyControl', { value, configurable: true });
}
afterEach(() => setGpc(undefined));

describe('applyGpc', () => {
  it('denies marketing and personalization without a prompt when navigator.globalPrivacyControl is true, and records why', async () => {
    setGpc(true);
    const store = createMemoryConsentStore();
    const consent = createConsent({ store });
    const signals: AppliedSignal[] = [];
    await applyGpc({ consent, onSignal: (s) => signals.push(s) });
    expect(consent.get()).toMatchObject({
      decided: true,
      source: 'gpc',
      categories: { analytics: false, personalization: false, marketing: false },
    });
    expect(signals).toEqual([{ name: 'gpc', value: '1', effect: 'marketing, personalization off because GPC=1' }]);
    expect(await store.load()).toBeNull();
  });

  it('does nothing without the signal', async () => {
    const consent = createConsent();
    expect(await applyGpc({ consent })).toBeNull();
    expect(consent.get().decided).toBe(false);
  });

  it("leaves the visitor's own stored choice standing, and says so", async () => {
    setGpc(true);
    const raw = JSON.stringify({ v: '1', c: { analytics: true, marketing: true }, t: new Date().toISOString() });
    const consent = createConsent({ store: createMemoryConsentStore(raw) });
    const signal = await applyGpc({ consent });
    expect(consent.has('marketing')).toBe(true);
    expect(signal?.effect).toMatch(/own choice/);
  });

  it('applies a configured policy', async () => {
    setGpc(true);
    const consent = createConsent({ defaults: ['analytics', 'personalization', 'marketing'] });
    await applyGpc({ consent, denies: ['marketing'] });
    expect(consent.get().categories).toMatchObject({ analytics: true, personalization: true, marketing: false });
  });

  it('treats Do Not Track as a deny signal when asked to, never as consent', async () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    const consent = createConsent();
    expect(await applyGpc({ consent })).toBeNull();
    const signal = await applyGpc({ consent, doNotTrack: true });
    expect(signal).toMatchObject({ name: 'dnt' });
    expect(consent.has('analytics')).toBe(false);
    Object.defineProperty(navigator, 'doNotTrack', { value: null, configurable: true });
  });
});
