// Zeek's protocol, inventory and sensor logs beyond the core ones in zeek.ts (dce_rpc, dhcp, ftp,
// kerberos, known_*, smb_*, sip, …) → ECS, as Elastic's Zeek integration maps them. Writers that
// add no `_path` are recognised by fields only that log writes (zeekProtocolLogType).
import type { JsonObject, JsonValue } from '../../model/event.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { append, communityId, ipOf, numberOf, portOf, put, stringOf, transportNumber } from './network-fields.ts';
import { putDistinguishedName } from './url-parts.ts';

type Zeek = Record<string, unknown>;

/** Maps one Zeek log type's fields onto an event that already carries the common flow fields. */
export type ZeekMapper = (doc: JsonObject, zeek: Zeek) => void;

/**
 * The log type of a record without `_path`, from fields only that Zeek log writes, or undefined.
 * Checked before the core types: sip also writes http's method/status_code, signature a notice's
 * note, radius dhcp's mac and kerberos ssl's cipher. Logs of a connection need its Zeek identity
 * (`uid` or `id.orig_h`) too, so that other JSON with a `ts` and a `username` is not taken for Zeek.
 */
export function zeekProtocolLogType(json: Zeek): string | undefined {
  const connection = typeof json.uid === 'string' || json['id.orig_h'] !== undefined;
  return (connection ? connectionLogType(json) : undefined) ?? sensorLogType(json);
}

function connectionLogType(json: Zeek): string | undefined {
  if (json.sig_id !== undefined && (json.event_msg !== undefined || json.sub_msg !== undefined)) return 'signature';
  if (json.call_id !== undefined && (json.request_from !== undefined || json.seq !== undefined)) return 'sip';
  if (json.named_pipe !== undefined || (json.endpoint !== undefined && json.operation !== undefined)) return 'dce_rpc';
  if (json.msg_types !== undefined || json.lease_time !== undefined || json.assigned_addr !== undefined) return 'dhcp';
  if (json.fc_request !== undefined || json.fc_reply !== undefined) return 'dnp3';
  // Zeek 6 writes analyzer_name where older versions wrote analyzer.
  if ((json.analyzer ?? json.analyzer_name) !== undefined && json.failure_reason !== undefined) return 'dpd';
  if (json.request_type !== undefined && (json.client !== undefined || json.service !== undefined)) return 'kerberos';
  if (json.tree !== undefined || json.tree_service !== undefined || json['referenced_file.action'] !== undefined)
    return 'smb_cmd';
  if (json['times.modified'] !== undefined || (typeof json.action === 'string' && json.action.startsWith('SMB::')))
    return 'smb_files';
  if (json.share_type !== undefined || json.native_file_system !== undefined) return 'smb_mapping';
  if (
    json.command !== undefined &&
    (json.reply_code !== undefined || json.password !== undefined || json['data_channel.passive'] !== undefined)
  )
    return 'ftp';
  if (json.command !== undefined && (json.value !== undefined || json.nick !== undefined)) return 'irc';
  if (json.cmd !== undefined && (json.arg !== undefined || json.rows !== undefined || json.response !== undefined))
    return 'mysql';
  if (json.func !== undefined) return 'modbus';
  if (json.server_nb_computer_name !== undefined || json.server_dns_computer_name !== undefined) return 'ntlm';
  if (json.domainname !== undefined && json.username !== undefined) return 'ntlm';
  if (json.stratum !== undefined || json.ref_id !== undefined || json.xmt_time !== undefined) return 'ntp';
  if (json.security_protocol !== undefined || json.cert_count !== undefined || json.keyboard_layout !== undefined)
    return 'rdp';
  if (json.framed_addr !== undefined || json.tunnel_client !== undefined || json.connect_info !== undefined)
    return 'radius';
  if (json.username !== undefined && (json.result !== undefined || json.mac !== undefined)) return 'radius';
  if (json.client_major_version !== undefined || json.authentication_method !== undefined) return 'rfb';
  if (json.get_requests !== undefined || json.get_bulk_requests !== undefined || json.set_requests !== undefined)
    return 'snmp';
  if (json['request.name'] !== undefined || json['request.host'] !== undefined || json['bound.host'] !== undefined)
    return 'socks';
  if (json.tunnel_type !== undefined) return 'tunnel';
  if (json.facility !== undefined && json.severity !== undefined && json.message !== undefined) return 'syslog';
  return undefined;
}

/** Logs about the sensor, hosts, files or a set of connections: no single connection identity. */
function sensorLogType(json: Zeek): string | undefined {
  if (Array.isArray(json.uids) && (json.msg_types !== undefined || json.assigned_addr !== undefined)) return 'dhcp';
  if (json['seen.indicator'] !== undefined || json['seen.where'] !== undefined) return 'intel';
  if (json.certStatus !== undefined || json.issuerNameHash !== undefined) return 'ocsp';
  if (json.machine !== undefined && (json.compile_ts !== undefined || json.is_exe !== undefined)) return 'pe';
  if (json.software_type !== undefined || json.unparsed_version !== undefined) return 'software';
  if (json.port_num !== undefined && json.port_proto !== undefined) return 'known_services';
  if (json.port_num !== undefined && json.issuer_subject !== undefined) return 'known_certs';
  if (json.percent_lost !== undefined && json.gaps !== undefined) return 'capture_loss';
  if (json.pkts_proc !== undefined && json.events_proc !== undefined) return 'stats';
  if (onlyKeys(json, ['ts', 'host']) && ipOf(json.host) !== undefined) return 'known_hosts';
  if (onlyKeys(json, ['ts', 'src', 'dst', 'proto']) && ipOf(json.src) !== undefined && ipOf(json.dst) !== undefined)
    return 'traceroute';
  return undefined;
}

/** Keys a Zeek writer may add to any log: the path and the writer's node and write time. */
const writerKeys = new Set(['_path', '_write_ts', '_node', '_node_name', '_system_name']);

/** The record has all of `keys` and nothing else but writer keys (for the logs of one or two fields). */
function onlyKeys(json: Zeek, keys: readonly string[]): boolean {
  for (const key of keys) if (json[key] === undefined) return false;
  for (const key of Object.keys(json)) if (!keys.includes(key) && !writerKeys.has(key)) return false;
  return true;
}

function meta(doc: JsonObject): JsonObject {
  return doc.event as JsonObject;
}

function classify(doc: JsonObject, category: readonly string[] | undefined, type: readonly string[] | undefined): void {
  const event = meta(doc);
  if (category) event.category = [...category];
  else delete event.category;
  if (type) event.type = [...type];
  else delete event.type;
}

function field(doc: JsonObject, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = node[key];
  }
  return node;
}

/**
 * network.protocol, and the transport Zeek's log implies when it writes no `proto` (these
 * analyzers run over one transport), with the Community ID of the flow it completes.
 */
function protocolFlow(doc: JsonObject, protocol: string | undefined, transport: 'tcp' | 'udp' | undefined): void {
  put(doc, 'network.protocol', protocol);
  if (transport === undefined || field(doc, 'network.transport') !== undefined) return;
  put(doc, 'network.transport', transport);
  const sourcePort = portOf(field(doc, 'source.port'));
  const destinationPort = portOf(field(doc, 'destination.port'));
  // Port 0 is no valid TCP/UDP port: Elastic's community_id processor gives no hash for it.
  if (sourcePort === 0 || destinationPort === 0) return;
  put(
    doc,
    'network.community_id',
    communityId(
      transportNumber(transport),
      stringOf(field(doc, 'source.ip')),
      stringOf(field(doc, 'destination.ip')),
      sourcePort,
      destinationPort,
    ),
  );
}

function putEndpoint(doc: JsonObject, side: 'source' | 'destination', ip: string | undefined, port?: number): void {
  if (ip === undefined) return;
  put(doc, `${side}.address`, ip);
  put(doc, `${side}.ip`, ip);
  put(doc, `${side}.port`, port);
  append(doc, 'related.ip', ip);
}

function putNetworkType(doc: JsonObject, ip: string | undefined): void {
  if (ip !== undefined) put(doc, 'network.type', ip.includes(':') ? 'ipv6' : 'ipv4');
}

function putUser(doc: JsonObject, name: string | undefined, domain?: string): void {
  put(doc, 'user.name', name);
  put(doc, 'user.domain', domain);
  append(doc, 'related.user', name);
}

function putOutcome(doc: JsonObject, success: boolean | undefined): void {
  if (success !== undefined) put(doc, 'event.outcome', success ? 'success' : 'failure');
}

function booleanOf(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A Zeek time (epoch seconds, or ISO from the JSON-ISO writer) in ISO 8601, cut to milliseconds as Elastic does. */
function isoOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : toIsoUtc(ms);
  }
  const seconds = numberOf(value);
  return seconds === undefined ? undefined : toIsoUtc(Math.floor(seconds * 1000));
}

/** The inventory logs (known_*, software) describe one host: host.ip (array, as Elastic writes). */
function putInventoryHost(doc: JsonObject, zeek: Zeek): string | undefined {
  const ip = ipOf(zeek.host);
  if (ip === undefined) return undefined;
  put(doc, 'host.ip', [ip]);
  append(doc, 'related.ip', ip);
  putNetworkType(doc, ip);
  return ip;
}

function mapDhcp(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network'], ['connection', 'protocol', 'info']);
  const uids = Array.isArray(zeek.uids) ? zeek.uids.filter((uid): uid is string => typeof uid === 'string') : [];
  if (uids.length > 0 && field(doc, 'event.id') === undefined) put(doc, 'event.id', uids);
  // A lease is the client (port 68) talking to the server (port 67).
  const client = ipOf(zeek.client_addr);
  const server = ipOf(zeek.server_addr);
  put(doc, 'client.address', client);
  put(doc, 'server.address', server);
  if (field(doc, 'source.ip') === undefined) putEndpoint(doc, 'source', client, client ? 68 : undefined);
  if (field(doc, 'destination.ip') === undefined) putEndpoint(doc, 'destination', server, server ? 67 : undefined);
  put(doc, 'network.name', stringOf(zeek.domain));
  protocolFlow(doc, 'dhcp', 'udp');
}

function mapKerberos(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network', 'authentication'], ['connection', 'protocol', 'access']);
  put(meta(doc), 'action', stringOf(zeek.request_type));
  putOutcome(doc, booleanOf(zeek.success));
  put(doc, 'client.address', stringOf(field(doc, 'source.ip')));
  put(doc, 'server.address', stringOf(field(doc, 'destination.ip')));
  // The client principal is user/REALM.
  const principal = stringOf(zeek.client);
  if (principal) {
    const slash = principal.indexOf('/');
    putUser(
      doc,
      slash === -1 ? principal : principal.slice(0, slash),
      slash === -1 ? undefined : principal.slice(slash + 1),
    );
  }
  // Zeek escapes a comma inside a name part as "\,"; Elastic drops the escape with the comma.
  const subject = (key: string) => stringOf(zeek[key])?.replaceAll('\\,', '');
  putDistinguishedName(doc, 'tls.client.x509.subject', subject('cert.client_subject'));
  putDistinguishedName(doc, 'tls.server.x509.subject', subject('cert.server_subject'));
  protocolFlow(doc, 'kerberos', 'tcp');
}

function mapKnownCerts(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network', 'file'], ['info']);
  const ip = putInventoryHost(doc, zeek);
  if (ip) put(doc, 'server.ip', [ip]);
  put(doc, 'server.port', portOf(zeek.port_num));
  const subject = stringOf(zeek.subject);
  const issuer = stringOf(zeek.issuer_subject);
  put(doc, 'tls.server.subject', subject);
  put(doc, 'tls.server.issuer', issuer);
  put(doc, 'tls.server.x509.subject.distinguished_name', subject);
  put(doc, 'tls.server.x509.issuer.distinguished_name', issuer);
  putDistinguishedName(doc, 'tls.server.x509.subject', subject);
  putDistinguishedName(doc, 'tls.server.x509.issuer', issuer);
  put(doc, 'tls.server.x509.serial_number', stringOf(zeek.serial));
}

function mapKnownServices(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network'], ['info']);
  const ip = ipOf(zeek.host);
  put(doc, 'host.ip', ip);
  put(doc, 'server.ip', ip);
  append(doc, 'related.ip', ip);
  putNetworkType(doc, ip);
  put(doc, 'server.port', portOf(zeek.port_num));
  put(doc, 'network.transport', stringOf(zeek.port_proto)?.toLowerCase());
  const services = Array.isArray(zeek.service) ? zeek.service : [zeek.service];
  for (const service of services) append(doc, 'network.application', stringOf(service));
}

function mapSmbFiles(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network', 'file'], ['connection', 'protocol', 'info']);
  put(meta(doc), 'action', stringOf(zeek.action));
  const name = stringOf(zeek.name);
  const share = stringOf(zeek.path);
  put(doc, 'file.name', name);
  // Elastic doubles the share's backslashes before joining the name; kept for the same file.path.
  if (name && share) put(doc, 'file.path', `${share.replaceAll('\\', '\\\\')}\\${name}`);
  put(doc, 'file.size', numberOf(zeek.size));
  put(doc, 'file.created', isoOf(zeek['times.created']));
  put(doc, 'file.accessed', isoOf(zeek['times.accessed']));
  put(doc, 'file.mtime', isoOf(zeek['times.modified']));
  put(doc, 'file.ctime', isoOf(zeek['times.changed']));
  protocolFlow(doc, 'smb', 'tcp');
}

function mapSignature(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network'], undefined);
  meta(doc).kind = 'alert';
  const source = ipOf(zeek.src_addr);
  const destination = ipOf(zeek.dst_addr);
  if (field(doc, 'source.ip') === undefined) putEndpoint(doc, 'source', source, portOf(zeek.src_port));
  if (field(doc, 'destination.ip') === undefined) putEndpoint(doc, 'destination', destination, portOf(zeek.dst_port));
  putNetworkType(doc, source ?? destination);
  put(doc, 'rule.id', stringOf(zeek.sig_id));
  put(doc, 'rule.description', stringOf(zeek.event_msg));
}

function mapSip(doc: JsonObject, zeek: Zeek): void {
  classify(doc, ['network'], ['connection', 'protocol']);
  put(meta(doc), 'action', stringOf(zeek.method));
  const status = numberOf(zeek.status_code);
  if (status !== undefined) putOutcome(doc, status < 400);
  put(doc, 'url.full', stringOf(zeek.uri));
  put(doc, 'user_agent.original', stringOf(zeek.user_agent));
  protocolFlow(doc, 'sip', 'udp');
}

/** A protocol log Elastic maps to the flow, its type, an action field and an outcome. */
function protocolMapper(options: {
  protocol?: string;
  transport?: 'tcp' | 'udp';
  category?: readonly string[];
  type: readonly string[] | undefined;
  action?: (zeek: Zeek) => string | undefined;
  outcome?: (zeek: Zeek) => boolean | undefined;
  user?: (zeek: Zeek) => string | undefined;
  extra?: ZeekMapper;
}): ZeekMapper {
  return (doc, zeek) => {
    classify(doc, options.category ?? ['network'], options.type);
    if (options.action) put(meta(doc), 'action', options.action(zeek));
    if (options.outcome) putOutcome(doc, options.outcome(zeek));
    if (options.user) putUser(doc, options.user(zeek));
    options.extra?.(doc, zeek);
    protocolFlow(doc, options.protocol, options.transport);
  };
}

const connectionInfo = ['connection', 'protocol', 'info'] as const;

/** RADIUS results with an outcome (Zeek also writes `unknown`). */
const radiusOutcomes: ReadonlyMap<string, boolean> = new Map([
  ['success', true],
  ['failed', false],
]);

/** Zeek log type → mapper, for the types zeek.ts does not map itself. */
export const zeekProtocolMappers: ReadonlyMap<string, ZeekMapper> = new Map<string, ZeekMapper>([
  ['capture_loss', (doc) => classifyMetric(doc, ['info'])],
  ['stats', (doc) => classifyMetric(doc, undefined)],
  [
    'dce_rpc',
    protocolMapper({
      protocol: 'dce_rpc',
      transport: 'tcp',
      type: connectionInfo,
      action: (zeek) => stringOf(zeek.operation),
    }),
  ],
  ['dhcp', mapDhcp],
  [
    'dnp3',
    protocolMapper({
      protocol: 'dnp3',
      transport: 'tcp',
      type: connectionInfo,
      action: (zeek) => (stringOf(zeek.fc_request) ?? stringOf(zeek.fc_reply))?.toLowerCase(),
    }),
  ],
  ['dpd', protocolMapper({ type: ['connection', 'info'] })],
  [
    'ftp',
    protocolMapper({
      protocol: 'ftp',
      transport: 'tcp',
      type: connectionInfo,
      action: (zeek) => stringOf(zeek.command),
      user: (zeek) => stringOf(zeek.user),
      extra: (doc, zeek) => put(doc, 'file.size', numberOf(zeek.file_size)),
    }),
  ],
  [
    'intel',
    (doc) => {
      classify(doc, ['threat'], ['indicator']);
      meta(doc).kind = 'enrichment';
    },
  ],
  [
    'irc',
    protocolMapper({
      protocol: 'irc',
      transport: 'tcp',
      type: connectionInfo,
      action: (zeek) => stringOf(zeek.command),
      user: (zeek) => stringOf(zeek.user),
    }),
  ],
  ['kerberos', mapKerberos],
  ['known_certs', mapKnownCerts],
  [
    'known_hosts',
    (doc, zeek) => {
      classify(doc, ['network', 'host'], ['info']);
      putInventoryHost(doc, zeek);
    },
  ],
  ['known_services', mapKnownServices],
  [
    'modbus',
    protocolMapper({
      protocol: 'modbus',
      transport: 'tcp',
      type: ['connection', 'protocol'],
      action: (zeek) => stringOf(zeek.func),
      outcome: (zeek) => (zeek.func === undefined ? undefined : zeek.exception === undefined),
    }),
  ],
  [
    'mysql',
    protocolMapper({
      protocol: 'mysql',
      transport: 'tcp',
      category: ['network', 'database'],
      type: connectionInfo,
      action: (zeek) => stringOf(zeek.cmd),
      outcome: (zeek) => booleanOf(zeek.success),
    }),
  ],
  [
    'ntlm',
    protocolMapper({
      protocol: 'ntlm',
      transport: 'tcp',
      category: ['network', 'authentication'],
      type: ['connection', 'info'],
      outcome: (zeek) => booleanOf(zeek.success),
      extra: (doc, zeek) => putUser(doc, stringOf(zeek.username), stringOf(zeek.domainname)),
    }),
  ],
  [
    'ntp',
    protocolMapper({
      protocol: 'ntp',
      transport: 'udp',
      type: connectionInfo,
      extra: (doc) => putNetworkType(doc, stringOf(field(doc, 'source.ip'))),
    }),
  ],
  [
    'ocsp',
    (doc) => {
      classify(doc, undefined, undefined);
      // OCSP answers travel over HTTP.
      put(doc, 'network.transport', 'tcp');
    },
  ],
  ['pe', (doc) => classify(doc, ['file'], ['info'])],
  [
    'radius',
    protocolMapper({
      protocol: 'radius',
      transport: 'udp',
      category: ['network', 'authentication'],
      type: ['connection', 'info'],
      outcome: (zeek) => radiusOutcomes.get(stringOf(zeek.result) ?? ''),
      user: (zeek) => stringOf(zeek.username),
    }),
  ],
  [
    'rdp',
    protocolMapper({
      protocol: 'rdp',
      transport: 'tcp',
      type: ['protocol', 'info'],
      extra: (doc, zeek) => {
        const ssl = booleanOf(zeek.ssl);
        if (ssl !== undefined) put(doc, 'tls.established', ssl);
      },
    }),
  ],
  ['rfb', protocolMapper({ protocol: 'rfb', transport: 'tcp', type: ['connection', 'info'] })],
  ['signature', mapSignature],
  ['sip', mapSip],
  [
    'smb_cmd',
    protocolMapper({
      protocol: 'smb',
      transport: 'tcp',
      type: ['connection', 'protocol'],
      action: (zeek) => stringOf(zeek.command),
      outcome: (zeek) => (zeek.status === undefined ? undefined : stringOf(zeek.status) === 'SUCCESS'),
    }),
  ],
  ['smb_files', mapSmbFiles],
  ['smb_mapping', protocolMapper({ protocol: 'smb', transport: 'tcp', type: ['connection', 'protocol'] })],
  ['snmp', protocolMapper({ protocol: 'snmp', transport: 'udp', type: ['connection', 'protocol'] })],
  [
    'socks',
    protocolMapper({
      protocol: 'socks',
      transport: 'tcp',
      type: ['connection', 'protocol'],
      outcome: (zeek) => (zeek.status === undefined ? undefined : stringOf(zeek.status) === 'succeeded'),
      user: (zeek) => stringOf(zeek.user),
    }),
  ],
  [
    'software',
    (doc, zeek) => {
      classify(doc, ['network', 'file'], ['info']);
      putInventoryHost(doc, zeek);
    },
  ],
  [
    'syslog',
    protocolMapper({
      protocol: 'syslog',
      transport: 'udp',
      type: undefined,
      extra: (doc, zeek) => {
        put(doc, 'log.syslog.facility.name', stringOf(zeek.facility));
        put(doc, 'log.syslog.severity.name', stringOf(zeek.severity));
        put(doc, 'message', stringOf(zeek.message));
      },
    }),
  ],
  ['traceroute', (doc) => classify(doc, ['network'], ['info'])],
  ['tunnel', protocolMapper({ type: ['connection'], action: (zeek) => stringOf(zeek.action) })],
]);

/** Sensor metrics (capture loss, stats) describe Zeek itself, not network traffic. */
function classifyMetric(doc: JsonObject, type: readonly string[] | undefined): void {
  classify(doc, undefined, type);
  meta(doc).kind = 'metric';
}
