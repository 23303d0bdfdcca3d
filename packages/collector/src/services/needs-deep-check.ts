/**
 * Substrings without which a JSON text cannot hold a prototype key or a NUL. Any `\u` escape
 * counts: `"\u005f_proto__"` parses to `__proto__` without the text containing it.
 */
const SUSPECT = /__proto__|constructor|prototype|\\u/;

/**
 * Whether a request body needs the recursive scan for prototype keys, NULs and deep nesting.
 * Most bodies need none of it, and skipping it is a large part of ingest's speed; this pass is a
 * regex and one loop over the characters. `maxDepth` sits well below the scan's own limit (32 below
 * an event, which is 2 below the body) so nothing deeper than that limit slips through unscanned.
 */
export function needsDeepCheck(text: string, maxDepth = 16): boolean {
  if (SUSPECT.test(text)) return true;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped, whatever it is
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
