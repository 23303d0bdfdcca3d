// Plain JavaScript on purpose: the writer and indexer worker threads load it as it is, from src/
// under the tests and from dist/ in production. Types are checked through JSDoc.
//
// How the rows of one commit group cross to the writer thread: one text, kept whole as the
// group's ingest-log entry and read back by the indexer, plus the (writeKey, messageId) pairs
// apart, which is all the acknowledging writer reads. The text is a JSON header (each row's
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
 * @param {readonly WireEvent[]} rows
 * @returns {{text: string, ids: string}} `ids`: a JSON array writeKey, messageId, writeKey, messageId, …
 */
export function encodeRows(rows) {
  const header = new Array(rows.length);
  const ids = new Array(rows.length * 2);
  /** @type {LinkTuple[]} */
  const links = [];
  let payloads = '';
  for (let i = 0; i < rows.length; i++) {
    const e = /** @type {WireEvent} */ (rows[i]);
    header[i] = [
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
    ];
    payloads += `\n${JSON.stringify(e.payload)}`;
    ids[2 * i] = e.writeKey;
    ids[2 * i + 1] = e.messageId;
    if (e.anonymousId && e.userId) links.push([i, e.anonymousId, e.userId, e.timestamp]);
    const previousId = e.type === 'alias' ? /** @type {{previousId?: unknown}} */ (e.payload).previousId : undefined;
    if (e.userId && previousId) {
      const previous = String(previousId);
      if (previous !== e.userId) links.push([i, previous, e.userId, e.timestamp]);
    }
  }
  return { text: JSON.stringify({ rows: header, links }) + payloads, ids: JSON.stringify(ids) };
}

/**
 * @param {string} text the `text` of `encodeRows`
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
