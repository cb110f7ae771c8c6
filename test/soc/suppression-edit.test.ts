// Editing suppressions over the API, as an analyst reviewing them meets it: a short suppression
// is extended before it runs out and alerts after its old expiry are still held back, without a
// restart; the reason and match can be changed; every change is audited; a key of another unit
// gets 404 (the suppression's existence is not disclosed); bad changes are 400 and change nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocRuntime } from '../../src/cli/soc-runtime.ts';
import type { AlertListResponse } from '../../src/model/console-api.ts';
import type { Suppression, SuppressionListItem } from '../../src/model/suppression.ts';
import type { RunningVigil } from '../../src/server/start-vigil.ts';
import { repoRoot } from '../shared-data.ts';
import { type SocNode, startSocNode } from './soc-node.ts';

const day = 86_400_000;
const sample = readFileSync(join(repoRoot, 'content', 'samples', 'office_spawns_script_host.fires.jsonl'), 'utf8');
let node: SocNode;
let running: RunningVigil;
let runtime: SocRuntime;
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

const patch = <T = Suppression>(id: string, key: string, body: unknown) =>
  api<T>(`/api/v1/suppressions/${id}`, key, {
    method: 'PATCH',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function stored(id: string): Promise<SuppressionListItem | undefined> {
  const { body } = await api<{ suppressions: SuppressionListItem[] }>('/api/v1/suppressions?all=true', adminKey);
  return body.suppressions.find((suppression) => suppression.id === id);
}

/** The sample again as new events of a later hour (fresh record ids); resolves once its alerts are in. */
async function ingestRound(): Promise<AlertListResponse['alerts']> {
  round++;
  const hour = String(10 + round).padStart(2, '0');
  const text = sample
    .replaceAll('2026-11-23T10:', `2026-11-23T${hour}:`)
    .replaceAll('2026-11-23 10:', `2026-11-23 ${hour}:`)
    .replace(/"EventRecordID":(\d+)/g, (_all, id: string) => `"EventRecordID":${Number(id) + round * 1000}`);
  const response = await fetch(`${running.url}/api/v1/ingest?unit=finance`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}` },
    body: text,
  });
  expect(response.status).toBe(200);
  const from = Date.parse(`2026-11-23T${hour}:00:00Z`);
  for (let attempt = 0; attempt < 200; attempt++) {
    await runtime.detection.idle();
    const { body } = await api<AlertListResponse>(
      `/api/v1/alerts?limit=500&from=${from}&to=${from + 3_600_000}`,
      adminKey,
    );
    if (body.total > 0) return body.alerts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`round ${round} raised no alerts`);
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
  ({ running, runtime } = node);
  adminKey = node.admin!;
  await runtime.ready;
  financeKey = await createKey('finance');
  hrKey = await createKey('hr');
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('editing a suppression', () => {
  let ruleId: string;
  let host: string;
  let created: Suppression;

  it('extends a short suppression before it runs out', async () => {
    const alerts = await ingestRound();
    ruleId = alerts[0]!.rule.id;
    host = String((alerts[0]!.event as { host?: { name?: string } }).host?.name);
    expect(host).toMatch(/fin-ws007/i);
    const response = await api<Suppression>('/api/v1/suppressions', financeKey, {
      method: 'POST',
      body: JSON.stringify({
        ruleId,
        match: { 'host.name': host },
        reason: 'Template rollout',
        // Short: the live-matcher test below waits it out; long enough for these calls on a busy machine.
        expiresAt: Date.now() + 6000,
      }),
    });
    expect(response.status).toBe(201);
    created = response.body;

    const newExpiry = Date.now() + 7 * day;
    const extended = await patch(created.id, financeKey, { expiresAt: newExpiry });
    expect(extended.status).toBe(200);
    expect(extended.body).toEqual({ ...created, expiresAt: newExpiry });
    expect(await stored(created.id)).toMatchObject({
      expiresAt: newExpiry,
      reason: 'Template rollout',
      expired: false,
    });
    // ISO 8601 is accepted too, as on create.
    const iso = new Date(Date.now() + 30 * day).toISOString();
    const again = await patch(created.id, financeKey, { expiresAt: iso });
    expect(again.status).toBe(200);
    expect(again.body.expiresAt).toBe(Date.parse(iso));
  });

  it('changes the reason and the match, keeping everything else', async () => {
    const before = (await stored(created.id))!;
    const reason = await patch(created.id, financeKey, { reason: 'Template rollout, CHG-1234' });
    expect(reason.status).toBe(200);
    expect(reason.body).toEqual({
      ...created,
      expiresAt: before.expiresAt,
      reason: 'Template rollout, CHG-1234',
    });
    // Upper case still matches the host: values compare case-insensitively.
    const match = await patch(created.id, financeKey, { match: { 'host.name': host.toUpperCase() } });
    expect(match.status).toBe(200);
    expect(match.body.match).toEqual({ 'host.name': host.toUpperCase() });
    expect(match.body).toMatchObject({ reason: 'Template rollout, CHG-1234', owner: 'finance-analyst' });
  });

  it('a key of another unit gets 404 and changes nothing; an unknown id is 404', async () => {
    const before = await stored(created.id);
    const foreign = await patch<{ code: string }>(created.id, hrKey, { expiresAt: Date.now() + 60 * day });
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('VIGIL_ERR_NOT_FOUND');
    const unknown = await patch<{ code: string }>('sup_0000000000000000', financeKey, { reason: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('VIGIL_ERR_NOT_FOUND');
    expect(await stored(created.id)).toEqual(before);
  });

  it('refuses an expiry in the past or beyond the maximum, an empty or unknown change, a bad match', async () => {
    const before = await stored(created.id);
    const bodies: [string, unknown][] = [
      ['past', { expiresAt: Date.now() - 1000 }],
      ['unreadable date', { expiresAt: 'yesterday' }],
      ['beyond 365 days', { expiresAt: Date.now() + 366 * day }],
      ['empty', {}],
      ['unknown field', { owner: 'someone else' }],
      ['empty reason', { reason: '' }],
      ['bad field path', { match: { 'host name': 'x' } }],
      ['prototype key', '{"match":{"__proto__":{"x":"y"}}}'],
      ['empty value', { match: { 'host.name': '' } }],
    ];
    for (const [label, body] of bodies) {
      const response = await patch<{ code: string; details?: { field?: string } }>(created.id, financeKey, body);
      expect(response.status, label).toBe(400);
      expect(response.body.code, label).toBe('VIGIL_ERR_VALIDATION');
    }
    expect(await stored(created.id)).toEqual(before);
  });

  it('the live matcher sees the new expiry at once: alerts after the old expiry are still suppressed', async () => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, created.expiresAt - Date.now() + 200)));
    const ofRule = (await ingestRound()).filter((alert) => alert.rule.id === ruleId);
    expect(ofRule.length).toBeGreaterThan(0);
    expect(ofRule.every((alert) => alert.suppressed === created.id)).toBe(true);
    expect((await stored(created.id))?.hits).toBe(ofRule.length);
  }, 30_000);

  it('shortening it applies at once too', async () => {
    const soon = Date.now() + 1500;
    expect((await patch(created.id, financeKey, { expiresAt: soon })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon - Date.now() + 200)));
    const ofRule = (await ingestRound()).filter((alert) => alert.rule.id === ruleId);
    expect(ofRule.length).toBeGreaterThan(0);
    expect(ofRule.every((alert) => alert.suppressed === undefined)).toBe(true);
    expect(await stored(created.id)).toMatchObject({ expired: true });
    // An expired suppression can be brought back by extending it.
    expect((await patch(created.id, financeKey, { expiresAt: Date.now() + day })).status).toBe(200);
    expect(await stored(created.id)).toMatchObject({ expired: false });
  }, 30_000);

  it('every change is audited with who, what changed, before and after', async () => {
    const audit = await runtime.soc.listAudit({ kind: 'units', units: ['finance'] }, 100);
    const updates = audit.filter((entry) => entry.action === 'suppression-updated' && entry.target === created.id);
    // Two extensions, reason, match, shortening, bringing back; the refused calls left nothing.
    expect(updates).toHaveLength(6);
    expect(updates.every((entry) => entry.actor === 'finance-analyst' && entry.unit === 'finance')).toBe(true);
    expect(updates).toContainEqual(
      expect.objectContaining({
        details: {
          ruleId,
          changed: ['reason'],
          before: { reason: 'Template rollout' },
          after: { reason: 'Template rollout, CHG-1234' },
        },
      }),
    );
    expect(updates).toContainEqual(
      expect.objectContaining({
        details: expect.objectContaining({ changed: ['expiresAt'], before: { expiresAt: created.expiresAt } }),
      }),
    );
  });
});
