// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { createConsent } from '../create-consent.js';
import type { AppliedSignal } from './signal.js';
import { categoriesFromTcfKeys, readTcf, type TcData } from './tcf.js';

type Listener = (data: TcData, success: boolean) => void;

/** A CMP stub: `__tcfapi` that remembers listeners, and `emit` to send them TC data. */
function installCmp() {
  const listeners: Listener[] = [];
  const removed: unknown[] = [];
  (window as { __tcfapi?: unknown }).__tcfapi = (
    command: string,
    _version: number,
    callback: Listener,
    parameter?: unknown,
  ) => {
    if (command === 'addEventListener') listeners.push(callback);
    if (command === 'removeEventListener') removed.push(parameter);
  };
  const emit = (data: TcData) => {
    for (const l of listeners) l({ listenerId: 7, cmpId: 300, gdprApplies: true, ...data }, true);
  };
  return { emit, removed };
}
const purposes = (...granted: number[]) => Object.fromEntries(granted.map((n) => [String(n), true]));

afterEach(() => {
  delete (window as { __tcfapi?: unknown }).__tcfapi;
});

describe('readTcf', () => {
  it('maps purpose consents onto categories once the visitor acts in the CMP, and records the signal', () => {
    const { emit } = installCmp();
    const consent = createConsent();
    const signals: AppliedSignal[] = [];
    readTcf({ consent, onSignal: (s) => signals.push(s) });
    emit({ eventStatus: 'cmpuishown' });
    expect(consent.get().decided).toBe(false);
    emit({ eventStatus: 'useractioncomplete', purpose: { consents: purposes(1, 8, 9, 5) } });
    expect(consent.get()).toMatchObject({
      source: 'tcf',
      categories: { analytics: true, personalization: false, marketing: false },
    });
    expect(signals[0]).toEqual({
      name: 'tcf',
      value: 'cmp:300',
      effect: 'analytics on, personalization off, marketing off from TCF purposes',
    });
  });

  it('grants nothing without purpose 1 (storage on the device)', () => {
    const { emit } = installCmp();
    const consent = createConsent();
    readTcf({ consent });
    emit({ eventStatus: 'tcloaded', purpose: { consents: purposes(2, 3, 4, 5, 6, 7, 8, 9) } });
    expect(consent.get().categories).toMatchObject({ analytics: false, personalization: false, marketing: false });
  });

  it('follows a withdrawal made later in the CMP', () => {
    const { emit } = installCmp();
    const consent = createConsent();
    readTcf({ consent });
    emit({ eventStatus: 'tcloaded', purpose: { consents: purposes(1, 2, 3, 4, 5, 6, 7, 8, 9) } });
    expect(consent.has('marketing')).toBe(true);
    emit({ eventStatus: 'useractioncomplete', purpose: { consents: purposes(1, 8, 9) } });
    expect(consent.get().categories).toMatchObject({ analytics: true, marketing: false, personalization: false });
  });

  it('leaves consent alone where GDPR does not apply, and stops listening when asked', () => {
    const { emit, removed } = installCmp();
    const consent = createConsent();
    const stop = readTcf({ consent });
    emit({ eventStatus: 'tcloaded', gdprApplies: false, purpose: { consents: purposes(1, 8, 9) } });
    expect(consent.get().decided).toBe(false);
    stop();
    expect(removed).toEqual([7]);
  });

  it('reads the publisher purposes when configured for first-party use', () => {
    const { emit } = installCmp();
    const consent = createConsent();
    readTcf({ consent, publisher: true });
    emit({ eventStatus: 'tcloaded', purpose: { consents: {} }, publisher: { consents: purposes(1, 8, 9) } });
    expect(consent.has('analytics')).toBe(true);
  });
});

describe('categoriesFromTcfKeys (IABTCF_* keys on mobile)', () => {
  it('reads IABTCF_PurposeConsents as one bit per purpose', () => {
    const keys: Record<string, string | number> = { IABTCF_gdprApplies: 1, IABTCF_PurposeConsents: '11110111100' };
    expect(categoriesFromTcfKeys((k) => keys[k])).toEqual({ analytics: true, personalization: false, marketing: true });
    expect(categoriesFromTcfKeys(() => null)).toBeNull();
  });
});
