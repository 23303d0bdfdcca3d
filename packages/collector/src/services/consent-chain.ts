import { createHash } from 'node:crypto';
import type { ConsentRecordRow } from '../storage/privacy-types.js';

/** The `prevHash` of the first record: 64 zeros, so every link has the same shape. */
export const GENESIS_HASH = '0'.repeat(64);

/** One link's hash covers the previous hash and the record's canonical body. */
export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/**
 * The digest an id is filed under (consent records, the suppression list): finding a subject's
 * rows needs the id, and the rows alone do not give it back. The prefix keeps these digests from
 * matching a bare sha256 of the same id made elsewhere.
 */
export function subjectDigest(id: string): string {
  return createHash('sha256').update('loupe-subject:').update(id).digest('hex');
}

export type ChainBreak = 'hash' | 'prev_hash' | 'seq' | 'body' | 'columns';

export interface ChainCheck {
  ok: boolean;
  /** Records read. */
  checked: number;
  /** The first record that does not fit the chain, and why. */
  broken?: { seq: number; id: string; reason: ChainBreak };
}

/**
 * Walks the chain in seq order and stops at the first record that does not fit: a gap in seq,
 * a `prevHash` that is not the previous record's hash, a hash that does not cover the body, or
 * indexed columns that disagree with the hashed body (an edit made to a column alone).
 */
export async function verifyChain(records: AsyncIterable<readonly ConsentRecordRow[]>): Promise<ChainCheck> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  for await (const page of records) {
    for (const record of page) {
      checked++;
      const reason = checkLink(record, previous);
      if (reason) return { ok: false, checked, broken: { seq: record.seq, id: record.id, reason } };
      previous = record;
    }
  }
  return { ok: true, checked };
}

function checkLink(record: ConsentRecordRow, previous: { seq: number; hash: string }): ChainBreak | null {
  if (record.seq !== previous.seq + 1) return 'seq';
  if (record.prevHash !== previous.hash) return 'prev_hash';
  if (chainHash(record.prevHash, record.body) !== record.hash) return 'hash';
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(record.body) as Record<string, unknown>;
  } catch {
    return 'body';
  }
  if (
    body.seq !== record.seq ||
    body.id !== record.id ||
    body.writeKey !== record.writeKey ||
    body.subject !== record.subject
  ) {
    return 'columns';
  }
  if (record.anonymousId !== null && subjectDigest(record.anonymousId) !== record.subject) return 'columns';
  return null;
}
