import type { Plugin } from '../core/types.js';
import type { CartData } from './capture/cart-attributes.js';
import { listen } from './capture/listen.js';
import type { ExtrasOptions, StartExtras } from './extras.js';

// Until loupe-x.js runs, data-loupe-show content stays hidden (no flash of every variant); if it
// cannot be loaded, the default content shows, as it would without a segment.
const HIDDEN = '{display:none!important}';
const MARKUP = '[data-loupe-view],[data-loupe-cart],[data-loupe-show]';

/**
 * Loads loupe-x.js (extras.ts) once the page holds markup for it: at start, or when such markup is
 * rendered later (an SPA route), noticed by a MutationObserver that stops once loading has begun
 * (markup of a feature switched off loads it too: one selector, and it then starts only what is on).
 * The observer looks only at the nodes each mutation adds, never the whole document again: on a page
 * that re-renders every frame, a document-wide query per mutation cost 10 to 20 % of the main thread
 * (bench/tracker/host-page.js). Markup that appears by an attribute set on an element already in the
 * page is not noticed; rendered markup is inserted, and that is what is watched.
 * `data-loupe-cart` clicks are read here, at the click, and queued for loupe-x.js, which takes the
 * queue over (as loupe.js takes over the snippet's): no cart event is lost to the wait, only to a
 * loupe-x.js that cannot be loaded at all.
 */
export const loadExtras =
  (url: string, options: ExtrasOptions): Plugin =>
  (host) => {
    const style = options.show !== false ? document.head.appendChild(document.createElement('style')) : undefined;
    if (style) style.textContent = `[data-loupe-show]${HIDDEN}`;
    const clicks: CartData[] = [];
    let loading: Promise<void> | undefined;
    // Undefined until loupe-x.js has started; null once torn down (it must not start after that).
    let stop: (() => void) | undefined | null;
    // Text and comment nodes have neither method.
    const holds = (node: Node) => (node as Element).matches?.(MARKUP) || (node as Element).querySelector?.(MARKUP);
    const observer = new MutationObserver((records) => {
      if (records.some((record) => [...record.addedNodes].some(holds))) load();
    });
    const load = () => {
      observer.disconnect();
      // A module, imported from this classic script: no script element, no global, a promise. Resolved
      // against the page, as fetch resolves the batch URL (import() would resolve a relative
      // data-host against loupe.js's own URL).
      loading ??= (import(`${new URL(url, location.href)}`) as Promise<{ default: StartExtras }>).then(
        (extras) => {
          if (stop === undefined) stop = extras.default(host, options, style, clicks);
        },
        () => {
          if (style) style.textContent = `[data-loupe-show]:not([data-loupe-show~=default])${HIDDEN}`;
        },
      );
    };
    observer.observe(document.documentElement, { childList: true, subtree: true });
    const offClicks = listen(document, 'click', ({ target }) => {
      const element = options.cart && target instanceof Element && target.closest<HTMLElement>('[data-loupe-cart]');
      if (!element) return;
      clicks.push({ ...element.dataset });
      load();
    });
    if (document.querySelector(MARKUP)) load();
    return () => {
      observer.disconnect();
      offClicks();
      stop?.();
      stop = null;
    };
  };
