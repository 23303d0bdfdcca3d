/** Base error of the collector; subclasses carry a literal `name`. */
export class LoupeError extends Error {
  override name = 'LoupeError';
}

/** A client-facing error: becomes `{error:{code, message}}` with `status` in the one `onError`. */
export class HttpError extends LoupeError {
  override name = 'HttpError' as const;
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 501 | 503,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The write backlog passed its bound: the client should retry later. */
export class BacklogFullError extends LoupeError {
  override name = 'BacklogFullError' as const;
}

/** The store could not commit; nothing in the failed batch was acknowledged. */
export class StorageError extends LoupeError {
  override name = 'StorageError' as const;
}
