import { LIMITS } from '@loupe/schema';
import { maskText } from '../../core/mask.js';

const FIELDS = 'input,textarea,select,[contenteditable]:not([contenteditable="false"])';

/** True for a form field or anything holding one: such elements give no text, so no typed value leaks. */
export const holdsFormField = (element: Element): boolean =>
  element.matches(FIELDS) || element.querySelector(FIELDS) !== null;

/** The visible label of a clicked element: whitespace collapsed, contact details masked, ≤ 100 characters. */
export function elementText(element: Element): string {
  if (holdsFormField(element)) return '';
  const text = (element.textContent ?? '').replace(/\s+/g, ' ').trim() || element.getAttribute('aria-label') || '';
  return maskText(text).slice(0, LIMITS.maxCapturedTextLength);
}
