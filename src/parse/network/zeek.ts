// Zeek JSON logs → ECS, as Elastic's Zeek integration maps them. The log type comes from `_path`
// when the writer adds it, else from the record's field set (conn, dns, http, ssl, notice, files,
// …); unknown types keep the common connection fields. Every Zeek field is kept under zeek.<type>.
// Records a Splunk search export wraps (`{"result":{"_raw":"<zeek json>",…}}`) are unwrapped.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { UserAgentParser } from '../web/user-agent.ts';
import { putDomainParts } from './domain-parts.ts';
import {
  append,
  communityId,
  ipOf,
  isUnsafeKey,
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
import { zeekProtocolLogType, zeekProtocolMappers } from './zeek-protocols.ts';

type Zeek = Record<string, unknown>;

const zeekUid = /^[CF][0-9A-Za-z]{8,24}$/;

/** Longest `_raw` we decode from a Splunk export wrapper. */
const maxWrappedLength = 256 * 1024;

/** A Splunk search export result: the Zeek record in `result._raw`, the forwarder's host and file. */
interface SplunkWrapped {
  readonly zeek: Zeek;
  readonly raw: string;
  readonly host?: string;
  readonly source?: string;
}

function unwrapSplunk(json: Record<string, unknown>): SplunkWrapped | undefined {
  const result = json.result;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const raw = (result as Zeek)._raw;
  if (typeof raw !== 'string' || raw.length > maxWrappedLength || !raw.startsWith('{')) return undefined;
  const zeek = decodeObject(raw);
  if (!zeek || !sniffZeekObject(zeek)) return undefined;
  return {
    zeek,
    raw,
    host: stringOf((result as Zeek).host),
    source: stringOf((result as Zeek).source),
  };
}

/**
 * A decoded object with `ts` and a trait only Zeek has: `_path`, dotted `id.orig_h`, a Zeek
 * connection/file id (`C…`/`F…`), a `Module::Name` notice, `peer_descr`, `conn_state`, dotted
 * `certificate.*` (x509) or a weird's name with its `notice` flag. Plain `uid` or `note` keys are
 * common elsewhere (user ids, notes), so they need Zeek's shape. A Splunk export of such a record
 * counts too.
 */
export function sniffZeek(_text: string, json: Record<string, unknown> | undefined): boolean {
  if (json === undefined) return false;
  return sniffZeekObject(json) || (json.ts === undefined && unwrapSplunk(json) !== undefined);
}

function sniffZeekObject(json: Record<string, unknown>): boolean {
  const ts = json.ts;
  if (typeof ts !== 'number' && typeof ts !== 'string') return false;
  if (typeof json._path === 'string' || json['id.orig_h'] !== undefined) return true;
  if (typeof json.uid === 'string' && zeekUid.test(json.uid)) return true;
  if (typeof json.fuid === 'string' && zeekUid.test(json.fuid)) return true;
  if (typeof json.id === 'string' && zeekUid.test(json.id) && json['certificate.version'] !== undefined) return true;
  if (typeof json.note === 'string' && json.note.includes('::')) return true;
  if (typeof json.name === 'string' && typeof json.notice === 'boolean' && typeof json.peer === 'string') return true;
  if (zeekProtocolLogType(json) !== undefined) return true;
  return typeof json.peer_descr === 'string' || typeof json.conn_state === 'string';
}

/** The Zeek log type: `_path`, or guessed from the fields that type always writes. */
export function zeekLogType(json: Zeek): string {
  const path = json._path;
  if (typeof path === 'string' && path !== '' && path.length < 64 && !isUnsafeKey(path)) return path;
  const protocolLog = zeekProtocolLogType(json);
  if (protocolLog !== undefined) return protocolLog;
  if (json.note !== undefined) return 'notice';
  if (json.conn_state !== undefined || json.history !== undefined || json.orig_ip_bytes !== undefined) return 'conn';
  if (json.query !== undefined || json.qtype_name !== undefined || json.rcode_name !== undefined) return 'dns';
  if (json.method !== undefined || json.status_code !== undefined || json.trans_depth !== undefined) {
    // smtp.log also writes trans_depth; its own fields decide.
    if (json.helo === undefined && json.mailfrom === undefined && json.last_reply === undefined) return 'http';
  }
  if (json.cipher !== undefined || json.server_name !== undefined || json.established !== undefined) return 'ssl';
  if (json['certificate.subject'] !== undefined || json['certificate.version'] !== undefined) return 'x509';
  if (json.fuid !== undefined && (json.mime_type !== undefined || json.source !== undefined)) return 'files';
  if (json.auth_success !== undefined || json.auth_attempts !== undefined) return 'ssh';
  if (
    json.mailfrom !== undefined ||
    json.rcptto !== undefined ||
    json.helo !== undefined ||
    json.last_reply !== undefined
  )
    return 'smtp';
  if (json.name !== undefined && (json.addl !== undefined || typeof json.notice === 'boolean')) return 'weird';
  if (json.assigned_addr !== undefined || json.mac !== undefined) return 'dhcp';
  if (json.request_type !== undefined && json.client !== undefined) return 'kerberos';
  return 'unknown';
}

/** Transport of the protocols Zeek only sees over TCP, for logs that do not write `proto`. */
const tcpLogTypes = new Set(['http', 'ssl', 'ssh', 'smtp']);

function parseZeek(record: RawRecord): EcsEvent | ParseFailure {
  const outer = (record.json as Zeek | undefined) ?? decodeObject(record.text);
  if (!outer) return parseFailure(record, 'zeek', 'not a JSON object (truncated or not a Zeek JSON log)');
  const wrapped = outer.ts === undefined ? unwrapSplunk(outer) : undefined;
  const zeek = wrapped?.zeek ?? outer;
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
  if (wrapped) {
    // The Zeek record is the original; the export wrapper only adds where it was collected.
    meta.original = wrapped.raw;
    put(doc, 'host.name', wrapped.host);
    put(doc, 'log.file.path', wrapped.source);
  }

  const uid = stringOf(zeek.uid);
  put(doc, 'event.id', uid);
  const transport = stringOf(zeek.proto)?.toLowerCase() ?? (tcpLogTypes.has(logType) ? 'tcp' : undefined);
  const icmp = transport === 'icmp' || transport === 'icmpv6' || transport === 'ipv6-icmp';
  const sourceIp = ipOf(zeek['id.orig_h']) ?? ipOf(zeek.src) ?? ipOf(zeek.orig_h);
  const destinationIp = ipOf(zeek['id.resp_h']) ?? ipOf(zeek.dst) ?? ipOf(zeek.resp_h);
  // Zeek writes an ICMP flow's type and code as its ports; they are not ports in ECS.
  const sourcePort = portOf(zeek['id.orig_p']);
  const destinationPort = portOf(zeek['id.resp_p']) ?? portOf(zeek.p);
  put(doc, 'source.address', sourceIp);
  put(doc, 'source.ip', sourceIp);
  if (!icmp) put(doc, 'source.port', sourcePort);
  put(doc, 'destination.address', destinationIp);
  put(doc, 'destination.ip', destinationIp);
  if (!icmp) put(doc, 'destination.port', destinationPort);
  relateIps(event, sourceIp, destinationIp);
  put(doc, 'network.transport', transport);
  // Elastic's community_id processor gives no hash for port 0, which is not a valid TCP/UDP port.
  if (icmp || (sourcePort !== 0 && destinationPort !== 0)) {
    put(
      doc,
      'network.community_id',
      communityId(transportNumber(transport), sourceIp, destinationIp, sourcePort, destinationPort),
    );
  }

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
      zeekProtocolMappers.get(logType)?.(doc, zeek);
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

/** Elastic's event.type for each conn_state (Zeek's connection state codes). */
const connStateTypes: Record<string, readonly string[]> = {
  S0: ['connection', 'start'],
  S1: ['connection', 'start'],
  SF: ['connection', 'start', 'end'],
  REJ: ['connection', 'start', 'denied'],
  S2: ['connection', 'info'],
  S3: ['connection', 'info'],
  RSTO: ['connection', 'info'],
  RSTR: ['connection', 'info'],
  RSTOS0: ['connection', 'info'],
  RSTRH: ['connection', 'info'],
  SH: ['connection', 'info'],
  SHR: ['connection', 'info'],
  OTH: ['connection', 'info'],
};

function mapConn(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  const state = stringOf(zeek.conn_state);
  meta.type = [...((state !== undefined ? connStateTypes[state] : undefined) ?? ['connection'])];
  putTrafficCounts(doc, {
    sourceBytes: numberOf(zeek.orig_ip_bytes) ?? numberOf(zeek.orig_bytes),
    destinationBytes: numberOf(zeek.resp_ip_bytes) ?? numberOf(zeek.resp_bytes),
    sourcePackets: numberOf(zeek.orig_pkts),
    destinationPackets: numberOf(zeek.resp_pkts),
  });
  const duration = numberOf(zeek.duration);
  if (duration !== undefined) put(doc, 'event.duration', Math.round(duration * 1e9));
  const service = stringOf(zeek.service);
  if (service) put(doc, 'network.protocol', service.split(',')[0]);
  put(doc, 'source.mac', stringOf(zeek.orig_l2_addr));
  put(doc, 'destination.mac', stringOf(zeek.resp_l2_addr));
  // Elastic tags a flow with the locality flags Zeek wrote, whatever their value.
  if (typeof zeek.local_orig === 'boolean') append(doc, 'tags', 'local_orig');
  if (typeof zeek.local_resp === 'boolean') append(doc, 'tags', 'local_resp');
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

/** DNS class names for Zeek's numeric qclass (RFC 1035 and 2136). */
const dnsClasses: Record<number, string> = { 1: 'IN', 3: 'CH', 4: 'HS', 254: 'NONE', 255: 'ANY' };

function mapDns(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.type = ['connection', 'protocol', 'info'];
  put(doc, 'network.protocol', 'dns');
  put(doc, 'dns.id', stringOf(zeek.trans_id));
  const query = stringOf(zeek.query);
  put(doc, 'dns.question.name', query);
  if (query) {
    append(doc, 'related.hosts', query);
    putDomainParts(doc, 'dns.question', query);
  }
  put(doc, 'dns.question.type', stringOf(zeek.qtype_name));
  const qclass = numberOf(zeek.qclass);
  put(doc, 'dns.question.class', qclass !== undefined ? dnsClasses[qclass] : undefined);
  put(doc, 'dns.response_code', stringOf(zeek.rcode_name));
  put(doc, 'dns.type', zeek.rcode_name !== undefined ? 'answer' : 'query');
  const rcode = numberOf(zeek.rcode);
  meta.outcome = rcode !== undefined && rcode !== 0 ? 'failure' : 'success';
  const rtt = numberOf(zeek.rtt);
  if (rtt !== undefined) put(doc, 'event.duration', Math.round(rtt * 1e9));
  for (const flag of ['AA', 'TC', 'RD', 'RA']) if (zeek[flag] === true) append(doc, 'dns.header_flags', flag);
  if (Array.isArray(zeek.answers)) {
    const ttls = Array.isArray(zeek.TTLs) ? zeek.TTLs : [];
    const answers: JsonObject[] = [];
    const resolved: string[] = [];
    for (const [index, answer] of zeek.answers.entries()) {
      if (typeof answer !== 'string') continue;
      const entry: JsonObject = { data: answer };
      const ttl = numberOf(ttls[index]);
      if (ttl !== undefined) entry.ttl = Math.trunc(ttl);
      answers.push(entry);
      // Every address answer, repeats included, as Elastic lists them.
      const ip = ipOf(answer);
      if (ip) resolved.push(ip);
    }
    if (answers.length > 0) put(doc, 'dns.answers', answers);
    if (resolved.length > 0) put(doc, 'dns.resolved_ip', resolved);
  }
}

const userAgents = new UserAgentParser();

/** A request target Elastic's URL parser rejects (RFC 3986 forbids these characters unescaped). */
const invalidUriCharacter = /[\s"<>\\^`{|}]/;

function mapHttp(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.category = ['network', 'web'];
  meta.type = ['connection', 'protocol', 'info'];
  put(doc, 'network.protocol', 'http');
  const host = stringOf(zeek.host);
  const method = stringOf(zeek.method);
  put(doc, 'http.request.method', method);
  put(doc, 'event.action', method);
  const status = numberOf(zeek.status_code);
  put(doc, 'http.response.status_code', status);
  if (status !== undefined) meta.outcome = status < 400 ? 'success' : 'failure';
  put(doc, 'http.version', stringOf(zeek.version));
  put(doc, 'http.request.referrer', stringOf(zeek.referrer));
  put(doc, 'http.request.body.bytes', numberOf(zeek.request_body_len));
  put(doc, 'http.response.body.bytes', numberOf(zeek.response_body_len));
  const uri = stringOf(zeek.uri);
  if (uri !== undefined && invalidUriCharacter.test(uri)) {
    put(doc, 'url.original', uri);
    append(doc, 'tags', '_zeek_http_url_parse_failure');
  } else putUrl(doc, uri, host);
  put(doc, 'destination.domain', host);
  if (host) append(doc, 'related.hosts', host);
  const agent = stringOf(zeek.user_agent);
  if (agent) doc.user_agent = userAgents.parse(agent);
  const user = stringOf(zeek.username);
  put(doc, 'user.name', user);
  put(doc, 'url.username', user);
  if (user) append(doc, 'related.user', user);
}

/** A DN as Elastic writes it: an escaped comma inside a value (`Example\, Inc.`) is dropped. */
function cleanDistinguishedName(dn: string | undefined): string | undefined {
  return dn?.replaceAll('\\,', '');
}

/** An epoch-seconds (or ISO) certificate time as ISO 8601. */
function certificateTime(value: unknown): string | undefined {
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? parseTimestamp(value) : undefined;
  return ms !== undefined && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function mapSsl(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol'];
  put(doc, 'network.protocol', 'tls');
  const source = doc.source as JsonObject | undefined;
  const destination = doc.destination as JsonObject | undefined;
  put(doc, 'client.address', stringOf(source?.address));
  put(doc, 'server.address', stringOf(destination?.address));
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
  const subject = cleanDistinguishedName(stringOf(zeek.subject));
  const issuer = cleanDistinguishedName(stringOf(zeek.issuer));
  put(doc, 'tls.server.subject', subject);
  put(doc, 'tls.server.issuer', issuer);
  putDistinguishedName(doc, 'tls.server.x509.subject', subject);
  putDistinguishedName(doc, 'tls.server.x509.issuer', issuer);
  const clientSubject = cleanDistinguishedName(stringOf(zeek.client_subject));
  const clientIssuer = cleanDistinguishedName(stringOf(zeek.client_issuer));
  put(doc, 'tls.client.subject', clientSubject);
  put(doc, 'tls.client.issuer', clientIssuer);
  putDistinguishedName(doc, 'tls.client.x509.subject', clientSubject);
  putDistinguishedName(doc, 'tls.client.x509.issuer', clientIssuer);
  put(doc, 'tls.server.not_before', certificateTime(zeek.not_valid_before));
  put(doc, 'tls.server.not_after', certificateTime(zeek.not_valid_after));
  put(doc, 'tls.server.hash.sha1', stringOf(zeek.resp_certificate_sha1)?.toUpperCase());
  const ja3 = stringOf(zeek.ja3);
  const ja3s = stringOf(zeek.ja3s);
  put(doc, 'tls.client.ja3', ja3);
  put(doc, 'tls.server.ja3s', ja3s);
  append(doc, 'related.hash', ja3s);
  append(doc, 'related.hash', ja3);
}

/** The first string of a Zeek set/vector field (files.log writes hosts and uids as arrays). */
function firstString(value: unknown): string | undefined {
  return Array.isArray(value) ? stringOf(value[0]) : stringOf(value);
}

function mapFiles(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.category = ['file'];
  meta.type = ['info'];
  put(doc, 'event.id', firstString(zeek.conn_uids));
  // The sending host serves the file; the receiving host is its client.
  const sender = ipOf(firstString(zeek.tx_hosts));
  const receiver = ipOf(firstString(zeek.rx_hosts));
  put(doc, 'server.ip', sender);
  put(doc, 'client.ip', receiver);
  for (const hosts of [zeek.tx_hosts, zeek.rx_hosts]) {
    for (const host of Array.isArray(hosts) ? hosts : [hosts]) append(doc, 'related.ip', ipOf(host));
  }
  put(doc, 'file.name', stringOf(zeek.filename));
  put(doc, 'file.mime_type', stringOf(zeek.mime_type));
  put(doc, 'file.size', numberOf(zeek.total_bytes) ?? numberOf(zeek.seen_bytes));
  for (const algorithm of ['md5', 'sha1', 'sha256']) {
    const digest = stringOf(zeek[algorithm]);
    put(doc, `file.hash.${algorithm}`, digest);
    append(doc, 'related.hash', digest);
  }
}

function mapSsh(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol'];
  put(doc, 'network.protocol', 'ssh');
  if (typeof zeek.auth_success === 'boolean') put(doc, 'event.outcome', zeek.auth_success ? 'success' : 'failure');
}

/** OpenSSL signature algorithm names as ECS writes them (Go's x509 names, as Elastic's pipeline maps them). */
const signatureAlgorithms: Record<string, string> = {
  md2WithRSAEncryption: 'MD2-RSA',
  md5WithRSAEncryption: 'MD5-RSA',
  sha1WithRSAEncryption: 'SHA1-RSA',
  sha256WithRSAEncryption: 'SHA256-RSA',
  sha384WithRSAEncryption: 'SHA384-RSA',
  sha512WithRSAEncryption: 'SHA512-RSA',
  rsassaPss: 'RSASSA-PSS',
  dsaWithSHA1: 'DSA-SHA1',
  dsa_with_SHA256: 'DSA-SHA256',
  'ecdsa-with-SHA1': 'ECDSA-SHA1',
  'ecdsa-with-SHA256': 'ECDSA-SHA256',
  'ecdsa-with-SHA384': 'ECDSA-SHA384',
  'ecdsa-with-SHA512': 'ECDSA-SHA512',
  ED25519: 'Ed25519',
};

function mapX509(doc: JsonObject, zeek: Zeek): void {
  const meta = doc.event as JsonObject;
  meta.type = ['info'];
  // x509.log describes a certificate file (its id is the file id), not a TLS session.
  put(doc, 'event.id', stringOf(zeek.id));
  const prefix = 'file.x509';
  put(doc, `${prefix}.version_number`, stringOf(zeek['certificate.version']));
  put(doc, `${prefix}.serial_number`, stringOf(zeek['certificate.serial']));
  putDistinguishedName(doc, `${prefix}.subject`, cleanDistinguishedName(stringOf(zeek['certificate.subject'])));
  putDistinguishedName(doc, `${prefix}.issuer`, cleanDistinguishedName(stringOf(zeek['certificate.issuer'])));
  put(doc, `${prefix}.not_before`, certificateTime(zeek['certificate.not_valid_before']));
  put(doc, `${prefix}.not_after`, certificateTime(zeek['certificate.not_valid_after']));
  put(doc, `${prefix}.public_key_algorithm`, stringOf(zeek['certificate.key_alg']));
  const signature = stringOf(zeek['certificate.sig_alg']);
  put(
    doc,
    `${prefix}.signature_algorithm`,
    signature !== undefined ? (signatureAlgorithms[signature] ?? signature) : undefined,
  );
  put(doc, `${prefix}.public_key_size`, numberOf(zeek['certificate.key_length']));
  put(doc, `${prefix}.public_key_exponent`, numberOf(zeek['certificate.exponent']));
  put(doc, `${prefix}.public_key_curve`, stringOf(zeek['certificate.curve']));
  const names = zeek['san.dns'];
  if (Array.isArray(names)) {
    const strings = names.filter((name): name is string => typeof name === 'string');
    if (strings.length > 0) put(doc, `${prefix}.alternative_names`, strings);
  }
}

function mapSmtp(doc: JsonObject, zeek: Zeek): void {
  (doc.event as JsonObject).type = ['connection', 'protocol'];
  put(doc, 'network.protocol', 'smtp');
  if (typeof zeek.tls === 'boolean') put(doc, 'tls.established', zeek.tls);
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
  description:
    'Zeek JSON logs (43 log types: conn, dns, http, ssl, files, x509, dhcp, kerberos, smb, …; others generically), also Splunk exports',
  sniff: sniffZeek,
  parse: parseZeek,
};
