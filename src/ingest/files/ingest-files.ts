// Feeds files into a RecordSink (the in-process pipeline or a remote server): reads batches,
// keeps a few submits in flight so store writes overlap reading and parsing, waits and retries
// when the sink is overloaded, and counts what happened for the summary and progress display.
import type { RawRecord } from '../../model/event.ts';
import { OverloadedError, type RecordSink, type SubmitResult } from '../../pipeline/record-sink.ts';
import type { InputFile } from './input-files.ts';
import { type ReadRecordsOptions, readInputFiles } from './read-records.ts';

export interface IngestFilesOptions extends ReadRecordsOptions {
  readonly sink: RecordSink;
  /** Parser format ('auto' by default). */
  readonly format?: string;
  /** Submits in flight at once (default 4). */
  readonly concurrency?: number;
  /** Each settled submit, with the records it carried (to report failures with file:line). */
  readonly onResult?: (result: SubmitResult, records: readonly RawRecord[]) => void;
}

export interface IngestCounts {
  files: number;
  records: number;
  stored: number;
  /** Records kept as dead letters by the pipeline. */
  failed: number;
  /** Lines or documents that could not even become records (too long, invalid document). */
  readFailures: number;
  skipped: number;
  /** Input bytes consumed (on disk). */
  bytes: number;
}

export interface IngestSummary extends IngestCounts {
  readonly seconds: number;
}

export async function ingestFiles(files: readonly InputFile[], options: IngestFilesOptions): Promise<IngestSummary> {
  const counts: IngestCounts = { files: 0, records: 0, stored: 0, failed: 0, readFailures: 0, skipped: 0, bytes: 0 };
  return ingestFilesCounting(files, options, counts);
}

/** Like ingestFiles, updating `counts` in place as it goes (progress displays read it). */
export async function ingestFilesCounting(
  files: readonly InputFile[],
  options: IngestFilesOptions,
  counts: IngestCounts,
): Promise<IngestSummary> {
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const inFlight = new Set<Promise<void>>();
  let fatal: unknown;

  const deliver = async (records: RawRecord[]): Promise<void> => {
    for (;;) {
      try {
        const result = await options.sink.submit(records, { format: options.format ?? 'auto' });
        counts.stored += result.stored;
        counts.failed += result.failed;
        options.onResult?.(result, records);
        return;
      } catch (error) {
        if (!(error instanceof OverloadedError) || options.signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.max(50, error.retryAfterSeconds * 1000)));
      }
    }
  };

  const reading = readInputFiles(files, {
    ...options,
    onFile(file) {
      counts.files++;
      options.onFile?.(file);
    },
    onBytes(bytes) {
      counts.bytes += bytes;
      options.onBytes?.(bytes);
    },
    onFailure(failure) {
      counts.readFailures++;
      options.onFailure?.(failure);
    },
    onSkip(skipped) {
      counts.skipped++;
      options.onSkip?.(skipped);
    },
  });
  for await (const batch of reading) {
    counts.records += batch.length;
    const submit: Promise<void> = deliver(batch).then(
      () => {
        inFlight.delete(submit);
      },
      (error: unknown) => {
        inFlight.delete(submit);
        fatal ??= error;
      },
    );
    inFlight.add(submit);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (fatal !== undefined) break;
  }
  await Promise.all(inFlight);
  if (fatal !== undefined) throw fatal;
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}
