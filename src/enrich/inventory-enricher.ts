// Puts events from shared collectors into the right unit, and tags them with the assets involved:
// the reporting host, source and destination are looked up in the inventory (assets first, then
// unit networks and hostname patterns). Precedence rules are in docs/enrichment.md.
import type { EcsEvent, JsonObject, JsonValue } from '../model/event.ts';
import type { Asset, AssetCriticality } from '../model/unit.ts';
import type { Enricher } from './enricher.ts';
import type { InventoryIndex } from './inventory-index.ts';

export interface InventoryEnricherOptions {
  /**
   * Units that mean "not bound to one unit" (a shared collector, the default API key): events bound
   * to them take the unit the inventory finds. Default: ['default'].
   */
  readonly unboundUnits?: readonly string[];
}

const criticalityRank: Record<AssetCriticality, number> = { low: 1, medium: 2, high: 3, critical: 4 };
const osTypes = new Set(['linux', 'macos', 'unix', 'windows', 'ios', 'android']);

type Role = 'host' | 'source' | 'destination';

function objectAt(event: EcsEvent, key: string): JsonObject | undefined {
  const value = event[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function assetSummary(asset: Asset, role: Role): JsonObject {
  const summary: JsonObject = { id: asset.id, criticality: asset.criticality, unit: asset.unit, role };
  if (asset.owner !== undefined) summary.owner = asset.owner;
  return summary;
}

export class InventoryEnricher implements Enricher {
  readonly name = 'inventory';
  #index: InventoryIndex;
  readonly #unbound: ReadonlySet<string>;

  constructor(index: InventoryIndex, options: InventoryEnricherOptions = {}) {
    this.#index = index;
    this.#unbound = new Set(options.unboundUnits ?? ['default']);
  }

  /**
   * Swap in a rebuilt index (after units or assets change through the API). Events already being
   * enriched finish with the old one; a swap is one reference assignment.
   */
  replaceIndex(index: InventoryIndex): void {
    this.#index = index;
  }

  enrich(event: EcsEvent): void {
    const index = this.#index;
    const host = objectAt(event, 'host');
    const source = objectAt(event, 'source') ?? objectAt(event, 'client');
    const destination = objectAt(event, 'destination') ?? objectAt(event, 'server');

    // Assets: the reporting host by name then address; source and destination by address.
    let hostAsset: Asset | undefined;
    const hostname = host ? (text(host.hostname) ?? text(host.name)) : undefined;
    const hostIps = host?.ip;
    if (host) {
      if (hostname) hostAsset = index.assetForHostname(hostname);
      if (!hostAsset && text(host.name) && host.name !== hostname)
        hostAsset = index.assetForHostname(host.name as string);
      if (!hostAsset) hostAsset = this.#assetForAddresses(hostIps);
    }
    const sourceIp = source ? text(source.ip) : undefined;
    const destinationIp = destination ? text(destination.ip) : undefined;
    const sourceAsset = sourceIp ? index.assetForAddress(sourceIp) : undefined;
    const destinationAsset = destinationIp ? index.assetForAddress(destinationIp) : undefined;

    // Unit: only for unbound events, or to refine a parent unit to one of its descendants.
    if (index.unitCount > 0)
      this.#assignUnit(event, hostAsset, hostname, hostIps, sourceAsset, sourceIp, destinationAsset, destinationIp);

    // Tenant isolation: an event shows only assets of its own unit (or units below it); a branch's
    // event about a connection to a finance server must not reveal finance's inventory.
    const unit = event.unit;
    if (hostAsset && !index.isWithin(hostAsset.unit, unit)) hostAsset = undefined;
    const visibleSource = sourceAsset && index.isWithin(sourceAsset.unit, unit) ? sourceAsset : undefined;
    const visibleDestination =
      destinationAsset && index.isWithin(destinationAsset.unit, unit) ? destinationAsset : undefined;
    if (!hostAsset && !visibleSource && !visibleDestination) return;
    if (hostAsset && host) this.#fillHost(host, hostAsset);
    const assets: JsonObject[] = [];
    let primary: JsonObject | undefined;
    let primaryRank = 0;
    const consider = (asset: Asset | undefined, role: Role) => {
      if (!asset) return;
      const summary = assetSummary(asset, role);
      assets.push(summary);
      const rank = criticalityRank[asset.criticality] ?? 0;
      if (rank > primaryRank) {
        primary = summary;
        primaryRank = rank;
      }
    };
    consider(hostAsset, 'host');
    consider(visibleSource, 'source');
    consider(visibleDestination, 'destination');
    let vigil = objectAt(event, 'vigil');
    if (!vigil) {
      vigil = {};
      event.vigil = vigil;
    }
    if (primary) vigil.asset = primary;
    vigil.assets = assets;
  }

  #assetForAddresses(value: JsonValue | undefined): Asset | undefined {
    if (typeof value === 'string') return this.#index.assetForAddress(value);
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'string') {
          const asset = this.#index.assetForAddress(item);
          if (asset) return asset;
        }
      }
    }
    return undefined;
  }

  #unitForAddresses(value: JsonValue | undefined): string | undefined {
    if (typeof value === 'string') return this.#index.unitForAddress(value);
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'string') {
          const unit = this.#index.unitForAddress(item);
          if (unit) return unit;
        }
      }
    }
    return undefined;
  }

  #assignUnit(
    event: EcsEvent,
    hostAsset: Asset | undefined,
    hostname: string | undefined,
    hostIps: JsonValue | undefined,
    sourceAsset: Asset | undefined,
    sourceIp: string | undefined,
    destinationAsset: Asset | undefined,
    destinationIp: string | undefined,
  ): void {
    const unbound = this.#unbound.has(event.unit);
    const index = this.#index;
    // Candidates in precedence order; lookups run lazily, and the first unit found decides.
    if (this.#accept(event, unbound, hostAsset?.unit, 'host.asset')) return;
    if (hostname && this.#accept(event, unbound, index.unitForHostname(hostname), 'host.hostname')) return;
    if (hostIps !== undefined && this.#accept(event, unbound, this.#unitForAddresses(hostIps), 'host.ip')) return;
    if (this.#accept(event, unbound, sourceAsset?.unit, 'source.asset')) return;
    if (sourceIp && this.#accept(event, unbound, index.unitForAddress(sourceIp), 'source.ip')) return;
    if (this.#accept(event, unbound, destinationAsset?.unit, 'destination.asset')) return;
    if (destinationIp) this.#accept(event, unbound, index.unitForAddress(destinationIp), 'destination.ip');
  }

  /**
   * The first unit the inventory finds decides (returns true): the event moves there when allowed —
   * from an unbound unit, or down from a parent to its descendant — and otherwise keeps its unit.
   */
  #accept(event: EcsEvent, unbound: boolean, unit: string | undefined, reason: string): boolean {
    if (unit === undefined || !this.#index.unit(unit)) return false;
    if (unit === event.unit || (!unbound && !this.#index.isWithin(unit, event.unit))) return true;
    event.unit = unit;
    let vigil = objectAt(event, 'vigil');
    if (!vigil) {
      vigil = {};
      event.vigil = vigil;
    }
    vigil.unit_from = reason;
    return true;
  }

  /** Fill what the event does not say about its host from the asset record; never overwrite. */
  #fillHost(host: JsonObject, asset: Asset): void {
    if (asset.hostname) {
      if (host.hostname === undefined) host.hostname = asset.hostname;
      if (host.name === undefined) host.name = asset.hostname;
    }
    if (host.ip === undefined && asset.ip && asset.ip.length > 0) host.ip = [...asset.ip];
    if (asset.os) {
      let os = host.os;
      if (os === undefined) {
        os = {};
        host.os = os;
      }
      if (os !== null && typeof os === 'object' && !Array.isArray(os)) {
        const kind = asset.os.toLowerCase();
        if (osTypes.has(kind)) {
          if (os.type === undefined) os.type = kind;
        } else if (os.name === undefined) os.name = asset.os;
      }
    }
  }
}

export function createInventoryEnricher(index: InventoryIndex, options?: InventoryEnricherOptions): Enricher {
  return new InventoryEnricher(index, options);
}
