// Palo Alto Networks PAN-OS CSV syslog → ECS for TRAFFIC, THREAT, SYSTEM and CONFIG logs (other
// types keep the common header fields). Field positions follow the PAN-OS syslog field
// descriptions; times carry no zone, so the source's configured zone applies.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { splitCsv } from './csv-fields.ts';
import { append, communityId, ipOf, newEvent, numberOf, portOf, put, transportNumber } from './network-fields.ts';
import { bodyOf, putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'panos';
const logTypes = new Set([
  'TRAFFIC',
  'THREAT',
  'SYSTEM',
  'CONFIG',
  'HIPMATCH',
  'GLOBALPROTECT',
  'USERID',
  'AUTH',
  'DECRYPTION',
  'CORRELATION',
  'GTP',
  'SCTP',
  'TUNNEL',
  'IPTAG',
]);
/** "1,2018/11/30 16:44:36,012801096514,THREAT," — the start of every PAN-OS CSV body. */
const bodyStart = /^\d{1,2},\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2},[^,]{0,64},([A-Z]{3,13}),/;

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffPanos(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  const body = bodyOf(text);
  const match = bodyStart.exec(body.length > 200 ? body.slice(0, 200) : body);
  return match !== null && logTypes.has(match[1]!);
}

const severityNumbers: Record<string, number> = { critical: 1, high: 2, medium: 3, low: 4, informational: 5 };

const threatActions: Record<string, string> = {
  url: 'url_filtering',
  virus: 'malware_detected',
  spyware: 'spyware_detected',
  vulnerability: 'exploit_detected',
  file: 'file_match',
  scan: 'scan_detected',
  flood: 'flood_detected',
  packet: 'packet_attack',
  resource: 'resources_exceeded',
  data: 'data_match',
  wildfire: 'malware_detected',
  'wildfire-virus': 'malware_detected',
};
const trafficActions: Record<string, string> = {
  start: 'flow_started',
  end: 'flow_terminated',
  drop: 'flow_dropped',
  deny: 'flow_denied',
};
/** Session flag bits (actionflags of the flow) → the boolean labels Elastic uses. */
const flagLabels: [number, string][] = [
  [0x80000000, 'pcap_included'],
  [0x02000000, 'ipv6_session'],
  [0x01000000, 'ssl_decrypted'],
  [0x00800000, 'url_filter_denied'],
  [0x00400000, 'nat_translated'],
  [0x00200000, 'captive_portal'],
  [0x00080000, 'x_forwarded_for'],
  [0x00040000, 'http_proxy'],
  [0x00008000, 'container_page'],
  [0x00002000, 'temporary_match'],
  [0x00000800, 'symmetric_return'],
];
const allowedActions = new Set(['alert', 'allow', 'continue', 'override']);

function timeOf(text: string | undefined, record: RawRecord): number | undefined {
  return text ? parseTimestamp(text, { timezone: record.timezone }) : undefined;
}

function parsePanos(record: RawRecord): EcsEvent | ParseFailure {
  const { header, body } = syslogBody(record);
  const fields = splitCsv(body);
  const logType = fields[3];
  if (fields.length < 7 || logType === undefined || !logTypes.has(logType))
    return parseFailure(record, format, 'not a PAN-OS CSV record (no log type in the 4th field)');
  // TRAFFIC and THREAT records carry at least up to the action (31st field); fewer means a cut record.
  if ((logType === 'TRAFFIC' || logType === 'THREAT') && fields.length < 31)
    return parseFailure(record, format, `truncated PAN-OS ${logType} record: ${fields.length} of at least 31 fields`);
  const subType = fields[4] ?? '';
  const generated = timeOf(fields[6], record);
  const event = newEvent(record, generated ?? timeOf(fields[1], record) ?? header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  put(doc, 'event.timezone', record.timezone);
  put(doc, 'observer.serial_number', fields[2]);
  put(doc, 'observer.vendor', 'Palo Alto Networks');
  put(doc, 'observer.product', 'PAN-OS');
  put(doc, 'observer.type', 'firewall');
  putSyslogPriority(doc, header);
  const vendor: JsonObject = { type: logType, sub_type: subType };
  put(vendor, 'generated_time', generated !== undefined ? toIsoUtc(generated) : undefined);
  const received = timeOf(fields[1], record);
  put(vendor, 'received_time', received !== undefined ? toIsoUtc(received) : undefined);
  event.panw = { panos: vendor };

  switch (logType) {
    case 'TRAFFIC':
    case 'THREAT':
      mapFlow(doc, vendor, fields, logType, subType, record);
      break;
    case 'SYSTEM':
      meta.kind = 'event';
      meta.category = ['host'];
      meta.type = ['info'];
      put(doc, 'event.action', fields[8]);
      put(vendor, 'object', fields[9]);
      put(vendor, 'module', fields[12]);
      put(doc, 'log.level', fields[13]);
      put(doc, 'event.severity', severityNumbers[fields[13] ?? '']);
      put(doc, 'message', fields[14]);
      put(vendor, 'sequence_number', fields[15]);
      putDevice(doc, fields[22]);
      break;
    case 'CONFIG': {
      meta.kind = 'event';
      meta.category = ['configuration'];
      meta.type = ['change'];
      const host = fields[7];
      put(doc, 'source.ip', ipOf(host));
      if (ipOf(host)) append(doc, 'related.ip', host);
      put(vendor, 'virtual_sys', fields[8]);
      put(doc, 'event.action', fields[9]);
      put(doc, 'user.name', fields[10]);
      if (fields[10]) append(doc, 'related.user', fields[10]);
      put(vendor, 'client', fields[11]);
      const result = fields[12];
      put(doc, 'event.outcome', result === 'Succeeded' ? 'success' : result === 'Failed' ? 'failure' : undefined);
      put(doc, 'message', fields[13]);
      break;
    }
    default:
      meta.kind = 'event';
      put(doc, 'event.action', subType);
      break;
  }
  return event;
}

function putDevice(doc: JsonObject, device: string | undefined): void {
  if (!device) return;
  put(doc, 'observer.hostname', device);
  append(doc, 'related.hosts', device);
}

function mapFlow(
  doc: JsonObject,
  vendor: JsonObject,
  fields: string[],
  logType: string,
  subType: string,
  record: RawRecord,
): void {
  const meta = doc.event as JsonObject;
  const threat = logType === 'THREAT';
  const sourceIp = ipOf(fields[7]);
  const destinationIp = ipOf(fields[8]);
  const natSourceIp = nonZeroIp(fields[9]);
  const natDestinationIp = nonZeroIp(fields[10]);
  const sourcePort = portOf(fields[24]);
  const destinationPort = portOf(fields[25]);
  const natSourcePort = portOf(fields[26]);
  const natDestinationPort = portOf(fields[27]);
  const transport = fields[29];
  const action = fields[30] ?? '';
  put(doc, 'source.ip', sourceIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'destination.port', destinationPort);
  if (natSourceIp) {
    put(doc, 'source.nat.ip', natSourceIp);
    put(doc, 'source.nat.port', natSourcePort);
  }
  if (natDestinationIp) {
    put(doc, 'destination.nat.ip', natDestinationIp);
    put(doc, 'destination.nat.port', natDestinationPort);
  }
  for (const ip of [sourceIp, destinationIp, natSourceIp, natDestinationIp]) if (ip) append(doc, 'related.ip', ip);
  put(doc, 'rule.name', fields[11]);
  put(vendor, 'ruleset', fields[11]);
  for (const [index, path] of [
    [12, 'source.user.name'],
    [13, 'destination.user.name'],
  ] as const) {
    const user = fields[index];
    if (!user) continue;
    const slash = user.indexOf('\\');
    put(doc, path, slash === -1 ? user : user.slice(slash + 1));
    if (slash !== -1) put(doc, path.replace('.name', '.domain'), user.slice(0, slash));
    append(doc, 'related.user', slash === -1 ? user : user.slice(slash + 1));
  }
  put(doc, 'network.application', fields[14]);
  put(vendor, 'virtual_sys', fields[15]);
  put(doc, 'observer.ingress.zone', fields[16]);
  put(doc, 'observer.egress.zone', fields[17]);
  put(doc, 'observer.ingress.interface.name', fields[18]);
  put(doc, 'observer.egress.interface.name', fields[19]);
  put(vendor, 'log_profile', fields[20]);
  put(vendor, 'flow_id', fields[22]);
  put(vendor, 'repeat_count', numberOf(fields[23]));
  put(doc, 'network.transport', transport);
  if (sourceIp) put(doc, 'network.type', sourceIp.includes(':') ? 'ipv6' : 'ipv4');
  put(vendor, 'action', action);
  const flags = fields[28]?.startsWith('0x') ? Number.parseInt(fields[28].slice(2), 16) : Number.NaN;
  if (Number.isFinite(flags)) {
    const labels: JsonObject = {};
    for (const [bit, name] of flagLabels)
      if ((flags & bit) !== 0 || (bit === 0x80000000 && flags >= bit)) labels[name] = true;
    if (Object.keys(labels).length > 0) doc.labels = labels;
  }
  const protocolNumber = transportNumber(transport);
  const flowId = communityId(protocolNumber, sourceIp, destinationIp, sourcePort, destinationPort);
  const natId =
    natSourceIp && natDestinationIp
      ? communityId(protocolNumber, natSourceIp, natDestinationIp, natSourcePort, natDestinationPort)
      : undefined;
  if (flowId && natId) {
    doc.network = { ...(doc.network as JsonObject), community_id: [flowId, natId] };
    put(vendor, 'network.nat.community_id', natId);
  } else put(doc, 'network.community_id', flowId);
  const denied = !allowedActions.has(action);
  put(doc, 'event.outcome', 'success');

  if (threat) {
    meta.kind = 'alert';
    meta.category = ['intrusion_detection', 'threat', 'network'];
    meta.type = [denied ? 'denied' : 'allowed'];
    put(doc, 'event.action', threatActions[subType] ?? subType);
    const misc = fields[31];
    if (subType === 'url' && misc) {
      const domainEnd = misc.search(/[/?]/);
      const domain = domainEnd === -1 ? misc : misc.slice(0, domainEnd);
      put(doc, 'url.original', misc);
      putUrl(doc, misc.includes('://') ? misc : `http://${misc}`);
      (doc.url as JsonObject).original = misc;
      delete (doc.url as JsonObject).scheme;
      put(doc, 'url.domain', domain);
      put(doc, 'destination.domain', domain);
    } else if (misc) put(doc, 'file.name', misc);
    const threatName = fields[32] ?? '';
    const idStart = threatName.lastIndexOf('(');
    if (idStart !== -1 && threatName.endsWith(')')) {
      put(vendor, 'threat.id', threatName.slice(idStart + 1, -1));
      const name = threatName.slice(0, idStart).trim();
      put(vendor, 'threat.name', name === '' && subType === 'url' ? 'URL-filtering' : name);
    }
    put(vendor, subType === 'url' ? 'url.category' : 'threat.category', fields[33]);
    put(doc, 'log.level', fields[34]);
    put(doc, 'event.severity', severityNumbers[fields[34] ?? '']);
    const direction = fields[35];
    put(
      doc,
      'network.direction',
      direction === 'client-to-server' ? 'inbound' : direction === 'server-to-client' ? 'outbound' : undefined,
    );
    put(vendor, 'sequence_number', fields[36]);
    put(vendor, 'action_flags', fields[37]);
    put(doc, 'user_agent.original', fields[46]);
    put(doc, 'http.request.referrer', fields[49]);
    putDevice(doc, fields[59]);
    return;
  }

  meta.kind = 'event';
  meta.category = ['network'];
  const types = ['connection', denied ? 'denied' : 'allowed'];
  if (subType === 'start') types.push('start');
  else if (subType === 'end' || subType === 'drop' || subType === 'deny') types.push('end');
  meta.type = types;
  put(doc, 'event.action', trafficActions[subType] ?? subType);
  put(doc, 'network.bytes', numberOf(fields[31]));
  put(doc, 'source.bytes', numberOf(fields[32]));
  put(doc, 'destination.bytes', numberOf(fields[33]));
  put(doc, 'network.packets', numberOf(fields[34]));
  const start = timeOf(fields[35], record);
  if (start !== undefined) put(doc, 'event.start', toIsoUtc(start));
  const elapsed = numberOf(fields[36]);
  if (elapsed !== undefined) {
    put(doc, 'event.duration', elapsed * 1e9);
    if (start !== undefined) put(doc, 'event.end', toIsoUtc(start + elapsed * 1000));
  }
  put(vendor, 'url.category', fields[37]);
  put(vendor, 'sequence_number', fields[39]);
  put(vendor, 'action_flags', fields[40]);
  put(doc, 'source.packets', numberOf(fields[44]));
  put(doc, 'destination.packets', numberOf(fields[45]));
  put(doc, 'event.reason', fields[46]);
  putDevice(doc, fields[52]);
}

function nonZeroIp(value: string | undefined): string | undefined {
  const ip = ipOf(value);
  return ip === '0.0.0.0' || ip === '::' ? undefined : ip;
}

export const panosParser: Parser = {
  format,
  description: 'Palo Alto Networks PAN-OS CSV syslog (TRAFFIC, THREAT, SYSTEM, CONFIG, …)',
  sniff: sniffPanos,
  parse: parsePanos,
};
