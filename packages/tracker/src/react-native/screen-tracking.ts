import type { Properties, Tracker } from '../core/types.js';

/** A react-navigation route, by shape (`Route` from @react-navigation/native fits). */
export interface RouteLike {
  key?: string;
  name: string;
  params?: unknown;
}

/** What the helper needs of a `NavigationContainer` ref (`createNavigationContainerRef()`). */
export interface NavigationRefLike {
  getCurrentRoute(): RouteLike | undefined;
}

export interface ScreenTrackingOptions {
  /** The screen name for a route; null to not track it. Default: the route's name. */
  name?: (route: RouteLike) => string | null;
  /** Properties of the screen event. Default: none (route params often hold ids and search terms). */
  properties?: (route: RouteLike) => Properties;
}

/** Props for `<NavigationContainer>`: compose them with your own handlers if you have some. */
export interface ScreenTrackingProps {
  onReady(): void;
  onStateChange(): void;
}

/**
 * Tracks a `screen` view each time react-navigation shows another route.
 *
 * @example
 * const navigationRef = createNavigationContainerRef();
 * const screens = trackScreens(loupe, navigationRef);
 * <NavigationContainer ref={navigationRef} onReady={screens.onReady} onStateChange={screens.onStateChange}>
 */
export function trackScreens(
  tracker: Pick<Tracker, 'screen'>,
  navigation: NavigationRefLike,
  { name = (route) => route.name, properties = () => ({}) }: ScreenTrackingOptions = {},
): ScreenTrackingProps {
  let current: string | undefined;
  const update = () => {
    const route = navigation.getCurrentRoute();
    if (!route) return;
    // Params changes on the same screen (setParams) are not a new view; the same name with a new key is.
    const id = route.key ?? route.name;
    if (id === current) return;
    current = id;
    const screen = name(route);
    if (screen !== null) tracker.screen(screen, properties(route));
  };
  return { onReady: update, onStateChange: update };
}
