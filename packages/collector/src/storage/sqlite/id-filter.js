// Plain JavaScript on purpose: the indexer thread loads it as it is (see wire.js).
//
// How the events of one person are found without a B-tree on anonymous_id and user_id. Those two
// indexes were the dearest part of storing an event: real traffic's ids are random (a v4 UUID per
// visitor), so each insert lands on a leaf page of its own and every row of a transaction dirties
// a 4 KB page that SQLite writes to the WAL. On a million stored events with 50,000 visitors that
// was ~20 µs of the ~32 µs an insert cost (bench/ingest/person-lookup.js measures both ways), for
// two readers only: a person's export and erasure, which an operator runs a few times a month.
//
// Instead each run of inserted rows is summarized: a Bloom filter of the anonymous and user ids
// of up to BLOCK_KEYS rows, with the span of row ids they took (`events_id_filters`). It is the
// data-skipping index of column stores (ClickHouse's bloom_filter skip index): a lookup reads
// every filter (8 KB per ~4,000 events, 2 bytes an event) and scans only the spans whose filter
// may hold one of the ids. A filter never misses an id it was given; about one span in 2,000 is
// scanned for nothing. Appending to the newest block costs one read and one write of its 8 KB per
// insert transaction, whatever the ids.
//
// Privacy: a filter's bits would still answer "probably" for an erased id, so an erasure rebuilds
// the filters of the spans it deleted from out of the rows left in them (see `rebuildFilters`).

/** Keys (distinct ids per insert call) a block takes before a new one is opened. */
export const BLOCK_KEYS = 4096;
/** Bits per filter: 16 per key at capacity, so 8 KB. A power of two: positions are masked, not divided. */
const BITS = 65536;
/** Bit positions per key: optimal for 16 bits a key; ~0.05 % false positives at capacity. */
const HASHES = 11;

/** Murmur3's finalizer: spreads every input bit over the low bits the positions use. */
function mix(/** @type {number} */ h) {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The two hashes whose combinations (h1 + i·h2) are an id's bit positions (Kirsch and Mitzenmacher).
 *
 * FNV-1a over the id's UTF-16 code units, leaving out lone surrogates and U+FFFD: SQLite stores a
 * lone surrogate as its WTF-8 bytes and hands it back as one to three U+FFFD, so hashing without
 * either makes an id as sent and as read back agree, and a filter rebuilt from stored rows holds
 * what the original one held. In the loop, not a regular expression: a rebuild hashes every id of
 * a span.
 * @param {string} id
 * @returns {[number, number]}
 */
export function hashId(id) {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      const next = id.charCodeAt(i + 1); // NaN past the end
      if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) continue; // lone: left out
      h = Math.imul(Math.imul(h ^ unit, 0x01000193) ^ next, 0x01000193); // a pair: kept
      i++;
    } else if (unit !== 0xfffd) {
      h = Math.imul(h ^ unit, 0x01000193);
    }
  }
  const h1 = mix(h);
  return [h1, mix(h1 ^ 0x9e3779b9) | 1];
}

/** @param {Uint8Array} bits @param {[number, number]} hash */
function add(bits, [h1, h2]) {
  for (let i = 0; i < HASHES; i++) {
    const at = (h1 + Math.imul(i, h2)) & (BITS - 1);
    bits[at >>> 3] = /** @type {number} */ (bits[at >>> 3]) | (1 << (at & 7));
  }
}

/** @param {Uint8Array} bits @param {[number, number]} hash */
function mayHold(bits, [h1, h2]) {
  for (let i = 0; i < HASHES; i++) {
    const at = (h1 + Math.imul(i, h2)) & (BITS - 1);
    const byte = /** @type {number} */ (bits[at >>> 3]);
    if ((byte & (1 << (at & 7))) === 0) return false;
  }
  return true;
}

/** The filter of a set of ids. @param {Iterable<string>} ids */
function filterOf(ids) {
  const bits = new Uint8Array(BITS / 8);
  for (const id of ids) add(bits, hashId(id));
  return bits;
}

/**
 * Records inserted rows' ids in the newest block, or in a new one once it is full; inside the
 * caller's transaction, so a block never claims rows that were rolled back.
 * @param {import('better-sqlite3').Database} db
 * @returns {(minId: number, maxId: number, ids: Set<string>) => void}
 */
export function createFilterAppender(db) {
  const newest = db.prepare('SELECT id, min_id, max_id, keys, bits FROM events_id_filters ORDER BY id DESC LIMIT 1');
  const insert = db.prepare('INSERT INTO events_id_filters (min_id, max_id, keys, bits) VALUES (?, ?, ?, ?)');
  const update = db.prepare('UPDATE events_id_filters SET min_id = ?, max_id = ?, keys = ?, bits = ? WHERE id = ?');
  return (minId, maxId, ids) => {
    if (ids.size === 0) return; // rows without an id: no lookup can ask for them
    const block = /** @type {{id: number, min_id: number, max_id: number, keys: number, bits: Buffer} | undefined} */ (
      newest.get()
    );
    if (!block || block.keys + ids.size > BLOCK_KEYS) {
      insert.run(minId, maxId, ids.size, filterOf(ids));
      return;
    }
    const bits = new Uint8Array(block.bits);
    for (const id of ids) add(bits, hashId(id));
    update.run(Math.min(block.min_id, minId), Math.max(block.max_id, maxId), block.keys + ids.size, bits, block.id);
  };
}

/**
 * The row-id ranges that may hold an event of one of `ids`, merged and in order.
 * @param {import('better-sqlite3').Database} db
 * @param {readonly string[]} ids
 * @returns {{from: number, to: number, blocks: number[]}[]}
 */
export function candidateRanges(db, ids) {
  const hashes = ids.map(hashId);
  /** @type {{from: number, to: number, blocks: number[]}[]} */
  const ranges = [];
  const blocks = db.prepare('SELECT id, min_id, max_id, bits FROM events_id_filters ORDER BY min_id');
  for (const block of /** @type {Iterable<{id: number, min_id: number, max_id: number, bits: Buffer}>} */ (
    blocks.iterate()
  )) {
    if (!hashes.some((hash) => mayHold(block.bits, hash))) continue;
    const last = ranges[ranges.length - 1];
    if (last && block.min_id <= last.to + 1) {
      last.to = Math.max(last.to, block.max_id);
      last.blocks.push(block.id);
    } else {
      ranges.push({ from: block.min_id, to: block.max_id, blocks: [block.id] });
    }
  }
  return ranges;
}

/**
 * Rebuilds the named blocks' filters from the events left in their spans: after an erasure, so no
 * bit remembers an erased id. Rows that another, overlapping block also covers only add bits.
 * @param {import('better-sqlite3').Database} db
 * @param {Iterable<number>} blockIds
 */
export function rebuildFilters(db, blockIds) {
  const read = db.prepare('SELECT min_id, max_id FROM events_id_filters WHERE id = ?');
  // The span's ids as two JSON arrays, one value each: handing a span's ~4,000 rows to JavaScript
  // one by one costs ~1.2 µs a row in better-sqlite3, four times SQLite's own scan.
  const idsIn = db
    .prepare(
      `SELECT json_group_array(anonymous_id) FILTER (WHERE anonymous_id IS NOT NULL),
              json_group_array(user_id) FILTER (WHERE user_id IS NOT NULL)
       FROM events WHERE id BETWEEN ? AND ?`,
    )
    .raw();
  const update = db.prepare('UPDATE events_id_filters SET keys = ?, bits = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM events_id_filters WHERE id = ?');
  for (const blockId of blockIds) {
    const block = /** @type {{min_id: number, max_id: number} | undefined} */ (read.get(blockId));
    if (!block) continue;
    const [anonymousIds, userIds] = /** @type {[string, string]} */ (idsIn.get(block.min_id, block.max_id));
    const ids = new Set(/** @type {string[]} */ ([...JSON.parse(anonymousIds), ...JSON.parse(userIds)]));
    if (ids.size === 0) remove.run(blockId);
    else update.run(ids.size, filterOf(ids), blockId);
  }
}

/**
 * Filters for every event already stored (the migration that replaced the two indexes): the rows in
 * row-id order, 500 at a time through the inserter's own appender, so the blocks are the ones it makes.
 * @param {import('better-sqlite3').Database} db
 */
export function backfillFilters(db) {
  // Pages, not one iterator: better-sqlite3 lets no other statement run while one iterates.
  const page = db.prepare('SELECT id, anonymous_id, user_id FROM events WHERE id > ? ORDER BY id LIMIT 500').raw();
  const recordIds = createFilterAppender(db);
  /** @typedef {[number, string | null, string | null]} Row */
  for (let last = 0; ; ) {
    const rows = /** @type {Row[]} */ (page.all(last));
    if (rows.length === 0) return;
    const ids = new Set();
    for (const [, anonymousId, userId] of rows) {
      if (anonymousId !== null) ids.add(anonymousId);
      if (userId !== null) ids.add(userId);
    }
    const first = /** @type {Row} */ (rows[0])[0];
    last = /** @type {Row} */ (rows[rows.length - 1])[0];
    recordIds(first, last, ids);
  }
}
