import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';
import { createApacheErrorParser, createNginxErrorParser } from './error-log-parsers.ts';

const apache = createApacheErrorParser();
const nginx = createNginxErrorParser();

function parse(parser: Parser, text: string, timezone?: string): EcsEvent {
  const record: RawRecord = { text, unit: 'u', receivedAt: 0, source: { kind: 'test', name: 'test' }, timezone };
  const result = parser.parse(record);
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result for ${text}`);
  return result;
}

describe('apache-error', () => {
  it('maps the 2.4 format with module, pid, tid and client port, in the record zone', () => {
    const event = parse(
      apache,
      '[Thu Jun 27 06:58:09.169510 2019] [include:warn] [pid 15934:tid 140] [client 89.160.20.156:12345] AH01374: mod_include: x',
      '+02:00',
    );
    expect(event).toMatchObject({
      '@timestamp': '2019-06-27T04:58:09.169Z',
      log: { level: 'warn' },
      message: 'AH01374: mod_include: x',
      process: { pid: 15934, thread: { id: 140 } },
      source: { address: '89.160.20.156', ip: '89.160.20.156', port: 12345 },
      event: { category: ['web'], type: ['error'] },
      apache: { error: { module: 'include' } },
    });
  });

  it('maps the 2.2 format with file path and referrer', () => {
    const event = parse(
      apache,
      '[Mon Dec 26 16:22:00 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico, referer: http://x/',
    );
    expect(event).toMatchObject({
      file: { path: '/var/www/favicon.ico' },
      http: { request: { referrer: 'http://x/' } },
      source: { ip: '192.168.33.1' },
    });
    expect(parse(apache, '[Mon Dec 26 16:17:53 2016] [notice] Apache/2.2.22 configured').event).toMatchObject({
      type: ['info'],
    });
  });
});

describe('nginx-error', () => {
  it('maps level, pid/tid, connection, client and request', () => {
    const event = parse(
      nginx,
      '2019/10/30 23:26:34 [error] 3171#3171: *1 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost", referrer: "http://localhost/"',
    );
    expect(event).toMatchObject({
      '@timestamp': '2019-10-30T23:26:34.000Z',
      log: { level: 'error' },
      process: { pid: 3171, thread: { id: 3171 } },
      nginx: { error: { connection_id: 1 } },
      source: { ip: '127.0.0.1' },
      http: { request: { method: 'GET', referrer: 'http://localhost/' }, version: '1.1' },
      url: { path: '/favicon.ico', domain: 'localhost', extension: 'ico' },
    });
    expect(event['client']).toEqual({ ip: '127.0.0.1' });
    expect(event['server']).toEqual({ domain: 'localhost' });
  });

  it('keeps the request target with its query in url.path and the server name up to a non-host character', () => {
    const event = parse(
      nginx,
      '2024/03/05 08:15:00 [warn] 812#0: *77 upstream timed out while reading response header, client: 198.51.100.23, server: shop[.]example[.]org, request: "GET /cart/?item=42&qty=1 HTTP/1.1", upstream: "http://10.0.0.5:8080/cart/?item=42&qty=1", host: "shop.example.org"',
    );
    expect(event).toMatchObject({
      log: { level: 'warn' },
      client: { ip: '198.51.100.23' },
      server: { domain: 'shop' },
      url: { path: '/cart/?item=42&qty=1', domain: 'shop.example.org' },
    });
  });
});

describe('error log sniffing', () => {
  it('claims only its own lines', () => {
    const apacheLine =
      '[Mon Dec 26 16:22:08 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico';
    const nginxLine = '2019/10/30 23:26:34 [notice] 1#1: signal process started';
    expect(apache.sniff!(apacheLine, undefined)).toBe(true);
    expect(nginx.sniff!(nginxLine, undefined)).toBe(true);
    expect(apache.sniff!(nginxLine, undefined)).toBe(false);
    expect(nginx.sniff!(apacheLine, undefined)).toBe(false);
    expect(apache.sniff!('[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 X "GET / HTTP/1.1" 1', undefined)).toBe(
      false,
    );
  });
});

describe.skipIf(!hasSharedData('loghub'))('apache-error on loghub', () => {
  it('parses every loghub Apache error line', () => {
    const lines = readFileSync(sharedData('loghub', 'Apache', 'Apache_2k.log'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines).toHaveLength(2000);
    const levels = new Map<string, number>();
    for (const line of lines) {
      expect(apache.sniff!(line, undefined)).toBe(true);
      const event = parse(apache, line);
      const level = (event['log'] as { level: string }).level;
      levels.set(level, (levels.get(level) ?? 0) + 1);
    }
    expect([...levels.keys()].sort()).toEqual(['error', 'notice']);
  });
});
