// The SOC path end to end, as a user meets it: records sent over HTTP are parsed, detected
// (Sigma, a correlation, threat intel), folded into incidents, triaged and stored; a console
// user signs in, works the queue, investigates, gives a verdict; the overview counts it all.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationReport } from '../../src/analyst/investigation-report.ts';
import type { SocRuntime } from '../../src/cli/soc-runtime.ts';
import type { IncidentDetailResponse, IncidentListResponse, OverviewResponse } from '../../src/model/console-api.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { hasSharedData, repoRoot, sharedData } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

const samples = join(repoRoot, 'content', 'samples');
let node: SocNode;
let running: RunningVigil;
let runtime: SocRuntime;
let adminKey: string;
let cookie: string;

async function api<T>(path: string, init: RequestInit & { auth?: string } = {}): Promise<{ status: number; body: T }> {
  const headers = new Headers(init.headers);
  if (init.auth) headers.set('cookie', init.auth);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const response = await fetch(`${running.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-soc-e2e-'));
  const intel = join(dataDir, 'feed.txt');
  writeFileSync(intel, '# Example C2\n203.0.113.66\n185.220.101.7\t6\n');
  node = await startSocNode({
    dataDir,
    runtime: {
      intel: [intel],
      adminPassword: 'correct horse battery staple',
      attackBundle: sharedData('attack', 'enterprise-attack.json'),
    },
  });
  ({ running, runtime } = node);
  adminKey = running.initialAdminSecret!;
  const lines = [
    'office_spawns_script_host.fires.jsonl',
    'lsass_access_by_dump_tool.fires.jsonl',
    'ssh_failed_password.fires.log',
    'office_spawns_script_host.quiet.jsonl',
  ]
    .map((name) => readFileSync(join(samples, name), 'utf8'))
    .join('');
  const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
    body: lines,
  });
  expect(ingest.status).toBe(200);
  await runtime.detection.idle();
}, 120_000);

afterAll(async () => {
  await node?.close();
});

// The ATT&CK catalogue (shared data) names the tactics that make the verdict.
describe.skipIf(!hasSharedData('attack', 'enterprise-attack.json'))('the SOC over HTTP', () => {
  it('refuses the console API without a session, and a wrong password', async () => {
    expect((await api('/api/v1/incidents')).status).toBe(401);
    const wrong = await api<{ code: string }>('/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: 'nope' }),
    });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'VIGIL_ERR_AUTH_INVALID' } });
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie', async () => {
    const response = await fetch(`${running.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'correct horse battery staple' }),
    });
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/vigil_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
    cookie = setCookie.split(';')[0]!;
    expect((await api<{ user: { username: string } }>('/api/v1/session', { auth: cookie })).body.user.username).toBe(
      'admin',
    );
  });

  it('folds the alerts into two incidents: the workstation intrusion and the SSH password guessing', async () => {
    const { body } = await api<IncidentListResponse>('/api/v1/incidents?sort=priority', { auth: cookie });
    const titles = body.incidents.map((incident) => incident.title);
    expect(body.total).toBe(2);
    const workstation = body.incidents.find((incident) =>
      incident.entities.some((entity) => entity.value === 'fin-ws007'),
    )!;
    expect(workstation.title).toBe(
      'Credential Dumping Tool Run Against LSASS and 1 more detection on fin-ws007 (anna.berg)',
    );
    expect(workstation).toMatchObject({ unit: 'finance', needsAttention: true, status: 'new' });
    expect(workstation.triage?.verdict).toBe('malicious');
    expect(workstation.tactics.map((tactic) => tactic.name)).toEqual([
      'Initial Access',
      'Execution',
      'Credential Access',
    ]);
    // The guessing address is also on the intel feed: both detections land in one incident on the server.
    const ssh = body.incidents.find((incident) => incident.entities.some((entity) => entity.value === 'lnx-web01'))!;
    expect(ssh.title).toBe('Threat intelligence match: Example C2 (ip) and 1 more detection on lnx-web01 (admin)');
    expect(titles).toHaveLength(2);
  });

  it('shows an incident with its alerts (rule authors included) and events', async () => {
    const list = await api<IncidentListResponse>('/api/v1/incidents', { auth: cookie });
    const id = list.body.incidents.find((incident) => incident.title.includes('fin-ws007'))!.id;
    const { status, body } = await api<IncidentDetailResponse>(`/api/v1/incidents/${id}`, { auth: cookie });
    expect(status).toBe(200);
    expect(body.alerts.every((alert) => alert.rule.author)).toBe(true);
    expect(new Set(body.alerts.map((alert) => alert.rule.title))).toEqual(
      new Set(['Office Application Starts a Script Interpreter', 'Credential Dumping Tool Run Against LSASS']),
    );
    expect(body.events.length).toBeGreaterThanOrEqual(4);
    expect(body.priorityParts.length).toBeGreaterThan(0);
  });

  it('investigates with the deterministic analyst: every citation resolves', async () => {
    const list = await api<IncidentListResponse>('/api/v1/incidents', { auth: cookie });
    const id = list.body.incidents.find((incident) => incident.title.includes('fin-ws007'))!.id;
    const started = Date.now();
    const { status, body } = await api<{ report: InvestigationReport }>(
      `/api/v1/incidents/${id}/investigations?wait=true`,
      {
        method: 'POST',
        auth: cookie,
        body: '{}',
      },
    );
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(body.report.citations.invalidIds).toEqual([]);
    expect(body.report.citations.total).toBeGreaterThan(0);
    expect(body.report.verdict).toBe('malicious');
    const latest = await api<{ report: InvestigationReport }>(`/api/v1/incidents/${id}/investigations/latest`, {
      auth: cookie,
    });
    expect(latest.body.report.createdAt).toBe(body.report.createdAt);
  });

  it('takes analyst changes from the console origin only, and records them', async () => {
    const list = await api<IncidentListResponse>('/api/v1/incidents', { auth: cookie });
    const id = list.body.incidents[0]!.id;
    const crossSite = await api<{ code: string }>(`/api/v1/incidents/${id}`, {
      method: 'PATCH',
      auth: cookie,
      headers: { origin: 'http://evil.example' },
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(crossSite).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_FORBIDDEN' } });
    const updated = await api<{ status: string; assignee: string; analystVerdict: string }>(`/api/v1/incidents/${id}`, {
      method: 'PATCH',
      auth: cookie,
      headers: { origin: running.url },
      body: JSON.stringify({ status: 'in_progress', assignee: 'admin', analystVerdict: 'malicious' }),
    });
    expect(updated).toMatchObject({
      status: 200,
      body: { status: 'in_progress', assignee: 'admin', analystVerdict: 'malicious' },
    });
    const unassigned = await api<{ assignee?: string }>(`/api/v1/incidents/${id}`, {
      method: 'PATCH',
      auth: cookie,
      headers: { origin: running.url },
      body: JSON.stringify({ assignee: null }),
    });
    expect(unassigned.status).toBe(200);
    expect(unassigned.body.assignee).toBeUndefined();
    expect(
      (await runtime.soc.listAudit({ kind: 'all' }, 10)).some(
        (entry) => entry.action === 'incident-updated' && entry.target === id,
      ),
    ).toBe(true);
  });

  it('counts the funnel from stored facts', async () => {
    const { body } = await api<OverviewResponse>(
      `/api/v1/overview?from=${Date.UTC(2026, 10, 23)}&to=${Date.UTC(2026, 10, 24)}`,
      { auth: cookie },
    );
    // 12 records; alerts: 2 + 2 Windows, 1 SSH correlation, 6 intel hits on the guessing address (the 6 single
    // failures alert only through the correlation: its base rule does not alert on its own).
    expect(body.funnel).toMatchObject({ events: 12, alerts: 11, incidents: 2 });
    expect(body.funnel.needingAttention).toBeLessThanOrEqual(2);
    expect(body.funnel.reduction).toBeCloseTo(1 - body.funnel.needingAttention / body.funnel.alerts, 5);
    expect(body.perUnit.find((row) => row.unit === 'finance')?.open).toBe(2);
  });

  it('keeps units apart: a user of another unit sees none of it', async () => {
    const { ConsoleSessions } = await import('../../src/server/routes/session/console-sessions.ts');
    await new ConsoleSessions(runtime.soc).createUser('lena', 'legal-team-password', 'analyst', ['legal']);
    const response = await fetch(`${running.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lena', password: 'legal-team-password' }),
    });
    const legal = response.headers.get('set-cookie')!.split(';')[0]!;
    const { body } = await api<IncidentListResponse>('/api/v1/incidents', { auth: legal });
    expect(body.total).toBe(0);
    const id = (await api<IncidentListResponse>('/api/v1/incidents', { auth: cookie })).body.incidents[0]!.id;
    expect((await api(`/api/v1/incidents/${id}`, { auth: legal })).status).toBe(404);
  });
});
