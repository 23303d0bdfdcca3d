import type { QueuedEvent } from './platform.js';

/** UTF-8 byte length without TextEncoder (not in every runtime the core targets). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface Batch {
  /** Keys of the events in `body`, in order: index i of the collector's answer is keys[i]. */
  keys: number[];
  /** Keys of events over the per-event limit: never sendable, to drop. */
  oversize: number[];
  body: string;
}

export interface BatchLimits {
  maxEventBytes: number;
  maxBodyBytes: number;
}

/** Serializes queued events, oldest first, into one request body within the collector's limits. */
export function buildBatch(entries: readonly QueuedEvent[], envelope: Record<string, unknown>, limits: BatchLimits): Batch {
  const tail = JSON.stringify(envelope).slice(1);
  const keys: number[] = [];
  const oversize: number[] = [];
  const parts: string[] = [];
  let bytes = utf8Length(tail) + 12;
  for (const { key, event } of entries) {
    const json = JSON.stringify(event);
    const size = utf8Length(json);
    if (size > limits.maxEventBytes) {
      oversize.push(key);
      continue;
    }
    if (keys.length > 0 && bytes + size + 1 > limits.maxBodyBytes) break;
    keys.push(key);
    parts.push(json);
    bytes += size + 1;
  }
  return { keys, oversize, body: `{"batch":[${parts.join(',')}],${tail}` };
}
