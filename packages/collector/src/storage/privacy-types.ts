/**
 * What the collector's privacy machinery keeps, apart from events: consent records (a hash
 * chain), the suppression list of erased ids, per-key privacy settings and cookieless counts.
 * Every adapter that implements `Store` should implement this too; the app finds it with
 * `isPrivacyStore` and leaves the privacy routes off (501) for an adapter that does not.
 */

/** One link of the consent chain, as stored. `body` is the canonical JSON that `hash` covers. */
export interface ConsentRecordRow {
  /** Position in the chain: 1, 2, 3… with no gaps. */
  seq: number;
  /** Record id (client-chosen or server-made); unique. */
  id: string;
  writeKey: string;
  /** The id in clear, outside the hashed body; set to null on erasure (the proof stays). */
  anonymousId: string | null;
  /** sha256 of the anonymous id, inside the hashed body: finds a subject's records after erasure too. */
  subject: string;
  body: string;
  prevHash: string;
  hash: string;
  receivedAt: string;
}

/** The end of the chain that a new record links to. */
export interface ChainTip {
  seq: number;
  hash: string;
}

export type ConsentAppendOutcome = 'inserted' | 'duplicate' | 'conflict';

export interface ConsentRecordStore {
  consentChainTip(): Promise<ChainTip | null>;
  /**
   * Appends `row` if its id is new and `row.seq` is exactly the tip's seq + 1 (`conflict`
   * otherwise: another writer moved the tip; reread it and retry). Atomic per call.
   */
  appendConsentRecord(row: ConsentRecordRow): Promise<ConsentAppendOutcome>;
  consentRecordById(id: string): Promise<ConsentRecordRow | null>;
  /** Every record whose subject is one of `subjects`, in chain order. */
  consentRecordsForSubjects(subjects: readonly string[]): Promise<ConsentRecordRow[]>;
  /** The newest record for a subject under a key (the consent in force), or null. */
  latestConsentRecord(writeKey: string, subject: string): Promise<ConsentRecordRow | null>;
  /** The whole chain in seq order, one page at a time. */
  scanConsentRecords(pageSize?: number): AsyncIterable<ConsentRecordRow[]>;
  /** Clears the clear-text anonymous id of these subjects' records; returns how many. */
  unlinkConsentRecords(subjects: readonly string[]): Promise<number>;
}

export interface SuppressionStore {
  /** Adds sha256 digests of erased ids; returns how many were new. */
  addSuppressed(digests: readonly string[], at: string): Promise<number>;
  listSuppressed(): Promise<string[]>;
}

/** Per-key privacy settings kept beside the key (the keys table belongs to the core store). */
export interface KeyPrivacySettings {
  /** Accept anonymous page counts (no identifiers) from visitors without consent. */
  cookieless: boolean;
}

export interface KeyPrivacyStore {
  getKeyPrivacy(writeKey: string): Promise<KeyPrivacySettings | null>;
  setKeyPrivacy(writeKey: string, settings: KeyPrivacySettings): Promise<void>;
}

export interface CookielessHit {
  writeKey: string;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  path: string;
  visitorHash: string;
}

export interface CookielessCount {
  day: string;
  path: string;
  pageviews: number;
  visitors: number;
}

export interface CookielessStore {
  /** The salt for `day`: `candidate` if none exists yet, else the one stored first (processes agree). */
  dailySalt(day: string, candidate: string, createdAt: string): Promise<string>;
  /** Deletes salts created before `before`; returns how many. */
  deleteSaltsCreatedBefore(before: string): Promise<number>;
  /** Days that still have a salt (for tests and the admin view). */
  saltDays(): Promise<string[]>;
  recordCookielessHit(hit: CookielessHit): Promise<void>;
  cookielessCounts(writeKey: string, fromDay: string, toDay: string): Promise<CookielessCount[]>;
  /** Deletes a key's counts for days before `beforeDay`; returns how many rows. */
  purgeCookielessBefore(writeKey: string, beforeDay: string): Promise<number>;
}

export interface PrivacyStore extends ConsentRecordStore, SuppressionStore, KeyPrivacyStore, CookielessStore {}

const PRIVACY_METHODS = ['appendConsentRecord', 'addSuppressed', 'getKeyPrivacy', 'dailySalt'] as const;

export function isPrivacyStore(value: unknown): value is PrivacyStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    PRIVACY_METHODS.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  );
}
