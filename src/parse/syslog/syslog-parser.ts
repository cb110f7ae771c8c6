// The 'syslog' parser: generic Linux/BSD/macOS syslog lines (RFC 3164 and RFC 5424) to ECS, with
// program-specific extraction for auth messages (sshd, sudo, su, PAM, useradd & co.).
// Lines whose body belongs to a more specific format (CEF, LEEF, Cisco, PAN-OS, …) are not sniffed.
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { resolveTimeZone } from '../time/time-zone.ts';
import { extractAuthFields } from './auth-message.ts';
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

/** Build the ECS event of a syslog record; `header` already parsed. */
export function syslogEvent(record: RawRecord, header: SyslogHeader): EcsEvent {
  const eventFields: JsonObject = { kind: 'event', original: record.text };
  if (record.timezone !== undefined && resolveTimeZone(record.timezone) !== undefined)
    eventFields['timezone'] = record.timezone;
  const event: EcsEvent = {
    '@timestamp': new Date(header.timestamp ?? record.receivedAt).toISOString(),
    unit: record.unit,
    message: header.message,
    event: eventFields,
  };
  if (header.hostname !== undefined) {
    event['host'] = { hostname: header.hostname, name: header.hostname };
    event['related'] = { hosts: [header.hostname] };
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
    sniff: (text) => sniffSyslog(text),
    parse(record) {
      const header = parseSyslogHeader(record.text, { receivedAt: record.receivedAt, timezone: record.timezone });
      if (header === undefined) return parseFailure(record, syslogFormat, 'not a syslog line (no <PRI> or timestamp)');
      const event = syslogEvent(record, header);
      if (header.appName !== undefined) extractAuthFields(programOf(header.appName), header.message, event);
      return event;
    },
  };
}
