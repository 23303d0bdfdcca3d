import { describe, expect, it } from 'vitest';
import { createDeviceContext, describeDevice } from './device-context.js';

const dimensions = (width: number, height: number) => ({ get: () => ({ width, height, scale: 3 }) });

describe('device context', () => {
  it('describes an Android device with Segment field names', () => {
    const context = describeDevice({
      OS: 'android',
      Version: 34,
      constants: { Release: '14', Manufacturer: 'Google', Model: 'Pixel 8', Brand: 'google' },
    });
    expect(context).toEqual({
      os: { name: 'Android', version: '14' },
      device: { type: 'android', manufacturer: 'Google', model: 'Pixel 8', brand: 'google' },
    });
  });

  it('describes an iPhone', () => {
    const context = describeDevice({
      OS: 'ios',
      Version: '17.4',
      constants: { systemName: 'iOS', osVersion: '17.4', interfaceIdiom: 'phone' },
    });
    expect(context).toEqual({
      os: { name: 'iOS', version: '17.4' },
      device: { type: 'ios', manufacturer: 'Apple', idiom: 'phone' },
    });
  });

  it('adds the app, locale, timezone and the current screen size', () => {
    let size = dimensions(390, 844);
    const modules = { Platform: { OS: 'ios', Version: '17.4' }, Dimensions: { get: () => size.get() } };
    const context = createDeviceContext(modules, { name: 'Shop', version: '1.2.0', build: '42' });
    expect(context()).toMatchObject({
      app: { name: 'Shop', version: '1.2.0', build: '42' },
      screen: { width: 390, height: 844, density: 3 },
    });
    expect(context().locale).toEqual(expect.any(String));
    expect(context().timezone).toEqual(expect.any(String));
    size = dimensions(844, 390);
    expect(context().screen).toEqual({ width: 844, height: 390, density: 3 });
  });

  it('still gives a context without react-native modules', () => {
    const context = createDeviceContext(undefined)();
    expect(context.os).toBeUndefined();
    expect(context.locale).toEqual(expect.any(String));
  });
});
