// Helpers shared by the network and firewall parsers: event skeletons, safe copying of vendor
// objects, IP/MAC/protocol normalisation and the Community ID flow hash that ECS uses for
// `network.community_id` (https://github.com/corelight/community-id-spec, v1).
import { hash } from 'node:crypto';
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { toIsoUtc } from '../time/time-zone.ts';

/** Deepest vendor object level we copy: deeper input is cut, never walked recursively without bound. */
const maxCopyDepth = 24;

/** A new event with `unit`, `@timestamp` (event time, else receive time) and `event.original`. */
export function newEvent(record: RawRecord, timeMs: number | undefined, event: JsonObject = {}): EcsEvent {
  const iso = (timeMs !== undefined ? toIsoUtc(timeMs) : undefined) ?? toIsoUtc(record.receivedAt) ?? epochIso;
  event.original = record.text;
  return { '@timestamp': iso, unit: record.unit, event };
}

const epochIso = '1970-01-01T00:00:00.000Z';

/** Child object at `key`, created when missing. Keys are our own constants, never input. */
export function child(parent: JsonObject, key: string): JsonObject {
  const existing = parent[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) return existing;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

/** Split constant paths once: `put` runs for every field of every event. */
const pathCache = new Map<string, readonly string[]>();
const maxCachedPaths = 4096;

function segmentsOf(path: string): readonly string[] {
  let segments = pathCache.get(path);
  if (segments === undefined) {
    segments = path.split('.');
    if (pathCache.size >= maxCachedPaths) pathCache.clear();
    pathCache.set(path, segments);
  }
  return segments;
}

/** Set a dotted path (our own constant paths) when the value is defined and not empty. */
export function put(target: JsonObject, path: string, value: JsonValue | undefined): void {
  if (value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))) return;
  const segments = segmentsOf(path);
  let node = target;
  const last = segments.length - 1;
  for (let index = 0; index < last; index++) node = child(node, segments[index]!);
  node[segments[last]!] = value;
}

/** Append to an array field without duplicates (related.ip, related.user, event.type …). */
export function append(target: JsonObject, path: string, value: string | undefined): void {
  if (value === undefined || value === '') return;
  const dot = path.lastIndexOf('.');
  const node = dot === -1 ? target : parentOf(target, path.slice(0, dot));
  const key = dot === -1 ? path : path.slice(dot + 1);
  const existing = node[key];
  if (Array.isArray(existing)) {
    if (!existing.includes(value)) existing.push(value);
  } else node[key] = [value];
}

function parentOf(target: JsonObject, path: string): JsonObject {
  let node = target;
  for (const part of segmentsOf(path)) node = child(node, part);
  return node;
}

/**
 * Copy a decoded JSON value into a fresh plain structure, dropping `__proto__`/`constructor`/
 * `prototype` keys (they would alter prototypes when assigned) and cutting below `maxCopyDepth`.
 */
export function safeCopy(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value as JsonValue;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'object' || depth >= maxCopyDepth) return undefined;
  if (Array.isArray(value)) {
    const result: JsonValue[] = [];
    for (const item of value) {
      const copied = safeCopy(item, depth + 1);
      if (copied !== undefined) result.push(copied);
    }
    return result;
  }
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (isUnsafeKey(key)) continue;
    const copied = safeCopy((value as Record<string, unknown>)[key], depth + 1);
    if (copied !== undefined) result[key] = copied;
  }
  return result;
}

export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** A string field of a decoded object, or undefined. */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A finite number from a number or a decimal string, or undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 24) return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A port number (0–65535) or undefined. */
export function portOf(value: unknown): number | undefined {
  const port = numberOf(value);
  return port !== undefined && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined;
}

/** The text when it is an IPv4/IPv6 address (zone id allowed), else undefined. */
export function ipOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return undefined;
  return isIP(value) !== 0 ? value : isIP(value.split('%')[0] ?? '') !== 0 ? value : undefined;
}

/** MAC address in ECS form: upper-case hex pairs joined by '-'. */
export function formatMac(value: string | undefined): string | undefined {
  if (value === undefined || value.length > 24) return undefined;
  let result = '';
  let digits = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const isHex = (code >= 48 && code <= 57) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
    if (!isHex) continue;
    if (digits > 0 && digits % 2 === 0) result += '-';
    result += value[index]!;
    digits++;
  }
  return digits === 12 ? result.toUpperCase() : undefined;
}

const transportByNumber: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  132: 'sctp',
};
const numberByTransport: Record<string, number> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  'ipv6-icmp': 58,
  ospf: 89,
  sctp: 132,
};

export function transportName(protocolNumber: number | undefined): string | undefined {
  return protocolNumber === undefined ? undefined : transportByNumber[protocolNumber];
}

export function transportNumber(name: string | undefined): number | undefined {
  return name === undefined ? undefined : numberByTransport[name.toLowerCase()];
}

/**
 * Community ID v1 (seed 0) of a flow, or undefined when the flow is incomplete. Endpoints are
 * ordered so both directions of a flow hash alike; ICMP type/code stand in for ports.
 */
export function communityId(
  protocol: number | undefined,
  sourceIp: string | undefined,
  destinationIp: string | undefined,
  sourcePort: number | undefined,
  destinationPort: number | undefined,
): string | undefined {
  if (protocol === undefined || sourceIp === undefined || destinationIp === undefined) return undefined;
  const source = ipBytes(sourceIp);
  const destination = ipBytes(destinationIp);
  if (!source || !destination || source.length !== destination.length) return undefined;
  const withPorts = protocol === 6 || protocol === 17 || protocol === 132 || protocol === 1 || protocol === 58;
  if (withPorts && (sourcePort === undefined || destinationPort === undefined)) return undefined;
  let sport = sourcePort ?? 0;
  let dport = destinationPort ?? 0;
  let oneWay = false;
  if (protocol === 1 || protocol === 58) [sport, dport, oneWay] = icmpPorts(protocol, sport, dport);
  let first = source;
  let second = destination;
  let firstPort = sport;
  let secondPort = dport;
  const order = compareBytes(source, destination);
  if (!oneWay && (order > 0 || (order === 0 && sport > dport))) {
    first = destination;
    second = source;
    firstPort = dport;
    secondPort = sport;
  }
  const buffer = Buffer.alloc(2 + first.length * 2 + 2 + (withPorts ? 4 : 0));
  let offset = 2; // seed 0
  buffer.set(first, offset);
  offset += first.length;
  buffer.set(second, offset);
  offset += second.length;
  buffer[offset] = protocol;
  offset += 2; // protocol and one byte of padding
  if (withPorts) {
    buffer.writeUInt16BE(firstPort, offset);
    buffer.writeUInt16BE(secondPort, offset + 2);
  }
  // The one-shot hash() makes no Hash object per event (cheaper, and nothing for the GC to finalise).
  return `1:${hash('sha1', buffer, 'base64')}`;
}

/** ICMP type → counterpart type, used so request and reply hash alike. */
const icmpCounterpart: Record<number, number> = {
  8: 0,
  0: 8,
  13: 14,
  14: 13,
  15: 16,
  16: 15,
  10: 9,
  9: 10,
  17: 18,
  18: 17,
};
const icmp6Counterpart: Record<number, number> = {
  128: 129,
  129: 128,
  133: 134,
  134: 133,
  135: 136,
  136: 135,
  130: 131,
  131: 130,
  144: 145,
  145: 144,
};

function icmpPorts(protocol: number, type: number, code: number): [number, number, boolean] {
  const table = protocol === 1 ? icmpCounterpart : icmp6Counterpart;
  const counterpart = table[type];
  return counterpart === undefined ? [type, code, true] : [type, counterpart, false];
}

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  for (let index = 0; index < left.length; index++) {
    if (left[index] !== right[index]) return left[index]! - right[index]!;
  }
  return 0;
}

function ipBytes(ip: string): Uint8Array | undefined {
  const version = isIP(ip);
  if (version === 4) {
    const bytes = new Uint8Array(4);
    let part = 0;
    let value = 0;
    for (let index = 0; index < ip.length; index++) {
      const code = ip.charCodeAt(index);
      if (code === 46 /* . */) {
        bytes[part++] = value;
        value = 0;
      } else value = value * 10 + (code - 48);
    }
    bytes[part] = value;
    return bytes;
  }
  if (version !== 6) return undefined;
  let text = ip;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    // Embedded IPv4 (::ffff:1.2.3.4): the last 32 bits.
    tail = text
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...new Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  if (groups.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((group, index) => {
    const value = Number.parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 255;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

/** Add source/destination IPs to related.ip in order. */
export function relateIps(event: EcsEvent, ...ips: (string | undefined)[]): void {
  for (const ip of ips) if (ip !== undefined) append(event as JsonObject, 'related.ip', ip);
}

/** Byte and packet counts of a flow's two sides; a side that is missing counts 0 in the sums. */
export interface TrafficCounts {
  readonly sourceBytes?: number;
  readonly destinationBytes?: number;
  readonly sourcePackets?: number;
  readonly destinationPackets?: number;
}

/** `source/destination.bytes/packets`, and `network.bytes/packets` as their sums when either side has one. */
export function putTrafficCounts(doc: JsonObject, counts: TrafficCounts): void {
  const { sourceBytes, destinationBytes, sourcePackets, destinationPackets } = counts;
  put(doc, 'source.bytes', sourceBytes);
  put(doc, 'destination.bytes', destinationBytes);
  put(doc, 'source.packets', sourcePackets);
  put(doc, 'destination.packets', destinationPackets);
  if (sourceBytes !== undefined || destinationBytes !== undefined)
    put(doc, 'network.bytes', (sourceBytes ?? 0) + (destinationBytes ?? 0));
  if (sourcePackets !== undefined || destinationPackets !== undefined)
    put(doc, 'network.packets', (sourcePackets ?? 0) + (destinationPackets ?? 0));
}
