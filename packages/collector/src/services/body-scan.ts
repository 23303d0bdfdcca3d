/**
 * Substrings without which a JSON text cannot hold a prototype key or a NUL. Any `\u` escape
 * counts: `"\u005f_proto__"` parses to `__proto__` without the text containing it.
 */
const SUSPECT = /__proto__|constructor|prototype|\\u/;

export interface BodyScan {
  /** The recursive scan for prototype keys, NULs and deep nesting must run. */
  deepCheck: boolean;
  /**
   * No value parsed from the body serializes longer than the body itself, so no event in it can
   * be over a limit the body is under. False when a number has an exponent: `9e20` (4 bytes)
   * serializes as `900000000000000000000` (21). Strings, escapes and other numbers only shrink.
   */
  sizeBounded: boolean;
}

/**
 * One pass over a request body that decides what the per-event checks can skip: most bodies need
 * neither the recursive scan nor a JSON.stringify per event, and skipping them is a large part of
 * ingest's speed. `maxDepth` sits well below the scan's own limit (32 below an event, which is 2
 * below the body) so nothing deeper than that limit slips through unscanned.
 */
export function scanBody(text: string, maxDepth = 16): BodyScan {
  if (SUSPECT.test(text)) return { deepCheck: true, sizeBounded: false };
  let depth = 0;
  let sizeBounded = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: most of a body's characters are in strings, so jump to its closing quote
      // (indexOf, native) rather than look at each. A quote after an odd run of backslashes is escaped.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
      if (end === -1) return { deepCheck: true, sizeBounded: false }; // not JSON: let the checks decide
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return { deepCheck: true, sizeBounded: false };
    } else if (c === 0x7d || c === 0x5d) depth--;
    else if (c === 0x65 || c === 0x45) {
      // Outside strings an e/E is an exponent after a digit or '.', or part of true/false.
      const before = text.charCodeAt(i - 1);
      if ((before >= 0x30 && before <= 0x39) || before === 0x2e) sizeBounded = false;
    }
  }
  return { deepCheck: false, sizeBounded };
}

/** Whether the character at `at` follows an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let n = 0;
  while (text.charCodeAt(at - 1 - n) === 0x5c) n++;
  return n % 2 === 1;
}
