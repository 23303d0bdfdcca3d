import type { ConsentCategory } from '@loupe/schema';
import type { Consent } from '../create-consent.js';
import type { AppliedSignal, SignalListener } from './signal.js';

export interface GpcBridgeOptions {
  consent: Consent;
  /** Categories GPC turns off (default marketing and personalization). */
  denies?: readonly ConsentCategory[];
  /** Reads the signal; defaults to `navigator.globalPrivacyControl`, read when the bridge starts. */
  read?: () => unknown;
  /** Also honour Do Not Track as a deny signal (never as consent). */
  doNotTrack?: boolean;
  onSignal?: SignalListener;
}

type NavigatorLike = { globalPrivacyControl?: unknown; doNotTrack?: unknown };
const nav = (): NavigatorLike | undefined => (globalThis as { navigator?: NavigatorLike }).navigator;

/**
 * Global Privacy Control: when the browser sends it and the visitor has not decided, the policy is
 * applied without a prompt (the categories it denies go off, the others stay off until asked),
 * without writing anything to the device, since the signal comes again with every page. An
 * explicit later choice in the banner wins. Resolves to the applied signal, or null.
 *
 * @example
 * applyGpc({ consent, onSignal: (s) => signals.push(s) });
 */
export async function applyGpc({
  consent,
  denies = ['marketing', 'personalization'],
  read = () => nav()?.globalPrivacyControl,
  doNotTrack = false,
  onSignal,
}: GpcBridgeOptions): Promise<AppliedSignal | null> {
  const gpc = read() === true;
  const dnt = doNotTrack && String(nav()?.doNotTrack) === '1';
  if (!gpc && !dnt) return null;
  const state = await consent.ready;
  const name = gpc ? 'gpc' : 'dnt';
  const off = denies.filter((c) => c !== 'necessary');
  const signal: AppliedSignal = { name, value: '1', effect: `${off.join(', ')} off because ${gpc ? 'GPC' : 'DNT'}=1` };
  if (!state.decided) {
    const changes: Partial<Record<ConsentCategory, boolean>> = {};
    for (const category of off) changes[category] = false;
    consent.update(changes, { source: name, persist: false });
  } else signal.effect = `seen; the visitor's own choice of ${state.updatedAt ?? 'earlier'} stands`;
  onSignal?.(signal);
  return signal;
}
