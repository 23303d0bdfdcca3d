import type { ConsentRecordRow } from './privacy-types.js';

/** A consent record as both adapters store it (same columns in SQLite and PostgreSQL). */
export interface ConsentRow {
  seq: number;
  id: string;
  write_key: string;
  anonymous_id: string | null;
  subject: string;
  body: string;
  prev_hash: string;
  hash: string;
  received_at: string;
}

export const toConsentRecord = (r: ConsentRow): ConsentRecordRow => ({
  seq: r.seq,
  id: r.id,
  writeKey: r.write_key,
  anonymousId: r.anonymous_id,
  subject: r.subject,
  body: r.body,
  prevHash: r.prev_hash,
  hash: r.hash,
  receivedAt: r.received_at,
});
