import { describe, expect, it } from 'vitest';
import { createAppLifecycle } from './app-lifecycle.js';
import type { AppStateLike, NetInfoLike } from './native-modules.js';

function fakeAppState(initial = 'active') {
  const listeners = new Set<(state: string) => void>();
  const appState: AppStateLike & { set(state: string): void; listeners: Set<unknown> } = {
    currentState: initial,
    listeners,
    addEventListener: (_type, listener) => (listeners.add(listener), { remove: () => void listeners.delete(listener) }),
    set(state) {
      for (const listener of [...listeners]) listener(state);
    },
  };
  return appState;
}

function fakeNetInfo(connected: boolean) {
  const listeners = new Set<(state: { isConnected: boolean | null; isInternetReachable?: boolean | null }) => void>();
  const netInfo: NetInfoLike & { set(connected: boolean | null, reachable?: boolean | null): void } = {
    addEventListener(listener) {
      listeners.add(listener);
      listener({ isConnected: connected });
      return () => listeners.delete(listener);
    },
    set(isConnected, isInternetReachable = null) {
      for (const listener of [...listeners]) listener({ isConnected, isInternetReachable });
    },
  };
  return netInfo;
}

describe('createAppLifecycle', () => {
  it('calls hide when the app goes to the background, not when it is only inactive', () => {
    const appState = fakeAppState();
    let hidden = 0;
    createAppLifecycle({ appState }).onHide(() => hidden++);
    appState.set('inactive');
    expect(hidden).toBe(0);
    appState.set('background');
    appState.set('background');
    expect(hidden).toBe(1);
  });

  it('calls online when the app comes back to the foreground', () => {
    const appState = fakeAppState('background');
    let online = 0;
    createAppLifecycle({ appState }).onOnline(() => online++);
    appState.set('active');
    expect(online).toBe(1);
  });

  it('calls online when NetInfo goes from offline to online, not for its first report', () => {
    const netInfo = fakeNetInfo(true);
    let online = 0;
    createAppLifecycle({ appState: fakeAppState(), netInfo }).onOnline(() => online++);
    expect(online).toBe(0);
    netInfo.set(false);
    netInfo.set(true, true);
    expect(online).toBe(1);
  });

  it('treats a connected network without internet as offline', () => {
    const netInfo = fakeNetInfo(false);
    let online = 0;
    createAppLifecycle({ appState: fakeAppState(), netInfo }).onOnline(() => online++);
    netInfo.set(true, false);
    expect(online).toBe(0);
    netInfo.set(true, true);
    expect(online).toBe(1);
  });

  it('removes its AppState and NetInfo listeners when cancelled', () => {
    const appState = fakeAppState();
    const netInfo = fakeNetInfo(false);
    const lifecycle = createAppLifecycle({ appState, netInfo });
    let calls = 0;
    const cancels = [lifecycle.onHide(() => calls++), lifecycle.onOnline(() => calls++)];
    for (const cancel of cancels) cancel();
    appState.set('background');
    appState.set('active');
    netInfo.set(true, true);
    expect(calls).toBe(0);
    expect(appState.listeners.size).toBe(0);
  });
});
