/** Limits shared by the tracker (to batch within them) and the collector (to enforce them). */
export const LIMITS = {
  /** Segment's own per-event limit. */
  maxEventBytes: 32 * 1024,
  /** Segment's own per-request limit. */
  maxRequestBytes: 500 * 1024,
  maxBatchEvents: 2500,
  maxMessageIdLength: 100,
  /** Captured element text is cut to this many characters. */
  maxCapturedTextLength: 100,
} as const;
