import { describe, expect, it } from 'vitest';
import type { Segment } from '../core/types.js';
import { segmentStore } from './segment-store.js';

function fakeTracker() {
  let segment: Segment | null = null;
  const listeners = new Set<(segment: Segment | null) => void>();
  return {
    segment: () => segment,
    onSegment(listener: (segment: Segment | null) => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    set(next: Segment | null) {
      segment = next;
      for (const listener of listeners) listener(next);
    },
    listeners,
  };
}

describe('segmentStore', () => {
  it('tells subscribers when the segment changes and hands out the same snapshot until then', () => {
    const tracker = fakeTracker();
    const store = segmentStore(tracker);
    let changes = 0;
    const unsubscribe = store.subscribe(() => changes++);
    expect(store.getSnapshot()).toBeNull();
    tracker.set({ id: 'power-users', name: 'Power users' });
    expect(changes).toBe(1);
    expect(store.getSnapshot()).toBe(store.getSnapshot());
    expect(store.getSnapshot()).toEqual({ id: 'power-users', name: 'Power users' });
    unsubscribe();
    expect(tracker.listeners.size).toBe(0);
  });
});
