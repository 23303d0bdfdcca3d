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
}

export interface ConsentChange {
  readonly state: ConsentState;
  readonly previous: ConsentState;
  readonly reason: ConsentReason;
  /** Categories that went from granted to not granted: data collected under them must go. */
  readonly withdrawn: readonly ConsentCategory[];
}

/** The stored form: short keys, the policy version it answers, the time. */
interface StoredDecision {
  v: string;
  c: Partial<Record<ConsentCategory, boolean>>;
  s?: string;
  t?: string;
}

export function serializeDecision(state: ConsentState): string {
  const stored: StoredDecision = { v: state.policyVersion, c: { ...state.categories }, s: state.source };
  if (state.updatedAt) stored.t = state.updatedAt;
  return JSON.stringify(stored);
}

/** Parses a stored decision; null when absent, corrupt, or made under another policy version. */
export function parseDecision(raw: string | null | undefined, policyVersion: string): StoredDecision | null {
  if (!raw) return null;
  try {
    const stored = JSON.parse(raw) as Partial<StoredDecision> | null;
    if (!stored || stored.v !== policyVersion || typeof stored.c !== 'object' || stored.c === null) return null;
    return stored as StoredDecision;
  } catch {
    return null;
  }
}
