// Suppressions end to end, as an analyst meets them: a rule fires and opens an incident; a
// suppression on the rule and host is created over the API; the same activity again is stored
// as suppressed alerts, counted, and grows no incident; the audit log has it; a key of another
// unit can neither see, create for nor delete it; at expiry alerts fold into incidents again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocRuntime } from '../../src/cli/soc-runtime.ts';
import type { AlertListResponse, IncidentListResponse } from '../../src/model/console-api.ts';
import type { SuppressionListItem } from '../../src/model/suppression.ts';
import type { Metrics } from '../../src/pipeline/metrics.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { repoRoot } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

const sample = readFileSync(join(repoRoot, 'content', 'samples', 'office_spawns_script_host.fires.jsonl'), 'utf8');
let node: SocNode;
let running: RunningVigil;
let runtime: SocRuntime;
let metrics: Metrics;
let adminKey: string;
let financeKey: string;
let hrKey: string;
let round = 0;

async function api<T>(path: string, key: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${key}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${running.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The sample again as new events: a later hour and fresh record ids, same hosts and users. */
async function ingestRound(): Promise<void> {
  round++;
  const text = sample
    .replaceAll('2026-11-23T10:', `2026-11-23T${String(10 + round).padStart(2, '0')}:`)
    .replaceAll('2026-11-23 10:', `2026-11-23 ${String(10 + round).padStart(2, '0')}:`)
    .replace(/"EventRecordID":(\d+)/g, (_all, id: string) => `"EventRecordID":${Number(id) + round * 1000}`);
  const response = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
    body: text,
  });
  expect(response.status).toBe(200);
  // The pipeline hands batches to the hook asynchronously: wait until this round's alerts are in.
  for (let attempt = 0; attempt < 200; attempt++) {
    await runtime.detection.idle();
    const { body } = await api<AlertListResponse>(
      `/api/v1/alerts?limit=500&from=${Date.parse(`2026-11-23T${String(10 + round).padStart(2, '0')}:00:00Z`)}`,
      adminKey,
    );
    if (body.total > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`round ${round} raised no alerts`);
}

async function financeIncidents() {
  const { body } = await api<IncidentListResponse>('/api/v1/incidents?limit=500', adminKey);
  return body.incidents
    .filter((incident) => incident.unit === 'finance')
    .map((incident) => ({ id: incident.id, updatedAt: incident.updatedAt, groupIds: incident.groupIds }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

async function alertsOfRound(n: number): Promise<AlertListResponse['alerts']> {
  const hour = String(10 + n).padStart(2, '0');
  const from = Date.parse(`2026-11-23T${hour}:00:00Z`);
  const { body } = await api<AlertListResponse>(
    `/api/v1/alerts?limit=500&from=${from}&to=${from + 3_600_000}`,
    adminKey,
  );
  return body.alerts;
}

async function createKey(unit: string): Promise<string> {
  const { status, body } = await api<{ secret: string }>('/api/v1/api-keys', adminKey, {
    method: 'POST',
    body: JSON.stringify({ name: `${unit}-analyst`, unit, role: 'read' }),
  });
  expect(status).toBe(201);
  return body.secret;
}

beforeAll(async () => {
  node = await startSocNode({ runtime: { adminPassword: 'correct horse battery staple' } });
  ({ running, runtime, metrics } = node);
  adminKey = node.admin!;
  await runtime.ready;
  financeKey = await createKey('finance');
  hrKey = await createKey('hr');
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('suppressions', () => {
  let ruleId: string;
  let host: string;
  let suppressionId: string;

  it('a rule fires and opens an incident', async () => {
    await ingestRound();
    const alerts = await alertsOfRound(1);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((alert) => alert.suppressed === undefined)).toBe(true);
    ruleId = alerts[0]!.rule.id;
    host = String((alerts[0]!.event as { host?: { name?: string } }).host?.name);
    expect(host).toMatch(/fin-ws007/i);
    expect((await financeIncidents()).length).toBeGreaterThan(0);
  });

  it('refuses a suppression without a future expiry, beyond the maximum, or for an unknown rule', async () => {
    const base = { ruleId: 'x', match: { 'host.name': host }, reason: 'noise' };
    const past = await api('/api/v1/suppressions', financeKey, {
      method: 'POST',
      body: JSON.stringify({ ...base, ruleId, expiresAt: Date.now() - 1000 }),
    });
    expect(past.status).toBe(400);
    const far = await api('/api/v1/suppressions', financeKey, {
      method: 'POST',
      body: JSON.stringify({ ...base, ruleId, expiresAt: Date.now() + 400 * 86_400_000 }),
    });
    expect(far.status).toBe(400);
    const unknown = await api<{ code: string }>('/api/v1/suppressions', financeKey, {
      method: 'POST',
      body: JSON.stringify({
        ...base,
        ruleId: 'no-such-rule',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VIGIL_ERR_VALIDATION');
    const future = Date.now() + 86_400_000;
    for (const match of ['{"host name":"x"}', '{"__proto__":{"x":"y"}}', '{"host..name":"x"}', '{"host.name":""}']) {
      const bad = await api('/api/v1/suppressions', financeKey, {
        method: 'POST',
        body: `{"ruleId":${JSON.stringify(ruleId)},"reason":"noise","expiresAt":${future},"match":${match}}`,
      });
      expect(bad.status, match).toBe(400);
    }
    // An all-units administrator must say which unit the suppression is for.
    const unitless = await api('/api/v1/suppressions', adminKey, {
      method: 'POST',
      body: JSON.stringify({ ...base, ruleId, expiresAt: future }),
    });
    expect(unitless.status).toBe(400);
    expect(
      (await api<{ suppressions: unknown[] }>('/api/v1/suppressions?all=true', adminKey)).body.suppressions,
    ).toEqual([]);
  });

  it('a key of another unit cannot create one for this unit', async () => {
    const { status } = await api('/api/v1/suppressions', hrKey, {
      method: 'POST',
      body: JSON.stringify({
        ruleId,
        unit: 'finance',
        match: { 'host.name': host },
        reason: 'not mine',
        expiresAt: Date.now() + 86_400_000,
      }),
    });
    expect(status).toBe(403);
  });

  it('suppressed alerts are stored marked, counted, and grow no incident', async () => {
    const created = await api<SuppressionListItem>('/api/v1/suppressions', financeKey, {
      method: 'POST',
      body: JSON.stringify({
        ruleId,
        // Upper case and a wildcard: matching ignores case, * spans the domain.
        match: { 'host.name': `${host.split('.')[0]!.toUpperCase()}.*` },
        reason: 'Macro-enabled template rollout on this host',
        // Short, so the expiry test below can wait it out; long enough for one ingest round on a busy machine.
        expiresAt: new Date(Date.now() + 8000).toISOString(),
        comment: 'ticket CHG-1234',
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ unit: 'finance', ruleId, owner: 'finance-analyst' });
    suppressionId = created.body.id;

    const before = await financeIncidents();
    const suppressedBefore = metrics.get('vigil_alerts_suppressed_total');
    await ingestRound();
    const alerts = await alertsOfRound(2);
    const ofRule = alerts.filter((alert) => alert.rule.id === ruleId);
    expect(ofRule.length).toBeGreaterThan(0);
    expect(ofRule.every((alert) => alert.suppressed === suppressionId)).toBe(true);
    expect(metrics.get('vigil_alerts_suppressed_total') - suppressedBefore).toBe(ofRule.length);
    // The sample fires this one rule only, so no incident may have changed at all.
    expect(ofRule.length).toBe(alerts.length);
    expect(await financeIncidents()).toEqual(before);

    const list = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions', financeKey);
    expect(list.body.suppressions).toEqual([
      expect.objectContaining({ id: suppressionId, hits: ofRule.length, expired: false }),
    ]);
    // With the rule's title from the loaded catalogue, so the console need not look it up.
    expect(list.body.suppressions[0]!.ruleTitle).toBe(runtime.rules.rule(list.body.suppressions[0]!.ruleId)?.title);
    expect(list.body.suppressions[0]!.ruleTitle).toBeTruthy();
    const audit = await runtime.soc.listAudit({ kind: 'units', units: ['finance'] }, 50);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'suppression-created', target: suppressionId, unit: 'finance' }),
    );
  });

  it('another unit neither sees nor deletes it', async () => {
    const list = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true', hrKey);
    expect(list.status).toBe(200);
    expect(list.body.suppressions).toEqual([]);
    const removed = await api(`/api/v1/suppressions/${suppressionId}`, hrKey, { method: 'DELETE' });
    expect(removed.status).toBe(404);
    const still = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions', financeKey);
    expect(still.body.suppressions.map((item) => item.id)).toEqual([suppressionId]);
  });

  it('at expiry it stops applying, without a restart, and is listed only with ?all=true', async () => {
    const created = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true', financeKey);
    const expiresAt = created.body.suppressions[0]!.expiresAt;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 100)));
    const before = await financeIncidents();
    await ingestRound();
    const ofRule = (await alertsOfRound(3)).filter((alert) => alert.rule.id === ruleId);
    expect(ofRule.length).toBeGreaterThan(0);
    expect(ofRule.every((alert) => alert.suppressed === undefined)).toBe(true);
    expect(await financeIncidents()).not.toEqual(before);
    const active = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions', financeKey);
    expect(active.body.suppressions).toEqual([]);
    const all = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true', financeKey);
    expect(all.body.suppressions).toEqual([expect.objectContaining({ id: suppressionId, expired: true })]);
  });

  it('deleting is audited', async () => {
    const removed = await api(`/api/v1/suppressions/${suppressionId}`, financeKey, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    const all = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true', financeKey);
    expect(all.body.suppressions).toEqual([]);
    const audit = await runtime.soc.listAudit({ kind: 'units', units: ['finance'] }, 50);
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'suppression-deleted', target: suppressionId, actor: 'finance-analyst' }),
    );
  });
});
