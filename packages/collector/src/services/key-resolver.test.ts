import { describe, expect, it } from 'vitest';
import type { KeyStore, NewWriteKey, WriteKey } from '../storage/types.js';
import { createKeyResolver, originAllowed } from './key-resolver.js';

function key(id: string, origins: string[]): WriteKey {
  return {
    key: id,
    name: null,
    origins,
    requireConsent: false,
    retentionDays: 30,
    createdAt: '2024-01-01T00:00:00.000Z',
  };
}

function countingStore(initial: WriteKey[]) {
  const keys = new Map(initial.map((k) => [k.key, k]));
  const calls = { get: 0, list: 0 };
  const store: KeyStore = {
    async createKey(input: NewWriteKey) {
      const k = key(input.key ?? `wk_${keys.size}`, input.origins);
      keys.set(k.key, k);
      return k;
    },
    async getKey(id) {
      calls.get++;
      return keys.get(id) ?? null;
    },
    async listKeys() {
      calls.list++;
      return [...keys.values()];
    },
  };
  return { store, calls };
}

describe('originAllowed', () => {
  it('allows requests without an Origin (server libraries), listed origins, and any origin for *', () => {
    expect(originAllowed(key('k', ['https://shop.example']), undefined)).toBe(true);
    expect(originAllowed(key('k', ['https://shop.example']), 'https://shop.example')).toBe(true);
    expect(originAllowed(key('k', ['https://shop.example']), 'https://evil.example')).toBe(false);
    expect(originAllowed(key('k', ['https://shop.example']), 'https://shop.example.evil.example')).toBe(false);
    expect(originAllowed(key('k', ['*']), 'https://anything.example')).toBe(true);
  });
});

describe('createKeyResolver', () => {
  it('reads a known key from the store once within the cache lifetime', async () => {
    let t = 0;
    const { store, calls } = countingStore([key('wk_a', ['*'])]);
    const resolver = createKeyResolver(store, { ttlMs: 5000, now: () => t });
    expect((await resolver.get('wk_a'))?.key).toBe('wk_a');
    t = 4999;
    await resolver.get('wk_a');
    expect(calls.get).toBe(1);
    t = 5000;
    await resolver.get('wk_a');
    expect(calls.get).toBe(2);
  });

  it('finds a key created after an unknown-key miss once the shorter miss lifetime passes', async () => {
    let t = 0;
    const { store } = countingStore([]);
    const resolver = createKeyResolver(store, { ttlMs: 5000, missTtlMs: 1000, now: () => t });
    expect(await resolver.get('wk_new')).toBeNull();
    await store.createKey({ key: 'wk_new', origins: ['*'] });
    t = 999;
    expect(await resolver.get('wk_new')).toBeNull();
    t = 1000;
    expect((await resolver.get('wk_new'))?.key).toBe('wk_new');
  });

  it('answers preflights for an origin any key allows, and learns new origins after the cache lifetime', async () => {
    let t = 0;
    const { store, calls } = countingStore([key('wk_a', ['https://a.example']), key('wk_b', ['https://b.example'])]);
    const resolver = createKeyResolver(store, { ttlMs: 5000, now: () => t });
    expect(await resolver.anyKeyAllows('https://a.example')).toBe(true);
    expect(await resolver.anyKeyAllows('https://b.example')).toBe(true);
    expect(await resolver.anyKeyAllows('https://c.example')).toBe(false);
    expect(calls.list).toBe(1);
    await store.createKey({ key: 'wk_c', origins: ['https://c.example'] });
    t = 5000;
    expect(await resolver.anyKeyAllows('https://c.example')).toBe(true);
  });

  it('allows any origin once a key allows *', async () => {
    const { store } = countingStore([key('wk_any', ['*'])]);
    const resolver = createKeyResolver(store);
    expect(await resolver.anyKeyAllows('https://whatever.example')).toBe(true);
  });

  it('keeps answering under a flood of distinct unknown keys', async () => {
    const { store } = countingStore([key('wk_a', ['*'])]);
    const resolver = createKeyResolver(store);
    for (let i = 0; i < 12_000; i++) await resolver.get(`wk_guess_${i}`);
    expect((await resolver.get('wk_a'))?.key).toBe('wk_a');
  });
});
