// Saved searches on a whole node, as analysts meet them: each keeps their own, shares one with
// their unit's colleagues, the query is checked (a syntax error comes back with its position),
// names are unique per owner, only the owner or an administrator deletes, everything is audited,
// and the searches are still there after the node restarts on the same data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedSearchListItem, SavedSearchListResponse } from '../../src/model/saved-search.ts';
import type { AuditEntry } from '../../src/store/soc-store.ts';
import { type SocNode, startSocNode } from '../soc/soc-node.ts';

const password = 'saved searches test password';
let node: SocNode;
let adminKey: string;
const keys = {} as Record<'anna' | 'bob' | 'hana', string>;

async function call<T>(
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${node.running.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

const list = async (key: string) => (await call<SavedSearchListResponse>('GET', '/api/v1/saved-searches', key)).body;
const names = async (key: string) =>
  (await list(key)).searches.map((search) => `${search.ownerName}:${search.name}${search.shared ? ' (shared)' : ''}`);

/** A node with both stores in the data dir, so a restart finds keys, users and saved searches again. */
function startOn(dataDir: string): Promise<SocNode> {
  return startSocNode({
    dataDir,
    storePath: join(dataDir, 'events.duckdb'),
    socPath: join(dataDir, 'soc.duckdb'),
    runtime: { adminPassword: password },
  });
}

beforeAll(async () => {
  node = await startOn(mkdtempSync(join(tmpdir(), 'vigil-saved-searches-')));
  adminKey = node.admin!;
  for (const [name, unit] of [
    ['anna', 'finance'],
    ['bob', 'finance'],
    ['hana', 'hr'],
  ] as const) {
    const created = await call<{ secret: string }>('POST', '/api/v1/api-keys', adminKey, {
      name,
      unit,
      role: 'read',
    });
    expect(created.status).toBe(201);
    keys[name] = created.body.secret;
  }
}, 120_000);

afterAll(async () => {
  await node?.close();
});

describe('saved searches API', () => {
  let annaShared: SavedSearchListItem;
  let annaPrivate: SavedSearchListItem;

  it('answers 401 without a key or session', async () => {
    expect((await call('GET', '/api/v1/saved-searches', undefined)).status).toBe(401);
    const post = await call<{ code: string }>('POST', '/api/v1/saved-searches', undefined, {
      name: 'x',
      query: '',
      timeRange: { relative: '24h' },
    });
    expect(post).toMatchObject({ status: 401, body: { code: 'VIGIL_ERR_AUTH_REQUIRED' } });
    expect((await call('DELETE', '/api/v1/saved-searches/ss_x', undefined)).status).toBe(401);
  });

  it('creates searches in the caller’s unit, private unless shared', async () => {
    const shared = await call<SavedSearchListItem>('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'Failed logons',
      query: 'event.code:4625 AND NOT user.name:svc_*',
      timeRange: { relative: '24h' },
      shared: true,
    });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({
      name: 'Failed logons',
      unit: 'finance',
      shared: true,
      ownerName: 'anna',
      mine: true,
      editable: true,
      timeRange: { relative: '24h' },
    });
    expect(shared.body.id).toMatch(/^ss_[0-9a-f]{16}$/);
    annaShared = shared.body;
    const window = { from: Date.UTC(2026, 10, 23, 9), to: Date.UTC(2026, 10, 23, 12) };
    const own = await call<SavedSearchListItem>('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'Incident 42 window',
      query: 'host.name:fin-ws007',
      timeRange: window,
    });
    expect(own).toMatchObject({ status: 201, body: { shared: false, timeRange: window } });
    annaPrivate = own.body;
    expect(
      (
        await call('POST', '/api/v1/saved-searches', keys.hana, {
          name: 'HR logons',
          query: 'event.code:4624',
          timeRange: { relative: '7d' },
          shared: true,
        })
      ).status,
    ).toBe(201);
    expect((await list(keys.anna)).limits).toEqual({ maxPerOwner: 200, maxNameLength: 120, maxQueryBytes: 8192 });
  });

  it('lists the caller’s own plus those shared with units the caller can see', async () => {
    expect(await names(keys.anna)).toEqual(['anna:Failed logons (shared)', 'anna:Incident 42 window']);
    expect(await names(keys.bob)).toEqual(['anna:Failed logons (shared)']);
    expect(await names(keys.hana)).toEqual(['hana:HR logons (shared)']);
    // The administrator of all units sees what is shared in every unit, not private searches.
    expect(await names(adminKey)).toEqual(['anna:Failed logons (shared)', 'hana:HR logons (shared)']);
    const [forBob] = (await list(keys.bob)).searches;
    expect(forBob).toMatchObject({ mine: false, editable: false, unit: 'finance' });
  });

  it('refuses a query with a syntax error in the API’s error format, with the position', async () => {
    const broken = await call<{ code: string; message: string; details: { position: number } }>(
      'POST',
      '/api/v1/saved-searches',
      keys.anna,
      { name: 'Broken', query: 'event.code:(4625', timeRange: { relative: '1h' } },
    );
    expect(broken.status).toBe(400);
    // The unclosed parenthesis, as the search itself reports it.
    expect(broken.body).toMatchObject({ code: 'VIGIL_ERR_QUERY_SYNTAX', details: { position: 11 } });
    const search = await call<{ code: string; message: string; details: unknown }>(
      'GET',
      `/api/v1/events?q=${encodeURIComponent('event.code:(4625')}`,
      keys.anna,
    );
    expect(broken.body).toEqual(search.body);
    const change = await call<{ code: string; details: { position: number } }>(
      'PATCH',
      `/api/v1/saved-searches/${annaShared.id}`,
      keys.anna,
      { query: 'a AND source.port:abc' },
    );
    expect(change).toMatchObject({ status: 400, body: { code: 'VIGIL_ERR_QUERY_SYNTAX', details: { position: 18 } } });
    const tooLong = await call<{ code: string }>('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'n'.repeat(121),
      query: '',
      timeRange: { relative: '1h' },
    });
    expect(tooLong).toMatchObject({ status: 400, body: { code: 'VIGIL_ERR_VALIDATION' } });
    const badRange = await call('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'Bad range',
      query: '',
      timeRange: { relative: 'yesterday' },
    });
    expect(badRange.status).toBe(400);
    const otherUnit = await call<{ code: string }>('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'For HR',
      query: '',
      timeRange: { relative: '1h' },
      unit: 'hr',
    });
    expect(otherUnit).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_UNIT_FORBIDDEN' } });
  });

  it('answers 409 for a name the owner already uses, not for another owner', async () => {
    const again = await call<{ code: string }>('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'failed LOGONS',
      query: 'event.code:4625',
      timeRange: { relative: '24h' },
    });
    expect(again).toMatchObject({ status: 409, body: { code: 'VIGIL_ERR_CONFLICT' } });
    const rename = await call('PATCH', `/api/v1/saved-searches/${annaPrivate.id}`, keys.anna, {
      name: 'Failed logons',
    });
    expect(rename.status).toBe(409);
    const bobs = await call('POST', '/api/v1/saved-searches', keys.bob, {
      name: 'Failed logons',
      query: 'event.code:4625',
      timeRange: { relative: '15m' },
    });
    expect(bobs.status).toBe(201);
  });

  it('lets the owner rename and unshare; others may neither change nor delete (403), nor see private ones (404)', async () => {
    expect(
      (await call('PATCH', `/api/v1/saved-searches/${annaShared.id}`, keys.bob, { name: 'Taken over' })).status,
    ).toBe(403);
    const denied = await call<{ code: string }>('DELETE', `/api/v1/saved-searches/${annaShared.id}`, keys.bob);
    expect(denied).toMatchObject({ status: 403, body: { code: 'VIGIL_ERR_FORBIDDEN' } });
    expect((await call('DELETE', `/api/v1/saved-searches/${annaShared.id}`, keys.hana)).status).toBe(404);
    expect((await call('DELETE', `/api/v1/saved-searches/${annaPrivate.id}`, keys.bob)).status).toBe(404);
    const renamed = await call<SavedSearchListItem>('PATCH', `/api/v1/saved-searches/${annaShared.id}`, keys.anna, {
      name: 'Failed logons (finance)',
      timeRange: { relative: '7d' },
    });
    expect(renamed).toMatchObject({
      status: 200,
      body: { name: 'Failed logons (finance)', timeRange: { relative: '7d' }, shared: true },
    });
    expect(await names(keys.bob)).toContain('anna:Failed logons (finance) (shared)');
    await call('PATCH', `/api/v1/saved-searches/${annaShared.id}`, keys.anna, { shared: false });
    expect(await names(keys.bob)).toEqual(['bob:Failed logons']);
    await call('PATCH', `/api/v1/saved-searches/${annaShared.id}`, keys.anna, { shared: true });
    expect((await call('PATCH', `/api/v1/saved-searches/${annaShared.id}`, keys.anna, {})).status).toBe(400);
  });

  it('works for a signed-in console user, and an administrator may delete another’s shared search (audited)', async () => {
    const signIn = await fetch(`${node.running.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const mine = await call<SavedSearchListItem>(
      'POST',
      '/api/v1/saved-searches',
      undefined,
      { name: 'Admin console search', query: 'process.name:powershell.exe', timeRange: { relative: 'all' } },
      { cookie },
    );
    expect(mine).toMatchObject({ status: 201, body: { owner: 'user:admin', ownerName: 'admin', unit: '*' } });
    const removed = await call('DELETE', `/api/v1/saved-searches/${annaShared.id}`, undefined, undefined, { cookie });
    expect(removed.status).toBe(204);
    expect(await names(keys.anna)).toEqual(['anna:Incident 42 window']);
    const audit = await node.runtime.soc.listAudit({ kind: 'all' }, 50);
    const saved = audit.filter((entry: AuditEntry) => entry.action.startsWith('saved-search-'));
    expect(saved.find((entry) => entry.action === 'saved-search-deleted')).toMatchObject({
      actor: 'admin',
      target: annaShared.id,
      unit: 'finance',
      details: { name: 'Failed logons (finance)', owner: 'anna' },
    });
    expect(saved.filter((entry) => entry.action === 'saved-search-created')).toHaveLength(5);
    // Finance callers see the audit of their unit's searches, not the others'.
    expect(await node.runtime.soc.listAudit({ kind: 'units', units: ['hr'] }, 50)).not.toContainEqual(
      expect.objectContaining({ target: annaShared.id }),
    );
  });

  it('keeps the saved searches across a restart on the same data directory', async () => {
    const before = await names(keys.anna);
    const { dataDir } = node;
    await node.close();
    node = await startOn(dataDir);
    expect(node.admin).toBeUndefined();
    expect(await names(keys.anna)).toEqual(before);
    expect(await names(keys.bob)).toEqual(['bob:Failed logons']);
    expect(await names(keys.hana)).toEqual(['hana:HR logons (shared)']);
    const [window] = (await list(keys.anna)).searches;
    expect(window).toMatchObject({ name: 'Incident 42 window', query: 'host.name:fin-ws007', shared: false });
    // Names stay unique after the restart too.
    const again = await call('POST', '/api/v1/saved-searches', keys.anna, {
      name: 'Incident 42 window',
      query: '',
      timeRange: { relative: '1h' },
    });
    expect(again.status).toBe(409);
  }, 60_000);
});
