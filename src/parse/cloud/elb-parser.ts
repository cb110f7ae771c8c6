// The 'aws-elb' parser: AWS load balancer access logs (Application Load Balancer and Classic ELB)
// to ECS: client → source, the request line → http/url, sizes and status, timings as event.start/end.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { urlFields } from '../web/access-log.ts';
import { UserAgentParser } from '../web/user-agent.ts';

export const elbFormat = 'aws-elb';
const maxLineLength = 65_536;
const albTypes = new Set(['http', 'https', 'h2', 'grpcs', 'ws', 'wss']);
const isoStart = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const linePrefixPattern = /^(?:(?:https?|h2|grpcs|wss?) )?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z \S+ \S+:\d+ /;
const requestPattern = /^([A-Z]+|-) (\S+) (?:HTTP\/(\d(?:\.\d)?)|-)$/;

/** Split on spaces, keeping "quoted values" (without quotes) together. Undefined on an open quote. */
export function splitQuoted(line: string): string[] | undefined {
  const fields: string[] = [];
  let index = 0;
  while (index < line.length) {
    if (line.charCodeAt(index) === 34 /* " */) {
      const end = line.indexOf('"', index + 1);
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

interface Layout {
  readonly offset: number; // 1 for ALB (leading type field), 0 for Classic
}

function layoutOf(fields: readonly string[]): Layout | undefined {
  if (fields.length >= 15 && albTypes.has(fields[0]!) && isoStart.test(fields[1]!)) return { offset: 1 };
  if (fields.length >= 15 && isoStart.test(fields[0]!)) return { offset: 0 };
  return undefined;
}

function endpoint(value: string | undefined): { ip?: string; address?: string; port?: number } | undefined {
  if (value === undefined || value === '-' || value === '') return undefined;
  const colon = value.lastIndexOf(':');
  const host = colon === -1 ? value : value.slice(0, colon);
  const port = colon === -1 ? undefined : Number(value.slice(colon + 1));
  const result: { ip?: string; address?: string; port?: number } = { address: host };
  if (isIP(host) !== 0) result.ip = host;
  if (port !== undefined && Number.isInteger(port)) result.port = port;
  return result;
}

function numberOrUndefined(value: string | undefined): number | undefined {
  if (value === undefined || value === '-' || value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function toEvent(record: RawRecord, fields: string[], layout: Layout, userAgents: UserAgentParser): EcsEvent {
  const at = (index: number): string | undefined => fields[index + layout.offset];
  const end = parseTimestamp(at(0)!);
  const status = numberOrUndefined(at(7));
  const eventFields: JsonObject = { original: record.text, kind: 'event', category: ['web'], type: ['access'] };
  if (status !== undefined) eventFields['outcome'] = status < 400 ? 'success' : 'failure';
  if (end !== undefined) eventFields['end'] = new Date(end).toISOString();
  const event: EcsEvent = {
    '@timestamp': new Date(end ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
    cloud: { provider: 'aws' },
  };
  const related: string[] = [];
  const client = endpoint(at(2));
  if (client !== undefined) {
    event['source'] = client as JsonObject;
    if (client.ip !== undefined) related.push(client.ip);
  }
  const backend = endpoint(at(3));
  const http: JsonObject = {};
  const request: JsonObject = {};
  const received = numberOrUndefined(at(9));
  if (received !== undefined) request['body'] = { bytes: received };
  const response: JsonObject = {};
  if (status !== undefined) response['status_code'] = status;
  const sent = numberOrUndefined(at(10));
  if (sent !== undefined) response['body'] = { bytes: sent };
  const requestLine = requestPattern.exec(at(11) ?? '');
  if (requestLine) {
    if (requestLine[1] !== '-') request['method'] = requestLine[1]!;
    if (requestLine[3]) http['version'] = requestLine[3];
    event['url'] = urlFields(requestLine[2]!);
  }
  if (Object.keys(request).length > 0) http['request'] = request;
  if (Object.keys(response).length > 0) http['response'] = response;
  if (Object.keys(http).length > 0) event['http'] = http;
  const agent = at(12);
  if (agent !== undefined && agent !== '-' && agent !== '') event['user_agent'] = userAgents.parse(agent);
  const cipher = at(13);
  const protocol = at(14);
  if (cipher !== undefined && cipher !== '-') {
    const tls: JsonObject = { cipher };
    if (protocol?.startsWith('TLSv')) {
      tls['version_protocol'] = 'tls';
      tls['version'] = protocol.slice(4);
    }
    event['tls'] = tls;
  }
  const vendor: JsonObject = { name: at(1) ?? '' };
  if (layout.offset === 1) {
    vendor['type'] = fields[0]!;
    vendor['protocol'] = fields[0]!;
    const targetGroup = at(15);
    if (targetGroup !== undefined && targetGroup !== '-') vendor['target_group'] = { arn: targetGroup };
    const trace = at(16);
    if (trace !== undefined && trace !== '-') {
      vendor['trace_id'] = trace;
      event['trace'] = { id: trace };
    }
    const domain = at(17);
    if (domain !== undefined && domain !== '-') {
      const url = (event['url'] as JsonObject | undefined) ?? {};
      if (url['domain'] === undefined) url['domain'] = domain;
      event['url'] = url;
    }
    const start = at(20) === undefined ? undefined : parseTimestamp(at(20)!);
    if (start !== undefined) eventFields['start'] = new Date(start).toISOString();
    const actions = at(21);
    if (actions !== undefined && actions !== '-') vendor['action_executed'] = actions.split(',');
    const errorReason = at(23);
    if (errorReason !== undefined && errorReason !== '-') vendor['error'] = { reason: errorReason };
  }
  if (backend !== undefined) {
    const backendFields: JsonObject = {};
    if (backend.ip !== undefined) backendFields['ip'] = backend.ip;
    if (backend.port !== undefined) backendFields['port'] = String(backend.port);
    const backendStatus = numberOrUndefined(at(8));
    if (backendStatus !== undefined) backendFields['http'] = { response: { status_code: backendStatus } };
    vendor['backend'] = backendFields;
    if (backend.ip !== undefined) {
      event['destination'] = {
        ip: backend.ip,
        address: backend.ip,
        ...(backend.port !== undefined ? { port: backend.port } : {}),
      };
      if (!related.includes(backend.ip)) related.push(backend.ip);
    }
  }
  const timings: [string, string | undefined][] = [
    ['request_processing_time', at(4)],
    ['backend_processing_time', at(5)],
    ['response_processing_time', at(6)],
  ];
  for (const [name, value] of timings) {
    const seconds = numberOrUndefined(value);
    if (seconds !== undefined && seconds >= 0) vendor[name] = { sec: seconds };
  }
  if (related.length > 0) event['related'] = { ip: related };
  event['aws'] = { elb: vendor };
  return event;
}

export function createElbParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: elbFormat,
    description: 'AWS Application / Classic Load Balancer access logs',
    sniff(text, json) {
      if (json !== undefined || text.length > maxLineLength) return false;
      // ALB lines start with the request type, Classic ones with the ISO time: check before splitting.
      if (!linePrefixPattern.test(text)) return false;
      const fields = splitQuoted(text);
      return (
        fields !== undefined &&
        layoutOf(fields) !== undefined &&
        requestPattern.test(fields[11 + layoutOf(fields)!.offset] ?? '')
      );
    },
    parse(record) {
      if (record.text.length > maxLineLength)
        return parseFailure(record, elbFormat, 'line too long for a load balancer log');
      const fields = splitQuoted(record.text.trimEnd());
      const layout = fields === undefined ? undefined : layoutOf(fields);
      if (fields === undefined || layout === undefined)
        return parseFailure(record, elbFormat, 'not an AWS load balancer access log line');
      return toEvent(record, fields, layout, userAgents);
    },
  };
}
