import type { ProfileRecord } from './model.js';
import { nearestCentroid } from './metrics/nearest.js';
import { applyEvent, computeFeatures, createProfileState, type ProfileState } from './stages/features.js';
import { applyTransform } from './stages/transform.js';
import type { StoredProfile, StoredRun } from './store.js';
import type { SourceEvent } from './types.js';

/** Share of bot-flagged events that makes a live profile a bot (as in the full run). */
const BOT_SHARE = 0.5;

/**
 * Live assignment between runs: folds a profile's new events into its stored accumulators,
 * recomputes its features and puts it in the segment of the nearest centroid of the last run.
 * Returns null when there is nothing to assign (no ids, no events).
 */
export function assignLive(
  previous: StoredProfile | null,
  events: readonly SourceEvent[],
  latest: StoredRun | null,
  now: string,
): ProfileRecord | null {
  const first = events[0];
  if (!first) return null;
  const ordered = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  const userId = previous?.userId ?? ordered.find((e) => e.userId)?.userId ?? null;
  const anonymousId = ordered.find((e) => e.anonymousId)?.anonymousId ?? null;
  const key = previous?.key ?? (userId ? `u:${userId}` : anonymousId ? `a:${anonymousId}` : null);
  if (key === null) return null;

  const state: ProfileState = previous
    ? (JSON.parse(JSON.stringify(previous.state)) as ProfileState)
    : createProfileState(Date.parse(ordered[0]?.timestamp ?? now));
  for (const event of ordered) applyEvent(state, event);
  const nowMs = Math.max(Date.parse(now), state.last);
  const features = computeFeatures(state, nowMs);
  const anonymousIds = new Set(previous?.anonymousIds ?? []);
  for (const e of ordered) if (e.anonymousId) anonymousIds.add(e.anonymousId);

  const isBot = state.events > 0 && state.botEvents / state.events >= BOT_SHARE;
  const anomaly = isBot
    ? { reason: 'bot-user-agent' as const, score: previous?.anomaly?.score ?? 1 }
    : (previous?.anomaly ?? null);
  let segmentId: string | null = null;
  if (latest && latest.segments.length > 0 && anomaly === null) {
    const vector = applyTransform(latest.run.model, features);
    const { index } = nearestCentroid(
      vector,
      latest.segments.map((s) => s.centroid),
    );
    segmentId = latest.segments[index]?.id ?? null;
  }
  return {
    key,
    userId,
    anonymousIds: [...anonymousIds].sort(),
    features,
    segmentId,
    rfm: previous?.rfm ?? null,
    anomaly,
    state,
    updatedAt: now,
  };
}
