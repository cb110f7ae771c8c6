// What every source hands its records to. The pipeline implements it; sources (HTTP, HEC,
// syslog, files, NATS) depend only on this, so they can be tested with a fake.
import type { RawRecord } from '../model/event.ts';

export interface SubmitOptions {
  /** Parser format to use ('auto' = detect per record, honouring each record's formatHint). */
  readonly format?: string;
}

export interface RecordError {
  /** Index of the record in the submitted batch. */
  readonly index: number;
  readonly reason: string;
}

export interface SubmitResult {
  /** Events stored (a record may yield more than one event). */
  readonly stored: number;
  /** Records that failed to parse; they are kept as dead letters, not dropped. */
  readonly failed: number;
  readonly errors: readonly RecordError[];
}

export interface RecordSink {
  /**
   * Parse, enrich, detect and store a batch. Resolves only after the events and dead letters
   * are durably committed. Rejects with OverloadedError when the pipeline's byte budget is
   * full (callers answer 503/429 with Retry-After, or pause reading).
   */
  submit(records: readonly RawRecord[], options?: SubmitOptions): Promise<SubmitResult>;
}

export class OverloadedError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 1) {
    super(message);
    this.name = 'OverloadedError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
