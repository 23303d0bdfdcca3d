import type { ProfileResponse, SegmentRef } from '@loupe/schema';
import { createEmitter } from './emitter.js';
import type { Cancel, KeyValueStore, TransportResponse } from './platform.js';
import { readJson } from './stored-json.js';
import type { Segment } from './types.js';

export interface ReadBack {
  /** undefined while not known yet. */
  get(): Segment | null | undefined;
  /** A segment from a batch answer or the profile route; `cache` keeps it for the next page. */
  set(segment: SegmentRef | null, cache: boolean): void;
  /** Shows the cached segment at once, then the collector's answer to `profile` (GET /v1/profile). */
  refresh(profile: Promise<TransportResponse>): Promise<void>;
  /** Called with the segment once known and on every change. */
  onChange(listener: (segment: Segment | null) => void): Cancel;
}

/** The client side of segment read-back: the visitor's segment, cached, and who wants to know. */
export function createReadBack(kv: KeyValueStore, report: (error: unknown) => void): ReadBack {
  let current: Segment | null | undefined;
  const changed = createEmitter<Segment | null>(report);

  const set = (value: Partial<SegmentRef> | null | undefined, cache: boolean) => {
    const next = typeof value?.id === 'string' ? { id: value.id, name: String(value.name ?? value.id) } : null;
    if (cache) kv.set('segment', JSON.stringify(next)).catch(report);
    if (current === undefined || JSON.stringify(next) !== JSON.stringify(current)) changed.emit((current = next));
  };

  return {
    get: () => current,
    set,
    async refresh(profile) {
      // A corrupt or unreadable cache reads as none: the answer below replaces it.
      const cached = await readJson(kv, 'segment');
      if (cached && current === undefined) set(cached, false);
      const { status, body } = await profile;
      if (status === 200) set((body as Partial<ProfileResponse> | null)?.segment, true);
      else if (current === undefined) set(null, false);
    },
    onChange(listener) {
      if (current !== undefined) listener(current);
      return changed.on(listener);
    },
  };
}
