// The inventory as kept in the Store (units and assets managed through the API), so that
// enrichment and the console agree on one source of truth; files can be merged on top.
import type { Store } from '../store/store.ts';
import type { LocatedInventory } from './inventory-file.ts';

/** Read every unit and asset from the store (administrator scope: enrichment serves all units). */
export async function loadStoreInventory(store: Pick<Store, 'listUnits' | 'listAssets'>): Promise<LocatedInventory> {
  const [units, assets] = await Promise.all([store.listUnits(), store.listAssets({ kind: 'all' })]);
  return {
    inventory: { units, assets },
    locate: (kind, index) => {
      const entry = kind === 'unit' ? units[index] : assets[index];
      return `store ${kind} '${entry?.id ?? `#${index + 1}`}'`;
    },
  };
}
