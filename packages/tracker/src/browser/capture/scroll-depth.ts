import { AUTO_EVENTS } from '@loupe/schema';
import type { Plugin } from '../../core/types.js';
import { listen } from './listen.js';
import { newDepths } from './scroll-math.js';

/**
 * `Scroll Depth Reached` at 25, 50, 75 and 100 %, each once per page view: an SPA navigation starts
 * over, a hash route's (`#/cart`) included, as each is a page view of its own.
 */
export const scrollDepth: Plugin = (host) => {
  let reached = new Set<number>();
  let page = location.href;
  let scheduled = false;
  const measure = () => {
    scheduled = false;
    if (location.href !== page) {
      page = location.href;
      reached = new Set();
    }
    for (const depth of newDepths(scrollY, innerHeight, document.documentElement.scrollHeight, reached)) {
      reached.add(depth);
      host.track(AUTO_EVENTS.scrollDepthReached, { depth });
    }
  };
  // Scroll fires once per frame or more: measuring once per frame is enough.
  return listen(window, 'scroll', () => {
    if (!scheduled) scheduled = !!requestAnimationFrame(measure);
  });
};
