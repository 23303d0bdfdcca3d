import { describe, expect, it } from 'vitest';
import { createIdentityGraph } from './stitch.js';

describe('identity stitching', () => {
  it('joins an anonymous id to the user id it identified as', () => {
    const graph = createIdentityGraph();
    graph.link({ anonymousId: 'a1', userId: 'alice' });
    expect(graph.profileKey({ anonymousId: 'a1' })).toBe('u:alice');
    expect(graph.profileKey({ userId: 'alice' })).toBe('u:alice');
  });

  it('joins several devices of one person into one profile', () => {
    const graph = createIdentityGraph();
    graph.link({ anonymousId: 'laptop', userId: 'bob' });
    graph.link({ anonymousId: 'phone', userId: 'bob' });
    expect(graph.profileKey({ anonymousId: 'laptop' })).toBe(graph.profileKey({ anonymousId: 'phone' }));
  });

  it('never merges two distinct user ids through a shared device', () => {
    const graph = createIdentityGraph();
    expect(graph.link({ anonymousId: 'kiosk', userId: 'carol' })).toBe(true);
    expect(graph.link({ anonymousId: 'kiosk', userId: 'dave' })).toBe(false);
    expect(graph.profileKey({ userId: 'carol' })).toBe('u:carol');
    expect(graph.profileKey({ userId: 'dave' })).toBe('u:dave');
    expect(graph.profileKey({ anonymousId: 'kiosk' })).toBe('u:carol');
  });

  it('keys unlinked anonymous visitors by their anonymous id', () => {
    const graph = createIdentityGraph();
    expect(graph.profileKey({ anonymousId: 'x' })).toBe('a:x');
    expect(graph.profileKey({})).toBeNull();
  });

  it('follows chains of links transitively', () => {
    const graph = createIdentityGraph();
    graph.link({ anonymousId: 'a1', userId: 'erin' });
    graph.link({ anonymousId: 'a2', userId: 'erin' });
    graph.link({ anonymousId: 'a3', userId: 'erin' });
    expect(new Set(['a1', 'a2', 'a3'].map((a) => graph.profileKey({ anonymousId: a })))).toEqual(new Set(['u:erin']));
  });
});
