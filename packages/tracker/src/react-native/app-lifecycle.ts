import type { Cancel, Lifecycle } from '../core/platform.js';
import type { AppStateLike, NetInfoLike } from './native-modules.js';

export interface AppLifecycleOptions {
  appState: AppStateLike;
  /** Connectivity events; without it, coming back to the foreground is the cue to retry. */
  netInfo?: NetInfoLike | undefined;
}

/**
 * An app's lifecycle as the core sees it: going to the background is "hide" (the last moment JS
 * surely runs: timers stop once the OS suspends the app), connectivity returning or the app coming
 * back to the foreground is "online". An app has no unload a beacon could ride, so "leave" never fires.
 */
export function createAppLifecycle({ appState, netInfo }: AppLifecycleOptions): Lifecycle {
  const onAppState = (listener: (state: string) => void): Cancel => {
    let previous = appState.currentState;
    const subscription = appState.addEventListener('change', (state) => {
      if (state !== previous) listener(state);
      previous = state;
    });
    return () => subscription.remove();
  };

  return {
    onHide: (listener) => onAppState((state) => state === 'background' && listener()),
    onLeave: () => () => {},
    onOnline(listener) {
      const cancels: Cancel[] = [onAppState((state) => state === 'active' && listener())];
      if (netInfo) {
        // NetInfo reports the current state at once: only a change from offline to online counts.
        let offline = false;
        cancels.push(
          netInfo.addEventListener(({ isConnected, isInternetReachable }) => {
            const connected = isConnected !== false && isInternetReachable !== false;
            if (connected && offline) listener();
            offline = !connected;
          }),
        );
      }
      return () => {
        for (const cancel of cancels) cancel();
      };
    },
    setTimer(callback, ms) {
      const id = setTimeout(callback, ms);
      return () => clearTimeout(id);
    },
  };
}
