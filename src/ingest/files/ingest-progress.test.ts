import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress } from './ingest-progress.ts';

const counts = { files: 2, records: 50_000, stored: 49_000, failed: 10, readFailures: 0, skipped: 0, bytes: 25 };

describe('formatProgress', () => {
  it('shows files, records, rate and an ETA from the bytes read', () => {
    const line = formatProgress(counts, { files: 4, bytes: 100 }, 10, 10);
    expect(line).toBe('[###.......]  25%  files 2/4  records 50,000  stored 49,000  5,000 ev/s  ETA 30s');
  });

  it('shows no ETA when the total is unknown (stdin)', () => {
    expect(formatProgress(counts, { files: 1, bytes: 0 }, 10, 4)).toMatch(/^\[\.\.\.\.\] {3}0% .* ETA --$/);
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([formatDuration(5.2), formatDuration(125), formatDuration(7300)]).toEqual(['6s', '2m05s', '2h01m']);
  });
});
