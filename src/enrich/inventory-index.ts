// The inventory compiled for per-event lookups: networks in a prefix trie, hostname patterns in one
// regular expression, assets by address and by name, and each unit's ancestors. Built once, read
// many times; a lookup allocates nothing for IPv4 addresses.
import { canonicalIp } from '../detect/intel/ip-address.ts';
import type { Asset, AssetCriticality, Unit } from '../model/unit.ts';
import { HostPatternMatcher } from './host-pattern-matcher.ts';
import type { Inventory } from './inventory.ts';
import { parseAddress, parseIpv4Number } from './ip-address-text.ts';
import { PrefixTrie } from './prefix-trie.ts';

export class InventoryIndex {
  readonly #units = new Map<string, Unit>();
  readonly #ancestors = new Map<string, ReadonlySet<string>>();
  readonly #networks = new PrefixTrie<string>();
  readonly #patterns: HostPatternMatcher<string>;
  readonly #assetsByIpv4 = new Map<number, Asset>();
  readonly #assetsByIpv6 = new Map<string, Asset>();
  readonly #assetsByName = new Map<string, Asset>();

  /** The inventory should be validated first (validateInventory); invalid entries are skipped here. */
  constructor(inventory: Inventory) {
    for (const unit of inventory.units) this.#units.set(unit.id, unit);
    for (const unit of inventory.units) {
      const ancestors = new Set<string>();
      let parent = unit.parent;
      while (parent !== undefined && !ancestors.has(parent) && parent !== unit.id) {
        ancestors.add(parent);
        parent = this.#units.get(parent)?.parent;
      }
      this.#ancestors.set(unit.id, ancestors);
      for (const cidr of unit.cidrs ?? []) this.#networks.add(cidr, unit.id);
    }
    this.#patterns = new HostPatternMatcher(
      inventory.units.flatMap((unit) => (unit.hostPatterns ?? []).map((pattern) => ({ pattern, value: unit.id }))),
    );
    const shortNames = new Map<string, Asset | null>();
    for (const asset of inventory.assets) {
      for (const ip of asset.ip ?? []) {
        const address = parseAddress(ip.trim());
        if (address.v4 >= 0) {
          if (!this.#assetsByIpv4.has(address.v4)) this.#assetsByIpv4.set(address.v4, asset);
        } else if (address.v6) {
          const key = canonicalIp(address.v6);
          if (!this.#assetsByIpv6.has(key)) this.#assetsByIpv6.set(key, asset);
        }
      }
      if (asset.hostname) {
        const name = asset.hostname.toLowerCase().replace(/\.$/, '');
        if (!this.#assetsByName.has(name)) this.#assetsByName.set(name, asset);
        // "fin-db-01.bank.local" is also "fin-db-01", unless two assets share that short name.
        const dot = name.indexOf('.');
        if (dot > 0) {
          const short = name.slice(0, dot);
          shortNames.set(short, shortNames.has(short) ? null : asset);
        }
      }
    }
    for (const [short, asset] of shortNames)
      if (asset && !this.#assetsByName.has(short)) this.#assetsByName.set(short, asset);
  }

  get unitCount(): number {
    return this.#units.size;
  }

  unit(id: string): Unit | undefined {
    return this.#units.get(id);
  }

  /** Whether `unit` is `ancestor` or lies below it in the unit hierarchy. */
  isWithin(unit: string, ancestor: string): boolean {
    return unit === ancestor || (this.#ancestors.get(unit)?.has(ancestor) ?? false);
  }

  /** The unit owning the most specific network that contains the address. */
  unitForAddress(text: string): string | undefined {
    const v4 = parseIpv4Number(text);
    if (v4 >= 0) return this.#networks.lookupIpv4(v4);
    if (!text.includes(':')) return undefined;
    return this.#networks.lookup(parseAddress(text));
  }

  /** The unit whose most specific hostname pattern matches. */
  unitForHostname(hostname: string): string | undefined {
    return this.#patterns.match(hostname);
  }

  assetForAddress(text: string): Asset | undefined {
    const v4 = parseIpv4Number(text);
    if (v4 >= 0) return this.#assetsByIpv4.get(v4);
    if (!text.includes(':')) return undefined;
    const address = parseAddress(text);
    if (address.v4 >= 0) return this.#assetsByIpv4.get(address.v4);
    return address.v6 ? this.#assetsByIpv6.get(canonicalIp(address.v6)) : undefined;
  }

  /**
   * Criticality of a unit's host (by hostname, else by address), for incident priority
   * (IncidentEngineOptions.assetCriticality). An asset of another unit does not count.
   */
  assetCriticality(unit: string, host: string): AssetCriticality | undefined {
    const asset = this.assetForHostname(host) ?? this.assetForAddress(host);
    return asset?.unit === unit ? asset.criticality : undefined;
  }

  /** The host name of the unit's asset holding an address (IncidentEngineOptions.ipOwner). */
  ipOwner(unit: string, ip: string): string | undefined {
    const asset = this.assetForAddress(ip);
    return asset?.unit === unit ? (asset.hostname ?? asset.id) : undefined;
  }

  /** A unit's own attention threshold, if it sets one (IncidentEngineOptions.attentionThreshold). */
  attentionThreshold(unit: string): number | undefined {
    return this.#units.get(unit)?.attentionThreshold;
  }

  /** An asset by full hostname, then by the first label of a fully qualified name. Case-insensitive. */
  assetForHostname(hostname: string): Asset | undefined {
    if (this.#assetsByName.size === 0 || hostname.length === 0 || hostname.length > 254) return undefined;
    let name = hostname.toLowerCase();
    if (name.endsWith('.')) name = name.slice(0, -1);
    const found = this.#assetsByName.get(name);
    if (found) return found;
    const dot = name.indexOf('.');
    return dot > 0 ? this.#assetsByName.get(name.slice(0, dot)) : undefined;
  }
}
