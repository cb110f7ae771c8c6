import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../model/event.ts';
import { createEnrichers, loadEnrichers } from './create-enrichers.ts';
import { GeoIpDatabase } from './geoip.ts';
import { InventoryError } from './inventory.ts';
import { InventoryIndex } from './inventory-index.ts';

function event(fields: Partial<EcsEvent>): EcsEvent {
  return { '@timestamp': '2026-01-01T00:00:00.000Z', unit: 'default', ...fields } as EcsEvent;
}

describe('createEnrichers', () => {
  it('builds inventory then GeoIP, each only when its data is given', async () => {
    expect(createEnrichers({})).toEqual([]);
    const geoip = await GeoIpDatabase.open({ cacheSize: 10 });
    const inventory = { units: [{ id: 'finance', name: 'Finance', cidrs: ['10.1.0.0/16'] }], assets: [] };
    const enrichers = createEnrichers({ inventory, geoip });
    expect(enrichers.map((enricher) => enricher.name)).toEqual(['inventory', 'geoip']);
    const record = event({ source: { ip: '10.1.0.9' }, destination: { ip: '8.8.8.8' } });
    for (const enricher of enrichers) enricher.enrich(record);
    expect(record.unit).toBe('finance');
    expect(record.destination).toMatchObject({ geo: { country_iso_code: 'US' } });
  });
});

describe('loadEnrichers', () => {
  it('merges files with the store, and lets the inventory be swapped after a change', async () => {
    const store = {
      listUnits: async () => [{ id: 'hr', name: 'HR', cidrs: ['10.50.0.0/16'] }],
      listAssets: async () => [],
    };
    const loaded = await loadEnrichers({
      store,
      inventoryFiles: [join(import.meta.dirname, '__fixtures__', 'inventory.yaml')],
      geoip: false,
    });
    expect(loaded.enrichers.map((enricher) => enricher.name)).toEqual(['inventory']);
    const fromStore = event({ source: { ip: '10.50.1.1' } });
    const fromFile = event({ source: { ip: '10.1.1.1' } });
    for (const record of [fromStore, fromFile]) loaded.enrichers[0]!.enrich(record);
    expect([fromStore.unit, fromFile.unit]).toEqual(['hr', 'finance']);

    loaded.inventory!.replaceIndex(
      new InventoryIndex({ units: [{ id: 'lab', name: 'Lab', cidrs: ['10.50.0.0/16'] }], assets: [] }),
    );
    const afterChange = event({ source: { ip: '10.50.1.1' } });
    loaded.enrichers[0]!.enrich(afterChange);
    expect(afterChange.unit).toBe('lab');
  });

  it('fails at start-up on an invalid inventory, and builds nothing without data', async () => {
    await expect(
      loadEnrichers({ inventoryFiles: [join(import.meta.dirname, '__fixtures__', 'bad-assets.csv')] }),
    ).rejects.toBeInstanceOf(InventoryError);
    expect((await loadEnrichers({})).enrichers).toEqual([]);
  });
});
