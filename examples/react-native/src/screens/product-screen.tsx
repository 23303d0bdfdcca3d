import { useLoupe } from '@loupe/tracker/react-native';
import { type RouteProp, useRoute } from '@react-navigation/native';
import { useEffect } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useCart } from '../cart-state';
import { findProduct } from '../catalog';
import { type ShopParams, useShopNavigation } from '../navigation';

export function ProductScreen() {
  const { params } = useRoute<RouteProp<ShopParams, 'Product'>>();
  const navigation = useShopNavigation();
  const loupe = useLoupe();
  const cart = useCart();
  const product = findProduct(params.productId);

  useEffect(() => {
    if (product) loupe.cart.view(product);
  }, [loupe, product]);

  if (!product) return <Text>Not found</Text>;
  return (
    <View style={styles.screen}>
      <Text style={styles.title}>{product.name}</Text>
      <Text>€{product.price.toFixed(2)}</Text>
      <Pressable
        accessibilityRole="button"
        style={styles.button}
        onPress={() => {
          cart.add(product);
          loupe.cart.add({ ...product, quantity: 1 });
          navigation.navigate('Cart');
        }}
      >
        <Text style={styles.buttonText}>Add to cart</Text>
      </Pressable>
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, padding: 16, gap: 12 },
  title: { fontSize: 22, fontWeight: '600' },
  button: { backgroundColor: '#222', padding: 12, borderRadius: 6, alignItems: 'center' },
  buttonText: { color: '#fff' },
});
