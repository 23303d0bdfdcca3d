/**
 * Parses a timestamp with a pattern of YYYY, MM, DD, HH, mm, ss (other characters match themselves),
 * as UTC; without a pattern, ISO 8601 (`2021-03-04`, `2021-03-04T10:00:00Z`). Returns ms or NaN.
 */
export function parseTime(text: string, pattern?: string): number {
  const value = text.trim();
  if (!pattern) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
    return ms;
  }
  const parts: Record<string, number> = { YYYY: 1970, MM: 1, DD: 1, HH: 0, mm: 0, ss: 0 };
  let i = 0;
  let p = 0;
  while (p < pattern.length) {
    const token = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'].find((t) => pattern.startsWith(t, p));
    if (token) {
      // Numbers may be shorter than the token when not zero-padded (3/7/2021 for DD/MM/YYYY).
      const digits = (token === 'YYYY' ? /^\d{4}/ : /^\d{1,2}/).exec(value.slice(i))?.[0];
      if (digits === undefined) return Number.NaN;
      parts[token] = Number(digits);
      i += digits.length;
      p += token.length;
    } else {
      if (value[i] !== pattern[p]) return Number.NaN;
      i += 1;
      p += 1;
    }
  }
  const { YYYY = 1970, MM = 1, DD = 1, HH = 0, mm = 0, ss = 0 } = parts;
  if (MM < 1 || MM > 12 || DD < 1 || DD > 31) return Number.NaN;
  return Date.UTC(YYYY, MM - 1, DD, HH, mm, ss);
}
