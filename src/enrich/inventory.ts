// The inventory behind enrichment: organisational units (networks, hostname patterns, location)
// and the assets that belong to them. Validation reports every problem at once, each with where it
// was written ("units.yaml:12"), because a bad inventory is a configuration error, found at start-up.
import { parseCidr } from '../detect/intel/ip-address.ts';
import type { Asset, AssetCriticality, Unit } from '../model/unit.ts';
import { hostPatternProblem } from './host-pattern-matcher.ts';
import { parseAddress } from './ip-address-text.ts';

export interface Inventory {
  readonly units: readonly Unit[];
  readonly assets: readonly Asset[];
}

export const assetCriticalities: readonly AssetCriticality[] = ['low', 'medium', 'high', 'critical'];

/** A configuration error listing every problem found, one "where: what" per line. */
export class InventoryError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid inventory:\n${problems.join('\n')}`);
    this.name = 'InventoryError';
    this.problems = problems;
  }
}

/**
 * Tells where an entry (or one of its fields) was written, for error messages: "units.yaml:12".
 * Without one, entries are named by kind and id.
 */
export type InventoryLocator = (kind: 'unit' | 'asset', index: number, field?: string) => string;

const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

/** Every problem of an inventory (empty when valid): syntax of values and references between entries. */
export function inventoryProblems(inventory: Inventory, locate?: InventoryLocator): string[] {
  const where: InventoryLocator =
    locate ??
    ((kind, index) => {
      const entry = kind === 'unit' ? inventory.units[index] : inventory.assets[index];
      return `${kind} '${entry?.id ?? `#${index + 1}`}'`;
    });
  const problems: string[] = [];
  const report = (kind: 'unit' | 'asset', index: number, field: string | undefined, message: string) =>
    problems.push(`${where(kind, index, field)}: ${message}`);

  const unitIds = new Map<string, number>();
  const cidrOwners = new Map<string, string>();
  inventory.units.forEach((unit, index) => {
    if (typeof unit.id !== 'string' || !idPattern.test(unit.id)) {
      report(
        'unit',
        index,
        'id',
        `unit id ${JSON.stringify(unit.id)} must be a slug (letters, digits, '-', '_', '.', ':')`,
      );
    } else if (unitIds.has(unit.id)) {
      report('unit', index, 'id', `duplicate unit id '${unit.id}'`);
    } else unitIds.set(unit.id, index);
    if (typeof unit.name !== 'string' || unit.name.trim() === '') report('unit', index, 'name', 'unit needs a name');
    for (const cidr of unit.cidrs ?? []) {
      const parsed = typeof cidr === 'string' ? parseCidr(cidr.trim()) : undefined;
      if (!parsed) {
        report('unit', index, 'cidrs', `'${String(cidr)}' is not an IPv4 or IPv6 network (a.b.c.d/len or v6/len)`);
        continue;
      }
      const canonical = canonicalNetwork(parsed.bytes, parsed.prefix);
      const owner = cidrOwners.get(canonical);
      if (owner !== undefined && owner !== unit.id) {
        report('unit', index, 'cidrs', `network ${cidr} is also claimed by unit '${owner}'`);
      } else cidrOwners.set(canonical, unit.id);
    }
    for (const pattern of unit.hostPatterns ?? []) {
      const problem = typeof pattern === 'string' ? hostPatternProblem(pattern) : 'hostname pattern must be a string';
      if (problem) report('unit', index, 'hostPatterns', problem);
    }
    const location = unit.location;
    if (location !== undefined) {
      if (typeof location.lat !== 'number' || !(location.lat >= -90 && location.lat <= 90)) {
        report('unit', index, 'location', `latitude ${String(location.lat)} is not within -90..90`);
      }
      if (typeof location.lon !== 'number' || !(location.lon >= -180 && location.lon <= 180)) {
        report('unit', index, 'location', `longitude ${String(location.lon)} is not within -180..180`);
      }
    }
    if (unit.attentionThreshold !== undefined) {
      const threshold = unit.attentionThreshold;
      if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 100)) {
        report('unit', index, 'attentionThreshold', `attention threshold ${String(threshold)} is not within 0..100`);
      }
    }
  });
  inventory.units.forEach((unit, index) => {
    if (unit.parent === undefined) return;
    if (!unitIds.has(unit.parent)) report('unit', index, 'parent', `parent unit '${unit.parent}' does not exist`);
    else if (unit.parent === unit.id) report('unit', index, 'parent', `unit '${unit.id}' is its own parent`);
  });
  // A cycle of parents would make "is this unit inside that one" loop: report each cycle once.
  const reported = new Set<string>();
  inventory.units.forEach((unit, index) => {
    const seen = new Set<string>([unit.id]);
    let current = unit.parent;
    while (current !== undefined && current !== unit.id) {
      if (seen.has(current)) return; // a cycle further up: reported from a unit on it
      seen.add(current);
      const parentIndex = unitIds.get(current);
      current = parentIndex === undefined ? undefined : inventory.units[parentIndex]!.parent;
    }
    if (current === unit.id && unit.parent !== unit.id && !reported.has(unit.id)) {
      for (const member of seen) reported.add(member);
      report('unit', index, 'parent', `parent cycle: ${[...seen].join(' → ')} → ${unit.id}`);
    }
  });

  const assetIds = new Set<string>();
  const assetAddresses = new Map<string, string>();
  inventory.assets.forEach((asset, index) => {
    if (typeof asset.id !== 'string' || !idPattern.test(asset.id)) {
      report(
        'asset',
        index,
        'id',
        `asset id ${JSON.stringify(asset.id)} must be a slug (letters, digits, '-', '_', '.', ':')`,
      );
    } else if (assetIds.has(asset.id)) report('asset', index, 'id', `duplicate asset id '${asset.id}'`);
    else assetIds.add(asset.id);
    if (!unitIds.has(asset.unit)) report('asset', index, 'unit', `unit '${String(asset.unit)}' does not exist`);
    if (!assetCriticalities.includes(asset.criticality)) {
      report(
        'asset',
        index,
        'criticality',
        `criticality '${String(asset.criticality)}' is not one of ${assetCriticalities.join(', ')}`,
      );
    }
    if (
      asset.hostname !== undefined &&
      (typeof asset.hostname !== 'string' || !/^[A-Za-z0-9_.-]{1,253}$/.test(asset.hostname))
    ) {
      report('asset', index, 'hostname', `hostname '${String(asset.hostname)}' is not a hostname`);
    }
    if (asset.hostname === undefined && (asset.ip ?? []).length === 0) {
      report('asset', index, undefined, 'an asset needs a hostname or at least one IP address to be recognised');
    }
    for (const ip of asset.ip ?? []) {
      const parsed = typeof ip === 'string' ? parseAddress(ip.trim()) : { v4: -1 };
      if (parsed.v4 < 0 && !('v6' in parsed && parsed.v6)) {
        report('asset', index, 'ip', `'${String(ip)}' is not an IP address`);
        continue;
      }
      const key = parsed.v4 >= 0 ? String(parsed.v4) : Array.from(parsed.v6!).join('.');
      const owner = assetAddresses.get(key);
      if (owner !== undefined && owner !== asset.id)
        report('asset', index, 'ip', `address ${ip} also belongs to asset '${owner}'`);
      else assetAddresses.set(key, asset.id);
    }
  });
  return problems;
}

/** Throw an InventoryError listing every problem, or return the inventory unchanged. */
export function validateInventory(inventory: Inventory, locate?: InventoryLocator): Inventory {
  const problems = inventoryProblems(inventory, locate);
  if (problems.length > 0) throw new InventoryError(problems);
  return inventory;
}

/** Several inventories (files, the store) as one; validation afterwards finds clashes between them. */
export function mergeInventories(inventories: readonly Inventory[]): Inventory {
  return {
    units: inventories.flatMap((inventory) => inventory.units),
    assets: inventories.flatMap((inventory) => inventory.assets),
  };
}

function canonicalNetwork(bytes: Uint8Array, prefix: number): string {
  let key = `${bytes.length}/${prefix}/`;
  for (let bit = 0; bit < prefix; bit += 8) {
    const keep = Math.min(8, prefix - bit);
    key += `${bytes[bit >> 3]! & ((0xff << (8 - keep)) & 0xff)}.`;
  }
  return key;
}
