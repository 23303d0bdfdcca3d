/**
 * Serializes events into one request body of at most `maxChars` UTF-16 units (callers divide a
 * byte limit by 3, the most UTF-8 bytes one unit takes, so no encoder is needed). Returns the body
 * and how many of `events`, oldest first, it holds: index i of the collector's answer is events[i].
 * At least one event goes in, however large (the collector answers 413 and it is dropped).
 */
export function buildBatch(
  events: readonly unknown[],
  envelope: Record<string, unknown>,
  maxChars: number,
): [body: string, count: number] {
  // `{"batch":0,…}` without its first 10 characters: `,"sentAt":…}`, or `}` for an empty envelope.
  const tail = JSON.stringify({ batch: 0, ...envelope }).slice(10);
  const parts: string[] = [];
  let size = tail.length + 12;
  for (const event of events) {
    const json = JSON.stringify(event);
    if ((size += json.length + 1) > maxChars && parts[0]) break;
    parts.push(json);
  }
  return [`{"batch":[${parts}]${tail}`, parts.length];
}
