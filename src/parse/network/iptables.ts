// Linux netfilter (iptables/nftables LOG target) kernel lines → ECS, including Ubiquiti EdgeOS /
// UniFi rule prefixes ("[WAN_IN-2000-D]"). The KEY=VALUE list and bare flags (DF, SYN, ACK) are
// read with indexOf; the vendor details go under iptables.*.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
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
import { putSyslogPriority, syslogBody } from './syslog-body.ts';

const format = 'iptables';
const tcpFlags = new Set(['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN']);
const fragmentFlags = new Set(['CE', 'DF', 'MF']);
/** Longest line we read key by key; the LOG target writes well under 1 KB. */
const maxLineLength = 65_536;

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffIptables(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  if (text.length > maxLineLength) return false;
  const proto = text.indexOf(' PROTO=');
  if (proto === -1) return false;
  if (text.indexOf('IN=') !== -1 && text.indexOf(' OUT=') !== -1 && text.indexOf(' SRC=') !== -1) return true;
  return text.indexOf('kernel:') !== -1 && text.indexOf(' SPT=', proto) !== -1;
}

function parseIptables(record: RawRecord): EcsEvent | ParseFailure {
  if (record.text.length > maxLineLength)
    return parseFailure(record, format, `line longer than ${maxLineLength} characters`);
  const { header, body } = syslogBody(record);
  // The kernel tag, then an optional uptime "[12345.678]" and a log prefix, then KEY=VALUE pairs.
  let start = body.indexOf('kernel:');
  start = start === -1 ? 0 : start + 7;
  const firstKey = findFirstKey(body, start);
  if (firstKey === -1) return parseFailure(record, format, 'no netfilter KEY=VALUE fields');
  const prefix = body
    .slice(start, firstKey)
    .trim()
    .replace(/^\[\s*\d+\.\d+\]\s*/, '');

  const event = newEvent(record, header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  meta.category = ['network'];
  if (header?.timestampText !== undefined) {
    const after = record.text.indexOf(header.timestampText) + header.timestampText.length;
    event.message = record.text.slice(after).replace(/^[: ]+/, '');
  } else event.message = body;
  put(doc, 'observer.name', header?.hostname);
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
        put(vendor, 'id', numberOf(value));
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
        put(vendor, 'tcp.sequence', numberOf(value));
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
  put(doc, 'network.transport', protocol);
  if (sourceIp !== undefined) put(doc, 'network.type', sourceIp.includes(':') ? 'ipv6' : 'ipv4');
  if (sourceIp) append(doc, 'related.ip', sourceIp);
  if (destinationIp) append(doc, 'related.ip', destinationIp);
  put(
    doc,
    'network.community_id',
    communityId(transportNumber(protocol), sourceIp, destinationIp, sourcePort, destinationPort),
  );
  if (prefix !== '') mapPrefix(doc, vendor, prefix);
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

const ubiquitiActions: Record<string, [string, string]> = {
  A: ['accept', 'allowed'],
  D: ['drop', 'denied'],
  R: ['reject', 'denied'],
};

/** Ubiquiti "[RULESET-RULE-ACTION]" (ruleset may be "IN_ZONE-OUT_ZONE"); other prefixes become rule.name. */
function mapPrefix(doc: JsonObject, vendor: JsonObject, prefix: string): void {
  const inner = prefix.startsWith('[') && prefix.endsWith(']') ? prefix.slice(1, -1) : undefined;
  const actionDash = inner?.lastIndexOf('-') ?? -1;
  const action = inner !== undefined && actionDash !== -1 ? ubiquitiActions[inner.slice(actionDash + 1)] : undefined;
  if (inner === undefined || action === undefined) {
    put(doc, 'rule.name', prefix.replace(/[:\s]+$/, ''));
    return;
  }
  const ruleDash = inner.lastIndexOf('-', actionDash - 1);
  if (ruleDash <= 0) return;
  const ruleSet = inner.slice(0, ruleDash);
  const ruleNumber = inner.slice(ruleDash + 1, actionDash);
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
  put(doc, 'event.action', action[0]);
  (doc.event as JsonObject).type = [action[1], 'connection'];
}

export const iptablesParser: Parser = {
  format,
  description: 'Linux netfilter/iptables kernel log lines (incl. Ubiquiti EdgeOS/UniFi rule prefixes)',
  sniff: sniffIptables,
  parse: parseIptables,
};
