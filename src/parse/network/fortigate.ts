// FortiGate key=value syslog (traffic, utm, dns and event logs) → ECS, field for field as Elastic's
// fortinet_fortigate integration maps them. The device writes its own date, time and zone
// (`tz="-0500"`); without `tz` the source's configured zone applies. Keys not mapped to ECS are
// kept under fortinet.firewall.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { epochDigitsToMs, parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { putDomainParts } from './domain-parts.ts';
import { type KeyValues, parseKeyValues } from './key-values.ts';
import { append, communityId, formatMac, ipOf, newEvent, numberOf, portOf, put } from './network-fields.ts';
import { bodyOf, putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'fortigate';

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffFortigate(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  const body = bodyOf(text);
  // FortiGate bodies start with `date=` (or `logver=`/`timestamp=` on newer firmware) and carry logid.
  if (
    !(
      body.startsWith('date=') ||
      body.startsWith('logver=') ||
      body.startsWith('timestamp=') ||
      body.startsWith('logdate=')
    )
  )
    return false;
  // logid comes early in every record, with devid/devname or (logs written without the device
  // header) the log type.
  const head = body.length > 2048 ? body.slice(0, 2048) : body;
  if (head.indexOf(' logid=') === -1) return false;
  return head.indexOf(' devid=') !== -1 || head.indexOf(' devname=') !== -1 || head.indexOf(' type=') !== -1;
}

/** IANA protocol numbers as Elastic names them for FortiGate's `proto`. */
const transports: Record<string, string> = {
  '0': 'hopopt',
  '1': 'icmp',
  '2': 'igmp',
  '6': 'tcp',
  '8': 'egp',
  '17': 'udp',
  '47': 'gre',
  '50': 'esp',
  '51': 'ah',
  '58': 'ipv6-icmp',
  '89': 'ospf',
  '112': 'vrrp',
  '132': 'sctp',
};

const directions = new Set(['ingress', 'egress', 'inbound', 'outbound', 'internal', 'external']);
const wordKey = /^\w+$/;
const controlCharacters = /[\u0000-\u001F\u007F]/g;

/** Reads the record's keys; keys read with `take` are mapped to ECS and left out of fortinet.firewall. */
class FieldReader {
  private readonly used = new Set<string>();
  private readonly fields: KeyValues;
  constructor(fields: KeyValues) {
    this.fields = fields;
  }
  take(key: string): string | undefined {
    const value = this.fields[key];
    if (value !== undefined) this.used.add(key);
    return value;
  }
  peek(key: string): string | undefined {
    return this.fields[key];
  }
  rest(): JsonObject {
    const vendor: JsonObject = {};
    for (const key in this.fields) if (!this.used.has(key)) vendor[key] = this.fields[key]!;
    return vendor;
  }
}

/** One side of a connection as the record names it. */
interface Endpoint {
  ip?: string | undefined;
  port?: number | undefined;
  bytes?: number | undefined;
  packets?: number | undefined;
  mac?: string | undefined;
  address?: string | undefined;
  domain?: string | undefined;
  natIp?: string | undefined;
  natPort?: number | undefined;
  userName?: string | undefined;
  groupName?: string | undefined;
}

function parseFortigate(record: RawRecord): EcsEvent | ParseFailure {
  const { header, body } = syslogBody(record);
  const parsed = parseKeyValues(body.replace(controlCharacters, ''));
  if (parsed.logid === undefined && parsed.devid === undefined && parsed.devname === undefined)
    return parseFailure(record, format, 'no logid/devid: not a FortiGate key=value record');
  // "N/A" is FortiGate's empty value; keys that are not words are line noise.
  const fields: KeyValues = Object.create(null);
  for (const key in parsed) if (parsed[key] !== 'N/A' && wordKey.test(key)) fields[key] = parsed[key]!;
  const reader = new FieldReader(fields);

  const zone = normalizeZone(reader.take('tz'));
  const date = reader.take('date');
  const clock = reader.take('time');
  let time: number | undefined;
  if (date !== undefined && clock !== undefined) {
    time = parseTimestamp(`${date}T${clock}${zone ?? ''}`, { timezone: record.timezone });
    if (time === undefined && zone !== undefined)
      time = parseTimestamp(`${date}T${clock}`, { timezone: record.timezone });
  }
  const event = newEvent(record, time ?? header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  put(doc, 'event.timezone', zone ?? record.timezone);
  const eventTime = reader.take('eventtime');
  if (eventTime !== undefined && /^\d{9,19}$/.test(eventTime)) {
    const start = epochDigitsToMs(eventTime);
    if (start !== undefined) put(doc, 'event.start', toIsoUtc(start));
  }
  put(doc, 'event.code', reader.take('logid'));
  put(doc, 'log.level', reader.take('level'));
  putSyslogPriority(doc, header);
  put(doc, 'message', reader.take('msg'));

  put(doc, 'observer.vendor', 'Fortinet');
  put(doc, 'observer.product', 'Fortigate');
  put(doc, 'observer.type', 'firewall');
  put(doc, 'observer.name', reader.take('devname') ?? header?.hostname);
  put(doc, 'observer.serial_number', reader.take('devid'));
  put(doc, 'observer.ingress.interface.name', reader.take('srcintf') ?? reader.take('src_int'));
  put(doc, 'observer.egress.interface.name', reader.take('dstintf') ?? reader.take('dst_int'));
  const duration = numberOf(reader.take('duration'));
  if (duration !== undefined) put(doc, 'event.duration', duration * 1e9);
  put(doc, 'email.subject', reader.take('subject'));
  put(doc, 'host.name', reader.take('srcname')?.toLowerCase());

  const type = reader.peek('type');
  const source: Endpoint = {};
  const destination: Endpoint = {};
  if (type === 'traffic') mapTraffic(reader, doc, source, destination);
  else if (type === 'utm' || type === 'dns') mapUtm(reader, doc, source, destination);
  else if (type === 'event') mapEventLog(reader, doc, source, destination);
  else mapConnection(reader, doc, source, destination);

  const message = doc.message;
  if (typeof message === 'string' && /login|logged in/i.test(message)) mapLogin(reader, doc, source, type);
  if (meta.action === undefined) put(doc, 'event.action', reader.take('eventtype'));
  put(doc, 'event.reason', reader.take('reason') ?? reader.take('eventsubtype'));

  putEndpoint(doc, 'source', source);
  putEndpoint(doc, 'destination', destination);
  put(doc, 'destination.mac', formatMac(reader.take('dstmac')));
  if (source.bytes !== undefined && destination.bytes !== undefined)
    put(doc, 'network.bytes', source.bytes + destination.bytes);
  if (source.packets !== undefined && destination.packets !== undefined)
    put(doc, 'network.packets', source.packets + destination.packets);
  const protocolNumber = (doc.network as JsonObject | undefined)?.iana_number;
  if (typeof protocolNumber === 'string') {
    put(doc, 'network.transport', transports[protocolNumber]);
    put(
      doc,
      'network.community_id',
      communityId(numberOf(protocolNumber), source.ip, destination.ip, source.port, destination.port),
    );
  }
  putDirection(reader, doc, source.ip, destination.ip);

  for (const ip of [source.ip, destination.ip, source.natIp, destination.natIp]) append(doc, 'related.ip', ip);
  for (const key of ['ip', 'assignip', 'tunnelip']) append(doc, 'related.ip', ipOf(reader.peek(key)));
  const resolved = (doc.dns as JsonObject | undefined)?.resolved_ip;
  if (Array.isArray(resolved)) for (const ip of resolved) append(doc, 'related.ip', ipOf(ip));
  append(doc, 'related.user', source.userName);
  append(doc, 'related.user', destination.userName);
  append(doc, 'related.hosts', destination.address);
  append(doc, 'related.hosts', source.address);
  append(doc, 'related.hosts', (doc.host as JsonObject | undefined)?.name as string | undefined);
  append(
    doc,
    'related.hosts',
    ((doc.dns as JsonObject | undefined)?.question as JsonObject | undefined)?.name as string,
  );

  event.fortinet = { firewall: reader.rest() };
  return event;
}

/** Traffic logs: a session allowed, denied or closed by a policy. */
function mapTraffic(reader: FieldReader, doc: JsonObject, source: Endpoint, destination: Endpoint): void {
  const action = reader.peek('action');
  const utmAction = reader.peek('utmaction');
  const application = reader.take('app');
  put(doc, 'event.action', action);
  if (action !== undefined) put(doc, 'event.outcome', 'success');
  append(doc, 'event.category', 'network');
  append(doc, 'event.type', 'connection');
  if (action === 'start') append(doc, 'event.type', 'start');
  else if (action !== undefined) append(doc, 'event.type', 'end');
  if (application !== undefined && action !== 'deny') append(doc, 'event.type', 'protocol');
  if (utmAction === undefined && action !== 'deny') append(doc, 'event.type', 'allowed');
  if (utmAction === 'block' || action === 'deny') append(doc, 'event.type', 'denied');

  destination.ip = ipOf(reader.take('dstip'));
  destination.natIp = ipOf(reader.take('tranip'));
  destination.port = portOf(reader.take('dstport'));
  destination.natPort = portOf(reader.take('tranport'));
  destination.bytes = numberOf(reader.take('rcvdbyte'));
  destination.packets = numberOf(reader.take('rcvdpkt'));
  destination.address = reader.take('dstname');
  destination.domain = destination.address;
  destination.userName = reader.take('dstunauthuser') ?? reader.take('dstuser');
  source.groupName = reader.take('group');
  source.bytes = numberOf(reader.take('sentbyte'));
  source.packets = numberOf(reader.take('sentpkt'));
  source.domain = reader.take('srcdomain');
  source.ip = ipOf(reader.take('srcip'));
  source.mac = reader.take('srcmac');
  source.port = portOf(reader.take('srcport'));
  source.userName = reader.take('unauthuser') ?? reader.take('user') ?? reader.take('srcuser');
  source.natIp = ipOf(reader.peek('transip'));
  source.natPort = portOf(reader.take('transport'));
  append(doc, 'email.to.address', reader.take('dstcollectedemail'));
  append(doc, 'email.from.address', reader.take('collectedemail'));
  put(doc, 'network.application', application);
  put(doc, 'file.name', reader.take('filename'));
  put(doc, 'rule.description', reader.take('comment'));
  put(doc, 'rule.id', reader.take('policyid'));
  put(doc, 'rule.uuid', reader.take('poluuid'));
  put(doc, 'rule.ruleset', reader.take('policytype'));
  put(doc, 'rule.name', reader.take('policyname'));
  put(doc, 'rule.category', reader.take('appcat')?.replaceAll('.', '-'));
  put(doc, 'network.iana_number', reader.take('proto'));
  put(doc, 'network.protocol', reader.take('service')?.toLowerCase());
  put(doc, 'threat.feed.name', reader.take('srcthreatfeed'));
  putUrl(doc, reader.take('url'));
  dropUrlOriginal(doc);
}

/** UTM logs (antivirus, web filter, IPS, application control, DNS, SSL, email …). */
function mapUtm(reader: FieldReader, doc: JsonObject, source: Endpoint, destination: Endpoint): void {
  const action = reader.peek('action');
  if (action === 'block' || action === 'blocked') append(doc, 'event.type', 'denied');
  if (reader.peek('subtype') === 'dns') append(doc, 'event.type', 'info');
  if (action === 'pass' || action === 'passthrough') append(doc, 'event.type', 'allowed');
  if (action !== undefined) put(doc, 'event.outcome', 'success');
  append(doc, 'event.category', 'network');

  destination.ip = ipOf(reader.take('dstip')) ?? ipOf(reader.take('remip'));
  destination.port =
    portOf(reader.take('dst_port')) ?? portOf(reader.take('remport')) ?? portOf(reader.take('dstport'));
  destination.bytes = numberOf(reader.take('rcvdbyte'));
  source.groupName = reader.take('group');
  source.ip = ipOf(reader.take('locip')) ?? ipOf(reader.take('srcip'));
  source.port = portOf(reader.take('locport')) ?? portOf(reader.take('src_port')) ?? portOf(reader.take('srcport'));
  source.bytes = numberOf(reader.take('sentbyte'));
  source.domain = reader.take('srcdomain');
  source.mac = reader.take('srcmac');
  source.userName = reader.take('unauthuser') ?? reader.take('user') ?? reader.take('srcuser');
  destination.userName = reader.take('dstuser');
  append(doc, 'email.to.address', reader.take('recipient'));
  append(doc, 'email.sender.address', reader.peek('sender'));
  append(doc, 'email.from.address', reader.take('from'));
  put(doc, 'http.request.method', reader.take('httpmethod'));
  put(doc, 'http.request.referrer', reader.take('referralurl'));
  put(doc, 'user_agent.original', reader.take('agent'));
  put(doc, 'network.application', reader.take('app'));
  put(doc, 'rule.ruleset', reader.take('applist') ?? reader.take('profile'));
  put(doc, 'rule.category', (reader.take('appcat') ?? reader.take('catdesc'))?.replaceAll('.', '-'));
  put(doc, 'rule.id', reader.take('policy_id') ?? reader.take('policyid'));
  put(doc, 'event.message', reader.take('error'));
  const errorCode = reader.take('errorcode');
  if (errorCode !== undefined) put(doc, 'event.code', errorCode);
  put(doc, 'event.id', reader.take('event_id') ?? reader.take('eventid'));
  put(doc, 'event.reference', reader.take('ref'));
  put(doc, 'file.name', reader.take('filename') ?? reader.take('infectedfilename') ?? reader.take('matchedfilename'));
  put(doc, 'file.size', numberOf(reader.take('filesize') ?? reader.take('infectedfilesize')));
  put(
    doc,
    'file.extension',
    reader.take('filetype') ?? reader.take('infectedfiletype') ?? reader.take('matchedfiletype'),
  );
  put(doc, 'network.iana_number', reader.take('proto'));
  put(doc, 'network.protocol', reader.take('service')?.toLowerCase());
  const hostname = reader.take('hostname');
  const url = reader.take('url');
  if (url !== undefined) {
    putUrl(doc, url, hostname);
    dropUrlOriginal(doc);
  } else put(doc, 'url.domain', hostname);
  const dtype = reader.take('dtype');
  if (dtype !== undefined) append(doc, 'vulnerability.category', dtype);

  const resolved = reader.take('ipaddr');
  if (resolved !== undefined) put(doc, 'dns.resolved_ip', resolved.split(', '));
  put(doc, 'dns.id', reader.take('xid'));
  put(doc, 'dns.question.class', reader.take('qclass'));
  put(doc, 'dns.question.type', reader.take('qtype'));
  const question = reader.take('qname');
  put(doc, 'dns.question.name', question);
  putDomainParts(doc, 'dns.question', question);

  mapTls(reader, doc);
  const crc32 = reader.take('filehash');
  if (crc32 !== undefined) {
    put(doc, 'fortinet.file.hash.crc32', crc32);
    append(doc, 'related.hash', crc32);
  }
}

/** Certificate and handshake details of SSL inspection and app-control logs. */
function mapTls(reader: FieldReader, doc: JsonObject): void {
  const commonName = reader.take('scertcname');
  if (commonName !== undefined) append(doc, 'tls.server.x509.subject.common_name', commonName);
  const serverIssuer = reader.take('scertissuer') ?? reader.take('sender') ?? reader.take('issuer');
  put(doc, 'tls.server.issuer', serverIssuer);
  if (serverIssuer !== undefined) append(doc, 'tls.server.x509.issuer.common_name', serverIssuer);
  const clientIssuer = reader.take('ccertissuer');
  put(doc, 'tls.client.issuer', clientIssuer);
  if (clientIssuer !== undefined) append(doc, 'tls.client.x509.issuer.common_name', clientIssuer);
  const keyAlgorithm = reader.take('authalgo') ?? reader.take('keyalgo');
  put(doc, 'tls.server.x509.public_key_algorithm', keyAlgorithm);
  put(doc, 'tls.client.x509.public_key_algorithm', keyAlgorithm);
  const notBefore = reader.take('notbefore');
  const notAfter = reader.take('notafter');
  put(doc, 'tls.server.not_before', notBefore);
  put(doc, 'tls.server.x509.not_before', notBefore);
  put(doc, 'tls.server.not_after', notAfter);
  put(doc, 'tls.server.x509.not_after', notAfter);
  put(doc, 'tls.server.x509.public_key_size', numberOf(reader.take('keysize')));
  put(doc, 'tls.server.x509.serial_number', reader.take('sn'));
  const certificateHash = reader.take('certhash');
  put(doc, 'tls.server.hash.sha1', certificateHash);
  append(doc, 'related.hash', certificateHash);
  const alternativeNames = reader.take('san');
  if (alternativeNames !== undefined)
    for (const name of alternativeNames.split(';')) append(doc, 'tls.server.x509.alternative_names', name);
  append(doc, 'tls.server.x509.alternative_names', reader.take('cn'));
  put(doc, 'tls.curve', reader.take('kxcurve'));
  put(doc, 'tls.cipher', reader.take('cipher'));
  const serverName = reader.take('sni');
  put(doc, 'tls.client.server_name', serverName);
  put(doc, 'destination.domain', serverName);
  if (reader.peek('handshake') === 'full') put(doc, 'tls.established', true);
  const version = /^(\D+)(\d.*)$/.exec(reader.take('tlsver')?.toLowerCase() ?? '');
  if (version) {
    put(doc, 'tls.version_protocol', version[1]!);
    put(doc, 'tls.version', version[2]!.includes('.') ? version[2]! : `${version[2]}.0`);
  }
}

const logonActions = new Set(['FSSO-logon', 'auth-logon']);
const logoffActions = new Set(['FSSO-logoff', 'auth-logout']);

/** Event logs: system, VPN, user authentication, HA, SD-WAN, wireless … */
function mapEventLog(reader: FieldReader, doc: JsonObject, source: Endpoint, destination: Endpoint): void {
  const action = reader.peek('action');
  const subtype = reader.peek('subtype');
  const result = reader.peek('result');
  const status = reader.peek('status');
  if (result === 'ERROR' || status === 'negotiate_error' || status === 'failure') put(doc, 'event.outcome', 'failure');
  else if (result === 'OK' || (action !== undefined && (logonActions.has(action) || logoffActions.has(action))))
    put(doc, 'event.outcome', 'success');
  if (action !== undefined && logonActions.has(action)) append(doc, 'event.type', 'start');
  if (action !== undefined && logoffActions.has(action)) append(doc, 'event.type', 'end');
  if (subtype === 'vpn') {
    append(doc, 'event.type', 'connection');
    append(doc, 'event.category', 'network');
  }
  if (action === 'perf-stats') {
    append(doc, 'event.type', 'info');
    append(doc, 'event.category', 'host');
  }
  if (subtype === 'update') {
    append(doc, 'event.type', 'info');
    append(doc, 'event.category', 'host');
    append(doc, 'event.category', 'malware');
  }
  if (subtype === 'user') append(doc, 'event.category', 'authentication');

  mapConnection(reader, doc, source, destination);
  put(doc, 'error.code', reader.take('error_num'));
  put(doc, 'rule.description', reader.take('logdesc'));
  const sessionDuration = numberOf(reader.take('sess_duration'));
  if (sessionDuration !== undefined && (doc.event as JsonObject).duration === undefined)
    put(doc, 'event.duration', sessionDuration * 1e9);
  const hostname = reader.take('hostname');
  const url = reader.take('url');
  if (url !== undefined) {
    putUrl(doc, url);
    dropUrlOriginal(doc);
  }
  put(doc, 'url.domain', hostname);
  if (subtype === 'vpn') {
    // VPN logs name the remote peer remip and the firewall locip: the peer is the source.
    const user = { userName: source.userName, groupName: source.groupName };
    const remote = { ...destination };
    Object.assign(destination, source, { userName: undefined, groupName: undefined });
    Object.assign(source, remote, user);
    source.userName = reader.take('eapuser') ?? reader.take('xauthuser') ?? source.userName;
  }
}

/** The endpoint keys event logs (and logs of unknown type) share. */
function mapConnection(reader: FieldReader, doc: JsonObject, source: Endpoint, destination: Endpoint): void {
  destination.ip = ipOf(reader.take('dstip')) ?? ipOf(reader.take('remip'));
  destination.port = portOf(reader.take('dstport')) ?? portOf(reader.take('remport'));
  destination.bytes = numberOf(reader.take('rcvdbyte'));
  destination.address = reader.take('daddr') ?? reader.take('dst_host');
  destination.userName = reader.take('dstuser');
  source.groupName = reader.take('group');
  source.bytes = numberOf(reader.take('sentbyte'));
  source.ip = ipOf(reader.take('srcip')) ?? ipOf(reader.take('locip'));
  source.mac = reader.take('srcmac') ?? reader.take('source_mac');
  source.port = portOf(reader.take('srcport')) ?? portOf(reader.take('locport'));
  source.userName = reader.take('user') ?? reader.take('srcuser');
  source.address = reader.take('saddr');
  // Admin events name the peer only inside `ui="https(10.0.0.1)"`.
  source.ip ??= ipOf(/\(([^)]+)\)/.exec(reader.peek('ui') ?? '')?.[1]);
  put(doc, 'user_agent.original', reader.take('agent'));
  put(doc, 'file.name', reader.take('file') ?? reader.take('filename'));
  put(doc, 'file.size', numberOf(reader.take('filesize')));
  put(doc, 'rule.id', reader.take('policyid'));
  put(doc, 'network.iana_number', reader.take('proto'));
  put(doc, 'network.protocol', reader.take('service')?.toLowerCase());
}

/** Logins and logouts (admin, SSH, VPN users): the user, their role and the outcome from the message. */
function mapLogin(reader: FieldReader, doc: JsonObject, source: Endpoint, type: string | undefined): void {
  const meta = doc.event as JsonObject;
  if (type !== 'traffic' || meta.action === undefined) put(doc, 'event.action', 'login');
  append(doc, 'event.category', 'authentication');
  // Traffic and UTM logs name their user only after this step in Elastic's pipeline.
  if (type === 'event') put(doc, 'user.name', source.userName);
  const roles: string[] = [];
  const profile = reader.take('adminprof');
  if (profile !== undefined) roles.push(profile);
  const from = /^JSON\((.+)\)$/.exec(reader.peek('userfrom') ?? '');
  if (from) source.ip = ipOf(from[1]) ?? source.ip;
  // Login messages are one short sentence; longer text is not read for them.
  const message = (doc.message as string).slice(0, 1024);
  let outcome: string | undefined;
  if (message.startsWith('user')) outcome = /^User login\/logout (.+)$/.exec(reader.peek('desc') ?? '')?.[1];
  const ssh = /^Login from ssh: (\S+) for (\S+) from (\S+) port (\d+)/.exec(message);
  const admin = !message.startsWith('Administrator')
    ? null
    : /logged in/i.test(message)
      ? /^(\S+) (\S+) logged in (\S+) from [^\s(]*\(([^\s)]*)\)/.exec(message)
      : /^(\S+) (\S+) login (\S+) from [^\s(]*\(([^\s)]*)\) /.exec(message);
  if (ssh) {
    outcome = ssh[1];
    put(doc, 'user.name', ssh[2]!);
    source.ip = ipOf(ssh[3]) ?? source.ip;
    source.port = portOf(ssh[4]) ?? source.port;
  } else if (admin) {
    roles.push(admin[1]!);
    put(doc, 'user.name', admin[2]!);
    outcome = admin[3];
    source.ip = ipOf(admin[4]) ?? source.ip;
  }
  const normalized = outcome?.toLowerCase();
  if (normalized?.startsWith('fail')) put(doc, 'event.outcome', 'failure');
  else if (normalized?.startsWith('success')) put(doc, 'event.outcome', 'success');
  put(doc, 'event.id', reader.take('log_id'));
  const priority = reader.take('pri');
  if (priority !== undefined) put(doc, 'log.level', priority);
  const deviceId = reader.take('device_id');
  if (deviceId !== undefined) put(doc, 'observer.serial_number', deviceId);
  for (const role of roles) {
    append(doc, 'user.roles', role);
    append(doc, 'source.user.roles', role);
  }
}

function putEndpoint(doc: JsonObject, side: 'source' | 'destination', endpoint: Endpoint): void {
  put(doc, `${side}.ip`, endpoint.ip);
  put(doc, `${side}.port`, endpoint.port);
  put(doc, `${side}.bytes`, endpoint.bytes);
  put(doc, `${side}.packets`, endpoint.packets);
  put(doc, `${side}.mac`, formatMac(endpoint.mac));
  put(doc, `${side}.address`, endpoint.address);
  put(doc, `${side}.domain`, endpoint.domain);
  put(doc, `${side}.nat.ip`, endpoint.natIp);
  put(doc, `${side}.nat.port`, endpoint.natPort);
  put(doc, `${side}.user.name`, endpoint.userName);
  put(doc, `${side}.user.group.name`, endpoint.groupName);
}

/**
 * `dir`/`direction` as the device writes them (outgoing → outbound), else from the addresses:
 * private (RFC 1918 / RFC 4193) on both sides is internal, private to public outbound, and so on.
 */
function putDirection(
  reader: FieldReader,
  doc: JsonObject,
  sourceIp: string | undefined,
  destinationIp: string | undefined,
): void {
  let direction = (reader.take('dir') ?? reader.take('direction'))?.toLowerCase();
  if (direction === 'outgoing') direction = 'outbound';
  else if (direction === 'incoming') direction = 'inbound';
  if (direction === undefined && sourceIp !== undefined && destinationIp !== undefined) {
    const fromInside = isPrivateAddress(sourceIp);
    const toInside = isPrivateAddress(destinationIp);
    direction = fromInside ? (toInside ? 'internal' : 'outbound') : toInside ? 'inbound' : 'external';
  }
  if (direction === undefined) return;
  if (!directions.has(direction)) direction = 'unknown';
  put(doc, 'network.direction', direction);
  // Event logs name one interface; the direction says which side it is.
  const observer = doc.observer as JsonObject;
  const side =
    direction === 'ingress' || direction === 'inbound' || direction === 'internal'
      ? 'ingress'
      : direction === 'unknown'
        ? undefined
        : 'egress';
  if (side !== undefined && (observer[side] as JsonObject | undefined)?.interface === undefined)
    put(doc, `observer.${side}.interface.name`, reader.take('interface'));
}

/** RFC 1918 IPv4 and RFC 4193 (fc00::/7) IPv6 unique local addresses. */
export function isPrivateAddress(ip: string): boolean {
  if (ip.includes(':')) {
    const first = ip.slice(0, 2).toLowerCase();
    return first === 'fc' || first === 'fd';
  }
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** Elastic keeps only the parts for the path-only URLs FortiGate writes. */
function dropUrlOriginal(doc: JsonObject): void {
  const url = doc.url as JsonObject | undefined;
  if (typeof url?.original === 'string' && !url.original.includes('://')) delete url.original;
}

/** `-0500` as written; `UTC+1:00`/`GMT+01:00` as `+0100`. */
function normalizeZone(zone: string | undefined): string | undefined {
  if (zone === undefined) return undefined;
  const human = /^[A-Z]{1,4}([+-])(\d{1,2}):?(\d{2})$/.exec(zone);
  return human ? `${human[1]}${human[2]!.padStart(2, '0')}${human[3]}` : zone;
}

export const fortigateParser: Parser = {
  format,
  description: 'Fortinet FortiGate key=value syslog (traffic, UTM, DNS, event logs)',
  sniff: sniffFortigate,
  parse: parseFortigate,
};
