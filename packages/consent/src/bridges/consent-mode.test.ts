// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createConsent } from '../create-consent.js';
import { bridgeConsentMode } from './consent-mode.js';

type W = { gtag?: unknown; dataLayer?: unknown[] };
afterEach(() => {
  delete (window as W).gtag;
  delete (window as W).dataLayer;
});

describe('bridgeConsentMode', () => {
  it('sends consent default first, all denied for an undecided visitor, then update on every decision', () => {
    const calls: unknown[][] = [];
    const consent = createConsent();
    bridgeConsentMode({ consent, gtag: (...args) => calls.push(args) });
    consent.grant(['analytics']);
    consent.grant(['marketing']);
    consent.revoke();
    expect(calls.map((c) => c[1])).toEqual(['default', 'update', 'update', 'update']);
    expect(calls[0]?.[2]).toEqual({
      analytics_storage: 'denied',
      personalization_storage: 'denied',
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      functionality_storage: 'granted',
      security_storage: 'granted',
      wait_for_update: 500,
    });
    expect(calls[1]?.[2]).toMatchObject({ analytics_storage: 'granted', ad_storage: 'denied' });
    expect(calls[2]?.[2]).toMatchObject({
      ad_storage: 'granted',
      ad_user_data: 'granted',
      ad_personalization: 'granted',
      personalization_storage: 'denied',
    });
    expect(calls[3]?.[2]).toMatchObject({ analytics_storage: 'denied', ad_storage: 'denied' });
  });

  it("queues Arguments objects on dataLayer with Google's snippet when the page has no gtag", () => {
    const consent = createConsent();
    bridgeConsentMode({ consent });
    consent.grant(['personalization']);
    const layer = (window as W).dataLayer as IArguments[];
    expect(layer).toHaveLength(2);
    expect(Object.prototype.toString.call(layer[0])).toBe('[object Arguments]');
    expect([...layer[0]!].slice(0, 2)).toEqual(['consent', 'default']);
    expect([...layer[1]!][2]).toMatchObject({ personalization_storage: 'granted' });
  });

  it('uses the page gtag when there is one', () => {
    const calls: unknown[] = [];
    (window as W).gtag = (...args: unknown[]) => calls.push(args);
    bridgeConsentMode({ consent: createConsent() });
    expect(calls).toHaveLength(1);
  });
});
