// Retro-hunt jobs over stored events: paging with progress, the alert cap, who may see a job,
// cancelling, and the job list surviving a restart (unfinished jobs marked as interrupted).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HuntJobs, type HuntSpec, sigmaHuntEvaluator } from '../../src/detect/hunt-jobs.ts';
import { correlationRulesOf } from '../../src/detect/rule-set.ts';
import { parseSigmaText } from '../../src/detect/sigma/load-sigma-rules.ts';
import { SigmaEngine } from '../../src/detect/sigma/sigma-engine.ts';
import type { EcsEvent } from '../../src/model/event.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { DuckDbSocStore } from '../../src/store/soc/duckdb-soc-store.ts';
import { MemoryStore } from '../server/memory-store.ts';

const rule = `title: Whoami Runs
id: 9a1b2c3d-0000-4000-8000-00000000a001
author: Test
level: low
logsource: {product: linux}
detection:
  selection:
    process.name: whoami
  condition: selection
`;

let store: MemoryStore;
let soc: DuckDbSocStore;

function event(unit: string, minute: number, name: string): EcsEvent {
  return {
    '@timestamp': new Date(Date.UTC(2026, 10, 20, 10, minute)).toISOString(),
    unit,
    host: { name: `${unit}-host`, os: { type: 'linux' } },
    process: { name },
    event: { category: ['process'], type: ['start'] },
  } as unknown as EcsEvent;
}

function spec(units: string[] | 'all', overrides: Partial<HuntSpec> = {}): HuntSpec {
  const engine = SigmaEngine.build(parseSigmaText(rule, 'whoami.yml').rules);
  return {
    kind: 'sigma',
    scope: units === 'all' ? { kind: 'all' } : { kind: 'units', units },
    from: Date.UTC(2026, 10, 1),
    to: Date.UTC(2026, 11, 1),
    rules: 1,
    createdBy: 'test',
    ...sigmaHuntEvaluator(engine, undefined),
    ...overrides,
  };
}

beforeEach(async () => {
  store = new MemoryStore();
  soc = await DuckDbSocStore.open(':memory:');
  const events = [];
  for (let minute = 0; minute < 5; minute++) events.push(event('finance', minute, 'whoami'));
  events.push(event('finance', 6, 'bash'));
  for (let minute = 0; minute < 3; minute++) events.push(event('hr', minute, 'whoami'));
  await store.appendEvents(events.map((stored, index) => ({ id: `e${index}`, event: stored })));
});
afterEach(async () => {
  await soc.close();
});

describe('HuntJobs', () => {
  it('pages through the unit’s events with progress and stores alerts tagged with the job', async () => {
    const hunts = new HuntJobs({ store, soc, log: silentLogger, pageSize: 2 });
    const started = hunts.start(spec(['finance']));
    expect(started).toMatchObject({ status: 'queued', units: ['finance'], progress: 0 });
    await hunts.idle();
    const job = hunts.get({ kind: 'units', units: ['finance'] }, started.id)!;
    expect(job).toMatchObject({ status: 'done', scanned: 6, total: 6, alerts: 5, progress: 1 });
    const alerts = await soc.listAlerts({ kind: 'all' }, { hunt: job.id });
    expect(alerts.total).toBe(5);
    expect(alerts.alerts.every((alert) => alert.unit === 'finance' && alert.hunt === job.id)).toBe(true);
    expect((await soc.listAlerts({ kind: 'all' }, { origin: 'live' })).total).toBe(0);
  });

  it('stops a job at the alert cap and says so', async () => {
    const hunts = new HuntJobs({ store, soc, log: silentLogger, pageSize: 2, maxAlerts: 3 });
    const started = hunts.start(spec('all'));
    await hunts.idle();
    expect(hunts.get({ kind: 'all' }, started.id)).toMatchObject({
      status: 'done',
      alerts: 3,
      error: 'stopped after 3 alerts',
    });
    expect((await soc.listAlerts({ kind: 'all' }, { hunt: started.id })).total).toBe(3);
  });

  it('shows a job only to callers whose units cover it', async () => {
    const hunts = new HuntJobs({ store, soc, log: silentLogger });
    const finance = hunts.start(spec(['finance']));
    const everything = hunts.start(spec('all'));
    await hunts.idle();
    const hr = { kind: 'units', units: ['hr'] } as const;
    expect(hunts.get(hr, finance.id)).toBeUndefined();
    expect(hunts.get(hr, everything.id)).toBeUndefined();
    expect(hunts.list(hr)).toEqual([]);
    expect(hunts.list({ kind: 'units', units: ['finance'] }).map((job) => job.id)).toEqual([finance.id]);
    expect(hunts.list({ kind: 'all' }).map((job) => job.id)).toEqual([everything.id, finance.id]);
    expect(hunts.cancel(hr, finance.id)).toBeUndefined();
  });

  it('cancels a queued job before it runs', async () => {
    const hunts = new HuntJobs({ store, soc, log: silentLogger });
    const first = hunts.start(spec(['finance']));
    const second = hunts.start(spec(['finance']));
    expect(hunts.cancel({ kind: 'all' }, second.id)).toMatchObject({ status: 'cancelled' });
    await hunts.idle();
    expect(hunts.get({ kind: 'all' }, first.id)?.status).toBe('done');
    expect(hunts.get({ kind: 'all' }, second.id)).toMatchObject({ status: 'cancelled', alerts: 0 });
  });

  it('keeps finished jobs across a restart and marks unfinished ones as interrupted', async () => {
    const hunts = new HuntJobs({ store, soc, log: silentLogger });
    const done = hunts.start(spec(['finance']));
    await hunts.idle();
    // A job that was running when the process stopped.
    const saved = await soc.getState<object[]>('hunt-jobs');
    await soc.putState('hunt-jobs', [...(saved ?? []), { ...done, id: 'hunt-running', status: 'running' }]);
    const again = new HuntJobs({ store, soc, log: silentLogger });
    await again.restore();
    expect(again.get({ kind: 'units', units: ['finance'] }, done.id)).toMatchObject({ status: 'done', alerts: 5 });
    expect(again.get({ kind: 'all' }, 'hunt-running')).toMatchObject({
      status: 'failed',
      error: 'interrupted by a restart',
    });
  });

  it('runs correlation rules over the hunt’s matches, in event order across pages, with windows decided at the end', async () => {
    const correlated = `${rule}---
title: Whoami three times on one host
id: 9a1b2c3d-0000-4000-8000-00000000c001
level: high
correlation:
  type: event_count
  rules:
    - 9a1b2c3d-0000-4000-8000-00000000a001
  group-by:
    - host.name
  timespan: 10m
  condition:
    gte: 3
---
title: Whoami rarely on one host
id: 9a1b2c3d-0000-4000-8000-00000000c002
level: low
correlation:
  type: event_count
  rules:
    - 9a1b2c3d-0000-4000-8000-00000000a001
  group-by:
    - host.name
  timespan: 10m
  condition:
    lt: 4
`;
    const parsed = parseSigmaText(correlated, 'hunt.yml');
    const rejections = [...parsed.rejections];
    const correlations = correlationRulesOf(parsed.rules, rejections);
    expect(rejections).toEqual([]);
    expect(correlations).toHaveLength(2);
    const engine = SigmaEngine.build(parsed.rules);
    const hunts = new HuntJobs({ store, soc, log: silentLogger, pageSize: 2 });
    const started = hunts.start(spec('all', { rules: 3, ...sigmaHuntEvaluator(engine, undefined, { correlations }) }));
    await hunts.idle();
    const job = hunts.get({ kind: 'all' }, started.id)!;
    const alerts = (await soc.listAlerts({ kind: 'all' }, { hunt: job.id })).alerts;
    // Whoami is referenced only by correlations that do not generate its alerts (the Sigma
    // default): no alert of its own. finance ran it 5 times within 5 minutes and hr 3 times (both
    // ≥ 3, counted across pages of 2); only hr stays under 4, which is known once its window ends.
    const summary = alerts.map((alert) => `${alert.kind} ${alert.rule.id} ${alert.unit}`).sort();
    expect(summary).toEqual([
      'sigma-correlation 9a1b2c3d-0000-4000-8000-00000000c001 finance',
      'sigma-correlation 9a1b2c3d-0000-4000-8000-00000000c001 hr',
      'sigma-correlation 9a1b2c3d-0000-4000-8000-00000000c002 hr',
    ]);
    expect(job).toMatchObject({ status: 'done', alerts: 3 });
  });
});
