import type { Lifecycle } from '../core/platform.js';

const listen = (target: EventTarget, type: string, listener: () => void) => {
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
};

/** visibilitychange → hide, pagehide → leave (bfcache-safe, unlike unload), online → online. */
export function createPageLifecycle(): Lifecycle {
  return {
    onHide: (listener) =>
      listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && listener()),
    onLeave: (listener) => listen(window, 'pagehide', listener),
    onOnline: (listener) => listen(window, 'online', listener),
    setTimer(callback, ms) {
      const id = setTimeout(callback, ms);
      return () => clearTimeout(id);
    },
  };
}
