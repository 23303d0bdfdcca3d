import { createReactNativePlatform } from '@loupe/tracker/react-native';
import { describePlatform } from './describe-platform.js';
import { androidDevice, createFakeAppState, createFakeNetInfo, loadAsyncStorageMock } from './react-native-fakes.js';

// React Native in Node: the adapter's own storage, transport and lifecycle code, with only the
// native modules replaced (AsyncStorage's jest mock, a fake AppState and NetInfo).
describePlatform('React Native (AsyncStorage jest mock, fake AppState and NetInfo)', async () => {
  const asyncStorage = loadAsyncStorageMock();
  return {
    consentEntry: '@loupe/consent',
    stored: async () => [...(await asyncStorage.getAllKeys())].sort(),
    launch() {
      const appState = createFakeAppState();
      const netInfo = createFakeNetInfo(false);
      return {
        platform: createReactNativePlatform({
          asyncStorage,
          appState,
          netInfo,
          device: androidDevice,
          app: { name: 'Shop', version: '1.0.0' },
        }),
        background: () => {
          appState.set('inactive');
          appState.set('background');
        },
        reconnect: () => netInfo.set(true),
      };
    },
  };
});
