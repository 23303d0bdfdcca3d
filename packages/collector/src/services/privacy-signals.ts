import type { ConsentCategories, ConsentCategory } from '@loupe/schema';

/** A privacy signal seen when a decision was made, and what it changed. */
export interface Signal {
  name: string;
  value: string;
  effect?: string | undefined;
}

/** `Sec-GPC: 1` (the only value the GPC spec defines). */
export function hasGpcHeader(value: string | null | undefined): boolean {
  return value?.trim() === '1';
}

/**
 * Whether `category` may be used under `categories` (a decision, `context.consent.categories`,
 * or nothing at all). Absent means no: consent is never assumed.
 *
 * @example
 * if (!consentAllows(event.context?.consent?.categories, 'personalization')) return c.json({ segment: null });
 */
export function consentAllows(categories: ConsentCategories | null | undefined, category: ConsentCategory): boolean {
  if (category === 'necessary') return true;
  return categories?.[category] === true;
}

/**
 * Applies the GPC policy: the categories it denies are turned off in the effective decision, and
 * the signal is recorded with what it changed. The visitor's own answer is kept beside it.
 */
export function applyGpcPolicy<D extends Record<ConsentCategory, boolean>>(
  categories: D,
  signals: readonly Signal[],
  gpc: boolean,
  denies: readonly ConsentCategory[],
): { effective: D; signals: Signal[] } {
  const recorded = signals.map((s) => ({ name: s.name, value: s.value, ...(s.effect ? { effect: s.effect } : {}) }));
  if (!gpc) return { effective: categories, signals: recorded };
  const effective = { ...categories };
  const turnedOff: ConsentCategory[] = [];
  for (const category of denies) {
    if (category === 'necessary') continue;
    if (effective[category]) turnedOff.push(category);
    effective[category] = false;
  }
  const effect =
    turnedOff.length > 0
      ? `${turnedOff.join(', ')} off because Sec-GPC: 1`
      : `${denies.join(', ')} stay off (Sec-GPC: 1)`;
  recorded.push({ name: 'gpc-header', value: '1', effect });
  return { effective, signals: recorded };
}
