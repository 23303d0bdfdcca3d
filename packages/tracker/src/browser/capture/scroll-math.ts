export const SCROLL_DEPTHS = [25, 50, 75, 100] as const;
export type ScrollDepth = (typeof SCROLL_DEPTHS)[number];

/**
 * Depths newly reached: the share of the page seen is (scrollTop + viewport) / document height.
 * A page that does not scroll reaches nothing (there was no scrolling to measure).
 */
export function newDepths(
  scrollTop: number,
  viewportHeight: number,
  documentHeight: number,
  reached: ReadonlySet<number>,
): ScrollDepth[] {
  if (documentHeight <= viewportHeight) return [];
  // 2 px of slack: zoom and sub-pixel layout keep the bottom a fraction short of the full height.
  const seen = ((scrollTop + viewportHeight + 2) / documentHeight) * 100;
  return SCROLL_DEPTHS.filter((depth) => seen >= depth && !reached.has(depth));
}
