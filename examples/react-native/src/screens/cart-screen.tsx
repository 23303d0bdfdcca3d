import { useLoupe } from '@loupe/tracker/react-native';
import { useEffect, useRef } from 'react';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useCart } from '../cart-state';
import { useShopNavigation } from '../navigation';

export function CartScreen() {
  const loupe = useLoupe();
  const cart = useCart();
  const navigation = useShopNavigation();
  const cartId = useRef(`cart-${Date.now().toString(36)}`).current;
  const products = cart.lines.map(({ product_id, sku, name, price, quantity, currency }) => ({
    product_id,
    ...(sku ? { sku } : {}),
    name,
    price,
    quantity,
    ...(currency ? { currency } : {}),
  }));
  const total = products.reduce((sum, line) => sum + line.price * line.quantity, 0);

  useEffect(() => {
    loupe.cart.view({ cart_id: cartId });
  }, [loupe, cartId]);

  const checkout = () => {
    loupe.cart.checkout({ cart_id: cartId, currency: 'EUR', products });
    // A real app pays here; the demo completes the order at once.
    loupe.cart.purchase({ order_id: `order-${Date.now().toString(36)}`, cart_id: cartId, currency: 'EUR', products });
    cart.clear();
    navigation.navigate('Home');
  };

  return (
    <View style={styles.screen}>
      {cart.lines.length === 0 ? <Text>Your cart is empty.</Text> : null}
      {cart.lines.map((line) => (
        <View key={line.product_id} style={styles.row}>
          <Text>
            {line.quantity} × {line.name}
          </Text>
          <Pressable
            accessibilityRole="button"
            onPress={() => {
              cart.remove(line);
              loupe.cart.remove({
                product_id: line.product_id,
                price: line.price,
                quantity: line.quantity,
                cart_id: cartId,
              });
            }}
          >
            <Text>Remove</Text>
          </Pressable>
        </View>
      ))}
      <Text style={styles.total}>Total €{total.toFixed(2)}</Text>
      <Pressable accessibilityRole="button" style={styles.button} disabled={products.length === 0} onPress={checkout}>
        <Text style={styles.buttonText}>Check out</Text>
      </Pressable>
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, padding: 16, gap: 12 },
  row: { flexDirection: 'row', justifyContent: 'space-between' },
  total: { fontWeight: '600' },
  button: { backgroundColor: '#222', padding: 12, borderRadius: 6, alignItems: 'center' },
  buttonText: { color: '#fff' },
});
