// Quick measurement of the DuckDB store: appendEvents throughput on realistic ~1 KB events,
// then search latency on the loaded table. Run: npx node bench/store-append.ts [events] [file]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../src/model/event.ts';
import { DuckDbStore } from '../src/store/duckdb/duckdb-store.ts';
import { newEventId } from '../src/store/event-id.ts';
import type { EventToStore } from '../src/store/store.ts';

const total = Number(process.argv[2] ?? 100_000);
const batchSize = 5_000;
const directory = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const path = process.argv[3] ?? join(directory, 'bench.duckdb');
const threads = process.env.VIGIL_BENCH_THREADS ? Number(process.env.VIGIL_BENCH_THREADS) : undefined;

function makeEvent(index: number, start: number): EcsEvent {
  const host = `ws-${(index % 500).toString().padStart(4, '0')}`;
  const user = `user${index % 2000}`;
  const ip = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  const time = new Date(start + index * 10).toISOString();
  const original =
    `<86>${time} ${host} sshd[${4000 + (index % 900)}]: ${index % 7 === 0 ? 'Failed' : 'Accepted'} password for ${user} ` +
    `from ${ip} port ${1024 + (index % 60000)} ssh2; session opened with key fingerprint SHA256:` +
    'x'.repeat(180);
  return {
    '@timestamp': time,
    unit: `unit-${index % 8}`,
    message: `${index % 7 === 0 ? 'Failed' : 'Accepted'} password for ${user} from ${ip}`,
    event: {
      kind: 'event',
      category: ['authentication'],
      type: ['start'],
      action: 'ssh_login',
      outcome: index % 7 === 0 ? 'failure' : 'success',
      dataset: 'system.auth',
      module: 'system',
      original,
    },
    host: { name: host, hostname: host, os: { family: 'linux', name: 'Ubuntu', version: '24.04' } },
    user: { name: user },
    source: { ip, port: 1024 + (index % 60000) },
    destination: { ip: '10.0.0.5', port: 22 },
    process: { name: 'sshd', pid: 4000 + (index % 900) },
    related: { user: [user], ip: [ip], hosts: [host] },
    log: { syslog: { priority: 86, facility: { code: 10, name: 'authpriv' }, severity: { code: 6, name: 'info' } } },
    observer: { name: 'collector-1', type: 'syslog' },
    tags: ['ssh', 'bench'],
  };
}

const store = await DuckDbStore.open(path, threads === undefined ? {} : { threads });
const start = Date.now() - total * 10;
let bytes = 0;
let seconds = 0;
let cpuMicros = 0;
let mainThreadMicros = 0;
// Events are generated batch by batch (outside the timed section) so a million fit in memory.
for (let offset = 0; offset < total; offset += batchSize) {
  const batch: EventToStore[] = [];
  for (let index = offset; index < Math.min(total, offset + batchSize); index++) {
    const event = makeEvent(index, start);
    if (offset === 0) bytes += JSON.stringify(event).length;
    batch.push({ id: newEventId(), event });
  }
  const began = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadBefore = process.threadCpuUsage();
  await store.appendEvents(batch);
  const cpu = process.cpuUsage(cpuBefore);
  // CPU time of the JavaScript thread itself: what the pipeline's one core pays per event, while
  // DuckDB inserts and commits on its own threads.
  const thread = process.threadCpuUsage(threadBefore);
  mainThreadMicros += thread.user + thread.system;
  seconds += (performance.now() - began) / 1000;
  // The machine may be shared: CPU time (all threads of this process) shows the cost per event
  // independent of how long other processes kept us waiting.
  cpuMicros += cpu.user + cpu.system;
}
const cpuSeconds = cpuMicros / 1e6;

const scope = { kind: 'all' } as const;
const queries = [
  '',
  'host.name:ws-0042',
  'user.name:user42',
  'event.outcome:failure AND host.name:ws-00*',
  'source.ip:10.0.0.0/16',
  'password',
];
const latencies: Record<string, number[]> = {};
for (const query of queries) {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const queryStart = performance.now();
    await store.searchEvents(round === 2 ? { kind: 'units', units: ['unit-3'] } : scope, { query, limit: 50 });
    times.push(Math.round(performance.now() - queryStart));
  }
  latencies[query || '(all)'] = times;
}
await store.close();
rmSync(directory, { recursive: true, force: true });
console.log(
  JSON.stringify({
    events: total,
    threads: threads ?? 'default',
    averageEventBytes: Math.round(bytes / Math.min(total, batchSize)),
    batchSize,
    seconds: Number(seconds.toFixed(2)),
    eventsPerSecond: Math.round(total / seconds),
    cpuSeconds: Number(cpuSeconds.toFixed(2)),
    eventsPerCpuSecond: Math.round(total / cpuSeconds),
    mainThreadCpuSeconds: Number((mainThreadMicros / 1e6).toFixed(2)),
    eventsPerMainThreadCpuSecond: Math.round(total / (mainThreadMicros / 1e6)),
    searchMs: latencies,
    searchNote: 'ms per searchEvents (page of 50 + capped total): cold, warm, warm scoped to one unit',
  }),
);
