// Folders often hold files that are not logs (binary .evtx beside their JSON export): commands
// report those as one line per run, counted by extension, instead of one warning per file.

/** Files skipped for an unknown extension, counted per extension. */
export class SkipSummary {
  readonly #byExtension = new Map<string, number>();
  #total = 0;

  add(path: string): void {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? name.slice(dot).toLowerCase() : '(none)';
    this.#byExtension.set(extension, (this.#byExtension.get(extension) ?? 0) + 1);
    this.#total++;
  }

  report(write: (fields: Record<string, unknown>) => void): void {
    if (this.#total === 0) return;
    write({
      type: 'skipped',
      reason:
        'unknown file extension (expected .jsonl, .ndjson, .json, .log, .txt, .gz, .zip; EVTX must be exported to JSON)',
      count: this.#total,
      extensions: Object.fromEntries(this.#byExtension),
    });
  }
}
