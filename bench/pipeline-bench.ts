// `vigil bench pipeline`: the realistic event mix through the real in-process pipeline
// (parse → enrich → store into DuckDB in a temp dir), compared with a baseline measured in the
// same run: JSON.parse of the same lines, i.e. the bare cost of decoding each line once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import type { JsonObject, RawRecord } from '../src/model/event.ts';
import { createDefaultParserRegistry } from '../src/parse/default-parsers.ts';
import { isParseFailure } from '../src/parse/parser.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { Metrics } from '../src/pipeline/metrics.ts';
import { Pipeline, pipelineDefaults } from '../src/pipeline/pipeline.ts';
import type { Store } from '../src/store/store.ts';
import { generateEventMix } from './event-mix.ts';

export interface PipelineBenchOptions {
  readonly events: number;
  readonly seed?: number;
  /** Records per submit (default 1000), as a file or HTTP source would send them. */
  readonly batchSize?: number;
  /** Events per store write (the pipeline's batchMaxEvents; default: the pipeline default). */
  readonly storeBatchEvents?: number;
  /** Submits in flight at once (default 4). */
  readonly concurrency?: number;
  /** Opens the store in a directory (default: the embedded DuckDB store). */
  readonly openStore?: (directory: string) => Promise<Store>;
  /** Name of the store in the result (default 'duckdb'). */
  readonly storeName?: string;
  /** Include the GeoIP enricher (default true). */
  readonly geoip?: boolean;
}

export interface PipelineBenchResult {
  readonly benchmark: 'pipeline';
  readonly store: string;
  readonly events: number;
  readonly stored: number;
  readonly deadLetters: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly baselineEventsPerSecond: number;
  readonly baseline: string;
  readonly ratio: number;
  readonly mbPerSecond: number;
  readonly inputMb: number;
  readonly peakRssMb: number;
  /** CPU time of the whole process (all threads, DuckDB's included) during the timed run. */
  readonly cpuSeconds: number;
  /** CPU time of the JavaScript thread alone during the timed run: what "one core" pays. */
  readonly mainThreadCpuSeconds: number;
  readonly eventsPerMainThreadCpuSecond: number;
  /** The baseline per CPU second of the same thread. */
  readonly baselineEventsPerCpuSecond: number;
  /** eventsPerMainThreadCpuSecond / baselineEventsPerCpuSecond: the ratio on one core, robust to a busy machine. */
  readonly mainThreadCpuRatio: number;
  readonly stages: {
    readonly parseOnlyEventsPerSecond: number;
    readonly parseOnlyNote: string;
    readonly enrichers: readonly string[];
    readonly storeWriteSeconds: number;
    readonly storeWrites: number;
    readonly storeBatchEvents: number;
    readonly concurrency: number;
  };
  readonly mix: string;
  readonly node: string;
}

export async function openDuckDbStore(directory: string): Promise<Store> {
  const { DuckDbStore } = (await import('../src/store/duckdb/duckdb-store.ts')) as {
    DuckDbStore: { open(path: string): Promise<Store> };
  };
  return DuckDbStore.open(join(directory, 'vigil.duckdb'));
}

/** Decode every line once with JSON.parse (non-JSON lines as JSON strings): best of three runs. */
export function measureBaseline(lines: readonly string[]): number {
  return measureBaselineRates(lines).eventsPerSecond;
}

/**
 * The baseline by wall clock and by the CPU time of this thread (best of three runs each). The CPU
 * rate is what one core does when the machine is shared: wall-clock rates of a short loop and of a
 * long pipeline run are not equally disturbed by other processes, CPU times are.
 */
export function measureBaselineRates(lines: readonly string[]): {
  eventsPerSecond: number;
  eventsPerCpuSecond: number;
} {
  const inputs = lines.map((line) => (line.charCodeAt(0) === 123 ? line : JSON.stringify(line)));
  let best = Number.POSITIVE_INFINITY;
  let bestCpu = Number.POSITIVE_INFINITY;
  let sink = 0;
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const cpuBefore = process.threadCpuUsage();
    for (let index = 0; index < inputs.length; index++) {
      const value = JSON.parse(inputs[index]!) as unknown;
      if (value !== null) sink++;
    }
    const cpu = process.threadCpuUsage(cpuBefore);
    best = Math.min(best, performance.now() - started);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1000);
  }
  if (sink === 0) throw new Error('baseline decoded nothing');
  return { eventsPerSecond: inputs.length / (best / 1000), eventsPerCpuSecond: inputs.length / (bestCpu / 1000) };
}

/**
 * Records as a source hands them over: like the file reader and the HTTP route, a line that is a
 * JSON object is decoded once here (into `json`) so parsers do not decode it again.
 */
function records(lines: readonly string[], from: number, to: number, receivedAt: number): RawRecord[] {
  const batch = new Array<RawRecord>(to - from);
  const source = { kind: 'bench', name: 'pipeline' };
  for (let index = from; index < to; index++) {
    const text = lines[index]!;
    const json = text.charCodeAt(0) === 123 ? (JSON.parse(text) as JsonObject) : undefined;
    batch[index - from] = json
      ? { text, json, source, unit: 'default', receivedAt }
      : { text, source, unit: 'default', receivedAt };
  }
  return batch;
}

/** Units and assets in the store so the inventory enricher has real work (CIDR and host lookups). */
async function seedInventory(store: Store): Promise<void> {
  const units = ['finance', 'hr', 'ops', 'dev', 'branch-12', 'dmz'];
  for (let index = 0; index < units.length; index++) {
    await store.putUnit({ id: units[index]!, name: units[index]!, cidrs: [`10.${index + 1}.0.0/16`] });
  }
  const prefixes = ['fin', 'hr', 'ops', 'dev', 'br12'];
  for (let index = 0; index < 200; index++) {
    const prefix = prefixes[index % prefixes.length]!;
    await store.putAsset({
      id: `asset-${index}`,
      unit: units[index % prefixes.length]!,
      hostname: `${prefix}-ws${String(index).padStart(3, '0')}`,
      criticality: index % 17 === 0 ? 'high' : 'medium',
    });
  }
}

export async function runPipelineBench(options: PipelineBenchOptions): Promise<PipelineBenchResult> {
  const count = options.events;
  const batchSize = options.batchSize ?? 1000;
  const concurrency = options.concurrency ?? 4;
  const lines = generateEventMix(count, options.seed ?? 42);
  let bytes = 0;
  for (const line of lines) bytes += Buffer.byteLength(line);

  const baselineRates = measureBaselineRates(lines);
  const baselineEventsPerSecond = baselineRates.eventsPerSecond;

  // Parse alone (after a warm-up) tells how much of the end-to-end time is parsing.
  const registry = createDefaultParserRegistry();
  const receivedAt = Date.now();
  const warm = records(lines, 0, Math.min(count, 5000), receivedAt);
  for (const record of warm) registry.parse(record);
  const parseStarted = performance.now();
  let parsed = 0;
  for (let from = 0; from < count; from += 1000) {
    for (const record of records(lines, from, Math.min(count, from + 1000), receivedAt)) {
      if (!isParseFailure(registry.parse(record))) parsed++;
    }
  }
  const parseSeconds = (performance.now() - parseStarted) / 1000;
  if (parsed === 0 && count > 0) throw new Error('no parser recognised the benchmark mix');

  const directory = await mkdtemp(join(tmpdir(), 'vigil-bench-pipeline-'));
  const store = await (options.openStore ?? openDuckDbStore)(directory);
  try {
    await seedInventory(store);
    const { loadDefaultEnrichers } = await import('../src/server/start-vigil.ts');
    const enrichers = await loadDefaultEnrichers(store, loadConfig({ env: {}, cwd: directory }), silentLogger, {
      geoip: options.geoip ?? true,
    });
    const metrics = new Metrics();
    const pipeline = new Pipeline({
      registry: createDefaultParserRegistry(),
      store,
      metrics,
      log: silentLogger,
      enrichers,
      ...(options.storeBatchEvents ? { batchMaxEvents: options.storeBatchEvents } : {}),
    });

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const threadBefore = process.threadCpuUsage();
    const inFlight = new Set<Promise<unknown>>();
    let stored = 0;
    let deadLetters = 0;
    for (let from = 0; from < count; from += batchSize) {
      const batch = records(lines, from, Math.min(count, from + batchSize), Date.now());
      const submit: Promise<unknown> = pipeline.submit(batch).then((result) => {
        stored += result.stored;
        deadLetters += result.failed;
        inFlight.delete(submit);
      });
      inFlight.add(submit);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
      // A real source gets each batch from an I/O callback: let timers and store callbacks run between batches.
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(inFlight);
    await pipeline.close();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const thread = process.threadCpuUsage(threadBefore);
    const mainThreadCpuSeconds = (thread.user + thread.system) / 1e6;

    const eventsPerSecond = count / seconds;
    return {
      benchmark: 'pipeline',
      store: options.storeName ?? (options.openStore ? 'custom' : 'duckdb'),
      events: count,
      stored,
      deadLetters,
      seconds: round(seconds, 3),
      eventsPerSecond: Math.round(eventsPerSecond),
      baselineEventsPerSecond: Math.round(baselineEventsPerSecond),
      baseline:
        'JSON.parse of every input line in one loop (non-JSON syslog lines as JSON-quoted strings), best of 3 runs, same lines, same process',
      ratio: round(eventsPerSecond / baselineEventsPerSecond, 4),
      mbPerSecond: round(bytes / 1024 / 1024 / seconds, 2),
      inputMb: round(bytes / 1024 / 1024, 1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
      mainThreadCpuSeconds: round(mainThreadCpuSeconds, 3),
      eventsPerMainThreadCpuSecond: Math.round(count / mainThreadCpuSeconds),
      baselineEventsPerCpuSecond: Math.round(baselineRates.eventsPerCpuSecond),
      mainThreadCpuRatio: round(count / mainThreadCpuSeconds / baselineRates.eventsPerCpuSecond, 4),
      stages: {
        parseOnlyEventsPerSecond: Math.round(count / parseSeconds),
        parseOnlyNote: 'decode + parse of every line, no enrichment or store, after a 5,000-line warm-up',
        enrichers: enrichers.map((enricher) => enricher.name),
        storeWriteSeconds: round(metrics.get('vigil_store_write_seconds_sum'), 3),
        storeWrites: metrics.get('vigil_store_write_seconds_count'),
        storeBatchEvents: options.storeBatchEvents ?? pipelineDefaults.batchMaxEvents,
        concurrency,
      },
      mix: 'Sysmon 1/3/11/13 + Security 4624/4625/4688 (EVTX-as-JSON), Suricata EVE alert/dns/flow, sshd/sudo syslog; seeded',
      node: process.version,
    };
  } finally {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
