// Palo Alto Networks PAN-OS CSV syslog → ECS for every log type PAN-OS forwards (TRAFFIC, THREAT,
// SYSTEM, CONFIG, GLOBALPROTECT, USERID, HIPMATCH, AUTHENTICATION, DECRYPTION, CORRELATION, GTP,
// SCTP, IPTAG, tunnel inspection START/END) and the management-plane audit log. Field positions
// follow the PAN-OS syslog field descriptions; times carry no zone, so the source's zone applies.
import type { EcsEvent, JsonObject, JsonValue, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { UserAgentParser } from '../web/user-agent.ts';
import { splitCsv } from './csv-fields.ts';
import {
  append,
  communityId,
  formatMac,
  ipOf,
  newEvent,
  numberOf,
  portOf,
  put,
  transportNumber,
} from './network-fields.ts';
import { bodyOf, putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'panos';
const logTypes = new Set([
  'TRAFFIC',
  'THREAT',
  'SYSTEM',
  'CONFIG',
  'HIPMATCH',
  'HIP-MATCH',
  'GLOBALPROTECT',
  'USERID',
  'AUTH',
  'AUTHENTICATION',
  'DECRYPTION',
  'CORRELATION',
  'GTP',
  'SCTP',
  'TUNNEL',
  'START',
  'END',
  'IPTAG',
]);
/**
 * ",2018/11/30 16:44:36,012801096514,THREAT," — receive time, serial and log type, found after the
 * first field wherever the record starts (a syslog header, a relay's prefix, nothing).
 */
const headerPattern =
  /(?:^|[\s>])[^,\s]{0,16},(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[^,]{0,16}),[^,]{0,64},([A-Z][A-Z-]{2,14}),/;
/** "01111111111,2024/04/11 20:06:15,audit," — the management-plane audit log after its syslog header. */
const auditPattern = /^([^,\s]{1,64}),(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d),audit,/;
const sniffWindow = 400;

interface Located {
  /** The CSV body from the first PAN-OS field on. */
  readonly body: string;
  readonly type: string;
}

function locate(text: string): Located | undefined {
  const match = headerPattern.exec(text.length > sniffWindow ? text.slice(0, sniffWindow) : text);
  if (match === null || !logTypes.has(match[2]!)) return undefined;
  const start = /[\s>]/.test(match[0][0]!) ? match.index + 1 : match.index;
  return { body: text.slice(start), type: match[2]! };
}

/** The raw PAN-OS line of a record: its text, or the `message` of a shipper's JSON document about PAN-OS. */
function lineOf(text: string, json: Record<string, unknown> | undefined): string | undefined {
  if (json === undefined) return text;
  const message = json.message;
  if (typeof message !== 'string') return undefined;
  // Only documents that say they are PAN-OS: other JSON may quote such a line in a field.
  const observer = json.observer as Record<string, unknown> | undefined;
  const event = json.event as Record<string, unknown> | undefined;
  const aboutPanos =
    (typeof json.panw === 'object' && json.panw !== null) ||
    observer?.vendor === 'Palo Alto Networks' ||
    event?.module === 'panw' ||
    event?.dataset === 'panw.panos';
  return aboutPanos ? message : undefined;
}

export function sniffPanos(text: string, json?: Record<string, unknown>): boolean {
  const line = lineOf(text, json);
  if (line === undefined) return false;
  if (locate(line) !== undefined) return true;
  const body = bodyOf(line);
  return auditPattern.test(body.length > 200 ? body.slice(0, 200) : body);
}

const severityNumbers: Record<string, number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };
const subTypeActions: Record<string, string> = {
  start: 'flow_started',
  end: 'flow_terminated',
  drop: 'flow_dropped',
  deny: 'flow_denied',
  data: 'data_match',
  file: 'file_match',
  flood: 'flood_detected',
  packet: 'packet_attack',
  scan: 'scan_detected',
  spyware: 'spyware_detected',
  url: 'url_filtering',
  virus: 'virus_detected',
  vulnerability: 'exploit_detected',
  wildfire: 'wildfire_verdict',
  'wildfire-virus': 'wildfire_virus_detected',
};
const allowedActions = new Set(['alert', 'allow', 'continue']);
const deniedActions = new Set([
  'deny',
  'drop',
  'reset-client',
  'reset-server',
  'reset-both',
  'block-url',
  'block-ip',
  'random-drop',
  'sinkhole',
  'block',
]);
/** Spellings PAN-OS writes in some TRAFFIC records for the documented action values. */
const actionSpellings: Record<string, string> = {
  'drop icmp': 'drop-icmp',
  'drop ICMP': 'drop-icmp',
  'reset both': 'reset-both',
  'reset client': 'reset-client',
  'reset server': 'reset-server',
};
/** Session flag bits (the flow's flags field) → the boolean labels Elastic uses. */
const flagLabels: [number, string][] = [
  [0x80000000, 'pcap_included'],
  [0x40000000, 'connect_to_destination_host'],
  [0x20000000, 'file_submitted_to_WildFire'],
  [0x10000000, 'enterprise_credential_submission'],
  [0x08000000, 'source_flow_allow_list'],
  [0x02000000, 'ipv6_session'],
  [0x01000000, 'ssl_decrypted'],
  [0x00800000, 'url_filter_denied'],
  [0x00400000, 'nat_translated'],
  [0x00200000, 'captive_portal'],
  [0x00100000, 'non_standard_port_usage'],
  [0x00080000, 'x_forwarded_for'],
  [0x00040000, 'http_proxy'],
  [0x00020000, 'client_server_policy_based_forwarding'],
  [0x00010000, 'server_client_policy_based_forwarding'],
  [0x00008000, 'container_page'],
  [0x00002000, 'temporary_match'],
  [0x00000800, 'symmetric_return'],
  [0x00000400, 'decrypted_traffic'],
  [0x00000100, 'payload_outer_tunnel'],
];
/** CONFIG commands that change the configuration: event.action `cmd-<command>`. */
const configCommands = new Set([
  'add',
  'clone',
  'commit',
  'create',
  'delete',
  'edit',
  'move',
  'multi-clone',
  'multi-delete',
  'multi-move',
  'rename',
  'set',
]);
/** High-resolution timestamps up to a day after the epoch mean "not set". */
const unsetTimeMs = 86_400_000;

/** Values gathered while mapping one record, turned into ECS fields once at the end. */
interface Mapped {
  action?: string;
  flags?: string;
  durationSeconds?: number;
  startMs?: number;
  highResolution?: string;
  extraIps: (string | undefined)[];
  hashes: (string | undefined)[];
  hosts: (string | undefined)[];
}

class PanosMapper {
  readonly #userAgents = new UserAgentParser();

  parse(record: RawRecord): EcsEvent | ParseFailure {
    // NDJSON lines may arrive as text: read them as the documents they are.
    const json = record.json ?? (record.text.charCodeAt(0) === 123 ? decodeObject(record.text) : undefined);
    const line = lineOf(record.text, json);
    if (line === undefined) return parseFailure(record, format, 'not a PAN-OS record (JSON without a PAN-OS message)');
    const located = locate(line);
    if (located === undefined) return this.#audit(record, line);
    const { body, type } = located;
    const fields = splitFields(body, type === 'TRAFFIC');
    // TRAFFIC and THREAT records carry at least up to the action (31st field); fewer means a cut record.
    if ((type === 'TRAFFIC' || type === 'THREAT') && fields.length < 31)
      return parseFailure(record, format, `truncated PAN-OS ${type} record: ${fields.length} of at least 31 fields`);
    const at = (index: number): string | undefined => (fields[index] === '' ? undefined : fields[index]);
    const time = (index: number): number | undefined => timeOf(fields[index], record);
    const subType = fields[4] ?? '';
    const generated = time(6);
    const received = time(1);
    const header = json === undefined ? syslogBody(record).header : undefined;
    const meta: JsonObject = {};
    const event = newEvent(record, received ?? generated ?? header?.timestamp, meta);
    meta.original = line;
    const doc = event as unknown as JsonObject;
    put(doc, 'event.timezone', typeof record.timezone === 'string' ? record.timezone : undefined);
    put(doc, 'message', messageOf(body));
    put(doc, 'observer.serial_number', at(2));
    put(doc, 'observer.vendor', 'Palo Alto Networks');
    put(doc, 'observer.product', 'PAN-OS');
    put(doc, 'observer.type', 'firewall');
    putSyslogPriority(doc, header);
    const vendor: JsonObject = { type, sub_type: subType };
    put(vendor, 'generated_time', generated !== undefined ? toIsoUtc(generated) : undefined);
    put(vendor, 'received_time', received !== undefined ? toIsoUtc(received) : undefined);
    event.panw = { panos: vendor };
    const mapped: Mapped = { extraIps: [], hashes: [], hosts: [] };
    const context: TypeContext = { doc, vendor, at, time, mapped, subType };

    switch (type) {
      case 'TRAFFIC':
        this.#traffic(context);
        break;
      case 'THREAT':
        this.#threat(context);
        break;
      case 'SYSTEM':
        system(context);
        break;
      case 'CONFIG':
        config(context);
        break;
      case 'GLOBALPROTECT':
        globalProtect(context);
        break;
      case 'USERID':
        userId(context);
        break;
      case 'HIPMATCH':
      case 'HIP-MATCH':
        hipMatch(context);
        break;
      case 'AUTH':
      case 'AUTHENTICATION':
        this.#authentication(context);
        break;
      case 'DECRYPTION':
        decryption(context);
        break;
      case 'CORRELATION':
        correlation(context);
        break;
      case 'GTP':
        gtp(context);
        break;
      case 'SCTP':
        sctp(context);
        break;
      case 'IPTAG':
        ipTag(context);
        break;
      case 'START':
      case 'END':
      case 'TUNNEL':
        tunnelInspection(context);
        break;
      default:
        put(doc, 'event.kind', 'event');
    }
    finish(doc, vendor, mapped, subType);
    // The high-resolution timestamp (PAN-OS 10+) is the event time; firewalls that do not fill it
    // write the epoch. Without it Elastic keeps the receive time, as the record's own time.
    const highResolution = timeOf(mapped.highResolution, record);
    if (highResolution !== undefined && highResolution > unsetTimeMs)
      event['@timestamp'] = toIsoUtc(highResolution) ?? event['@timestamp'];
    return event;
  }

  #traffic(context: TypeContext): void {
    const { doc, vendor, at, time, mapped } = context;
    putSession(context, { transport: 29, action: 30, application: 14, ruleset: 11, users: true });
    put(doc, 'event.kind', 'event');
    appendAll(doc, 'event.category', ['network']);
    put(doc, 'event.outcome', mapped.action === 'allow' ? 'success' : 'failure');
    put(doc, 'network.bytes', numberOf(at(31)));
    put(doc, 'source.bytes', numberOf(at(32)));
    put(doc, 'destination.bytes', numberOf(at(33)));
    put(doc, 'network.packets', numberOf(at(34)));
    mapped.startMs = time(35);
    mapped.durationSeconds = numberOf(at(36));
    put(vendor, 'url.category', at(37));
    put(vendor, 'sequence_number', at(39));
    put(vendor, 'action_flags', at(40));
    put(doc, 'source.packets', numberOf(at(44)));
    put(doc, 'destination.packets', numberOf(at(45)));
    put(vendor, 'endreason', at(46));
    put(doc, 'event.reason', at(46));
    putDevice(doc, at(52));
    put(vendor, 'action_source', at(53));
    put(doc, 'rule.uuid', at(65));
    putHttp2(doc, at(66));
    mapped.extraIps.push(ipOf(at(75)));
    mapped.hosts.push(at(82), at(90));
    mapped.highResolution = at(102);
  }

  #threat(context: TypeContext): void {
    const { doc, vendor, at, mapped, subType } = context;
    putSession(context, { transport: 29, action: 30, application: 14, ruleset: 11, users: true });
    put(doc, 'event.kind', 'alert');
    appendAll(doc, 'event.category', ['intrusion_detection', 'threat', 'network']);
    put(doc, 'event.outcome', allowedActions.has(mapped.action ?? '') ? 'success' : 'failure');
    putThreatObject(doc, subType, at(31));
    const threatName = at(32) ?? '';
    const idMatch = /^(.*?)\(\s*(\d+)\s*\)$/.exec(threatName);
    if (idMatch) {
      put(vendor, 'threat.id', idMatch[2]);
      put(vendor, 'threat.name', idMatch[2] === '9999' ? 'URL-filtering' : idMatch[1]!.trim());
    } else put(vendor, 'threat.name', threatName);
    put(vendor, 'url.category', at(33));
    put(doc, 'log.level', at(34));
    const direction = at(35);
    put(
      doc,
      'network.direction',
      direction === 'client-to-server' || direction === '0'
        ? 'inbound'
        : direction === 'server-to-client' || direction === '1'
          ? 'outbound'
          : 'unknown',
    );
    put(vendor, 'sequence_number', at(36));
    put(vendor, 'action_flags', at(37));
    mapped.hashes.push(at(43));
    put(vendor, 'file.hash', at(43));
    this.#userAgent(doc, at(46));
    put(doc, 'file.type', at(47));
    const forwarded = ipOf(at(48));
    put(doc, 'network.forwarded_ip', forwarded);
    mapped.extraIps.push(forwarded);
    put(doc, 'http.request.referrer', at(49));
    put(doc, 'source.user.email', at(50));
    put(doc, 'destination.user.email', at(52));
    putDevice(doc, at(59));
    put(doc, 'http.request.method', at(63));
    put(vendor, 'threat_category', at(69));
    put(doc, 'rule.uuid', at(76));
    putHttp2(doc, at(77));
    mapped.extraIps.push(ipOf(at(79)));
    mapped.hosts.push(at(86), at(94));
    mapped.highResolution = at(107);
  }

  #authentication(context: TypeContext): void {
    const { doc, vendor, at, mapped } = context;
    put(doc, 'event.kind', 'event');
    appendAll(doc, 'event.category', ['authentication']);
    put(vendor, 'virtual_sys', at(7));
    put(doc, 'source.ip', ipOf(at(8)));
    const user = at(9);
    const normalized = at(10);
    const names = [user, normalized].filter((name): name is string => name !== undefined);
    const unique = [...new Set(names)];
    if (unique.length > 0) put(doc, 'source.user.name', unique.length === 1 ? unique[0] : unique);
    put(vendor, 'normalize_user', normalized);
    put(vendor, 'object.id', at(11));
    put(vendor, 'authentication.policy', at(12));
    put(vendor, 'repeat_count', numberOf(at(13)));
    put(vendor, 'authentication.id', at(14));
    put(vendor, 'vendor', at(15));
    put(vendor, 'log_profile', at(16));
    put(vendor, 'server_profile', at(17));
    put(vendor, 'description', at(18));
    put(vendor, 'client_type', at(19));
    const result = at(20);
    put(vendor, 'event.result', result);
    put(doc, 'event.outcome', result !== undefined && /fail/i.test(result) ? 'failure' : 'success');
    put(vendor, 'sequence_number', at(22));
    putDevice(doc, at(29));
    put(vendor, 'authentication.protocol', at(31));
    put(doc, 'rule.uuid', at(32));
    mapped.highResolution = at(33);
    mapped.hosts.push(at(40));
    put(vendor, 'src.mac', formatMac(at(41)));
    this.#userAgent(doc, at(44));
    put(vendor, 'flow_id', at(45));
  }

  #userAgent(doc: JsonObject, agent: string | undefined): void {
    if (agent === undefined || agent === '-') return;
    doc.user_agent = this.#userAgents.parse(agent);
  }

  #audit(record: RawRecord, line: string): EcsEvent | ParseFailure {
    const { header, body } = syslogBody(line === record.text ? record : { ...record, text: line });
    const match = auditPattern.exec(body);
    if (match === null)
      return parseFailure(record, format, 'not a PAN-OS record (no receive time, serial and log type)');
    const meta: JsonObject = {};
    const event = newEvent(record, timeOf(match[2], record) ?? header?.timestamp, meta);
    meta.original = line;
    const doc = event as unknown as JsonObject;
    put(doc, 'event.timezone', typeof record.timezone === 'string' ? record.timezone : undefined);
    put(doc, 'event.kind', 'event');
    appendAll(doc, 'event.category', ['configuration']);
    put(doc, 'message', body.slice(match[0].length));
    put(doc, 'observer.serial_number', match[1]);
    put(doc, 'observer.vendor', 'Palo Alto Networks');
    put(doc, 'observer.product', 'PAN-OS');
    put(doc, 'observer.type', 'firewall');
    putSyslogPriority(doc, header);
    const source = ipOf(header?.hostname);
    put(doc, 'source.ip', source);
    if (source) put(doc, 'network.type', source.includes(':') ? 'ipv6' : 'ipv4');
    append(doc, 'related.ip', source);
    const fields = splitCsv(body, match[0].length, 16);
    const vendor: JsonObject = { type: 'audit' };
    put(vendor, 'event.code', fields[0]);
    put(vendor, 'event.action', fields[3]);
    put(vendor, 'event.outcome', fields[4]);
    event.panw = { panos: vendor };
    return event;
  }
}

interface TypeContext {
  readonly doc: JsonObject;
  readonly vendor: JsonObject;
  readonly at: (index: number) => string | undefined;
  readonly time: (index: number) => number | undefined;
  readonly mapped: Mapped;
  readonly subType: string;
}

interface SessionLayout {
  readonly transport: number;
  readonly action: number;
  readonly application?: number;
  readonly ruleset: number;
  readonly users: boolean;
}

/**
 * The session block TRAFFIC, THREAT, DECRYPTION, GTP, SCTP and tunnel inspection logs open with:
 * addresses 7–10, rule 11, users 12–13, application 14, vsys 15, zones 16–17, interfaces 18–19,
 * log profile 20, session id 22, repeat count 23, ports 24–27, flags 28.
 */
function putSession(context: TypeContext, layout: SessionLayout): void {
  const { doc, vendor, at, mapped } = context;
  put(doc, 'source.ip', ipOf(at(7)));
  put(doc, 'destination.ip', ipOf(at(8)));
  put(doc, 'source.nat.ip', ipOf(at(9)));
  put(doc, 'destination.nat.ip', ipOf(at(10)));
  put(doc, 'source.port', portOf(at(24)));
  put(doc, 'destination.port', portOf(at(25)));
  put(doc, 'source.nat.port', portOf(at(26)));
  put(doc, 'destination.nat.port', portOf(at(27)));
  put(vendor, 'ruleset', at(layout.ruleset));
  if (layout.users) {
    putUser(doc, 'source', at(12));
    putUser(doc, 'destination', at(13));
  }
  if (layout.application !== undefined) put(doc, 'network.application', at(layout.application)?.toLowerCase());
  put(vendor, 'virtual_sys', at(15));
  put(doc, 'observer.ingress.zone', at(16));
  put(doc, 'observer.egress.zone', at(17));
  put(doc, 'observer.ingress.interface.name', at(18));
  put(doc, 'observer.egress.interface.name', at(19));
  put(vendor, 'log_profile', at(20));
  put(vendor, 'flow_id', at(22));
  put(vendor, 'repeat_count', numberOf(at(23)));
  mapped.flags = at(28);
  put(doc, 'network.transport', at(layout.transport)?.toLowerCase());
  const action = at(layout.action);
  mapped.action = action === undefined ? undefined : (actionSpellings[action] ?? action);
  put(vendor, 'action', mapped.action);
}

function system(context: TypeContext): void {
  const { doc, vendor, at, mapped } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['configuration']);
  put(doc, 'event.code', at(8));
  put(vendor, 'object', at(9));
  put(vendor, 'module', at(12));
  put(doc, 'log.level', at(13));
  put(vendor, 'description', at(14));
  put(vendor, 'sequence_number', at(15));
  put(vendor, 'action_flags', at(16));
  putDevice(doc, at(22));
  mapped.highResolution = at(25);
}

function config(context: TypeContext): void {
  const { doc, vendor, at } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['configuration']);
  const host = ipOf(at(7));
  if (host) doc.host = { ip: [host] };
  put(vendor, 'virtual_sys', at(8));
  const command = at(9);
  put(vendor, 'cmd', command);
  if (command !== undefined && configCommands.has(command)) put(doc, 'event.action', `cmd-${command}`);
  const admin = at(10);
  put(vendor, 'admin', admin);
  put(doc, 'user.name', admin);
  append(doc, 'related.user', admin);
  put(vendor, 'client_type', at(11));
  const result = at(12);
  put(vendor, 'result', result);
  put(doc, 'event.outcome', result === 'Succeeded' ? 'success' : result === 'Failed' ? 'failure' : result && 'unknown');
  put(vendor, 'path', at(13));
  put(vendor, 'before_change_detail', at(14));
  put(vendor, 'after_change_detail', at(15));
  put(vendor, 'sequence_number', at(16));
  put(vendor, 'action_flags', at(17));
  putDevice(doc, at(23));
}

function globalProtect(context: TypeContext): void {
  const { doc, vendor, at, mapped } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  put(vendor, 'virtual_sys', at(7));
  put(doc, 'event.code', at(8));
  put(vendor, 'stage', at(9));
  put(vendor, 'auth_method', at(10));
  put(vendor, 'tunnel_type', at(11));
  putUser(doc, 'source', at(12));
  putHostName(doc, at(14));
  const publicIp = ipOf(at(15)) ?? ipOf(at(16));
  const privateIp = ipOf(at(17)) ?? ipOf(at(18));
  put(doc, 'source.ip', privateIp);
  put(doc, 'source.nat.ip', publicIp);
  if (privateIp) put(doc, 'host.ip', [privateIp]);
  put(doc, 'host.id', at(19));
  put(vendor, 'serial_number', at(20));
  put(vendor, 'client_ver', at(21));
  put(doc, 'host.os.family', at(22));
  put(doc, 'host.os.full', at(23));
  put(vendor, 'repeat_count', numberOf(at(24)));
  put(doc, 'event.reason', at(25));
  put(vendor, 'error', at(26));
  put(vendor, 'description', at(27));
  put(doc, 'event.outcome', at(28));
  put(vendor, 'location', at(29));
  mapped.durationSeconds = numberOf(at(30));
  put(vendor, 'connect_method', at(31));
  put(vendor, 'error_code', numberOf(at(32)));
  put(vendor, 'portal', at(33));
  put(vendor, 'sequence_number', at(34));
  put(vendor, 'action_flags', at(35));
  mapped.highResolution = at(36);
}

function userId(context: TypeContext): void {
  const { doc, vendor, at } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network', 'iam']);
  put(vendor, 'virtual_sys', at(7));
  put(doc, 'source.ip', ipOf(at(8)));
  putUser(doc, 'source', at(9));
  put(vendor, 'datasourcename', at(10));
  put(doc, 'event.code', at(11));
  put(vendor, 'repeat_count', numberOf(at(12)));
  put(vendor, 'timeout', numberOf(at(13)));
  put(doc, 'source.port', portOf(at(14)));
  put(doc, 'destination.port', portOf(at(15)));
  put(vendor, 'datasource', at(16));
  put(vendor, 'datasourcetype', at(17));
  put(vendor, 'sequence_number', at(18));
  put(vendor, 'action_flags', at(19));
  putDevice(doc, at(25));
  put(vendor, 'factorno', numberOf(at(29)));
  put(vendor, 'ugflags', at(30));
  put(vendor, 'user_by_source', at(31));
}

function hipMatch(context: TypeContext): void {
  const { doc, vendor, at, mapped } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  putUser(doc, 'source', at(7));
  put(vendor, 'virtual_sys', at(8));
  putHostName(doc, at(9));
  put(doc, 'host.os.full', at(10));
  put(doc, 'source.ip', nonZeroIp(at(26)) ?? ipOf(at(11)));
  put(vendor, 'matchname', at(12));
  put(vendor, 'repeat_count', numberOf(at(13)));
  put(vendor, 'matchtype', at(14));
  put(vendor, 'sequence_number', at(17));
  put(vendor, 'action_flags', at(18));
  putDevice(doc, at(24));
  put(doc, 'host.id', at(27));
  put(vendor, 'serial_number', at(28));
  put(doc, 'host.mac', formatMac(at(29)));
  mapped.highResolution = at(30);
}

function decryption(context: TypeContext): void {
  const { doc, vendor, at, time, mapped } = context;
  putSession(context, { transport: 29, action: 30, application: 14, ruleset: 11, users: true });
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  put(vendor, 'tunnel_type', at(31));
  put(doc, 'rule.uuid', at(36));
  put(vendor, 'hs_stage_c2f', at(37));
  put(vendor, 'hs_stage_f2s', at(38));
  const version = /^(TLS|SSL)v?(\d(?:\.\d)?)$/i.exec(at(39) ?? '');
  if (version) {
    put(doc, 'tls.version_protocol', version[1]!.toLowerCase());
    put(doc, 'tls.version', version[2]);
  }
  put(vendor, 'tls.key_exchange_algorithm', at(40));
  put(doc, 'tls.cipher', at(41));
  put(vendor, 'tls.auth', at(42));
  put(vendor, 'tls.error_type', at(45));
  put(vendor, 'root_certificate_status', at(46));
  put(vendor, 'chain_status', at(47));
  put(vendor, 'proxy_type', at(48));
  put(doc, 'tls.client.x509.serial_number', at(49));
  const fingerprint = at(50);
  put(doc, 'tls.client.hash.sha256', fingerprint);
  mapped.hashes.push(fingerprint);
  const notBefore = time(51);
  const notAfter = time(52);
  if (notBefore !== undefined) put(doc, 'tls.client.not_before', toIsoUtc(notBefore));
  if (notAfter !== undefined) put(doc, 'tls.client.not_after', toIsoUtc(notAfter));
  put(doc, 'tls.client.x509.version_number', at(53));
  put(doc, 'tls.client.x509.public_key_size', numberOf(at(54)));
  put(vendor, 'certificate.flags', at(59));
  const subject = at(60);
  const issuer = at(61);
  if (subject !== undefined) put(doc, 'tls.client.x509.subject.common_name', [subject]);
  if (issuer !== undefined) put(doc, 'tls.client.x509.issuer.common_name', [issuer]);
  const serverName = at(63);
  put(doc, 'tls.client.server_name', serverName);
  const error = at(64);
  put(vendor, 'error_message', error);
  put(doc, 'event.outcome', error === undefined ? 'success' : 'failure');
  mapped.highResolution = at(72);
  put(vendor, 'sequence_number', at(89));
  put(vendor, 'action_flags', at(90));
  putDevice(doc, at(96));
}

function correlation(context: TypeContext): void {
  const { doc, vendor, at } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  put(doc, 'event.outcome', 'success');
  put(doc, 'source.ip', ipOf(at(7)));
  putUser(doc, 'source', at(8));
  put(vendor, 'virtual_sys', at(9));
  put(vendor, 'category', at(10));
  put(doc, 'log.level', at(11));
  putDevice(doc, at(17));
  put(vendor, 'object.name', at(19));
  put(vendor, 'object.id', at(20));
  put(vendor, 'evidence', at(21));
}

function gtp(context: TypeContext): void {
  const { doc, vendor, at, time, mapped } = context;
  putSession(context, { transport: 29, action: 30, application: 14, ruleset: 11, users: true });
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network', 'malware']);
  put(vendor, 'event_type', at(31));
  put(vendor, 'msisdn', at(32));
  put(vendor, 'access_point.name', at(33));
  put(vendor, 'message_type', at(35));
  const endIp = ipOf(at(36));
  put(vendor, 'end_ip_address', endIp);
  mapped.extraIps.push(endIp);
  put(vendor, 'cause_code', at(40));
  put(doc, 'log.level', at(41));
  put(vendor, 'event_code', at(46));
  mapped.startMs = time(76);
  mapped.durationSeconds = numberOf(at(77));
  put(doc, 'rule.name', at(78));
  mapped.extraIps.push(ipOf(at(79)));
  put(doc, 'rule.uuid', at(81));
  mapped.highResolution = at(83);
}

function sctp(context: TypeContext): void {
  const { doc, vendor, at, mapped } = context;
  putSession(context, { transport: 30, action: 31, ruleset: 11, users: false });
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  putDevice(doc, at(37));
  put(vendor, 'sequence_number', at(38));
  put(vendor, 'sctp.assoc_id', at(40));
  put(doc, 'log.level', at(42));
  put(vendor, 'sctp.chunks', numberOf(at(57)));
  put(vendor, 'sctp.chunks_sent', numberOf(at(58)));
  put(vendor, 'sctp.chunks_received', numberOf(at(59)));
  put(doc, 'network.packets', numberOf(at(60)));
  put(doc, 'source.packets', numberOf(at(61)));
  put(doc, 'destination.packets', numberOf(at(62)));
  put(doc, 'rule.uuid', at(63));
  mapped.highResolution = at(64);
}

function ipTag(context: TypeContext): void {
  const { doc, vendor, at, mapped } = context;
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  put(vendor, 'virtual_sys', at(7));
  put(doc, 'source.ip', ipOf(at(8)));
  put(vendor, 'tag.name', at(9));
  put(doc, 'event.code', at(10));
  put(vendor, 'repeat_count', numberOf(at(11)));
  put(vendor, 'timeout', numberOf(at(12)));
  put(vendor, 'datasourcename', at(13));
  put(vendor, 'sequence_number', at(16));
  put(vendor, 'action_flags', at(17));
  putDevice(doc, at(23));
  mapped.highResolution = at(25);
}

function tunnelInspection(context: TypeContext): void {
  const { doc, vendor, at, time, mapped } = context;
  putSession(context, { transport: 29, action: 30, application: 14, ruleset: 11, users: true });
  put(doc, 'event.kind', 'event');
  appendAll(doc, 'event.category', ['network']);
  put(doc, 'event.outcome', mapped.action === 'allow' ? 'success' : 'failure');
  put(doc, 'log.level', at(31));
  put(vendor, 'sequence_number', at(32));
  put(vendor, 'action_flags', at(33));
  putDevice(doc, at(41));
  put(vendor, 'tunnel_type', at(46));
  put(doc, 'network.bytes', numberOf(at(47)));
  put(doc, 'source.bytes', numberOf(at(48)));
  put(doc, 'destination.bytes', numberOf(at(49)));
  put(doc, 'network.packets', numberOf(at(50)));
  put(doc, 'source.packets', numberOf(at(51)));
  put(doc, 'destination.packets', numberOf(at(52)));
  put(vendor, 'endreason', at(59));
  put(vendor, 'action_source', at(60));
  mapped.startMs = time(61);
  mapped.durationSeconds = numberOf(at(62));
  put(doc, 'rule.name', at(63));
  mapped.extraIps.push(ipOf(at(64)));
  put(doc, 'rule.uuid', at(66));
  mapped.highResolution = at(71);
}

/** url.* / file.* from a THREAT record's misc field, the way Elastic reads scheme-less URLs. */
function putThreatObject(doc: JsonObject, subType: string, misc: string | undefined): void {
  if (misc === undefined) return;
  const slash = misc.includes('/');
  const isUrl = subType === 'url' || ((subType === 'virus' || subType === 'vulnerability') && slash);
  if (isUrl) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(misc)) {
      putUrl(doc, misc);
      put(doc, 'destination.domain', (doc.url as JsonObject | undefined)?.domain as string | undefined);
    } else putSchemelessUrl(doc, misc);
    return;
  }
  if (subType === 'file' && (slash || misc.includes('\\'))) {
    put(doc, 'file.path', misc);
    const end = Math.max(misc.lastIndexOf('/'), misc.lastIndexOf('\\'));
    put(doc, 'file.name', misc.slice(end + 1));
  } else if (
    (subType === 'file' || subType === 'virus' || subType === 'vulnerability') &&
    !slash &&
    !misc.includes('\\')
  )
    put(doc, 'file.name', misc);
}

function putSchemelessUrl(doc: JsonObject, original: string): void {
  const url: JsonObject = { original };
  let host = original;
  const slash = original.indexOf('/');
  if (slash !== -1) {
    host = original.slice(0, slash);
    const rest = original.slice(slash);
    const query = rest.indexOf('?');
    const path = query === -1 ? rest : rest.slice(0, query);
    url.path = path;
    if (query !== -1) url.query = rest.slice(query + 1);
    const dot = path.lastIndexOf('.');
    if (dot !== -1) url.extension = path.slice(dot + 1);
  } else {
    const query = original.indexOf('?');
    if (query !== -1) {
      host = original.slice(0, query);
      url.query = original.slice(query + 1);
    }
  }
  const colon = host.indexOf(':');
  if (colon !== -1) {
    url.domain = host.slice(0, colon);
    const port = portOf(host.slice(colon + 1));
    if (port !== undefined) url.port = port;
  } else {
    url.domain = host;
    put(doc, 'destination.domain', host);
  }
  doc.url = url;
}

/** The shared tail of Elastic's pipeline: labels, duration, event.type/action, related.*, Community IDs. */
function finish(doc: JsonObject, vendor: JsonObject, mapped: Mapped, subType: string): void {
  const meta = doc.event as JsonObject;
  // The flag bits Elastic names all sit in the low 32 bits of the (hexadecimal) flags field.
  const hex = mapped.flags?.startsWith('0x') ? mapped.flags.slice(2) : undefined;
  const flags = hex !== undefined && /^[0-9a-f]{1,16}$/i.test(hex) ? Number.parseInt(hex.slice(-8), 16) : 0;
  if (flags !== 0) {
    const labels: JsonObject = {};
    for (const [bit, name] of flagLabels) if (Math.floor(flags / bit) % 2 === 1) labels[name] = true;
    if (Object.keys(labels).length > 0) doc.labels = labels;
  }
  if (mapped.startMs !== undefined) put(doc, 'event.start', toIsoUtc(mapped.startMs));
  if (mapped.durationSeconds !== undefined) {
    put(doc, 'event.duration', mapped.durationSeconds * 1e9);
    if (mapped.startMs !== undefined) put(doc, 'event.end', toIsoUtc(mapped.startMs + mapped.durationSeconds * 1000));
  }
  // Elastic appends these without removing duplicates: a "deny" session denied by policy is denied twice.
  const types: string[] = Array.isArray(meta.type) ? (meta.type as string[]) : [];
  const action = mapped.action;
  if (action !== undefined && allowedActions.has(action)) types.push('allowed');
  else if (action !== undefined && deniedActions.has(action)) types.push('denied');
  if (subType === 'start') types.push('start', 'connection');
  else if (subType === 'end') types.push('end', 'connection');
  else if (subType === 'drop' || subType === 'deny') types.push('denied', 'connection');
  if (types.length > 0) meta.type = types;
  const subTypeAction = subTypeActions[subType];
  if (subTypeAction !== undefined) meta.action = subTypeAction;
  const severity = severityNumbers[(doc.log as JsonObject | undefined)?.level as string];
  put(doc, 'event.severity', severity);

  const source = doc.source as JsonObject | undefined;
  const destination = doc.destination as JsonObject | undefined;
  const sourceIp = source?.ip as string | undefined;
  if (sourceIp !== undefined && (doc.network as JsonObject | undefined)?.type === undefined)
    put(doc, 'network.type', sourceIp.includes(':') ? 'ipv6' : 'ipv4');
  const sourceNat = source?.nat as JsonObject | undefined;
  const destinationNat = destination?.nat as JsonObject | undefined;
  // NAT fields carry 0.0.0.0 and port 0 when no translation was done.
  for (const nat of [sourceNat, destinationNat])
    if (nat !== undefined && nat.ip === '0.0.0.0' && (nat.port === 0 || nat.port === undefined)) {
      delete nat.ip;
      delete nat.port;
    }
  if (sourceNat !== undefined && Object.keys(sourceNat).length === 0) delete source!.nat;
  if (destinationNat !== undefined && Object.keys(destinationNat).length === 0) delete destination!.nat;
  const hostIps = ((doc.host as JsonObject | undefined)?.ip as string[] | undefined) ?? [];
  for (const ip of [
    sourceIp,
    destination?.ip as string | undefined,
    sourceNat?.ip as string | undefined,
    destinationNat?.ip as string | undefined,
    ...hostIps,
    ...mapped.extraIps,
  ])
    append(doc, 'related.ip', ip);

  putCommunityIds(doc, vendor);
  put(doc, 'rule.name', (doc.rule as JsonObject | undefined)?.name === undefined ? vendor.ruleset : undefined);
  const user = source?.user as JsonObject | undefined;
  if (user !== undefined) doc.user = { ...user };
  for (const name of [user?.name, (destination?.user as JsonObject | undefined)?.name])
    for (const value of Array.isArray(name) ? name : [name])
      if (typeof value === 'string') append(doc, 'related.user', value);
  for (const hash of mapped.hashes) append(doc, 'related.hash', hash);
  const observerHost = (doc.observer as JsonObject).hostname as string | undefined;
  const hostName = (doc.host as JsonObject | undefined)?.name as string | undefined;
  for (const host of [observerHost, hostName, ...mapped.hosts]) append(doc, 'related.hosts', host);
}

/** network.community_id of the flow and, when NAT changed it, of the translated flow too. */
function putCommunityIds(doc: JsonObject, vendor: JsonObject): void {
  const network = doc.network as JsonObject | undefined;
  const protocol = transportNumber(network?.transport as string | undefined);
  const source = doc.source as JsonObject | undefined;
  const destination = doc.destination as JsonObject | undefined;
  const flow = nonZeroPorts(source?.port, destination?.port)
    ? communityId(
        protocol,
        source?.ip as string,
        destination?.ip as string,
        source?.port as number,
        destination?.port as number,
      )
    : undefined;
  const sourceNat = source?.nat as JsonObject | undefined;
  const destinationNat = destination?.nat as JsonObject | undefined;
  const nat = nonZeroPorts(sourceNat?.port, destinationNat?.port)
    ? communityId(
        protocol,
        sourceNat?.ip as string,
        destinationNat?.ip as string,
        sourceNat?.port as number,
        destinationNat?.port as number,
      )
    : undefined;
  if (nat !== undefined) put(vendor, 'network.nat.community_id', nat);
  if (flow !== undefined && nat !== undefined && nat !== flow) put(doc, 'network.community_id', [flow, nat]);
  else if (flow !== undefined || nat !== undefined) put(doc, 'network.community_id', (flow ?? nat) as string);
}

function nonZeroPorts(sourcePort: JsonValue | undefined, destinationPort: JsonValue | undefined): boolean {
  return (
    typeof sourcePort === 'number' && sourcePort !== 0 && typeof destinationPort === 'number' && destinationPort !== 0
  );
}

/** Split the CSV body; TRAFFIC's Link Switches column is a braced list whose commas are not separators. */
function splitFields(body: string, bracedColumns: boolean): string[] {
  if (!bracedColumns || !body.includes('{')) return splitCsv(body);
  let protectedBody = '';
  let quoted = false;
  let depth = 0;
  for (const character of body) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '{') depth++;
    else if (!quoted && character === '}' && depth > 0) depth--;
    else if (!quoted && depth > 0 && character === ',') {
      protectedBody += '\u001f';
      continue;
    }
    protectedBody += character;
  }
  if (depth !== 0) return splitCsv(body);
  return splitCsv(protectedBody).map((field) => (field.includes('\u001f') ? field.replaceAll('\u001f', ',') : field));
}

/** Elastic's `message`: the raw record after the seven header fields (receive time … generated time). */
function messageOf(body: string): string | undefined {
  let position = -1;
  for (let count = 0; count < 7; count++) {
    position = body.indexOf(',', position + 1);
    if (position === -1) return undefined;
  }
  return body.slice(position + 1);
}

function timeOf(text: string | undefined, record: RawRecord): number | undefined {
  return text ? parseTimestamp(text, { timezone: record.timezone }) : undefined;
}

function appendAll(doc: JsonObject, path: string, values: string[]): void {
  for (const value of values) append(doc, path, value);
}

/** `domain\user`, `domain\\user`, `user@domain` or a bare name → `<side>.user.name` / `.domain`. */
function putUser(doc: JsonObject, side: 'source' | 'destination', user: string | undefined): void {
  if (user === undefined) return;
  const backslash = /^([^\\]+)\\{1,2}([^\\]+)$/.exec(user);
  const at = backslash ? null : /^([^@\s]+)@([^@\s]+)$/.exec(user);
  if (backslash) {
    put(doc, `${side}.user.domain`, backslash[1]);
    put(doc, `${side}.user.name`, backslash[2]);
  } else if (at) {
    put(doc, `${side}.user.name`, at[1]);
    put(doc, `${side}.user.domain`, at[2]);
  } else put(doc, `${side}.user.name`, user);
}

function putDevice(doc: JsonObject, device: string | undefined): void {
  put(doc, 'observer.hostname', device);
}

function putHostName(doc: JsonObject, name: string | undefined): void {
  put(doc, 'host.name', name?.toLowerCase());
}

function putHttp2(doc: JsonObject, flag: string | undefined): void {
  if (flag !== undefined && flag !== '0') put(doc, 'http.version', '2');
}

function nonZeroIp(value: string | undefined): string | undefined {
  const ip = ipOf(value);
  return ip === '0.0.0.0' || ip === '::' ? undefined : ip;
}

const mapper = new PanosMapper();

export const panosParser: Parser = {
  format,
  description: 'Palo Alto Networks PAN-OS CSV syslog (TRAFFIC, THREAT, SYSTEM, CONFIG, GlobalProtect, User-ID, …)',
  sniff: sniffPanos,
  parse: (record) => mapper.parse(record),
};
