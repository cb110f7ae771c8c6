// Zeek JSON logs → ECS. The log type comes from `_path` when the writer adds it, else from the
// record's field set (conn, dns, http, ssl, notice, files, …); unknown types keep the common
// connection fields. Every Zeek field is kept under zeek.<log type>.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import {
  append,
  communityId,
  ipOf,
  isUnsafeKey,
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

type Zeek = Record<string, unknown>;

const zeekUid = /^[CF][0-9A-Za-z]{8,24}$/;

/**
 * A decoded object with `ts` and a trait only Zeek has: `_path`, dotted `id.orig_h`, a Zeek
 * connection/file id (`C…`/`F…`), a `Module::Name` notice, `peer_descr` or `conn_state`. Plain
 * `uid` or `note` keys are common elsewhere (user ids, notes), so they need Zeek's shape.
 */
export function sniffZeek(_text: string, json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return false;
  const ts = json.ts;
  if (typeof ts !== 'number' && typeof ts !== 'string') return false;
  if (typeof json._path === 'string' || json['id.orig_h'] !== undefined) return true;
  if (typeof json.uid === 'string' && zeekUid.test(json.uid)) return true;
  if (typeof json.fuid === 'string' && zeekUid.test(json.fuid)) return true;
  if (typeof json.note === 'string' && json.note.includes('::')) return true;
  return typeof json.peer_descr === 'string' || typeof json.conn_state === 'string';
}

/** The Zeek log type: `_path`, or guessed from the fields that type always writes. */
export function zeekLogType(json: Zeek): string {
  const path = json._path;
  if (typeof path === 'string' && path !== '' && path.length < 64 && !isUnsafeKey(path)) return path;
  if (json.note !== undefined) return 'notice';
  if (json.conn_state !== undefined || json.history !== undefined || json.orig_ip_bytes !== undefined) return 'conn';
  if (json.query !== undefined || json.qtype_name !== undefined || json.rcode_name !== undefined) return 'dns';
  if (json.method !== undefined || json.status_code !== undefined || json.trans_depth !== undefined) return 'http';
  if (json.cipher !== undefined || json.server_name !== undefined || json.established !== undefined) return 'ssl';
  if (json['certificate.subject'] !== undefined || json['certificate.version'] !== undefined) return 'x509';
  if (json.fuid !== undefined && (json.mime_type !== undefined || json.source !== undefined)) return 'files';
  if (json.auth_success !== undefined || json.auth_attempts !== undefined) return 'ssh';
  if (json.mailfrom !== undefined || json.rcptto !== undefined) return 'smtp';
  if (json.name !== undefined && json.addl !== undefined) return 'weird';
  if (json.assigned_addr !== undefined || json.mac !== undefined) return 'dhcp';
  if (json.request_type !== undefined && json.client !== undefined) return 'kerberos';
  return 'unknown';
}

function parseZeek(record: RawRecord): EcsEvent | ParseFailure {
  const zeek = (record.json as Zeek | undefined) ?? decodeObject(record.text);
  if (!zeek) return parseFailure(record, 'zeek', 'not a JSON object (truncated or not a Zeek JSON log)');
  const ts = zeek.ts;
  let time: number | undefined;
  if (typeof ts === 'number' && Number.isFinite(ts)) time = Math.floor(ts * 1000);
  else if (typeof ts === 'string') time = parseTimestamp(ts, { timezone: record.timezone });
  else return parseFailure(record, 'zeek', 'no ts field: not a Zeek log record');
  const logType = zeekLogType(zeek);
  const event = newEvent(record, time);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  meta.category = ['network'];

  const uid = stringOf(zeek.uid);
  put(doc, 'event.id', uid);
  const sourceIp = ipOf(zeek['id.orig_h']) ?? ipOf(zeek.src) ?? ipOf(zeek.orig_h);
  const destinationIp = ipOf(zeek['id.resp_h']) ?? ipOf(zeek.dst) ?? ipOf(zeek.resp_h);
  const sourcePort = portOf(zeek['id.orig_p']);
  const destinationPort = portOf(zeek['id.resp_p']) ?? portOf(zeek.p);
  put(doc, 'source.address', sourceIp);
  put(doc, 'source.ip', sourceIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.address', destinationIp);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'destination.port', destinationPort);
  relateIps(event, sourceIp, destinationIp);
  const transport = stringOf(zeek.proto)?.toLowerCase();
  put(doc, 'network.transport', transport);
  put(
    doc,
    'network.community_id',
    communityId(transportNumber(transport), sourceIp, destinationIp, sourcePort, destinationPort),
  );

  switch (logType) {
    case 'notice':
      mapNotice(doc, zeek);
      break;
    case 'conn':
      mapConn(doc, zeek);
      break;
    case 'dns':
      mapDns(doc, zeek);
      break;
    case 'http':
      mapHttp(doc, zeek);
      break;
    case 'ssl':
      mapSsl(doc, zeek);
      break;
    case 'files':
      mapFiles(doc, zeek);
      break;
    case 'ssh':
      mapSsh(doc, zeek);
      break;
    case 'x509':
      mapX509(doc, zeek);
      break;
    case 'weird':
      meta.type = ['info'];
      put(doc, 'rule.name', stringOf(zeek.name));
      put(doc, 'message', stringOf(zeek.addl) ?? stringOf(zeek.name));
      break;
    case 'smtp':
      mapSmtp(doc, zeek);
      break;
    default:
      meta.type = ['info'];
      break;
  }

  // Zeek fields under zeek.<type>; the flow tuple is already in ECS.
  const vendor: JsonObject = {};
  for (const key of Object.keys(zeek)) {
    if (skippedKeys.has(key) || isUnsafeKey(key)) continue;
    const copied = safeCopy(zeek[key], 1);
    if (copied !== undefined) vendor[key] = copied;
  }
  const namespace: JsonObject = { [logType]: vendor };
  if (uid) namespace.session_id = uid;
  event.zeek = namespace;
  return event;
}

const skippedKeys = new Set([
  'ts',
  'uid',
  '_path',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'src',
  'dst',
  'p',
]);

function mapNotice(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.kind = 'alert';
  meta.category = ['intrusion_detection'];
  const types = ['info'];
  if (zeek.dropped === false) types.push('allowed');
  else if (zeek.dropped === true) types.push('denied');
  meta.type = types;
  put(doc, 'rule.name', stringOf(zeek.note));
  put(doc, 'rule.description', stringOf(zeek.msg));
}

function mapConn(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.type = ['connection'];
  const originBytes = numberOf(zeek.orig_ip_bytes) ?? numberOf(zeek.orig_bytes);
  const responseBytes = numberOf(zeek.resp_ip_bytes) ?? numberOf(zeek.resp_bytes);
  const originPackets = numberOf(zeek.orig_pkts);
  const responsePackets = numberOf(zeek.resp_pkts);
  put(doc, 'source.bytes', originBytes);
  put(doc, 'destination.bytes', responseBytes);
  put(doc, 'source.packets', originPackets);
  put(doc, 'destination.packets', responsePackets);
  if (originBytes !== undefined || responseBytes !== undefined)
    put(doc, 'network.bytes', (originBytes ?? 0) + (responseBytes ?? 0));
  if (originPackets !== undefined || responsePackets !== undefined)
    put(doc, 'network.packets', (originPackets ?? 0) + (responsePackets ?? 0));
  const duration = numberOf(zeek.duration);
  if (duration !== undefined) put(doc, 'event.duration', Math.round(duration * 1e9));
  const service = stringOf(zeek.service);
  if (service) put(doc, 'network.protocol', service.split(',')[0]);
  const state = stringOf(zeek.conn_state);
  if (state === 'REJ' || state === 'S0' || state === 'RSTOS0') (meta.type as string[]).push('denied');
  if (typeof zeek.local_orig === 'boolean' && typeof zeek.local_resp === 'boolean') {
    const direction = zeek.local_orig
      ? zeek.local_resp
        ? 'internal'
        : 'outbound'
      : zeek.local_resp
        ? 'inbound'
        : 'external';
    put(doc, 'network.direction', direction);
  }
}

function mapDns(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['protocol', 'info'];
  put(doc, 'network.protocol', 'dns');
  put(doc, 'dns.id', stringOf(zeek.trans_id));
  const query = stringOf(zeek.query);
  put(doc, 'dns.question.name', query);
  if (query) append(doc, 'related.hosts', query);
  put(doc, 'dns.question.type', stringOf(zeek.qtype_name));
  put(doc, 'dns.question.class', stringOf(zeek.qclass_name));
  put(doc, 'dns.response_code', stringOf(zeek.rcode_name));
  put(doc, 'dns.type', Array.isArray(zeek.answers) || zeek.rcode_name !== undefined ? 'answer' : 'query');
  const flags: [string, string][] = [
    ['AA', 'AA'],
    ['TC', 'TC'],
    ['RD', 'RD'],
    ['RA', 'RA'],
  ];
  for (const [key, flag] of flags) if (zeek[key] === true) append(doc, 'dns.header_flags', flag);
  if (Array.isArray(zeek.answers)) {
    const ttls = Array.isArray(zeek.TTLs) ? zeek.TTLs : [];
    const answers: JsonObject[] = [];
    zeek.answers.forEach((answer, index) => {
      if (typeof answer !== 'string') return;
      const entry: JsonObject = { data: answer };
      put(entry, 'ttl', numberOf(ttls[index]));
      answers.push(entry);
      const ip = ipOf(answer);
      if (ip) append(doc, 'dns.resolved_ip', ip);
    });
    (doc.dns as JsonObject).answers = answers;
  }
}

function mapHttp(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol', 'info'];
  put(doc, 'network.protocol', 'http');
  const host = stringOf(zeek.host);
  put(doc, 'http.request.method', stringOf(zeek.method));
  put(doc, 'http.response.status_code', numberOf(zeek.status_code));
  put(doc, 'http.version', stringOf(zeek.version));
  put(doc, 'http.request.referrer', stringOf(zeek.referrer));
  put(doc, 'http.request.body.bytes', numberOf(zeek.request_body_len));
  put(doc, 'http.response.body.bytes', numberOf(zeek.response_body_len));
  putUrl(doc, stringOf(zeek.uri), host);
  put(doc, 'destination.domain', host);
  if (host) append(doc, 'related.hosts', host);
  putUserAgent(doc, stringOf(zeek.user_agent));
  const user = stringOf(zeek.username);
  put(doc, 'user.name', user);
  if (user) append(doc, 'related.user', user);
}

function mapSsl(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol'];
  put(doc, 'network.protocol', 'tls');
  const version = stringOf(zeek.version);
  const match = version ? /^(TLS|SSL|DTLS)v(\d)(\d)$/.exec(version) : null;
  if (match) {
    put(doc, 'tls.version_protocol', match[1]!.toLowerCase());
    put(doc, 'tls.version', `${match[2]}.${match[3]}`);
  }
  put(doc, 'tls.cipher', stringOf(zeek.cipher));
  put(doc, 'tls.curve', stringOf(zeek.curve));
  put(doc, 'tls.client.server_name', stringOf(zeek.server_name));
  put(doc, 'tls.next_protocol', stringOf(zeek.next_protocol));
  if (typeof zeek.resumed === 'boolean') put(doc, 'tls.resumed', zeek.resumed);
  if (typeof zeek.established === 'boolean') put(doc, 'tls.established', zeek.established);
  const subject = stringOf(zeek.subject);
  const issuer = stringOf(zeek.issuer);
  put(doc, 'tls.server.subject', subject);
  put(doc, 'tls.server.issuer', issuer);
  putDistinguishedName(doc, 'tls.server.x509.subject', subject);
  putDistinguishedName(doc, 'tls.server.x509.issuer', issuer);
  put(doc, 'tls.client.ja3', stringOf(zeek.ja3));
  put(doc, 'tls.server.ja3s', stringOf(zeek.ja3s));
}

function mapFiles(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.category = ['file'];
  meta.type = ['info'];
  put(doc, 'file.name', stringOf(zeek.filename));
  put(doc, 'file.mime_type', stringOf(zeek.mime_type));
  put(doc, 'file.size', numberOf(zeek.total_bytes) ?? numberOf(zeek.seen_bytes));
  put(doc, 'file.hash.md5', stringOf(zeek.md5));
  put(doc, 'file.hash.sha1', stringOf(zeek.sha1));
  put(doc, 'file.hash.sha256', stringOf(zeek.sha256));
}

function mapSsh(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol'];
  put(doc, 'network.protocol', 'ssh');
  if (typeof zeek.auth_success === 'boolean') {
    (doc.event as JsonObject).category = ['network', 'authentication'];
    put(doc, 'event.outcome', zeek.auth_success ? 'success' : 'failure');
  }
}

function mapX509(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.category = ['network'];
  meta.type = ['info'];
  const prefix = 'tls.server.x509';
  const subject = stringOf(zeek['certificate.subject']);
  const issuer = stringOf(zeek['certificate.issuer']);
  put(doc, `${prefix}.version_number`, stringOf(zeek['certificate.version']));
  put(doc, `${prefix}.serial_number`, stringOf(zeek['certificate.serial']));
  putDistinguishedName(doc, `${prefix}.subject`, subject);
  putDistinguishedName(doc, `${prefix}.issuer`, issuer);
  put(doc, 'tls.server.subject', subject);
  put(doc, 'tls.server.issuer', issuer);
  for (const [key, field] of [
    ['certificate.not_valid_before', 'not_before'],
    ['certificate.not_valid_after', 'not_after'],
  ] as const) {
    const value = zeek[key];
    const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? parseTimestamp(value) : undefined;
    if (ms !== undefined && Number.isFinite(ms)) put(doc, `${prefix}.${field}`, new Date(ms).toISOString());
  }
  put(doc, `${prefix}.public_key_algorithm`, stringOf(zeek['certificate.key_alg']));
  put(doc, `${prefix}.signature_algorithm`, stringOf(zeek['certificate.sig_alg']));
  put(doc, `${prefix}.public_key_size`, numberOf(zeek['certificate.key_length']));
  const names = zeek['san.dns'];
  if (Array.isArray(names)) {
    const strings = names.filter((name): name is string => typeof name === 'string');
    if (strings.length > 0) put(doc, `${prefix}.alternative_names`, strings);
  }
}

function mapSmtp(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['protocol'];
  put(doc, 'network.protocol', 'smtp');
  put(doc, 'email.from.address', stringOf(zeek.mailfrom));
  if (Array.isArray(zeek.rcptto)) {
    const recipients = zeek.rcptto.filter((address): address is string => typeof address === 'string');
    if (recipients.length > 0) put(doc, 'email.to.address', recipients);
  }
  put(doc, 'email.subject', stringOf(zeek.subject));
  put(doc, 'email.message_id', stringOf(zeek.msg_id));
  put(doc, 'user_agent.original', stringOf(zeek.user_agent));
}

export const zeekParser: Parser = {
  format: 'zeek',
  description: 'Zeek JSON logs (conn, dns, http, ssl, notice, files, and others generically)',
  sniff: sniffZeek,
  parse: parseZeek,
};
