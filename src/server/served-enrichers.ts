// Enrichment for a served node: the units and assets kept in the store (managed through the API)
// plus GeoIP. The inventory is rebuilt shortly after it changes and swapped into the pipeline,
// so a new unit's networks apply to the next events without a restart.
import { createEnrichers } from '../enrich/create-enrichers.ts';
import type { Enricher } from '../enrich/enricher.ts';
import { GeoIpDatabase } from '../enrich/geoip.ts';
import { inventoryProblems } from '../enrich/inventory.ts';
import { loadStoreInventory } from '../enrich/inventory-store.ts';
import type { Logger } from '../pipeline/logger.ts';
import type { Store } from '../store/store.ts';

const reloadDelayMs = 500;

export class ServedEnrichers {
  readonly #store: Store;
  readonly #log: Logger;
  readonly #apply: (enrichers: readonly Enricher[]) => void;
  #geoip: GeoIpDatabase | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;

  constructor(store: Store, log: Logger, apply: (enrichers: readonly Enricher[]) => void) {
    this.#store = store;
    this.#log = log;
    this.#apply = apply;
  }

  /** Open GeoIP (optional: a missing database only disables it) and build the first inventory. */
  async start(options: { geoip?: boolean } = {}): Promise<readonly Enricher[]> {
    if (options.geoip !== false) {
      try {
        this.#geoip = await GeoIpDatabase.open();
      } catch (error) {
        this.#log.warn('GeoIP enrichment is off: the database could not be read', { error: String(error) });
      }
    }
    return this.#build();
  }

  /** Called after units or assets change; coalesces bursts of changes into one rebuild. */
  scheduleReload(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#reloading = this.reload();
    }, reloadDelayMs);
    this.#timer.unref();
  }

  async reload(): Promise<void> {
    try {
      this.#apply(await this.#build());
    } catch (error) {
      this.#log.error('inventory reload failed; keeping the previous one', { error: String(error) });
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#reloading;
  }

  async #build(): Promise<readonly Enricher[]> {
    const { inventory, locate } = await loadStoreInventory(this.#store);
    const problems = inventoryProblems(inventory, locate);
    if (problems.length > 0)
      this.#log.warn('inventory problems (entries skipped)', { problems: problems.slice(0, 20) });
    return createEnrichers({ inventory, ...(this.#geoip ? { geoip: this.#geoip } : {}) });
  }
}
