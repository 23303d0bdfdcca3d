import { useLoupe } from '@loupe/tracker/react-native';
import { Pressable, StyleSheet, Text, View } from 'react-native';
import { useConsent } from './use-consent';

/** Asks once; nothing is stored or sent before an answer. */
export function ConsentBanner() {
  const { consent } = useLoupe();
  if (useConsent().decided) return null;
  return (
    <View style={styles.banner} accessibilityRole="alert">
      <Text style={styles.text}>We measure how the shop is used to improve it and to show you relevant offers.</Text>
      <View style={styles.row}>
        <Pressable accessibilityRole="button" style={styles.button} onPress={() => consent.deny()}>
          <Text>Refuse</Text>
        </Pressable>
        <Pressable accessibilityRole="button" style={styles.button} onPress={() => consent.grant(['analytics'])}>
          <Text>Analytics only</Text>
        </Pressable>
        <Pressable
          accessibilityRole="button"
          style={[styles.button, styles.primary]}
          onPress={() => consent.grant(['analytics', 'personalization'])}
        >
          <Text style={styles.primaryText}>Accept</Text>
        </Pressable>
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  banner: { padding: 16, backgroundColor: '#f4f1ea', borderTopWidth: 1, borderColor: '#ddd' },
  text: { marginBottom: 12 },
  row: { flexDirection: 'row', justifyContent: 'flex-end', gap: 8 },
  button: { paddingVertical: 8, paddingHorizontal: 12, borderRadius: 6, borderWidth: 1, borderColor: '#999' },
  primary: { backgroundColor: '#222', borderColor: '#222' },
  primaryText: { color: '#fff' },
});
