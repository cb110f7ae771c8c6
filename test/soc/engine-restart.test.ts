// A node restarted on its data keeps what its incident engine knew: alerts of an attack that goes
// on after the restart fold into the incident it already had (not a new one), and the incident's
// priority explanation and its list of investigations are still there.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { IncidentDetailResponse, IncidentListResponse } from '../../src/model/console-api.ts';
import { repoRoot } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-engine-restart-'));
const files = { dataDir, storePath: join(dataDir, 'events.duckdb'), socPath: join(dataDir, 'soc.duckdb') };
const sample = readFileSync(join(repoRoot, 'content', 'samples', 'office_spawns_script_host.fires.jsonl'), 'utf8');
let node: SocNode | undefined;
let admin = '';

async function ingest(current: SocNode): Promise<void> {
  const response = await current.running.app.inject({
    method: 'POST',
    url: '/api/v1/ingest?unit=finance',
    headers: { authorization: `Bearer ${admin}` },
    payload: sample,
  });
  expect(response.statusCode).toBe(200);
  await current.runtime.detection.idle();
}

async function get<T>(current: SocNode, url: string): Promise<T> {
  const response = await current.running.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${admin}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as T;
}

afterAll(async () => {
  await node?.close();
});

describe('incident engine across a restart', () => {
  it('folds alerts after a restart into the incident from before it', async () => {
    node = await startSocNode(files);
    admin = node.admin!;
    await ingest(node);
    const before = await get<IncidentListResponse>(node, '/api/v1/incidents?limit=100');
    expect(before.total).toBeGreaterThan(0);
    const [first] = before.incidents;
    // An analyst investigates it; the job is listed with the incident after the restart too.
    const investigated = await node.running.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${first!.id}/investigations?wait=true`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(investigated.statusCode).toBe(200);
    const jobsBefore = await get<{ jobs: { id: string; status: string }[] }>(
      node,
      `/api/v1/investigations?incidentId=${first!.id}`,
    );
    expect(jobsBefore.jobs.map((job) => job.status)).toEqual(['succeeded']);
    await node.close();

    node = await startSocNode(files);
    expect(node.admin).toBeUndefined();
    // Right after the restart, before any new alert, the explanation is there.
    const detail = await get<IncidentDetailResponse>(node, `/api/v1/incidents/${first!.id}`);
    expect(detail.priorityParts.length).toBeGreaterThan(0);
    expect(detail.priorityParts.map((part) => part.factor)).toContain('severity');
    const jobsAfter = await get<{ jobs: { id: string; status: string }[] }>(
      node,
      `/api/v1/investigations?incidentId=${first!.id}`,
    );
    expect(jobsAfter.jobs).toEqual([expect.objectContaining({ id: jobsBefore.jobs[0]!.id, status: 'succeeded' })]);

    await ingest(node);
    const after = await get<IncidentListResponse>(node, '/api/v1/incidents?limit=100');
    expect(after.total).toBe(before.total);
    const grown = after.incidents.find((incident) => incident.id === first!.id);
    expect(grown?.alertCount).toBe(2 * first!.alertCount);
  });
});
