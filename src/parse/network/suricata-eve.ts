// Suricata EVE JSON → ECS. Maps the flow tuple, alert, http, dns, tls, fileinfo and flow records;
// any other event_type gets the common fields. The whole EVE record is kept under suricata.eve.
// Timestamps carry their own offset; Community ID is taken from the record or computed.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import {
  append,
  communityId,
  formatMac,
  ipOf,
  newEvent,
  numberOf,
  portOf,
  put,
  relateIps,
  safeCopy,
  stringOf,
  transportNumber,
} from './network-fields.ts';
import { putDistinguishedName, putUrl, putUserAgent } from './url-parts.ts';

type Eve = Record<string, unknown>;

function objectOf(value: unknown): Eve | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Eve) : undefined;
}

export function sniffSuricataEve(text: string, json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return findSyslogWrappedEve(text) !== -1;
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
  meta.kind = eventType === 'alert' ? 'alert' : eventType === 'stats' ? 'metric' : 'event';
  meta.category = ['network'];

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
  const appProto = stringOf(eve.app_proto);
  if (appProto && appProto !== 'failed') put(doc, 'network.protocol', appProto.toLowerCase());
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
  switch (eventType) {
    case 'alert':
      mapAlert(doc, objectOf(eve.alert), types);
      break;
    case 'flow':
      types.push('connection');
      if (flow?.state === 'closed' || flow?.end !== undefined) types.push('end');
      break;
    case 'dns':
    case 'tls':
    case 'http':
    case 'smtp':
    case 'ssh':
    case 'ftp':
    case 'smb':
    case 'dhcp':
    case 'krb5':
    case 'rdp':
    case 'sip':
    case 'snmp':
    case 'tftp':
    case 'nfs':
    case 'mqtt':
    case 'quic':
      types.push('protocol');
      if (!appProto || appProto === 'failed') put(doc, 'network.protocol', eventType);
      break;
    case 'fileinfo':
      (meta.category as string[]).push('file');
      types.push('info');
      break;
    case 'anomaly':
    case 'drop':
      types.push(eventType === 'drop' ? 'denied' : 'info');
      break;
    default:
      break;
  }
  if (types.length > 0) meta.type = types;

  const http = objectOf(eve.http);
  if (http) mapHttp(doc, http);
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

function mapFlow(doc: JsonObject, flow: Eve, timezone: string | undefined): void {
  const toServerPackets = numberOf(flow.pkts_toserver);
  const toClientPackets = numberOf(flow.pkts_toclient);
  const toServerBytes = numberOf(flow.bytes_toserver);
  const toClientBytes = numberOf(flow.bytes_toclient);
  put(doc, 'source.packets', toServerPackets);
  put(doc, 'source.bytes', toServerBytes);
  put(doc, 'destination.packets', toClientPackets);
  put(doc, 'destination.bytes', toClientBytes);
  if (toServerPackets !== undefined || toClientPackets !== undefined)
    put(doc, 'network.packets', (toServerPackets ?? 0) + (toClientPackets ?? 0));
  if (toServerBytes !== undefined || toClientBytes !== undefined)
    put(doc, 'network.bytes', (toServerBytes ?? 0) + (toClientBytes ?? 0));
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
  if (action === 'allowed') types.push('allowed');
  else if (action === 'blocked') types.push('denied');
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

function mapHttp(doc: JsonObject, http: Eve): void {
  const hostname = stringOf(http.hostname);
  put(doc, 'http.request.method', stringOf(http.http_method));
  put(doc, 'http.response.status_code', numberOf(http.status));
  put(doc, 'http.response.body.bytes', numberOf(http.length));
  put(doc, 'http.request.referrer', stringOf(http.http_refer));
  putUrl(doc, stringOf(http.url), hostname);
  put(doc, 'destination.domain', hostname);
  if (hostname) append(doc, 'related.hosts', hostname);
  putUserAgent(doc, stringOf(http.http_user_agent));
  const redirect = stringOf(http.redirect);
  if (redirect) put(doc, 'http.response.redirect', redirect);
}

function mapDns(doc: JsonObject, dns: Eve): void {
  const type = stringOf(dns.type);
  put(doc, 'dns.type', type === 'query' ? 'query' : type === 'answer' ? 'answer' : type);
  put(doc, 'dns.id', stringOf(dns.id));
  put(doc, 'dns.response_code', stringOf(dns.rcode));
  const rrname = stringOf(dns.rrname);
  put(doc, 'dns.question.name', rrname);
  put(doc, 'dns.question.type', stringOf(dns.rrtype));
  if (rrname) append(doc, 'related.hosts', rrname);
  const answers: JsonObject[] = [];
  const addAnswer = (answer: Eve): void => {
    const entry: JsonObject = {};
    put(entry, 'name', stringOf(answer.rrname));
    put(entry, 'type', stringOf(answer.rrtype));
    put(entry, 'ttl', numberOf(answer.ttl));
    put(entry, 'data', stringOf(answer.rdata));
    answers.push(entry);
    const ip = ipOf(answer.rdata);
    if (ip) append(doc, 'dns.resolved_ip', ip);
  };
  if (Array.isArray(dns.answers)) {
    for (const answer of dns.answers) {
      const entry = objectOf(answer);
      if (entry) addAnswer(entry);
    }
  } else if (type === 'answer' && dns.rdata !== undefined) {
    addAnswer(dns);
  }
  if (answers.length > 0) (doc.dns as JsonObject).answers = answers;
  const queries = Array.isArray(dns.queries) ? objectOf(dns.queries[0]) : undefined;
  if (queries && rrname === undefined) {
    put(doc, 'dns.question.name', stringOf(queries.rrname));
    put(doc, 'dns.question.type', stringOf(queries.rrtype));
  }
}

function mapTls(doc: JsonObject, tls: Eve): void {
  const version = stringOf(tls.version);
  if (version) {
    const space = version.indexOf(' ');
    if (space !== -1) {
      put(doc, 'tls.version_protocol', version.slice(0, space).toLowerCase());
      put(doc, 'tls.version', version.slice(space + 1));
    }
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
  put(doc, 'tls.client.server_name', stringOf(tls.sni));
  if (typeof tls.session_resumed === 'boolean') put(doc, 'tls.resumed', tls.session_resumed);
  const ja3 = objectOf(tls.ja3);
  if (ja3) put(doc, 'tls.client.ja3', stringOf(ja3.hash));
  const ja3s = objectOf(tls.ja3s);
  if (ja3s) put(doc, 'tls.server.ja3s', stringOf(ja3s.hash));
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
