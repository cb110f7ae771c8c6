// `vigil bench sigma`: loads every rule under ../shared/data/sigma/rules*, parses the EVTX attack
// samples and OTRF datasets once, then replays those events through the engine on one core
// until the event budget is reached. The baseline is JSON.parse over the same raw lines, in the
// same order and count, in the same process, so the ratio holds when the machine is loaded.
import { readdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { loadSigmaRules } from '../src/detect/sigma/load-sigma-rules.ts';
import { SigmaEngine } from '../src/detect/sigma/sigma-engine.ts';
import { readRecords } from '../src/ingest/files/read-records.ts';
import type { EcsEvent } from '../src/model/event.ts';
import { createDefaultParserRegistry } from '../src/parse/default-parsers.ts';
import { isParseFailure } from '../src/parse/parser.ts';

export interface SigmaBenchOptions {
  /** ../shared/data (holds sigma/, evtx-attack-samples/, otrf/). */
  readonly dataDir: string;
  /** Events to replay (default 1,000,000). */
  readonly events?: number;
  /** Rule files or folders (default every DATA/sigma/rules* folder). */
  readonly rules?: readonly string[];
  /** Event files or folders (default DATA/evtx-attack-samples and DATA/otrf). */
  readonly inputs?: readonly string[];
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
  /** Events of the sample that matched at least one rule (per pass over the sample). */
  readonly sampleEventsWithAlerts: number;
  readonly baselineEventsPerSecond: number;
  readonly baseline: string;
  readonly ratio: number;
  readonly peakRssMb: number;
  /**
   * The same two loops measured in process CPU time (all threads, so GC helpers count against
   * us): closer to what one dedicated core gives when other processes load the machine.
   */
  readonly cpu: { readonly eventsPerCpuSecond: number; readonly baselineEventsPerCpuSecond: number };
  /** 1-minute load average at the start and end of the replay (machine contention). */
  readonly loadAverage: readonly [number, number];
  readonly node: string;
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export async function runSigmaBench(options: SigmaBenchOptions): Promise<SigmaBenchResult> {
  const target = options.events ?? 1_000_000;
  const sigmaDir = path.join(options.dataDir, 'sigma');
  const ruleDirs =
    options.rules ??
    (await readdir(sigmaDir))
      .filter((name) => name.startsWith('rules'))
      .sort()
      .map((name) => path.join(sigmaDir, name));
  const loadStart = performance.now();
  const loaded = await loadSigmaRules(ruleDirs);
  const engine = SigmaEngine.build(loaded.rules);
  const ruleLoadSeconds = (performance.now() - loadStart) / 1000;
  options.progress?.(`loaded ${engine.rules.length} rules in ${ruleLoadSeconds.toFixed(1)} s`);

  const registry = createDefaultParserRegistry();
  const events: EcsEvent[] = [];
  // The raw line of each event (a record that yields several events repeats its line).
  const lines: string[] = [];
  const inputs = options.inputs ?? [
    path.join(options.dataDir, 'evtx-attack-samples'),
    path.join(options.dataDir, 'otrf'),
  ];
  for await (const batch of readRecords(inputs, { decodeJson: false })) {
    for (const record of batch) {
      const parsed = registry.parse(record);
      if (isParseFailure(parsed)) continue;
      for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
        events.push(event);
        lines.push(record.text);
      }
    }
  }
  if (events.length === 0) throw new Error(`no events parsed from ${inputs.join(', ')}`);
  options.progress?.(`parsed ${events.length} sample events; replaying ${target}`);

  let sampleEventsWithAlerts = 0;
  for (const event of events) if (engine.match(event, () => {}) > 0) sampleEventsWithAlerts++;

  let alerts = 0;
  const count = (): void => {
    alerts++;
  };
  const loadAtStart = loadavg()[0] ?? 0;
  const matchStart = performance.now();
  const matchCpuStart = cpuSeconds();
  for (let done = 0; done < target; done++) engine.match(events[done % events.length] as EcsEvent, count);
  const seconds = (performance.now() - matchStart) / 1000;
  const matchCpu = cpuSeconds() - matchCpuStart;

  let sink = 0;
  const baselineStart = performance.now();
  const baselineCpuStart = cpuSeconds();
  for (let done = 0; done < target; done++) {
    const value = JSON.parse(lines[done % lines.length] as string) as object;
    if (value) sink++;
  }
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  const baselineCpu = cpuSeconds() - baselineCpuStart;
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
    sampleEventsWithAlerts,
    baselineEventsPerSecond,
    baseline: 'JSON.parse of the raw line of each replayed event',
    ratio: Math.round((eventsPerSecond / baselineEventsPerSecond) * 1000) / 1000,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    cpu: {
      eventsPerCpuSecond: Math.round(target / matchCpu),
      baselineEventsPerCpuSecond: Math.round(sink / baselineCpu),
    },
    loadAverage: [Math.round(loadAtStart * 100) / 100, Math.round((loadavg()[0] ?? 0) * 100) / 100],
    node: process.version,
  };
}
