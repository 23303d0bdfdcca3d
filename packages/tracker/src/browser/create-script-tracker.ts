import type { Tracker } from '../core/types.js';
import { type BrowserTrackerOptions, composeBrowserTracker } from './browser-tracker.js';
import { clicks } from './capture/clicks.js';
import { engagement } from './capture/engagement.js';
import { pageViews } from './capture/page-views.js';
import { scrollDepth } from './capture/scroll-depth.js';
import { loadExtras } from './load-extras.js';
import { segmentAttribute } from './personalize.js';

const CAPTURE = { page: pageViews, clicks, scroll: scrollDepth, engagement };

/**
 * loupe.js's tracker: createTracker's features, with those a page opts into by markup (element
 * views, cart markup, `data-loupe-show` content) loaded from loupe-x.js only when the page has such markup.
 */
export function createScriptTracker(options: BrowserTrackerOptions): Tracker {
  return composeBrowserTracker(options, (on, show) => [
    ...(show === false ? [] : [segmentAttribute]),
    ...(Object.keys(CAPTURE) as (keyof typeof CAPTURE)[]).filter(on).map((name) => CAPTURE[name]),
    loadExtras(options.host.replace(/\/*$/, '/loupe-x.js'), { views: on('views'), cart: on('cart'), show }),
  ]);
}
