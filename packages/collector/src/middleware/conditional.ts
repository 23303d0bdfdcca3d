/** Content codings the collector stores its scripts in, best first (Brotli is ~10 % smaller than gzip on loupe.js). */
export const CODINGS = ['br', 'gzip'] as const;
export type Coding = (typeof CODINGS)[number] | 'identity';

/**
 * The coding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): the best of
 * `CODINGS` the client accepts with a q-value above 0, else identity. `*` stands for every coding
 * the header does not name; `x-gzip` is gzip. No header means identity, which a client must
 * always accept, so `identity;q=0` is not honoured with a 406.
 */
export function pickCoding(header: string | undefined): Coding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (match) weight = Number(match[1]);
    }
    if (!Number.isFinite(weight)) weight = 0;
    q.set(name === 'x-gzip' ? 'gzip' : name, weight);
  }
  const any = q.get('*');
  let best: Coding = 'identity';
  let bestWeight = 0;
  for (const coding of CODINGS) {
    const weight = q.get(coding) ?? any ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * Whether an `If-None-Match` header names `etag` (weak comparison, as RFC 9110 §13.1.2 asks for
 * this header: `W/"x"` matches `"x"`), or is `*`.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const wanted = etag.replace(/^W\//, '');
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === wanted;
  });
}
