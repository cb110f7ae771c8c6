// Setting the digital analyst's LLM endpoint through the API: only an administrator of all units
// may; it applies at once (the next investigation tries that endpoint), the key is never shown,
// the change is audited, and it is still in force after a restart.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationReport } from '../../src/analyst/investigation-report.ts';
import type { IncidentListResponse } from '../../src/model/console-api.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { SecretBox } from '../../src/store/secret-box.ts';
import { repoRoot } from '../shared-data.ts';
import { type SocNode, startSocNode } from '../soc/soc-node.ts';

// Files, not memory: the restart below must find the SOC state the first start wrote.
const dataDir = mkdtempSync(join(tmpdir(), 'vigil-analyst-config-'));
const files = { dataDir, storePath: join(dataDir, 'events.duckdb'), socPath: join(dataDir, 'soc.duckdb') };
let node: SocNode;
let running: RunningVigil;
let admin: string;

async function start(): Promise<void> {
  node = await startSocNode(files);
  running = node.running;
}

async function stop(): Promise<void> {
  await node.close();
}

async function api<T>(key: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${running.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function createKey(unit: string, role: string): Promise<string> {
  const created = await api<{ secret: string }>(admin, '/api/v1/api-keys', {
    method: 'POST',
    body: JSON.stringify({ name: `${unit}-${role}`, unit, role }),
  });
  expect(created.status).toBe(201);
  return created.body.secret;
}

beforeAll(async () => {
  await start();
  admin = node.admin!;
  const body = readFileSync(join(repoRoot, 'content', 'samples', 'lsass_access_by_dump_tool.fires.jsonl'), 'utf8');
  const ingest = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
    body,
  });
  expect(ingest.status).toBe(200);
  await node.runtime.detection.idle();
}, 120_000);

afterAll(async () => {
  await stop();
});

describe('PUT /api/v1/analyst/config', () => {
  it('starts deterministic when nothing is configured', async () => {
    const { body } = await api<{ kind: string; source: string }>(admin, '/api/v1/analyst/config');
    expect(body).toMatchObject({ kind: 'deterministic', source: 'none' });
  });

  it('refuses readers, unit administrators and URLs that are not http(s)', async () => {
    const endpoint = { baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen2.5:7b' };
    const reader = await createKey('finance', 'read');
    const unitAdmin = await createKey('finance', 'admin');
    expect((await api(reader, '/api/v1/analyst/config')).status).toBe(403);
    const byUnitAdmin = await api<{ code: string }>(unitAdmin, '/api/v1/analyst/config', {
      method: 'PUT',
      body: JSON.stringify({ endpoint }),
    });
    expect(byUnitAdmin).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_FORBIDDEN' } });
    const badUrl = await api<{ code: string }>(admin, '/api/v1/analyst/config', {
      method: 'PUT',
      body: JSON.stringify({ endpoint: { ...endpoint, baseUrl: 'file:///etc/passwd' } }),
    });
    expect(badUrl).toMatchObject({ status: 400, body: { code: 'VIGIL_ERR_VALIDATION' } });
  });

  it('switches to the LLM at once, hides the key, audits, and survives a restart', async () => {
    // Nothing listens on port 9: the LLM path is tried and the deterministic plan stands in.
    const endpoint = {
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'qwen2.5:7b',
      apiKey: 'sk-secret-value',
      timeoutMs: 5000,
    };
    const put = await api<Record<string, unknown>>(admin, '/api/v1/analyst/config', {
      method: 'PUT',
      body: JSON.stringify({ endpoint }),
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      kind: 'llm',
      source: 'api',
      endpoint: { baseUrl: endpoint.baseUrl, model: endpoint.model, hasApiKey: true, timeoutMs: 5000 },
    });
    expect(JSON.stringify(put.body)).not.toContain('sk-secret-value');
    // In the SOC store the key is sealed with the node key (DATA/secret.key), which opens it.
    const stored = await node.runtime.soc.getState<{ endpoint: { apiKey: string } }>('analyst-llm-endpoint');
    expect(JSON.stringify(stored)).not.toContain('sk-secret-value');
    expect((await SecretBox.forDataDir(node.dataDir)).open(stored!.endpoint.apiKey)).toBe('sk-secret-value');
    expect((await api<{ kind: string; model: string }>(admin, '/api/v1/analyst')).body).toMatchObject({
      kind: 'llm',
      model: 'qwen2.5:7b',
    });

    const incidents = await api<IncidentListResponse>(admin, '/api/v1/incidents?limit=1');
    const id = incidents.body.incidents[0]!.id;
    const investigated = await api<{ report: InvestigationReport }>(
      admin,
      `/api/v1/incidents/${id}/investigations?wait=true`,
      { method: 'POST' },
    );
    expect(investigated.status).toBe(200);
    expect(
      investigated.body.report.openQuestions.some((question) => question.includes('LLM analyst could not answer')),
    ).toBe(true);
    const audit = await node.runtime.soc.listAudit({ kind: 'all' }, 50);
    expect(audit.some((entry) => entry.action === 'analyst-config-changed')).toBe(true);

    await stop();
    await start();
    const after = await api<Record<string, unknown>>(admin, '/api/v1/analyst/config');
    expect(after.body).toMatchObject({
      kind: 'llm',
      source: 'api',
      endpoint: { model: 'qwen2.5:7b', hasApiKey: true },
    });

    const back = await api<Record<string, unknown>>(admin, '/api/v1/analyst/config', {
      method: 'PUT',
      body: JSON.stringify({ endpoint: null }),
    });
    expect(back.body).toMatchObject({ kind: 'deterministic', source: 'api' });
    expect(back.body['endpoint']).toBeUndefined();
  }, 60_000);
});
