import type { ConsentDecision } from '../categories.js';
import type { Consent } from '../create-consent.js';

type Gtag = (command: 'consent', action: 'default' | 'update', params: Record<string, unknown>) => void;
type WindowLike = { gtag?: Gtag; dataLayer?: unknown[] };

export type ConsentModeState = Record<
  | 'analytics_storage'
  | 'personalization_storage'
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'functionality_storage'
  | 'security_storage',
  'granted' | 'denied'
>;

/** Loupe's categories as Google Consent Mode v2 types. */
export function toConsentMode(categories: ConsentDecision): ConsentModeState {
  const on = (v: boolean) => (v ? 'granted' : 'denied');
  return {
    analytics_storage: on(categories.analytics),
    personalization_storage: on(categories.personalization),
    ad_storage: on(categories.marketing),
    ad_user_data: on(categories.marketing),
    ad_personalization: on(categories.marketing),
    functionality_storage: 'granted',
    security_storage: 'granted',
  };
}

/** `window.gtag`, or Google's own snippet: a gtag that queues its `arguments` on `dataLayer`. */
function defaultGtag(): Gtag | undefined {
  const w = globalThis as unknown as WindowLike;
  if (typeof w.gtag === 'function') return w.gtag;
  if (typeof (globalThis as { document?: unknown }).document === 'undefined') return undefined;
  w.dataLayer ??= [];
  const layer = w.dataLayer;
  w.gtag = function gtag() {
    // gtag.js reads Arguments objects from dataLayer, not arrays: this is its documented snippet.
    // biome-ignore lint/complexity/noArguments: see above
    layer.push(arguments);
  } as Gtag;
  return w.gtag;
}

export interface ConsentModeOptions {
  consent: Consent;
  gtag?: Gtag;
  /** How long Google tags wait for the first `update` (ms); the banner usually answers within it. */
  waitForUpdateMs?: number;
}

/**
 * Google Consent Mode v2: `consent default` at once (load this before any Google tag), from the
 * current state, all denied for an undecided visitor; then `consent update` on every change.
 * Returns a function that stops the updates.
 */
export function bridgeConsentMode({
  consent,
  gtag = defaultGtag(),
  waitForUpdateMs = 500,
}: ConsentModeOptions): () => void {
  if (!gtag) return () => {};
  gtag('consent', 'default', { ...toConsentMode(consent.get().categories), wait_for_update: waitForUpdateMs });
  return consent.onChange(({ state }) => gtag('consent', 'update', toConsentMode(state.categories)));
}
