// ArcSight Common Event Format (CEF) → ECS: the pipe-delimited header (with `\|` and `\\`
// escapes) and the key=value extension, whose values may hold spaces and escaped `\=`, `\\`,
// `\n`, `\r`. Standard keys map to ECS; every key is also kept under cef.extensions.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { epochDigitsToMs, parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import {
  append,
  communityId,
  formatMac,
  ipOf,
  isUnsafeKey,
  newEvent,
  numberOf,
  portOf,
  put,
  transportNumber,
} from './network-fields.ts';
import { putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'cef';
/** How far into a record the `CEF:` marker may start (after a syslog header). */
const maxPrefixLength = 512;

/** Index of `CEF:<digit>|` at the start or after a space / `>` / `:`, or -1. */
export function findCefStart(text: string): number {
  // Only the head can hold the marker: never scan a huge line to its end.
  const head = text.length > maxPrefixLength + 16 ? text.slice(0, maxPrefixLength + 16) : text;
  let index = head.indexOf('CEF:');
  while (index !== -1 && index <= maxPrefixLength) {
    const before = index === 0 ? 32 : text.charCodeAt(index - 1);
    const digit = text.charCodeAt(index + 4);
    if ((before === 32 || before === 62 || before === 58 || before === 9) && digit >= 48 && digit <= 57) {
      const pipe = text.indexOf('|', index + 5);
      if (pipe !== -1 && pipe <= index + 8) return index;
    }
    index = head.indexOf('CEF:', index + 4);
  }
  return -1;
}

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffCef(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  return findCefStart(text) !== -1;
}

/** Split a header on unescaped '|' into at most `count` fields plus the rest; unescapes `\|` and `\\`. */
export function splitHeader(text: string, start: number, count: number): { fields: string[]; rest: number } {
  const fields: string[] = [];
  let value = '';
  let segmentStart = start;
  let position = start;
  while (position < text.length && fields.length < count) {
    const code = text.charCodeAt(position);
    if (code === 92 /* \ */) {
      const next = text.charCodeAt(position + 1);
      if (next === 124 || next === 92) {
        value += text.slice(segmentStart, position);
        segmentStart = position + 1;
        position += 2;
        continue;
      }
    } else if (code === 124 /* | */) {
      fields.push(value + text.slice(segmentStart, position));
      value = '';
      segmentStart = position + 1;
    }
    position++;
  }
  return { fields, rest: fields.length < count ? -1 : segmentStart };
}

function isKeyCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 46 ||
    code === 45 ||
    code === 91 ||
    code === 93
  );
}

/**
 * Parse a CEF extension into key → value (null-prototype object). A key is a run of key
 * characters before an unescaped '=' at the start or after a space; a value runs to the space
 * before the next key, so values may contain spaces and stray '='. Linear time.
 */
export function parseExtension(text: string, start: number): Record<string, string> {
  const result: Record<string, string> = Object.create(null);
  let currentKey: string | undefined;
  let valueStart = 0;
  let position = start;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (code === 92 /* \ */) {
      position += 2;
      continue;
    }
    if (code === 61 /* = */) {
      let keyStart = position;
      while (keyStart > start && isKeyCode(text.charCodeAt(keyStart - 1))) keyStart--;
      const atBoundary = keyStart === start || text.charCodeAt(keyStart - 1) === 32;
      if (keyStart < position && atBoundary && (currentKey === undefined || keyStart > valueStart)) {
        if (currentKey !== undefined) storeValue(result, currentKey, text, valueStart, keyStart - 1);
        currentKey = text.slice(keyStart, position);
        valueStart = position + 1;
      }
    }
    position++;
  }
  if (currentKey !== undefined) storeValue(result, currentKey, text, valueStart, text.length);
  return result;
}

function storeValue(result: Record<string, string>, key: string, text: string, start: number, end: number): void {
  if (isUnsafeKey(key)) return;
  let stop = end;
  while (stop > start && (text.charCodeAt(stop - 1) === 32 || text.charCodeAt(stop - 1) === 13)) stop--;
  result[key] = unescapeValue(text.slice(start, stop));
}

function unescapeValue(value: string): string {
  if (value.indexOf('\\') === -1) return value;
  let result = '';
  for (let index = 0; index < value.length; index++) {
    const character = value[index]!;
    if (character !== '\\' || index + 1 >= value.length) {
      result += character;
      continue;
    }
    const next = value[++index]!;
    result += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next;
  }
  return result;
}

/** Full extension names (CEF spec) → the short keys we map. */
const fullNames: Record<string, string> = {
  sourceAddress: 'src',
  destinationAddress: 'dst',
  sourcePort: 'spt',
  destinationPort: 'dpt',
  sourceUserName: 'suser',
  destinationUserName: 'duser',
  sourceHostName: 'shost',
  destinationHostName: 'dhost',
  deviceAction: 'act',
  applicationProtocol: 'app',
  transportProtocol: 'proto',
  requestUrl: 'request',
  fileName: 'fname',
  eventOutcome: 'outcome',
  deviceReceiptTime: 'rt',
  startTime: 'start',
  endTime: 'end',
  message: 'msg',
  sourceMacAddress: 'smac',
  destinationMacAddress: 'dmac',
  deviceAddress: 'dvc',
  deviceHostName: 'dvchost',
  bytesIn: 'in',
  bytesOut: 'out',
  sourceUserId: 'suid',
  destinationUserId: 'duid',
  sourceNtDomain: 'sntdom',
  destinationNtDomain: 'dntdom',
  sourceTranslatedAddress: 'sourceTranslatedAddress',
  deviceDirection: 'deviceDirection',
  fileSize: 'fsize',
  deviceProcessName: 'dproc',
  sourceProcessName: 'sproc',
  destinationProcessName: 'dproc',
  deviceEventCategory: 'cat',
  deviceTimeZone: 'dtz',
  deviceExternalId: 'deviceExternalId',
};

const severityNames: Record<string, number> = { unknown: 0, low: 3, medium: 5, high: 8, 'very-high': 10 };

function outcomeOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'success' || lower === 'succeeded' || lower === 'allowed' || lower === '/success') return 'success';
  if (lower === 'failure' || lower === 'failed' || lower === 'fail' || lower === '/failure' || lower === 'denied')
    return 'failure';
  return 'unknown';
}

/** CEF times: epoch ms, "MMM dd yyyy HH:mm:ss[.SSS] [zone]", "MMM dd HH:mm:ss", ISO 8601. */
function cefTime(value: string | undefined, zone: string | undefined, receivedAt: number): number | undefined {
  if (value === undefined || value === '' || value.length > 64) return undefined;
  if (/^\d{9,19}$/.test(value)) return epochDigitsToMs(value);
  const direct = parseTimestamp(value, { timezone: zone, referenceMs: receivedAt });
  if (direct !== undefined) return direct;
  // A trailing zone ("UTC", "+0100", "CET") after a BSD-style date.
  const space = value.lastIndexOf(' ');
  if (space > 0) {
    const suffix = value.slice(space + 1);
    const head = value.slice(0, space);
    if (/^[+-]\d{2}:?\d{2}$/.test(suffix) || /^(?:UTC|GMT|Z)$/i.test(suffix))
      return parseTimestamp(head, { timezone: suffix.toUpperCase() === 'Z' ? 'UTC' : suffix, referenceMs: receivedAt });
    return parseTimestamp(head, { timezone: zone, referenceMs: receivedAt });
  }
  return undefined;
}

function hashPath(hash: string): string | undefined {
  if (!/^[0-9a-fA-F]+$/.test(hash)) return undefined;
  switch (hash.length) {
    case 32:
      return 'file.hash.md5';
    case 40:
      return 'file.hash.sha1';
    case 64:
      return 'file.hash.sha256';
    case 128:
      return 'file.hash.sha512';
    default:
      return undefined;
  }
}

function parseCef(record: RawRecord): EcsEvent | ParseFailure {
  const text = record.text;
  const start = findCefStart(text);
  if (start === -1) return parseFailure(record, format, 'no CEF:<version>| header');
  const { fields, rest } = splitHeader(text, start + 4, 7);
  if (rest === -1)
    return parseFailure(record, format, `truncated CEF header: ${fields.length} of 7 '|'-separated fields`);
  const [version, vendor, product, deviceVersion, signatureId, name, severityText] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (text.length - rest > 0 && /(?:^|[^\\])(?:\\\\)*\\$/.test(text.slice(-64)))
    return parseFailure(record, format, 'truncated CEF extension: the record ends inside an escape');
  const raw = parseExtension(text, rest);
  const extensions: Record<string, string> = Object.create(null);
  for (const key in raw) extensions[fullNames[key] ?? key] = raw[key]!;

  const { header } = start > 0 ? syslogBody(record) : { header: undefined };
  const zone = extensions.dtz ?? record.timezone;
  const time = cefTime(extensions.rt, zone, record.receivedAt) ?? header?.timestamp;
  const event = newEvent(record, time);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  put(doc, 'event.code', signatureId);
  put(doc, 'message', extensions.msg ?? name);
  put(doc, 'rule.name', name);
  const numericSeverity = /^\d{1,2}$/.test(severityText.trim())
    ? Number(severityText.trim())
    : severityNames[severityText.trim().toLowerCase()];
  put(doc, 'event.severity', numericSeverity);
  put(doc, 'observer.vendor', vendor);
  put(doc, 'observer.product', product);
  put(doc, 'observer.version', deviceVersion);
  putSyslogPriority(doc, header);
  if (header?.hostname) put(doc, 'observer.hostname', header.hostname);

  const sourceIp = ipOf(extensions.src);
  const destinationIp = ipOf(extensions.dst);
  const sourcePort = portOf(extensions.spt);
  const destinationPort = portOf(extensions.dpt);
  put(doc, 'source.ip', sourceIp);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.port', destinationPort);
  put(doc, 'source.mac', formatMac(extensions.smac));
  put(doc, 'destination.mac', formatMac(extensions.dmac));
  put(doc, 'source.domain', extensions.shost);
  put(doc, 'destination.domain', extensions.dhost);
  put(doc, 'source.nat.ip', ipOf(extensions.sourceTranslatedAddress));
  put(doc, 'source.bytes', numberOf(extensions.in));
  put(doc, 'destination.bytes', numberOf(extensions.out));
  for (const ip of [sourceIp, destinationIp]) if (ip) append(doc, 'related.ip', ip);
  for (const host of [extensions.shost, extensions.dhost]) if (host) append(doc, 'related.hosts', host);
  putUser(doc, 'source.user', extensions.suser, extensions.suid, extensions.sntdom);
  putUser(doc, 'destination.user', extensions.duser, extensions.duid, extensions.dntdom);
  put(doc, 'observer.ip', ipOf(extensions.dvc));
  put(doc, 'observer.hostname', extensions.dvchost);
  put(doc, 'observer.serial_number', extensions.deviceExternalId);

  const transport = extensions.proto?.toLowerCase();
  put(doc, 'network.transport', transport);
  put(doc, 'network.protocol', extensions.app?.toLowerCase());
  put(
    doc,
    'network.community_id',
    communityId(transportNumber(transport), sourceIp, destinationIp, sourcePort, destinationPort),
  );
  const direction = extensions.deviceDirection;
  put(doc, 'network.direction', direction === '0' ? 'inbound' : direction === '1' ? 'outbound' : undefined);

  put(doc, 'event.action', extensions.act);
  put(doc, 'event.outcome', outcomeOf(extensions.outcome));
  put(doc, 'event.reason', extensions.reason);
  put(doc, 'event.id', extensions.externalId);
  const eventStart = cefTime(extensions.start, zone, record.receivedAt);
  const eventEnd = cefTime(extensions.end, zone, record.receivedAt);
  if (eventStart !== undefined) put(doc, 'event.start', toIsoUtc(eventStart));
  if (eventEnd !== undefined) put(doc, 'event.end', toIsoUtc(eventEnd));
  if (eventStart !== undefined && eventEnd !== undefined && eventEnd >= eventStart)
    put(doc, 'event.duration', (eventEnd - eventStart) * 1e6);

  if (extensions.request) putUrl(doc, extensions.request);
  put(doc, 'http.request.method', extensions.requestMethod);
  put(doc, 'user_agent.original', extensions.requestClientApplication);
  put(doc, 'file.name', extensions.fname);
  put(doc, 'file.path', extensions.filePath);
  put(doc, 'file.size', numberOf(extensions.fsize));
  const hash = extensions.fileHash;
  const path = hash ? hashPath(hash) : undefined;
  if (hash && path) {
    put(doc, path, hash.toLowerCase());
    append(doc, 'related.hash', hash.toLowerCase());
  }
  put(doc, 'process.name', extensions.sproc ?? extensions.dproc);
  put(doc, 'process.pid', numberOf(extensions.spid ?? extensions.dpid));

  // Custom fields: csN / cnN / cfpN / flexStringN named by their label.
  const labels: Record<string, string> = {};
  for (const [prefix, count] of customFields) {
    for (let index = 1; index <= count; index++) {
      const value = extensions[`${prefix}${index}`];
      if (value === undefined) continue;
      const label = extensions[`${prefix}${index}Label`];
      const key = label ? label.replace(/[^\w.-]+/g, '_').slice(0, 64) : `${prefix}${index}`;
      if (!isUnsafeKey(key)) labels[key] = value;
    }
  }
  if (Object.keys(labels).length > 0) event.labels = labels;

  const extensionCopy: JsonObject = {};
  for (const key in extensions) extensionCopy[key] = extensions[key]!;
  event.cef = {
    version,
    name,
    severity: severityText,
    device: { vendor, product, version: deviceVersion, event_class_id: signatureId },
    extensions: extensionCopy,
  };
  return event;
}

const customFields: [string, number][] = [
  ['cs', 6],
  ['cn', 3],
  ['cfp', 4],
  ['flexString', 2],
  ['flexNumber', 2],
  ['flexDate', 1],
  ['c6a', 4],
];

function putUser(
  doc: JsonObject,
  path: string,
  name: string | undefined,
  id: string | undefined,
  domain: string | undefined,
): void {
  put(doc, `${path}.name`, name);
  put(doc, `${path}.id`, id);
  put(doc, `${path}.domain`, domain);
  if (name) append(doc, 'related.user', name);
}

export const cefParser: Parser = {
  format,
  description: 'ArcSight Common Event Format (CEF), with or without a syslog header',
  sniff: sniffCef,
  parse: parseCef,
};
