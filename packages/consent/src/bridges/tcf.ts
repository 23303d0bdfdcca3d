import type { ConsentCategory } from '@loupe/schema';
import type { Consent } from '../create-consent.js';
import { type AppliedSignal, describeChanges, type SignalListener } from './signal.js';

/** The parts of TCF v2.2's TCData this reader uses. */
export interface TcData {
  gdprApplies?: boolean;
  eventStatus?: 'tcloaded' | 'cmpuishown' | 'useractioncomplete' | string;
  cmpId?: number;
  listenerId?: number;
  purpose?: { consents?: Record<string, boolean | undefined> };
  publisher?: { consents?: Record<string, boolean | undefined> };
}

type TcfApi = (
  command: string,
  version: number,
  callback: (data: TcData, success: boolean) => void,
  parameter?: unknown,
) => void;

/**
 * TCF purposes each category needs, all of them. Purpose 1 (store or access information on a
 * device) is in every one because Loupe stores ids on the device.
 */
export const DEFAULT_TCF_PURPOSES: Readonly<Record<Exclude<ConsentCategory, 'necessary'>, readonly number[]>> = {
  analytics: [1, 8, 9],
  personalization: [1, 5, 6],
  marketing: [1, 2, 3, 4, 7],
};

/** Categories from purpose consents, by purpose number (1-based). */
export function categoriesFromPurposes(
  consented: (purpose: number) => boolean,
  purposes = DEFAULT_TCF_PURPOSES,
): Record<Exclude<ConsentCategory, 'necessary'>, boolean> {
  const all = (list: readonly number[]) => list.every(consented);
  return {
    analytics: all(purposes.analytics),
    personalization: all(purposes.personalization),
    marketing: all(purposes.marketing),
  };
}

export interface TcfReaderOptions {
  consent: Consent;
  /** Defaults to `window.__tcfapi`, the CMP's API. */
  tcfapi?: TcfApi;
  purposes?: typeof DEFAULT_TCF_PURPOSES;
  /** Read the publisher's own purpose consents (first-party use) instead of the global ones. */
  publisher?: boolean;
  onSignal?: SignalListener;
}

/**
 * IAB TCF v2.2 reader: follows the CMP through `__tcfapi('addEventListener', 2, …)` and, once the
 * TC data is loaded or the visitor acted (and GDPR applies), maps the purposes onto the consent
 * categories. It only reads: the CMP stays the banner. Returns a function that stops listening.
 */
export function readTcf({
  consent,
  tcfapi,
  purposes = DEFAULT_TCF_PURPOSES,
  publisher = false,
  onSignal,
}: TcfReaderOptions): () => void {
  const api = tcfapi ?? (globalThis as { __tcfapi?: TcfApi }).__tcfapi;
  if (typeof api !== 'function') return () => {};
  let listenerId: number | undefined;
  let stopped = false;
  api('addEventListener', 2, (data, success) => {
    if (!success || !data) return;
    listenerId = data.listenerId;
    if (stopped || data.gdprApplies === false) return;
    if (data.eventStatus !== 'tcloaded' && data.eventStatus !== 'useractioncomplete') return;
    const consents = (publisher ? data.publisher?.consents : data.purpose?.consents) ?? {};
    const changes = categoriesFromPurposes((n) => consents[n] === true, purposes);
    const signal: AppliedSignal = {
      name: 'tcf',
      value: `cmp:${data.cmpId ?? '?'}`,
      effect: `${describeChanges(changes)} from TCF purposes`,
    };
    consent.update(changes, { source: 'tcf' });
    onSignal?.(signal);
  });
  return () => {
    stopped = true;
    if (listenerId !== undefined) api('removeEventListener', 2, () => {}, listenerId);
  };
}

/**
 * The TCF keys a CMP leaves in an app's storage (`IABTCF_gdprApplies`, `IABTCF_PurposeConsents`
 * as a string of 0/1 by purpose): categories, or null when GDPR does not apply or nothing is there.
 */
export function categoriesFromTcfKeys(
  get: (key: string) => string | number | null | undefined,
  purposes = DEFAULT_TCF_PURPOSES,
): Record<Exclude<ConsentCategory, 'necessary'>, boolean> | null {
  if (String(get('IABTCF_gdprApplies')) !== '1') return null;
  const bits = get('IABTCF_PurposeConsents');
  if (typeof bits !== 'string' || bits.length === 0) return null;
  return categoriesFromPurposes((n) => bits[n - 1] === '1', purposes);
}
