// The node as `vigil serve` composes it: records sent over HTTP become incidents, incidents at or
// above analyst.autoPriority are investigated in the background, and every such incident ends up
// with a stored report whose citations all resolve. Progress streams over a real SSE connection.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationReport } from '../../src/analyst/investigation-report.ts';
import type { SocRuntime } from '../../src/cli/soc-runtime.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { IncidentListResponse } from '../../src/model/console-api.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { repoRoot, sharedData } from '../shared-data.ts';
import { type SocNode, startSocNode } from '../soc/soc-node.ts';

const samples = join(repoRoot, 'content', 'samples');
const autoPriority = 60;
let node: SocNode;
let running: RunningVigil;
let runtime: SocRuntime;
let key: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${running.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vigil-auto-investigation-'));
  const intel = join(dataDir, 'feed.txt');
  writeFileSync(intel, '# Example C2\n203.0.113.66\n185.220.101.7\n');
  const env = { VIGIL_ANALYST_AUTO_PRIORITY: String(autoPriority) };
  expect(loadConfig({ env, cwd: dataDir }).analyst).toEqual({
    autoPriority,
    concurrency: 1,
    maxAutoPerHour: 30,
    reinvestigatePriorityRise: 10,
    reinvestigateOnNewTactic: true,
    reinvestigateAlertFactor: 2,
    reinvestigateMinNewAlerts: 5,
  });
  node = await startSocNode({
    dataDir,
    env,
    runtime: { intel: [intel], attackBundle: sharedData('attack', 'enterprise-attack.json') },
  });
  ({ running, runtime } = node);
  key = running.initialAdminSecret!;
  const lines = [
    'office_spawns_script_host.fires.jsonl',
    'lsass_access_by_dump_tool.fires.jsonl',
    'ssh_failed_password.fires.log',
  ]
    .map((name) => readFileSync(join(samples, name), 'utf8'))
    .join('');
  const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
    body: lines,
  });
  expect(ingest.status).toBe(200);
  await runtime.detection.idle();
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('automatic investigation in a running node', () => {
  it('stores a report for every incident at or above the threshold, all citations resolving, each ≤ 5 s', async () => {
    const { body } = await api<IncidentListResponse>('/api/v1/incidents');
    const above = body.incidents.filter((incident) => incident.priority >= autoPriority);
    expect(above.length).toBeGreaterThan(0);
    const deadline = Date.now() + 20_000;
    const reports: InvestigationReport[] = [];
    for (const incident of above) {
      for (;;) {
        const latest = await api<{ report?: InvestigationReport }>(
          `/api/v1/incidents/${incident.id}/investigations/latest`,
        );
        if (latest.body.report) {
          reports.push(latest.body.report);
          break;
        }
        if (Date.now() > deadline) throw new Error(`no automatic report for ${incident.title}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    for (const report of reports) {
      expect(report.citations.invalidIds).toEqual([]);
      expect(report.citations.valid).toBe(report.citations.total);
      expect(report.citations.total).toBeGreaterThan(0);
      expect(report.generator.millis).toBeLessThan(5000);
    }
    // The tools find the stored events: events name the host fin-ws007.corp.example, the incident fin-ws007.
    const workstation = reports.find((report) =>
      report.affectedEntities.some((entity) => entity.value === 'fin-ws007'),
    )!;
    const tree = JSON.parse(workstation.toolTrace.find((entry) => entry.tool === 'process_tree')!.output) as {
      processes: number;
      tree: string[];
    };
    expect(tree.processes).toBeGreaterThanOrEqual(2);
    expect(tree.tree.join('\n')).toMatch(/WINWORD|powershell/i);
    const below = body.incidents.filter((incident) => incident.priority < autoPriority);
    for (const incident of below) {
      const latest = await api<{ report?: InvestigationReport }>(
        `/api/v1/incidents/${incident.id}/investigations/latest`,
      );
      expect(latest.body.report, incident.title).toBeUndefined();
    }
    const audit = await runtime.soc.listAudit({ kind: 'all' }, 50);
    expect(
      audit.filter((entry) => entry.action === 'investigation-completed' && entry.details?.trigger === 'auto'),
    ).toHaveLength(above.length);
  });

  it('streams a manual investigation over a real SSE connection until it ends', async () => {
    const { body } = await api<IncidentListResponse>('/api/v1/incidents');
    const incident = body.incidents[0]!;
    const started = await api<{ job: { id: string }; events: string }>(
      `/api/v1/incidents/${incident.id}/investigations`,
      { method: 'POST', body: '{}' },
    );
    expect(started.status).toBe(202);
    const response = await fetch(`${running.url}${started.body.events}`, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    expect(text).toContain('event: progress');
    expect(text).toMatch(/"status":"succeeded"/);
    expect(text.trimEnd().endsWith('event: end\ndata: {}')).toBe(true);
  });
});
