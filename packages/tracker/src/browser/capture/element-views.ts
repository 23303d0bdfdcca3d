import { AUTO_EVENTS } from '@loupe/schema';
import type { Plugin } from '../../core/types.js';
import { selectorFor } from './selector.js';

const VISIBLE = 0.5;
const DWELL_MS = 1000;
const MARKED = '[data-loupe-view]';

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
  const observe = (element: Element) => {
    if (!observed.has(element)) {
      observed.add(element);
      io.observe(element);
    }
  };
  const scan = (root: ParentNode) => {
    for (const element of root.querySelectorAll(MARKED)) observe(element);
  };
  scan(document);
  // Content rendered later (SPA routes, lazy sections): only what each mutation adds is looked at,
  // never the whole document again, so a page that re-renders every frame pays for its own nodes.
  const mo = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes)
        if (node instanceof Element) {
          if (node.matches(MARKED)) observe(node);
          scan(node);
        }
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
  return () => {
    io.disconnect();
    mo.disconnect();
  };
};
