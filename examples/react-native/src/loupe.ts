import { createTracker } from '@loupe/tracker/react-native';

/** The collector this app reports to: `npm start` in the repository serves one on port 3000 with this demo key. */
export const COLLECTOR_URL = 'http://10.0.2.2:3000'; // the host machine, seen from the Android emulator
export const WRITE_KEY = 'wk_demo_local';

/** One tracker for the app, created at import: AsyncStorage, AppState and NetInfo are found by themselves. */
export const loupe = createTracker({
  writeKey: WRITE_KEY,
  host: COLLECTOR_URL,
  app: { name: 'Loupe Shop', version: '1.0.0', build: '1', namespace: 'dev.loupe.shop' },
  onError: (error) => console.warn('[loupe]', error),
});
