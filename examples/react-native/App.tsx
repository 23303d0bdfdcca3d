import { LoupeProvider, trackScreens } from '@loupe/tracker/react-native';
import { createNavigationContainerRef, NavigationContainer } from '@react-navigation/native';
import { SafeAreaView, StyleSheet } from 'react-native';
import { CartProvider } from './src/cart-state';
import { ConsentBanner } from './src/consent-banner';
import { loupe } from './src/loupe';
import { type ShopParams, Stack } from './src/navigation';
import { CartScreen } from './src/screens/cart-screen';
import { HomeScreen } from './src/screens/home-screen';
import { ProductScreen } from './src/screens/product-screen';

const navigationRef = createNavigationContainerRef<ShopParams>();
// A `screen` event each time another route shows: Home, Product, Cart.
const screens = trackScreens(loupe, navigationRef);

export default function App() {
  return (
    <LoupeProvider tracker={loupe}>
      <CartProvider>
        <SafeAreaView style={styles.app}>
          <NavigationContainer ref={navigationRef} onReady={screens.onReady} onStateChange={screens.onStateChange}>
            <Stack.Navigator initialRouteName="Home">
              <Stack.Screen name="Home" component={HomeScreen} />
              <Stack.Screen name="Product" component={ProductScreen} />
              <Stack.Screen name="Cart" component={CartScreen} />
            </Stack.Navigator>
          </NavigationContainer>
          <ConsentBanner />
        </SafeAreaView>
      </CartProvider>
    </LoupeProvider>
  );
}

const styles = StyleSheet.create({ app: { flex: 1 } });
