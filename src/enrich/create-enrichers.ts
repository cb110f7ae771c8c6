// The enrichment stages of the pipeline, in order: inventory first (unit and assets), then GeoIP.
// Each is included only when its data is there; instances are built once and passed in.
import type { Store } from '../store/store.ts';
import type { Enricher } from './enricher.ts';
import { createGeoIpEnricher, GeoIpDatabase, type GeoIpOpenOptions } from './geoip.ts';
import type { Inventory } from './inventory.ts';
import { InventoryEnricher, type InventoryEnricherOptions } from './inventory-enricher.ts';
import { type LocatedInventory, loadInventoryFiles } from './inventory-file.ts';
import { InventoryIndex } from './inventory-index.ts';
import { loadStoreInventory } from './inventory-store.ts';

export interface EnrichersOptions {
  /** Units and assets (validated; see loadInventoryFiles / loadStoreInventory), or a prebuilt index. */
  readonly inventory?: Inventory | InventoryIndex;
  /** An opened GeoIP database (GeoIpDatabase.open), shared with other users. */
  readonly geoip?: GeoIpDatabase;
  readonly inventoryOptions?: InventoryEnricherOptions;
}

export function createEnrichers(options: EnrichersOptions): Enricher[] {
  const enrichers: Enricher[] = [];
  if (options.inventory) {
    const index =
      options.inventory instanceof InventoryIndex ? options.inventory : new InventoryIndex(options.inventory);
    enrichers.push(new InventoryEnricher(index, options.inventoryOptions));
  }
  if (options.geoip) enrichers.push(createGeoIpEnricher(options.geoip));
  return enrichers;
}

export interface LoadEnrichersOptions {
  /** Units and assets kept in the store (managed through the API and console). */
  readonly store?: Pick<Store, 'listUnits' | 'listAssets'>;
  /** Inventory files (YAML/CSV), merged with the store's units and assets and validated as one. */
  readonly inventoryFiles?: readonly string[];
  /** false = no GeoIP; true or options = open the shipped (or given) databases; or an opened database. */
  readonly geoip?: boolean | GeoIpOpenOptions | GeoIpDatabase;
  readonly inventoryOptions?: InventoryEnricherOptions;
}

export interface LoadedEnrichers {
  readonly enrichers: Enricher[];
  /** The inventory stage, to swap its index when units or assets change (undefined when no inventory). */
  readonly inventory?: InventoryEnricher;
  readonly geoip?: GeoIpDatabase;
}

/**
 * Load everything enrichment needs at start-up, concurrently: inventory files and the store's units
 * and assets (throws InventoryError with file:line problems), and the GeoIP databases.
 */
export async function loadEnrichers(options: LoadEnrichersOptions): Promise<LoadedEnrichers> {
  const geoipPromise: Promise<GeoIpDatabase | undefined> =
    options.geoip instanceof GeoIpDatabase
      ? Promise.resolve(options.geoip)
      : options.geoip
        ? GeoIpDatabase.open(options.geoip === true ? {} : options.geoip)
        : Promise.resolve(undefined);
  const storePart: LocatedInventory[] = options.store ? [await loadStoreInventory(options.store)] : [];
  const [inventory, geoip] = await Promise.all([
    storePart.length > 0 || (options.inventoryFiles?.length ?? 0) > 0
      ? loadInventoryFiles(options.inventoryFiles ?? [], storePart)
      : Promise.resolve(undefined),
    geoipPromise,
  ]);
  const enrichers: Enricher[] = [];
  let inventoryEnricher: InventoryEnricher | undefined;
  if (inventory) {
    inventoryEnricher = new InventoryEnricher(new InventoryIndex(inventory), options.inventoryOptions);
    enrichers.push(inventoryEnricher);
  }
  if (geoip) enrichers.push(createGeoIpEnricher(geoip));
  return { enrichers, inventory: inventoryEnricher, geoip };
}
