import type { Segment, Tracker } from '../core/types.js';

/** The tracker's segment as an external store for `useSyncExternalStore`. */
export interface SegmentStore {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): Segment | null;
}

export function segmentStore(tracker: Pick<Tracker, 'segment' | 'onSegment'>): SegmentStore {
  return {
    subscribe: (onChange) => tracker.onSegment(() => onChange()),
    // The tracker hands out the same object until the segment changes, as React requires of a snapshot.
    getSnapshot: () => tracker.segment(),
  };
}
