/**
 * @module loupe-consent.js: the banner as one script tag, before or after loupe.js.
 * `<script src="https://collector.example/loupe-consent.js" data-policy-version="2026-03"
 *   data-privacy-url="/privacy" nonce="…"></script>`
 * Options: data-policy-version, data-privacy-url, data-write-key and data-host (where decisions are
 * recorded; default: loupe.js's tag), data-gpc="off", data-consent-mode="on", data-tcf="on",
 * data-categories="analytics personalization marketing". Strings: `window.loupeConsentStrings`.
 */
import { applyGpc } from '../bridges/gpc.js';
import { bridgeConsentMode } from '../bridges/consent-mode.js';
import type { AppliedSignal } from '../bridges/signal.js';
import { readTcf } from '../bridges/tcf.js';
import { type Consent, createConsent } from '../create-consent.js';
import { type Banner, createBanner } from './create-banner.js';
import { createLocalStorageConsentStore } from './local-storage-store.js';
import { mirrorConsent } from './mirror.js';
import { recordDecision } from './record-decision.js';
import type { BannerStrings } from './strings.js';

type TrackerLike = { consent: Consent; anonymousId?: () => string };
type Globals = {
  loupe?: unknown;
  loupeConsent?: Consent;
  loupeConsentStrings?: Partial<BannerStrings>;
  loupeConsentUI?: { banner: Banner; consent: Consent; open(): void };
};

const w = window as unknown as Globals;
const liveTracker = (value: unknown = w.loupe): TrackerLike | undefined =>
  value &&
  typeof value === 'object' &&
  typeof (value as { consent?: { onChange?: unknown } }).consent?.onChange === 'function'
    ? (value as TrackerLike)
    : undefined;

if (!w.loupeConsentUI) {
  const script = document.currentScript as HTMLScriptElement | null;
  const data = script?.dataset ?? {};
  const on = (name: string | undefined) => name === 'on' || name === 'true' || name === '';
  const signals: AppliedSignal[] = [];
  const onSignal = (signal: AppliedSignal) => signals.push(signal);
  const consent =
    w.loupeConsent ??
    createConsent({
      store: createLocalStorageConsentStore(),
      ...(data.policyVersion ? { policyVersion: data.policyVersion } : {}),
    });
  w.loupeConsent = consent;

  if (on(data.consentMode)) bridgeConsentMode({ consent });
  if (data.gpc !== 'off') applyGpc({ consent, onSignal }).catch(() => {});
  if (on(data.tcf)) readTcf({ consent, onSignal });

  // loupe.js keeps its own consent: follow it now, or as soon as it replaces the snippet's queue.
  const adopt = (tracker: TrackerLike) => consent.ready.then(() => mirrorConsent(consent, tracker.consent));
  const present = liveTracker();
  if (present) adopt(present);
  else {
    let value = w.loupe;
    Object.defineProperty(w, 'loupe', {
      configurable: true,
      enumerable: true,
      get: () => value,
      set(next) {
        value = next;
        const tracker = liveTracker(next);
        if (!tracker) return;
        Object.defineProperty(w, 'loupe', { value: next, writable: true, configurable: true, enumerable: true });
        adopt(tracker);
      },
    });
  }

  // Read when a decision is made: loupe.js's tag may come after this one in the document.
  const target = () => {
    const tag = document.querySelector<HTMLScriptElement>('script[data-write-key]');
    const writeKey = data.writeKey ?? tag?.dataset.writeKey;
    const host = data.host ?? tag?.dataset.host ?? (tag?.src ? tag.src.slice(0, tag.src.lastIndexOf('/')) : undefined);
    return writeKey && host ? { writeKey, host } : null;
  };
  const categories = data.categories
    ?.split(/[\s,]+/)
    .filter((c) => c === 'analytics' || c === 'personalization' || c === 'marketing');

  const mount = () => {
    const banner = createBanner({
      consent,
      ...(w.loupeConsentStrings ? { strings: w.loupeConsentStrings } : {}),
      ...(script?.nonce ? { nonce: script.nonce } : {}),
      ...(data.privacyUrl ? { privacyPolicyUrl: data.privacyUrl } : {}),
      ...(categories?.length ? { categories: categories as ('analytics' | 'personalization' | 'marketing')[] } : {}),
      subject: () => liveTracker()?.anonymousId?.(),
      onDecision: (decision) => {
        const to = target();
        if (to) recordDecision(to, decision, decision.subject, signals);
      },
    });
    document.addEventListener('click', (event) => {
      if ((event.target as Element | null)?.closest?.('[data-loupe-consent-open]')) banner.openPreferences();
    });
    w.loupeConsentUI = { banner, consent, open: banner.openPreferences };
  };
  // In <head> (where Consent Mode wants it) there is no body yet: the bridges above ran at once,
  // the banner waits for the document.
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
}
