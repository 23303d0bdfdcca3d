import type { Plugin } from '../../core/types.js';
import { listen } from './listen.js';

/** `page` on load and on every SPA navigation (pushState, replaceState, popstate, hashchange). */
export const pageViews: Plugin = (host) => {
  let last = location.href;
  host.page();
  // A tick later: routers set the title after they push the URL.
  const check = () =>
    setTimeout(() => {
      if (location.href !== last) {
        last = location.href;
        host.page();
      }
    });
  const { pushState, replaceState } = history;
  history.pushState = (...args) => (pushState.apply(history, args), check());
  history.replaceState = (...args) => (replaceState.apply(history, args), check());
  const offPop = listen(window, 'popstate', check);
  const offHash = listen(window, 'hashchange', check);
  return () => {
    Object.assign(history, { pushState, replaceState });
    offPop();
    offHash();
  };
};
