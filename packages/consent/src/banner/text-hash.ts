/**
 * A digest of the text a visitor was shown, sent with each consent record so the record proves
 * which wording was agreed to: `sha256:` and hex from Web Crypto, or `fnv1a:` where there is none
 * (pages served over plain HTTP have no `crypto.subtle`).
 */
export async function textHash(text: string): Promise<string> {
  const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (subtle) {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
    return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `fnv1a:${(h >>> 0).toString(16).padStart(8, '0')}`;
}
