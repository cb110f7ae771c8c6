import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../test/shared-data.ts';
import type { RawRecord } from '../model/event.ts';
import { createDefaultParserRegistry } from './default-parsers.ts';
import { formatAliases, genericParsers, systemParsers } from './group-system.ts';
import { isParseFailure } from './parser.ts';
import { decodeObject } from './parser-registry.ts';

/** One hand-made sample per format of this group. */
const samples: Record<string, string[]> = {
  syslog: [
    'Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2',
    '<13>1 2020-01-01T00:00:00.000Z host app 12 ID1 - message',
    '2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target Basic System.',
  ],
  'nginx-access': [
    '10.0.0.2, 10.0.0.1, 67.43.156.14 - - [07/Dec/2016:11:05:07 +0100] "GET /ocelot HTTP/1.1" 200 571 "-" "Mozilla/5.0"',
    '67.43.156.13 - - [25/Oct/2016:14:49:33 +0200] "GET / HTTP/1.1" 200 612 "-" "curl/8.0"',
  ],
  'apache-access': [
    '::1 - - [26/Dec/2016:16:16:29 +0200] "GET /favicon.ico HTTP/1.1" 404 209',
    '[10/Aug/2018:09:45:56 +0200] 172.30.0.119 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 "GET / HTTP/1.1" 1375',
  ],
  'apache-error': [
    '[Mon Dec 26 16:22:08 2016] [error] [client 192.168.33.1] File does not exist: /var/www/favicon.ico',
  ],
  'nginx-error': ['2019/10/30 23:26:34 [error] 3171#3171: *1 open() "/x" failed, client: 127.0.0.1, server: localhost'],
  'aws-cloudtrail': [
    '{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","eventTime":"2026-01-01T00:00:00Z"}',
    '{"Records":[{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1"}]}',
  ],
  okta: [
    '{"uuid":"u1","published":"2026-01-01T00:00:00.000Z","eventType":"user.session.start","actor":{"id":"a","type":"User","alternateId":"x@example.org"}}',
  ],
  'aws-elb': [
    'http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:x "Root=1" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"',
  ],
  json: [
    '{"level":"info","msg":"hello","ts":1700000000}',
    '{"@timestamp":"2026-01-01T00:00:00Z","event":{"kind":"alert"}}',
  ],
};

function record(text: string): RawRecord {
  return {
    text,
    unit: 'u',
    receivedAt: Date.parse('2026-11-22T08:00:00Z'),
    source: { kind: 'test', name: text.slice(0, 40) },
  };
}

const ownParsers = [...systemParsers(), ...genericParsers()];

describe('system parsers: auto-detection', () => {
  it('has a sample for every format of the group', () => {
    expect(ownParsers.map((parser) => parser.format).sort()).toEqual(Object.keys(samples).sort());
  });

  for (const [format, lines] of Object.entries(samples)) {
    it(`detects ${format} samples as ${format} with the default registry`, () => {
      const registry = createDefaultParserRegistry();
      for (const line of lines) expect(registry.detect(record(line))?.format, line).toBe(format);
    });
  }

  it('no parser of this group claims another format sample (cross-sniff)', () => {
    for (const [format, lines] of Object.entries(samples)) {
      for (const line of lines) {
        const json = decodeObject(line);
        const claimants = ownParsers
          .filter((parser) => parser.format !== 'json' && parser.sniff?.(line, json))
          .map((parser) => parser.format);
        expect(claimants, line).toEqual(format === 'json' ? [] : [format]);
      }
    }
  });
});

/** Raw lines of the other engineers' formats, read from the shared samples. */
function foreignLines(): { dataStream: string; line: string }[] {
  const streams = [
    'cisco_asa/log',
    'fortinet_fortigate/log',
    'panw/panos',
    'iptables/log',
    'suricata/eve',
    'zeek/notice',
  ];
  const result: { dataStream: string; line: string }[] = [];
  for (const dataStream of streams) {
    const dir = sharedData('formats', dataStream);
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.log') && !(name.endsWith('.json') && !name.includes('expected'))) continue;
      const text = readFileSync(join(dir, name), 'utf8');
      if (name.endsWith('.json')) {
        for (const event of (JSON.parse(text) as { events: unknown[] }).events)
          result.push({ dataStream, line: JSON.stringify(event) });
      } else {
        for (const line of text.split('\n')) if (line.trim() !== '') result.push({ dataStream, line });
      }
    }
  }
  return result;
}

describe.skipIf(!hasSharedData('formats'))('system parsers do not claim other formats', () => {
  it('leaves Cisco ASA, FortiGate, PAN-OS, iptables, Suricata and Zeek records alone', () => {
    const claimed: string[] = [];
    for (const { dataStream, line } of foreignLines()) {
      const json = decodeObject(line);
      for (const parser of ownParsers) {
        if (parser.format !== 'json' && parser.sniff?.(line, json))
          claimed.push(`${dataStream} → ${parser.format}: ${line.slice(0, 80)}`);
      }
    }
    expect(claimed).toEqual([]);
  });
});

describe('system parsers: hostile input', () => {
  const hostile = [
    '',
    ' ',
    '\u0000\u0001\u0002\u00ff',
    '\uD800\uDC00\uD800 broken surrogates \uDFFF',
    '<13>',
    '<13>1',
    'Feb 21 21:54:44',
    '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    '{"Records":[{"__proto__":{"polluted":true},"eventSource":"x","eventName":"y","eventVersion":"1"}]}',
    `<13>Jan  1 00:00:00 host app: ${'x'.repeat(16 * 1024 * 1024)}`,
    `${'['.repeat(100_000)}`,
    `1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "${'"'.repeat(100_000)}`,
  ];

  it('never throws, never hangs and never pollutes prototypes', () => {
    const started = performance.now();
    for (const parser of ownParsers) {
      for (const text of hostile) {
        const json = decodeObject(text);
        expect(() => parser.sniff?.(text, json)).not.toThrow();
        const result = parser.parse({ ...record(text), json: json as RawRecord['json'] });
        if (!isParseFailure(result)) {
          const events = Array.isArray(result) ? result : [result];
          for (const event of events) {
            expect(event.unit).toBe('u');
            expect(event['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
          }
        }
      }
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('format aliases', () => {
  const knownFormats = new Set([
    ...Object.keys(samples),
    'suricata-eve',
    'zeek',
    'cef',
    'leef',
    'fortigate',
    'panos',
    'cisco-asa',
    'iptables',
    'winlogbeat',
  ]);

  it('point at known formats only', () => {
    expect(Object.values(formatAliases).filter((format) => !knownFormats.has(format))).toEqual([]);
  });

  it('resolve the common HEC sourcetypes case-insensitively', () => {
    const registry = createDefaultParserRegistry();
    const expectations: Record<string, string> = {
      linux_secure: 'syslog',
      access_combined: 'apache-access',
      nginx: 'nginx-access',
      'aws:cloudtrail': 'aws-cloudtrail',
      _json: 'json',
      SYSLOG: 'syslog',
    };
    for (const [alias, format] of Object.entries(expectations)) expect(registry.get(alias)?.format, alias).toBe(format);
    // Targets owned by other modules resolve once their parsers are registered.
    for (const [alias, format] of Object.entries(formatAliases)) {
      const parser = registry.get(alias);
      if (parser !== undefined) expect(parser.format, alias).toBe(format);
    }
  });
});
