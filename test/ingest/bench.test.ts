// The benchmarks as a user runs them, kept small: the generated mix parses completely, and the
// pipeline and ingest benchmarks report consistent numbers (a memory store keeps them quick).
import { describe, expect, it } from 'vitest';
import { generateEventMix } from '../../bench/event-mix.ts';
import { runIngestBench } from '../../bench/ingest-bench.ts';
import { runPipelineBench } from '../../bench/pipeline-bench.ts';
import { main } from '../../src/cli/main.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { isParseFailure } from '../../src/parse/parser.ts';
import { MemoryStore } from '../server/memory-store.ts';
import { fakeIo } from './cli-io.ts';

describe('benchmark event mix', () => {
  it('is deterministic per seed, varied, and fully understood by the shipped parsers', () => {
    const lines = generateEventMix(3000, 7);
    expect(generateEventMix(3000, 7)).toEqual(lines);
    expect(generateEventMix(50, 8)).not.toEqual(lines.slice(0, 50));
    expect(new Set(lines).size).toBe(lines.length);
    const registry = createDefaultParserRegistry();
    const formats = new Map<string, number>();
    const failures: string[] = [];
    for (const text of lines) {
      const result = registry.parse({ text, source: { kind: 'bench', name: 'test' }, unit: 'default', receivedAt: 0 });
      if (isParseFailure(result)) failures.push(`${result.reason}: ${text.slice(0, 80)}`);
      else {
        const format =
          registry.detect({ text, source: { kind: 'bench', name: 'test' }, unit: 'default', receivedAt: 0 })?.format ??
          '?';
        formats.set(format, (formats.get(format) ?? 0) + 1);
      }
    }
    expect(failures).toEqual([]);
    expect([...formats.keys()].sort()).toEqual(['suricata-eve', 'syslog', 'windows-evtx-json']);
    const average = lines.reduce((sum, line) => sum + line.length, 0) / lines.length;
    expect(average).toBeGreaterThan(300);
    expect(average).toBeLessThan(2000);
  });
});

describe('bench pipeline', () => {
  it('stores every event and reports throughput against the baseline', async () => {
    const result = await runPipelineBench({ events: 3000, geoip: false, openStore: async () => new MemoryStore() });
    expect(result).toMatchObject({ benchmark: 'pipeline', events: 3000, stored: 3000, deadLetters: 0 });
    expect(result.eventsPerSecond).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.eventsPerSecond / result.baselineEventsPerSecond, 2);
    expect(result.stages.storeWrites).toBeGreaterThan(0);
  });
});

describe('bench ingest', () => {
  it('posts the mix over HTTP to an in-process server and reports latency percentiles', async () => {
    const store = new MemoryStore();
    const result = await runIngestBench({
      events: 2500,
      batchSize: 500,
      connections: 2,
      geoip: false,
      openStore: async () => store,
    });
    expect(result).toMatchObject({ benchmark: 'ingest', events: 2500, stored: 2500, requests: 5, connections: 2 });
    expect(store.events).toHaveLength(2500);
    expect(result.p95RequestMs).toBeGreaterThanOrEqual(result.p50RequestMs);
  });
});

describe('vigil bench', () => {
  it('dispatches sub-commands through its table and rejects unknown ones', async () => {
    const help = fakeIo();
    expect(await main(['bench', '--help'], help)).toBe(0);
    expect(help.stdoutText()).toMatch(/vigil bench pipeline\n.*\n.*--events N/);
    expect(help.stdoutText()).toMatch(/vigil bench ingest\n.*\n.*--connections C/);
    const unknown = fakeIo();
    expect(await main(['bench', 'nope'], unknown)).toBe(2);
    expect(unknown.stderrText()).toMatch(/unknown benchmark 'nope'/);
    expect(await main(['bench', 'pipeline', '--events', 'many'], fakeIo())).toBe(2);
  });
});
