// Reads the units-and-assets inventory from YAML (or JSON) and CSV files, keeping the line of every
// entry and field so that each problem is reported as "file:line: what is wrong".
// Formats are described in docs/enrichment.md.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Asset, AssetCriticality, Unit } from '../model/unit.ts';
import { type Inventory, InventoryError, type InventoryLocator, inventoryProblems } from './inventory.ts';

/** An inventory with the locator that names where each entry was written. */
export interface LocatedInventory {
  readonly inventory: Inventory;
  readonly locate: InventoryLocator;
}

interface EntryLines {
  readonly line: number;
  readonly fields: Map<string, number>;
}

/** Field names accepted in files (model names plus snake_case spellings) → model field. */
const unitFields: Record<string, string> = {
  id: 'id',
  name: 'name',
  parent: 'parent',
  cidrs: 'cidrs',
  networks: 'cidrs',
  hostPatterns: 'hostPatterns',
  host_patterns: 'hostPatterns',
  hosts: 'hostPatterns',
  location: 'location',
  lat: 'lat',
  lon: 'lon',
  location_name: 'locationName',
  attentionThreshold: 'attentionThreshold',
  attention_threshold: 'attentionThreshold',
};
const assetFields: Record<string, string> = {
  id: 'id',
  unit: 'unit',
  hostname: 'hostname',
  ip: 'ip',
  ips: 'ip',
  criticality: 'criticality',
  owner: 'owner',
  os: 'os',
  tags: 'tags',
};

function locatorFor(file: string, units: readonly EntryLines[], assets: readonly EntryLines[]): InventoryLocator {
  return (kind, index, field) => {
    const entry = (kind === 'unit' ? units : assets)[index];
    if (!entry) return `${file}`;
    const line = (field !== undefined ? entry.fields.get(field) : undefined) ?? entry.line;
    return `${file}:${line}`;
  };
}

/** Several located inventories as one, each entry still located in its own file. */
export function mergeLocatedInventories(parts: readonly LocatedInventory[]): LocatedInventory {
  const units: Unit[] = [];
  const assets: Asset[] = [];
  const unitOrigins: { part: LocatedInventory; index: number }[] = [];
  const assetOrigins: { part: LocatedInventory; index: number }[] = [];
  for (const part of parts) {
    part.inventory.units.forEach((unit, index) => {
      units.push(unit);
      unitOrigins.push({ part, index });
    });
    part.inventory.assets.forEach((asset, index) => {
      assets.push(asset);
      assetOrigins.push({ part, index });
    });
  }
  return {
    inventory: { units, assets },
    locate: (kind, index, field) => {
      const origin = (kind === 'unit' ? unitOrigins : assetOrigins)[index];
      return origin ? origin.part.locate(kind, origin.index, field) : `${kind} #${index + 1}`;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Values: every converter reports a problem instead of throwing, so one pass finds all of them.

type Problems = string[];

function asString(value: unknown, where: string, field: string, problems: Problems): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  problems.push(`${where}: '${field}' must be text`);
  return undefined;
}

function asList(value: unknown, where: string, field: string, problems: Problems): string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value.split(/[;,\s]+/).filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return value.map((item) => String(item).trim()).filter((item) => item !== '');
  }
  problems.push(`${where}: '${field}' must be a list of text values`);
  return undefined;
}

function asNumber(value: unknown, where: string, field: string, problems: Problems): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (Number.isFinite(number)) return number;
  problems.push(`${where}: '${field}' must be a number, not ${JSON.stringify(value)}`);
  return undefined;
}

function buildUnit(raw: Record<string, unknown>, where: (field?: string) => string, problems: Problems): Unit {
  const location = raw.location as Record<string, unknown> | undefined;
  let lat = raw.lat;
  let lon = raw.lon;
  let locationName = raw.locationName;
  if (location !== undefined) {
    if (typeof location !== 'object' || location === null || Array.isArray(location)) {
      problems.push(`${where('location')}: 'location' must be an object with lat, lon and optionally name`);
    } else {
      for (const key of Object.keys(location)) {
        if (key !== 'lat' && key !== 'lon' && key !== 'name')
          problems.push(`${where('location')}: unknown location field '${key}'`);
      }
      lat = location.lat;
      lon = location.lon;
      locationName = location.name;
    }
  }
  const latitude = asNumber(lat, where('location'), 'lat', problems);
  const longitude = asNumber(lon, where('location'), 'lon', problems);
  if ((latitude === undefined) !== (longitude === undefined)) {
    problems.push(`${where('location')}: a location needs both lat and lon`);
  }
  const name = asString(locationName, where('location'), 'location name', problems);
  const parent = asString(raw.parent, where('parent'), 'parent', problems);
  const cidrs = asList(raw.cidrs, where('cidrs'), 'cidrs', problems);
  const hostPatterns = asList(raw.hostPatterns, where('hostPatterns'), 'hostPatterns', problems);
  const attentionThreshold = asNumber(
    raw.attentionThreshold,
    where('attentionThreshold'),
    'attentionThreshold',
    problems,
  );
  return {
    id: asString(raw.id, where('id'), 'id', problems) ?? '',
    name: asString(raw.name, where('name'), 'name', problems) ?? '',
    ...(parent !== undefined ? { parent } : {}),
    ...(cidrs ? { cidrs } : {}),
    ...(hostPatterns ? { hostPatterns } : {}),
    ...(latitude !== undefined && longitude !== undefined
      ? { location: { lat: latitude, lon: longitude, ...(name ? { name } : {}) } }
      : {}),
    ...(attentionThreshold !== undefined ? { attentionThreshold } : {}),
  };
}

function buildAsset(raw: Record<string, unknown>, where: (field?: string) => string, problems: Problems): Asset {
  const hostname = asString(raw.hostname, where('hostname'), 'hostname', problems);
  const ip = asList(raw.ip, where('ip'), 'ip', problems);
  const owner = asString(raw.owner, where('owner'), 'owner', problems);
  const os = asString(raw.os, where('os'), 'os', problems);
  const tags = asList(raw.tags, where('tags'), 'tags', problems);
  const criticality = asString(raw.criticality, where('criticality'), 'criticality', problems);
  return {
    id: asString(raw.id, where('id'), 'id', problems) ?? '',
    unit: asString(raw.unit, where('unit'), 'unit', problems) ?? '',
    criticality: (criticality?.toLowerCase() ?? 'medium') as AssetCriticality,
    ...(hostname ? { hostname } : {}),
    ...(ip ? { ip } : {}),
    ...(owner ? { owner } : {}),
    ...(os ? { os } : {}),
    ...(tags ? { tags } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// YAML

/** Parse a YAML (or JSON) inventory: `units:` and `assets:` lists. Problems go to `problems`. */
export function parseInventoryYaml(text: string, file: string, problems: Problems = []): LocatedInventory {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const units: Unit[] = [];
  const assets: Asset[] = [];
  const unitLines: EntryLines[] = [];
  const assetLines: EntryLines[] = [];
  for (const error of document.errors) {
    problems.push(`${file}:${error.linePos?.[0]?.line ?? 1}: ${error.message.split('\n')[0]}`);
  }
  if (document.errors.length > 0)
    return { inventory: { units, assets }, locate: locatorFor(file, unitLines, assetLines) };
  const root = document.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    return { inventory: { units, assets }, locate: locatorFor(file, unitLines, assetLines) };
  }
  if (!isMap(root)) {
    problems.push(`${file}:${lineOf(root)}: an inventory is a map with 'units:' and 'assets:' lists`);
    return { inventory: { units, assets }, locate: locatorFor(file, unitLines, assetLines) };
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (key !== 'units' && key !== 'assets') {
      problems.push(
        `${file}:${lineOf(pair.key as Node)}: unknown top-level key '${key}' (expected 'units' or 'assets')`,
      );
      continue;
    }
    if (value === null || (isScalar(value) && value.value === null)) continue;
    if (!isSeq(value)) {
      problems.push(`${file}:${lineOf(value)}: '${key}' must be a list`);
      continue;
    }
    const names = key === 'units' ? unitFields : assetFields;
    for (const item of value.items) {
      const itemNode = item as Node;
      if (!isMap(itemNode)) {
        problems.push(`${file}:${lineOf(itemNode)}: each entry of '${key}' must be a map of fields`);
        continue;
      }
      const raw: Record<string, unknown> = {};
      const fields = new Map<string, number>();
      for (const field of itemNode.items) {
        const name = isScalar(field.key) ? String(field.key.value) : '';
        const line = lineOf(field.key as Node);
        const modelName = names[name];
        if (!modelName) {
          problems.push(`${file}:${line}: unknown ${key === 'units' ? 'unit' : 'asset'} field '${name}'`);
          continue;
        }
        raw[modelName] = (field.value as Node | null)?.toJSON() ?? null;
        fields.set(modelName, line);
        if (modelName === 'lat' || modelName === 'lon') fields.set('location', line);
      }
      const entry = { line: lineOf(itemNode), fields };
      const where = (field?: string) =>
        `${file}:${(field !== undefined ? fields.get(field) : undefined) ?? entry.line}`;
      if (key === 'units') {
        units.push(buildUnit(raw, where, problems));
        unitLines.push(entry);
      } else {
        assets.push(buildAsset(raw, where, problems));
        assetLines.push(entry);
      }
    }
  }
  return { inventory: { units, assets }, locate: locatorFor(file, unitLines, assetLines) };
}

// ---------------------------------------------------------------------------------------------
// CSV

/**
 * Parse a CSV inventory with a header row. A header with a `unit` column makes it an assets file,
 * otherwise a units file. List cells (cidrs, host_patterns, ip, tags) separate values with ';',
 * ',' inside quotes, or spaces. Lines starting with '#' are comments.
 */
export function parseInventoryCsv(text: string, file: string, problems: Problems = []): LocatedInventory {
  const units: Unit[] = [];
  const assets: Asset[] = [];
  const unitLines: EntryLines[] = [];
  const assetLines: EntryLines[] = [];
  const result = { inventory: { units, assets }, locate: locatorFor(file, unitLines, assetLines) };
  let rows: { record: string[]; line: number }[];
  try {
    // Each record is prefixed with the line it ends on, to name it in problems.
    const lined = parseCsv(text, {
      comment: '#',
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      on_record: (record, context) => [String(context.lines), ...record],
    });
    rows = lined.map(([line, ...record]) => ({ record, line: Number(line) }));
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    problems.push(`${file}:${line}: ${error instanceof Error ? error.message : String(error)}`);
    return result;
  }
  const header = rows[0];
  if (!header) return result;
  const headerNames = header.record.map((name) => name.trim());
  const isAssets = headerNames.includes('unit');
  const names = isAssets ? assetFields : unitFields;
  const columns: (string | undefined)[] = headerNames.map((name) => {
    const modelName = names[name];
    if (!modelName) problems.push(`${file}:${header.line}: unknown ${isAssets ? 'asset' : 'unit'} column '${name}'`);
    return modelName;
  });
  for (const row of rows.slice(1)) {
    const raw: Record<string, unknown> = {};
    const fields = new Map<string, number>();
    if (row.record.length > columns.length) {
      problems.push(`${file}:${row.line}: ${row.record.length} cells but the header has ${columns.length} columns`);
    }
    row.record.forEach((cell, index) => {
      const column = columns[index];
      if (!column) return;
      raw[column] = cell;
      fields.set(column, row.line);
    });
    if (raw.lat !== undefined || raw.lon !== undefined) fields.set('location', row.line);
    const entry = { line: row.line, fields };
    const where = () => `${file}:${row.line}`;
    if (isAssets) {
      assets.push(buildAsset(raw, where, problems));
      assetLines.push(entry);
    } else {
      units.push(buildUnit(raw, where, problems));
      unitLines.push(entry);
    }
  }
  return result;
}

/** Parse one inventory file by its extension (.yaml, .yml, .json or .csv). */
export function parseInventoryText(text: string, file: string, problems: Problems = []): LocatedInventory {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv') return parseInventoryCsv(text, file, problems);
  if (extension === '.yaml' || extension === '.yml' || extension === '.json') {
    return parseInventoryYaml(text, file, problems);
  }
  problems.push(`${file}:1: unknown inventory file type '${extension}' (use .yaml, .yml, .json or .csv)`);
  return { inventory: { units: [], assets: [] }, locate: () => file };
}

/**
 * Load and validate inventory files (read concurrently). Throws an InventoryError listing every
 * problem, each as "file:line: what", including clashes between files (a unit defined twice, an
 * asset of a unit defined nowhere).
 */
export async function loadInventoryFiles(
  paths: readonly string[],
  extra: readonly LocatedInventory[] = [],
): Promise<Inventory> {
  const problems: string[] = [];
  const texts = await Promise.all(
    paths.map(async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        problems.push(`${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        return undefined;
      }
    }),
  );
  const parts: LocatedInventory[] = [];
  texts.forEach((text, index) => {
    if (text !== undefined) parts.push(parseInventoryText(text, paths[index]!, problems));
  });
  const merged = mergeLocatedInventories([...parts, ...extra]);
  // Value-level problems of one entry are reported once, by the parser, not again by validation.
  if (problems.length > 0) throw new InventoryError(problems);
  const semantic = inventoryProblems(merged.inventory, merged.locate);
  if (semantic.length > 0) throw new InventoryError(semantic);
  return merged.inventory;
}
