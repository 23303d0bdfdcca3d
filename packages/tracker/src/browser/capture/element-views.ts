import { AUTO_EVENTS } from '@loupe/schema';
import type { Plugin } from '../../core/types.js';
import { selectorFor } from './selector.js';

const VISIBLE = 0.5;
const DWELL_MS = 1000;

/** `Element Viewed` once per element when a `data-loupe-view="name"` element stays ≥ 50 % visible for 1 s. */
export const elementViews: Plugin = (host) => {
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const observed = new WeakSet<Element>();
  const io = new IntersectionObserver(
    (entries) => {
      for (const { target, intersectionRatio } of entries) {
        clearTimeout(timers.get(target));
        timers.delete(target);
        if (intersectionRatio >= VISIBLE) {
          timers.set(
            target,
            setTimeout(() => {
              io.unobserve(target);
              host.track(AUTO_EVENTS.elementViewed, {
                selector: selectorFor(target),
                name: target.getAttribute('data-loupe-view'),
              });
            }, DWELL_MS),
          );
        }
      }
    },
    { threshold: VISIBLE },
  );
  const scan = () => {
    for (const element of document.querySelectorAll('[data-loupe-view]')) {
      if (!observed.has(element)) {
        observed.add(element);
        io.observe(element);
      }
    }
  };
  scan();
  // Content rendered later (SPA routes, lazy sections) is picked up by the next scan.
  let pending: ReturnType<typeof setTimeout> | undefined;
  const mo = new MutationObserver(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      scan();
    }, 250);
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
  return () => {
    io.disconnect();
    mo.disconnect();
  };
};
