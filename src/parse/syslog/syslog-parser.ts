// The 'syslog' parser: generic Linux/BSD/macOS syslog lines (RFC 3164 and RFC 5424) to ECS, with
// program-specific extraction for auth messages (sshd, sudo, su, PAM, useradd & co.).
// Lines whose body belongs to a more specific format (CEF, LEEF, Cisco, PAN-OS, …) are not sniffed.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { createJsonParser } from '../json/json-parser.ts';
import { isParseFailure, type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { resolveTimeZone } from '../time/time-zone.ts';
import { extractAuthFields, isSudoMessage } from './auth-message.ts';
import { facilityName, parseSyslogHeader, type SyslogHeader, severityName } from './syslog-header.ts';

export const syslogFormat = 'syslog';

/** Bodies that mark a syslog line as another, more specific format. */
const foreignBodyPattern =
  /^(?:CEF:\d|LEEF:\d|%(?:ASA|FTD|PIX|FWSM)-|\d,\d{4}\/\d{2}\/\d{2} |date=\d{4}-\d{2}-\d{2} time=|logver=|devname=)/;
/** netfilter lines (iptables), also truncated ones: the iptables parser owns them. */
const netfilterPattern = /(?:^|[\s\]])(?:IN=\S* OUT=|SRC=[\d.:a-fA-F]+ DST=|PROTO=(?:TCP|UDP|ICMP|\d))/;

/** Auth and syslog programs whose messages get program-specific extraction. */
function programOf(appName: string): string {
  // "sshd(pam_unix)" and "/usr/sbin/sshd" name the program too.
  let end = appName.indexOf('(');
  if (end === -1) end = appName.length;
  const slash = appName.lastIndexOf('/', end);
  return appName.slice(slash + 1, end);
}

function isForeignBody(header: SyslogHeader): boolean {
  const message = header.message;
  if (foreignBodyPattern.test(message)) return true;
  if (
    header.appName?.endsWith('kernel') &&
    netfilterPattern.test(message.length > 2048 ? message.slice(0, 2048) : message)
  )
    return true;
  return false;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The program of a syslog/journald message a shipper already split into fields (Elastic Agent, Filebeat). */
function shippedProgram(json: Record<string, unknown>): string | undefined {
  const log = json['log'];
  const appName = isObject(log) && isObject(log['syslog']) ? log['syslog']['appname'] : undefined;
  if (typeof appName === 'string' && appName !== '') return appName;
  const syslog = json['syslog'];
  const identifier = isObject(syslog) ? syslog['identifier'] : undefined;
  if (typeof identifier === 'string' && identifier !== '') return identifier;
  const journald = json['journald'];
  if (!isObject(journald)) return undefined;
  const process = journald['process'];
  const name = isObject(process) ? process['name'] : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function isShippedSyslog(json: Record<string, unknown>): boolean {
  return typeof json['message'] === 'string' && shippedProgram(json) !== undefined;
}

const jsonParser = createJsonParser();

/**
 * A syslog or journald message that arrives as a shipper's JSON document: its ECS fields are kept
 * (as the JSON parser keeps them) and the message gets the same program-specific extraction.
 */
function parseShipped(record: RawRecord, json: JsonObject): EcsEvent | ParseFailure {
  const parsed = jsonParser.parse(record);
  if (isParseFailure(parsed)) return parsed;
  // The JSON parser's event shares objects with the record's decoded JSON: copy before enriching.
  const event = structuredClone(Array.isArray(parsed) ? parsed[0]! : parsed);
  const message = json['message'] as string;
  const program = shippedProgram(json)!;
  const eventFields = event.event as JsonObject;
  eventFields['kind'] ??= 'event';
  // Elastic keeps the message, not the shipper's document, as the original event.
  const shippedEvent = json['event'];
  if (!isObject(shippedEvent) || typeof shippedEvent['original'] !== 'string') eventFields['original'] = message;
  const process = isObject(event['process']) ? event['process'] : {};
  process['name'] ??= programOf(program);
  event['process'] = process;
  const host = event['host'];
  const hostname = isObject(host) ? host['hostname'] : undefined;
  if (typeof hostname === 'string' && hostname !== '') {
    const related = isObject(event['related']) ? event['related'] : {};
    const hosts = Array.isArray(related['hosts']) ? related['hosts'] : [];
    if (!hosts.includes(hostname)) hosts.push(hostname);
    related['hosts'] = hosts;
    event['related'] = related;
  }
  extractAuthFields(programOf(program), message, event);
  return event;
}

/** A bare sudo message: no header, so no host or time of its own (the receive time stands in). */
function headerlessSudoEvent(record: RawRecord): EcsEvent {
  const event: EcsEvent = {
    '@timestamp': new Date(record.receivedAt).toISOString(),
    unit: record.unit,
    message: record.text,
    event: eventFieldsOf(record),
    process: { name: 'sudo' },
  };
  extractAuthFields('sudo', record.text, event);
  return event;
}

/** Characters no host name has: a first token with one (or with no letter or digit) starts the message. */
const notHostnamePattern = /[[\]/=(){}]/;
const hostnameCharacterPattern = /[\p{L}\p{N}]/u;

function isHostname(token: string): boolean {
  return !notHostnamePattern.test(token) && hostnameCharacterPattern.test(token);
}

function sniffSyslog(text: string): boolean {
  const first = text.charCodeAt(0);
  // Cheap pre-check: a syslog line starts with `<`, a month name or a year.
  if (first !== 60 && !(first >= 65 && first <= 90) && !(first >= 49 && first <= 50)) return false;
  const header = parseSyslogHeader(text, { skipTimestamp: true });
  if (header === undefined) return false;
  if (header.format === 'rfc3164') {
    if (header.timestampText === undefined) return false;
    // Without PRI we want the usual `host tag:` shape so that plain date-led text is not claimed.
    if (header.priority === undefined && header.hostname === undefined && header.appName === undefined) return false;
  }
  return !isForeignBody(header);
}

/** `event.*` every syslog record starts with: the raw text and the configured zone. */
function eventFieldsOf(record: RawRecord): JsonObject {
  const eventFields: JsonObject = { kind: 'event', original: record.text };
  if (record.timezone !== undefined && resolveTimeZone(record.timezone) !== undefined)
    eventFields['timezone'] = record.timezone;
  return eventFields;
}

/** Build the ECS event of a syslog record; `header` already parsed. */
export function syslogEvent(record: RawRecord, header: SyslogHeader): EcsEvent {
  const eventFields = eventFieldsOf(record);
  let message = header.message;
  let hostname = header.hostname;
  if (header.format === 'rfc3164') {
    if (hostname !== undefined && header.appName === undefined && !isHostname(hostname)) {
      // "2022-04-21T14:30:00Z Agent[12/0x7000] text": no host, no `tag:`: all after the time is the message.
      message =
        record.text.slice(record.text.lastIndexOf(hostname, header.messageOffset), header.messageOffset) + message;
      hostname = undefined;
    }
    // `sudo:  alice : …` pads after the tag; the padding is not part of the message.
    if (header.appName !== undefined) message = message.trimStart();
  }
  const event: EcsEvent = {
    '@timestamp': new Date(header.timestamp ?? record.receivedAt).toISOString(),
    unit: record.unit,
    message,
    event: eventFields,
  };
  if (hostname !== undefined) {
    event['host'] = { hostname, name: hostname };
    event['related'] = { hosts: [hostname] };
  }
  if (header.appName !== undefined) {
    event['process'] = header.pid === undefined ? { name: header.appName } : { name: header.appName, pid: header.pid };
  } else if (header.pid !== undefined) {
    event['process'] = { pid: header.pid };
  }
  const syslog = syslogFields(header);
  if (syslog !== undefined) event['log'] = { syslog };
  return event;
}

function syslogFields(header: SyslogHeader): JsonObject | undefined {
  if (header.priority === undefined && header.format === 'rfc3164') return undefined;
  const syslog: JsonObject = {};
  if (header.priority !== undefined) {
    syslog['priority'] = header.priority;
    syslog['facility'] = { code: header.facility!, name: facilityName(header.facility!) ?? String(header.facility) };
    syslog['severity'] = { code: header.severity!, name: severityName(header.severity!) ?? String(header.severity) };
  }
  if (header.format === 'rfc5424') {
    syslog['version'] = '1';
    if (header.hostname !== undefined) syslog['hostname'] = header.hostname;
    if (header.appName !== undefined) syslog['appname'] = header.appName;
    if (header.procId !== undefined) syslog['procid'] = header.procId;
    if (header.msgId !== undefined) syslog['msgid'] = header.msgId;
    if (header.structuredData !== undefined) {
      // Copy into plain objects: SD-IDs like `__proto__` become ordinary own keys.
      const structured: JsonObject = {};
      for (const [id, params] of Object.entries(header.structuredData)) {
        const values: JsonObject = {};
        for (const [name, value] of Object.entries(params)) Object.defineProperty(values, name, dataProperty(value));
        Object.defineProperty(structured, id, dataProperty(values));
      }
      syslog['structured_data'] = structured;
    }
  }
  return syslog;
}

function dataProperty(value: string | JsonObject): PropertyDescriptor {
  return { value, enumerable: true, writable: true, configurable: true };
}

export function createSyslogParser(): Parser {
  return {
    format: syslogFormat,
    description: 'Linux/BSD syslog (RFC 3164, RFC 5424) with sshd, sudo, su, PAM and user-management extraction',
    sniff: (text, json) => (json === undefined ? sniffSyslog(text) || isSudoMessage(text) : isShippedSyslog(json)),
    parse(record) {
      const json = record.json ?? decodeObject(record.text);
      if (json !== undefined && isShippedSyslog(json)) return parseShipped(record, json as JsonObject);
      const header = parseSyslogHeader(record.text, { receivedAt: record.receivedAt, timezone: record.timezone });
      if (header === undefined) {
        if (isSudoMessage(record.text)) return headerlessSudoEvent(record);
        return parseFailure(record, syslogFormat, 'not a syslog line (no <PRI> or timestamp)');
      }
      const event = syslogEvent(record, header);
      if (header.appName !== undefined) extractAuthFields(programOf(header.appName), event.message as string, event);
      return event;
    },
  };
}
