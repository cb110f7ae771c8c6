// `vigil parse`: turn log files into ECS events on stdout (NDJSON), with every record that could
// not be parsed reported on stderr as a JSON line naming its file and line. Nothing is stored.
import { parseArgs } from 'node:util';
import type { EcsEvent } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../../parse/default-parsers.ts';
import { isParseFailure } from '../../parse/parser.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';
import { maxLineOption, readInput } from './input-files.ts';

const usage = `Usage: vigil parse [--format F|auto] [--unit U] [--timezone TZ] [--stats] FILE|DIR|- …

Parses log files into Elastic Common Schema events, one JSON object per line on stdout.
Reads .jsonl/.ndjson/.json/.log/.txt, .gz and .zip (each entry), folders recursively, and
"-" for stdin. A .json file holding an array or {"events":[…]} gives one event per element.

Options:
  --format F        Parser to use for every record (default auto: detected per record)
  --unit U          Unit (tenant) of the events (default "default")
  --timezone TZ     Time zone for timestamps without one (IANA name or +05:00; default UTC)
  --max-line N      Longest line in bytes (default 1048576); longer lines are reported and skipped
  --stats           Print a summary JSON line on stderr at the end
  --list-formats    Print the available formats and exit

Output:
  stdout  one ECS event per line
  stderr  one JSON line per problem:
          {"type":"failure","file":…,"line":…,"format":…,"reason":…}  record not parsed
          {"type":"failure","file":…,"line":…,"reason":…}             line too long / bad document
          {"type":"skipped","file":…,"reason":…}                      file not read

Exit status: 0 when at least one event was produced or the input was empty; 1 when records were
read but none could be parsed, or no input file could be read; 2 on a usage error.
`;

export const command: CliCommand = {
  name: 'parse',
  summary: 'Parse log files to ECS events, printed as NDJSON',
  usage,
  async run(argv, io) {
    let parsed: ReturnType<typeof parseOptions>;
    try {
      parsed = parseOptions(argv);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const registry = createDefaultParserRegistry();
    if (values['list-formats']) {
      for (const parser of registry.formats) io.stdout.write(`${parser.format}\t${parser.description}\n`);
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no input files given');
    const format = values.format ?? 'auto';
    if (format !== 'auto' && !registry.get(format)) {
      throw new UsageError(
        `unknown format '${format}' (available: ${registry.formats.map((parser) => parser.format).join(', ') || 'none'})`,
      );
    }
    const maxLineBytes = maxLineOption(values['max-line']);
    const unit = values.unit ?? 'default';

    const counts = { records: 0, events: 0, failures: 0 };
    const reportLine = (fields: Record<string, unknown>) => io.stderr.write(`${JSON.stringify(fields)}\n`);
    const started = performance.now();
    let closed = false;
    io.stdout.on('error', () => {
      // The reader went away (`vigil parse … | head`): stop quietly.
      closed = true;
    });
    const input = readInput(
      positionals,
      { unit, ...(values.timezone ? { timezone: values.timezone } : {}), ...(maxLineBytes ? { maxLineBytes } : {}) },
      reportLine,
    );
    const { batches } = input;
    for await (const batch of batches) {
      let out = '';
      for (const record of batch) {
        counts.records++;
        const result = registry.parse(record, format);
        if (isParseFailure(result)) {
          counts.failures++;
          reportLine({
            type: 'failure',
            file: record.source.path,
            line: record.source.line,
            format: result.format,
            reason: result.reason,
          });
          continue;
        }
        if (Array.isArray(result)) {
          for (const event of result) out += serialise(event, unit);
          counts.events += result.length;
        } else {
          out += serialise(result, unit);
          counts.events++;
        }
      }
      if (out && !closed) await write(io, out);
      if (closed) break;
    }
    input.reportSkippedExtensions();
    const { readFailures, skipped, files } = input.counts;
    if (values.stats) {
      reportLine({
        type: 'summary',
        ...counts,
        readFailures,
        skipped,
        files,
        seconds: round((performance.now() - started) / 1000),
      });
    }
    if (counts.events > 0) return 0;
    if (counts.records > 0 || readFailures > 0) return 1;
    return files === 0 ? 1 : 0;
  },
};

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      format: { type: 'string', short: 'f' },
      unit: { type: 'string' },
      timezone: { type: 'string' },
      'max-line': { type: 'string' },
      stats: { type: 'boolean' },
      'list-formats': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
}

function serialise(event: EcsEvent, unit: string): string {
  if (!event.unit) event.unit = unit;
  return `${JSON.stringify(event)}\n`;
}

/** Write and wait for the stream to drain, so a slow reader (a pipe to less) bounds memory. */
function write(io: CliIo, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (io.stdout.write(text)) {
      resolve();
      return;
    }
    const done = () => {
      io.stdout.off('drain', done);
      io.stdout.off('error', done);
      resolve();
    };
    io.stdout.once('drain', done);
    io.stdout.once('error', done);
  });
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
