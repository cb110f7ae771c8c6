// The 'apache-error' and 'nginx-error' parsers: server error logs (level, process/thread, client,
// message) to ECS. Both write local time without an offset, read in the record's time zone.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { fieldsToEpochMs, fractionMs, monthNumber } from '../time/parse-timestamp.ts';
import { urlFields } from './access-log.ts';

const maxLineLength = 65_536;
const apacheErrorPattern =
  /^\[(?:[A-Za-z]{3} )?([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? (\d{4})\] \[(?:([\w-]*):)?([a-z]+\d?)\](?: \[pid (\d+)(?::tid (\d+))?\])?(?: \[client ([^\]]+)\])?(?: \[remote [^\]]+\])? ?(.*)$/s;
const fileMissingPattern = /^File does not exist: (.+?)(?:, referer: .*)?$/;
const refererPattern = /, referer: (\S+)$/;
const nginxErrorPattern =
  /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[([a-z]+)\] (\d+)#(\d+): (?:\*(\d+) )?(.*)$/s;
const nginxClientPattern = /, client: ([^,\s]+)/;
const nginxServerPattern = /, server: ([^,\s]*)/;
const nginxRequestPattern = /, request: "([A-Z]+) (\S+)(?: HTTP\/(\d+(?:\.\d+)?))?"/;
const nginxHostPattern = /, host: "([^"]*)"/;
const nginxReferrerPattern = /, referrer: "([^"]*)"/;
const errorLevels = new Set(['warn', 'error', 'crit', 'alert', 'emerg']);

function firstLine(text: string): string {
  const end = Math.min(text.length, maxLineLength);
  let line = end === text.length ? text : text.slice(0, end);
  while (line.endsWith('\n') || line.endsWith('\r')) line = line.slice(0, -1);
  return line;
}

function baseEvent(record: RawRecord, time: number | undefined, level: string, message: string): EcsEvent {
  return {
    '@timestamp': new Date(time ?? record.receivedAt).toISOString(),
    unit: record.unit,
    message,
    log: { level },
    event: {
      original: record.text,
      kind: 'event',
      category: ['web'],
      type: [errorLevels.has(level) ? 'error' : 'info'],
    },
  };
}

function setClient(event: EcsEvent, address: string, port?: number): void {
  const source: JsonObject = { address };
  if (isIP(address) !== 0) {
    source['ip'] = address;
    event['related'] = { ip: [address] };
  } else {
    source['domain'] = address;
  }
  if (port !== undefined) source['port'] = port;
  event['source'] = source;
}

/**
 * "[client 1.2.3.4:5678]", "[client ::1:5678]", "[client 192.168.0.1]": Apache 2.4 appends the port
 * to the address (also to IPv6 ones, without brackets), Apache 2.2 writes the address alone.
 */
function splitClient(value: string): { address: string; port?: number } {
  const colon = value.lastIndexOf(':');
  if (colon > 0) {
    const port = value.slice(colon + 1);
    const address = value.slice(0, colon);
    if (/^\d{1,5}$/.test(port) && (isIP(address) !== 0 || isIP(value) === 0)) return { address, port: Number(port) };
  }
  return { address: value };
}

export function createApacheErrorParser(): Parser {
  const format = 'apache-error';
  return {
    format,
    description: 'Apache HTTP Server error log (2.2 and 2.4 formats)',
    sniff(text, json) {
      if (json !== undefined || text.charCodeAt(0) !== 91 /* [ */ || text.charCodeAt(4) !== 32) return false;
      return apacheErrorPattern.test(firstLine(text));
    },
    parse(record) {
      const match = apacheErrorPattern.exec(firstLine(record.text));
      if (!match) return parseFailure(record, format, 'not an Apache error log line');
      const month = monthNumber(match[1]!);
      const time = fieldsToEpochMs(
        Number(match[7]),
        month,
        Number(match[2]),
        Number(match[3]),
        Number(match[4]),
        Number(match[5]),
        fractionMs(match[6]),
        undefined,
        record.timezone,
      );
      const message = match[13]!;
      const event = baseEvent(record, time, match[9]!, message);
      if (record.timezone !== undefined) (event.event as JsonObject)['timezone'] = record.timezone;
      if (match[10] !== undefined) {
        const process: JsonObject = { pid: Number(match[10]) };
        if (match[11] !== undefined) process['thread'] = { id: Number(match[11]) };
        event['process'] = process;
      }
      if (match[12] !== undefined) {
        const client = splitClient(match[12]);
        setClient(event, client.address, client.port);
      }
      const missing = fileMissingPattern.exec(message);
      if (missing) event['file'] = { path: missing[1]! };
      const referer = refererPattern.exec(message);
      if (referer) event['http'] = { request: { referrer: referer[1]! } };
      event['apache'] = { error: match[8] ? { module: match[8] } : {} };
      return event;
    },
  };
}

export function createNginxErrorParser(): Parser {
  const format = 'nginx-error';
  return {
    format,
    description: 'nginx error log',
    sniff(text, json) {
      if (json !== undefined || text.charCodeAt(4) !== 47 /* / */ || text.charCodeAt(19) !== 32) return false;
      return nginxErrorPattern.test(firstLine(text));
    },
    parse(record) {
      const match = nginxErrorPattern.exec(firstLine(record.text));
      if (!match) return parseFailure(record, format, 'not an nginx error log line');
      const time = fieldsToEpochMs(
        Number(match[1]),
        Number(match[2]),
        Number(match[3]),
        Number(match[4]),
        Number(match[5]),
        Number(match[6]),
        0,
        undefined,
        record.timezone,
      );
      const message = match[11]!;
      const event = baseEvent(record, time, match[7]!, message);
      if (record.timezone !== undefined) (event.event as JsonObject)['timezone'] = record.timezone;
      event['process'] = { pid: Number(match[8]), thread: { id: Number(match[9]) } };
      if (match[10] !== undefined) event['nginx'] = { error: { connection_id: Number(match[10]) } };
      if (message.length <= 8192) {
        const client = nginxClientPattern.exec(message);
        if (client) {
          setClient(event, client[1]!);
          // Elastic's nginx integration names the peer client.ip; source.* stays for detection rules.
          if (isIP(client[1]!) !== 0) event['client'] = { ip: client[1]! };
        }
        const server = nginxServerPattern.exec(message);
        // The virtual server's name up to the first character a host name cannot hold.
        const serverName = server?.[1]?.match(/^[A-Za-z0-9._-]+/)?.[0];
        if (serverName) event['server'] = { domain: serverName };
        const request = nginxRequestPattern.exec(message);
        const host = nginxHostPattern.exec(message) ?? server;
        if (request) {
          const url = urlFields(request[2]!);
          if (host?.[1] && url['domain'] === undefined) url['domain'] = host[1].replace(/:\d+$/, '');
          // As Elastic's nginx error pipeline keeps it: the request target with its query in url.path.
          if (typeof url['path'] === 'string' && request[2]!.startsWith('/')) url['path'] = request[2]!;
          event['url'] = url;
          const http: JsonObject = { request: { method: request[1]! } };
          if (request[3]) http['version'] = request[3];
          event['http'] = http;
        }
        const referrer = nginxReferrerPattern.exec(message);
        if (referrer) {
          const http = (event['http'] as JsonObject | undefined) ?? {};
          const httpRequest = (http['request'] as JsonObject | undefined) ?? {};
          httpRequest['referrer'] = referrer[1]!;
          http['request'] = httpRequest;
          event['http'] = http;
        }
      }
      return event;
    },
  };
}
