// Cisco ASA and Firepower Threat Defense (FTD) syslog → ECS. The `%ASA-6-302013:` tag gives the
// message id and level; cisco-asa-messages.ts holds, per id, the classification and a pattern
// whose named groups land in ECS fields here. Ids without a pattern keep the common fields.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { classifications, defaultClassification, messagePatterns } from './cisco-asa-messages.ts';
import {
  append,
  communityId,
  ipOf,
  newEvent,
  numberOf,
  put,
  transportName,
  transportNumber,
} from './network-fields.ts';
import { putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'cisco-asa';
/** `%ASA-6-302013: ` or `%FTD-session-3-106102: ` (the optional word is a logging class). */
const tagPattern = /%(ASA|FTD)-(?:[a-z]+-)?(\d)-(\d{6}):? ?/y;
const levelNames = ['emergencies', 'alert', 'critical', 'error', 'warning', 'notification', 'informational', 'debug'];
const repeatedPattern = /^message repeated \d+ times: \[\s*(.*?)\s*\]\s*$/;
/** Longest body we run message patterns on; real messages are well under this. */
const maxMessageLength = 2048;

/** Position of the `%ASA-`/`%FTD-` tag, or -1. */
function findTag(text: string): number {
  // The tag follows a short syslog header: never scan a huge line to its end.
  const head = text.length > 300 ? text.slice(0, 300) : text;
  let index = head.indexOf('%ASA-');
  if (index === -1) index = head.indexOf('%FTD-');
  if (index === -1 || index > 256) return -1;
  tagPattern.lastIndex = index;
  return tagPattern.test(text) ? index : -1;
}

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffCiscoAsa(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  return findTag(text) !== -1;
}

function parseCiscoAsa(record: RawRecord): EcsEvent | ParseFailure {
  const text = record.text;
  const tagIndex = findTag(text);
  if (tagIndex === -1) return parseFailure(record, format, 'no %ASA-/%FTD- message tag');
  tagPattern.lastIndex = tagIndex;
  const tag = tagPattern.exec(text)!;
  const product = tag[1]!;
  const level = Number(tag[2]);
  const code = tag[3]!;
  const message = text.slice(tagPattern.lastIndex);
  const { header } = syslogBody(record);
  const event = newEvent(record, header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  const classification = classifications[code] ?? defaultClassification;
  if (classification.kind !== null) meta.kind = classification.kind ?? 'event';
  meta.category = [...(classification.category ?? ['network'])];
  if (classification.type && classification.type.length > 0) meta.type = [...classification.type];
  put(doc, 'event.action', classification.action);
  put(doc, 'event.outcome', classification.outcome);
  meta.code = code;
  meta.severity = level;
  meta.timezone = record.timezone ?? 'UTC';
  put(doc, 'log.level', levelNames[level]);
  putSyslogPriority(doc, header);
  event.message = message;
  // "dev01: %ASA-…" is a host name followed by a colon, not a syslog tag.
  const hostAsTag = header?.hostname === undefined && header?.procId === undefined && !header?.appName?.startsWith('<');
  const hostname = hostAsTag ? header?.appName : header?.hostname;
  if (hostname && hostname !== ':') {
    put(doc, 'host.hostname', hostname);
    put(doc, 'observer.hostname', hostname);
    append(doc, 'related.hosts', hostname);
  }
  if (!hostAsTag && header?.appName && !header.appName.startsWith('%')) {
    put(doc, 'process.name', header.appName);
    put(doc, 'process.pid', header.pid);
  }
  if (!header?.appName && !header?.hostname) {
    // Without a syslog tag, ASA's own prefix reads as Elastic reads it: "LOCAL4.WARNING: fw-1 %ASA-…" is a
    // program and the device's name (host.name), "<IP>: %ASA-…" a program alone.
    const prefix = header ? text.slice(header.messageOffset, tagIndex) : text.slice(0, tagIndex);
    const lead = /^(\S+): (?:(\S+) )?$/.exec(prefix);
    if (lead) {
      put(doc, 'process.name', lead[1]);
      put(doc, 'host.name', lead[2]);
    }
  }
  put(doc, 'observer.vendor', 'Cisco');
  // Elastic's integration names both ASA and FTD 'asa'; cisco.asa.product keeps which one it was.
  put(doc, 'observer.product', 'asa');
  put(doc, 'observer.type', 'firewall');
  const vendor: JsonObject = { message_id: code, product };
  event.cisco = { asa: vendor };

  const patterns = messagePatterns[code];
  // "message repeated 2 times: [ Deny … ]" wraps the message a collector folded.
  const repeated = repeatedPattern.exec(message);
  const body = repeated ? repeated[1]! : message;
  if (patterns && body.length <= maxMessageLength) {
    for (const pattern of patterns) {
      const match = pattern.exec(body);
      if (match?.groups) {
        applyGroups(doc, match.groups, code, event['@timestamp']);
        break;
      }
    }
  }
  return event;
}

type Groups = Record<string, string | undefined>;

function putAddress(doc: JsonObject, side: 'source' | 'destination', address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined;
  put(doc, `${side}.address`, address);
  const ip = ipOf(address);
  if (ip) {
    put(doc, `${side}.ip`, ip);
    append(doc, 'related.ip', ip);
  } else {
    put(doc, `${side}.domain`, address);
    append(doc, 'related.hosts', address);
  }
  return ip;
}

/**
 * A user as ASA writes it: "alice", "LOCAL\\alice", "LOCAL\\domain\\alice" or "LOCAL\\alice@domain.tld"
 * ("LOCAL" is the realm of the local database). Returns the name set.
 */
function putUser(
  doc: JsonObject,
  path: string,
  raw: string | undefined,
  knownDomain?: string,
  domainIsHost = false,
): string | undefined {
  raw = userOf(raw);
  if (!raw) return undefined;
  let name = raw;
  let domain = knownDomain;
  if (domain === undefined) {
    const parts = raw.split('\\').filter((part) => part !== '');
    name = parts[parts.length - 1] ?? raw;
    if (parts.length >= 2) domain = parts[parts.length - 2];
    const at = name.indexOf('@');
    if (at > 0 && at < name.length - 1) {
      domain = name.slice(at + 1);
      name = name.slice(0, at);
    }
  }
  // Elastic drops the '$' that ends a machine account's name.
  if (name.length > 1 && name.endsWith('$')) name = name.slice(0, -1);
  put(doc, `${path}.name`, name);
  if (domain) {
    put(doc, `${path}.domain`, domain);
    // Elastic lists a real domain among related.hosts, the local realm only for some records.
    if (domain !== 'LOCAL' || domainIsHost) append(doc, 'related.hosts', domain);
  }
  append(doc, 'related.user', name);
  return name;
}

/**
 * The user inside "(…)" after an address, without the security group tag ASA may add: "LOCAL\\alice, 9999:sgt"
 * → "LOCAL\\alice"; a tag alone ("9999:sgt") is no user.
 */
function userOf(raw: string | undefined): string | undefined {
  if (raw === undefined || (!raw.includes(',') && !/^\d+(?::|$)/.test(raw))) return raw;
  return raw
    .split(',')
    .map((part) => part.trim())
    .find((part) => part !== '' && !/^\d+(?::.*)?$/.test(part));
}

/** "1:02:03" or "0h:32m:16s" → seconds. */
function durationSeconds(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const parts = text.replace(/[hms]/g, '').split(':').map(Number);
  if (parts.length !== 3 || parts.some((part) => !Number.isFinite(part))) return undefined;
  return parts[0]! * 3600 + parts[1]! * 60 + parts[2]!;
}

function applyGroups(doc: JsonObject, groups: Groups, code: string, timestamp: string): void {
  let s = 's';
  let d = 'd';
  const direction = groups.direction?.toLowerCase();
  // A "Built outbound" connection names the outside (responder) side first.
  if (direction === 'outbound' && (code === '302013' || code === '302015')) {
    s = 'd';
    d = 's';
  }
  if (direction) put(doc, 'network.direction', direction);
  const sourceIp = putAddress(doc, 'source', groups[`${s}ip`] ?? groups.sdomain);
  const destinationIp = putAddress(doc, 'destination', groups[`${d}ip`]);
  const sourcePort = numberOf(groups[`${s}port`]);
  const destinationPort = numberOf(groups[`${d}port`]);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.port', destinationPort);
  put(doc, 'observer.ingress.interface.name', groups[`${s}if`]);
  put(doc, 'observer.egress.interface.name', groups[`${d}if`]);
  putNat(doc, 'source', groups[`${s}nip`], groups[`${s}nport`], groups[`${s}ip`], groups[`${s}port`]);
  putNat(doc, 'destination', groups[`${d}nip`], groups[`${d}nport`], groups[`${d}ip`], groups[`${d}port`]);
  // Elastic lists the user's domain among related.hosts for VPN and ICMP-error records only.
  const domainIsHost = code === '313005' || code.startsWith('113') || code.startsWith('716');
  const sourceUser = groups[`${s}user`] ?? groups[`${s}plainuser`] ?? groups.plainsuser;
  putUser(doc, 'source.user', sourceUser, groups[`${s}udomain`], domainIsHost);
  // VPN session messages keep the whole "name@domain" login as the e-mail address too.
  if ((code.startsWith('722') || code === '751025') && sourceUser?.includes('@'))
    put(doc, 'source.user.email', sourceUser);
  const destinationUser = putUser(
    doc,
    'destination.user',
    groups[`${d}user`] ?? groups[`${d}plainuser`],
    groups[`${d}udomain`],
    domainIsHost,
  );
  // The responder's user of a connection is the event's user.
  if (code === '302013' || code === '302015' || code === '302016' || code === '302020' || code === '302021')
    put(doc, 'user.name', destinationUser);
  putUser(doc, 'user', groups.username);
  putUser(doc, 'server.user', groups.srvuser);
  putUser(doc, 'client.user', groups.cliuser);
  put(doc, 'user.email', groups.email);
  put(doc, 'source.user.group.name', groups.group ?? groups.plaingroup);

  const protocol = (groups.proto ?? groups.proto2)?.toLowerCase();
  let transport = protocol === 'ipv6-icmp' || protocol === 'icmp6' ? 'ipv6-icmp' : protocol;
  let protocolNumber = transportNumber(transport);
  if (groups.protonum !== undefined) {
    protocolNumber = numberOf(groups.protonum);
    transport = transportName(protocolNumber);
  }
  if (transport !== undefined && transport !== 'ip') put(doc, 'network.transport', transport);
  if (protocolNumber !== undefined) put(doc, 'network.iana_number', String(protocolNumber));
  if (code === '302020' || code === '302021') put(doc, 'network.protocol', 'icmp');
  // Elastic's newer samples name it network.type instead; a built ICMP connection carries both.
  if (code === '302020') put(doc, 'network.type', 'icmp');
  if (groups.app) put(doc, 'network.protocol', groups.app.toLowerCase());
  // Elastic hashes ICMP flows without their type and code (its community-id step reads icmp.type, which
  // this integration never sets), so the flow id matches theirs only with both at 0.
  const isIcmp = protocolNumber === 1 || protocolNumber === 58;
  put(
    doc,
    'network.community_id',
    communityId(protocolNumber, sourceIp, destinationIp, isIcmp ? 0 : sourcePort, isIcmp ? 0 : destinationPort),
  );

  const seconds = durationSeconds(groups.duration ?? groups.vpnduration);
  if (seconds !== undefined) {
    const end = Date.parse(timestamp);
    put(doc, 'event.duration', seconds * 1e9);
    put(doc, 'event.end', timestamp);
    put(doc, 'event.start', toIsoUtc(end - seconds * 1000));
  }
  put(doc, 'network.bytes', numberOf(groups.bytes));
  put(doc, 'source.bytes', numberOf(groups.sbytes));
  put(doc, 'destination.bytes', numberOf(groups.dbytes));
  let reason = groups.reason?.trim();
  const fromIndex = reason?.indexOf(' from ') ?? -1;
  if (reason !== undefined && fromIndex > 0) reason = reason.slice(0, fromIndex);
  if (groups.reasonhead) reason = `${groups.reasonhead} ${groups.reasontail ?? ''}`.trim();
  if (reason?.includes('ERROR: ')) reason = reason.replace('ERROR: ', '');
  put(doc, 'event.reason', reason);
  put(doc, 'event.id', groups.id);
  put(doc, 'file.path', groups.path);
  put(doc, 'rule.name', groups.rule);
  if (groups.tlsversion) {
    put(doc, 'tls.version', groups.tlsversion);
    put(doc, 'tls.version_protocol', groups.tlsprotocol?.toLowerCase());
  }
  if (groups.url) {
    putUrl(doc, groups.url);
    // Elastic leaves the path of "https://host" empty, where a URL parser would say "/".
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*$/.test(groups.url)) ((doc.url ?? {}) as JsonObject).path = '';
  }
  const listed = groups.listdomain;
  if (listed && !listed.includes('/') && !ipOf(listed)) {
    put(doc, 'destination.domain', listed);
    put(doc, 'server.domain', listed);
    append(doc, 'related.hosts', listed);
  }
  if (groups.verdict !== undefined) {
    const allowed = groups.verdict === 'permitted' || groups.verdict === 'est-allowed';
    (doc.event as JsonObject).type = ['connection', allowed ? 'allowed' : 'denied'];
    put(doc, 'event.outcome', 'success');
  }
  if (code === '602303' || code === '602304') put(doc, 'network.type', 'ipsec');
}

function putNat(
  doc: JsonObject,
  side: 'source' | 'destination',
  natIp: string | undefined,
  natPort: string | undefined,
  realIp: string | undefined,
  realPort: string | undefined,
): void {
  const ip = ipOf(natIp);
  if (ip && natIp !== realIp) {
    put(doc, `${side}.nat.ip`, ip);
    append(doc, 'related.ip', ip);
  }
  if (natPort !== undefined && natPort !== realPort) put(doc, `${side}.nat.port`, numberOf(natPort));
}

export const ciscoAsaParser: Parser = {
  format,
  description: 'Cisco ASA / Firepower Threat Defense syslog (%ASA-/%FTD- messages)',
  sniff: sniffCiscoAsa,
  parse: parseCiscoAsa,
};
