import { describe, expect, it } from 'vitest';
import { FakeSink, testContext, waitFor } from '../../test/ingest/fake-sink.ts';
import type { RawRecord } from '../model/event.ts';
import type { RecordSink } from '../pipeline/record-sink.ts';
import { RecordBatcher } from './record-batcher.ts';

function record(text: string): RawRecord {
  return { text, source: { kind: 'test', name: 'batcher' }, unit: 'default', receivedAt: 0 };
}

describe('RecordBatcher', () => {
  it('submits by count and by age, with the configured format', async () => {
    const sink = new FakeSink();
    const batcher = new RecordBatcher({
      name: 't',
      sink,
      context: testContext(),
      maxRecords: 3,
      maxWaitMs: 20,
      format: 'syslog',
    });
    for (const text of ['a', 'b', 'c', 'd']) batcher.add(record(text));
    expect(sink.submits).toBe(1);
    await waitFor(() => sink.records.length === 4, 2000, 'the aged batch');
    expect(sink.submits).toBe(2);
    expect(sink.options[0]).toEqual({ format: 'syslog' });
    await batcher.close();
  });

  it('reports congestion at the byte budget and clears it at half the budget', async () => {
    const sink = new FakeSink();
    sink.hold();
    const changes: boolean[] = [];
    const batcher = new RecordBatcher({
      name: 't',
      sink,
      context: testContext(),
      maxRecords: 1,
      maxInFlightBytes: 100,
      onCongestion: (congested) => changes.push(congested),
    });
    for (let index = 0; index < 9; index++) batcher.add(record('x'.repeat(10)));
    expect(batcher.congested).toBe(false);
    batcher.add(record('x'.repeat(10)));
    expect(batcher.congested).toBe(true);
    sink.release();
    await batcher.flush();
    expect(batcher.congested).toBe(false);
    expect(batcher.inFlightBytes).toBe(0);
    expect(changes).toEqual([true, false]);
  });

  it('counts records it could not deliver instead of losing them silently', async () => {
    const failing: RecordSink = { submit: () => Promise.reject(new Error('disk full')) };
    const context = testContext();
    const batcher = new RecordBatcher({ name: 'syslog', sink: failing, context, maxRecords: 2 });
    batcher.add(record('a'));
    batcher.add(record('b'));
    await batcher.flush();
    expect(context.metrics.get('vigil_ingest_dropped_total', { source: 'syslog', reason: 'sink_error' })).toBe(2);
  });

  it('gives up on a permanently overloaded sink only when closing, after a few tries', async () => {
    const sink = new FakeSink();
    sink.overloadNext = 1000;
    const context = testContext();
    const batcher = new RecordBatcher({ name: 'syslog', sink, context, maxRetryDelayMs: 10 });
    batcher.add(record('a'));
    await batcher.close();
    expect(sink.submits).toBeGreaterThanOrEqual(5);
    expect(context.metrics.get('vigil_ingest_dropped_total', { source: 'syslog', reason: 'overloaded' })).toBe(1);
  });
});
