import { applyEvent, createProfileState, observeSessionEnd, type ProfileState } from './stages/features.js';
import { createFunnelCounter, type Funnel } from './stages/funnel.js';
import { createIdentityGraph, type IdentityGraph } from './stages/stitch.js';
import type { SegmenterSource, SourceScanOptions } from './types.js';

export interface ProfileAccumulator {
  key: string;
  userId: string | null;
  anonymousIds: Set<string>;
  state: ProfileState;
}

export interface Accumulated {
  profiles: Map<string, ProfileAccumulator>;
  funnel: Funnel;
  events: number;
  /** Timestamp (ms) of the last event seen. */
  lastAt: number;
}

export interface AccumulateOptions extends SourceScanOptions {
  onProgress?: (events: number) => void;
}

/** Reads identity links into a union-find graph: they are few next to events, and read first. */
export async function readIdentityGraph(source: Pick<SegmenterSource, 'identityLinks'>): Promise<IdentityGraph> {
  const graph = createIdentityGraph();
  for await (const page of source.identityLinks()) for (const link of page) graph.link(link);
  return graph;
}

/**
 * Streams the events page by page into per-profile accumulators: memory grows with profiles, never
 * with events. Each event goes to the root profile of its ids.
 */
export async function accumulate(source: SegmenterSource, options: AccumulateOptions = {}): Promise<Accumulated> {
  const { onProgress, ...scan } = options;
  const graph = await readIdentityGraph(source);
  const funnel = createFunnelCounter();
  const profiles = new Map<string, ProfileAccumulator>();
  let events = 0;
  let lastAt = Number.NEGATIVE_INFINITY;
  const pages = source.scanSourceEvents ? source.scanSourceEvents(scan) : source.scanEvents(scan);
  for await (const page of pages) {
    for (const event of page) {
      const key = graph.profileKey(event);
      if (key === null) continue;
      const at = Date.parse(event.timestamp);
      if (Number.isNaN(at)) continue;
      let profile = profiles.get(key);
      if (!profile) {
        profile = {
          key,
          userId: key.startsWith('u:') ? key.slice(2) : null,
          anonymousIds: new Set(),
          state: createProfileState(at),
        };
        profiles.set(key, profile);
      }
      if (event.anonymousId) profile.anonymousIds.add(event.anonymousId);
      applyEvent(profile.state, event, funnel);
      events += 1;
      if (at > lastAt) lastAt = at;
    }
    onProgress?.(events);
  }
  // Visits still open at the end count in the funnel but stay open in the state, so live
  // assignment can extend them.
  for (const p of profiles.values()) if (p.state.session) observeSessionEnd(p.state.session, funnel);
  return { profiles, funnel: funnel.result(), events, lastAt };
}
