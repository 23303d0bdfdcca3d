import type { CategoryInput } from '@loupe/consent';
import type { BrowserTrackerOptions } from './create-tracker.js';

/**
 * Options from the script tag: `data-write-key`; `data-host`, else the folder the script was
 * served from (a collector behind the site's own proxy path works under any file name);
 * `data-capture="page clicks scroll views engagement cart"` (what to autocapture, all by default);
 * `data-consent="analytics personalization"` or `"granted"` (defaults for sites without a banner);
 * `data-policy-version`; `data-show-timeout` (ms before `data-loupe-show` falls back to `default`);
 * `data-erase-on-revoke` (on withdrawal, ask the collector to erase this browser's data).
 */
export function scriptOptions({ dataset: data, src }: HTMLScriptElement): BrowserTrackerOptions {
  const list = (value = '') => value.split(/[\s,]+/);
  return {
    writeKey: data.writeKey ?? '',
    host: data.host ?? src.slice(0, src.lastIndexOf('/')),
    ...(data.capture !== undefined
      ? { capture: Object.fromEntries(list(data.capture).map((name) => [name, true])), captureOnly: true }
      : {}),
    ...(data.consent
      ? {
          consentDefaults: (data.consent === 'granted'
            ? ['analytics', 'personalization', 'marketing']
            : list(data.consent)) as CategoryInput,
        }
      : {}),
    ...(data.policyVersion ? { policyVersion: data.policyVersion } : {}),
    ...(data.showTimeout ? { personalize: Number(data.showTimeout) } : {}),
    ...(data.eraseOnRevoke !== undefined ? { eraseOnRevoke: true } : {}),
  };
}
