// Suricata EVE JSON → ECS, field for field as Elastic's suricata.eve pipeline maps it: the flow
// tuple, alert, http, dns (v1 and v2 answers), tls, fileinfo, flow and stats records; any other
// event_type gets the common fields. The whole EVE record is kept under suricata.eve. Timestamps
// carry their own offset; Community ID is taken from the record or computed. A document that
// already went through a shipper (EVE kept in event.original) is parsed from that original.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { UserAgentParser } from '../web/user-agent.ts';
import { putDomainParts } from './domain-parts.ts';
import {
  append,
  communityId,
  formatMac,
  ipOf,
  newEvent,
  numberOf,
  portOf,
  put,
  putTrafficCounts,
  relateIps,
  safeCopy,
  stringOf,
  transportNumber,
} from './network-fields.ts';
import { putDistinguishedName, putUrl } from './url-parts.ts';

type Eve = Record<string, unknown>;

function objectOf(value: unknown): Eve | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Eve) : undefined;
}

export function sniffSuricataEve(text: string, json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return findSyslogWrappedEve(text) !== -1;
  return isEve(json) || shippedEve(json) !== undefined;
}

function isEve(json: Eve): boolean {
  return (
    typeof json.event_type === 'string' &&
    typeof json.timestamp === 'string' &&
    (json.src_ip !== undefined ||
      json.flow_id !== undefined ||
      json.in_iface !== undefined ||
      json.event_type === 'stats')
  );
}

/**
 * A shipped document (Filebeat/Agent, or a re-indexed one) that carries the EVE line in
 * event.original or message, as Elastic's pipeline reads it: the decoded EVE record, else undefined.
 */
function shippedEve(json: Eve): { eve: Eve; original: string } | undefined {
  if (json.event_type !== undefined) return undefined;
  const kept = objectOf(json.event)?.original;
  const original = typeof kept === 'string' ? kept : json.message;
  if (typeof original !== 'string' || !original.includes('"event_type"')) return undefined;
  const eve = decodeObject(original);
  return eve && isEve(eve) ? { eve, original } : undefined;
}

/**
 * EVE sent through syslog (`<PRI>… suricata[1]: {"timestamp":…}`): the offset of the JSON object,
 * or -1. Only the first 256 characters may hold the prefix.
 */
function findSyslogWrappedEve(text: string): number {
  const start = (text.length > 300 ? text.slice(0, 300) : text).indexOf('{"timestamp":"');
  if (start <= 0 || start > 256) return -1;
  const before = text.charCodeAt(start - 1);
  if (before !== 32 && before !== 58) return -1;
  return text.indexOf('"event_type":"', start) !== -1 ? start : -1;
}

function parseSuricataEve(record: RawRecord): EcsEvent | ParseFailure {
  let eve = (record.json as Eve | undefined) ?? decodeObject(record.text);
  const shipped = eve ? shippedEve(eve) : undefined;
  const wrapper = shipped ? eve : undefined;
  if (shipped) eve = shipped.eve;
  if (!eve) {
    const start = findSyslogWrappedEve(record.text);
    if (start !== -1) eve = decodeObject(record.text.slice(start));
  }
  if (!eve) return parseFailure(record, 'suricata-eve', 'not a JSON object (truncated or not EVE)');
  const eventType = stringOf(eve.event_type);
  if (eventType === undefined) return parseFailure(record, 'suricata-eve', 'no event_type: not a Suricata EVE record');
  const time =
    typeof eve.timestamp === 'string' ? parseTimestamp(eve.timestamp, { timezone: record.timezone }) : undefined;
  const event = newEvent(record, time);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  if (shipped) {
    meta.original = shipped.original;
    const host = safeCopy(objectOf(wrapper?.host), 1);
    if (host !== undefined) doc.host = host;
  }
  const kind = eventType.toLowerCase();
  meta.kind = kind === 'alert' ? 'alert' : kind === 'stats' ? 'metric' : 'event';
  meta.category = ['network'];
  put(doc, 'observer.product', 'Suricata');
  put(doc, 'observer.vendor', 'OISF');
  put(doc, 'observer.type', 'ids');

  const sourceIp = ipOf(eve.src_ip);
  const destinationIp = ipOf(eve.dest_ip);
  const sourcePort = portOf(eve.src_port);
  const destinationPort = portOf(eve.dest_port);
  put(doc, 'source.address', stringOf(eve.src_ip));
  put(doc, 'source.ip', sourceIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.address', stringOf(eve.dest_ip));
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'destination.port', destinationPort);
  relateIps(event, sourceIp, destinationIp);
  const ether = objectOf(eve.ether);
  if (ether) {
    put(doc, 'source.mac', formatMac(stringOf(ether.src_mac)));
    put(doc, 'destination.mac', formatMac(stringOf(ether.dest_mac)));
  }
  const transport = stringOf(eve.proto)?.toLowerCase();
  put(doc, 'network.transport', transport);
  const appProto = stringOf(eve.app_proto)?.toLowerCase();
  const typeProtocol = eventProtocols.get(kind);
  if (typeProtocol) put(doc, 'network.protocol', typeProtocol);
  if (appProto === 'ftp-data') put(doc, 'network.protocol', 'ftp');
  else if (appProto && !ignoredAppProtocols.has(appProto)) put(doc, 'network.protocol', appProto);
  const protocolNumber = transportNumber(transport);
  const icmpType = numberOf(eve.icmp_type);
  const icmpCode = numberOf(eve.icmp_code);
  put(
    doc,
    'network.community_id',
    stringOf(eve.community_id) ??
      communityId(
        protocolNumber,
        sourceIp,
        destinationIp,
        icmpType !== undefined ? icmpType : sourcePort,
        icmpType !== undefined ? icmpCode : destinationPort,
      ),
  );
  put(doc, 'observer.ingress.interface.name', stringOf(eve.in_iface));
  put(doc, 'host.name', stringOf(eve.host));

  const flow = objectOf(eve.flow);
  if (flow) mapFlow(doc, flow, record.timezone);

  const types: string[] = [];
  switch (kind) {
    case 'alert':
      mapAlert(doc, objectOf(eve.alert), types);
      break;
    case 'flow':
      types.push('connection');
      break;
    case 'http':
    case 'http2':
      (meta.category as string[]).push('web');
      types.push('access', 'protocol');
      break;
    case 'anomaly':
      types.push('info');
      break;
    case 'drop':
      types.push('denied');
      break;
    default:
      // Elastic types only the protocols it knows; other application events are protocol events too.
      if (typeProtocol || otherProtocolEvents.has(kind)) types.push('protocol');
      if (otherProtocolEvents.has(kind) && (doc.network as JsonObject | undefined)?.protocol === undefined)
        put(doc, 'network.protocol', kind);
      break;
  }
  if (flow?.state === 'new') types.push('start');
  else if (flow?.state === 'closed') types.push('end');
  if (types.length > 0) meta.type = types;

  const http = objectOf(eve.http);
  if (http) mapHttp(doc, http, kind === 'http' || kind === 'http2');
  const dns = objectOf(eve.dns);
  if (dns) mapDns(doc, dns);
  const tls = objectOf(eve.tls);
  if (tls) mapTls(doc, tls);
  const fileinfo = objectOf(eve.fileinfo);
  if (fileinfo) mapFile(doc, fileinfo);

  const vendor: JsonObject = {};
  for (const key of Object.keys(eve)) {
    if (commonKeys.has(key)) continue;
    const copied = safeCopy(eve[key], 1);
    if (copied !== undefined) vendor[key] = copied;
  }
  if (eve.flow_id !== undefined) vendor.flow_id = String(eve.flow_id);
  event.suricata = { eve: vendor };
  return event;
}

/** Keys mapped to ECS and not repeated under suricata.eve. */
const commonKeys = new Set([
  'timestamp',
  'src_ip',
  'src_port',
  'dest_ip',
  'dest_port',
  'proto',
  'app_proto',
  'community_id',
  '__proto__',
  'constructor',
  'prototype',
]);

/** network.protocol by event_type, as Elastic's pipeline sets it (then app_proto overrides). */
const eventProtocols = new Map<string, string>([
  ['dns', 'dns'],
  ['ftp', 'ftp'],
  ['ftp_data', 'ftp'],
  ['http', 'http'],
  ['http2', 'http'],
  ['ikev2', 'ikev2'],
  ['krb5', 'krb5'],
  ['mqtt', 'mqtt'],
  ['rdp', 'rdp'],
  ['rfb', 'rdp'],
  ['smb', 'smb'],
  ['smtp', 'smtp'],
  ['snmp', 'snmp'],
  ['ssh', 'ssh'],
  ['tftp', 'tftp'],
  ['tls', 'tls'],
]);

/** Application-layer event types Elastic leaves untyped; we still call them protocol events. */
const otherProtocolEvents = new Set(['dhcp', 'sip', 'nfs', 'quic', 'dcerpc', 'modbus', 'dnp3', 'pgsql', 'ldap']);

const ignoredAppProtocols = new Set(['failed', 'template', 'template-rust']);

function mapFlow(doc: JsonObject, flow: Eve, timezone: string | undefined): void {
  putTrafficCounts(doc, {
    sourceBytes: numberOf(flow.bytes_toserver),
    destinationBytes: numberOf(flow.bytes_toclient),
    sourcePackets: numberOf(flow.pkts_toserver),
    destinationPackets: numberOf(flow.pkts_toclient),
  });
  const start = typeof flow.start === 'string' ? parseTimestamp(flow.start, { timezone }) : undefined;
  const end = typeof flow.end === 'string' ? parseTimestamp(flow.end, { timezone }) : undefined;
  if (start !== undefined) put(doc, 'event.start', toIsoUtc(start));
  if (end !== undefined) put(doc, 'event.end', toIsoUtc(end));
  if (start !== undefined && end !== undefined && end >= start) put(doc, 'event.duration', (end - start) * 1_000_000);
}

function mapAlert(doc: JsonObject, alert: Eve | undefined, types: string[]): void {
  (doc.event as JsonObject).category = ['network', 'intrusion_detection'];
  if (!alert) return;
  const action = stringOf(alert.action);
  if (action) types.push(action === 'blocked' ? 'denied' : action);
  put(doc, 'rule.id', stringOf(alert.signature_id));
  put(doc, 'rule.name', stringOf(alert.signature));
  put(doc, 'rule.category', stringOf(alert.category));
  put(doc, 'event.severity', numberOf(alert.severity));
  put(doc, 'message', stringOf(alert.category));
  const metadata = objectOf(alert.metadata);
  if (!metadata) return;
  for (const [key, path] of metadataPaths) {
    const values = metadata[key];
    if (!Array.isArray(values)) continue;
    // Elastic takes mitre_tactic_id only when the rule has no mitre_attack list.
    if (key === 'mitre_tactic_id' && Array.isArray(metadata.mitre_attack)) continue;
    for (const value of values) if (typeof value === 'string') append(doc, path, value);
  }
}

const metadataPaths: [string, string][] = [
  ['filename', 'file.name'],
  ['mitre_attack', 'threat.tactic.id'],
  ['mitre_tactic_id', 'threat.tactic.id'],
  ['mitre_tactic_name', 'threat.tactic.name'],
  ['mitre_technique_id', 'threat.technique.id'],
  ['mitre_technique_name', 'threat.technique.name'],
];

const userAgents = new UserAgentParser();

function mapHttp(doc: JsonObject, http: Eve, httpEvent: boolean): void {
  const hostname = stringOf(http.hostname);
  put(doc, 'http.request.method', stringOf(http.http_method));
  const status = numberOf(http.status);
  put(doc, 'http.response.status_code', status);
  if (httpEvent && status !== undefined) put(doc, 'event.outcome', status < 400 ? 'success' : 'failure');
  put(doc, 'http.response.body.bytes', numberOf(http.length));
  put(doc, 'http.request.referrer', stringOf(http.http_refer));
  const url = stringOf(http.url);
  putUrl(doc, url, hostname);
  // Elastic keeps everything before '?' as url.path, also for a proxy's absolute URL.
  if (url) put(doc, 'url.path', url.split(/[?#]/, 1)[0]);
  put(doc, 'destination.domain', hostname);
  if (hostname) append(doc, 'related.hosts', hostname);
  const agent = stringOf(http.http_user_agent);
  if (agent) doc.user_agent = userAgentOf(agent);
  const redirect = stringOf(http.redirect);
  if (redirect) put(doc, 'http.response.redirect', redirect);
}

const productAgent = /^([A-Za-z][\w .-]{0,40}?)\/(\d[\w.]{0,30})(?:\s|$)/;

/** Browsers and common tools by the shared parser; other "Product/1.2 …" agents by their first token. */
function userAgentOf(agent: string): JsonObject {
  const parsed = userAgents.parse(agent);
  if (parsed.name !== 'Other') return parsed;
  const match = agent.length <= 200 ? productAgent.exec(agent) : null;
  if (!match) return parsed;
  parsed.name = match[1]!;
  parsed.version = match[2]!;
  // APT identifies itself as "Debian APT-HTTP/…" on Debian and Ubuntu alike.
  if (parsed.os === undefined && match[1]!.startsWith('Debian ')) parsed.os = { name: 'Debian' };
  return parsed;
}

function mapDns(doc: JsonObject, dns: Eve): void {
  const type = stringOf(dns.type);
  const version = numberOf(dns.version);
  put(doc, 'dns.type', type);
  put(doc, 'dns.id', stringOf(dns.id));
  put(doc, 'dns.response_code', stringOf(dns.rcode));
  const rrname = stringOf(dns.rrname);
  // A v1 answer names the answer record, not the question; v2 records always carry the query.
  if (type === 'query' || version === 2) {
    put(doc, 'dns.question.name', rrname);
    put(doc, 'dns.question.type', stringOf(dns.rrtype));
  }
  const queries = Array.isArray(dns.queries) ? objectOf(dns.queries[0]) : undefined;
  const questionName = rrname ?? stringOf(queries?.rrname);
  if (queries && rrname === undefined) {
    put(doc, 'dns.question.name', stringOf(queries.rrname));
    put(doc, 'dns.question.type', stringOf(queries.rrtype));
  }
  putDomainParts(doc, 'dns.question', questionName);
  const answers: JsonObject[] = [];
  const resolved: string[] = [];
  const addAnswer = (answer: Eve): void => {
    const entry: JsonObject = {};
    const answerType = stringOf(answer.rrtype);
    const data = stringOf(answer.rdata);
    put(entry, 'name', stringOf(answer.rrname));
    put(entry, 'type', answerType);
    put(entry, 'ttl', numberOf(answer.ttl));
    put(entry, 'data', data);
    if (Object.keys(entry).length > 0) answers.push(entry);
    if ((answerType === 'A' || answerType === 'AAAA') && data) resolved.push(data);
  };
  if (Array.isArray(dns.answers)) {
    for (const answer of dns.answers) {
      const entry = objectOf(answer);
      if (entry) addAnswer(entry);
    }
  } else if (type === 'answer' && version === undefined) {
    addAnswer(dns);
  }
  if (answers.length > 0) (doc.dns as JsonObject).answers = answers;
  if (resolved.length > 0) {
    (doc.dns as JsonObject).resolved_ip = resolved;
    for (const ip of resolved) append(doc, 'related.ip', ip);
  }
  for (const [flag, name] of headerFlags) if (dns[flag] === true) append(doc, 'dns.header_flags', name);
}

const headerFlags = [
  ['aa', 'AA'],
  ['tc', 'TC'],
  ['rd', 'RD'],
  ['ra', 'RA'],
] as const;

function mapTls(doc: JsonObject, tls: Eve): void {
  const version = stringOf(tls.version);
  // "TLS 1.2" (Suricata) or "TLSv1.3" (some forks and older releases).
  const versionMatch = version && version !== 'UNDETERMINED' ? /^(.*?)(?:v| )(.+)$/.exec(version) : null;
  if (versionMatch) {
    put(doc, 'tls.version_protocol', versionMatch[1]!.toLowerCase());
    put(doc, 'tls.version', versionMatch[2]);
  }
  const subject = stringOf(tls.subject);
  const issuer = stringOf(tls.issuerdn);
  put(doc, 'tls.server.subject', subject);
  put(doc, 'tls.server.issuer', issuer);
  putDistinguishedName(doc, 'tls.server.x509.subject', subject);
  putDistinguishedName(doc, 'tls.server.x509.issuer', issuer);
  const serial = stringOf(tls.serial);
  if (serial) put(doc, 'tls.server.x509.serial_number', serial.replaceAll(':', ''));
  const fingerprint = stringOf(tls.fingerprint);
  if (fingerprint) {
    const sha1 = fingerprint.replaceAll(':', '').toUpperCase();
    put(doc, 'tls.server.hash.sha1', sha1);
    append(doc, 'related.hash', sha1);
  }
  for (const [key, field] of [
    ['notbefore', 'not_before'],
    ['notafter', 'not_after'],
  ] as const) {
    const text = stringOf(tls[key]);
    const ms = text ? parseTimestamp(text) : undefined;
    if (ms !== undefined) {
      put(doc, `tls.server.${field}`, toIsoUtc(ms));
      put(doc, `tls.server.x509.${field}`, toIsoUtc(ms));
    }
  }
  let sni = stringOf(tls.sni);
  if (sni?.endsWith('.')) sni = sni.slice(0, -1);
  put(doc, 'tls.client.server_name', sni);
  put(doc, 'destination.domain', sni);
  if (sni) append(doc, 'related.hosts', sni);
  if (typeof tls.session_resumed === 'boolean') put(doc, 'tls.resumed', tls.session_resumed);
  const ja3 = stringOf(objectOf(tls.ja3)?.hash);
  put(doc, 'tls.client.ja3', ja3);
  append(doc, 'related.hash', ja3);
  const ja3s = stringOf(objectOf(tls.ja3s)?.hash);
  put(doc, 'tls.server.ja3s', ja3s);
  append(doc, 'related.hash', ja3s);
}

function mapFile(doc: JsonObject, fileinfo: Eve): void {
  const filename = stringOf(fileinfo.filename);
  if (filename) {
    put(doc, 'file.path', filename);
    const slash = filename.lastIndexOf('/');
    put(doc, 'file.name', slash === -1 ? filename : filename.slice(slash + 1));
  }
  put(doc, 'file.size', numberOf(fileinfo.size));
  put(doc, 'file.mime_type', stringOf(fileinfo.mimetype));
  put(doc, 'file.hash.md5', stringOf(fileinfo.md5));
  put(doc, 'file.hash.sha1', stringOf(fileinfo.sha1));
  put(doc, 'file.hash.sha256', stringOf(fileinfo.sha256));
}

export const suricataEveParser: Parser = {
  format: 'suricata-eve',
  description: 'Suricata EVE JSON (alert, flow, http, dns, tls, fileinfo, …)',
  sniff: sniffSuricataEve,
  parse: parseSuricataEve,
};
