const EMAIL = /[^\s@/?&=:;,<>"']+@[^\s@/?&=:;,<>"']+\.[a-z]{2,}/gi;
// Digit groups with the usual separators, not glued to a word, a price or a time; 9 to 15 digits in
// all (checked below) so prices, years, dates and short ids are spared. The leading character is
// captured instead of using a lookbehind, which Safari before 16.4 cannot even parse.
const PHONE = /(^|[^\w.,$€£])(\+?\d{0,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,5})(?![\w:])/g;

/** Replaces email- and phone-like substrings so captured text and URLs carry no contact details. */
export function maskText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, (match, before: string, number: string) => {
    const digits = number.replace(/\D/g, '').length;
    return digits >= 9 && digits <= 15 ? `${before}[phone]` : match;
  });
}

/** Masks the path and every query value of a URL (values are decoded first: `a%40b.com` is an email). */
export function maskUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return maskText(url);
  return (
    maskText(url.slice(0, at)) +
    url.slice(at).replace(/([?&][^=&#]*=)([^&#]*)/g, (_, key: string, value: string) => {
      let decoded = value;
      try {
        decoded = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: mask what is there.
      }
      const masked = maskText(decoded);
      return key + (masked === decoded ? value : encodeURIComponent(masked));
    })
  );
}
