// The automatic pass over a real SOC store: an incident is investigated once, and again
// ('auto-update', with the reason) only when it has grown materially since its last report —
// priority, a new ATT&CK tactic, or its alerts doubled — within the hourly limit, also after a
// restart (the report records what it was made from).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttackRef } from '../model/alert.ts';
import type { Incident } from '../model/incident.ts';
import type { UnitScope } from '../model/unit.ts';
import { silentLogger } from '../pipeline/logger.ts';
import { DuckDbSocStore } from '../store/soc/duckdb-soc-store.ts';
import { type Analyst, AnalystError } from './analyst.ts';
import {
  type InvestigationJob,
  InvestigationJobs,
  type InvestigationJobsOptions,
  materialGrowth,
  reportBasis,
} from './investigation-jobs.ts';
import type { InvestigationReport } from './investigation-report.ts';

const all: UnitScope = { kind: 'all' };
const t0 = Date.UTC(2026, 10, 23, 10, 0, 0);
const execution: AttackRef = { id: 'TA0002', name: 'Execution' };
const credentialAccess: AttackRef = { id: 'TA0006', name: 'Credential Access' };
const lateralMovement: AttackRef = { id: 'TA0008', name: 'Lateral Movement' };

let soc: DuckDbSocStore;
let jobs: InvestigationJobs;
let clock: number;
let failNext: boolean;
const investigated: string[] = [];

function incident(change: Partial<Incident> = {}): Incident {
  return {
    id: 'inc-1',
    unit: 'finance',
    title: 'Office spawns a script host on fin-ws007',
    status: 'new',
    priority: 72,
    needsAttention: true,
    groupIds: ['grp-1'],
    entities: [{ kind: 'host', value: 'fin-ws007' }],
    tactics: [execution],
    techniques: [{ id: 'T1059' }],
    alertCount: 4,
    firstSeen: t0,
    lastSeen: t0,
    createdAt: t0,
    updatedAt: t0,
    ...change,
  };
}

/** The incident grows (as the incident engine would write it), an hour's fraction later. */
async function grow(change: Partial<Incident>): Promise<void> {
  clock += 60_000;
  const current = (await soc.getIncident(all, 'inc-1'))!;
  await soc.putIncidents([{ ...current, ...change, lastSeen: clock, updatedAt: clock }]);
}

const analyst: Analyst = {
  kind: 'deterministic',
  async investigate(_scope, incidentId) {
    investigated.push(incidentId);
    if (failNext) {
      failNext = false;
      throw new AnalystError('VIGIL_ERR_LLM_UNAVAILABLE', 'the model is down');
    }
    return {
      incidentId,
      unit: 'finance',
      verdict: 'malicious',
      confidence: 0.9,
      summary: 'Office started PowerShell.',
      storyline: [],
      affectedEntities: [],
      attack: { tactics: [], techniques: [] },
      recommendations: [],
      openQuestions: [],
      evidence: [],
      citations: { total: 0, valid: 0, invalidIds: [] },
      generator: { kind: 'deterministic', promptVersion: 'test', steps: 1, millis: 1, repaired: false },
      toolTrace: [],
      createdAt: clock,
    };
  },
  chat: () => Promise.reject(new Error('not used')),
  ask: () => Promise.reject(new Error('not used')),
};

function start(options: Partial<InvestigationJobsOptions> = {}): InvestigationJobs {
  jobs = new InvestigationJobs({
    analyst,
    soc,
    log: silentLogger,
    autoPriority: 70,
    maxAutoPerHour: 20,
    now: () => clock,
    ...options,
  });
  return jobs;
}

/** Scan, wait for the jobs it queued, and return them (newest first). */
async function scan(): Promise<InvestigationJob[]> {
  const before = new Set(jobs.forIncident(all, 'inc-1').map((job) => job.id));
  const queued = await jobs.scan();
  const started = jobs.forIncident(all, 'inc-1').filter((job) => !before.has(job.id));
  expect(started).toHaveLength(queued);
  for (const job of started) await jobs.wait(job.id);
  clock += 1000;
  return started;
}

beforeEach(async () => {
  clock = t0 + 1000;
  failNext = false;
  investigated.length = 0;
  soc = await DuckDbSocStore.open(':memory:');
  await soc.putIncidents([incident()]);
});

afterEach(async () => {
  await jobs?.close();
  await soc?.close();
});

describe('automatic re-investigation of grown incidents', () => {
  it('investigates once, records what the report was made from, and leaves an unchanged incident alone', async () => {
    start();
    const [first, ...more] = await scan();
    expect(more).toEqual([]);
    expect(first).toMatchObject({ trigger: 'auto', status: 'succeeded' });
    expect(first!.reason).toBeUndefined();
    const report = await soc.latestInvestigation(all, 'inc-1');
    expect(report?.basis).toEqual({ priority: 72, alertCount: 4, tacticIds: ['TA0002'], incidentUpdatedAt: t0 });
    expect(await scan()).toEqual([]);
    // A change below every threshold is not growth: +9 points, 4 → 8 alerts (doubled, but only 4 more).
    await grow({ priority: 81, alertCount: 8 });
    expect(await scan()).toEqual([]);
    // After a restart the stored basis decides: still nothing to do.
    await jobs.close();
    start();
    expect(await scan()).toEqual([]);
    expect(investigated).toEqual(['inc-1']);
  });

  it.each([
    {
      ground: 'the priority rose by 10',
      change: { priority: 82 },
      reason: { summary: 'priority 72 → 82', priority: { from: 72, to: 82 } },
    },
    {
      ground: 'a new tactic appeared',
      change: { tactics: [execution, lateralMovement] },
      reason: { summary: 'new tactic TA0008 Lateral Movement', newTactics: ['TA0008'] },
    },
    {
      ground: 'the alerts doubled, by at least 5',
      change: { alertCount: 9 },
      reason: { summary: 'alerts 4 → 9', alerts: { from: 4, to: 9 } },
    },
  ])('investigates again, once, when $ground — and says why', async ({ change, reason }) => {
    start();
    await scan();
    await grow(change);
    const [update, ...more] = await scan();
    expect(more).toEqual([]);
    expect(update).toMatchObject({ trigger: 'auto-update', status: 'succeeded', reason });
    // GET /api/v1/investigations answers with forIncident: the reason is on the job there.
    expect(JSON.parse(JSON.stringify(jobs.forIncident(all, 'inc-1')))[0]).toMatchObject({
      trigger: 'auto-update',
      reason,
    });
    const audit = await soc.listAudit(all, 10);
    expect(audit.filter((entry) => entry.action === 'investigation-completed').map((entry) => entry.details)).toEqual([
      expect.objectContaining({ trigger: 'auto-update', reason: reason.summary }),
      expect.objectContaining({ trigger: 'auto' }),
    ]);
    // The new report is the new basis: no further job until the incident grows again.
    expect((await soc.latestInvestigation(all, 'inc-1'))?.basis).toEqual(
      reportBasis((await soc.getIncident(all, 'inc-1'))!),
    );
    expect(await scan()).toEqual([]);
    await jobs.close();
    start();
    expect(await scan()).toEqual([]);
    expect(investigated).toEqual(['inc-1', 'inc-1']);
  });

  it('names every ground that was met', async () => {
    start();
    await scan();
    await grow({ priority: 90, tactics: [execution, credentialAccess, lateralMovement], alertCount: 40 });
    const [update] = await scan();
    expect(update?.reason).toEqual({
      summary: 'priority 72 → 90; new tactics TA0006 Credential Access, TA0008 Lateral Movement; alerts 4 → 40',
      priority: { from: 72, to: 90 },
      newTactics: ['TA0006', 'TA0008'],
      alerts: { from: 4, to: 40 },
    });
  });

  it('keeps to the hourly limit, shared with first investigations', async () => {
    start({ maxAutoPerHour: 2 });
    expect(await scan()).toHaveLength(1);
    await grow({ priority: 82 });
    expect(await scan()).toHaveLength(1);
    await grow({ priority: 95 });
    expect(await scan()).toEqual([]); // 2 started within the hour
    expect(jobs.stats()).toMatchObject({ autoStartedLastHour: 2 });
    clock += 3_600_000;
    const [update] = await scan();
    expect(update).toMatchObject({ trigger: 'auto-update', reason: { priority: { from: 82, to: 95 } } });
    expect(investigated).toHaveLength(3);
  });

  it('queues no more re-investigations in one pass than the hourly limit has left', async () => {
    await soc.putIncidents([incident({ id: 'inc-2', priority: 71 })]);
    start({ maxAutoPerHour: 3 });
    expect(await jobs.scan()).toBe(2);
    await Promise.all(['inc-1', 'inc-2'].flatMap((id) => jobs.forIncident(all, id).map((job) => jobs.wait(job.id))));
    clock += 1000;
    await soc.putIncidents([
      incident({ priority: 90, updatedAt: clock }),
      incident({ id: 'inc-2', priority: 90, updatedAt: clock }),
    ]);
    expect(await jobs.scan()).toBe(1);
    expect(await jobs.scan()).toBe(0);
    const triggers = ['inc-1', 'inc-2'].flatMap((id) => jobs.forIncident(all, id).map((job) => job.trigger));
    expect(triggers.sort()).toEqual(['auto', 'auto', 'auto-update']);
  });

  it('puts incidents never investigated before fresher reports when the hourly limit is short', async () => {
    start({ maxAutoPerHour: 2 });
    await scan();
    await grow({ priority: 99 });
    await soc.putIncidents([incident({ id: 'inc-2', priority: 71 })]);
    expect(await jobs.scan()).toBe(1);
    expect(jobs.forIncident(all, 'inc-2').map((job) => job.trigger)).toEqual(['auto']);
    expect(jobs.forIncident(all, 'inc-1').map((job) => job.trigger)).toEqual(['auto']);
  });

  it('counts from a manual report too', async () => {
    start();
    const manual = jobs.submit({ incidentId: 'inc-1', unit: 'finance', trigger: 'manual', requestedBy: 'ana' });
    await jobs.wait(manual.id);
    clock += 1000;
    expect(await scan()).toEqual([]);
    await grow({ alertCount: 12 });
    expect((await scan()).map((job) => job.trigger)).toEqual(['auto-update']);
  });

  it('takes a report stored without a basis as made from the incident as first seen, and measures growth from there', async () => {
    await grow({ priority: 80, alertCount: 6 });
    const { basis: _, ...old } = (await analyst.investigate(all, 'inc-1')) as InvestigationReport;
    await soc.putInvestigation(old);
    start();
    expect(await scan()).toEqual([]);
    await grow({ priority: 89 });
    expect(await scan()).toEqual([]);
    await grow({ priority: 90 });
    const [update] = await scan();
    expect(update?.reason?.priority).toEqual({ from: 80, to: 90 });
  });

  it('does not retry a failed automatic investigation until the incident grows again', async () => {
    start();
    failNext = true;
    const [failed] = await scan();
    expect(failed).toMatchObject({ trigger: 'auto', status: 'failed' });
    expect(await scan()).toEqual([]);
    await grow({ priority: 85 });
    const [update] = await scan();
    expect(update).toMatchObject({ trigger: 'auto-update', status: 'succeeded' });
  });

  it('honours grounds that are switched off', async () => {
    start({ reinvestigatePriorityRise: 0, reinvestigateOnNewTactic: false, reinvestigateAlertFactor: 0 });
    await scan();
    await grow({ priority: 100, tactics: [execution, lateralMovement], alertCount: 400 });
    expect(await scan()).toEqual([]);
    expect(jobs.settings.reinvestigate).toEqual({
      priorityRise: 0,
      onNewTactic: false,
      alertFactor: 0,
      minNewAlerts: 5,
    });
  });
});

describe('the job list across a restart', () => {
  it('is kept in the SOC store: finished jobs listed again, automatic ones counted against the hourly limit', async () => {
    start({ maxAutoPerHour: 1 });
    const [auto] = await scan();
    expect(auto).toMatchObject({ trigger: 'auto', status: 'succeeded' });
    const manual = jobs.submit({ incidentId: 'inc-2', unit: 'finance', trigger: 'manual', requestedBy: 'alice' });
    // Closing waits for the running job and saves the list.
    await jobs.close();
    const restarted = start({ maxAutoPerHour: 1 });
    expect(restarted.forIncident(all, 'inc-1')).toEqual([]);
    await restarted.restore();
    expect(restarted.forIncident(all, 'inc-1')).toEqual([
      expect.objectContaining({ id: auto!.id, status: 'succeeded' }),
    ]);
    expect(restarted.forIncident(all, 'inc-2')).toEqual([
      expect.objectContaining({ id: manual.id, trigger: 'manual', requestedBy: 'alice', status: 'succeeded' }),
    ]);
    expect(restarted.get({ kind: 'units', units: ['hr'] }, auto!.id)).toBeUndefined();
    // The automatic job of the last hour still counts: the grown incident waits for the next hour.
    expect(restarted.stats().autoStartedLastHour).toBe(1);
    await grow({ priority: 90 });
    expect(await scan()).toEqual([]);
    await restarted.close();
  });

  it('marks a job the previous run did not finish as interrupted', async () => {
    await soc.putState('investigation-jobs', [
      {
        id: 'inv_1',
        incidentId: 'inc-1',
        unit: 'finance',
        trigger: 'manual',
        requestedBy: 'alice',
        status: 'running',
        createdAt: clock - 1000,
        startedAt: clock - 900,
      },
    ]);
    start();
    await jobs.restore();
    expect(jobs.get(all, 'inv_1')).toMatchObject({
      status: 'failed',
      error: { code: 'VIGIL_ERR_INTERRUPTED', message: 'interrupted by a restart' },
    });
    // A new investigation of the incident is not blocked by it.
    const next = jobs.submit({ incidentId: 'inc-1', unit: 'finance', trigger: 'manual', requestedBy: 'alice' });
    expect(next.id).not.toBe('inv_1');
    await jobs.wait(next.id);
  });
});

describe('materialGrowth', () => {
  const rule = { priorityRise: 10, onNewTactic: true, alertFactor: 2, minNewAlerts: 5 };
  const basis = reportBasis(incident({ priority: 40, alertCount: 10 }));

  it('is undefined just below each threshold', () => {
    expect(materialGrowth(basis, incident({ priority: 49, alertCount: 19 }), rule)).toBeUndefined();
    // A lower priority, or a tactic that was there before, is no growth.
    expect(materialGrowth(basis, incident({ priority: 20, tactics: [execution] }), rule)).toBeUndefined();
  });

  it('needs both the factor and the minimum number of new alerts', () => {
    const small = reportBasis(incident({ alertCount: 1 }));
    expect(materialGrowth(small, incident({ alertCount: 5 }), rule)).toBeUndefined();
    expect(materialGrowth(small, incident({ alertCount: 6 }), rule)?.alerts).toEqual({ from: 1, to: 6 });
    expect(materialGrowth(basis, incident({ alertCount: 20 }), rule)?.alerts).toEqual({ from: 10, to: 20 });
  });
});
