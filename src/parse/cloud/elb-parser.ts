// The 'aws-elb' parser: AWS load balancer logs to ECS. Four layouts share one tokenizer: Classic ELB
// access logs (HTTP and TCP listeners), Application Load Balancer access logs (a leading request type),
// Network Load Balancer TLS access logs ("tls 2.0 …") and ALB connection logs (one line per TLS handshake).
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { urlFields } from '../web/access-log.ts';
import { UserAgentParser } from '../web/user-agent.ts';

export const elbFormat = 'aws-elb';
const maxLineLength = 65_536;
const isoZulu = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const isoLocal = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?$/;
/** Cheap pre-check before splitting: an ALB type, an NLB type and log version, or nothing before the time. */
const linePrefixPattern =
  /^(?:[a-z][a-z0-9]{0,9} (?:\d+\.\d+ )?)?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z? \S+ \S/;
const requestPattern = /^(-|\w+) (.*)$/s;
const versionSuffix = / (?:-|HTTP\/(\S+))$/;
const endpointPattern = /^\[?([0-9A-Fa-f:.]+?)\]?:(\d{1,5})$/;
const certificateValidity = /^NotBefore=(\S+?);NotAfter=(\S+)$/;

/**
 * Split on spaces, keeping "quoted values" (without quotes) together. A quoted value ends at the first
 * closing quote, so a missing space after it ("-"1) still splits, except that NLB's quoted list
 * "h2","http/1.1" stays one field. Undefined on an unterminated quote.
 */
export function splitQuoted(line: string): string[] | undefined {
  const fields: string[] = [];
  let index = 0;
  while (index < line.length) {
    if (line.charCodeAt(index) === 34 /* " */) {
      let end = line.indexOf('"', index + 1);
      // "a","b": the list goes on after each `","`.
      while (end !== -1 && line.startsWith(',"', end + 1)) end = line.indexOf('"', end + 3);
      if (end === -1) return undefined;
      fields.push(line.slice(index + 1, end));
      index = end + 1;
    } else {
      let end = line.indexOf(' ', index);
      if (end === -1) end = line.length;
      fields.push(line.slice(index, end));
      index = end;
    }
    while (line.charCodeAt(index) === 32) index++;
  }
  return fields;
}

type Layout = 'classic' | 'application' | 'network' | 'connection';

function isEndpoint(value: string | undefined): boolean {
  return value !== undefined && endpointPattern.test(value);
}

function layoutOf(fields: readonly string[]): Layout | undefined {
  const [first, second, third] = fields;
  if (first === undefined || second === undefined || third === undefined) return undefined;
  if (isoZulu.test(first)) {
    if (fields.length >= 15 && isEndpoint(third)) return 'classic';
    if (fields.length >= 11 && isIP(second) !== 0 && /^\d+$/.test(third) && /^\d+$/.test(fields[3]!))
      return 'connection';
    return undefined;
  }
  if (!/^[a-z][a-z0-9]*$/.test(first)) return undefined;
  if (fields.length >= 16 && isoZulu.test(second) && isEndpoint(fields[3])) return 'application';
  if (fields.length >= 18 && /^\d+\.\d+$/.test(second) && isoLocal.test(third) && isEndpoint(fields[5]))
    return 'network';
  return undefined;
}

/** A field value, or undefined for AWS's "-" placeholder (and "-1" where asked). */
function value(field: string | undefined, minusOne = false): string | undefined {
  if (field === undefined || field === '' || field === '-') return undefined;
  if (minusOne && field === '-1') return undefined;
  return field;
}

function endpoint(field: string | undefined): { ip?: string; address: string; port?: number } | undefined {
  const text = value(field);
  if (text === undefined) return undefined;
  const match = endpointPattern.exec(text);
  const host = match ? match[1]! : text;
  const result: { ip?: string; address: string; port?: number } = { address: host };
  if (isIP(host) !== 0) result.ip = host;
  if (match) result.port = Number(match[2]);
  return result;
}

function numberOf(field: string | undefined): number | undefined {
  const text = value(field);
  if (text === undefined) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** AWS times carry no zone when they are UTC without a Z (NLB): read them as UTC. */
function isoTime(field: string | undefined): string | undefined {
  const text = value(field);
  if (text === undefined || !isoLocal.test(text)) return undefined;
  const ms = parseTimestamp(text.endsWith('Z') ? text : `${text}Z`);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** "TLSv1.2" / "tlsv12" → ECS tls.version "1.2" and tls.version_protocol "tls". */
function putTls(event: EcsEvent, cipher: string | undefined, protocol: string | undefined): JsonObject | undefined {
  if (cipher === undefined && protocol === undefined) return undefined;
  const tls = (event['tls'] as JsonObject | undefined) ?? {};
  if (cipher !== undefined) tls['cipher'] = cipher;
  const parts = protocol === undefined ? undefined : /^([A-Za-z]+)v(\d+(?:\.\d+)*)$/.exec(protocol);
  if (parts) {
    const digits = parts[2]!;
    tls['version'] = digits.includes('.') || digits.length === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
    tls['version_protocol'] = parts[1]!.toLowerCase();
  }
  event['tls'] = tls;
  return tls;
}

function putEndpoint(event: EcsEvent, key: 'source' | 'client', field: string | undefined, related: string[]) {
  const found = endpoint(field);
  if (found === undefined) return;
  event[key] = { ...(event[key] as JsonObject | undefined), ...found };
  if (found.ip !== undefined && !related.includes(found.ip)) related.push(found.ip);
}

/** The target (backend) as aws.elb.backend.* (Elastic's names) and as destination.ip/port. */
function putBackend(event: EcsEvent, vendor: JsonObject, field: string | undefined, related: string[]) {
  const backend = endpoint(field);
  if (backend?.ip === undefined) return;
  const fields: JsonObject = { ip: backend.ip };
  if (backend.port !== undefined) fields['port'] = String(backend.port);
  vendor['backend'] = fields;
  event['destination'] = {
    ...(event['destination'] as JsonObject | undefined),
    ip: backend.ip,
    address: backend.ip,
    ...(backend.port !== undefined ? { port: backend.port } : {}),
  };
  if (!related.includes(backend.ip)) related.push(backend.ip);
}

function setIf(target: JsonObject, key: string, field: JsonValue | undefined): void {
  if (field !== undefined) target[key] = field;
}

/** A request URL Elastic's uri_parts accepts: absolute with a numeric port (if any), or a path. */
function parsableUrl(target: string): boolean {
  const authority = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(target);
  if (authority === null) return target.startsWith('/');
  const host = authority[1]!.slice(authority[1]!.lastIndexOf('@') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 || host.endsWith(']') || /^\d{1,5}$/.test(host.slice(colon + 1));
}

function baseEvent(record: RawRecord, time: string | undefined, category: string): EcsEvent {
  const end = isoTime(time);
  const eventFields: JsonObject = { original: record.text, kind: 'event', category: [category] };
  eventFields['type'] = [category === 'web' ? 'access' : 'connection'];
  if (end !== undefined) eventFields['end'] = end;
  return {
    '@timestamp': end ?? new Date(record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
    cloud: { provider: 'aws' },
  };
}

function finish(event: EcsEvent, vendor: JsonObject, related: string[]): EcsEvent {
  if (related.length > 0) event['related'] = { ip: related };
  event['aws'] = { elb: vendor };
  return event;
}

/** Classic ELB and ALB access logs: `offset` is 1 when an ALB request type leads the line. */
function accessEvent(record: RawRecord, fields: string[], offset: number, userAgents: UserAgentParser): EcsEvent {
  const at = (index: number): string | undefined => fields[index + offset];
  const status = numberOf(at(7));
  // A line without an ELB status is a TCP listener's (Classic "- - - " request): a connection, not a request.
  const isHttp = status !== undefined;
  const event = baseEvent(record, at(0), isHttp ? 'web' : 'network');
  const eventFields = event['event'] as JsonObject;
  const related: string[] = [];
  const vendor: JsonObject = { name: at(1) ?? '', protocol: isHttp ? 'http' : 'tcp' };
  if (offset === 1) vendor['type'] = fields[0]!;
  putEndpoint(event, 'source', at(2), related);
  putBackend(event, vendor, at(3), related);
  const timings: [string, string | undefined][] = [
    ['request_processing_time', at(4)],
    ['backend_processing_time', at(5)],
    ['response_processing_time', at(6)],
  ];
  for (const [name, field] of timings) {
    const seconds = numberOf(field);
    if (seconds !== undefined && seconds >= 0) vendor[name] = { sec: seconds };
  }
  const received = numberOf(at(9));
  const sent = numberOf(at(10));
  if (isHttp) {
    eventFields['outcome'] = status < 400 ? 'success' : 'failure';
    const backendStatus = numberOf(at(8));
    if (backendStatus !== undefined && vendor['backend'] !== undefined)
      (vendor['backend'] as JsonObject)['http'] = { response: { status_code: backendStatus } };
    const request: JsonObject = {};
    setIf(request, 'body', received === undefined ? undefined : { bytes: received });
    const response: JsonObject = { status_code: status };
    setIf(response, 'body', sent === undefined ? undefined : { bytes: sent });
    const http: JsonObject = { request, response };
    const requestLine = requestPattern.exec(at(11) ?? '');
    if (requestLine) {
      if (requestLine[1] !== '-') request['method'] = requestLine[1]!;
      let target = requestLine[2]!;
      const version = versionSuffix.exec(target);
      if (version) {
        if (version[1] !== undefined) http['version'] = version[1];
        target = target.slice(0, version.index);
      }
      if (target !== '-' && target !== '' && parsableUrl(target)) event['url'] = urlFields(target);
    }
    if (Object.keys(request).length === 0) delete http['request'];
    event['http'] = http;
    const agent = at(12);
    if (agent !== undefined) event['user_agent'] = userAgents.parse(agent);
  } else {
    if (received !== undefined) event['source'] = { ...(event['source'] as JsonObject), bytes: received };
    if (sent !== undefined) event['destination'] = { ...(event['destination'] as JsonObject), bytes: sent };
  }
  const cipher = value(at(13));
  const protocol = value(at(14));
  setIf(vendor, 'ssl_cipher', cipher);
  setIf(vendor, 'ssl_protocol', protocol);
  putTls(event, cipher, protocol);
  if (offset === 1) applicationFields(event, vendor, at);
  return finish(event, vendor, related);
}

/** The fields ALB adds after the Classic ones (AWS has appended more over time; all are optional). */
function applicationFields(event: EcsEvent, vendor: JsonObject, at: (index: number) => string | undefined): void {
  const targetGroup = value(at(15));
  if (targetGroup !== undefined) vendor['target_group'] = { arn: targetGroup };
  const trace = value(at(16));
  if (trace !== undefined) {
    vendor['trace_id'] = trace;
    event['trace'] = { id: trace };
  }
  const domain = value(at(17));
  if (domain !== undefined) {
    // The SNI host the client asked for: the load balancer's name as the client saw it.
    event['destination'] = { ...(event['destination'] as JsonObject | undefined), domain };
    const url = event['url'] as JsonObject | undefined;
    if (url !== undefined && url['domain'] === undefined) url['domain'] = domain;
  }
  const certificate = value(at(18));
  if (certificate !== undefined) vendor['chosen_cert'] = { arn: certificate };
  setIf(vendor, 'matched_rule_priority', value(at(19), true));
  const start = isoTime(at(20));
  if (start !== undefined) (event['event'] as JsonObject)['start'] = start;
  const actions = value(at(21));
  if (actions !== undefined) vendor['action_executed'] = actions.split(',');
  setIf(vendor, 'redirect_url', value(at(22)));
  const errorReason = value(at(23));
  if (errorReason !== undefined) vendor['error'] = { reason: errorReason };
  const targets = value(at(24));
  if (targets !== undefined) vendor['target_port'] = targets.split(' ');
  const targetStatuses = value(at(25));
  if (targetStatuses !== undefined) vendor['target_status_code'] = targetStatuses.split(' ');
  setIf(vendor, 'classification', value(at(26)));
  setIf(vendor, 'classification_reason', value(at(27)));
  setIf(vendor, 'conn_trace_id', value(at(28)));
}

/** NLB access logs (written for TLS listeners only): one line per connection, times in milliseconds. */
function networkEvent(record: RawRecord, fields: string[]): EcsEvent {
  const event = baseEvent(record, fields[2], 'network');
  const related: string[] = [];
  const vendor: JsonObject = { type: fields[0]!, name: fields[3]!, protocol: 'tcp' };
  setIf(vendor, 'listener', value(fields[4]));
  putEndpoint(event, 'source', fields[5], related);
  putBackend(event, vendor, fields[6], related);
  const connectionTime = numberOf(fields[7]);
  if (connectionTime !== undefined) vendor['connection_time'] = { ms: connectionTime };
  const handshakeTime = numberOf(fields[8]);
  if (handshakeTime !== undefined) vendor['tls_handshake_time'] = { ms: handshakeTime };
  const received = numberOf(fields[9]);
  if (received !== undefined) event['source'] = { ...(event['source'] as JsonObject), bytes: received };
  const sent = numberOf(fields[10]);
  if (sent !== undefined) event['destination'] = { ...(event['destination'] as JsonObject), bytes: sent };
  setIf(vendor, 'incoming_tls_alert', value(fields[11]));
  const certificateArn = value(fields[12]);
  const certificateSerial = value(fields[13]);
  if (certificateArn !== undefined || certificateSerial !== undefined) {
    const chosen: JsonObject = {};
    setIf(chosen, 'arn', certificateArn);
    setIf(chosen, 'serial', certificateSerial);
    vendor['chosen_cert'] = chosen;
  }
  const cipher = value(fields[14]);
  const protocol = value(fields[15]);
  setIf(vendor, 'ssl_cipher', cipher);
  setIf(vendor, 'ssl_protocol', protocol);
  const tls = putTls(event, cipher, protocol);
  setIf(vendor, 'ssl_named_group', value(fields[16]));
  const domain = value(fields[17]);
  if (domain !== undefined) {
    event['destination'] = { ...(event['destination'] as JsonObject | undefined), domain };
    if (tls !== undefined) tls['client'] = { server_name: domain };
  }
  const frontProtocol = value(fields[18]);
  setIf(vendor, 'alpn_fe_protocol', frontProtocol);
  if (frontProtocol !== undefined && tls !== undefined) tls['next_protocol'] = frontProtocol;
  setIf(vendor, 'alpn_be_protocol', value(fields[19]));
  // The preference list is quoted ("h2","http/1.1"), sometimes with escaped quotes.
  const preferences = value(fields[20]?.replace(/^\\?"|\\?"$/g, ''));
  setIf(vendor, 'alpn_client_preference_list', preferences);
  setIf(vendor, 'tls_connection_creation_time', isoTime(fields[21]));
  return finish(event, vendor, related);
}

/** ALB connection logs: the client side of each TLS handshake (or plain connection) with mTLS details. */
function connectionEvent(record: RawRecord, fields: string[]): EcsEvent {
  const event = baseEvent(record, fields[0], 'network');
  const eventFields = event['event'] as JsonObject;
  const related: string[] = [fields[1]!];
  event['client'] = { ip: fields[1]!, address: fields[1]!, port: Number(fields[2]) };
  const vendor: JsonObject = { listener: fields[3]!, protocol: 'tcp' };
  const protocol = value(fields[4]);
  const cipher = value(fields[5]);
  setIf(vendor, 'ssl_protocol', protocol);
  setIf(vendor, 'ssl_cipher', cipher);
  const tls = putTls(event, cipher, protocol);
  setIf(vendor, 'tls_handshake_latency', numberOf(fields[6]));
  const subject = value(fields[7]);
  setIf(vendor, 'leaf_client_cert_subject', subject);
  const x509: JsonObject = {};
  if (subject !== undefined) x509['subject'] = { distinguished_name: subject };
  const validity = certificateValidity.exec(fields[8] ?? '');
  if (validity) {
    const notBefore = isoTime(validity[1]);
    const notAfter = isoTime(validity[2]);
    setIf(vendor, 'leaf_client_cert_not_before', notBefore);
    setIf(vendor, 'leaf_client_cert_not_after', notAfter);
    setIf(x509, 'not_before', notBefore);
    setIf(x509, 'not_after', notAfter);
  }
  const serial = value(fields[9]);
  setIf(vendor, 'leaf_client_cert_serial_number', serial);
  setIf(x509, 'serial_number', serial);
  if (Object.keys(x509).length > 0) {
    const target = tls ?? {};
    target['client'] = { x509 };
    event['tls'] = target;
  }
  const verify = value(fields[10]);
  if (verify !== undefined) {
    const colon = verify.indexOf(':');
    const status = colon === -1 ? verify : verify.slice(0, colon);
    vendor['tls_verify_status'] = status;
    if (colon !== -1) vendor['tls_error_code'] = verify.slice(colon + 1);
    if (status === 'Success') eventFields['outcome'] = 'success';
    else if (status === 'Failed') eventFields['outcome'] = 'failure';
  }
  setIf(vendor, 'conn_trace_id', value(fields[11]));
  return finish(event, vendor, related);
}

function plausible(fields: readonly string[], layout: Layout): boolean {
  switch (layout) {
    case 'classic':
    case 'application': {
      const offset = layout === 'application' ? 1 : 0;
      return requestPattern.test(fields[11 + offset] ?? '') && /^(?:\d{3}|-)$/.test(fields[7 + offset]!);
    }
    case 'network':
      return /^\d+$/.test(fields[9]!) && /^\d+$/.test(fields[10]!);
    case 'connection':
      return fields[8] === '-' || certificateValidity.test(fields[8] ?? '');
  }
}

export function createElbParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: elbFormat,
    description: 'AWS load balancer logs (Classic ELB, ALB and NLB access logs, ALB connection logs)',
    sniff(text, json) {
      if (json !== undefined || text.length > maxLineLength) return false;
      if (!linePrefixPattern.test(text)) return false;
      const fields = splitQuoted(text.trimEnd());
      if (fields === undefined) return false;
      const layout = layoutOf(fields);
      return layout !== undefined && plausible(fields, layout);
    },
    parse(record) {
      if (record.text.length > maxLineLength)
        return parseFailure(record, elbFormat, 'line too long for a load balancer log');
      const fields = splitQuoted(record.text.trimEnd());
      const layout = fields === undefined ? undefined : layoutOf(fields);
      if (fields === undefined || layout === undefined)
        return parseFailure(record, elbFormat, 'not an AWS load balancer log line');
      switch (layout) {
        case 'classic':
          return accessEvent(record, fields, 0, userAgents);
        case 'application':
          return accessEvent(record, fields, 1, userAgents);
        case 'network':
          return networkEvent(record, fields);
        case 'connection':
          return connectionEvent(record, fields);
      }
    },
  };
}
