import type { EventContext, EventType } from '@loupe/schema';

/** The fields of a stored event the segmenter reads. The collector's `StoredEvent` satisfies it. */
export interface SourceEvent {
  messageId: string;
  type: EventType;
  anonymousId: string | null;
  userId: string | null;
  /** `event` for track, `name` for page and screen. */
  name: string | null;
  /** ISO 8601. */
  timestamp: string;
  isBot: boolean;
  payload: { properties?: Record<string, unknown>; context?: EventContext };
}

/** An anonymous id joined to a user id by identify, alias or an event carrying both. */
export interface SourceIdentityLink {
  anonymousId: string;
  userId: string;
  at: string;
}

export interface SourceScanOptions {
  since?: string;
  writeKey?: string;
  pageSize?: number;
}

/**
 * Where the segmenter reads from: events one page at a time in timestamp order, identity links first.
 * The collector's `Store` satisfies it structurally.
 */
export interface SegmenterSource {
  scanEvents(options?: SourceScanOptions): AsyncIterable<SourceEvent[]>;
  /**
   * The same events as `scanEvents`, projected to what the segmenter reads: the payload holds only
   * `context.campaign` and the properties of scroll-depth, order and refund events, and `messageId`
   * is empty. Stores implement it to skip decoding whole payloads; the pipeline uses it when present.
   */
  scanSourceEvents?(options?: SourceScanOptions): AsyncIterable<SourceEvent[]>;
  identityLinks(): AsyncIterable<SourceIdentityLink[]>;
}
