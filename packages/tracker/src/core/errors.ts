export type LoupeErrorCode = 'config' | 'delivery' | 'rejected' | 'storage' | 'invalid';

/**
 * What the tracker reports to `onError` (and throws, for a bad configuration, at construction):
 * `code` tells the kind, `detail` the collector's status or rejections, `cause` the original error.
 */
export class LoupeError extends Error {
  constructor(
    readonly code: LoupeErrorCode,
    message: string,
    readonly detail?: unknown,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'LoupeError';
  }
}
