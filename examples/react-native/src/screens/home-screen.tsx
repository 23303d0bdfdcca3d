import { type Segment, useSegment } from '@loupe/tracker/react-native';
import { FlatList, Pressable, StyleSheet, Text, View } from 'react-native';
import { CATALOG } from '../catalog';
import { useShopNavigation } from '../navigation';

/** What the home screen leads with for each segment; `null` (unknown, none, or no consent) gets the default. */
function Highlight({ segment }: { segment: Segment | null }) {
  switch (segment?.id) {
    case 'power-users':
      return <Text style={styles.highlight}>Early access: the new grinder ships to you first.</Text>;
    case 'cart-abandoners':
      return <Text style={styles.highlight}>Still thinking it over? Shipping is free this week.</Text>;
    case 'churn-risk':
      return <Text style={styles.highlight}>We missed you: 10 % off your next order.</Text>;
    default:
      return <Text style={styles.highlight}>Bestsellers of the month</Text>;
  }
}

export function HomeScreen() {
  const navigation = useShopNavigation();
  const segment = useSegment();
  return (
    <View style={styles.screen}>
      <Highlight segment={segment} />
      <FlatList
        data={CATALOG}
        keyExtractor={(item) => item.product_id}
        renderItem={({ item }) => (
          <Pressable style={styles.row} onPress={() => navigation.navigate('Product', { productId: item.product_id })}>
            <Text>{item.name}</Text>
            <Text>€{item.price.toFixed(2)}</Text>
          </Pressable>
        )}
      />
      <Pressable accessibilityRole="button" style={styles.cart} onPress={() => navigation.navigate('Cart')}>
        <Text>Cart</Text>
      </Pressable>
    </View>
  );
}

const styles = StyleSheet.create({
  screen: { flex: 1, padding: 16 },
  highlight: { fontSize: 18, fontWeight: '600', marginBottom: 16 },
  row: { flexDirection: 'row', justifyContent: 'space-between', paddingVertical: 12 },
  cart: { alignSelf: 'flex-end', padding: 12 },
});
