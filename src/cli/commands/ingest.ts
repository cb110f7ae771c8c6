// `vigil ingest`: load log files into Vigil — in-process into the embedded store under --data
// (parse → enrich → store through the real pipeline), or over HTTP to a running server with
// --url/--key. Shows progress on a terminal and ends with a summary (JSON with --json).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type VigilConfig } from '../../config/config.ts';
import { type IngestCounts, type IngestSummary, ingestFilesCounting } from '../../ingest/files/ingest-files.ts';
import { formatProgress } from '../../ingest/files/ingest-progress.ts';
import { listInputFiles } from '../../ingest/files/input-files.ts';
import { SkipSummary } from '../../ingest/files/skip-summary.ts';
import { HttpRecordSink } from '../../ingest/http-record-sink.ts';
import type { RawRecord } from '../../model/event.ts';
import { createLogger, type Logger } from '../../pipeline/logger.ts';
import { Metrics } from '../../pipeline/metrics.ts';
import type { RecordSink, SubmitResult } from '../../pipeline/record-sink.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

const usage = `Usage: vigil ingest [--data DIR] [--format F] [--unit U] [--json] FILE|DIR|- …
       vigil ingest --url http://HOST:PORT --key KEY [--format F] [--unit U] FILE|DIR|- …

Sends log files through the pipeline (parse → enrich → store). Reads .jsonl/.ndjson/.json/
.log/.txt, .gz and .zip, folders recursively, and "-" for stdin.

Options:
  --data DIR        Data directory of the embedded store (default ./.vigil; env VIGIL_DATA_DIR)
  --config FILE     Configuration file (default DIR/vigil.yaml when present)
  --url URL         Send to a running Vigil server instead (POST /api/v1/ingest)
  --key KEY         API key for --url (env VIGIL_API_KEY)
  --format F        Parser for every record (default auto)
  --unit U          Unit of the events (default "default"; with --url, only for all-unit keys)
  --timezone TZ     Time zone for timestamps without one (IANA name or +05:00)
  --batch N         Records per submit (default 1000)
  --max-errors N    Parse failures listed on stderr (default 20; all are kept as dead letters)
  --json            Print the summary as one JSON object on stdout
  --no-progress     No progress line, even on a terminal

The embedded store is a single-writer file: while 'vigil serve' runs on the same --data,
use --url instead. Exit status: 0 when done (parse failures are kept as dead letters),
1 when nothing could be read or the store/server failed, 2 on a usage error.
`;

interface Options {
  data?: string;
  config?: string;
  url?: string;
  key?: string;
  format?: string;
  unit?: string;
  timezone?: string;
  batch?: string;
  'max-errors'?: string;
  json?: boolean;
  'no-progress'?: boolean;
}

export const command: CliCommand = {
  name: 'ingest',
  summary: 'Send log files through the pipeline into the store',
  usage,
  async run(argv, io) {
    let values: Options;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: [...argv],
        options: {
          data: { type: 'string' },
          config: { type: 'string' },
          url: { type: 'string' },
          key: { type: 'string' },
          format: { type: 'string', short: 'f' },
          unit: { type: 'string' },
          timezone: { type: 'string' },
          batch: { type: 'string' },
          'max-errors': { type: 'string' },
          json: { type: 'boolean' },
          'no-progress': { type: 'boolean' },
        },
        allowPositionals: true,
        strict: true,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (positionals.length === 0) throw new UsageError('no input files given');
    const batchSize = positiveInteger(values.batch, '--batch', 1000);
    const maxErrors = positiveInteger(values['max-errors'], '--max-errors', 20, true);
    const key = values.key ?? io.env['VIGIL_API_KEY'];
    if (values.url && !key) throw new UsageError('--url needs --key (or VIGIL_API_KEY)');
    const format = values.format ?? 'auto';

    const unknownExtensions = new SkipSummary();
    let listingSkips = 0;
    const files = await listInputFiles(positionals, (skipped) => {
      listingSkips++;
      if (skipped.code === 'unknown-extension') unknownExtensions.add(skipped.path);
      else io.stderr.write(`${JSON.stringify({ type: 'skipped', file: skipped.path, reason: skipped.reason })}\n`);
    });
    unknownExtensions.report((fields) => io.stderr.write(`${JSON.stringify(fields)}\n`));
    if (files.length === 0) {
      io.stderr.write('vigil ingest: no input file could be read\n');
      return 1;
    }

    let target: Target;
    try {
      target = values.url ? httpTarget(values.url, key!, values.unit) : await localTarget(io, values);
    } catch (error) {
      if (error instanceof ConfigError || error instanceof TargetError) {
        io.stderr.write(`vigil ingest: ${error.message}\n`);
        return error instanceof ConfigError ? 2 : 1;
      }
      throw error;
    }

    const counts: IngestCounts = { files: 0, records: 0, stored: 0, failed: 0, readFailures: 0, skipped: 0, bytes: 0 };
    const showProgress = !values.json && !values['no-progress'] && (io.stderr as { isTTY?: boolean }).isTTY === true;
    const totals = { files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const render = () => {
      io.stderr.write(`\r${formatProgress(counts, totals, (performance.now() - started) / 1000)}\u001b[K`);
    };
    if (showProgress) timer = setInterval(render, 200);

    let listed = 0;
    const problem = (fields: Record<string, unknown>) => {
      if (listed++ < maxErrors) {
        if (showProgress) io.stderr.write('\r\u001b[K');
        io.stderr.write(`${JSON.stringify(fields)}\n`);
      }
    };
    let summary: IngestSummary | undefined;
    let failure: unknown;
    try {
      summary = await ingestFilesCounting(
        files,
        {
          sink: target.sink,
          format,
          batchSize,
          ...(values.unit ? { unit: values.unit } : {}),
          ...(values.timezone ? { timezone: values.timezone } : {}),
          stdin: process.stdin,
          onFailure: (entry) => problem({ type: 'failure', file: entry.path, line: entry.line, reason: entry.reason }),
          onSkip: (entry) => problem({ type: 'skipped', file: entry.path, reason: entry.reason }),
          onResult: (result: SubmitResult, records: readonly RawRecord[]) => {
            for (const error of result.errors) {
              const record = records[error.index];
              problem({ type: 'failure', file: record?.source.path, line: record?.source.line, reason: error.reason });
            }
          },
        },
        counts,
      );
    } catch (error) {
      failure = error;
    } finally {
      if (timer) clearInterval(timer);
      if (showProgress) {
        render();
        io.stderr.write('\n');
      }
      try {
        await target.close();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined || !summary) {
      io.stderr.write(`vigil ingest: ${failure instanceof Error ? failure.message : String(failure)}\n`);
      return 1;
    }
    const failures = summary.failed + summary.readFailures;
    if (listed > maxErrors) {
      io.stderr.write(`vigil ingest: ${listed - maxErrors} more problems not listed (see dead letters)\n`);
    }
    const result = {
      target: values.url ?? target.description,
      files: summary.files,
      records: summary.records,
      stored: summary.stored,
      failures,
      deadLetters: summary.failed,
      unreadable: summary.readFailures,
      skipped: summary.skipped + listingSkips,
      bytes: summary.bytes,
      seconds: Math.round(summary.seconds * 1000) / 1000,
      eventsPerSecond: summary.seconds > 0 ? Math.round(summary.stored / summary.seconds) : 0,
    };
    if (values.json) io.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      io.stderr.write(
        `ingested ${result.stored} events from ${result.files} files in ${result.seconds}s ` +
          `(${result.eventsPerSecond} events/s); ${failures} failures, ${result.skipped} skipped → ${result.target}\n`,
      );
    }
    return summary.records === 0 && summary.readFailures === 0 && summary.files === 0 ? 1 : 0;
  },
};

interface Target {
  readonly sink: RecordSink;
  readonly description: string;
  close(): Promise<void>;
}

class TargetError extends Error {}

function httpTarget(url: string, key: string, unit: string | undefined): Target {
  let sink: HttpRecordSink;
  try {
    sink = new HttpRecordSink({ url, key, ...(unit ? { unit } : {}) });
  } catch (error) {
    throw new UsageError(`--url: ${(error as Error).message}`);
  }
  return {
    sink,
    description: url,
    async close() {
      sink.close();
    },
  };
}

async function localTarget(io: CliIo, values: Options): Promise<Target> {
  const config: VigilConfig = loadConfig({
    env: io.env,
    cwd: io.cwd,
    ...(values.config ? { configFile: values.config } : {}),
    flags: { dataDir: values.data !== undefined ? { value: values.data, flag: '--data' } : undefined },
  });
  const log: Logger = createLogger({ level: config.log.level, write: (line) => io.stderr.write(line) });
  const [
    { openStore, StoreUnavailableError },
    { Pipeline },
    { createDefaultParserRegistry },
    { loadDefaultEnrichers },
  ] = await Promise.all([
    import('../../server/open-store.ts'),
    import('../../pipeline/pipeline.ts'),
    import('../../parse/default-parsers.ts'),
    import('../../server/start-vigil.ts'),
  ]);
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore(config);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw new TargetError(error.message);
    const message = error instanceof Error ? error.message : String(error);
    throw new TargetError(
      /lock/i.test(message)
        ? `the store in ${config.dataDir} is in use (is 'vigil serve' running? then use --url): ${message}`
        : `cannot open the store in ${config.dataDir}: ${message}`,
    );
  }
  const enrichers = await loadDefaultEnrichers(store, config, log);
  const pipeline = new Pipeline({
    registry: createDefaultParserRegistry(),
    store,
    metrics: new Metrics(),
    log: log.child({ stage: 'pipeline' }),
    enrichers,
    batchMaxEvents: config.pipeline.batchMaxEvents,
    batchMaxWaitMs: config.pipeline.batchMaxWaitMs,
    maxInFlightBytes: config.pipeline.maxInFlight,
    deadLetterMaxBytes: config.pipeline.deadLetterMaxBytes,
  });
  return {
    sink: pipeline,
    description: config.dataDir,
    async close() {
      try {
        await pipeline.close();
      } finally {
        await store.close();
      }
    },
  };
}

function positiveInteger(text: string | undefined, flag: string, fallback: number, allowZero = false): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1))
    throw new UsageError(`${flag} must be a positive integer`);
  return value;
}
