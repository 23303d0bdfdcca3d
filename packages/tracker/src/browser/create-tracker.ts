import { type CoreTrackerOptions, createCoreTracker } from '../core/create-core-tracker.js';
import type { Platform } from '../core/platform.js';
import type { Tracker } from '../core/types.js';
import { cartAttributes } from './capture/cart-attributes.js';
import { clicks } from './capture/clicks.js';
import { elementViews } from './capture/element-views.js';
import { engagement } from './capture/engagement.js';
import { pageViews } from './capture/page-views.js';
import { scrollDepth } from './capture/scroll-depth.js';
import { createBrowserPlatform } from './create-browser-platform.js';
import { personalize } from './personalize.js';

const CAPTURE = { page: pageViews, clicks, scroll: scrollDepth, views: elementViews, engagement, cart: cartAttributes };
export type CaptureName = keyof typeof CAPTURE;

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
 * The browser tracker: the core on the browser platform, with autocapture and personalization.
 *
 * @example
 * import { createTracker } from '@loupe/tracker';
 * const loupe = createTracker({ writeKey: 'wk_…', host: 'https://collector.example' });
 * loupe.consent.grant(['analytics']);
 * loupe.track('Signed Up', { plan: 'pro' });
 */
export function createTracker({
  platform,
  capture = {},
  captureOnly,
  personalize: show = true,
  plugins = [],
  ...options
}: BrowserTrackerOptions): Tracker {
  const on = (name: CaptureName) => capture[name] ?? !captureOnly;
  return createCoreTracker({
    ...options,
    platform: platform ?? createBrowserPlatform(),
    plugins: [
      ...(show === false ? [] : [personalize(show === true ? undefined : show)]),
      ...(Object.keys(CAPTURE) as CaptureName[]).filter(on).map((name) => CAPTURE[name]),
      ...plugins,
    ],
  });
}
