// IBM QRadar Log Event Extended Format (LEEF) 1.0 and 2.0 → ECS. LEEF 1.0 separates attributes
// with tabs; 2.0 names its delimiter in the header (a character or hex such as `x09`/`^`).
// Predefined attribute names map to ECS; every attribute is kept under leef.attributes.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { epochDigitsToMs, parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { parseExtension } from './cef.ts';
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
  transportName,
  transportNumber,
} from './network-fields.ts';
import { putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'leef';
const maxPrefixLength = 512;

/** Index of `LEEF:1.0|` / `LEEF:2.0|` at the start or after a space / `>` / `:`, or -1. */
export function findLeefStart(text: string): number {
  // Only the head can hold the marker: never scan a huge line to its end.
  const head = text.length > maxPrefixLength + 16 ? text.slice(0, maxPrefixLength + 16) : text;
  let index = head.indexOf('LEEF:');
  while (index !== -1 && index <= maxPrefixLength) {
    const before = index === 0 ? 32 : text.charCodeAt(index - 1);
    if (
      (before === 32 || before === 62 || before === 58 || before === 9) &&
      (text.startsWith('1.0|', index + 5) || text.startsWith('2.0|', index + 5) || text.startsWith('1|', index + 5))
    )
      return index;
    index = head.indexOf('LEEF:', index + 5);
  }
  return -1;
}

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffLeef(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  return findLeefStart(text) !== -1;
}

/** The delimiter named in a LEEF 2.0 header: one character, or hex as `x09`, `0x09`, `\t`. */
function delimiterOf(field: string): string | undefined {
  if (field.length === 1) return field;
  const hex = /^(?:0?x|\\x)([0-9a-fA-F]{2,4})$/.exec(field);
  if (hex) return String.fromCharCode(Number.parseInt(hex[1]!, 16));
  if (field === '\\t') return '\t';
  return undefined;
}

/** Split attributes on a single-character delimiter: `key=value` parts; values may contain '='. */
function splitAttributes(text: string, start: number, delimiter: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null);
  let position = start;
  while (position <= text.length) {
    let end = text.indexOf(delimiter, position);
    if (end === -1) end = text.length;
    const equals = text.indexOf('=', position);
    if (equals !== -1 && equals < end) {
      const key = text.slice(position, equals).trim();
      if (key !== '' && !isUnsafeKey(key)) result[key] = text.slice(equals + 1, end);
    }
    position = end + 1;
  }
  return result;
}

/** Header fields split on '|' (LEEF has no header escapes); `rest` is where attributes start. */
function splitHeader(text: string, start: number, count: number): { fields: string[]; rest: number } {
  const fields: string[] = [];
  let position = start;
  while (fields.length < count) {
    const pipe = text.indexOf('|', position);
    if (pipe === -1) return { fields, rest: -1 };
    fields.push(text.slice(position, pipe));
    position = pipe + 1;
  }
  return { fields, rest: position };
}

function leefTime(value: string | undefined, record: RawRecord): number | undefined {
  if (value === undefined || value === '' || value.length > 64) return undefined;
  if (/^\d{9,19}$/.test(value)) return epochDigitsToMs(value);
  const direct = parseTimestamp(value, { timezone: record.timezone, referenceMs: record.receivedAt });
  if (direct !== undefined) return direct;
  // "MMM dd yyyy HH:mm:ss[.SSS] [zone]" with a zone word at the end.
  const space = value.lastIndexOf(' ');
  if (space > 0) {
    const suffix = value.slice(space + 1);
    const zone = /^[+-]\d{2}:?\d{2}$|^(?:UTC|GMT)$/i.test(suffix) ? suffix : record.timezone;
    return parseTimestamp(value.slice(0, space), { timezone: zone, referenceMs: record.receivedAt });
  }
  return undefined;
}

function parseLeef(record: RawRecord): EcsEvent | ParseFailure {
  const text = record.text;
  const start = findLeefStart(text);
  if (start === -1) return parseFailure(record, format, 'no LEEF:1.0| or LEEF:2.0| header');
  const version = text.startsWith('2.0|', start + 5) ? '2.0' : '1.0';
  const headerStart = text.indexOf('|', start) + 1;
  const wanted = version === '2.0' ? 5 : 4;
  let { fields, rest } = splitHeader(text, headerStart, wanted);
  if (rest === -1 && version === '2.0') {
    // The delimiter field is optional in 2.0: four fields then attributes (tab-separated).
    ({ fields, rest } = splitHeader(text, headerStart, 4));
    if (rest !== -1) fields.push('');
  }
  if (rest === -1)
    return parseFailure(record, format, `truncated LEEF header: ${fields.length} of ${wanted} '|'-separated fields`);
  const [vendor, product, productVersion, eventId, delimiterField] = fields as [
    string,
    string,
    string,
    string,
    string?,
  ];
  let delimiter = '\t';
  if (version === '2.0' && delimiterField) {
    const named = delimiterOf(delimiterField);
    if (named === undefined)
      return parseFailure(record, format, `unusable LEEF 2.0 delimiter '${delimiterField.slice(0, 16)}'`);
    delimiter = named;
  }
  // Producers that ignore the tab rule in 1.0 write space-separated attributes: read them CEF-style.
  const attributes =
    version === '1.0' && text.indexOf('\t', rest) === -1
      ? parseExtension(text, rest)
      : splitAttributes(text, rest, delimiter);

  const { header } = start > 0 ? syslogBody(record) : { header: undefined };
  const time = leefTime(attributes.devTime, record) ?? header?.timestamp;
  const event = newEvent(record, time);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  put(doc, 'event.code', eventId);
  put(doc, 'observer.vendor', vendor);
  put(doc, 'observer.product', product);
  put(doc, 'observer.version', productVersion);
  putSyslogPriority(doc, header);
  put(doc, 'observer.hostname', header?.hostname);

  const sourceIp = ipOf(attributes.src);
  const destinationIp = ipOf(attributes.dst);
  const sourcePort = portOf(attributes.srcPort);
  const destinationPort = portOf(attributes.dstPort);
  put(doc, 'source.ip', sourceIp);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.port', destinationPort);
  put(doc, 'source.mac', formatMac(attributes.srcMAC));
  put(doc, 'destination.mac', formatMac(attributes.dstMAC));
  put(doc, 'source.nat.ip', ipOf(attributes.srcPostNAT));
  put(doc, 'destination.nat.ip', ipOf(attributes.dstPostNAT));
  put(doc, 'source.nat.port', portOf(attributes.srcPostNATPort));
  put(doc, 'destination.nat.port', portOf(attributes.dstPostNATPort));
  put(doc, 'source.bytes', numberOf(attributes.srcBytes));
  put(doc, 'destination.bytes', numberOf(attributes.dstBytes));
  put(doc, 'source.packets', numberOf(attributes.srcPackets));
  put(doc, 'destination.packets', numberOf(attributes.dstPackets));
  put(doc, 'network.packets', numberOf(attributes.totalPackets));
  for (const ip of [sourceIp, destinationIp]) if (ip) append(doc, 'related.ip', ip);
  const user = attributes.usrName ?? attributes.accountName;
  put(doc, 'user.name', user);
  put(doc, 'user.domain', attributes.domain);
  put(doc, 'user.roles', attributes.role ? [attributes.role] : undefined);
  if (user) append(doc, 'related.user', user);
  put(doc, 'host.name', attributes.identHostName);
  put(doc, 'host.ip', ipOf(attributes.identSrc) ? [attributes.identSrc!] : undefined);

  const protocolText = attributes.proto;
  const protocolNumber =
    protocolText && /^\d+$/.test(protocolText) ? Number(protocolText) : transportNumber(protocolText);
  const transport =
    protocolText && /^\d+$/.test(protocolText) ? transportName(protocolNumber) : protocolText?.toLowerCase();
  put(doc, 'network.transport', transport);
  if (protocolNumber !== undefined) put(doc, 'network.iana_number', String(protocolNumber));
  put(doc, 'network.community_id', communityId(protocolNumber, sourceIp, destinationIp, sourcePort, destinationPort));

  const severity = numberOf(attributes.sev);
  put(doc, 'event.severity', severity);
  put(doc, 'event.action', attributes.action ?? attributes.act);
  put(doc, 'rule.name', attributes.policy);
  put(doc, 'message', attributes.msg ?? attributes.reason);
  if (attributes.url) putUrl(doc, attributes.url);
  put(doc, 'file.name', attributes.resource);

  const copy: JsonObject = {};
  for (const key in attributes) copy[key] = attributes[key]!;
  event.leef = {
    version,
    vendor,
    product,
    product_version: productVersion,
    event_id: eventId,
    category: attributes.cat ?? '',
    attributes: copy,
  };
  if (delimiterField) (event.leef as JsonObject).delimiter = delimiter;
  if (meta.start === undefined && attributes.startTime) {
    const started = leefTime(attributes.startTime, record);
    if (started !== undefined) put(doc, 'event.start', toIsoUtc(started));
  }
  return event;
}

export const leefParser: Parser = {
  format,
  description: 'IBM QRadar Log Event Extended Format (LEEF 1.0 and 2.0), with or without a syslog header',
  sniff: sniffLeef,
  parse: parseLeef,
};
