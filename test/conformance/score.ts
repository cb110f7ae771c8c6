// Format conformance: runs our parser registry over Elastic's raw samples (../shared/data/formats)
// and scores, per data stream, the share of expected ECS leaf values we reproduce.
// The rules (which fields count, how values compare) are documented in docs/conformance.md.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../src/model/event.ts';
import { isParseFailure } from '../../src/parse/parser.ts';
import type { ParserRegistry } from '../../src/parse/parser-registry.ts';

/** Which of our formats claims each data stream (`package/data_stream`). */
export const coveredDataStreams: Readonly<Record<string, { readonly format: string; readonly optional?: boolean }>> = {
  'suricata/eve': { format: 'suricata-eve' },
  'zeek/*': { format: 'zeek' },
  'iptables/log': { format: 'iptables' },
  'fortinet_fortigate/log': { format: 'fortigate' },
  'panw/panos': { format: 'panos' },
  'cisco_asa/log': { format: 'cisco-asa' },
  'nginx/access': { format: 'nginx-access' },
  'nginx/error': { format: 'nginx-error' },
  'apache/access': { format: 'apache-access' },
  'apache/error': { format: 'apache-error' },
  'system/auth': { format: 'syslog' },
  'system/syslog': { format: 'syslog' },
  'system/security': { format: 'winlogbeat' },
  'windows/sysmon_operational': { format: 'winlogbeat' },
  'windows/forwarded': { format: 'winlogbeat' },
  'windows/powershell': { format: 'winlogbeat' },
  'windows/powershell_operational': { format: 'winlogbeat' },
  'aws/cloudtrail': { format: 'aws-cloudtrail' },
  'aws/elb_logs': { format: 'aws-elb', optional: true },
  'okta/system': { format: 'okta' },
};

/**
 * Formats whose records can be textually identical, so no sniffer can tell them apart per record:
 * Apache's and nginx's default "combined" access logs are the same line. Detecting one for the
 * other is reported as ambiguous, not as a mis-detection; the score still shows which fields differ.
 */
export const interchangeableFormats: readonly (readonly string[])[] = [['apache-access', 'nginx-access']];

function interchangeable(left: string, right: string): boolean {
  return interchangeableFormats.some((group) => group.includes(left) && group.includes(right));
}

/** Data streams present in the samples that no parser of ours is meant to claim, and why. */
export const uncoveredDataStreams: Readonly<Record<string, string>> = {
  'ti_anomali/threatstream':
    'threat-intel indicator feed (Anomali ThreatStream), handled by intel import, not a log format',
};

/** The format that should claim a data stream, or undefined when it is not covered. */
export function coverageOf(dataStream: string): { format: string; optional?: boolean } | undefined {
  const exact = coveredDataStreams[dataStream];
  if (exact) return exact;
  const pkg = dataStream.slice(0, dataStream.indexOf('/'));
  return coveredDataStreams[`${pkg}/*`];
}

/**
 * ECS field sets allowed at the top level (ECS 8.x), plus the base fields. Anything else at the
 * top level is a vendor namespace (cisco.*, panw.*, winlog.*, aws.*, …) and is not scored.
 */
export const ecsTopLevel: ReadonlySet<string> = new Set([
  '@timestamp',
  'message',
  'tags',
  'labels',
  'agent',
  'client',
  'cloud',
  'container',
  'data_stream',
  'destination',
  'device',
  'dll',
  'dns',
  'ecs',
  'email',
  'error',
  'event',
  'faas',
  'file',
  'group',
  'host',
  'http',
  'log',
  'network',
  'observer',
  'orchestrator',
  'organization',
  'package',
  'process',
  'registry',
  'related',
  'rule',
  'server',
  'service',
  'source',
  'span',
  'threat',
  'tls',
  'trace',
  'transaction',
  'url',
  'user',
  'user_agent',
  'vulnerability',
]);

/** Agent, shipper and ingest metadata: set by Elastic's agent or pipeline run, not by parsing the record. */
const metadataPrefixes = [
  'ecs',
  'agent',
  'data_stream',
  'event.ingested',
  'event.created',
  'event.agent_id_status',
  'event.dataset',
  'event.module',
  'log.offset',
  'log.file',
];

/** ECS fields of numeric type (long, float): here "80" and 80 are the same value. */
const numericPaths = new Set([
  'event.severity',
  'event.duration',
  'event.sequence',
  'event.risk_score',
  'event.risk_score_norm',
  'log.syslog.priority',
  'log.syslog.facility.code',
  'log.syslog.severity.code',
  'log.origin.file.line',
  'process.thread.id',
  'process.parent.thread.id',
  'file.size',
]);
/**
 * Fields compared case-insensitively: ECS 1.x told pipelines to lowercase the HTTP method (older
 * expected documents say "get"), later ECS keeps the original case ("GET"). Both are ECS.
 */
const caseInsensitivePaths = new Set(['http.request.method']);

const numericSuffixes = ['.port', '.pid', '.ppid', '.bytes', '.packets', '.status_code', '.args_count', '.exit_code'];

export function isNumericField(path: string): boolean {
  if (numericPaths.has(path)) return true;
  for (const suffix of numericSuffixes) if (path.endsWith(suffix)) return true;
  return false;
}

export interface SampleConfig {
  /** Values injected into every event before parsing, by dotted path. */
  readonly fields: ReadonlyMap<string, JsonValue>;
  /** Dotted paths whose values vary between runs: not scored. */
  readonly dynamicFields: readonly string[];
  /** Start-of-event pattern for multi-line inputs. */
  readonly firstLinePattern?: RegExp;
  /** Fields whose values may be numbers or numeric strings (elastic-package's numeric_keyword_fields, string_number_fields). */
  readonly looseNumberFields?: readonly string[];
  /** The config's `skip.reason`: upstream skips this test, so its expected output is not trusted. */
  readonly skip?: string;
}

export interface Sample {
  readonly dataStream: string; // package/data_stream
  readonly input: string; // file name
  readonly inputPath: string;
  readonly config: SampleConfig;
  readonly records: RawRecord[];
  readonly expected: (JsonObject | null)[];
}

/** A fixed receive time when the sample's config does not inject an `@timestamp`. */
export const defaultReceivedAt = Date.parse('2020-04-28T11:07:58.223Z');

/** List `package/data_stream` folders under the formats directory. */
export function listDataStreams(formatsDir: string): string[] {
  const result: string[] = [];
  for (const pkg of readdirSync(formatsDir).sort()) {
    const pkgDir = join(formatsDir, pkg);
    if (!statSync(pkgDir).isDirectory()) continue;
    for (const dataStream of readdirSync(pkgDir).sort()) {
      if (statSync(join(pkgDir, dataStream)).isDirectory()) result.push(`${pkg}/${dataStream}`);
    }
  }
  return result;
}

/** Load every sample pair of one data stream. Throws on a malformed sample (a harness error, not a score). */
export function loadSamples(formatsDir: string, dataStream: string): Sample[] {
  const dir = join(formatsDir, dataStream);
  const commonConfig = readConfig(join(dir, 'test-common-config'));
  const samples: Sample[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('-expected.json')) continue;
    const input = name.slice(0, -'-expected.json'.length);
    const inputPath = join(dir, input);
    const config = mergeConfigs(commonConfig, readConfig(join(dir, `${input}-config`)));
    const expected = (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { expected: (JsonObject | null)[] })
      .expected;
    let records = input.endsWith('.json')
      ? jsonRecords(inputPath, config)
      : textRecords(inputPath, readFileSync(inputPath, 'utf8'), config);
    // Some upstream inputs hold a blank line that Elastic's runner sent as an event of its own
    // (its expected document then carries little more than the injected fields): count it too.
    if (records.length < expected.length && !input.endsWith('.json')) {
      const withBlank = textRecords(inputPath, readFileSync(inputPath, 'utf8'), config, true);
      if (withBlank.length === expected.length) records = withBlank;
    }
    if (records.length !== expected.length) {
      throw new Error(`${inputPath}: ${records.length} input events but ${expected.length} expected documents`);
    }
    samples.push({ dataStream, input, inputPath, config, records, expected });
  }
  return samples;
}

interface RawConfig {
  fields?: JsonObject;
  dynamic_fields?: Record<string, string>;
  multiline?: { first_line_pattern?: string };
  numeric_keyword_fields?: string[];
  string_number_fields?: string[];
  skip?: { reason?: string; link?: string };
}

/** A test config, `<base>.yml` (or `.yaml`, or `.json` as older elastic-package versions wrote them). */
function readConfig(base: string): RawConfig {
  for (const extension of ['.yml', '.yaml', '.json']) {
    const path = base + extension;
    if (existsSync(path)) return (parseYaml(readFileSync(path, 'utf8')) as RawConfig | null) ?? {};
  }
  return {};
}

function mergeConfigs(common: RawConfig, own: RawConfig): SampleConfig {
  const fields = new Map<string, JsonValue>();
  for (const source of [common.fields, own.fields]) if (source) flattenConfigFields(source, '', fields);
  const dynamicFields = [...Object.keys(common.dynamic_fields ?? {}), ...Object.keys(own.dynamic_fields ?? {})];
  const pattern = own.multiline?.first_line_pattern ?? common.multiline?.first_line_pattern;
  const looseNumberFields = [common, own].flatMap((config) => [
    ...(config.numeric_keyword_fields ?? []),
    ...(config.string_number_fields ?? []),
  ]);
  const skip = own.skip ?? common.skip;
  return {
    fields,
    dynamicFields,
    firstLinePattern: pattern ? new RegExp(pattern) : undefined,
    looseNumberFields,
    ...(skip ? { skip: skip.reason ?? 'skipped upstream' } : {}),
  };
}

function flattenConfigFields(value: JsonObject, prefix: string, into: Map<string, JsonValue>): void {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (child !== null && typeof child === 'object' && !Array.isArray(child)) flattenConfigFields(child, path, into);
    else into.set(path, child);
  }
}

/**
 * A config time zone ("GMT+2", "GMT-0200", "+0000", "UTC", "Europe/Berlin") as RawRecord.timezone
 * wants it: a fixed offset "+02:00" or an IANA name. "GMT+2" is read as UTC+2, as Elastic's
 * (Java) date processor reads it, not with the inverted POSIX sign.
 */
export function normaliseTimezone(zone: string): string {
  const match = /^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$/.exec(zone.trim());
  if (!match) return zone === 'GMT' ? 'UTC' : zone;
  return `${match[1]}${match[2]!.padStart(2, '0')}:${match[3] ?? '00'}`;
}

/**
 * Receive time and time zone of a sample's records. The zone comes from `event.timezone` or
 * Elastic's integration variable `_conf.tz_offset` ("local" means the machine's zone: not passed).
 */
function recordBase(config: SampleConfig, document?: JsonObject): { receivedAt: number; timezone?: string } {
  const injectedTime = config.fields.get('@timestamp');
  const receivedAt = typeof injectedTime === 'string' ? Date.parse(injectedTime) : defaultReceivedAt;
  const documentEvent = document?.event;
  const documentZone =
    documentEvent && typeof documentEvent === 'object' && !Array.isArray(documentEvent)
      ? documentEvent.timezone
      : undefined;
  const zone = config.fields.get('event.timezone') ?? config.fields.get('_conf.tz_offset') ?? documentZone;
  return typeof zone === 'string' && zone !== '' && zone !== 'local'
    ? { receivedAt, timezone: normaliseTimezone(zone) }
    : { receivedAt };
}

/** Top-level keys a shipper (Filebeat, Elastic Agent) adds around a raw line in `message`. */
const shipperKeys = new Set([
  '@timestamp',
  'message',
  'ecs',
  'agent',
  'host',
  'input',
  'log',
  'tags',
  'event',
  'fields',
  'data_stream',
  'cloud',
  'elastic_agent',
  'container',
  'kubernetes',
  'labels',
  '_conf',
]);

/**
 * A JSON input event that only wraps a raw line (`{"message": "<line>", "@timestamp": …}`) is
 * that line, as Vigil receives it from a shipper: the record is its text. Anything with content
 * namespaces (winlog, json, …), or whose syslog header the shipper already parsed into
 * `log.syslog`, is a document.
 */
export function shippedLine(document: JsonObject): string | undefined {
  const message = document.message;
  if (typeof message !== 'string') return undefined;
  for (const key of Object.keys(document)) if (!shipperKeys.has(key)) return undefined;
  // The shipper already split a syslog header off (log.syslog.appname, hostname, …): the message
  // is only the body, and the document is what a parser receives.
  const log = document.log;
  if (log !== null && typeof log === 'object' && !Array.isArray(log) && 'syslog' in log) return undefined;
  return message.replace(/\r?\n$/, '');
}

/** Split a .log file into events: one a line, or multi-line events when the config sets a first-line pattern. */
export function splitEvents(
  text: string,
  firstLinePattern?: RegExp,
  keepBlankLines = false,
): { text: string; line: number }[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const events: { text: string; line: number }[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const last = events[events.length - 1];
    if (firstLinePattern && last && !firstLinePattern.test(line)) {
      last.text += `\n${line}`;
      continue;
    }
    if (!firstLinePattern && !keepBlankLines && line.trim() === '') continue;
    events.push({ text: line, line: index + 1 });
  }
  return events;
}

function textRecords(path: string, text: string, config: SampleConfig, keepBlankLines = false): RawRecord[] {
  const base = recordBase(config);
  return splitEvents(text, config.firstLinePattern, keepBlankLines).map((event) => ({
    text: event.text,
    source: { kind: 'file', name: path, path, line: event.line },
    unit: 'default',
    ...base,
  }));
}

function jsonRecords(path: string, config: SampleConfig): RawRecord[] {
  const events = (JSON.parse(readFileSync(path, 'utf8')) as { events: JsonObject[] }).events;
  return events.map((event, index) => {
    const document = structuredClone(event);
    for (const [field, value] of config.fields) setPath(document, field, value);
    const base = recordBase(config, document);
    const line = shippedLine(document);
    if (line !== undefined) {
      return { text: line, source: { kind: 'file', name: path, path, line: index + 1 }, unit: 'default', ...base };
    }
    return {
      text: JSON.stringify(document),
      json: document,
      source: { kind: 'file', name: path, path, line: index + 1 },
      unit: 'default',
      ...base,
    };
  });
}

function setPath(document: JsonObject, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let node: JsonObject = document;
  for (let index = 0; index < parts.length - 1; index++) {
    const part = parts[index]!;
    const child = node[part];
    if (child === null || typeof child !== 'object' || Array.isArray(child)) node[part] = {};
    node = node[part] as JsonObject;
  }
  node[parts[parts.length - 1]!] = value;
}

/** Flatten a document to dotted leaf paths; array elements (and objects inside arrays) add values to one path. */
export function flattenLeaves(document: JsonValue | undefined, prefix = '', into = new Map<string, JsonValue[]>()) {
  if (document === null || document === undefined) return into;
  if (Array.isArray(document)) {
    for (const item of document) flattenLeaves(item, prefix, into);
  } else if (typeof document === 'object') {
    for (const [key, value] of Object.entries(document)) flattenLeaves(value, prefix ? `${prefix}.${key}` : key, into);
  } else {
    const values = into.get(prefix);
    if (values) values.push(document);
    else into.set(prefix, [document]);
  }
  return into;
}

/** Why a path is not scored, or undefined when it is. */
export function exclusionOf(path: string, config?: SampleConfig): string | undefined {
  const top = path.slice(0, path.includes('.') ? path.indexOf('.') : path.length);
  if (!ecsTopLevel.has(top)) return 'vendor';
  for (const prefix of metadataPrefixes) if (path === prefix || path.startsWith(`${prefix}.`)) return 'metadata';
  const segments = path.split('.');
  for (let index = 1; index < segments.length; index++) {
    if (segments[index] === 'geo' || segments[index] === 'as') return 'geo';
  }
  if (config) {
    for (const field of config.dynamicFields) if (path === field || path.startsWith(`${field}.`)) return 'dynamic';
  }
  return undefined;
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An instant in epoch ms for an ISO 8601 date-time (no offset = UTC), else undefined. */
export function instantOf(value: string): number | undefined {
  if (!isoDateTime.test(value)) return undefined;
  let text = value.replace(' ', 'T').replace(',', '.');
  if (!/(?:Z|[+-]\d{2}(?::?\d{2})?)$/.test(text.slice(10))) text += 'Z';
  // V8 parses fractions beyond milliseconds by truncation, which is the comparison we want.
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The comparison key of one value of a field: equal keys mean equal values. */
export function valueKey(path: string, value: JsonValue, looseNumbers = false): string {
  if (typeof value === 'number') return `n:${value}`;
  if (typeof value === 'boolean') return `b:${value}`;
  if (typeof value === 'string') {
    if ((looseNumbers || isNumericField(path)) && value.trim() !== '' && Number.isFinite(Number(value))) {
      return `n:${Number(value)}`;
    }
    const instant = instantOf(value);
    if (instant !== undefined) return `t:${instant}`;
    return caseInsensitivePaths.has(path) ? `s:${value.toLowerCase()}` : `s:${value}`;
  }
  return `j:${JSON.stringify(value)}`;
}

function sameValues(
  path: string,
  expected: readonly JsonValue[],
  actual: readonly JsonValue[],
  loose: boolean,
): boolean {
  if (expected.length !== actual.length) return false;
  if (expected.length === 1) return valueKey(path, expected[0]!, loose) === valueKey(path, actual[0]!, loose);
  const left = expected.map((value) => valueKey(path, value, loose)).sort();
  const right = actual.map((value) => valueKey(path, value, loose)).sort();
  return left.every((key, index) => key === right[index]);
}

export interface LeafOutcome {
  readonly path: string;
  readonly outcome: 'matched' | 'missing' | 'wrong';
  readonly expected: readonly JsonValue[];
  readonly actual?: readonly JsonValue[];
}

/**
 * Compare one expected document with our event. Leaves injected by the sample config and left
 * unchanged by Elastic's pipeline are inputs, not results: they are not scored.
 */
export function compareDocument(
  expected: JsonObject,
  actual: EcsEvent | undefined,
  config?: SampleConfig,
): LeafOutcome[] {
  const expectedLeaves = flattenLeaves(expected);
  const actualLeaves = actual ? flattenLeaves(actual as unknown as JsonObject) : new Map<string, JsonValue[]>();
  const outcomes: LeafOutcome[] = [];
  for (const [path, rawValues] of expectedLeaves) {
    if (exclusionOf(path, config)) continue;
    let values = rawValues;
    // Elastic's test switch for event.original: never a parser's output, even where the sample's config is missing.
    const injected = path === 'tags' ? withTestTags(config?.fields.get(path)) : config?.fields.get(path);
    if (injected !== undefined) {
      if (Array.isArray(injected)) {
        values = values.filter((value) => !injected.includes(value));
        if (values.length === 0) continue;
      } else if (values.length === 1 && valueKey(path, values[0]!) === valueKey(path, injected)) continue;
    }
    let ours = actualLeaves.get(path);
    if (ours && Array.isArray(injected)) ours = ours.filter((value) => !injected.includes(value));
    if (!ours || ours.length === 0) outcomes.push({ path, outcome: 'missing', expected: values });
    else if (sameValues(path, values, ours, config?.looseNumberFields?.includes(path) ?? false))
      outcomes.push({ path, outcome: 'matched', expected: values });
    else outcomes.push({ path, outcome: 'wrong', expected: values, actual: ours });
  }
  return outcomes;
}

function withTestTags(injected: JsonValue | undefined): JsonValue[] {
  return Array.isArray(injected) ? [...injected, 'preserve_original_event'] : ['preserve_original_event'];
}

export interface WrongField {
  count: number;
  /** First mismatch seen: the sample location, expected and our values. */
  example: { where: string; expected: readonly JsonValue[]; actual: readonly JsonValue[] };
}

export interface DataStreamScore {
  readonly dataStream: string;
  /** Our format claiming it, or undefined when not covered. */
  readonly format?: string;
  readonly optional: boolean;
  readonly parserRegistered: boolean;
  records: number;
  /** Records with an expected document (null = dropped upstream, not scored). */
  scoredRecords: number;
  failures: number;
  readonly failureReasons: Map<string, number>;
  /** Records auto-detection gave to another format (or none): detected format → count. */
  readonly misdetections: Map<string, number>;
  readonly misdetectionExamples: string[];
  /** Records detected as an interchangeable format (see interchangeableFormats): format → count. */
  readonly ambiguousDetections: Map<string, number>;
  /**
   * Records our format's own parser rejects even when named explicitly (text of another kind in an
   * upstream sample, e.g. Cisco IOS lines in an ASA file): not held to auto-detection, still scored.
   */
  foreignRecords: number;
  readonly foreignExamples: string[];
  /** Why the samples could not be loaded (a malformed pair); the data stream is then scored 0. */
  loadError?: string;
  /** Samples whose config says upstream skips them ("input: reason"): not scored. */
  readonly skippedSamples: string[];
  expectedLeaves: number;
  matched: number;
  missing: number;
  wrong: number;
  readonly missingFields: Map<string, number>;
  readonly wrongFields: Map<string, WrongField>;
  /** matched / expectedLeaves (1 when nothing is expected). */
  score: number;
}

/** Score one data stream with `--format auto` semantics (per-file sticky detection, as `vigil parse` does). */
export function scoreDataStream(
  dataStream: string,
  samples: readonly Sample[],
  createRegistry: () => ParserRegistry,
): DataStreamScore {
  const coverage = coverageOf(dataStream);
  const registry = createRegistry();
  const detector = createRegistry();
  const result: DataStreamScore = {
    dataStream,
    format: coverage?.format,
    optional: coverage?.optional ?? false,
    parserRegistered: coverage ? registry.get(coverage.format) !== undefined : false,
    records: 0,
    scoredRecords: 0,
    failures: 0,
    failureReasons: new Map(),
    misdetections: new Map(),
    misdetectionExamples: [],
    ambiguousDetections: new Map(),
    foreignRecords: 0,
    foreignExamples: [],
    skippedSamples: [],
    expectedLeaves: 0,
    matched: 0,
    missing: 0,
    wrong: 0,
    missingFields: new Map(),
    wrongFields: new Map(),
    score: 1,
  };
  for (const sample of samples) {
    if (sample.config.skip !== undefined) {
      result.skippedSamples.push(`${sample.input}: ${sample.config.skip}`);
      continue;
    }
    for (let index = 0; index < sample.records.length; index++) {
      const record = sample.records[index]!;
      const expected = sample.expected[index];
      result.records++;
      const where = `${sample.dataStream}/${sample.input}:${record.source.line}`;
      // Detection is checked per record, without the per-source stickiness, so every record counts
      // (a blank line is no format's record: no detection to check).
      const blank = record.text.trim() === '';
      const detected = blank
        ? coverage?.format
        : (detector.detect({ ...record, source: { ...record.source, name: where } })?.format ?? '(none)');
      // Auto-detection is owed only for records our parser accepts when the format is named.
      const foreign =
        !blank &&
        coverage !== undefined &&
        detected !== coverage.format &&
        registry.get(coverage.format) !== undefined &&
        isParseFailure(registry.parse(record, coverage.format));
      if (foreign) {
        result.foreignRecords++;
        if (result.foreignExamples.length < 3) result.foreignExamples.push(where);
      } else if (detected === undefined) {
        // An uncovered data stream's blank line: nothing to compare.
      } else if (coverage && detected !== coverage.format && interchangeable(detected, coverage.format)) {
        result.ambiguousDetections.set(detected, (result.ambiguousDetections.get(detected) ?? 0) + 1);
      } else if (coverage && detected !== coverage.format) {
        result.misdetections.set(detected, (result.misdetections.get(detected) ?? 0) + 1);
        if (result.misdetectionExamples.length < 5) result.misdetectionExamples.push(`${where} → ${detected}`);
      }
      if (!expected) continue;
      result.scoredRecords++;
      const parsed = registry.parse(record, 'auto');
      let event: EcsEvent | undefined;
      if (isParseFailure(parsed)) {
        result.failures++;
        const reason = `${parsed.format}: ${parsed.reason}`.slice(0, 160);
        result.failureReasons.set(reason, (result.failureReasons.get(reason) ?? 0) + 1);
      } else {
        event = Array.isArray(parsed) ? parsed[0] : parsed;
      }
      for (const leaf of compareDocument(expected, event, sample.config)) {
        result.expectedLeaves++;
        if (leaf.outcome === 'matched') result.matched++;
        else if (leaf.outcome === 'missing') {
          result.missing++;
          result.missingFields.set(leaf.path, (result.missingFields.get(leaf.path) ?? 0) + 1);
        } else {
          result.wrong++;
          const entry = result.wrongFields.get(leaf.path);
          if (entry) entry.count++;
          else {
            result.wrongFields.set(leaf.path, {
              count: 1,
              example: { where, expected: leaf.expected, actual: leaf.actual ?? [] },
            });
          }
        }
      }
    }
  }
  result.score = result.expectedLeaves === 0 ? 1 : result.matched / result.expectedLeaves;
  return result;
}

/** Score every data stream (or those whose `package/data_stream` starts with `filter`). */
/**
 * Score every data stream (or those whose `package/data_stream` starts with `filter`). A data stream
 * whose samples cannot be loaded is scored 0 with the reason in `loadError`; the others still run.
 */
export function scoreAll(formatsDir: string, createRegistry: () => ParserRegistry, filter?: string): DataStreamScore[] {
  return listDataStreams(formatsDir)
    .filter((dataStream) => !filter || dataStream === filter || dataStream.startsWith(filter))
    .map((dataStream) => {
      try {
        return scoreDataStream(dataStream, loadSamples(formatsDir, dataStream), createRegistry);
      } catch (error) {
        const score = scoreDataStream(dataStream, [], createRegistry);
        score.loadError = error instanceof Error ? error.message : String(error);
        score.score = 0;
        return score;
      }
    });
}

/** Entries of a count map, largest first. */
export function topEntries<T>(map: Map<string, T>, count: (value: T) => number, limit: number): [string, T][] {
  return [...map.entries()].sort((left, right) => count(right[1]) - count(left[1])).slice(0, limit);
}
