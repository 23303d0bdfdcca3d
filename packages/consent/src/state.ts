import type { ConsentCategory } from '@loupe/schema';
import type { ConsentDecision } from './categories.js';

/** What a change came from. Bridges (GPC, TCF, Consent Mode) and banners add their own names. */
export const CONSENT_SOURCES = {
  api: 'api',
  banner: 'banner',
  storage: 'storage',
  defaults: 'defaults',
} as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[keyof typeof CONSENT_SOURCES] | (string & {});

/** Why the state changed: lets listeners tell a withdrawal (purge) from a first answer. */
export const CONSENT_REASONS = {
  grant: 'grant',
  deny: 'deny',
  revoke: 'revoke',
  update: 'update',
  restore: 'restore',
} as const;
export type ConsentReason = (typeof CONSENT_REASONS)[keyof typeof CONSENT_REASONS];

export interface ConsentState {
  /** True once the visitor (or a bridge acting for them) answered for this policy version. */
  readonly decided: boolean;
  readonly categories: ConsentDecision;
  readonly policyVersion: string;
  readonly source: ConsentSource;
  /** ISO 8601 time of the decision; null while undecided. */
  readonly updatedAt: string | null;
  /** Id of the decision, shared with its record on the collector (`POST /v1/consent`); absent while undecided. */
  readonly recordId?: string;
}

export interface ConsentChange {
  readonly state: ConsentState;
  readonly previous: ConsentState;
  readonly reason: ConsentReason;
  /** Categories that went from granted to not granted: data collected under them must go. */
  readonly withdrawn: readonly ConsentCategory[];
}

/** The stored form: short keys, the policy version it answers, the time, the record id. */
interface StoredDecision {
  v: string;
  c: Partial<Record<ConsentCategory, boolean>>;
  s?: string | undefined;
  t?: string | undefined;
  r?: string | undefined;
}

/**
 * How long a stored decision is honoured: 13 months (395 days), the CNIL's ceiling for keeping a
 * consent choice, after which the visitor is asked again.
 */
export const DECISION_MAX_AGE_MS = 395 * 86_400_000;

export function serializeDecision({ policyVersion, categories, source, updatedAt, recordId }: ConsentState): string {
  // JSON leaves out the undefined ones: no time while undecided, no record id without one.
  return JSON.stringify({
    v: policyVersion,
    c: { ...categories },
    s: source,
    t: updatedAt || undefined,
    r: recordId,
  } satisfies StoredDecision);
}

/**
 * Parses a stored decision; null when absent, corrupt, made under another policy version, or (when
 * `now` is given) made more than `maxAgeMs` ago.
 */
export function parseDecision(
  raw: string | null | undefined,
  policyVersion: string,
  now?: number,
  maxAgeMs = DECISION_MAX_AGE_MS,
): StoredDecision | null {
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Partial<StoredDecision> | null;
    // Parsed JSON: an object (or array) is an Object; null and the primitives are not.
    if (!stored || stored.v !== policyVersion || !(stored.c instanceof Object)) return null;
    // A decision without a time (written by hand, or by an older version) is taken as it is.
    if (now !== undefined && typeof stored.t === 'string' && !(now - Date.parse(stored.t) <= maxAgeMs)) return null;
    return stored as StoredDecision;
  } catch {
    return null;
  }
}
