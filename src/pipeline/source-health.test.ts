import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../test/server/memory-store.ts';
import { createTestRegistry } from '../../test/server/test-parsers.ts';
import type { RawRecord } from '../model/event.ts';
import { silentLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { Pipeline } from './pipeline.ts';
import { SourceHealth, sourceHealthDefaults } from './source-health.ts';
import { StoreWriteError } from './store-write-error.ts';

const start = Date.UTC(2026, 10, 22, 7, 0, 0);
const all = { kind: 'all' } as const;

function rowOf(health: SourceHealth, now: number, name = 'fw') {
  const row = health.list(all, now).sources.find((source) => source.name === name);
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('SourceHealth', () => {
  it('measures the rate over the last minute only', () => {
    const health = new SourceHealth({ since: start });
    const counter = health.counter('http', 'fw', 'finance');
    counter.received(600, start);
    counter.received(60, start + 30_000);
    // Both batches are inside the minute: 660 records / 60 s.
    expect(rowOf(health, start + 59_000).rate).toBe(11);
    expect(rowOf(health, start + 59_000).window).toEqual({ eventsIn: 660, failures: 0 });
    // A minute after the first batch, only the second is in the window.
    expect(rowOf(health, start + 60_000).rate).toBe(1);
    expect(rowOf(health, start + 91_000).rate).toBe(0);
    // Totals are kept since the start, whatever the window.
    expect(rowOf(health, start + 91_000).eventsIn).toBe(660);
  });

  it('does not count a slot left over from an earlier minute', () => {
    const health = new SourceHealth({ since: start });
    const counter = health.counter('http', 'fw', 'finance');
    counter.received(100, start);
    // Exactly one ring turn later the same slot is reused: it starts from zero.
    counter.received(5, start + 60_000);
    expect(rowOf(health, start + 60_500).window.eventsIn).toBe(5);
  });

  it('is ok while records arrive, idle after the idle threshold, failing over the failure share', () => {
    const health = new SourceHealth({ since: start, idleAfterMs: 5 * 60_000, failingShare: 0.2 });
    const counter = health.counter('syslog-udp', 'fw', 'finance');
    counter.received(10, start);
    counter.parseFailed('no parser recognised this record', start);
    // 1 failure in 10 records is under 20 %.
    expect(rowOf(health, start + 1000).status).toBe('ok');
    counter.received(5, start + 2000);
    counter.parseFailed('no parser recognised this record', start + 2000);
    counter.parseFailed('unexpected token', start + 2000);
    // 3 failures in 15 records is exactly 20 %: failing, with the latest reason.
    const failing = rowOf(health, start + 3000);
    expect(failing).toMatchObject({
      status: 'failing',
      failures: 3,
      deadLetters: 3,
      lastFailureAt: start + 2000,
      lastFailureReason: 'unexpected token',
    });
    // Once the failures leave the minute the source is ok again, then idle after five quiet minutes.
    expect(rowOf(health, start + 62_000).status).toBe('ok');
    expect(rowOf(health, start + 2000 + 5 * 60_000 - 1).status).toBe('ok');
    expect(rowOf(health, start + 2000 + 5 * 60_000).status).toBe('idle');
    expect(rowOf(health, start + 2000 + 5 * 60_000).lastEventAt).toBe(start + 2000);
  });

  it('uses documented defaults and answers them with the list', () => {
    const health = new SourceHealth({ since: start });
    expect(health.list(all, start).thresholds).toEqual({
      windowMs: 60_000,
      idleAfterMs: sourceHealthDefaults.idleAfterMs,
      failingShare: sourceHealthDefaults.failingShare,
    });
    expect(sourceHealthDefaults).toEqual({ idleAfterMs: 300_000, failingShare: 0.2, maxSources: 1000 });
  });

  it('counts write failures against the records they lost', () => {
    const health = new SourceHealth({ since: start });
    const counter = health.counter('hec', 'collector', 'hr');
    counter.received(4, start);
    counter.writeFailed(4, 'store write failed', start + 1500);
    expect(rowOf(health, start + 2000, 'collector')).toMatchObject({
      status: 'failing',
      failures: 4,
      deadLetters: 0,
      eventsStored: 0,
      lastFailureReason: 'store write failed',
    });
  });

  it('keeps at most maxSources pairs, forgetting the least recently used', () => {
    const health = new SourceHealth({ since: start, maxSources: 3 });
    for (const name of ['a', 'b', 'c']) health.counter('file', name, 'default').received(1, start);
    health.counter('file', 'a', 'default').received(1, start + 1000);
    health.counter('file', 'd', 'default').received(1, start + 2000);
    expect(health.size).toBe(3);
    // 'b' was used least recently; 'a' was touched again and stays.
    expect(
      health
        .list(all, start + 3000)
        .sources.map((row) => row.name)
        .sort(),
    ).toEqual(['a', 'c', 'd']);
    for (let index = 0; index < 10_000; index++) health.counter('file', `f${index}`, 'default');
    expect(health.size).toBe(3);
  });

  it('lists only the units in scope, and keeps long reasons short', () => {
    const health = new SourceHealth({ since: start });
    health.counter('http', 'fw', 'finance').received(1, start);
    health.counter('http', 'fw', 'hr').parseFailed('x'.repeat(10_000), start);
    expect(health.list({ kind: 'units', units: ['finance'] }, start).sources.map((row) => row.unit)).toEqual([
      'finance',
    ]);
    expect(health.list(all, start).sources).toHaveLength(2);
    const reason = health.list({ kind: 'units', units: ['hr'] }, start).sources[0]!.lastFailureReason!;
    expect(reason.length).toBeLessThan(400);
  });
});

describe('Pipeline → SourceHealth', () => {
  const record = (text: string, name: string, unit = 'finance'): RawRecord => ({
    text,
    source: { kind: 'http', name },
    unit,
    receivedAt: Date.now(),
  });

  it('counts received, stored and dead-lettered records per source and unit', async () => {
    const health = new SourceHealth();
    const store = new MemoryStore();
    const pipeline = new Pipeline({
      registry: createTestRegistry(),
      store,
      metrics: new Metrics(),
      log: silentLogger,
      sourceHealth: health,
    });
    expect(pipeline.sourceHealth).toBe(health);
    await pipeline.submit([
      record('{"message":"a"}', 'fw'),
      record('{"message":"b"}', 'fw'),
      record('{"message": broken', 'fw'),
      record('{"message":"c"}', 'proxy'),
      record('{"message":"d"}', 'fw', 'hr'),
    ]);
    const rows = health.list(all).sources;
    const find = (name: string, unit: string) => rows.find((row) => row.name === name && row.unit === unit);
    expect(find('fw', 'finance')).toMatchObject({
      kind: 'http',
      eventsIn: 3,
      eventsStored: 2,
      failures: 1,
      deadLetters: 1,
      lastFailureReason: 'no parser recognised this record',
      status: 'failing',
    });
    expect(find('proxy', 'finance')).toMatchObject({ eventsIn: 1, eventsStored: 1, failures: 0, status: 'ok' });
    expect(find('fw', 'hr')).toMatchObject({ eventsIn: 1, eventsStored: 1, failures: 0, status: 'ok' });
    expect(rows).toHaveLength(3);
  });

  it('counts a failed store write as failures of the sources in it', async () => {
    const health = new SourceHealth();
    const store = new MemoryStore();
    store.appendEvents = async () => {
      throw new Error('disk full');
    };
    const pipeline = new Pipeline({
      registry: createTestRegistry(),
      store,
      metrics: new Metrics(),
      log: silentLogger,
      sourceHealth: health,
    });
    await expect(pipeline.submit([record('{"message":"a"}', 'fw'), record('{"message":"b"}', 'fw')])).rejects.toThrow(
      StoreWriteError,
    );
    expect(health.list(all).sources[0]).toMatchObject({
      eventsIn: 2,
      eventsStored: 0,
      failures: 2,
      deadLetters: 0,
      lastFailureReason: 'store write failed',
      status: 'failing',
    });
  });
});
