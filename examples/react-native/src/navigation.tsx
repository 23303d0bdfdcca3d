import {
  createNavigatorFactory,
  type NavigationAction,
  type NavigationProp,
  type ParamListBase,
  type RouterFactory,
  type StackNavigationState,
  StackRouter,
  type StackRouterOptions,
  useNavigation,
  useNavigationBuilder,
} from '@react-navigation/native';
import type { ComponentType, ReactNode } from 'react';

/** The shop's screens and their params. */
export type ShopParams = {
  Home: undefined;
  Product: { productId: string };
  Cart: undefined;
};

export const useShopNavigation = () => useNavigation<NavigationProp<ShopParams>>();

interface StackProps {
  id?: string;
  initialRouteName?: string;
  children: ReactNode;
}

/**
 * A minimal stack navigator (react-navigation's router, no native screens), so the example needs
 * nothing beyond @react-navigation/native; any real navigator works with `trackScreens` the same way.
 */
// react-navigation's action types declare `payload?: object` without `| undefined`, which
// exactOptionalPropertyTypes rejects; the router is the library's own, so only its type is widened.
const router = StackRouter as unknown as RouterFactory<
  StackNavigationState<ParamListBase>,
  NavigationAction,
  StackRouterOptions
>;

function StackNavigator({ id, initialRouteName, children }: StackProps) {
  const { state, descriptors, NavigationContent } = useNavigationBuilder(router, {
    ...(id ? { id } : {}),
    ...(initialRouteName ? { initialRouteName } : {}),
    children,
  });
  const route = state.routes[state.index];
  return <NavigationContent>{route ? descriptors[route.key]?.render() : null}</NavigationContent>;
}

export const Stack = createNavigatorFactory(StackNavigator)() as {
  Navigator: ComponentType<{ initialRouteName?: keyof ShopParams; children: ReactNode }>;
  Screen: ComponentType<{ name: keyof ShopParams; component: ComponentType<object> }>;
};
