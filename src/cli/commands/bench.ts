// `vigil bench <name>`: benchmarks that print one JSON object with throughput and the ratio to a
// baseline measured in the same run. Each benchmark is a module loaded lazily through the table
// below; add one (e.g. `sigma`) by adding a row — nothing else here needs to change.
import { parseArgs } from 'node:util';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

/** One benchmark: its options (parsed with node:util parseArgs) and its runner. */
export interface BenchDefinition {
  readonly summary: string;
  readonly usage: string;
  readonly options: NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  /** Runs the benchmark and returns the JSON object to print. */
  run(values: Record<string, string | boolean | undefined>, positionals: readonly string[], io: CliIo): Promise<object>;
}

/** A row of the benchmark table: help text shown by `vigil bench --help`, and the lazy loader. */
export interface BenchEntry {
  readonly summary: string;
  /** Option lines shown under the benchmark in `vigil bench --help`. */
  readonly help: string;
  load(): Promise<BenchDefinition>;
}

/** Benchmarks by name, each loaded only when asked for. */
export const benchmarks: Record<string, BenchEntry> = {
  pipeline: {
    summary: 'parse → enrich → store in-process on the realistic event mix',
    help: `--events N (default 200000)  --batch N (1000)  --seed N (42)  --no-geoip  --store duckdb|discard  --store-batch N`,
    load: async () => (await import('../../../bench/pipeline-command.ts')).pipelineBench,
  },
  ingest: {
    summary: 'NDJSON over HTTP into a server started in-process (keep-alive connections)',
    help: `--events N (default 200000)  --connections C (4)  --batch N (1000)  --seed N (42)  --no-geoip`,
    load: async () => (await import('../../../bench/ingest-command.ts')).ingestBench,
  },
  sigma: {
    summary: 'all rules under ../shared/data/sigma/rules* over the EVTX attack samples and OTRF events, one core',
    help: `--events N (default 1000000)  --data DIR (../shared/data)  --rules PATH…  --input PATH…`,
    load: async () => (await import('../../../bench/sigma-command.ts')).sigmaBench,
  },
};

function usage(): string {
  const sections = Object.entries(benchmarks).map(
    ([name, entry]) => `  vigil bench ${name}\n      ${entry.summary}\n      ${entry.help}`,
  );
  return `Usage: vigil bench <benchmark> [options]

Prints one JSON object with eventsPerSecond, the baseline measured in the same run (JSON.parse of
the same input lines) and their ratio, plus benchmark-specific figures.

${sections.join('\n\n')}
`;
}

export const command: CliCommand = {
  name: 'bench',
  summary: 'Benchmarks: pipeline, ingest, sigma',
  get usage() {
    return usage();
  },
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (!name) throw new UsageError('which benchmark?');
    const entry = benchmarks[name];
    if (!entry) throw new UsageError(`unknown benchmark '${name}'`);
    const definition = await entry.load();
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: rest, options: definition.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${definition.usage.trimEnd()}`);
    }
    const result = await definition.run(
      parsed.values as Record<string, string | boolean | undefined>,
      parsed.positionals,
      io,
    );
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};

/** A positive integer option, with the flag named in the error. */
export function integerOption(value: string | boolean | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(String(value).replace(/_/g, ''));
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${flag} must be a positive integer`);
  return number;
}
