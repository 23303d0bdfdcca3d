// @vitest-environment happy-dom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskText } from '../../core/mask.js';
import { elementText, TEXT_WINDOW } from './element-text.js';

const element = (html: string) => {
  document.body.innerHTML = html;
  return document.body.firstElementChild as Element;
};

describe('elementText', () => {
  it('collapses whitespace and cuts at 100 characters', () => {
    expect(elementText(element(`<button>  Add\n  to   cart </button>`))).toBe('Add to cart');
    expect(elementText(element(`<p>${'x'.repeat(150)}</p>`))).toHaveLength(100);
  });

  it('masks emails and phone numbers', () => {
    expect(elementText(element('<a>Mail jane@example.com or call +44 20 7946 0958</a>'))).toBe(
      'Mail [email] or call [phone]',
    );
  });

  it('gives no text for a form field or anything holding one', () => {
    const input = element('<input value="secret@example.com">') as HTMLInputElement;
    expect(elementText(input)).toBe('');
    expect(elementText(element('<label>Note <textarea>typed secret</textarea></label>'))).toBe('');
    expect(elementText(element('<div contenteditable>draft</div>'))).toBe('');
  });

  it('falls back to aria-label for icon buttons', () => {
    expect(elementText(element('<button aria-label="Close"><svg></svg></button>'))).toBe('Close');
  });

  // What it gave when it collapsed and masked the whole text, however long.
  const reference = (el: Element) =>
    maskText((el.textContent ?? '').replace(/\s+/g, ' ').trim() || el.getAttribute('aria-label') || '').slice(0, 100);
  const withText = (text: string) => {
    const el = document.createElement('div');
    el.textContent = text;
    return el;
  };

  it('reads a long text from its first characters and gives what masking all of it gave', () => {
    const token = fc.oneof(
      fc.constantFrom('Order', 'shipping', 'ünïcode', '€12.50', 'ref:', '2026-12-03', '(0)', '+', '.', ','),
      fc.stringMatching(/^[a-z0-9._-]{1,64}@[a-z0-9-]{1,120}\.[a-z]{2,6}$/),
      fc.stringMatching(/^\+?[0-9]{0,3}[ .-]?(\([0-9]{1,4}\)[ .-]?)?[0-9]{2,4}([ .-]?[0-9]{2,4}){1,5}$/),
      fc.stringMatching(/^[0-9]{1,20}$/),
      fc.integer({ min: 1, max: 3000 }).map((n) => ' \n\t'.repeat(n).slice(0, n)),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 400 }), fc.boolean(), (tokens, spaced) => {
        const el = withText(tokens.join(spaced ? ' ' : ''));
        expect(elementText(el)).toBe(reference(el));
      }),
      { numRuns: 300 },
    );
  });

  it('masks an address cut by the window after a long run of whitespace', () => {
    const email = 'jane.doe@example.com';
    const text = `Hi ${' '.repeat(TEXT_WINDOW - 10)}${email} and more`;
    expect(elementText(withText(text))).toBe('Hi [email] and more');
  });

  it('masks a long address that starts in the kept 100 characters and runs past the window', () => {
    const email = `${'j'.repeat(60)}@${'example-'.repeat(20)}example.com`;
    const text = `${'a'.repeat(80)}${' '.repeat(TEXT_WINDOW - 280)}${email}`;
    expect(elementText(withText(text))).toBe(`${'a'.repeat(80)} [email]`);
  });
});
