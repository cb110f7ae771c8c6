import { afterEach, describe, expect, it } from 'vitest';
import type { ApiKey } from '../model/unit.ts';
import { DuckDbSocStore } from '../store/soc/duckdb-soc-store.ts';
import { checkName, checkQuery, checkTimeRange, SavedSearches } from './saved-searches.ts';

const t0 = Date.UTC(2026, 10, 23, 9);
const caller = (name: string, unit: string, role: ApiKey['role'] = 'read'): ApiKey => ({
  id: `user:${name}`,
  name,
  unit,
  role,
  createdAt: t0,
});
const anna = caller('anna', 'finance');
const bob = caller('bob', 'finance');
const hana = caller('hana', 'hr');
const finAdmin = caller('fin-admin', 'finance', 'admin');
const root = caller('root', '*', 'admin');
const stores: DuckDbSocStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

// A clock that moves, so the audit entries have an order.
let tick = 0;
async function open(limits?: ConstructorParameters<typeof SavedSearches>[0]['limits']) {
  const soc = await DuckDbSocStore.open(':memory:');
  stores.push(soc);
  return { soc, searches: new SavedSearches({ soc, now: () => t0 + tick++, ...(limits ? { limits } : {}) }) };
}

const input = { name: 'Failed logons', query: 'event.code:4625', timeRange: { relative: '24h' } };

describe('saved search input checks', () => {
  it('trims names and refuses empty, too long or control-character names', () => {
    expect(checkName('  Failed logons ')).toBe('Failed logons');
    expect(() => checkName('   ')).toThrow(/empty/);
    expect(checkName('名'.repeat(120))).toHaveLength(120);
    expect(() => checkName('x'.repeat(121))).toThrow(/120/);
    expect(() => checkName('two\nlines')).toThrow(/control/);
  });

  it('refuses a query the language does not accept, with its position, and one over 8 KB', () => {
    expect(checkQuery('')).toBe('');
    expect(checkQuery('host.name:fin-* AND @timestamp>now-1h')).toBe('host.name:fin-* AND @timestamp>now-1h');
    expect(() => checkQuery('user.name:(a OR')).toThrow(
      expect.objectContaining({ code: 'VIGIL_ERR_QUERY_SYNTAX', details: { position: 15 } }),
    );
    expect(() => checkQuery(`message:"${'é'.repeat(4100)}"`)).toThrow(
      expect.objectContaining({ code: 'VIGIL_ERR_VALIDATION', details: { field: 'query' } }),
    );
  });

  it('accepts relative durations and "all", or an absolute window with from before to', () => {
    expect(checkTimeRange({ relative: '15m' })).toEqual({ relative: '15m' });
    expect(checkTimeRange({ relative: 'all' })).toEqual({ relative: 'all' });
    expect(() => checkTimeRange({ relative: '0h' })).toThrow(/duration/);
    expect(() => checkTimeRange({ relative: '24 hours' })).toThrow(/duration/);
    expect(checkTimeRange({ from: t0, to: t0 + 1 })).toEqual({ from: t0, to: t0 + 1 });
    expect(() => checkTimeRange({ from: t0, to: t0 })).toThrow(/before/);
  });
});

describe('SavedSearches', () => {
  it('lists own searches first, then those shared with the caller’s units; private ones stay private', async () => {
    const { searches } = await open();
    await searches.create(anna, { ...input, name: 'Zeta mine' });
    await searches.create(bob, { ...input, name: 'Alpha shared', shared: true });
    await searches.create(bob, { ...input, name: 'Bob private' });
    await searches.create(hana, { ...input, name: 'HR shared', shared: true });
    const list = (who: ApiKey) =>
      searches.list(who).then((items) => items.map((item) => `${item.ownerName}:${item.name}`));
    expect(await list(anna)).toEqual(['anna:Zeta mine', 'bob:Alpha shared']);
    expect(await list(hana)).toEqual(['hana:HR shared']);
    expect(await list(root)).toEqual(['bob:Alpha shared', 'hana:HR shared']);
    const [shared] = (await searches.list(anna)).filter((item) => !item.mine);
    expect(shared).toMatchObject({ unit: 'finance', owner: 'user:bob', mine: false, editable: false });
  });

  it('defaults the unit to the caller’s, refuses other units, and keeps "*" for callers of all units', async () => {
    const { searches } = await open();
    expect(await searches.create(anna, input)).toMatchObject({ unit: 'finance', shared: false, mine: true });
    await expect(searches.create(anna, { ...input, name: 'x', unit: 'hr' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_UNIT_FORBIDDEN',
    });
    await expect(searches.create(anna, { ...input, name: 'y', unit: '*' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_UNIT_FORBIDDEN',
    });
    expect(await searches.create(root, { ...input, shared: true })).toMatchObject({ unit: '*' });
    expect(await searches.create(root, { ...input, name: 'For HR', unit: 'hr', shared: true })).toMatchObject({
      unit: 'hr',
    });
    // Shared with '*': other callers of all units see it, unit callers do not.
    expect((await searches.list(hana)).map((item) => item.name)).toEqual(['For HR']);
    expect((await searches.list(caller('root2', '*', 'admin'))).map((item) => item.name)).toEqual([
      'Failed logons',
      'For HR',
    ]);
  });

  it('refuses a second search of the same name (409), however cased, but not another owner’s', async () => {
    const { searches } = await open();
    await searches.create(anna, input);
    await expect(searches.create(anna, { ...input, name: ' FAILED logons' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_CONFLICT',
      statusCode: 409,
    });
    await searches.create(bob, input);
    const second = await searches.create(anna, { ...input, name: 'Other' });
    await expect(searches.update(anna, second.id, { name: 'failed logons' })).rejects.toMatchObject({
      statusCode: 409,
    });
  });

  it('stops at the per-owner limit', async () => {
    const { searches } = await open({ maxPerOwner: 2, maxNameLength: 120, maxQueryBytes: 8192 });
    await searches.create(anna, { ...input, name: 'one' });
    await searches.create(anna, { ...input, name: 'two' });
    await expect(searches.create(anna, { ...input, name: 'three' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_LIMIT_REACHED',
      details: { limit: 2 },
    });
    expect(await searches.create(bob, { ...input, name: 'three' })).toMatchObject({ name: 'three' });
  });

  it('lets only the owner or an administrator change or delete, and audits each change', async () => {
    const { soc, searches } = await open();
    const created = await searches.create(anna, { ...input, shared: true });
    await expect(searches.update(bob, created.id, { name: 'Mine now' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_FORBIDDEN',
    });
    await expect(searches.remove(bob, created.id)).rejects.toMatchObject({ statusCode: 403 });
    await expect(searches.remove(hana, created.id)).rejects.toMatchObject({ statusCode: 404 });
    await expect(searches.update(anna, created.id, { query: 'a AND source.port:abc' })).rejects.toMatchObject({
      code: 'VIGIL_ERR_QUERY_SYNTAX',
      details: { position: 18 },
    });
    const renamed = await searches.update(anna, created.id, { name: 'Failed logons (finance)', shared: false });
    expect(renamed).toMatchObject({ name: 'Failed logons (finance)', shared: false, query: input.query });
    expect(await searches.list(bob)).toEqual([]);
    await searches.update(anna, created.id, { shared: true });
    expect(await searches.update(finAdmin, created.id, { timeRange: { relative: '7d' } })).toMatchObject({
      timeRange: { relative: '7d' },
      owner: 'user:anna',
      editable: true,
    });
    await searches.remove(finAdmin, created.id);
    expect(await searches.list(anna)).toEqual([]);
    const audit = await soc.listAudit({ kind: 'all' }, 10);
    expect(audit.map((entry) => `${entry.actor} ${entry.action}`).reverse()).toEqual([
      'anna saved-search-created',
      'anna saved-search-updated',
      'anna saved-search-updated',
      'fin-admin saved-search-updated',
      'fin-admin saved-search-deleted',
    ]);
    expect(audit[0]).toMatchObject({ target: created.id, unit: 'finance', details: { owner: 'anna' } });
    expect(audit[3]).toMatchObject({ details: { changed: ['name', 'shared'], shared: false } });
  });
});
