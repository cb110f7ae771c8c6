// `vigil hunt`: an offline Sigma scan of log files, like Hayabusa or Chainsaw. Reads files and
// folders (NDJSON, JSON, .gz, OTRF .zip) through the same reader and parsers as `vigil parse`,
// runs the Sigma engine and the correlation rules of the rule set, and prints one alert per match
// (NDJSON, CSV or a table, always with the rule author). Problems and the summary go to stderr.
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { correlationAlert } from '../../detect/correlation/correlation-engine.ts';
import { loadRuleSet } from '../../detect/rule-set.ts';
import type { CompiledSigmaRule } from '../../detect/sigma/sigma-engine.ts';
import type { Alert } from '../../model/alert.ts';
import type { EcsEvent } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../../parse/default-parsers.ts';
import { isParseFailure } from '../../parse/parser.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';
import { maxLineOption, readInput } from './input-files.ts';

const usage = `Usage: vigil hunt --rules DIR|FILE [--rules …] [--output ndjson|csv|table] [--format auto|F] FILE|DIR|- …

Runs Sigma rules (detection, filter and correlation rules) over log files offline and prints
one alert per match. Reads .jsonl/.ndjson/.json, .gz and OTRF .zip files, folders recursively;
other files inside folders are skipped with a warning. EVTX must be exported to JSON first.

Options:
  -r, --rules PATH   Rule file or folder (repeatable; required)
  -o, --output O     ndjson (default): one ECS alert document per line, with rule.id,
                     rule.name, rule.level, rule.author and the matched event's fields;
                     csv: one row per alert; table: aligned columns for reading
  -f, --format F     Parser for every record (default auto: detected per record)
      --unit U       Unit (tenant) of the events (default "default")
      --timezone TZ  Time zone for timestamps without one (IANA name or +05:00; default UTC)
      --max-line N   Longest line in bytes (default 1048576)

Output:
  stdout  the alerts
  stderr  one JSON line per problem and a summary at the end:
          {"type":"rule-rejected","location":"file:line","reason":…}   rule not loaded
          {"type":"rule-warning","location":"file:line","reason":…}    loaded, held back
          {"type":"skipped","file":…,"reason":…}                         file not read
          {"type":"failure","file":…,"line":…,"reason":…}                record not parsed
          {"type":"summary","files":…,"events":…,"alerts":…,"rulesLoaded":…,"rulesRejected":…,"rulesWarned":…,"seconds":…}

Exit status: 0 after a complete scan (with or without alerts); 1 when no rule could be loaded or
no input could be read; 2 on a usage error.

Rules keep their own licence: SigmaHQ rules are under the Detection Rule License (DRL 1.1),
which requires the rule author to be shown with every match — every output format does.
`;

type OutputFormat = 'ndjson' | 'csv' | 'table';

/** The alert document printed in NDJSON mode: the matched ECS event with the rule that fired. */
export type HuntAlert = EcsEvent & {
  readonly rule: {
    readonly id: string;
    readonly name: string;
    readonly level: string;
    readonly author?: string;
    readonly status?: string;
    readonly references?: readonly string[];
    readonly tags?: readonly string[];
    readonly path?: string;
    readonly kind: 'sigma' | 'sigma-correlation';
  };
};

export const command: CliCommand = {
  name: 'hunt',
  summary: 'Offline Sigma scan of log files (alerts as NDJSON, table or CSV)',
  usage,
  async run(argv, io) {
    let parsed: ReturnType<typeof parseOptions>;
    try {
      parsed = parseOptions(argv);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values, positionals } = parsed;
    const rulePaths = values.rules ?? [];
    if (rulePaths.length === 0) throw new UsageError('--rules DIR|FILE is required');
    if (positionals.length === 0) throw new UsageError('no input files given');
    const output = (values.output ?? 'ndjson') as OutputFormat;
    if (!['ndjson', 'csv', 'table'].includes(output)) throw new UsageError('--output must be ndjson, csv or table');
    const registry = createDefaultParserRegistry();
    const format = values.format ?? 'auto';
    if (format !== 'auto' && !registry.get(format)) {
      throw new UsageError(
        `unknown format '${format}' (available: ${registry.formats.map((parser) => parser.format).join(', ')})`,
      );
    }
    const maxLineBytes = maxLineOption(values['max-line']);
    const unit = values.unit ?? 'default';
    const started = performance.now();
    const report = (fields: Record<string, unknown>) => io.stderr.write(`${JSON.stringify(fields)}\n`);

    const resolve = (path: string) => (path === '-' ? path : resolvePath(io.cwd, path));
    const ruleSet = await loadRuleSet(rulePaths.map(resolve));
    for (const rejection of ruleSet.rejections) {
      report({
        type: 'rule-rejected',
        location: `${rejection.path}:${rejection.line}`,
        reason: rejection.reason,
        ...(rejection.title ? { rule: rejection.title } : {}),
      });
    }
    for (const warning of ruleSet.warnings) {
      report({
        type: 'rule-warning',
        location: `${warning.path}:${warning.line}`,
        reason: warning.reason,
        ...(warning.title ? { rule: warning.title } : {}),
      });
    }
    const rulesLoaded = ruleSet.sigma.rules.length + ruleSet.correlations.length;
    if (rulesLoaded === 0) {
      report({ type: 'error', reason: `no rule loaded from ${rulePaths.join(', ')} (${ruleSet.files} files)` });
      return 1;
    }

    const counts = { records: 0, events: 0, alerts: 0, failures: 0 };
    const sink = new AlertWriter(io, output);
    const input = readInput(
      positionals.map(resolve),
      { unit, ...(values.timezone ? { timezone: values.timezone } : {}), ...(maxLineBytes ? { maxLineBytes } : {}) },
      report,
    );
    const { batches } = input;
    const correlation = ruleSet.correlations.length > 0 ? ruleSet.correlation : undefined;
    let latest = 0;
    const emitCorrelation = (hits: ReturnType<NonNullable<typeof correlation>['advance']>) => {
      for (const hit of hits) {
        counts.alerts++;
        sink.add(correlationDocument(correlationAlert(hit, hit.lastTime)));
      }
    };
    let eventSerial = 0;
    for await (const batch of batches) {
      for (const record of batch) {
        counts.records++;
        const result = registry.parse(record, format);
        if (isParseFailure(result)) {
          counts.failures++;
          report({
            type: 'failure',
            file: record.source.path,
            line: record.source.line,
            format: result.format,
            reason: result.reason,
          });
          continue;
        }
        for (const event of Array.isArray(result) ? result : [result]) {
          counts.events++;
          if (!event.unit) event.unit = unit;
          withFilePath(event, record.source.path);
          const time = Date.parse(event['@timestamp']);
          if (!Number.isNaN(time)) latest = Math.max(latest, time);
          eventSerial++;
          ruleSet.sigma.match(event, (compiled) => {
            counts.alerts++;
            sink.add(sigmaDocument(compiled, event));
            if (correlation) {
              const rule = compiled.rule;
              emitCorrelation(
                correlation.onMatch({
                  ruleId: rule.id,
                  ruleName: rule.name,
                  eventId: `${record.source.path ?? '-'}#${eventSerial}`,
                  event,
                  time: Number.isNaN(time) ? latest : time,
                }),
              );
            }
          });
        }
      }
      await sink.flush();
      if (sink.closed) break;
    }
    // Windows still open at the end of the input are decided now (e.g. "fewer than N" conditions).
    if (correlation) emitCorrelation(correlation.advance(Number.MAX_SAFE_INTEGER));
    await sink.flush();
    input.reportSkippedExtensions();
    report({
      type: 'summary',
      files: input.counts.files,
      records: counts.records,
      events: counts.events,
      alerts: counts.alerts,
      // Lines that could not be read and records no parser understood.
      failures: counts.failures + input.counts.readFailures,
      skipped: input.counts.skipped,
      rulesLoaded,
      rulesRejected: ruleSet.rejections.length,
      rulesWarned: ruleSet.warnings.length,
      seconds: Math.round((performance.now() - started) / 10) / 100,
    });
    return input.counts.files === 0 ? 1 : 0;
  },
};

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      rules: { type: 'string', short: 'r', multiple: true },
      output: { type: 'string', short: 'o' },
      format: { type: 'string', short: 'f' },
      unit: { type: 'string' },
      timezone: { type: 'string' },
      'max-line': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
}

/** `log.file.path` is the file the event was read from (an OTRF zip entry: `archive.zip!entry`). */
function withFilePath(event: EcsEvent, path: string | undefined): void {
  if (path === undefined) return;
  const record = event as Record<string, unknown>;
  const log = isObject(record.log) ? record.log : {};
  const file = isObject(log.file) ? log.file : {};
  record.log = { ...log, file: { ...file, path } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ECS alert document of a Sigma match: the event's fields, `rule.*`, and `event.kind: alert`. */
export function sigmaDocument(compiled: CompiledSigmaRule, event: EcsEvent): HuntAlert {
  const rule = compiled.rule;
  const eventField = isObject((event as Record<string, unknown>).event)
    ? ((event as Record<string, unknown>).event as Record<string, unknown>)
    : {};
  return {
    ...event,
    event: { ...eventField, kind: 'alert' },
    rule: {
      id: rule.id ?? rule.name ?? rule.path,
      name: rule.title,
      level: rule.level ?? 'medium',
      ...(rule.author ? { author: rule.author } : {}),
      ...(rule.status ? { status: rule.status } : {}),
      ...(rule.references?.length ? { references: rule.references } : {}),
      ...(rule.tags.length ? { tags: rule.tags } : {}),
      path: rule.path,
      kind: 'sigma',
    },
  } as unknown as HuntAlert;
}

function correlationDocument(alert: Alert): HuntAlert {
  const event = (alert.event ?? { '@timestamp': alert['@timestamp'], unit: alert.unit }) as EcsEvent;
  const eventField = isObject((event as Record<string, unknown>).event)
    ? ((event as Record<string, unknown>).event as Record<string, unknown>)
    : {};
  return {
    ...event,
    '@timestamp': alert['@timestamp'],
    event: { ...eventField, kind: 'alert' },
    rule: {
      id: alert.rule.id,
      name: alert.rule.title,
      level: alert.rule.level,
      ...(alert.rule.author ? { author: alert.rule.author } : {}),
      ...(alert.rule.status ? { status: alert.rule.status } : {}),
      ...(alert.rule.references?.length ? { references: alert.rule.references } : {}),
      ...(alert.rule.tags?.length ? { tags: alert.rule.tags } : {}),
      ...(alert.rule.path ? { path: alert.rule.path } : {}),
      kind: 'sigma-correlation',
    },
    ...(alert.groupBy ? { correlation: { group_by: alert.groupBy, event_ids: alert.eventIds } } : {}),
  } as unknown as HuntAlert;
}

/** The columns of the CSV and table outputs. */
const columns = ['timestamp', 'level', 'rule', 'author', 'host', 'channel', 'event_id', 'record_id', 'file'] as const;
const tableWidths: Record<(typeof columns)[number], number> = {
  timestamp: 24,
  level: 13,
  rule: 60,
  author: 30,
  host: 20,
  channel: 24,
  event_id: 8,
  record_id: 10,
  file: 0,
};

function row(alert: HuntAlert): Record<(typeof columns)[number], string> {
  const record = alert as Record<string, unknown>;
  const winlog = isObject(record.winlog) ? record.winlog : {};
  const host = isObject(record.host) ? record.host : {};
  const log = isObject(record.log) ? record.log : {};
  const file = isObject(log.file) ? log.file : {};
  const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
  return {
    timestamp: text(alert['@timestamp']),
    level: alert.rule.level,
    rule: alert.rule.name,
    author: alert.rule.author ?? '',
    host: text(host.name ?? winlog.computer_name),
    channel: text(winlog.channel),
    event_id: text(winlog.event_id),
    record_id: text(winlog.record_id),
    file: text(file.path),
  };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function cell(value: string, width: number): string {
  const flat = value.replace(/\s+/g, ' ');
  if (width === 0) return flat;
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

/** Formats alerts and writes them with backpressure; stops quietly when the reader goes away. */
class AlertWriter {
  closed = false;
  readonly #io: CliIo;
  readonly #output: OutputFormat;
  #pending = '';
  #headerDone = false;

  constructor(io: CliIo, output: OutputFormat) {
    this.#io = io;
    this.#output = output;
    io.stdout.on('error', () => {
      // `vigil hunt … | head`: the reader went away.
      this.closed = true;
    });
  }

  add(alert: HuntAlert): void {
    if (!this.#headerDone) {
      this.#headerDone = true;
      if (this.#output === 'csv') this.#pending += `${columns.join(',')}\n`;
      if (this.#output === 'table') {
        this.#pending += `${columns.map((name) => cell(name.toUpperCase(), tableWidths[name])).join('  ')}\n`;
      }
    }
    if (this.#output === 'ndjson') {
      this.#pending += `${JSON.stringify(alert)}\n`;
      return;
    }
    const fields = row(alert);
    if (this.#output === 'csv') this.#pending += `${columns.map((name) => csvField(fields[name])).join(',')}\n`;
    else
      this.#pending += `${columns
        .map((name) => cell(fields[name], tableWidths[name]))
        .join('  ')
        .trimEnd()}\n`;
  }

  flush(): Promise<void> {
    const text = this.#pending;
    this.#pending = '';
    if (!text || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.#io.stdout.write(text)) {
        resolve();
        return;
      }
      const done = () => {
        this.#io.stdout.off('drain', done);
        this.#io.stdout.off('error', done);
        resolve();
      };
      this.#io.stdout.once('drain', done);
      this.#io.stdout.once('error', done);
    });
  }
}
