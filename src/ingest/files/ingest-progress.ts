// One-line progress text for `vigil ingest` on a terminal: files, records, rate and an ETA
// estimated from input bytes (the only measure known up front for compressed and mixed files).
import type { IngestCounts } from './ingest-files.ts';

export interface ProgressTotals {
  readonly files: number;
  /** Total input bytes on disk; 0 when unknown (stdin). */
  readonly bytes: number;
}

export function formatProgress(counts: IngestCounts, totals: ProgressTotals, seconds: number, width = 24): string {
  const fraction = totals.bytes > 0 ? Math.min(1, counts.bytes / totals.bytes) : 0;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const rate = seconds > 0 ? counts.records / seconds : 0;
  let eta = '--';
  if (fraction > 0 && fraction < 1 && seconds > 0.5) eta = formatDuration((seconds / fraction) * (1 - fraction));
  else if (fraction >= 1) eta = '0s';
  return (
    `${bar} ${Math.floor(fraction * 100)
      .toString()
      .padStart(3)}%  files ${counts.files}/${totals.files}  records ${counts.records.toLocaleString('en-US')}` +
    `  stored ${counts.stored.toLocaleString('en-US')}  ${Math.round(rate).toLocaleString('en-US')} ev/s  ETA ${eta}`
  );
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60)
    return `${minutes}m${Math.round(seconds % 60)
      .toString()
      .padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${(minutes % 60).toString().padStart(2, '0')}m`;
}
