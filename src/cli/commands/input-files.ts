// The file input the offline commands share (`vigil parse`, `vigil hunt`): records read from
// files, folders and stdin, counted, with one stderr JSON line per file or line that could not be
// read and one summary line for files skipped for their extension.
import { readRecords } from '../../ingest/files/read-records.ts';
import { SkipSummary } from '../../ingest/files/skip-summary.ts';
import type { RawRecord } from '../../model/event.ts';
import { UsageError } from '../command.ts';

export interface InputCounts {
  /** Files opened. */
  files: number;
  /** Paths not read (missing, unreadable, unknown extension, bad archive). */
  skipped: number;
  /** Lines or documents that could not become records (too long, invalid JSON document, …). */
  readFailures: number;
}

export interface InputOptions {
  readonly unit: string;
  readonly timezone?: string;
  readonly maxLineBytes?: number;
}

export interface Input {
  readonly batches: AsyncIterable<RawRecord[]>;
  readonly counts: InputCounts;
  /** Writes the line for files skipped for their extension (call once, after reading). */
  reportSkippedExtensions(): void;
}

/** `--max-line N`: a positive integer, or undefined for the reader's default. */
export function maxLineOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = Number(value);
  if (!(Number.isInteger(bytes) && bytes > 0)) throw new UsageError('--max-line must be a positive integer');
  return bytes;
}

export function readInput(
  paths: readonly string[],
  options: InputOptions,
  report: (fields: Record<string, unknown>) => void,
): Input {
  const counts: InputCounts = { files: 0, skipped: 0, readFailures: 0 };
  // Folders often hold other files (binary .evtx beside their JSON export): one line, not hundreds.
  const unknownExtensions = new SkipSummary();
  const batches = readRecords(paths, {
    unit: options.unit,
    ...(options.timezone ? { timezone: options.timezone } : {}),
    ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}),
    stdin: process.stdin,
    onFile: () => {
      counts.files++;
    },
    onSkip: (skipped) => {
      counts.skipped++;
      if (skipped.code === 'unknown-extension') unknownExtensions.add(skipped.path);
      else report({ type: 'skipped', file: skipped.path, reason: skipped.reason });
    },
    onFailure: (failure) => {
      counts.readFailures++;
      report({ type: 'failure', file: failure.path, line: failure.line, reason: failure.reason });
    },
  });
  return { batches, counts, reportSkippedExtensions: () => unknownExtensions.report(report) };
}
