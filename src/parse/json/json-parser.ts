// The 'json' catch-all parser, tried after every specific format: any JSON object becomes an event.
// ECS documents (from Elastic Agent, Vector, OTel …) are kept as they are, with dotted keys expanded;
// other objects keep their own keys and get `@timestamp` from the usual time fields.
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { epochDigitsToMs, parseTimestamp } from '../time/parse-timestamp.ts';

export const jsonFormat = 'json';

/** Time fields tried in order for objects without `@timestamp`. */
const timeFields = [
  'timestamp',
  'time',
  'ts',
  'eventTime',
  'date',
  'datetime',
  'Timestamp',
  'EventTime',
  'TimeCreated',
  'created_at',
  'createdAt',
  'published',
  '_time',
] as const;

const maxDepth = 64;

/** ECS field sets, whose value must be an object. */
const ecsObjectFields = new Set([
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
  'threat',
  'tls',
  'url',
  'user',
  'user_agent',
  'vulnerability',
]);

/** The field a scalar value of a field set means (`"user": "alice"` → `user.name`). */
const ecsMainField: Record<string, string> = {
  agent: 'name',
  error: 'message',
  file: 'path',
  group: 'name',
  host: 'name',
  observer: 'name',
  organization: 'name',
  process: 'name',
  rule: 'name',
  service: 'name',
  url: 'original',
  user: 'name',
  user_agent: 'original',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether objects/arrays nest deeper than `limit` levels (the walk itself stops at the limit). */
function nestsDeeperThan(value: JsonValue, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (limit === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeperThan(item, limit - 1)) return true;
    return false;
  }
  for (const key in value) if (nestsDeeperThan(value[key]!, limit - 1)) return true;
  return false;
}

/** A deep copy without `__proto__` keys (only used when the text contains one). */
function sanitise(value: JsonValue, depth: number): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (depth > maxDepth) return null;
  if (Array.isArray(value)) return value.map((item) => sanitise(item, depth + 1));
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (key !== '__proto__') result[key] = sanitise(value[key]!, depth + 1);
  }
  return result;
}

/** Epoch ms from a time field value: ISO/other text, or a number of seconds, ms, µs or ns. */
export function timeValueToMs(value: unknown, timezone: string | undefined): number | undefined {
  if (typeof value === 'string') return parseTimestamp(value, { timezone });
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    if (value < 1e11) return Math.round(value * 1000);
    if (value < 1e14) return Math.round(value);
    const integer = Math.trunc(value).toString();
    return epochDigitsToMs(integer);
  }
  return undefined;
}

/** Put `"a.b": v` at `a.b`, unless that would overwrite a non-object value. */
function expandDottedKey(target: JsonObject, key: string, value: JsonValue): boolean {
  const parts = key.split('.');
  if (parts.some((part) => part === '' || part === '__proto__')) return false;
  let node = target;
  for (let index = 0; index < parts.length - 1; index++) {
    const part = parts[index]!;
    const existing = node[part];
    if (existing === undefined) {
      const created: JsonObject = {};
      node[part] = created;
      node = created;
    } else if (isObject(existing)) {
      // Copy before writing: nested objects may belong to the record's decoded JSON.
      const copy: JsonObject = { ...existing };
      node[part] = copy;
      node = copy;
    } else {
      return false;
    }
  }
  const last = parts[parts.length - 1]!;
  if (node[last] !== undefined) return false;
  node[last] = value;
  return true;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isObject(value) && Object.values(value).every((item) => typeof item === 'string');
}

/** Build the event of one decoded object. */
export function jsonEvent(record: RawRecord, source: JsonObject): EcsEvent {
  const document: JsonObject = {};
  const displaced: JsonObject = {};
  let dotted: [string, JsonValue][] | undefined;
  for (const key of Object.keys(source)) {
    if (key === '__proto__') continue;
    const value = source[key]!;
    if (key.includes('.') && key !== '@timestamp') {
      dotted ??= [];
      dotted.push([key, value]);
      continue;
    }
    document[key] = value;
  }
  if (dotted !== undefined) {
    for (const [key, value] of dotted) if (!expandDottedKey(document, key, value)) document[key] = value;
  }
  // Fields whose ECS type the input contradicts move under `json.*` instead of breaking the event.
  if (document['event'] !== undefined && !isObject(document['event'])) displaced['event'] = document['event'];
  if (document['message'] !== undefined && typeof document['message'] !== 'string')
    displaced['message'] = document['message'];
  if (document['tags'] !== undefined && !isStringArray(document['tags'])) displaced['tags'] = document['tags'];
  if (document['labels'] !== undefined && !isStringMap(document['labels'])) displaced['labels'] = document['labels'];
  // The unit is the sender's binding, never a value the record can choose.
  if (document['unit'] !== undefined) displaced['unit'] = document['unit'];
  // ECS field sets are objects: a scalar there ({"host":"web-1"}) moves to json.* and, where its
  // meaning is plain, also fills the field set's main field (host.name).
  const promoted: [string, string, JsonValue][] = [];
  for (const key of Object.keys(document)) {
    if (!ecsObjectFields.has(key) || key === 'event') continue;
    const value = document[key]!;
    if (isObject(value)) continue;
    displaced[key] = value;
    const main = ecsMainField[key];
    if (main !== undefined && (typeof value === 'string' || typeof value === 'number') && value !== '')
      promoted.push([key, main, String(value)]);
  }
  for (const key of Object.keys(displaced)) delete document[key];
  for (const [key, field, value] of promoted) document[key] = { [field]: value };
  if (Object.keys(displaced).length > 0) {
    const json = isObject(document['json']) ? document['json'] : {};
    Object.assign(json, displaced);
    document['json'] = json;
  }

  let time = timeValueToMs(document['@timestamp'], record.timezone);
  if (time === undefined) {
    for (const field of timeFields) {
      if (document[field] === undefined) continue;
      time = timeValueToMs(document[field], record.timezone);
      if (time !== undefined) break;
    }
  }
  if (document['@timestamp'] !== undefined && time === undefined) {
    const json = isObject(document['json']) ? document['json'] : {};
    json['@timestamp'] = document['@timestamp']!;
    document['json'] = json;
  }
  const eventFields: JsonObject = isObject(document['event']) ? { ...document['event'] } : {};
  if (typeof eventFields['original'] !== 'string') eventFields['original'] = record.text;
  const event = document as EcsEvent;
  event['@timestamp'] = new Date(
    time !== undefined && Math.abs(time) <= 8.64e15 ? time : record.receivedAt,
  ).toISOString();
  event.unit = record.unit;
  event.event = eventFields;
  return event;
}

export function createJsonParser(): Parser {
  return {
    format: jsonFormat,
    description: 'Any JSON object: ECS documents kept as they are, other objects with @timestamp from their time field',
    sniff: (_text, json) => json !== undefined,
    parse(record) {
      let source: JsonObject | undefined = record.json ?? (decodeObject(record.text) as JsonObject | undefined);
      if (source === undefined) return parseFailure(record, jsonFormat, 'not a JSON object');
      // A document nested past the limit could not be stored or searched (serialising it overflows
      // the stack): it becomes a dead letter with the reason rather than a truncated event.
      if (nestsDeeperThan(source, maxDepth))
        return parseFailure(record, jsonFormat, `JSON nested deeper than ${maxDepth} levels`);
      if (record.text.includes('__proto__')) source = sanitise(source, 0) as JsonObject;
      return jsonEvent(record, source);
    },
  };
}
