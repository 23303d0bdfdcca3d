export type LoupeErrorCode = 'config' | 'delivery' | 'rejected' | 'storage' | 'invalid';

/**
 * What the tracker reports to `onError` (and throws, for a bad configuration, at construction):
 * `code` tells the kind, `status` the collector's answer, `detail` its rejections, `cause` the original.
 */
export class LoupeError extends Error {
  constructor(
    readonly code: LoupeErrorCode,
    message: string,
    readonly status = 0,
    readonly detail?: unknown,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'LoupeError';
  }
}
