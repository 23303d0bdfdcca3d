import type { ConsentCategories, ConsentCategory } from '@loupe/schema';
import { allCategories, type CategoryInput, type ConsentDecision, OPTIONAL_CATEGORIES } from './categories.js';
import {
  CONSENT_REASONS,
  CONSENT_SOURCES,
  type ConsentChange,
  type ConsentReason,
  type ConsentSource,
  type ConsentState,
  parseDecision,
  serializeDecision,
} from './state.js';
import type { ConsentStore } from './store.js';

export interface ConsentOptions {
  /** Bump it when the policy changes: decisions made under another version count as not made. */
  policyVersion?: string;
  /** Categories on before any decision (a site that needs no banner). Never stored. */
  defaults?: CategoryInput;
  /** Where a decision is kept once made; nothing is written before that. */
  store?: ConsentStore;
  now?: () => number;
  /** Makes the id of each decision (its record id on the collector). */
  randomId?: () => string;
  /** A stored decision older than this counts as not made (default 13 months, `DECISION_MAX_AGE_MS`). */
  maxAgeMs?: number;
  /** Receives store failures and listener exceptions; consent never throws after construction. */
  onError?: (error: unknown) => void;
}

export interface UpdateOptions {
  source?: ConsentSource | undefined;
  reason?: ConsentReason;
  /** False for a decision a signal makes again on every page (GPC): applied, never written to the device. */
  persist?: boolean;
}

export type ConsentListener = (change: ConsentChange) => void;

/** The consent gate every tracker capability goes through. */
export interface Consent {
  /** Resolves once a stored decision (if any) has been read. */
  readonly ready: Promise<ConsentState>;
  get(): ConsentState;
  /** True when `category` may be used now (`necessary` always is). */
  has(category: ConsentCategory): boolean;
  /** Grants the given categories (all when omitted), keeping the others as they are. */
  grant(categories?: CategoryInput, source?: ConsentSource): ConsentState;
  /** Denies the given categories (all optional ones when omitted). */
  deny(categories?: CategoryInput, source?: ConsentSource): ConsentState;
  /** Withdraws every optional category; listeners see them in `withdrawn` and purge. */
  revoke(source?: ConsentSource): ConsentState;
  /** The general transition that grant/deny/revoke and the bridges (GPC, TCF, Consent Mode) use. */
  update(changes: ConsentCategories, options?: UpdateOptions): ConsentState;
  onChange(listener: ConsentListener): () => void;
}

const NONE = allCategories(false);

/** `ConsentOptions` with the clock, the ids and the error hook given (what an embedding tracker has). */
export type ConsentGateOptions = ConsentOptions & Required<Pick<ConsentOptions, 'now' | 'randomId' | 'onError'>>;

/**
 * Creates the consent state machine: undecided (defaults apply, nothing stored) until a decision,
 * then decided for the current policy version.
 *
 * @example
 * const consent = createConsent({ policyVersion: '2024-06', store });
 * consent.onChange(({ state, withdrawn }) => { if (withdrawn.includes('analytics')) purge(); });
 * consent.grant(['analytics']);
 */
export const createConsent = ({
  now = Date.now,
  randomId = defaultRandomId,
  onError = () => {},
  ...options
}: ConsentOptions = {}): Consent => createConsentGate({ ...options, now, randomId, onError });

/**
 * `createConsent` for a caller that supplies its own clock, ids and error hook (the tracker passes its
 * platform's): loupe.js then carries no fallback id generator.
 */
export function createConsentGate({
  policyVersion = '1',
  defaults = [],
  store,
  now,
  randomId,
  maxAgeMs,
  onError,
}: ConsentGateOptions): Consent {
  const listeners = new Set<ConsentListener>();
  // One merge for every transition (what mergeCategories(base, toCategoryMap(input, value)) does, in one
  // loop): `input` is a map, or a list of categories set to `value`; `necessary` stays on.
  const merge = (base: ConsentCategories, input: CategoryInput, value = true): ConsentDecision => {
    const next = { ...base, necessary: true } as Record<ConsentCategory, boolean>;
    for (const category of OPTIONAL_CATEGORIES) {
      const given = Array.isArray(input)
        ? (input as readonly ConsentCategory[]).includes(category)
          ? value
          : undefined
        : (input as ConsentCategories)[category];
      if (typeof given === 'boolean') next[category] = given;
    }
    return next;
  };
  // Decided states; an undecided one only at the start.
  const decision = (
    categories: ConsentDecision,
    source: ConsentSource,
    updatedAt: string | null,
    recordId?: string,
  ): ConsentState => ({ decided: true, categories, policyVersion, source, updatedAt, ...(recordId && { recordId }) });
  let state: ConsentState = {
    decided: false,
    categories: merge(NONE, defaults),
    policyVersion,
    source: CONSENT_SOURCES.defaults,
    updatedAt: null,
  };
  // A decision made before the stored one is read wins over the stored one.
  let answeredHere = false;

  const set = (next: ConsentState, reason: ConsentReason): ConsentState => {
    const previous = state;
    state = next;
    const withdrawn = OPTIONAL_CATEGORIES.filter((c) => previous.categories[c] && !next.categories[c]);
    for (const listener of [...listeners]) {
      try {
        listener({ state, previous, reason, withdrawn });
      } catch (error) {
        onError(error);
      }
    }
    return state;
  };

  const restore = (raw: string | null | undefined): void => {
    const stored = parseDecision(raw, policyVersion, now(), maxAgeMs);
    if (stored)
      set(
        decision(merge(NONE, stored.c), stored.s ?? CONSENT_SOURCES.storage, stored.t ?? null, stored.r),
        CONSENT_REASONS.restore,
      );
  };

  // Lists (grant, deny) are `value` for the listed categories; maps (update, bridges) say each one's value.
  const change = (
    input: CategoryInput,
    value: boolean,
    reason: ConsentReason,
    source: ConsentSource = CONSENT_SOURCES.api,
    persist = true,
  ) => {
    answeredHere = true;
    const next = decision(merge(state.categories, input, value), source, new Date(now()).toISOString(), randomId());
    if (persist) store?.save(serializeDecision(next)).catch(onError);
    return set(next, reason);
  };

  const ready = (async () => {
    try {
      const raw = await store?.load();
      if (!answeredHere) restore(raw);
    } catch (error) {
      onError(error);
    }
    store?.subscribe?.(restore);
    return state;
  })();

  return {
    ready,
    get: () => state,
    has: (category) => category === 'necessary' || state.categories[category],
    grant: (categories, source) => change(categories || OPTIONAL_CATEGORIES, true, CONSENT_REASONS.grant, source),
    deny: (categories, source) => change(categories || OPTIONAL_CATEGORIES, false, CONSENT_REASONS.deny, source),
    revoke: (source) => change(OPTIONAL_CATEGORIES, false, CONSENT_REASONS.revoke, source),
    update: (changes, { source, reason = CONSENT_REASONS.update, persist }: UpdateOptions = {}) =>
      change(changes, true, reason, source, persist),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A random id: Web Crypto's UUID where there is one (browsers, Node), else time and Math.random. */
const defaultRandomId = (): string =>
  (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.() ??
  Date.now().toString(36) + Math.random().toString(36).slice(2);
