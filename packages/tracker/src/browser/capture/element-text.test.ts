// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { elementText } from './element-text.js';

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
});
