import type { CategoryInput } from '@loupe/consent';
import type { BrowserTrackerOptions } from './browser-tracker.js';

/**
 * Options from the script tag: `data-write-key`; `data-host`, else the folder the script was
 * served from (a collector behind the site's own proxy path works under any file name);
 * `data-capture="page clicks scroll views engagement cart"` (what to autocapture, all by default);
 * `data-consent="analytics personalization"` or `"granted"` (defaults for sites without a banner);
 * `data-policy-version`; `data-show-timeout` (ms before `data-loupe-show` falls back to `default`);
 * `data-erase-on-revoke` (on withdrawal, ask the collector to erase this browser's data).
 */
export function scriptOptions({ dataset: data, src }: HTMLScriptElement): BrowserTrackerOptions {
  const list = (value: string) => value.split(/[\s,]+/);
  const { capture, consent, policyVersion, showTimeout } = data;
  const options: BrowserTrackerOptions = {
    writeKey: data.writeKey ?? '',
    host: data.host ?? src.slice(0, src.lastIndexOf('/')),
  };
  if (capture !== undefined) {
    options.capture = Object.fromEntries(list(capture).map((name) => [name, true]));
    options.captureOnly = true;
  }
  if (consent)
    options.consentDefaults = (
      consent === 'granted' ? ['analytics', 'personalization', 'marketing'] : list(consent)
    ) as CategoryInput;
  if (policyVersion) options.policyVersion = policyVersion;
  if (showTimeout) options.personalize = Number(showTimeout);
  if (data.eraseOnRevoke !== undefined) options.eraseOnRevoke = true;
  return options;
}
