import { useLoupe } from '@loupe/tracker/react-native';
import { useSyncExternalStore } from 'react';

/** The visitor's consent state, re-rendering when it changes. */
export function useConsent() {
  const { consent } = useLoupe();
  const get = () => consent.get();
  return useSyncExternalStore((onChange) => consent.onChange(onChange), get, get);
}
