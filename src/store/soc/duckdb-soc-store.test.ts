import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../model/alert.ts';
import type { Incident } from '../../model/incident.ts';
import { DuckDbSocStore } from './duckdb-soc-store.ts';

const t0 = Date.UTC(2026, 10, 23, 9);
const finance = { kind: 'units', units: ['finance'] } as const;
const all = { kind: 'all' } as const;
const stores: DuckDbSocStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function open(path = ':memory:') {
  const store = await DuckDbSocStore.open(path);
  stores.push(store);
  return store;
}

const alert = (id: string, unit: string, minutes: number, technique = 'T1059.001'): Alert => ({
  id,
  unit,
  kind: 'sigma',
  '@timestamp': new Date(t0 + minutes * 60_000).toISOString(),
  createdAt: t0 + minutes * 60_000 + 5000,
  rule: { id: 'r-ps', title: 'Encoded PowerShell', level: 'high', author: 'Someone' },
  attack: { tactics: [{ id: 'TA0002', name: 'Execution' }], techniques: [{ id: technique, name: 'PowerShell' }] },
  eventIds: [`E-${id}`],
});

const incident = (id: string, unit: string, priority: number, extra: Partial<Incident> = {}): Incident => ({
  id,
  unit,
  title: `Incident ${id}`,
  status: 'new',
  priority,
  needsAttention: priority >= 40,
  groupIds: [`G-${id}`],
  entities: [{ kind: 'host', value: 'ws1' }],
  tactics: [],
  techniques: [],
  alertCount: 3,
  firstSeen: t0,
  lastSeen: t0 + 600_000,
  createdAt: t0 + 120_000,
  updatedAt: t0 + 600_000,
  ...extra,
});

describe('DuckDbSocStore', () => {
  it('stores alerts and answers counts, buckets, ATT&CK cells and rule noise within the unit scope', async () => {
    const store = await open();
    await store.appendAlerts([
      alert('A1', 'finance', 0),
      alert('A2', 'finance', 30, 'T1003.001'),
      alert('A3', 'legal', 10),
    ]);
    await store.appendAlerts([alert('A1', 'finance', 0)]); // at-least-once delivery: a repeat is ignored
    expect(await store.countAlerts(finance, t0, t0 + 3_600_000)).toBe(2);
    expect(await store.countAlerts(all, t0, t0 + 3_600_000)).toBe(3);
    expect((await store.getAlerts(finance, ['A1', 'A3'])).map((found) => found.id)).toEqual(['A1']);
    expect(await store.alertsOverTime(finance, t0, t0 + 3_600_000, 1_800_000)).toEqual([
      { start: t0, count: 1 },
      { start: t0 + 1_800_000, count: 1 },
    ]);
    expect(
      (await store.attackCounts(finance, t0, t0 + 3_600_000))
        .map((cell) => [cell.tactic.id, cell.technique.id, cell.count])
        .sort(),
    ).toEqual([
      ['TA0002', 'T1003.001', 1],
      ['TA0002', 'T1059.001', 1],
    ]);
    expect(await store.ruleAlertCounts(all, t0, t0 + 3_600_000)).toEqual([
      { ruleId: 'r-ps', ruleTitle: 'Encoded PowerShell', count: 3 },
    ]);
  });

  it('keeps analysts changes when correlation updates an incident, and lists with filters and paging', async () => {
    const store = await open();
    await store.putIncidents([
      incident('I1', 'finance', 85),
      incident('I2', 'finance', 20),
      incident('I3', 'legal', 90),
    ]);
    await store.updateIncident(
      finance,
      'I1',
      { status: 'in_progress', assignee: 'ana', analystVerdict: 'malicious' },
      t0 + 900_000,
    );
    await store.putIncidents([incident('I1', 'finance', 92, { title: 'Incident I1 (grown)' })]);
    const found = await store.getIncident(finance, 'I1');
    expect(found).toMatchObject({
      priority: 92,
      title: 'Incident I1 (grown)',
      status: 'in_progress',
      assignee: 'ana',
      analystVerdict: 'malicious',
    });
    expect(await store.getIncident(finance, 'I3')).toBeUndefined();
    const attention = await store.listIncidents(finance, { needsAttention: true });
    expect(attention.incidents.map((item) => item.id)).toEqual(['I1']);
    const page = await store.listIncidents(all, { limit: 2 });
    expect(page.incidents.map((item) => item.id)).toEqual(['I1', 'I3']);
    expect(page.total).toBe(3);
    const next = await store.listIncidents(all, { limit: 2, cursor: page.nextCursor });
    expect(next.incidents.map((item) => item.id)).toEqual(['I2']);
    expect(next.nextCursor).toBeUndefined();
    expect((await store.listIncidents(all, { q: 'grown' })).total).toBe(1);
    expect((await store.listIncidents(all, { q: '%' })).total).toBe(0);
  });

  it('computes funnel stats, MTTD, MTTR and SLA breaches from stored facts', async () => {
    const store = await open();
    await store.putIncidents([incident('I1', 'finance', 85), incident('I2', 'finance', 20)]);
    let stats = await store.incidentStats(finance, t0, t0 + 86_400_000, t0 + 3 * 3_600_000);
    expect(stats).toMatchObject({
      incidents: 2,
      needingAttention: 1,
      escalated: 0,
      mttdMinutes: 2,
      mttrMinutes: null,
      slaBreaches: 1,
    });
    expect(stats.openByPriority).toEqual({ critical: 1, high: 0, medium: 0, low: 1 });
    await store.updateIncident(finance, 'I1', { status: 'escalated' }, t0 + 600_000);
    await store.updateIncident(finance, 'I1', { status: 'resolved' }, t0 + 120_000 + 30 * 60_000);
    stats = await store.incidentStats(finance, t0, t0 + 86_400_000, t0 + 3 * 3_600_000);
    expect(stats).toMatchObject({ escalated: 1, mttrMinutes: 30, slaBreaches: 0 });
  });

  it('keeps users, sessions, investigations, audit and state across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-soc-')), 'soc.duckdb');
    const first = await DuckDbSocStore.open(path);
    await first.putUser({ username: 'admin', passwordHash: 'h', role: 'admin', units: '*', createdAt: t0 });
    await first.putSession({ tokenHash: 'tok', username: 'admin', expiresAt: Date.now() + 60_000, createdAt: t0 });
    await first.appendAudit({
      at: t0,
      actor: 'admin',
      action: 'incident-updated',
      target: 'I1',
      unit: 'finance',
      details: { status: 'resolved' },
    });
    await first.putState('triage', { finance: { bias: -3 } });
    await first.close();
    const second = await open(path);
    expect(await second.getUser('admin')).toMatchObject({ role: 'admin', units: '*' });
    expect(await second.countUsers()).toBe(1);
    expect((await second.getSession('tok'))?.username).toBe('admin');
    await second.deleteSession('tok');
    expect(await second.getSession('tok')).toBeUndefined();
    expect(await second.listAudit(finance, 10)).toEqual([
      {
        at: t0,
        actor: 'admin',
        action: 'incident-updated',
        target: 'I1',
        unit: 'finance',
        details: { status: 'resolved' },
      },
    ]);
    expect(await second.listAudit({ kind: 'units', units: ['legal'] }, 10)).toEqual([]);
    expect(await second.getState('triage')).toEqual({ finance: { bias: -3 } });
  });

  it('keeps suppressions per unit: list (active or all), delete within scope, hits from marked alerts, across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-soc-sup-')), 'soc.duckdb');
    const first = await DuckDbSocStore.open(path);
    const base = { ruleId: 'r-ps', match: { 'host.name': 'fin-*' }, reason: 'noise', owner: 'anna', createdBy: 'anna' };
    await first.putSuppression({ ...base, id: 's-live', unit: 'finance', createdAt: t0, expiresAt: t0 + 3_600_000 });
    await first.putSuppression({ ...base, id: 's-old', unit: 'finance', createdAt: t0 - 10, expiresAt: t0 - 1 });
    await first.putSuppression({ ...base, id: 's-legal', unit: 'legal', createdAt: t0, expiresAt: t0 + 3_600_000 });
    await first.appendAlerts([
      { ...alert('a1', 'finance', 1), suppressed: 's-live' },
      { ...alert('a2', 'finance', 2), suppressed: 's-live' },
      alert('a3', 'finance', 3),
      { ...alert('a4', 'legal', 4), suppressed: 's-legal' },
    ]);
    await first.close();
    const store = await open(path);
    const ids = async (scope: typeof finance | typeof all, includeExpired = false) =>
      (await store.listSuppressions(scope, { now: t0, includeExpired })).map((suppression) => suppression.id).sort();
    expect(await ids(finance)).toEqual(['s-live']);
    expect(await ids(finance, true)).toEqual(['s-live', 's-old']);
    expect(await ids(all)).toEqual(['s-legal', 's-live']);
    expect((await store.listSuppressions(finance, { now: t0 }))[0]).toMatchObject({ match: { 'host.name': 'fin-*' } });
    expect(await store.suppressionHits(finance, ['s-live', 's-legal'])).toEqual(new Map([['s-live', 2]]));
    expect(await store.suppressionHits(all, ['s-live', 's-legal'])).toEqual(
      new Map([
        ['s-live', 2],
        ['s-legal', 1],
      ]),
    );
    expect((await store.getAlerts(finance, ['a1']))[0]?.suppressed).toBe('s-live');
    expect(await store.deleteSuppression(finance, 's-legal')).toBe(false);
    expect(await ids(all)).toEqual(['s-legal', 's-live']);
    expect(await store.deleteSuppression(finance, 's-live')).toBe(true);
    expect(await ids(finance, true)).toEqual(['s-old']);
  });

  it('updates a suppression within scope: reason, expiry (an expired one comes back), match, kept across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-soc-sup-edit-')), 'soc.duckdb');
    const first = await DuckDbSocStore.open(path);
    const base = { ruleId: 'r-ps', match: { 'host.name': 'fin-*' }, reason: 'noise', owner: 'anna', createdBy: 'anna' };
    await first.putSuppression({ ...base, id: 's-old', unit: 'finance', createdAt: t0 - 10, expiresAt: t0 - 1 });
    await first.putSuppression({ ...base, id: 's-legal', unit: 'legal', createdAt: t0, expiresAt: t0 + 3_600_000 });
    expect(await first.updateSuppression(finance, 's-legal', { reason: 'not yours' })).toBeUndefined();
    expect(await first.updateSuppression(finance, 's-none', { reason: 'nothing' })).toBeUndefined();
    const extended = await first.updateSuppression(finance, 's-old', { expiresAt: t0 + 7 * 86_400_000 });
    expect(extended).toMatchObject({
      id: 's-old',
      reason: 'noise',
      expiresAt: t0 + 7 * 86_400_000,
      createdAt: t0 - 10,
    });
    // Concurrent changes of different fields both land.
    await Promise.all([
      first.updateSuppression(finance, 's-old', { reason: 'Backup agent rollout' }),
      first.updateSuppression(finance, 's-old', { match: { 'host.name': 'fin-ws0*', 'user.name': 'svc' } }),
    ]);
    await first.close();
    const store = await open(path);
    // Active again: the expiry column changed with the document.
    expect(await store.listSuppressions(finance, { now: t0 })).toEqual([
      {
        ...base,
        id: 's-old',
        unit: 'finance',
        createdAt: t0 - 10,
        expiresAt: t0 + 7 * 86_400_000,
        reason: 'Backup agent rollout',
        match: { 'host.name': 'fin-ws0*', 'user.name': 'svc' },
      },
    ]);
    expect((await store.listSuppressions(all, { now: t0 })).find((s) => s.id === 's-legal')?.reason).toBe('noise');
    expect(await store.updateSuppression(finance, 's-old', { expiresAt: t0 - 5 })).toMatchObject({ expiresAt: t0 - 5 });
    expect(await store.listSuppressions(finance, { now: t0 })).toEqual([]);
  });

  it('keeps saved searches: own plus shared in scope, names unique per owner ignoring case, a per-owner limit, across a reopen', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vigil-soc-saved-')), 'soc.duckdb');
    const first = await DuckDbSocStore.open(path);
    const search = (id: string, owner: string, name: string, unit: string, shared: boolean) => ({
      id,
      name,
      query: 'event.code:4625',
      timeRange: { relative: '24h' },
      shared,
      unit,
      owner,
      ownerName: owner,
      createdAt: t0,
      updatedAt: t0,
    });
    const limit = { maxPerOwner: 3 };
    expect(await first.putSavedSearch(search('s1', 'anna', 'Failed logons', 'finance', false), limit)).toBe('stored');
    expect(await first.putSavedSearch(search('s2', 'anna', 'failed LOGONS', 'finance', true), limit)).toBe(
      'duplicate-name',
    );
    expect(await first.putSavedSearch(search('s2', 'bob', 'Failed logons', 'finance', true), limit)).toBe('stored');
    expect(await first.putSavedSearch(search('s3', 'carl', 'Legal only', 'legal', true), limit)).toBe('stored');
    expect(await first.putSavedSearch(search('s4', 'dora', 'Private', 'finance', false), limit)).toBe('stored');
    await first.close();
    const store = await open(path);
    const names = async (owner: string, scope: typeof finance | typeof all) =>
      (await store.listSavedSearches({ owner, scope })).map((saved) => `${saved.owner}:${saved.name}`);
    expect(await names('anna', finance)).toEqual(['anna:Failed logons', 'bob:Failed logons']);
    expect(await names('erik', all)).toEqual(['bob:Failed logons', 'carl:Legal only']);
    expect(await store.getSavedSearch({ owner: 'anna', scope: finance }, 's3')).toBeUndefined();
    expect(await store.getSavedSearch({ owner: 'anna', scope: finance }, 's4')).toBeUndefined();
    expect(await store.getSavedSearch({ owner: 'dora', scope: finance }, 's4')).toMatchObject({ name: 'Private' });
    // Renaming keeps its own name free; the limit counts new searches only.
    expect(await store.putSavedSearch(search('s1', 'anna', 'FAILED logons', 'finance', true), limit)).toBe('stored');
    expect(await store.putSavedSearch(search('a2', 'anna', 'Two', 'finance', false), limit)).toBe('stored');
    expect(await store.putSavedSearch(search('a3', 'anna', 'Three', 'finance', false), limit)).toBe('stored');
    expect(await store.putSavedSearch(search('a4', 'anna', 'Four', 'finance', false), limit)).toBe('limit-reached');
    expect(await store.putSavedSearch(search('a3', 'anna', 'Three again', 'finance', false), limit)).toBe('stored');
    expect(await store.deleteSavedSearch('s1')).toBe(true);
    expect(await store.deleteSavedSearch('s1')).toBe(false);
    expect(await names('anna', finance)).toEqual(['bob:Failed logons', 'anna:Three again', 'anna:Two']);
  });
});
