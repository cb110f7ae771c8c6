// FortiGate key=value syslog (traffic, utm, event logs) → ECS. The device writes its own date,
// time and zone (`tz="-0500"`); without `tz` the source's configured zone applies. Fields not
// mapped to ECS are kept under fortinet.firewall.
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { epochDigitsToMs, parseTimestamp } from '../time/parse-timestamp.ts';
import { toIsoUtc } from '../time/time-zone.ts';
import { type KeyValues, parseKeyValues } from './key-values.ts';
import { append, communityId, ipOf, newEvent, numberOf, portOf, put, transportName } from './network-fields.ts';
import { bodyOf, putSyslogPriority, syslogBody } from './syslog-body.ts';
import { putUrl } from './url-parts.ts';

const format = 'fortigate';

/** JSON documents are never this format, even when a field quotes such a line. */
export function sniffFortigate(text: string, json?: Record<string, unknown>): boolean {
  if (json !== undefined) return false;
  const body = bodyOf(text);
  // FortiGate bodies start with `date=` (or `logver=`/`timestamp=` on newer firmware) and carry logid + devid.
  if (
    !(
      body.startsWith('date=') ||
      body.startsWith('logver=') ||
      body.startsWith('timestamp=') ||
      body.startsWith('logdate=')
    )
  )
    return false;
  // logid and devid/devname come early in every FortiGate record.
  const head = body.length > 2048 ? body.slice(0, 2048) : body;
  return head.indexOf(' logid=') !== -1 && (head.indexOf(' devid=') !== -1 || head.indexOf(' devname=') !== -1);
}

/** Keys mapped to ECS: they are not repeated under fortinet.firewall. */
const mappedKeys = new Set([
  'date',
  'time',
  'tz',
  'eventtime',
  'devname',
  'devid',
  'logid',
  'level',
  'srcip',
  'dstip',
  'srcport',
  'dstport',
  'srcintf',
  'dstintf',
  'proto',
  'service',
  'policyid',
  'profile',
  'hostname',
  'url',
  'agent',
  'httpmethod',
  'direction',
  'ref',
  'msg',
  'eventtype',
  'user',
  'sentbyte',
  'rcvdbyte',
  'sentpkt',
  'rcvdpkt',
  'duration',
  'srcmac',
  'dstmac',
  'transip',
  'transport',
  'tranip',
  'tranport',
  'policyname',
  'logdesc',
  'srcname',
  'dstname',
  'srcuser',
  'dstuser',
  'filename',
  'filesize',
  'remip',
]);

const denyActions = new Set(['deny', 'blocked', 'block', 'dropped', 'drop', 'reset', 'server-rst', 'client-rst']);

function parseFortigate(record: RawRecord): EcsEvent | ParseFailure {
  const { header, body } = syslogBody(record);
  const parseStatus = { unterminated: false };
  const fields = parseKeyValues(body, 0, parseStatus);
  if (fields.logid === undefined && fields.devid === undefined)
    return parseFailure(record, format, 'no logid/devid: not a FortiGate key=value record');
  if (parseStatus.unterminated) return parseFailure(record, format, 'truncated record: a quoted value is not closed');
  const zone = fields.tz;
  let time: number | undefined;
  if (fields.date !== undefined && fields.time !== undefined) {
    time = parseTimestamp(`${fields.date}T${fields.time}${zone ?? ''}`, { timezone: record.timezone });
    if (time === undefined && zone !== undefined)
      time = parseTimestamp(`${fields.date}T${fields.time}`, { timezone: record.timezone });
  }
  const event = newEvent(record, time ?? header?.timestamp);
  const doc = event as unknown as JsonObject;
  const meta = event.event as JsonObject;
  meta.kind = 'event';
  meta.category = ['network'];
  put(doc, 'event.timezone', zone ?? record.timezone);
  put(doc, 'event.code', fields.logid);
  if (fields.eventtime !== undefined && /^\d{9,19}$/.test(fields.eventtime)) {
    const start = epochDigitsToMs(fields.eventtime);
    if (start !== undefined) put(doc, 'event.start', toIsoUtc(start));
  }
  const action = fields.action;
  const type = fields.type;
  put(doc, 'event.action', type === 'utm' ? (fields.eventtype ?? action) : (action ?? fields.logdesc));
  put(doc, 'event.reference', fields.ref);
  const status = fields.status ?? fields.result;
  put(
    doc,
    'event.outcome',
    status === 'failure' || status === 'failed'
      ? 'failure'
      : action && denyActions.has(action) && type !== 'utm'
        ? 'failure'
        : 'success',
  );
  if (type === 'traffic') meta.type = ['connection', action && denyActions.has(action) ? 'denied' : 'allowed'];
  else if (action === 'login' || action === 'logout') {
    meta.category = ['authentication'];
    meta.type = [action === 'login' ? 'start' : 'end'];
  }
  put(doc, 'message', fields.msg ?? fields.logdesc);
  put(doc, 'log.level', fields.level);
  putSyslogPriority(doc, header);

  // Admin and VPN event logs name the peer as `ui="https(10.0.0.1)"` or `remip=`.
  const interfaceIp = fields.ui ? ipOf(/\(([^)]+)\)/.exec(fields.ui)?.[1]) : undefined;
  const sourceIp = ipOf(fields.srcip) ?? ipOf(fields.remip) ?? interfaceIp;
  const destinationIp = ipOf(fields.dstip);
  const sourcePort = portOf(fields.srcport);
  const destinationPort = portOf(fields.dstport);
  put(doc, 'source.ip', sourceIp);
  put(doc, 'source.port', sourcePort);
  put(doc, 'destination.ip', destinationIp);
  put(doc, 'destination.port', destinationPort);
  put(doc, 'source.mac', fields.srcmac);
  put(doc, 'destination.mac', fields.dstmac);
  put(doc, 'source.domain', fields.srcname);
  put(doc, 'destination.domain', fields.dstname);
  put(doc, 'source.bytes', numberOf(fields.sentbyte));
  put(doc, 'destination.bytes', numberOf(fields.rcvdbyte));
  put(doc, 'source.packets', numberOf(fields.sentpkt));
  put(doc, 'destination.packets', numberOf(fields.rcvdpkt));
  const sent = numberOf(fields.sentbyte);
  const received = numberOf(fields.rcvdbyte);
  if (sent !== undefined || received !== undefined) put(doc, 'network.bytes', (sent ?? 0) + (received ?? 0));
  const duration = numberOf(fields.duration);
  if (duration !== undefined) put(doc, 'event.duration', duration * 1e9);
  const natIp = ipOf(fields.transip);
  put(doc, 'source.nat.ip', natIp);
  put(doc, 'source.nat.port', portOf(fields.transport));
  put(doc, 'destination.nat.ip', ipOf(fields.tranip));
  put(doc, 'destination.nat.port', portOf(fields.tranport));
  for (const ip of [sourceIp, destinationIp, natIp]) if (ip) append(doc, 'related.ip', ip);

  const protocolNumber = numberOf(fields.proto);
  put(doc, 'network.iana_number', fields.proto);
  put(doc, 'network.transport', transportName(protocolNumber));
  put(doc, 'network.protocol', fields.service?.toLowerCase());
  const direction = fields.direction;
  put(
    doc,
    'network.direction',
    direction === 'outgoing' ? 'outbound' : direction === 'incoming' ? 'inbound' : direction,
  );
  put(doc, 'network.community_id', communityId(protocolNumber, sourceIp, destinationIp, sourcePort, destinationPort));

  put(doc, 'observer.name', fields.devname);
  put(doc, 'observer.serial_number', fields.devid);
  put(doc, 'observer.vendor', 'Fortinet');
  put(doc, 'observer.product', 'Fortigate');
  put(doc, 'observer.type', 'firewall');
  put(doc, 'observer.ingress.interface.name', fields.srcintf);
  put(doc, 'observer.egress.interface.name', fields.dstintf);
  put(doc, 'rule.id', fields.policyid);
  put(doc, 'rule.name', fields.policyname);
  put(doc, 'rule.ruleset', fields.profile);

  put(doc, 'http.request.method', fields.httpmethod);
  put(doc, 'file.name', fields.filename);
  put(doc, 'file.size', numberOf(fields.filesize));
  if (fields.url !== undefined) {
    putUrl(doc, fields.url, fields.hostname);
    const original = (doc.url as JsonObject | undefined)?.original;
    // Elastic keeps only the parts for path-only URLs.
    if (original !== undefined && !fields.url.includes('://')) delete (doc.url as JsonObject).original;
  } else put(doc, 'url.domain', fields.hostname);
  put(doc, 'user_agent.original', fields.agent);

  const user = fields.user ?? fields.srcuser;
  put(doc, 'source.user.name', user);
  put(doc, 'destination.user.name', fields.dstuser);
  if (user) append(doc, 'related.user', user);

  event.fortinet = { firewall: vendorFields(fields) };
  return event;
}

function vendorFields(fields: KeyValues): JsonObject {
  const vendor: JsonObject = {};
  for (const key in fields) if (!mappedKeys.has(key)) vendor[key] = fields[key]!;
  return vendor;
}

export const fortigateParser: Parser = {
  format,
  description: 'Fortinet FortiGate key=value syslog (traffic, UTM, event logs)',
  sniff: sniffFortigate,
  parse: parseFortigate,
};
