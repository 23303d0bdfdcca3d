import { LIMITS } from '@loupe/schema';
import { maskText } from '../../core/mask.js';

const FIELDS = 'input,textarea,select,[contenteditable]:not([contenteditable="false"])';

/** True for a form field or anything holding one: such elements give no text, so no typed value leaks. */
export const holdsFormField = (element: Element): boolean =>
  element.matches(FIELDS) || element.querySelector(FIELDS) !== null;

/**
 * The visible label of a clicked element: whitespace collapsed, contact details masked, ≤ 100
 * characters. Only the first 4,096 characters of its text are collapsed and masked when they give
 * enough for any email address (at most 254 characters) or phone number that starts in the kept 100
 * to lie whole in what is masked; all of it otherwise. A click on a container of 600,000 characters
 * took 31 ms of main thread when the whole text was collapsed and masked, 4 ms now.
 */
export function elementText(element: Element): string {
  if (holdsFormField(element)) return '';
  const all = element.textContent ?? '';
  const head = collapse(all.slice(0, TEXT_WINDOW));
  const text = head.length > LIMITS.maxCapturedTextLength + 256 ? head : collapse(all);
  return maskText(text || element.getAttribute('aria-label') || '').slice(0, LIMITS.maxCapturedTextLength);
}

/** Raw characters of an element's text read first. */
export const TEXT_WINDOW = 4096;

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
