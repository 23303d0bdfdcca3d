import type { Consent } from '../create-consent.js';

/**
 * Keeps two consent instances on one page in step (the banner's and loupe.js's, whichever loaded
 * first): a change on one is applied to the other without writing again, since both keep their
 * decision under the same storage key. Starts by handing `from`'s decision over when it has one.
 */
export function mirrorConsent(from: Consent, to: Consent): () => void {
  let applying = false;
  const copy = (source: Consent, target: Consent) => {
    const state = source.get();
    if (applying || !state.decided) return;
    applying = true;
    try {
      target.update(state.categories, { source: state.source, persist: false });
    } finally {
      applying = false;
    }
  };
  copy(from, to);
  const stops = [
    from.onChange(({ reason }) => reason !== 'restore' && copy(from, to)),
    to.onChange(({ reason }) => reason !== 'restore' && copy(to, from)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
