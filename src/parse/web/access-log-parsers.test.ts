import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';
import { createApacheAccessParser, createNginxAccessParser } from './access-log-parsers.ts';

const nginx = createNginxAccessParser();
const apache = createApacheAccessParser();

function record(text: string): RawRecord {
  return { text, unit: 'unit-a', receivedAt: 0, source: { kind: 'test', name: 'test' } };
}

function parse(parser: Parser, text: string): EcsEvent {
  const result = parser.parse(record(text));
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result for ${text}`);
  return result;
}

describe('access log parsers', () => {
  it('maps a combined line to ECS', () => {
    const line =
      '203.0.113.7 - alice [25/Oct/2016:14:49:34 +0200] "GET /shop/cart.php?id=%27%20OR%201=1 HTTP/1.1" 404 571 "http://localhost:8080/" "curl/8.1.2"';
    expect(parse(nginx, line)).toMatchObject({
      '@timestamp': '2016-10-25T12:49:34.000Z',
      unit: 'unit-a',
      event: { original: line, kind: 'event', category: ['web'], type: ['access'], outcome: 'failure' },
      source: { address: '203.0.113.7', ip: '203.0.113.7' },
      user: { name: 'alice' },
      http: {
        request: { method: 'GET', referrer: 'http://localhost:8080/' },
        response: { status_code: 404, body: { bytes: 571 } },
        version: '1.1',
      },
      url: {
        original: '/shop/cart.php?id=%27%20OR%201=1',
        path: '/shop/cart.php',
        query: "id=' OR 1=1",
        extension: 'php',
      },
      user_agent: { name: 'curl', version: '8.1.2' },
      related: { ip: ['203.0.113.7'], user: ['alice'] },
    });
  });

  it('takes the first public address of an X-Forwarded-For chain and the vhost with its port (nginx)', () => {
    const event = parse(
      nginx,
      'example.com:8443 10.0.0.2, 10.0.0.1, 67.43.156.14 - - [07/Dec/2016:11:05:07 +0100] "GET /x HTTP/1.1" 200 571 "-" "-"',
    );
    expect(event['source']).toEqual({ address: '67.43.156.14', ip: '67.43.156.14' });
    expect(event['destination']).toEqual({ domain: 'example.com', port: 8443 });
    expect(event['url']).toMatchObject({ domain: 'example.com', path: '/x' });
    expect(event['nginx']).toEqual({ access: { remote_ip_list: ['10.0.0.2', '10.0.0.1', '67.43.156.14'] } });
    expect(event['user']).toBeUndefined();
  });

  it('reads the Apache SSL request log and "-" requests', () => {
    const ssl = parse(
      apache,
      '[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 "GET /a.php HTTP/1.1" 1375',
    );
    expect(ssl).toMatchObject({
      tls: { version_protocol: 'tls', version: '1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' },
      http: { request: { method: 'GET' }, response: { body: { bytes: 1375 } } },
    });
    const timeout = parse(apache, '::1 - - [26/Dec/2016:16:16:48 +0200] "-" 408 -');
    expect(timeout).toMatchObject({ http: { response: { status_code: 408 } }, source: { ip: '::1' } });
    expect(timeout['url']).toBeUndefined();
  });

  it('sniffs by each server default traits and rejects other formats', () => {
    const combined = '1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 200 5 "-" "curl/8"';
    const common = '1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 200 5';
    expect(nginx.sniff!(combined, undefined)).toBe(true);
    expect(apache.sniff!(combined, undefined)).toBe(false);
    expect(apache.sniff!(common, undefined)).toBe(true);
    expect(nginx.sniff!(common, undefined)).toBe(false);
    for (const parser of [nginx, apache]) {
      expect(parser.sniff!('Feb 21 21:54:44 localhost sshd[3402]: Accepted password', undefined)).toBe(false);
      expect(
        parser.sniff!('[Mon Dec 26 16:22:08 2016] [error] [client 1.2.3.4] File does not exist: /x', undefined),
      ).toBe(false);
      expect(parser.sniff!('{"a":1}', { a: 1 })).toBe(false);
    }
  });

  it('fails as a value on other text and stays fast on a 16 MB line', () => {
    expect(isParseFailure(nginx.parse(record('hello')))).toBe(true);
    const huge = `1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET /${'a'.repeat(16 * 1024 * 1024)} HTTP/1.1" 200 5`;
    const started = performance.now();
    expect(isParseFailure(apache.parse(record(huge)))).toBe(true);
    expect(apache.sniff!(huge, undefined)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe.skipIf(!hasSharedData('loghub'))('access log parsers on loghub', () => {
  it('does not claim Apache error log lines from loghub', () => {
    const lines = readFileSync(sharedData('loghub', 'Apache', 'Apache_2k.log'), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(lines.filter((line) => nginx.sniff!(line, undefined) || apache.sniff!(line, undefined))).toEqual([]);
  });
});
