import type { SourceEvent } from '../types.js';

/** Google Analytics' and Segment's convention: 30 minutes without an event ends a visit. */
export const SESSION_GAP_MS = 30 * 60 * 1000;

/** What sessionizing needs to remember about the visit in progress. */
export interface SessionMark {
  start: number;
  last: number;
  /** `source/medium/name` of the campaign the visit came from, `''` for none. */
  campaign: string;
}

/** The campaign an event arrived with (`context.campaign`), `''` when it has none. */
export function campaignOf(event: Pick<SourceEvent, 'payload'>): string {
  const campaign = event.payload.context?.campaign;
  if (!campaign) return '';
  const { source = '', medium = '', name = '' } = campaign;
  return source || medium || name ? `${source}/${medium}/${name}` : '';
}

/**
 * Whether an event at `at` opens a new visit: none in progress, 30 minutes of inactivity, or a
 * different campaign (a click on a new ad is a new visit even mid-browse, as in Google Analytics).
 * An event from more than 30 minutes before the visit began (a late batch, history replayed into
 * live assignment) belongs to an earlier visit too, instead of stretching this one backwards.
 */
export function startsNewSession(
  session: SessionMark | null,
  at: number,
  campaign: string,
  gapMs: number = SESSION_GAP_MS,
): boolean {
  if (session === null) return true;
  if (at - session.last > gapMs) return true;
  if (session.start - at > gapMs) return true;
  return campaign !== '' && campaign !== session.campaign;
}
