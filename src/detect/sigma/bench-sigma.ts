// `vigil bench sigma`: loads every rule under ../shared/data/sigma/rules*, parses the EVTX attack
// samples and OTRF datasets once, then replays those events through the engine on one core
// until the event budget is reached. The baseline is JSON.parse over the same raw lines.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readRecords } from '../../ingest/files/read-records.ts';
import type { EcsEvent } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../../parse/default-parsers.ts';
import { isParseFailure } from '../../parse/parser.ts';
import { loadSigmaRules } from './load-sigma-rules.ts';
import { SigmaEngine } from './sigma-engine.ts';

export interface SigmaBenchOptions {
  /** ../shared/data (holds sigma/, evtx-attack-samples/, otrf/). */
  readonly dataDir: string;
  /** Events to replay (default 1,000,000). */
  readonly events?: number;
  readonly progress?: (message: string) => void;
}

export interface SigmaBenchResult {
  readonly benchmark: 'sigma';
  readonly rules: number;
  readonly rejectedRules: number;
  readonly ruleLoadSeconds: number;
  readonly sampleEvents: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly alerts: number;
  readonly baselineEventsPerSecond: number;
  readonly ratio: number;
  readonly peakRssMb: number;
}

export async function runSigmaBench(options: SigmaBenchOptions): Promise<SigmaBenchResult> {
  const target = options.events ?? 1_000_000;
  const sigmaDir = path.join(options.dataDir, 'sigma');
  const ruleDirs = (await readdir(sigmaDir))
    .filter((name) => name.startsWith('rules'))
    .map((name) => path.join(sigmaDir, name));
  const loadStart = performance.now();
  const loaded = await loadSigmaRules(ruleDirs);
  const engine = SigmaEngine.build(loaded.rules);
  const ruleLoadSeconds = (performance.now() - loadStart) / 1000;
  options.progress?.(`loaded ${engine.rules.length} rules in ${ruleLoadSeconds.toFixed(1)} s`);

  const registry = createDefaultParserRegistry();
  const events: EcsEvent[] = [];
  const lines: string[] = [];
  const inputs = [path.join(options.dataDir, 'evtx-attack-samples'), path.join(options.dataDir, 'otrf')];
  for await (const batch of readRecords(inputs, { decodeJson: false })) {
    for (const record of batch) {
      const parsed = registry.parse(record);
      if (isParseFailure(parsed)) continue;
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) events.push(event);
      lines.push(record.text);
    }
  }
  if (events.length === 0) throw new Error(`no events parsed from ${inputs.join(', ')}`);
  options.progress?.(`parsed ${events.length} sample events; replaying ${target}`);

  let alerts = 0;
  const count = (): void => {
    alerts++;
  };
  const matchStart = performance.now();
  for (let done = 0; done < target; done++) engine.match(events[done % events.length] as EcsEvent, count);
  const seconds = (performance.now() - matchStart) / 1000;

  let sink = 0;
  const baselineStart = performance.now();
  for (let done = 0; done < target; done++) {
    const value = JSON.parse(lines[done % lines.length] as string) as object;
    if (value) sink++;
  }
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  const eventsPerSecond = Math.round(target / seconds);
  const baselineEventsPerSecond = Math.round(sink / baselineSeconds);
  return {
    benchmark: 'sigma',
    rules: engine.rules.length,
    rejectedRules: loaded.rejections.length + engine.rejections.length,
    ruleLoadSeconds: Math.round(ruleLoadSeconds * 100) / 100,
    sampleEvents: events.length,
    events: target,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond,
    alerts,
    baselineEventsPerSecond,
    ratio: Math.round((eventsPerSecond / baselineEventsPerSecond) * 1000) / 1000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/** The `vigil bench sigma` entry, shaped for the bench command's table (BenchDefinition). */
export const sigmaBench = {
  summary: 'all SigmaHQ rules over the EVTX attack samples and OTRF events, one core (default 1,000,000 events)',
  usage: `Usage: vigil bench sigma [--events N] [--data DIR]

Loads every rule under DIR/sigma/rules*, parses DIR/evtx-attack-samples and DIR/otrf once, and
replays those events through the Sigma engine until N events were matched (one core). The
baseline is JSON.parse over the same raw lines in the same run.

Options:
  --events N    Events to replay (default 1000000)
  --data DIR    Shared data folder (default ../shared/data beside the repository)
`,
  options: { events: { type: 'string' }, data: { type: 'string' } } as const,
  run: async (
    values: Record<string, string | boolean | undefined>,
    _positionals: readonly string[],
    io: { stderr: NodeJS.WritableStream; cwd: string },
  ) => {
    const eventsOption = values.events;
    const events = typeof eventsOption === 'string' ? Number(eventsOption) : 1_000_000;
    if (!Number.isInteger(events) || events <= 0) throw new Error('--events needs a positive integer');
    const dataDir =
      typeof values.data === 'string'
        ? path.resolve(io.cwd, values.data)
        : path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', '..', 'shared', 'data');
    return runSigmaBench({ dataDir, events, progress: (message) => io.stderr.write(`bench sigma: ${message}\n`) });
  },
};
