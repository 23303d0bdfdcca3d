import type { LoupeEvent } from '@loupe/schema';
import type { SegmenterSource, SourceEvent, SourceIdentityLink, SourceScanOptions } from '../types.js';

const BOT_UA = /bot|crawl|spider|slurp|headless/i;

/** A wire event as the collector would store it (bots flagged by user agent). */
export function toSourceEvent(event: LoupeEvent): SourceEvent {
  const name =
    event.type === 'track'
      ? event.event
      : event.type === 'page' || event.type === 'screen'
        ? (event.name ?? null)
        : null;
  const payload: SourceEvent['payload'] = {};
  if ('properties' in event && event.properties) payload.properties = event.properties;
  if (event.context) payload.context = event.context;
  return {
    messageId: event.messageId,
    type: event.type,
    anonymousId: event.anonymousId ?? null,
    userId: event.userId ?? null,
    name,
    timestamp: event.timestamp ?? new Date(0).toISOString(),
    isBot: BOT_UA.test(event.context?.userAgent ?? ''),
    payload,
  };
}

/** An in-memory `SegmenterSource` over events in any order: it pages them in timestamp order. */
export function createMemorySource(events: readonly LoupeEvent[]): SegmenterSource {
  const rows = events.map(toSourceEvent).sort(byTimestamp);
  const links: SourceIdentityLink[] = [];
  for (const e of events) {
    const anonymousId = e.type === 'alias' ? e.previousId : e.anonymousId;
    const userId = e.userId;
    if (anonymousId && userId) links.push({ anonymousId, userId, at: e.timestamp ?? '' });
  }
  links.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    async *scanEvents(options: SourceScanOptions = {}) {
      const { since, pageSize = 5000 } = options;
      const selected = since ? rows.filter((r) => r.timestamp >= since) : rows;
      for (let i = 0; i < selected.length; i += pageSize) yield selected.slice(i, i + pageSize);
    },
    async *identityLinks() {
      for (let i = 0; i < links.length; i += 5000) yield links.slice(i, i + 5000);
    },
  };
}

/** ISO 8601 UTC timestamps sort as strings; plain comparison is much faster than localeCompare. */
function byTimestamp(a: { timestamp?: string }, b: { timestamp?: string }): number {
  const x = a.timestamp ?? '';
  const y = b.timestamp ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
