import type { Cancel } from '../core/platform.js';
import type { PluginHost } from '../core/types.js';
import { type CartData, cartClick } from './capture/cart-attributes.js';
import { elementViews } from './capture/element-views.js';
import { showContent } from './personalize.js';

/** The extras loupe.js asks for: its capture switches and personalization (`false` when off, else its timeout). */
export interface ExtrasOptions {
  views: boolean;
  cart: boolean;
  show: number | false | undefined;
}

/**
 * loupe-x.js: the features a page opts into by markup and most pages do not use (`data-loupe-view`,
 * `data-loupe-cart`, `data-loupe-show`), started by loupe.js (load-extras.ts) with its plugin host,
 * the stylesheet that has hidden `data-loupe-show` content so far, and the cart clicks queued so
 * far; later clicks are pushed to the same queue, which this takes over. Only public tracker
 * members cross between the two files (each is minified on its own). Both are cached for five
 * minutes, so a page may pair a loupe.js with the loupe-x.js of the next release: a change to this
 * signature must keep the old one working.
 */
export function startExtras(
  host: PluginHost,
  { views, cart, show }: ExtrasOptions,
  style: HTMLStyleElement | undefined,
  clicks: CartData[],
): Cancel {
  const stops = [views ? elementViews(host) : undefined, show !== false ? showContent(show, style)(host) : undefined];
  if (cart) {
    for (const data of clicks.splice(0)) cartClick(host, data);
    clicks.push = (...data) => {
      for (const item of data) cartClick(host, item);
      return 0;
    };
  }
  return () => {
    for (const stop of stops) stop?.();
  };
}

export type StartExtras = typeof startExtras;
