// Reads Sigma rule files (YAML, possibly multi-document with action: global/reset/repeat) into
// the rule model, validating against the specification. A bad rule never stops the load: it is
// returned as a rejection naming file:line and the spec rule it breaks.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import {
  type SigmaDetection,
  type SigmaFieldItem,
  type SigmaLevel,
  type SigmaLogSource,
  type SigmaRejection,
  type SigmaRule,
  SigmaRuleError,
  type SigmaSearch,
  type SigmaSearchDefinition,
} from './sigma-rule.ts';

export interface SigmaLoadResult {
  readonly rules: SigmaRule[];
  readonly rejections: SigmaRejection[];
  readonly files: number;
}

type Plain = string | number | boolean | null | Plain[] | PlainMap;
type PlainMap = { [key: string]: Plain };

/** Lines of map keys, kept beside the plain values so errors can name file:line. */
type LineTable = WeakMap<object, Map<string, number>>;

const levels = new Set(['informational', 'low', 'medium', 'high', 'critical']);
const statuses = new Set(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);

/** Modifiers of spec v2.1 (plus the `re` sub-modifiers i, m, s). */
export const knownModifiers = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  'exists',
  'cased',
  'neq',
  'windash',
  're',
  'i',
  'm',
  's',
  'base64',
  'base64offset',
  'wide',
  'utf16le',
  'utf16be',
  'utf16',
  'lt',
  'lte',
  'gt',
  'gte',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
  'cidr',
  'expand',
  'fieldref',
]);

function toPlain(node: unknown, lines: LineTable, lineCounter: LineCounter): Plain {
  if (isMap(node)) {
    const result: PlainMap = {};
    const keyLines = new Map<string, number>();
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const line = keyNode?.range ? lineCounter.linePos(keyNode.range[0]).line : 0;
      keyLines.set(key, line);
      Object.defineProperty(result, key, {
        value: toPlain(pair.value, lines, lineCounter),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    lines.set(result, keyLines);
    return result;
  }
  if (isSeq(node)) return node.items.map((item) => toPlain(item, lines, lineCounter));
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return null;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return Number(value);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return String(value);
  }
  return null;
}

function isPlainMap(value: Plain | undefined): value is PlainMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lineOf(lines: LineTable, map: PlainMap, key: string, fallback: number): number {
  return lines.get(map)?.get(key) || fallback;
}

function mergeDeep(base: PlainMap, overlay: PlainMap): PlainMap {
  const result: PlainMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = result[key];
    result[key] = isPlainMap(current) && isPlainMap(value) ? mergeDeep(current, value) : value;
  }
  return result;
}

/** Parse the YAML text of one rule file. Never throws: bad documents become rejections. */
export function parseSigmaText(text: string, filePath: string): { rules: SigmaRule[]; rejections: SigmaRejection[] } {
  const rules: SigmaRule[] = [];
  const rejections: SigmaRejection[] = [];
  const lineCounter = new LineCounter();
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  } catch (error) {
    rejections.push({ path: filePath, line: 1, reason: `invalid YAML: ${(error as Error).message}` });
    return { rules, rejections };
  }
  if (!Array.isArray(documents)) {
    rejections.push({ path: filePath, line: 1, reason: 'invalid YAML stream' });
    return { rules, rejections };
  }
  const lines: LineTable = new WeakMap();
  let global: PlainMap | undefined;
  let previous: PlainMap | undefined;
  for (const document of documents) {
    const documentLine = document.contents?.range ? lineCounter.linePos(document.contents.range[0]).line : 1;
    if (document.errors.length > 0) {
      const first = document.errors[0];
      const line = first?.linePos?.[0]?.line ?? documentLine;
      rejections.push({ path: filePath, line, reason: `invalid YAML: ${first?.message.split('\n')[0]}` });
      continue;
    }
    if (document.contents === null) continue;
    const plain = toPlain(document.contents, lines, lineCounter);
    if (!isPlainMap(plain)) {
      rejections.push({ path: filePath, line: documentLine, reason: 'a rule document must be a YAML map' });
      continue;
    }
    const action = plain.action;
    if (action === 'global') {
      const { action: _ignored, ...rest } = plain;
      global = global ? mergeDeep(global, rest) : rest;
      continue;
    }
    if (action === 'reset') {
      global = undefined;
      continue;
    }
    let merged = plain;
    if (action === 'repeat') {
      const { action: _ignored, ...rest } = plain;
      merged = previous ? mergeDeep(previous, rest) : rest;
    } else if (action !== undefined) {
      rejections.push({ path: filePath, line: documentLine, reason: `unknown document action '${String(action)}'` });
      continue;
    } else if (global) {
      merged = mergeDeep(global, plain);
    }
    previous = merged;
    try {
      rules.push(buildRule(merged, lines, filePath, documentLine));
    } catch (error) {
      const line = error instanceof SigmaRuleError ? error.line : documentLine;
      rejections.push({
        path: filePath,
        line,
        reason: (error as Error).message,
        ruleId: typeof merged.id === 'string' ? merged.id : undefined,
        title: typeof merged.title === 'string' ? merged.title : undefined,
      });
    }
  }
  return { rules, rejections };
}

function optionalString(map: PlainMap, key: string, lines: LineTable, line: number): string | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new SigmaRuleError(`'${key}' must be a string`, lineOf(lines, map, key, line));
  }
  return String(value);
}

function stringList(map: PlainMap, key: string, lines: LineTable, line: number): string[] | undefined {
  const value = map[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value))
    throw new SigmaRuleError(`'${key}' must be a list of strings`, lineOf(lines, map, key, line));
  return value.filter((entry) => entry !== null && typeof entry !== 'object').map(String);
}

function buildRule(map: PlainMap, lines: LineTable, filePath: string, line: number): SigmaRule {
  const title = map.title;
  if (typeof title !== 'string' || title.trim() === '') {
    throw new SigmaRuleError("missing required attribute 'title'", lineOf(lines, map, 'title', line));
  }
  const level = optionalString(map, 'level', lines, line);
  if (level !== undefined && !levels.has(level)) {
    throw new SigmaRuleError(
      `level '${level}' is not one of informational, low, medium, high, critical`,
      lineOf(lines, map, 'level', line),
    );
  }
  const status = optionalString(map, 'status', lines, line);
  if (status !== undefined && !statuses.has(status)) {
    throw new SigmaRuleError(`status '${status}' is not a Sigma status`, lineOf(lines, map, 'status', line));
  }
  const common = {
    id: optionalString(map, 'id', lines, line),
    title,
    name: optionalString(map, 'name', lines, line),
    status,
    description: optionalString(map, 'description', lines, line),
    author: optionalString(map, 'author', lines, line),
    references: stringList(map, 'references', lines, line),
    tags: stringList(map, 'tags', lines, line) ?? [],
    level: level as SigmaLevel | undefined,
    date: optionalString(map, 'date', lines, line),
    falsepositives: stringList(map, 'falsepositives', lines, line),
    path: filePath,
    line,
  };
  if (map.correlation !== undefined) {
    if (!isPlainMap(map.correlation)) {
      throw new SigmaRuleError("'correlation' must be a map", lineOf(lines, map, 'correlation', line));
    }
    return { ...common, kind: 'correlation', correlation: map.correlation };
  }
  const logsource = buildLogSource(map, lines, line);
  if (map.filter !== undefined) {
    const filter = map.filter;
    if (!isPlainMap(filter)) throw new SigmaRuleError("'filter' must be a map", lineOf(lines, map, 'filter', line));
    const filterLine = lineOf(lines, map, 'filter', line);
    const ruleRefs = stringList(filter, 'rules', lines, filterLine);
    if (!ruleRefs || ruleRefs.length === 0) {
      throw new SigmaRuleError("a filter needs a non-empty 'rules' list", lineOf(lines, filter, 'rules', filterLine));
    }
    const { rules: _rules, ...detection } = filter;
    return {
      ...common,
      kind: 'filter',
      logsource,
      rules: ruleRefs,
      detection: buildDetection(detection, lines, filterLine),
    };
  }
  const detection = map.detection;
  if (!isPlainMap(detection)) {
    throw new SigmaRuleError("missing required attribute 'detection' (a map)", lineOf(lines, map, 'detection', line));
  }
  return {
    ...common,
    kind: 'detection',
    logsource,
    detection: buildDetection(detection, lines, lineOf(lines, map, 'detection', line)),
    fields: stringList(map, 'fields', lines, line),
  };
}

function buildLogSource(map: PlainMap, lines: LineTable, line: number): SigmaLogSource {
  const logsource = map.logsource;
  if (!isPlainMap(logsource)) {
    throw new SigmaRuleError("missing required attribute 'logsource' (a map)", lineOf(lines, map, 'logsource', line));
  }
  const at = lineOf(lines, map, 'logsource', line);
  const result: SigmaLogSource = {
    product: optionalString(logsource, 'product', lines, at)?.toLowerCase(),
    category: optionalString(logsource, 'category', lines, at)?.toLowerCase(),
    service: optionalString(logsource, 'service', lines, at)?.toLowerCase(),
    definition: optionalString(logsource, 'definition', lines, at),
  };
  if (!result.product && !result.category && !result.service) {
    throw new SigmaRuleError('logsource needs at least one of product, category, service', at);
  }
  return result;
}

function buildDetection(detection: PlainMap, lines: LineTable, line: number): SigmaDetection {
  const conditionValue = detection.condition;
  const conditionLine = lineOf(lines, detection, 'condition', line);
  let conditions: string[];
  if (typeof conditionValue === 'string') conditions = [conditionValue];
  else if (
    Array.isArray(conditionValue) &&
    conditionValue.length > 0 &&
    conditionValue.every((c) => typeof c === 'string')
  )
    conditions = conditionValue as string[];
  else throw new SigmaRuleError("detection needs a 'condition' (a string or a list of strings)", conditionLine);
  const searches = new Map<string, SigmaSearchDefinition>();
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    const at = lineOf(lines, detection, name, line);
    searches.set(name, { name, line: at, parts: buildSearch(name, value, lines, at) });
  }
  if (searches.size === 0) throw new SigmaRuleError('detection defines no search identifier', line);
  return { searches, conditions, conditionLine };
}

function isScalarValue(value: Plain): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function buildSearch(name: string, value: Plain, lines: LineTable, line: number): SigmaSearch[] {
  if (isPlainMap(value)) return [{ kind: 'maps', alternatives: [buildItems(name, value, lines, line)] }];
  if (Array.isArray(value)) {
    if (value.length === 0) throw new SigmaRuleError(`search identifier '${name}' is an empty list`, line);
    const parts: SigmaSearch[] = [];
    const keywords: (string | number | boolean | null)[] = [];
    const alternatives: SigmaFieldItem[][] = [];
    for (const entry of value) {
      if (isPlainMap(entry)) alternatives.push(buildItems(name, entry, lines, line));
      else if (isScalarValue(entry)) keywords.push(entry);
      else throw new SigmaRuleError(`search identifier '${name}' has a nested list`, line);
    }
    if (alternatives.length > 0) parts.push({ kind: 'maps', alternatives });
    if (keywords.length > 0)
      parts.push({ kind: 'keywords', item: { field: undefined, modifiers: [], values: keywords, line } });
    return parts;
  }
  if (value === null) throw new SigmaRuleError(`search identifier '${name}' is empty`, line);
  return [{ kind: 'keywords', item: { field: undefined, modifiers: [], values: [value], line } }];
}

function buildItems(name: string, map: PlainMap, lines: LineTable, line: number): SigmaFieldItem[] {
  const items: SigmaFieldItem[] = [];
  const keys = Object.keys(map);
  if (keys.length === 0) throw new SigmaRuleError(`search identifier '${name}' is an empty map`, line);
  for (const key of keys) {
    const at = lineOf(lines, map, key, line);
    const [fieldName = '', ...modifiers] = key.split('|');
    for (const modifier of modifiers) {
      if (!knownModifiers.has(modifier)) throw new SigmaRuleError(`unknown modifier '${modifier}' in '${key}'`, at);
    }
    const raw = map[key] as Plain;
    let values: (string | number | boolean | null)[];
    if (Array.isArray(raw)) {
      if (raw.length === 0) throw new SigmaRuleError(`'${key}' has an empty value list`, at);
      if (!raw.every(isScalarValue)) throw new SigmaRuleError(`'${key}' must hold scalar values`, at);
      values = raw as (string | number | boolean | null)[];
    } else if (isScalarValue(raw)) {
      values = [raw];
    } else {
      throw new SigmaRuleError(`'${key}' must hold a value or a list of values, not a map`, at);
    }
    items.push({ field: fieldName === '' ? undefined : fieldName, modifiers, values, line: at });
  }
  return items;
}

/** Rule files under the given paths (folders walked recursively; .yml and .yaml). */
export async function listRuleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  async function walk(target: string): Promise<void> {
    const info = await stat(target);
    if (info.isDirectory()) {
      const entries = await readdir(target, { withFileTypes: true });
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        const child = path.join(target, entry.name);
        if (entry.isDirectory()) await walk(child);
        else if (/\.ya?ml$/i.test(entry.name)) files.push(child);
      }
    } else {
      files.push(target);
    }
  }
  for (const target of paths) await walk(target);
  return files;
}

/** Load every rule file under the paths. Missing paths throw (a configuration error). */
export async function loadSigmaRules(paths: readonly string[]): Promise<SigmaLoadResult> {
  const files = await listRuleFiles(paths);
  const rules: SigmaRule[] = [];
  const rejections: SigmaRejection[] = [];
  // Files are read a few dozen at a time: reading one by one waits on the disk for each.
  const concurrency = 64;
  for (let start = 0; start < files.length; start += concurrency) {
    const chunk = files.slice(start, start + concurrency);
    const texts = await Promise.all(chunk.map((file) => readFile(file, 'utf8')));
    // Parsing is cut into slices of ~10 ms so a running node keeps serving while rules reload.
    let sliceStarted = performance.now();
    for (let index = 0; index < texts.length; index++) {
      const result = parseSigmaText(texts[index] as string, chunk[index] as string);
      rules.push(...result.rules);
      rejections.push(...result.rejections);
      if (performance.now() - sliceStarted >= 10) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStarted = performance.now();
      }
    }
  }
  return { rules, rejections, files: files.length };
}
