import { describe, expect, it } from 'vitest';
import { type RouteLike, trackScreens } from './screen-tracking.js';

function setup(options: Parameters<typeof trackScreens>[2] = {}) {
  const screens: [string, unknown][] = [];
  let route: RouteLike | undefined;
  const props = trackScreens(
    { screen: (name, properties) => screens.push([name, properties]) },
    { getCurrentRoute: () => route },
    options,
  );
  return { screens, props, show: (next: RouteLike | undefined) => (route = next) };
}

describe('trackScreens', () => {
  it('tracks the first screen when navigation is ready and each new route after', () => {
    const { screens, props, show } = setup();
    show({ key: 'home-1', name: 'Home' });
    props.onReady();
    show({ key: 'product-1', name: 'Product', params: { id: 'sku-1' } });
    props.onStateChange();
    expect(screens).toEqual([
      ['Home', {}],
      ['Product', {}],
    ]);
  });

  it('does not track again when only the params or nested state change', () => {
    const { screens, props, show } = setup();
    show({ key: 'product-1', name: 'Product', params: { id: 'a' } });
    props.onReady();
    show({ key: 'product-1', name: 'Product', params: { id: 'b' } });
    props.onStateChange();
    expect(screens).toHaveLength(1);
  });

  it('tracks the same screen again when it is pushed anew', () => {
    const { screens, props, show } = setup();
    show({ key: 'product-1', name: 'Product' });
    props.onReady();
    show({ key: 'product-2', name: 'Product' });
    props.onStateChange();
    expect(screens.map(([name]) => name)).toEqual(['Product', 'Product']);
  });

  it('names screens and picks properties as told, and skips the ones named null', () => {
    const { screens, props, show } = setup({
      name: (route) => (route.name === 'Secret' ? null : route.name.toLowerCase()),
      properties: (route) => ({ route: route.name }),
    });
    show({ key: 's', name: 'Secret' });
    props.onReady();
    show({ key: 'c', name: 'Cart' });
    props.onStateChange();
    expect(screens).toEqual([['cart', { route: 'Cart' }]]);
  });

  it('waits for a route before tracking anything', () => {
    const { screens, props } = setup();
    props.onReady();
    expect(screens).toEqual([]);
  });
});
