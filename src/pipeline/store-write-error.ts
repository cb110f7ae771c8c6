// The error a submit rejects with when the store could not commit its batch. Nothing of the batch
// was acknowledged, so the sender should retry (HTTP 503 with Retry-After, HEC "Server is busy").
export class StoreWriteError extends Error {
  readonly retryAfterSeconds: number;
  constructor(cause: unknown, retryAfterSeconds = 5) {
    super(`store write failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreWriteError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
