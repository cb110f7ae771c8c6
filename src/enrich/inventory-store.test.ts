import { describe, expect, it } from 'vitest';
import type { Asset, Unit, UnitScope } from '../model/unit.ts';
import { InventoryError } from './inventory.ts';
import { loadInventoryFiles, parseInventoryText } from './inventory-file.ts';
import { loadStoreInventory } from './inventory-store.ts';

function storeWith(units: Unit[], assets: Asset[]) {
  const scopes: UnitScope[] = [];
  return {
    scopes,
    listUnits: async () => units,
    listAssets: async (scope: UnitScope) => {
      scopes.push(scope);
      return assets;
    },
  };
}

describe('loadStoreInventory', () => {
  it('reads every unit and asset with the administrator scope', async () => {
    const store = storeWith(
      [{ id: 'finance', name: 'Finance', cidrs: ['10.1.0.0/16'] }],
      [{ id: 'db', unit: 'finance', ip: ['10.1.0.2'], criticality: 'high' }],
    );
    const located = await loadStoreInventory(store);
    expect(located.inventory.units.map((unit) => unit.id)).toEqual(['finance']);
    expect(located.inventory.assets.map((asset) => asset.id)).toEqual(['db']);
    expect(store.scopes).toEqual([{ kind: 'all' }]);
  });

  it('is validated together with files, naming store entries by id', async () => {
    const store = storeWith(
      [{ id: 'hq', name: 'From the store' }],
      [{ id: 'ghost-host', unit: 'nowhere', hostname: 'x', criticality: 'low' }],
    );
    const fromFile = parseInventoryText('units:\n  - id: hq\n    name: From a file\n', 'units.yaml');
    const extra = [fromFile, await loadStoreInventory(store)];
    const error = await loadInventoryFiles([], extra).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InventoryError);
    expect((error as InventoryError).problems).toEqual([
      "store unit 'hq': duplicate unit id 'hq'",
      "store asset 'ghost-host': unit 'nowhere' does not exist",
    ]);
  });
});
