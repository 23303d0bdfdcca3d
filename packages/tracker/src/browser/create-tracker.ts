import type { Tracker } from '../core/types.js';
import { type BrowserTrackerOptions, type CaptureName, composeBrowserTracker } from './browser-tracker.js';
import { cartAttributes } from './capture/cart-attributes.js';
import { clicks } from './capture/clicks.js';
import { elementViews } from './capture/element-views.js';
import { engagement } from './capture/engagement.js';
import { pageViews } from './capture/page-views.js';
import { scrollDepth } from './capture/scroll-depth.js';
import { personalize } from './personalize.js';

export type { BrowserTrackerOptions, CaptureName } from './browser-tracker.js';

const CAPTURE = { page: pageViews, clicks, scroll: scrollDepth, views: elementViews, engagement, cart: cartAttributes };

/**
 * The browser tracker: the core on the browser platform, with autocapture and personalization,
 * all in the one bundle (loupe.js loads the markup-driven parts from loupe-x.js when a page uses them).
 *
 * @example
 * import { createTracker } from '@loupe/tracker';
 * const loupe = createTracker({ writeKey: 'wk_…', host: 'https://collector.example' });
 * loupe.consent.grant(['analytics']);
 * loupe.track('Signed Up', { plan: 'pro' });
 */
export function createTracker(options: BrowserTrackerOptions): Tracker {
  return composeBrowserTracker(options, (on, show) => [
    ...(show === false ? [] : [personalize(show)]),
    ...(Object.keys(CAPTURE) as CaptureName[]).filter(on).map((name) => CAPTURE[name]),
  ]);
}
