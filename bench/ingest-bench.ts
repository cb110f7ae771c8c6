// `vigil bench ingest`: a whole node started in-process (HTTP API, pipeline, DuckDB in a temp
// dir) receiving the realistic event mix as NDJSON batches over keep-alive HTTP connections;
// reports throughput, request latency percentiles and the ratio to the JSON.parse baseline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type VigilConfig } from '../src/config/config.ts';
import { HttpRecordSink } from '../src/ingest/http-record-sink.ts';
import { silentLogger } from '../src/pipeline/logger.ts';
import { OverloadedError } from '../src/pipeline/record-sink.ts';
import { startVigil } from '../src/server/start-vigil.ts';
import type { Store } from '../src/store/store.ts';
import { generateEventMix } from './event-mix.ts';
import { measureBaseline } from './pipeline-bench.ts';

export interface IngestBenchOptions {
  readonly events: number;
  readonly connections?: number;
  readonly batchSize?: number;
  readonly seed?: number;
  readonly geoip?: boolean;
  /** Store to serve from (default: DuckDB in the temp data dir). */
  readonly openStore?: (config: VigilConfig) => Promise<Store>;
}

export interface IngestBenchResult {
  readonly benchmark: 'ingest';
  readonly events: number;
  readonly stored: number;
  readonly deadLetters: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly baselineEventsPerSecond: number;
  readonly baseline: string;
  readonly ratio: number;
  readonly mbPerSecond: number;
  readonly requests: number;
  readonly overloadedRetries: number;
  readonly connections: number;
  readonly batchSize: number;
  readonly p50RequestMs: number;
  readonly p95RequestMs: number;
  readonly maxRequestMs: number;
  readonly peakRssMb: number;
  readonly node: string;
}

export async function runIngestBench(options: IngestBenchOptions): Promise<IngestBenchResult> {
  const count = options.events;
  const connections = options.connections ?? 4;
  const batchSize = options.batchSize ?? 1000;
  const lines = generateEventMix(count, options.seed ?? 42);
  const bodies: string[] = [];
  let bytes = 0;
  for (let from = 0; from < count; from += batchSize) {
    const body = `${lines.slice(from, from + batchSize).join('\n')}\n`;
    bytes += Buffer.byteLength(body);
    bodies.push(body);
  }
  const baselineEventsPerSecond = measureBaseline(lines);

  const dataDir = await mkdtemp(join(tmpdir(), 'vigil-bench-ingest-'));
  const base = loadConfig({ env: {}, cwd: dataDir });
  const config: VigilConfig = {
    ...base,
    dataDir,
    http: { ...base.http, host: '127.0.0.1', port: 0, bodyLimit: Math.max(base.http.bodyLimit, 64 * 1024 * 1024) },
    syslog: { ...base.syslog, enabled: false },
    retention: { ...base.retention, days: 0 },
  };
  const running = await startVigil(config, {
    log: silentLogger,
    print: () => {},
    geoip: options.geoip ?? true,
    ...(options.openStore ? { openStore: options.openStore } : {}),
  });
  const sink = new HttpRecordSink({ url: running.url, key: running.initialAdminSecret!, maxSockets: connections });
  const url = new URL('/api/v1/ingest', running.url);
  const latencies: number[] = [];
  let stored = 0;
  let deadLetters = 0;
  let retries = 0;
  let next = 0;
  try {
    const started = performance.now();
    const worker = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          const sent = performance.now();
          try {
            const result = await sink.post(url, body);
            latencies.push(performance.now() - sent);
            stored += result.stored;
            deadLetters += result.failed;
            break;
          } catch (error) {
            if (!(error instanceof OverloadedError)) throw error;
            retries++;
            await new Promise((resolve) => setTimeout(resolve, Math.max(20, error.retryAfterSeconds * 1000)));
          }
        }
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((left, right) => left - right);
    const eventsPerSecond = count / seconds;
    return {
      benchmark: 'ingest',
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
      requests: latencies.length,
      overloadedRetries: retries,
      connections,
      batchSize,
      p50RequestMs: round(percentile(latencies, 0.5), 1),
      p95RequestMs: round(percentile(latencies, 0.95), 1),
      maxRequestMs: round(latencies.at(-1) ?? 0, 1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      node: process.version,
    };
  } finally {
    sink.close();
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
