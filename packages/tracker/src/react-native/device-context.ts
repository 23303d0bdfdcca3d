import type { EventContext } from '@loupe/schema';
import type { DeviceModules } from './native-modules.js';

/** What the app says about itself (React Native has no API for it: pass it, e.g. from expo-application). */
export interface AppInfo {
  name?: string;
  version?: string;
  build?: string;
  /** Bundle id (iOS) or application id (Android). */
  namespace?: string;
}

type Constants = Record<string, unknown>;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** `context.os` and `context.device` from react-native's `Platform` (Segment's field names). */
export function describeDevice({
  OS,
  Version,
  constants = {},
}: DeviceModules['Platform']): Pick<EventContext, 'os' | 'device'> {
  const c = constants as Constants;
  if (OS === 'android') {
    return {
      os: defined({ name: 'Android', version: text(c.Release) ?? String(Version) }),
      device: defined({
        type: 'android',
        manufacturer: text(c.Manufacturer),
        model: text(c.Model),
        brand: text(c.Brand),
      }),
    };
  }
  if (OS === 'ios') {
    return {
      os: defined({ name: text(c.systemName) ?? 'iOS', version: text(c.osVersion) ?? String(Version) }),
      device: defined({ type: 'ios', manufacturer: 'Apple', idiom: text(c.interfaceIdiom) }),
    };
  }
  return { os: { name: OS, version: String(Version) }, device: { type: OS } };
}

/**
 * The context of an event captured now: app, device, os and locale are read once; the screen per
 * event, since it changes when the device rotates or a window is resized.
 */
export function createDeviceContext(modules: DeviceModules | undefined, app: AppInfo = {}): () => EventContext {
  let fixed: EventContext | undefined;
  return () => {
    if (!fixed) {
      const { locale, timeZone } = Intl.DateTimeFormat().resolvedOptions();
      fixed = {
        ...(modules ? describeDevice(modules.Platform) : {}),
        ...(Object.keys(app).length > 0 ? { app: { ...app } } : {}),
        locale,
        timezone: timeZone,
      };
    }
    const context: EventContext = { ...fixed };
    try {
      const screen = modules?.Dimensions.get('screen');
      if (screen)
        context.screen = {
          width: screen.width,
          height: screen.height,
          ...(screen.scale ? { density: screen.scale } : {}),
        };
    } catch {
      // A failing native module costs the event its screen size, never the event.
    }
    return context;
  };
}
