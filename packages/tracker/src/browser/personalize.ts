import type { Plugin, Segment } from '../core/types.js';

/** Shown when the visitor has no segment, or when it is not known within the timeout. */
export const DEFAULT_SHOW = 'default';

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The names a segment answers to in markup: its id and its name as a slug ("Power users" → "power-users"). */
export const namesOf = (segment: Segment | null): string[] =>
  segment ? [segment.id, slug(segment.name)] : [DEFAULT_SHOW];

/** The stylesheet that shows only the `data-loupe-show` elements naming one of `names` (all of them hidden while unknown). */
export const showRule = (names: readonly string[] = []): string =>
  `[data-loupe-show]${names.map((name) => `:not([data-loupe-show~="${name.replace(/["\\]/g, '')}"])`).join('')}{display:none!important}`;

/**
 * Personalization without code: `<html data-loupe-segment="…">`, and only the `data-loupe-show`
 * elements naming the segment are shown. They stay hidden until the segment is known, at most
 * `timeoutMs`, after which the `default` ones show.
 */
export const personalize =
  (timeoutMs = 800): Plugin =>
  (host) => {
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = showRule();
    const { dataset } = document.documentElement;
    const apply = (segment: Segment | null) => {
      clearTimeout(timer);
      if (segment) dataset.loupeSegment = slug(segment.name) || segment.id;
      else delete dataset.loupeSegment;
      style.textContent = showRule(namesOf(segment));
    };
    const timer = setTimeout(apply, timeoutMs, null);
    const off = host.onSegment(apply);
    return () => {
      off();
      style.remove();
    };
  };
