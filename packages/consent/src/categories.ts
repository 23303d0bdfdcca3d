import type { ConsentCategories, ConsentCategory } from '@loupe/schema';

/** Categories a visitor can grant or deny; `necessary` is always on and is never asked. */
export const OPTIONAL_CATEGORIES = ['analytics', 'personalization', 'marketing'] as const;

/** Every category with a definite answer (what `get()` returns). */
export type ConsentDecision = Readonly<Record<ConsentCategory, boolean>>;

/** Accepted wherever categories are passed: a list (`['analytics']`) or a map (`{ analytics: true }`). */
export type CategoryInput = readonly ConsentCategory[] | ConsentCategories;

/** Resolves `input` to a map; a list means "these categories, and no others are mentioned". */
export function toCategoryMap(input: CategoryInput, value = true): ConsentCategories {
  if (!Array.isArray(input)) return input as ConsentCategories;
  const map: ConsentCategories = {};
  for (const category of input as readonly ConsentCategory[]) map[category] = value;
  return map;
}

/** Applies `changes` on top of `base`, keeping `necessary` on and ignoring unknown keys. */
export function mergeCategories(base: ConsentDecision, changes: ConsentCategories): ConsentDecision {
  const next = { ...base, necessary: true };
  for (const category of OPTIONAL_CATEGORIES) {
    const value = changes[category];
    if (typeof value === 'boolean') next[category] = value;
  }
  return next;
}

/** All optional categories set to `value`. */
export function allCategories(value: boolean): ConsentDecision {
  return { necessary: true, analytics: value, personalization: value, marketing: value };
}
