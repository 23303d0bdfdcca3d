import { type CoreTrackerOptions, createCoreTracker } from '../core/create-core-tracker.js';
import type { Platform } from '../core/platform.js';
import type { Plugin, Tracker } from '../core/types.js';
import { createBrowserPlatform } from './create-browser-platform.js';

export type CaptureName = 'page' | 'clicks' | 'scroll' | 'views' | 'engagement' | 'cart';

export interface BrowserTrackerOptions extends Omit<CoreTrackerOptions, 'platform'> {
  /** Defaults to the browser platform; pass the testing platform in unit tests. */
  platform?: Platform;
  /** Autocapture switches: each is on unless set to false (or, with `captureOnly`, unless set to true). */
  capture?: Partial<Record<CaptureName, boolean>>;
  captureOnly?: boolean;
  /** `data-loupe-segment` / `data-loupe-show` handling: false to leave the page alone, or the fallback timeout in ms (800). */
  personalize?: boolean | number;
}

/**
 * The core on the browser platform with the plugins `choose` picks for the options' capture
 * switches and personalization (`false` when off, else its timeout): createTracker takes them all
 * from one bundle, loupe.js part of them from loupe-x.js.
 */
export function composeBrowserTracker(
  { platform, capture = {}, captureOnly, personalize: show = true, plugins = [], ...options }: BrowserTrackerOptions,
  choose: (on: (name: CaptureName) => boolean, show: number | false | undefined) => Plugin[],
): Tracker {
  return createCoreTracker({
    ...options,
    platform: platform ?? createBrowserPlatform(),
    plugins: [...choose((name) => capture[name] ?? !captureOnly, show === true ? undefined : show), ...plugins],
  });
}
