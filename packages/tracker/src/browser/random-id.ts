/**
 * A v4 UUID: `randomUUID` in secure contexts; elsewhere one `getRandomValues` nibble per hex digit of
 * the template (the version digit stays 4, the variant digit gets 8–b).
 */
export const randomId = (): string =>
  crypto.randomUUID?.() ??
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (+c ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (+c / 4)))).toString(16),
  );
