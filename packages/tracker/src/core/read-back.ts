import type { ProfileResponse, SegmentRef } from '@loupe/schema';
import type { Cancel, KeyValueStore, TransportResponse } from './platform.js';
import type { Segment } from './types.js';

export interface ReadBack {
  /** undefined while not known yet. */
  get(): Segment | null | undefined;
  /** A segment from a batch answer or the profile route; `cache` persists it for the next page. */
  set(segment: SegmentRef | null, cache: boolean): void;
  /** Shows the cached segment at once, then asks the collector. */
  refresh(fetchProfile: () => Promise<TransportResponse>): Promise<void>;
  onChange(listener: (segment: Segment | null) => void): Cancel;
}

const toSegment = (value: unknown): Segment | null => {
  const ref = value as Partial<SegmentRef> | null;
  return ref && typeof ref.id === 'string' ? { id: ref.id, name: String(ref.name ?? ref.id) } : null;
};

/** The client side of segment read-back: the visitor's segment, cached, and who wants to know. */
export function createReadBack(kv: KeyValueStore, onError: (error: unknown) => void): ReadBack {
  let current: Segment | null | undefined;
  const listeners = new Set<(segment: Segment | null) => void>();

  const set = (value: unknown, cache: boolean) => {
    const next = toSegment(value);
    if (cache) (next ? kv.set('segment', JSON.stringify(next)) : kv.remove('segment')).catch(onError);
    if (current !== undefined && current?.id === next?.id && current?.name === next?.name) return;
    current = next;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        onError(error);
      }
    }
  };

  return {
    get: () => current,
    set,
    async refresh(fetchProfile) {
      const cached = await kv.get('segment').catch(() => null);
      if (cached && current === undefined) {
        try {
          set(JSON.parse(cached), false);
        } catch {
          // A corrupt cache is replaced by the answer below.
        }
      }
      const response = await fetchProfile();
      if (response.status === 200) set((response.body as Partial<ProfileResponse> | null)?.segment ?? null, true);
      else if (current === undefined) set(null, false);
    },
    onChange(listener) {
      listeners.add(listener);
      if (current !== undefined) listener(current);
      return () => listeners.delete(listener);
    },
  };
}
