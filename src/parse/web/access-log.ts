// The NCSA access-log family shared by nginx and Apache: common, combined, vhost / host:port
// prefixes, X-Forwarded-For address lists, and Apache's SSL request log. One scanner reads the
// line; each flavour (nginx, Apache) then shapes the ECS document the way its users expect.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { fieldsToEpochMs, monthNumber, offsetMinutes } from '../time/parse-timestamp.ts';
import type { UserAgentParser } from './user-agent.ts';

export interface AccessLine {
  /** Virtual host (and port) written before the client address, if any. */
  readonly host?: string;
  readonly hostPort?: number;
  /** Client address list (one entry, or an X-Forwarded-For chain). */
  readonly clients: string[];
  readonly ident?: string;
  readonly user?: string;
  readonly time: number | undefined;
  /** Raw request line ("GET /x HTTP/1.1", "-", ""). */
  readonly request: string;
  readonly status?: number;
  readonly bytes?: number;
  readonly referrer?: string;
  readonly userAgent?: string;
  /** Apache SSL request log: protocol and cipher. */
  readonly tlsProtocol?: string;
  readonly tlsCipher?: string;
}

const maxLineLength = 65_536;
const timePattern = /\[(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([+-]\d{4})\]/;
/** After the time: "request" status bytes ["referrer" "agent"] … (quoted values may hold \" escapes). */
const tailPattern = /^ "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?(?:\s.*)?$/;
const sslPattern = /^ (\S+) (TLSv[\d.]+|SSLv\d) (\S+) "((?:[^"\\]|\\.)*)" (\d+|-)$/;
const requestPattern = /^([A-Z][A-Za-z_-]{0,31}) (\S+)(?: HTTP\/(\d+(?:\.\d+)?))?$/;

function firstLine(text: string): string {
  const newline = text.indexOf('\n');
  let line = newline === -1 ? text : text.slice(0, newline);
  if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
  return line;
}

function unescapeQuoted(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, '$1') : value;
}

/** Read an access-log line; undefined when it is not one. Only the first line of a record counts. */
export function parseAccessLine(text: string): AccessLine | undefined {
  const line = firstLine(text);
  if (line.length > maxLineLength) return undefined;
  const time = timePattern.exec(line);
  if (!time) return undefined;
  const month = monthNumber(time[2]!);
  if (month === 0) return undefined;
  const epoch = fieldsToEpochMs(
    Number(time[3]),
    month,
    Number(time[1]),
    Number(time[4]),
    Number(time[5]),
    Number(time[6]),
    time[7] ? Number(time[7].padEnd(3, '0').slice(0, 3)) : 0,
    offsetMinutes(time[8]),
    undefined,
  );
  const after = line.slice(time.index + time[0].length);
  if (time.index === 0) {
    const ssl = sslPattern.exec(after);
    if (!ssl) return undefined;
    return {
      clients: [ssl[1]!],
      time: epoch,
      request: unescapeQuoted(ssl[4]!),
      bytes: ssl[5] === '-' ? undefined : Number(ssl[5]),
      tlsProtocol: ssl[2],
      tlsCipher: ssl[3],
    };
  }
  const tail = tailPattern.exec(after);
  if (!tail) return undefined;
  // Before the time: [host[:port]] client[, client…] ident user
  const prefix = line.slice(0, time.index).trimEnd();
  const lastSpace = prefix.lastIndexOf(' ');
  const identSpace = lastSpace === -1 ? -1 : prefix.lastIndexOf(' ', lastSpace - 1);
  if (identSpace <= 0) return undefined;
  const user = prefix.slice(lastSpace + 1);
  const ident = prefix.slice(identSpace + 1, lastSpace);
  const addressPart = prefix.slice(0, identSpace);
  const tokens = addressPart.split(' ');
  let host: string | undefined;
  let hostPort: number | undefined;
  // A first token without a list comma, followed by more addresses, is the virtual host.
  if (tokens.length >= 2 && !tokens[0]!.endsWith(',') && !tokens[0]!.startsWith('"')) {
    host = tokens.shift()!;
    const colon = host.lastIndexOf(':');
    if (colon > 0 && isIP(host) === 0 && /^\d{1,5}$/.test(host.slice(colon + 1))) {
      hostPort = Number(host.slice(colon + 1));
      host = host.slice(0, colon);
    }
  }
  const clients: string[] = [];
  for (const token of tokens) {
    const value = token.replace(/^"+|[",]+$/g, '');
    if (value !== '') clients.push(value);
  }
  if (clients.length === 0) return undefined;
  return {
    host,
    hostPort,
    clients,
    ident,
    user,
    time: epoch,
    request: unescapeQuoted(tail[1]!),
    status: tail[2] === '-' ? undefined : Number(tail[2]),
    bytes: tail[3] === '-' ? undefined : Number(tail[3]),
    referrer: tail[4] === undefined ? undefined : unescapeQuoted(tail[4]),
    userAgent: tail[5] === undefined ? undefined : unescapeQuoted(tail[5]),
  };
}

/** Private, loopback, link-local and unique-local addresses: not the "real" client of a proxy chain. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a === 0
    );
  }
  if (version === 6) {
    const lower = address.toLowerCase();
    return (
      lower === '::1' || lower === '::' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80')
    );
  }
  return false;
}

export interface AccessFlavour {
  /** Vendor namespace for extra fields: 'nginx' or 'apache'. */
  readonly vendor: 'nginx' | 'apache';
  /** Keep "-" for the user and referrer as Apache's own pipeline does. */
  readonly keepDashes: boolean;
  /** Pick the first public address of an X-Forwarded-For chain as the source (nginx). */
  readonly preferPublicClient: boolean;
}

/** Split a request target into ECS `url.*` (path and query percent-decoded, extension, and for absolute URLs scheme/domain/port). */
export function urlFields(target: string): JsonObject {
  const url: JsonObject = { original: target };
  let rest = target;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)/.exec(target);
  if (scheme) {
    url['scheme'] = scheme[1]!.toLowerCase();
    const authority = scheme[2]!.slice(scheme[2]!.lastIndexOf('@') + 1);
    const portMatch = /^(.*?)(?::(\d{1,5}))?$/.exec(authority);
    if (portMatch?.[1]) url['domain'] = portMatch[1].replace(/^\[|\]$/g, '');
    if (portMatch?.[2]) url['port'] = Number(portMatch[2]);
    rest = target.slice(scheme[0].length);
  } else if (target.charCodeAt(0) !== 47 /* / */) {
    return url;
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    url['fragment'] = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  const path = question === -1 ? rest : rest.slice(0, question);
  if (path !== '') url['path'] = safeDecode(path);
  if (question !== -1) url['query'] = safeDecode(rest.slice(question + 1));
  const lastSlash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot > lastSlash + 1 && dot < path.length - 1) {
    const extension = path.slice(dot + 1);
    if (extension.length <= 16) url['extension'] = extension.toLowerCase();
  }
  return url;
}

function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function pushRelated(related: string[], value: string | undefined): void {
  if (value !== undefined && !related.includes(value)) related.push(value);
}

/** The ECS event for one parsed access line. */
export function accessEvent(
  record: RawRecord,
  line: AccessLine,
  flavour: AccessFlavour,
  userAgents: UserAgentParser,
): EcsEvent {
  const eventFields: JsonObject = { original: record.text, kind: 'event', category: ['web'], type: ['access'] };
  if (line.status !== undefined) eventFields['outcome'] = line.status < 400 ? 'success' : 'failure';
  const event: EcsEvent = {
    '@timestamp': new Date(line.time ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
  };
  const relatedIp: string[] = [];
  let client = line.clients[0]!;
  if (flavour.preferPublicClient && line.clients.length > 1) {
    client = line.clients.find((address) => isIP(address) !== 0 && !isPrivateAddress(address)) ?? client;
  }
  const source: JsonObject = { address: client };
  if (isIP(client) !== 0) {
    source['ip'] = client;
    pushRelated(relatedIp, client);
  } else {
    source['domain'] = client;
  }
  event['source'] = source;
  if (line.host !== undefined) {
    const destination: JsonObject = {};
    if (isIP(line.host) !== 0) {
      destination['ip'] = line.host;
      pushRelated(relatedIp, line.host);
    } else {
      destination['domain'] = line.host;
    }
    if (line.hostPort !== undefined) destination['port'] = line.hostPort;
    event['destination'] = destination;
  }
  const http: JsonObject = {};
  const request: JsonObject = {};
  const parsedRequest = requestPattern.exec(line.request);
  if (parsedRequest) {
    request['method'] = parsedRequest[1]!;
    if (parsedRequest[3]) http['version'] = parsedRequest[3];
    const url = urlFields(parsedRequest[2]!);
    if (line.host !== undefined && isIP(line.host) === 0 && url['domain'] === undefined) url['domain'] = line.host;
    event['url'] = url;
  }
  if (line.referrer !== undefined && (flavour.keepDashes || line.referrer !== '-')) request['referrer'] = line.referrer;
  if (Object.keys(request).length > 0) http['request'] = request;
  if (line.status !== undefined || line.bytes !== undefined) {
    const response: JsonObject = {};
    if (line.status !== undefined) response['status_code'] = line.status;
    if (line.bytes !== undefined) response['body'] = { bytes: line.bytes };
    http['response'] = response;
  }
  if (Object.keys(http).length > 0) event['http'] = http;
  if (line.user !== undefined && (flavour.keepDashes || line.user !== '-')) {
    event['user'] = { name: line.user };
    if (line.user !== '-') event['related'] = { user: [line.user] };
  }
  if (line.userAgent !== undefined && line.userAgent !== '') event['user_agent'] = userAgents.parse(line.userAgent);
  if (line.tlsProtocol !== undefined) {
    const separator = line.tlsProtocol.indexOf('v');
    event['tls'] = {
      version_protocol: line.tlsProtocol.slice(0, separator).toLowerCase(),
      version: line.tlsProtocol.slice(separator + 1),
      cipher: line.tlsCipher!,
    };
    event['apache'] = { access: { ssl: { protocol: line.tlsProtocol, cipher: line.tlsCipher! } } };
  }
  if (flavour.vendor === 'nginx') event['nginx'] = { access: { remote_ip_list: line.clients } };
  if (relatedIp.length > 0) {
    const related = (event['related'] as JsonObject | undefined) ?? {};
    related['ip'] = relatedIp;
    event['related'] = related;
  }
  return event;
}
