import type { QueuedEvent } from './platform.js';

export interface Batch {
  /** The entries in `body`, oldest first: index i of the collector's answer is sent[i]. */
  sent: QueuedEvent[];
  body: string;
}

/**
 * Serializes queued events into one request body of at most `maxChars` UTF-16 units (callers
 * divide a byte limit by 3, the most UTF-8 bytes one unit takes, so no encoder is needed).
 */
export function buildBatch(
  entries: readonly QueuedEvent[],
  envelope: Record<string, unknown>,
  maxChars: number,
): Batch {
  // `{"batch":0,…}` without its first 10 characters: `,"sentAt":…}`, or `}` for an empty envelope.
  let body = JSON.stringify({ batch: 0, ...envelope }).slice(10);
  const parts: string[] = [];
  let size = body.length + 12;
  for (const { event } of entries) {
    const json = JSON.stringify(event);
    size += json.length + 1;
    if (parts.length > 0 && size > maxChars) break;
    parts.push(json);
  }
  body = `{"batch":[${parts}]${body}`;
  return { sent: entries.slice(0, parts.length), body };
}
