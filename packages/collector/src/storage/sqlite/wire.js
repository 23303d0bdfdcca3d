// Plain JavaScript on purpose: the writer and indexer worker threads load it as it is, from src/
// under the tests and from dist/ in production. Types are checked through JSDoc.
//
// How the rows of one commit group cross to the writer thread: a few texts, each kept whole as an
// ingest-log entry and read back by the indexer, plus their (writeKey, messageId) pairs apart,
// which is all the acknowledging writer reads. A group is one entry or, past MAX_ENTRY_CHARS,
// several, committed in one transaction. Each text is a JSON header (each row's
// indexed columns, the identity links) and then each payload's JSON on a line of its own:
// JSON.stringify never writes a raw newline, so the payloads split apart again without being
// parsed and serialized a second time. One stringify per event, on the thread that answers
// requests, is the least that thread can do.

/**
 * A row as the insert binds it: the indexed columns, then the payload as JSON text.
 * @typedef {[writeKey: string, messageId: string, type: string, anonymousId: string | null, userId: string | null,
 *   name: string | null, ts: string, receivedAt: string, sessionId: string | null, ip: string | null, isBot: number,
 *   payload: string]} EventTuple
 */

/**
 * An identity link a row establishes once inserted, as [rowIndex, anonymousId, userId, at].
 * @typedef {[row: number, anonymousId: string, userId: string, at: string]} LinkTuple
 */

/**
 * @typedef {{writeKey: string, messageId: string, type: string, anonymousId: string | null, userId: string | null,
 *   name: string | null, timestamp: string, receivedAt: string, sessionId: string | null, ip: string | null,
 *   isBot: boolean, payload: object}} WireEvent
 */

/**
 * The most UTF-16 units one log entry's text is let grow to before the group goes on in another
 * entry. V8 puts every string over 128 KiB in a large-object page of its own, mapped fresh and
 * zeroed by the kernel on first touch: a group's text as one string (~300 KB for 470 rows) paid
 * that three times, flattened for postMessage, deserialized in the writer and read back by the
 * indexer, and those page faults were a tenth of ingest's CPU. 60,000 units stay under the
 * threshold even as a two-byte string. A single payload may be larger (up to the 32 KB event
 * limit and what enrichment adds); its entry then holds it alone, which is only slower.
 */
export const MAX_ENTRY_CHARS = 60_000;

/** What a row's header adds to its entry beyond its string fields: brackets, quotes, commas, is_bot. */
const HEADER_OVERHEAD = 40;

/**
 * The rows of one commit group, as entries of at most `maxChars` (roughly: the header is estimated).
 * @param {readonly WireEvent[]} rows
 * @param {number} [maxChars]
 * @returns {{texts: string[], ids: string[][]}} one text per entry, and per entry its ids: writeKey,
 *   messageId, writeKey, messageId, … They cross to the writer as arrays, not as JSON: JSON.parse
 *   internalizes every string of up to 10 characters in the thread's string table, and short
 *   message ids made that lookup (and the table's growth) nearly a third of the writer's CPU.
 */
export function encodeRows(rows, maxChars = MAX_ENTRY_CHARS) {
  /** @type {string[]} */
  const texts = [];
  /** @type {string[][]} */
  const idLists = [];
  /** @type {unknown[][]} */
  let header = [];
  /** @type {string[]} */
  let ids = [];
  /** @type {LinkTuple[]} */
  let links = [];
  let payloads = '';
  let size = 0;
  const close = () => {
    texts.push(JSON.stringify({ rows: header, links }) + payloads);
    idLists.push(ids);
    header = [];
    ids = [];
    links = [];
    payloads = '';
    size = 0;
  };
  for (let i = 0; i < rows.length; i++) {
    const e = /** @type {WireEvent} */ (rows[i]);
    const payload = JSON.stringify(e.payload);
    const rowSize =
      payload.length +
      HEADER_OVERHEAD +
      e.writeKey.length +
      e.messageId.length +
      e.type.length +
      (e.anonymousId?.length ?? 4) +
      (e.userId?.length ?? 4) +
      (e.name?.length ?? 4) +
      e.timestamp.length +
      e.receivedAt.length +
      (e.sessionId?.length ?? 4) +
      (e.ip?.length ?? 4);
    if (header.length > 0 && size + rowSize > maxChars) close();
    size += rowSize;
    const at = header.length;
    header.push([
      e.writeKey,
      e.messageId,
      e.type,
      e.anonymousId,
      e.userId,
      e.name,
      e.timestamp,
      e.receivedAt,
      e.sessionId,
      e.ip,
      e.isBot ? 1 : 0,
    ]);
    payloads += `\n${payload}`;
    ids.push(e.writeKey, e.messageId);
    if (e.anonymousId && e.userId) links.push([at, e.anonymousId, e.userId, e.timestamp]);
    const previousId = e.type === 'alias' ? /** @type {{previousId?: unknown}} */ (e.payload).previousId : undefined;
    if (e.userId && previousId) {
      const previous = String(previousId);
      if (previous !== e.userId) links.push([at, previous, e.userId, e.timestamp]);
    }
  }
  if (header.length > 0) close();
  return { texts, ids: idLists };
}

/**
 * @param {string} text one of the `texts` of `encodeRows`
 * @returns {{rows: EventTuple[], links: LinkTuple[]}}
 */
export function decodeRows(text) {
  const lines = text.split('\n');
  const group = /** @type {{rows: EventTuple[], links: LinkTuple[]}} */ (JSON.parse(/** @type {string} */ (lines[0])));
  if (lines.length !== group.rows.length + 1) throw new Error('ingest log: an entry does not have one payload per row');
  for (let i = 0; i < group.rows.length; i++)
    /** @type {EventTuple} */ (group.rows[i])[11] = /** @type {string} */ (lines[i + 1]);
  return group;
}
