import type { Lifecycle } from '../core/platform.js';
import { listen } from './capture/listen.js';

/** visibilitychange → hide, pagehide → leave (bfcache-safe, unlike unload), online → online. */
export const createPageLifecycle = (): Lifecycle => ({
  onHide: (listener) => listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && listener()),
  onLeave: (listener) => listen(window, 'pagehide', listener),
  onOnline: (listener) => listen(window, 'online', listener),
  setTimer(callback, ms) {
    const id = setTimeout(callback, ms);
    return () => clearTimeout(id);
  },
});
