export type LoupeErrorCode = 'config' | 'delivery' | 'rejected' | 'storage' | 'invalid';

/**
 * What the tracker reports to `onError` (and throws, for a bad configuration, at construction):
 * `code` tells the kind, `detail` the collector's status or rejections, `cause` the original error.
 * The message defaults to the code: loupe.js carries no message text it does not need.
 */
export class LoupeError extends Error {
  // Declared, then assigned: no class-field helper in the ES2021 build of loupe.js.
  declare readonly code: LoupeErrorCode;
  declare readonly detail?: unknown;
  constructor(code: LoupeErrorCode, message?: string, detail?: unknown, cause?: unknown) {
    super(message ?? `loupe: ${code}`, { cause });
    Object.assign(this, { name: 'LoupeError', code, detail });
  }
}
