// Linux netfilter (iptables/nftables LOG target) kernel lines → ECS, including Ubiquiti EdgeOS /
// UniFi rule prefixes ("[WAN_IN-2000-D]") and lines Filebeat's journald input ships as JSON. The
// KEY=VALUE list and bare flags (DF, SYN, ACK) are read with indexOf; the vendor details go under
// iptables.*.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser, parseFailure } from '../parser.ts';
import {
  append,
  communityId,
  formatMac,
  ipOf,
  newEvent,
  numberOf,
  portOf,
  put,
  safeCopy,
  transportNumber,
} from './network-fields.ts';
import { putSyslogPriority, syslogBody } from './syslog-body.ts';

const format = 'iptables';
const tcpFlags = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
const fragmentFlags = new Set(['CE', 'DF', 'MF']);
/** Longest line we read key by key; the LOG target writes well under 1 KB. */
const maxLineLength = 65_536;

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffIptables(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) {
    const line = journaldLine(json);
    return line !== undefined && sniffIptables(line);
  }
  if (text.length > maxLineLength) return false;
  const proto = text.indexOf(' PROTO=');
  if (proto === -1) return false;
  if (text.indexOf('IN=') !== -1 && text.indexOf(' OUT=') !== -1 && text.indexOf(' SRC=') !== -1) return true;
  return text.indexOf('kernel:') !== -1 && text.indexOf(' SPT=', proto) !== -1;
}

/**
 * The kernel line of a journald entry as Filebeat's journald input ships it (`message` with
 * `journald` or `systemd` beside it, or `input.type: journald`), else undefined.
 */
function journaldLine(json: Record<string, unknown>): string | undefined {
  const message = json.message;
  if (typeof message !== 'string') return undefined;
  const input = json.input as Record<string, unknown> | undefined;
  if (json.journald === undefined && json.systemd === undefined && input?.type !== 'journald') return undefined;
  return message;
}

function parseIptables(record: RawRecord): EcsEvent | ParseFailure {
  if (record.json !== undefined) return parseJournald(record, record.json);
  if (record.text.length > maxLineLength)
    return parseFailure(record, format, `line longer than ${maxLineLength} characters`);
  return parseLine(record, record.text);
}

/** A journald entry: the line is `message`; host and syslog identity come from the entry. */
function parseJournald(record: RawRecord, json: JsonObject): EcsEvent | ParseFailure {
  const line = journaldLine(json);
  if (line === undefined || line.length > maxLineLength)
    return parseFailure(record, format, 'not a journald entry with a netfilter message');
  const { json: _entry, ...lineRecord } = record;
  const result = parseLine({ ...lineRecord, text: line }, line);
  if (isParseFailure(result)) return result;
  const doc = result as unknown as JsonObject;
  const host = safeCopy(json.host);
  if (host !== undefined && host !== null && typeof host === 'object' && !Array.isArray(host)) doc.host = host;
  const syslog = (json.log as JsonObject | undefined)?.syslog as JsonObject | undefined;
  const identity = json.syslog as JsonObject | undefined;
  put(doc, 'log.syslog.priority', numberOf(syslog?.priority ?? identity?.priority));
  put(
    doc,
    'log.syslog.facility.code',
    numberOf((syslog?.facility as JsonObject | undefined)?.code ?? identity?.facility),
  );
  if (typeof identity?.identifier === 'string') put(doc, 'log.syslog.appname', identity.identifier);
  put(
    doc,
    'log.syslog.procid',
    numberOf(identity?.pid) ?? (typeof identity?.pid === 'string' ? identity.pid : undefined),
  );
  const time = typeof json['@timestamp'] === 'string' ? Date.parse(json['@timestamp']) : Number.NaN;
  if (!Number.isNaN(time)) result['@timestamp'] = new Date(time).toISOString();
  return result;
}

function parseLine(record: RawRecord, text: string): EcsEvent | ParseFailure {
  const { header, body } = syslogBody({ ...record, text });
  // The kernel tag, then an optional uptime "[12345.678]" and a log prefix, then KEY=VALUE pairs.
  let start = body.indexOf('kernel:');
  start = start === -1 ? 0 : start + 7;
  const firstKey = findFirstKey(body, start);
  if (firstKey === -1) return parseFailure(record, format, 'no netfilter KEY=VALUE fields');
  const afterKernel = start !== 0 || header?.appName === 'kernel';
  let prefix = body
    .slice(start, firstKey)
    .trim()
    .replace(/^\[\s*\d+\.\d+\]\s*/, '');
  // "Jan  8 03:37:09 DENY: IN=…": the header reader takes the bare prefix for a program name.
  if (prefix === '' && header?.hostname === undefined && header?.appName !== undefined && !afterKernel)
    prefix = `${header.appName}:`;
  // A Ubiquiti label is glued to the first key ("[WAN_IN-10-D]IN=…").
  const labelled = body.charCodeAt(firstKey - 1) === 93; /* ] */

  const event = newEvent(record, header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  meta.category = ['network'];
  if (header?.timestampText !== undefined) {
    const after = text.indexOf(header.timestampText) + header.timestampText.length;
    event.message = text.slice(after).replace(/^[: ]+/, '');
  } else event.message = body;
  // The host is the word before "kernel:"; a bare "DENY: IN=…" after the time names no host.
  const kernelHost = /^(\S+)\s+(?:\S+\s+)?kernel:/.exec(event.message)?.[1];
  const hostname = kernelHost ?? (header?.hostname?.endsWith(':') ? undefined : header?.hostname);
  put(doc, 'observer.name', hostname);
  putSyslogPriority(doc, header);

  const vendor: JsonObject = {};
  const flags: string[] = [];
  const fragments: string[] = [];
  let protocol: string | undefined;
  let sourceIp: string | undefined;
  let destinationIp: string | undefined;
  let sourcePort: number | undefined;
  let destinationPort: number | undefined;
  let position = firstKey;
  while (position < body.length) {
    let end = body.indexOf(' ', position);
    if (end === -1) end = body.length;
    if (end === position) {
      position++;
      continue;
    }
    const token = body.slice(position, end);
    position = end + 1;
    // "[SRC=… DST=…]" quotes the packet an ICMP error answers: not this packet's fields.
    if (token.charCodeAt(0) === 91 /* [ */) break;
    const equals = token.indexOf('=');
    if (equals === -1) {
      if (tcpFlags.has(token)) flags.push(token);
      else if (fragmentFlags.has(token)) fragments.push(token);
      continue;
    }
    const key = token.slice(0, equals);
    const value = token.slice(equals + 1);
    switch (key) {
      case 'IN':
        vendor.input_device = value;
        put(doc, 'observer.ingress.interface.name', value);
        break;
      case 'OUT':
        vendor.output_device = value;
        put(doc, 'observer.egress.interface.name', value);
        break;
      case 'PHYSIN':
        vendor.physical_input_device = value;
        break;
      case 'PHYSOUT':
        vendor.physical_output_device = value;
        break;
      case 'MAC':
        putMacs(doc, vendor, value);
        break;
      case 'SRC':
        sourceIp = ipOf(value);
        break;
      case 'DST':
        destinationIp = ipOf(value);
        break;
      case 'LEN':
        // The second LEN (after PROTO=UDP) is the UDP length.
        if (protocol === 'udp') put(vendor, 'udp.length', numberOf(value));
        else put(vendor, 'length', numberOf(value));
        break;
      case 'TOS':
        put(vendor, 'tos', hexOf(value));
        break;
      case 'PREC':
        put(vendor, 'precedence_bits', hexOf(value));
        break;
      case 'TTL':
        put(vendor, 'ttl', numberOf(value));
        break;
      case 'HOPLIMIT':
        put(vendor, 'ttl', numberOf(value));
        break;
      case 'ID':
        // After PROTO=ICMP, ID and SEQ are the echo identifier and sequence.
        if (protocol === 'icmp' || protocol === 'icmpv6') put(vendor, 'icmp.id', numberOf(value));
        else put(vendor, 'id', numberOf(value));
        break;
      case 'TC':
        put(vendor, 'tos', numberOf(value));
        break;
      case 'FLOWLBL':
        put(vendor, 'flow_label', numberOf(value));
        break;
      case 'PROTO':
        protocol = value.toLowerCase();
        break;
      case 'SPT':
        sourcePort = portOf(value);
        break;
      case 'DPT':
        destinationPort = portOf(value);
        break;
      case 'WINDOW':
        put(vendor, 'tcp.window', numberOf(value));
        break;
      case 'RES':
        put(vendor, 'tcp.reserved_bits', hexOf(value));
        break;
      case 'SEQ':
        // After PROTO=ICMP it is the echo sequence.
        if (protocol === 'icmp' || protocol === 'icmpv6') put(vendor, 'icmp.seq', numberOf(value));
        else put(vendor, 'tcp.sequence', numberOf(value));
        break;
      case 'ACK':
        put(vendor, 'tcp.ack', numberOf(value));
        break;
      case 'TYPE':
        put(vendor, 'icmp.type', numberOf(value));
        break;
      case 'CODE':
        put(vendor, 'icmp.code', numberOf(value));
        break;
      case 'MARK':
        put(vendor, 'mark', value);
        break;
      default:
        break;
    }
  }
  if (flags.length > 0) put(vendor, 'tcp.flags', flags);
  if (fragments.length > 0) vendor.fragment_flags = fragments;
  put(doc, 'source.ip', sourceIp);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.port', destinationPort);
  // PROTO=47 names the protocol by number only.
  const protocolNumber = protocol !== undefined && /^\d{1,3}$/.test(protocol) ? Number(protocol) : undefined;
  if (protocolNumber !== undefined) put(doc, 'network.iana_number', protocol);
  else put(doc, 'network.transport', protocol === 'icmpv6' ? 'ipv6-icmp' : protocol);
  if (sourceIp !== undefined) put(doc, 'network.type', sourceIp.includes(':') ? 'ipv6' : 'ipv4');
  if (sourceIp) append(doc, 'related.ip', sourceIp);
  if (destinationIp) append(doc, 'related.ip', destinationIp);
  if (prefix !== '') mapPrefix(doc, vendor, prefix, labelled, afterKernel);
  if (sourceIp !== undefined && destinationIp !== undefined) append(doc, 'event.type', 'connection');
  const number = protocolNumber ?? transportNumber(protocol);
  const icmp = number === 1 || number === 58;
  const icmpType = icmp ? ((vendor.icmp as JsonObject | undefined)?.type as number | undefined) : undefined;
  const icmpCode = icmp ? ((vendor.icmp as JsonObject | undefined)?.code as number | undefined) : undefined;
  put(
    doc,
    'network.community_id',
    icmp
      ? communityId(number, sourceIp, destinationIp, icmpType ?? 0, icmpCode ?? 0)
      : communityId(number, sourceIp, destinationIp, sourcePort, destinationPort),
  );
  event.iptables = vendor;
  return event;
}

/** Index of the first netfilter KEY= token at or after `start`, or -1. */
function findFirstKey(body: string, start: number): number {
  let best = -1;
  for (const key of ['IN=', 'TTL=', 'SRC=', 'PROTO=', 'LEN=', 'ID=']) {
    let index = body.indexOf(key, start);
    // A key starts a token: at `start`, after a space or after a prefix's "]".
    while (index !== -1 && index > start && !/[\s\]:]/.test(body[index - 1]!)) index = body.indexOf(key, index + 1);
    if (index !== -1 && (best === -1 || index < best)) best = index;
  }
  return best;
}

function hexOf(value: string): number | undefined {
  if (!/^0x[0-9a-fA-F]{1,8}$/.test(value)) return numberOf(value);
  return Number.parseInt(value.slice(2), 16);
}

/** MAC=dst(6 bytes):src(6 bytes):ethertype(2 bytes)[:…]. */
function putMacs(doc: JsonObject, vendor: JsonObject, value: string): void {
  const bytes = value.split(':');
  if (bytes.length < 14) return;
  put(doc, 'destination.mac', formatMac(bytes.slice(0, 6).join(':')));
  put(doc, 'source.mac', formatMac(bytes.slice(6, 12).join(':')));
  const etherType = Number.parseInt(`${bytes[12]}${bytes[13]}`, 16);
  if (Number.isFinite(etherType)) vendor.ether_type = etherType;
}

const ubiquitiActions: Record<string, string> = { A: 'accept', D: 'drop', R: 'reject' };
/** Log-prefix actions whose outcome is clear. */
const actionTypes: Record<string, string> = {
  accept: 'allowed',
  drop: 'denied',
  deny: 'denied',
  reject: 'denied',
  drop_input: 'denied',
};

/**
 * Ubiquiti "[RULESET-RULE-ACTION]" glued to the first key (ruleset may be "IN_ZONE-OUT_ZONE");
 * "ACTION:" or "iptables ACTION:" prefixes name the action; other prefixes become rule.name.
 */
function mapPrefix(doc: JsonObject, vendor: JsonObject, prefix: string, labelled: boolean, afterKernel: boolean): void {
  const inner = labelled && prefix.startsWith('[') && prefix.endsWith(']') ? prefix.slice(1, -1) : undefined;
  const actionDash = inner?.lastIndexOf('-') ?? -1;
  const ruleDash = inner !== undefined && actionDash > 0 ? inner.lastIndexOf('-', actionDash - 1) : -1;
  if (inner === undefined || ruleDash <= 0) {
    put(doc, 'rule.name', prefix.replace(/[:\s]+$/, ''));
    // "kernel: iptables DROP_INPUT:" or, without the kernel tag, "DENY:" names the action.
    const word = (afterKernel ? /^iptables\s+(\w+):?$/ : /^(\w+):$/).exec(prefix)?.[1];
    if (word !== undefined) putAction(doc, word);
    return;
  }
  const ruleSet = inner.slice(0, ruleDash);
  const ruleNumber = inner.slice(ruleDash + 1, actionDash);
  const code = inner.slice(actionDash + 1);
  const ubiquiti: JsonObject = { rule_number: ruleNumber, rule_set: ruleSet };
  const zoneDash = ruleSet.indexOf('-');
  if (zoneDash > 0) {
    ubiquiti.input_zone = ruleSet.slice(0, zoneDash);
    ubiquiti.output_zone = ruleSet.slice(zoneDash + 1);
    put(doc, 'observer.ingress.zone', ubiquiti.input_zone as string);
    put(doc, 'observer.egress.zone', ubiquiti.output_zone as string);
  }
  vendor.ubiquiti = ubiquiti;
  put(doc, 'rule.id', ruleNumber);
  put(doc, 'rule.name', ruleSet);
  putAction(doc, ubiquitiActions[code.toUpperCase()] ?? code);
}

function putAction(doc: JsonObject, action: string): void {
  const lower = action.toLowerCase();
  put(doc, 'event.action', lower);
  const type = actionTypes[lower];
  if (type !== undefined) append(doc, 'event.type', type);
}

export const iptablesParser: Parser = {
  format,
  description:
    'Linux netfilter/iptables kernel log lines (incl. Ubiquiti EdgeOS/UniFi rule prefixes, journald entries)',
  sniff: sniffIptables,
  parse: parseIptables,
};
