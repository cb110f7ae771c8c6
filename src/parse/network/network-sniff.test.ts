// Auto-detection across the network formats: one sample line of each is recognised by its own
// parser only, look-alikes (generic syslog, key=value, other JSON) by none, and hostile lines
// neither hang nor throw in any sniffer or parser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { networkParsers } from '../group-network.ts';
import { isParseFailure } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';

const samples = readFileSync(join(import.meta.dirname, '__fixtures__', 'one-of-each.txt'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const tab = line.indexOf('\t');
    return { format: line.slice(0, tab), text: line.slice(tab + 1) };
  });

function record(text: string, extra: Partial<RawRecord> = {}): RawRecord {
  return {
    text,
    source: { kind: 'file', name: 'network-sniff.test' },
    unit: 'unit-a',
    receivedAt: Date.parse('2026-01-03T00:00:00Z'),
    ...extra,
  };
}

const parsers = networkParsers();

describe('network format sniffing', () => {
  it('has a sample for every network format', () => {
    expect(new Set(samples.map((sample) => sample.format))).toEqual(new Set(parsers.map((parser) => parser.format)));
  });

  for (const sample of samples) {
    it(`recognises the ${sample.format} sample with its own parser only`, () => {
      const json = decodeObject(sample.text);
      const claimedBy = parsers.filter((parser) => parser.sniff?.(sample.text, json)).map((parser) => parser.format);
      expect(claimedBy).toEqual([sample.format]);
      expect(createDefaultParserRegistry().detect(record(sample.text))?.format).toBe(sample.format);
    });

    it(`parses the ${sample.format} sample into an event with the unit, a timestamp and the original`, () => {
      const parser = parsers.find((candidate) => candidate.format === sample.format)!;
      const result = parser.parse(record(sample.text));
      expect(isParseFailure(result)).toBe(false);
      const event = result as EcsEvent;
      expect(event.unit).toBe('unit-a');
      expect(event['@timestamp']).toMatch(/^2026-01-02T0\d:0\d:0\d\.\d{3}Z$/);
      expect(event.event?.original).toBe(sample.text);
    });
  }

  const lookAlikes = [
    'Jan  2 03:04:05 host sshd[123]: Accepted publickey for alice from 10.0.0.5 port 51000 ssh2',
    'user=alice action=login status=ok src=10.0.0.5',
    '<134>Jan  2 03:04:05 host app: date=2026-01-02 msg="hello" level=info',
    '{"timestamp":"2026-01-02T03:04:05Z","level":"info","message":"hello"}',
    '{"ts":1767323045,"level":"info","msg":"hello"}',
    '{"ts":1767323045,"uid":1000,"note":"remember the milk"}',
    '{"ts":"2026-01-02T03:04:05Z","uid":"alice","action":"login"}',
    '{"event":{"original":"Jan 2 fw : %ASA-6-302013: Built inbound TCP"},"message":"CEF:0|a|b|c|d|e|5|"}',
    'a,b,c,d,e,f,g',
    'the word CEF:0 appears in prose|but not as a header',
  ];
  for (const text of lookAlikes) {
    it(`claims no network format for ${JSON.stringify(text.slice(0, 50))}`, () => {
      const json = decodeObject(text);
      expect(parsers.filter((parser) => parser.sniff?.(text, json)).map((parser) => parser.format)).toEqual([]);
    });
  }
});

describe('network parsers on hostile input', () => {
  const hostile: [string, string][] = [
    ['16 MB line', `${'a'.repeat(8 * 1024 * 1024)} CEF:0|x ${'b'.repeat(8 * 1024 * 1024)}`],
    ['100k =', '='.repeat(100_000)],
    ['100k |', '|'.repeat(100_000)],
    ['CEF header then 100k =', `CEF:0|a|b|c|d|e|5|${'='.repeat(100_000)}`],
    ['CEF header then 100k |', `CEF:0|a|b|c|d|e|5|${'|'.repeat(100_000)}`],
    ['LEEF header then 100k =', `LEEF:2.0|a|b|c|d|^|${'='.repeat(100_000)}`],
    ['ASA tag then 100k (', `%ASA-6-302013: Built inbound TCP connection 1 for ${'('.repeat(100_000)}`],
    ['FortiGate unterminated quote', `date=2026-01-02 time=03:04:05 logid="1 devid="${'x'.repeat(100_000)}`],
    ['key=value flood', 'k=v '.repeat(200_000)],
  ];
  for (const [name, text] of hostile) {
    it(`survives ${name} in every sniffer and parser within a second`, () => {
      for (const parser of parsers) {
        const started = performance.now();
        parser.sniff?.(text, undefined);
        const result = parser.parse(record(text));
        const elapsed = performance.now() - started;
        expect(elapsed, `${parser.format} took ${elapsed.toFixed(0)} ms`).toBeLessThan(1000);
        if (isParseFailure(result)) expect(result.reason.length).toBeGreaterThan(0);
        else expect((Array.isArray(result) ? result[0] : result)?.unit).toBe('unit-a');
      }
    });
  }

  it('does not let __proto__ keys reach Object.prototype', () => {
    const lines = [
      '{"timestamp":"2026-01-02T03:04:05Z","event_type":"alert","src_ip":"10.0.0.1","__proto__":{"polluted":1},"alert":{"__proto__":{"polluted":2}}}',
      '{"ts":1767323045,"uid":"C1","__proto__":{"polluted":3},"constructor":{"prototype":{"polluted":4}}}',
      'CEF:0|a|b|c|d|e|5|__proto__=x constructor=y cs1=z cs1Label=__proto__',
      'LEEF:2.0|a|b|c|d|^|__proto__=x^prototype=y',
      'date=2026-01-02 time=03:04:05 logid="1" devid="2" __proto__=x constructor=y',
    ];
    for (const line of lines) {
      for (const parser of parsers) {
        const json = decodeObject(line);
        parser.parse(record(line, json ? { json: json as RawRecord['json'] } : {}));
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });
});
