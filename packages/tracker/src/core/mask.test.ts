import { describe, expect, it } from 'vitest';
import { maskText, maskUrl } from './mask.js';

describe('maskText', () => {
  it('masks email addresses', () => {
    expect(maskText('Write to jane.doe+shop@example.co.uk today')).toBe('Write to [email] today');
  });

  it('masks phone numbers in common formats', () => {
    expect(maskText('Call +1 (415) 555-0132')).toBe('Call [phone]');
    expect(maskText('Tel 06 12 34 56 78')).toBe('Tel [phone]');
  });

  it('leaves prices, years and short numbers alone', () => {
    expect(maskText('Add to cart: $1,299.00 (2024), 3 left, SKU 12345')).toBe(
      'Add to cart: $1,299.00 (2024), 3 left, SKU 12345',
    );
  });
});

describe('maskUrl', () => {
  it('masks encoded emails in query values', () => {
    expect(maskUrl('https://shop.example/signup?email=jane%40example.com&plan=pro')).toBe(
      'https://shop.example/signup?email=%5Bemail%5D&plan=pro',
    );
  });

  it('masks phone numbers in query values and emails in the path', () => {
    expect(maskUrl('https://x.example/u/bob@example.org?tel=%2B33612345678')).toBe(
      'https://x.example/u/[email]?tel=%5Bphone%5D',
    );
  });

  it('keeps the hash and untouched values byte for byte', () => {
    const url = 'https://x.example/p?q=red%20shoes&utm_source=news#top';
    expect(maskUrl(url)).toBe(url);
  });

  it('survives malformed escapes', () => {
    expect(maskUrl('https://x.example/?e=%E0%A4%A&m=a@b.io')).toBe('https://x.example/?e=%E0%A4%A&m=%5Bemail%5D');
  });
});

describe('maskText on dates and ids', () => {
  it('spares dates with times', () => {
    expect(maskText('Posted 2024-01-01 12:00')).toBe('Posted 2024-01-01 12:00');
  });
});
