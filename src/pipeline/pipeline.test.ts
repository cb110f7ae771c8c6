import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../test/server/memory-store.ts';
import { createTestRegistry } from '../../test/server/test-parsers.ts';
import type { RawRecord } from '../model/event.ts';
import { ParserRegistry } from '../parse/parser-registry.ts';
import type { EventToStore } from '../store/store.ts';
import { silentLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { Pipeline, type PipelineOptions } from './pipeline.ts';
import { OverloadedError } from './record-sink.ts';
import { StoreWriteError } from './store-write-error.ts';

const source = { kind: 'http', name: 'test-key' };

function records(count: number, unit = 'finance', extra: Partial<RawRecord> = {}): RawRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    text: JSON.stringify({ message: `line ${index}`, timestamp: '2026-11-22T07:00:00.000Z' }),
    source,
    unit,
    receivedAt: Date.now(),
    ...extra,
  }));
}

function setup(options: Partial<PipelineOptions> = {}) {
  const store = new MemoryStore();
  const metrics = new Metrics();
  const pipeline = new Pipeline({ registry: createTestRegistry(), store, metrics, log: silentLogger, ...options });
  return { store, metrics, pipeline };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('Pipeline', () => {
  it('coalesces concurrent submits into one store write', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 30, batchMaxEvents: 1000 });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => pipeline.submit(records(10))));
    expect(results.map((result) => result.stored)).toEqual([10, 10, 10, 10, 10]);
    expect(store.eventWrites).toEqual([50]);
    expect(store.events).toHaveLength(50);
    expect(new Set(store.events.map((stored) => stored.id)).size).toBe(50);
  });

  it('splits writes at batchMaxEvents and resolves a big submit only after all its parts', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 5, batchMaxEvents: 20 });
    const result = await pipeline.submit(records(50));
    expect(result.stored).toBe(50);
    expect(store.eventWrites).toEqual([20, 20, 10]);
  });

  it('acknowledges a submit only after its events are committed', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 0 });
    const commit = gate();
    store.writeGate = commit.promise;
    let resolved = false;
    const submitted = pipeline.submit(records(3)).then((result) => {
      resolved = true;
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    expect(store.events).toHaveLength(0);
    commit.open();
    const result = await submitted;
    expect(result).toEqual({ stored: 3, failed: 0, errors: [] });
    expect(store.events).toHaveLength(3);
  });

  it('rejects with OverloadedError when the in-flight byte budget is full, and recovers', async () => {
    const { store, pipeline, metrics } = setup({ batchMaxWaitMs: 0, maxInFlightBytes: 200, retryAfterSeconds: 7 });
    const commit = gate();
    store.writeGate = commit.promise;
    const first = pipeline.submit(records(2)); // ~130 bytes of text
    expect(pipeline.inFlightBytes).toBeGreaterThan(100);
    const second = pipeline.submit(records(2));
    await expect(second).rejects.toBeInstanceOf(OverloadedError);
    await second.catch((error: OverloadedError) => expect(error.retryAfterSeconds).toBe(7));
    expect(metrics.get('vigil_pipeline_rejected_total', { reason: 'overloaded' })).toBe(1);
    commit.open();
    await first;
    expect(pipeline.inFlightBytes).toBe(0);
    store.writeGate = undefined;
    await expect(pipeline.submit(records(2))).resolves.toMatchObject({ stored: 2 });
  });

  it('keeps unparseable records as truncated dead letters with the reason and counts them', async () => {
    const { store, pipeline, metrics } = setup({ batchMaxWaitMs: 0, deadLetterMaxBytes: 1024 });
    const huge = `{"broken": ${'x'.repeat(5000)}`;
    const batch: RawRecord[] = [
      ...records(1),
      { text: huge, source, unit: 'finance', receivedAt: 1 },
      { text: '{"explode": true}', source, unit: 'finance', receivedAt: 2 },
    ];
    const result = await pipeline.submit(batch);
    expect(result.stored).toBe(1);
    expect(result.failed).toBe(2);
    expect(result.errors.map((error) => error.index)).toEqual([1, 2]);
    expect(result.errors[1]!.reason).toContain('boom');
    expect(store.deadLetters).toHaveLength(2);
    const letter = store.deadLetters[0]!;
    expect(letter.original).toHaveLength(1024);
    expect(letter.original.startsWith('{"broken"')).toBe(true);
    expect(letter).toMatchObject({ unit: 'finance', sourceKind: 'http', sourceName: 'test-key', format: 'auto' });
    expect(metrics.get('vigil_events_failed_total', { source: 'http', format: 'test-json' })).toBe(1);
    expect(metrics.get('vigil_events_failed_total', { source: 'http', format: 'auto' })).toBe(1);
    expect(metrics.get('vigil_events_in_total', { source: 'http', unit: 'finance' })).toBe(3);
    expect(metrics.get('vigil_events_out_total')).toBe(1);
  });

  it('honours the format option and the record format hint', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 0 });
    const plain: RawRecord = { text: 'not json at all', source, unit: 'finance', receivedAt: 0 };
    await pipeline.submit([plain], { format: 'test-text' });
    await pipeline.submit([{ ...plain, formatHint: 'syslog' }]);
    expect(store.events.map((stored) => stored.event.message)).toEqual(['not json at all', 'not json at all']);
    const unknown = await pipeline.submit([plain], { format: 'nope' });
    expect(unknown.errors[0]!.reason).toContain("unknown format 'nope'");
  });

  it('flushes everything pending on close() and refuses new records afterwards', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 60_000 });
    const submitted = pipeline.submit(records(4));
    await pipeline.close();
    await expect(submitted).resolves.toMatchObject({ stored: 4 });
    expect(store.events).toHaveLength(4);
    await expect(pipeline.submit(records(1))).rejects.toBeInstanceOf(OverloadedError);
  });

  it('yields to the event loop while parsing a big batch, and close() waits for it', async () => {
    let parsed = 0;
    const counting = new ParserRegistry([
      {
        format: 'counting',
        description: 'counts',
        sniff: () => true,
        parse: (record) => {
          parsed++;
          return { '@timestamp': '2026-11-22T07:00:00.000Z', unit: record.unit };
        },
      },
    ]);
    const { store, pipeline } = setup({ batchMaxWaitMs: 60_000, registry: counting });
    const submitted = pipeline.submit(records(5000));
    let parsedAtFirstTick = -1;
    setImmediate(() => {
      parsedAtFirstTick = parsed;
    });
    await pipeline.close();
    await expect(submitted).resolves.toMatchObject({ stored: 5000 });
    expect(store.events).toHaveLength(5000);
    // Other work ran after the first slice, long before the whole batch was parsed.
    expect(parsedAtFirstTick).toBeGreaterThan(0);
    expect(parsedAtFirstTick).toBeLessThan(5000);
  });

  it('rejects the submits of a failed write and releases their budget', async () => {
    const { store, pipeline, metrics } = setup({ batchMaxWaitMs: 0 });
    store.failWrites = new Error('disk full');
    await expect(pipeline.submit(records(2))).rejects.toThrow(new StoreWriteError(new Error('disk full')));
    expect(pipeline.inFlightBytes).toBe(0);
    expect(metrics.get('vigil_stage_errors_total', { stage: 'store' })).toBe(1);
    store.failWrites = undefined;
    await expect(pipeline.submit(records(2))).resolves.toMatchObject({ stored: 2 });
  });

  it('runs enrichers and hooks; their errors are counted, never fatal', async () => {
    const seen: EventToStore[] = [];
    const { store, pipeline, metrics } = setup({
      batchMaxWaitMs: 0,
      enrichers: [
        {
          name: 'tagger',
          enrich: (event) => {
            event.tags = ['enriched'];
          },
        },
        {
          name: 'broken',
          enrich: () => {
            throw new Error('bad enricher');
          },
        },
      ],
      hooks: [
        { name: 'collector', onEvents: (events) => void seen.push(...events) },
        { name: 'failing', onEvents: async () => Promise.reject(new Error('bad hook')) },
      ],
    });
    await pipeline.submit(records(2));
    expect(store.events.map((stored) => stored.event.tags)).toEqual([['enriched'], ['enriched']]);
    expect(seen.map((stored) => stored.id)).toEqual(store.events.map((stored) => stored.id));
    expect(metrics.get('vigil_stage_errors_total', { stage: 'enrich', name: 'broken' })).toBe(2);
    expect(metrics.get('vigil_stage_errors_total', { stage: 'hook', name: 'failing' })).toBe(1);
  });

  it('fills time, host and labels from the transport only where the parser left them empty', async () => {
    const { store, pipeline } = setup({ batchMaxWaitMs: 0 });
    const receivedAt = Date.parse('2026-11-22T08:00:00.000Z');
    await pipeline.submit([
      {
        text: '{"message":"a"}',
        source,
        unit: 'u',
        receivedAt,
        time: 1_700_000_000_500,
        host: 'web-1',
        labels: { env: 'prod' },
      },
      {
        text: '{"message":"b","timestamp":"2026-01-01T00:00:00.000Z","host":{"name":"db-1"}}',
        source,
        unit: 'u',
        receivedAt,
        time: 1_700_000_000_500,
        host: 'web-1',
      },
    ]);
    const [first, second] = store.events.map((stored) => stored.event);
    expect(first).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.500Z',
      host: { name: 'web-1' },
      labels: { env: 'prod' },
    });
    expect(second).toMatchObject({ '@timestamp': '2026-01-01T00:00:00.000Z', host: { name: 'db-1' } });
  });
});
