// Collects records from push sources (syslog listeners) into sink.submit() batches by count and
// age, and tracks the bytes in flight so the source can push back: it reports congestion when
// the byte budget is used up or the sink says it is overloaded, and clears it at half budget.
import type { RawRecord } from '../model/event.ts';
import { OverloadedError, type RecordSink } from '../pipeline/record-sink.ts';
import type { StageContext } from '../pipeline/stage-context.ts';

export interface RecordBatcherOptions {
  /** Name used in metrics and logs (e.g. "syslog"). */
  readonly name: string;
  readonly sink: RecordSink;
  readonly context: StageContext;
  /** Format passed to submit (default 'auto'). */
  readonly format?: string;
  /** Records per submit (default 1000). */
  readonly maxRecords?: number;
  /** Longest time a record waits before its batch is submitted (default 50 ms). */
  readonly maxWaitMs?: number;
  /** Bytes of record text buffered or submitted and not yet stored, before congestion (default 16 MiB). */
  readonly maxInFlightBytes?: number;
  /** Upper bound of the wait before a batch rejected as overloaded is retried (default 5000 ms). */
  readonly maxRetryDelayMs?: number;
  /** Called when congestion starts (true) and ends (false). */
  readonly onCongestion?: (congested: boolean) => void;
}

export const recordBatcherDefaults = {
  maxRecords: 1000,
  maxWaitMs: 50,
  maxInFlightBytes: 16 * 1024 * 1024,
  maxRetryDelayMs: 5000,
} as const;

/** Tries at a batch the sink keeps rejecting as overloaded, once the batcher is closing. */
const closingAttempts = 5;

export class RecordBatcher {
  readonly #options: RecordBatcherOptions;
  readonly #maxRecords: number;
  readonly #maxWaitMs: number;
  readonly #maxInFlightBytes: number;
  readonly #maxRetryDelayMs: number;
  readonly #labels: { source: string };
  #batch: RawRecord[] = [];
  #batchBytes = 0;
  #inFlightBytes = 0;
  #overloaded = 0;
  #congested = false;
  #closing = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #submits = new Set<Promise<void>>();

  constructor(options: RecordBatcherOptions) {
    this.#options = options;
    this.#maxRecords = Math.max(1, options.maxRecords ?? recordBatcherDefaults.maxRecords);
    this.#maxWaitMs = Math.max(0, options.maxWaitMs ?? recordBatcherDefaults.maxWaitMs);
    this.#maxInFlightBytes = Math.max(1, options.maxInFlightBytes ?? recordBatcherDefaults.maxInFlightBytes);
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? recordBatcherDefaults.maxRetryDelayMs;
    this.#labels = { source: options.name };
  }

  /** True while sources should stop reading (TCP) or drop (UDP). */
  get congested(): boolean {
    return this.#congested;
  }

  /** Record text buffered or submitted and not yet stored. */
  get inFlightBytes(): number {
    return this.#inFlightBytes;
  }

  add(record: RawRecord): void {
    this.#batch.push(record);
    const bytes = record.text.length;
    this.#batchBytes += bytes;
    this.#inFlightBytes += bytes;
    if (this.#batch.length >= this.#maxRecords) this.#submitBatch();
    else this.#timer ??= setTimeout(() => this.#submitBatch(), this.#maxWaitMs);
    this.#updateCongestion();
  }

  /** Submit what is buffered and wait until every submit has settled. */
  async flush(): Promise<void> {
    this.#submitBatch();
    while (this.#submits.size > 0) await Promise.allSettled([...this.#submits]);
  }

  /** Flush, then refuse nothing more but retry overloaded batches only a few times. */
  async close(): Promise<void> {
    this.#closing = true;
    await this.flush();
  }

  #submitBatch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#batch.length === 0) return;
    const records = this.#batch;
    const bytes = this.#batchBytes;
    this.#batch = [];
    this.#batchBytes = 0;
    const submit = this.#deliver(records, bytes).finally(() => {
      this.#submits.delete(submit);
    });
    this.#submits.add(submit);
  }

  async #deliver(records: RawRecord[], bytes: number): Promise<void> {
    const { sink, context, format } = this.#options;
    let attempt = 0;
    try {
      for (;;) {
        attempt++;
        try {
          await sink.submit(records, format ? { format } : undefined);
          return;
        } catch (error) {
          if (
            !(error instanceof OverloadedError) ||
            ((this.#closing || context.signal.aborted) && attempt >= closingAttempts)
          ) {
            context.metrics.inc(
              'vigil_ingest_dropped_total',
              { ...this.#labels, reason: error instanceof OverloadedError ? 'overloaded' : 'sink_error' },
              records.length,
              'Records a push source could not deliver (counted, never silent)',
            );
            context.log.error('could not deliver records', {
              source: this.#options.name,
              records: records.length,
              error: String(error),
            });
            return;
          }
          // The pipeline is full: hold the batch, tell the sources to stop reading, try again later.
          this.#overloaded++;
          this.#updateCongestion();
          context.metrics.inc('vigil_ingest_overloaded_total', this.#labels, 1, 'Submits rejected as overloaded');
          const delay = Math.min(this.#maxRetryDelayMs, Math.max(10, error.retryAfterSeconds * 1000));
          await sleep(delay, context.signal);
          this.#overloaded--;
        }
      }
    } finally {
      this.#inFlightBytes -= bytes;
      this.#updateCongestion();
    }
  }

  #updateCongestion(): void {
    const congested = this.#congested
      ? this.#overloaded > 0 || this.#inFlightBytes > this.#maxInFlightBytes / 2
      : this.#overloaded > 0 || this.#inFlightBytes >= this.#maxInFlightBytes;
    if (congested === this.#congested) return;
    this.#congested = congested;
    this.#options.context.metrics.set(
      'vigil_ingest_congested',
      this.#labels,
      congested ? 1 : 0,
      'Whether a push source is pausing its senders',
    );
    this.#options.onCongestion?.(congested);
  }
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
