/** A v4 UUID: `randomUUID` in secure contexts, 16 bytes of `getRandomValues` elsewhere. */
export const randomId = (): string =>
  crypto.randomUUID?.() ??
  (() => {
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = ((b[6] as number) & 15) | 64;
    b[8] = ((b[8] as number) & 63) | 128;
    const hex = Array.from(b, (byte) => (byte + 256).toString(16).slice(1)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  })();
