/** Base class of what the tracker reports to `onError`; `cause` holds the original. */
export class LoupeError extends Error {
  override name = 'LoupeError';
}

/** The collector refused a request or some of its events. */
export class DeliveryError extends LoupeError {
  override name = 'DeliveryError' as const;
  constructor(
    message: string,
    readonly status: number,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** The queue or key-value store failed. */
export class StorageError extends LoupeError {
  override name = 'StorageError' as const;
}
