import { describe, expect, it, vi } from 'vitest';
import { createConsent } from './create-consent.js';
import type { ConsentChange } from './state.js';
import { createMemoryConsentStore, type ConsentStore } from './store.js';

function spyStore(initial: string | null = null) {
  const inner = createMemoryConsentStore(initial);
  const save = vi.fn(inner.save);
  const store: ConsentStore = { load: inner.load, save };
  return { store, save };
}

describe('createConsent', () => {
  it('starts undecided with only necessary on, and writes nothing', async () => {
    const { store, save } = spyStore();
    const consent = createConsent({ store });
    const state = await consent.ready;
    expect(state.decided).toBe(false);
    expect(state.categories).toEqual({ necessary: true, analytics: false, personalization: false, marketing: false });
    expect(consent.has('necessary')).toBe(true);
    expect(consent.has('analytics')).toBe(false);
    expect(save).not.toHaveBeenCalled();
  });

  it('applies defaults without counting them as a decision', async () => {
    const { store, save } = spyStore();
    const consent = createConsent({ store, defaults: ['analytics'] });
    await consent.ready;
    expect(consent.has('analytics')).toBe(true);
    expect(consent.get().decided).toBe(false);
    expect(save).not.toHaveBeenCalled();
  });

  it('grants the listed categories and keeps the others', () => {
    const consent = createConsent();
    consent.grant(['analytics']);
    expect(consent.get().categories).toMatchObject({ analytics: true, personalization: false, marketing: false });
    consent.grant({ marketing: true });
    expect(consent.get().categories).toMatchObject({ analytics: true, marketing: true });
  });

  it('grants every category when called without arguments', () => {
    const consent = createConsent();
    expect(consent.grant().categories).toEqual({
      necessary: true,
      analytics: true,
      personalization: true,
      marketing: true,
    });
  });

  it('stores the decision with its policy version once it is made', async () => {
    const { store, save } = spyStore();
    const consent = createConsent({ store, policyVersion: 'v2', now: () => Date.UTC(2024, 0, 1) });
    consent.deny(undefined, 'banner');
    expect(save).toHaveBeenCalledTimes(1);
    const stored = JSON.parse(save.mock.calls[0]?.[0] ?? '{}');
    expect(stored).toMatchObject({ v: 'v2', s: 'banner', t: '2024-01-01T00:00:00.000Z', c: { analytics: false } });
  });

  it('restores a stored decision for the same policy version', async () => {
    const first = createConsent({ store: createMemoryConsentStore(), policyVersion: 'v1' });
    first.grant(['analytics']);
    const raw = JSON.stringify({ v: 'v1', c: { analytics: true }, s: 'banner' });
    const consent = createConsent({ store: createMemoryConsentStore(raw), policyVersion: 'v1' });
    const state = await consent.ready;
    expect(state).toMatchObject({ decided: true, source: 'banner', categories: { analytics: true, marketing: false } });
  });

  it('asks again when the stored decision answers another policy version', async () => {
    const raw = JSON.stringify({ v: 'v1', c: { analytics: true } });
    const consent = createConsent({ store: createMemoryConsentStore(raw), policyVersion: 'v2' });
    expect((await consent.ready).decided).toBe(false);
    expect(consent.has('analytics')).toBe(false);
  });

  it('ignores a corrupt stored value', async () => {
    const consent = createConsent({ store: createMemoryConsentStore('{not json') });
    expect((await consent.ready).decided).toBe(false);
  });

  it('lets a decision made before the store answers win over the stored one', async () => {
    const raw = JSON.stringify({ v: '1', c: { analytics: true } });
    const consent = createConsent({ store: createMemoryConsentStore(raw) });
    consent.deny();
    await consent.ready;
    expect(consent.has('analytics')).toBe(false);
  });

  it('tells listeners which categories a revocation withdrew', () => {
    const consent = createConsent();
    const changes: ConsentChange[] = [];
    consent.onChange((change) => changes.push(change));
    consent.grant(['analytics', 'personalization']);
    consent.revoke();
    expect(changes.map((c) => c.reason)).toEqual(['grant', 'revoke']);
    expect(changes[0]?.withdrawn).toEqual([]);
    expect(changes[1]?.withdrawn).toEqual(['analytics', 'personalization']);
    expect(changes[1]?.state.categories.necessary).toBe(true);
  });

  it('stops calling a listener once unsubscribed', () => {
    const consent = createConsent();
    const listener = vi.fn();
    const off = consent.onChange(listener);
    consent.grant();
    off();
    consent.deny();
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('reports a throwing listener to onError and still notifies the others', () => {
    const onError = vi.fn();
    const consent = createConsent({ onError });
    const after = vi.fn();
    consent.onChange(() => {
      throw new Error('listener bug');
    });
    consent.onChange(after);
    expect(() => consent.grant()).not.toThrow();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'listener bug' }));
    expect(after).toHaveBeenCalled();
  });

  it('follows a decision saved by another page through the store subscription', async () => {
    let push: (value: string | null) => void = () => {};
    const store: ConsentStore = {
      load: async () => JSON.stringify({ v: '1', c: { analytics: true } }),
      save: async () => {},
      subscribe: (listener) => {
        push = listener;
        return () => {};
      },
    };
    const consent = createConsent({ store });
    await consent.ready;
    const listener = vi.fn();
    consent.onChange(listener);
    push(JSON.stringify({ v: '1', c: { analytics: false } }));
    expect(consent.has('analytics')).toBe(false);
    expect(listener.mock.calls[0]?.[0]).toMatchObject({ reason: 'restore', withdrawn: ['analytics'] });
  });

  it('lets bridges record their own source through update', () => {
    const consent = createConsent();
    const state = consent.update({ marketing: false }, { source: 'gpc' });
    expect(state).toMatchObject({ decided: true, source: 'gpc' });
  });
});

describe('createConsent: decision lifetime and record id', () => {
  const DAY = 86_400_000;

  it('gives each decision a record id and stores it with the decision', async () => {
    const store = createMemoryConsentStore();
    let n = 0;
    const consent = createConsent({ store, randomId: () => `rec-${++n}` });
    expect(consent.get().recordId).toBeUndefined();
    consent.grant(['analytics']);
    consent.revoke();
    expect(consent.get().recordId).toBe('rec-2');
    await Promise.resolve();
    expect(JSON.parse((await store.load()) ?? '{}')).toMatchObject({ r: 'rec-2', c: { analytics: false } });
  });

  it('asks again once a stored decision is older than 13 months', async () => {
    const made = Date.parse('2025-01-01T00:00:00.000Z');
    const raw = JSON.stringify({ v: '1', c: { analytics: true }, t: new Date(made).toISOString(), r: 'rec-1' });
    const fresh = createConsent({ store: createMemoryConsentStore(raw), now: () => made + 394 * DAY });
    expect(await fresh.ready).toMatchObject({ decided: true, recordId: 'rec-1' });
    const stale = createConsent({ store: createMemoryConsentStore(raw), now: () => made + 396 * DAY });
    expect((await stale.ready).decided).toBe(false);
    expect(stale.has('analytics')).toBe(false);
  });
});
