// The scoring rules themselves, on hand-made documents (no shared data needed).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../src/model/event.ts';
import { ParserRegistry } from '../../src/parse/parser-registry.ts';
import {
  compareDocument,
  coverageOf,
  exclusionOf,
  instantOf,
  loadSamples,
  normaliseTimezone,
  type SampleConfig,
  scoreDataStream,
  shippedLine,
  splitEvents,
} from './score.ts';

const noConfig: SampleConfig = { fields: new Map(), dynamicFields: [] };

function outcomes(expected: JsonObject, actual: JsonObject | undefined, config = noConfig) {
  const result: Record<string, string> = {};
  for (const leaf of compareDocument(expected, actual as EcsEvent | undefined, config))
    result[leaf.path] = leaf.outcome;
  return result;
}

describe('conformance scoring rules', () => {
  it('scores ECS leaves only: vendor namespaces, metadata and geo are left out', () => {
    const expected = {
      '@timestamp': '2020-01-01T00:00:00.000Z',
      cisco: { asa: { connection_id: '1' } },
      winlog: { event_id: '4688' },
      ecs: { version: '8.0.0' },
      event: { ingested: '2022-01-01T00:00:00Z', created: 'x', dataset: 'a.b', action: 'deny' },
      source: { ip: '1.2.3.4', geo: { country_iso_code: 'SE' }, as: { number: 1 } },
      log: { offset: 5, level: 'info' },
    };
    expect(outcomes(expected, undefined)).toEqual({
      '@timestamp': 'missing',
      'event.action': 'missing',
      'source.ip': 'missing',
      'log.level': 'missing',
    });
    expect(exclusionOf('winlog.event_id')).toBe('vendor');
    expect(exclusionOf('threat.indicator.geo.location.lat')).toBe('geo');
    expect(exclusionOf('agent.id')).toBe('metadata');
    expect(exclusionOf('user.name')).toBeUndefined();
  });

  it('compares timestamps as instants and numbers by ECS type', () => {
    const expected = {
      '@timestamp': '2016-12-26T16:22:08.000+02:00',
      event: { code: '4688', start: '2021-01-27T01:28:11.488362+0100' },
      source: { port: '80' },
      destination: { port: 443 },
    };
    const actual = {
      '@timestamp': '2016-12-26T14:22:08.000Z',
      event: { code: 4688, start: '2021-01-27T00:28:11.488Z' },
      source: { port: 80 },
      destination: { port: '443' },
    };
    expect(outcomes(expected, actual)).toEqual({
      '@timestamp': 'matched',
      'event.code': 'wrong', // keyword in ECS: a number is the wrong type
      'event.start': 'matched',
      'source.port': 'matched',
      'destination.port': 'matched',
    });
    expect(
      outcomes(
        { http: { request: { method: 'get' } }, url: { path: '/A' } },
        { http: { request: { method: 'GET' } }, url: { path: '/a' } },
      ),
    ).toEqual({
      'http.request.method': 'matched', // ECS 1.x lowercased it; later ECS keeps the case
      'url.path': 'wrong',
    });
    expect(outcomes({ '@timestamp': '2020-01-01T00:00:00Z' }, { '@timestamp': '2020-01-01T00:00:01Z' })).toEqual({
      '@timestamp': 'wrong',
    });
  });

  it('compares arrays as multisets and a scalar as a one-element array', () => {
    const expected = { related: { ip: ['10.0.0.1', '10.0.0.2'] }, event: { type: ['access'], category: ['web'] } };
    const actual = { related: { ip: ['10.0.0.2', '10.0.0.1'] }, event: { type: 'access', category: ['web', 'x'] } };
    expect(outcomes(expected, actual)).toEqual({
      'related.ip': 'matched',
      'event.type': 'matched',
      'event.category': 'wrong',
    });
  });

  it('does not score values injected by the sample config, nor dynamic fields', () => {
    const config: SampleConfig = {
      fields: new Map<string, JsonObject[string]>([
        ['tags', ['preserve_original_event']],
        ['event.timezone', '+0000'],
        ['@timestamp', '2020-04-28T11:07:58.223Z'],
      ]),
      dynamicFields: ['event.ingested', 'user_agent.version'],
    };
    const expected = {
      '@timestamp': '2016-12-26T14:16:29.000Z',
      tags: ['preserve_original_event', 'forwarded'],
      event: { timezone: '+0000' },
      user_agent: { version: '49.0.' },
    };
    expect(outcomes(expected, { '@timestamp': '2016-12-26T14:16:29.000Z', tags: ['forwarded'] }, config)).toEqual({
      '@timestamp': 'matched',
      tags: 'matched',
    });
  });

  it('joins multi-line events and normalises config time zones', () => {
    expect(splitEvents('10.0.0.1 a\nb\n10.0.0.2 c\n', /^\d/)).toEqual([
      { text: '10.0.0.1 a\nb', line: 1 },
      { text: '10.0.0.2 c', line: 3 },
    ]);
    expect(splitEvents('a\n\nb\n')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 3 },
    ]);
    expect(splitEvents('a\n\nb\n', undefined, true)).toEqual([
      { text: 'a', line: 1 },
      { text: '', line: 2 },
      { text: 'b', line: 3 },
    ]);
    expect(normaliseTimezone('GMT+2')).toBe('+02:00');
    expect(normaliseTimezone('GMT-0200')).toBe('-02:00');
    expect(normaliseTimezone('+0000')).toBe('+00:00');
    expect(normaliseTimezone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(instantOf('2019-11-14T17:10:15.151')).toBe(Date.parse('2019-11-14T17:10:15.151Z'));
    expect(instantOf('not a date')).toBeUndefined();
  });

  it('maps data streams to our formats, zeek by package', () => {
    expect(coverageOf('zeek/notice')?.format).toBe('zeek');
    expect(coverageOf('system/security')?.format).toBe('winlogbeat');
    expect(coverageOf('ti_anomali/threatstream')).toBeUndefined();
  });
});

describe('conformance sample loading', () => {
  const formatsDir = join(import.meta.dirname, '__fixtures__', 'formats');

  it('feeds a JSON event that only wraps a line as that line, with the config time zone', () => {
    const [shipped] = loadSamples(formatsDir, 'demo/access');
    expect(shipped?.records.map((record) => [record.text, record.json === undefined, record.timezone])).toEqual([
      ['10.0.0.1 GET /a 200', true, '+03:00'],
      [expect.stringContaining('"winlog"'), false, '+03:00'],
    ]);
    expect(shippedLine({ message: 'x', event: { timezone: 'UTC' } })).toBe('x');
    expect(shippedLine({ message: 'x', json: { a: 1 } })).toBeUndefined();
    // A syslog header already split off by the shipper: the document is the record.
    expect(shippedLine({ message: 'body', log: { syslog: { appname: 'sshd' } } })).toBeUndefined();
    expect(shippedLine({ message: 'line', log: { file: { path: '/var/log/auth.log' } } })).toBe('line');
  });

  it('honours numeric_keyword_fields and skips samples their config skips', () => {
    const seen: string[] = [];
    const demo = {
      format: 'demo',
      description: 'test double',
      sniff: (text: string) => /^\d/.test(text),
      parse: (record: RawRecord): EcsEvent => {
        seen.push(record.text);
        const [ip, method, , code] = record.text.split(' ');
        return {
          '@timestamp': '2020-01-01T00:00:00.000Z',
          unit: record.unit,
          source: { ip: ip! },
          http: { request: { method: method! } },
          event: { code: String(code) }, // a string where the sample has a number: allowed by its config
        };
      },
    };
    const score = scoreDataStream(
      'demo/access',
      loadSamples(formatsDir, 'demo/access'),
      () => new ParserRegistry([demo]),
    );
    expect(seen).toEqual(['10.0.0.1 GET /a 200']);
    expect(score.skippedSamples).toEqual(['test-skipped.log: flaky upstream']);
    // event.timezone "+0300" is not injected as such (the config sets _conf.tz_offset), so it is scored and missing.
    expect({ matched: score.matched, missing: [...score.missingFields.keys()], wrong: score.wrong }).toEqual({
      matched: 4,
      missing: ['event.timezone'],
      wrong: 0,
    });
  });

  it('holds auto-detection to the records the format accepts when named, and reports the others as not of the format', () => {
    const line = (text: string): RawRecord => ({
      text,
      source: { kind: 'file', name: 'test.log', line: 1 },
      unit: 'default',
      receivedAt: 0,
    });
    const event = (record: RawRecord): EcsEvent => ({
      '@timestamp': '2020-01-01T00:00:00.000Z',
      unit: record.unit,
      message: record.text,
    });
    // 'iptables/log' is a covered data stream; these test doubles stand in for the real parsers.
    const claimed = {
      format: 'iptables',
      description: 'test double',
      sniff: (text: string) => text.startsWith('K'),
      parse: (record: RawRecord) =>
        record.text.includes('K')
          ? event(record)
          : { failed: true as const, format: 'iptables', reason: 'not ours', record },
    };
    const other = { format: 'other', description: 'test double', sniff: () => true, parse: event };
    const records = [line('K accepted and detected'), line('x accepted but not detected: K'), line('garbage')];
    const score = scoreDataStream(
      'iptables/log',
      [
        {
          dataStream: 'iptables/log',
          input: 'test.log',
          inputPath: 'test.log',
          config: noConfig,
          records,
          expected: records.map((record) => ({ message: record.text })),
        },
      ],
      () => new ParserRegistry([claimed, other]),
    );
    // A record the parser understands but detection gives elsewhere is a mis-detection…
    expect(Object.fromEntries(score.misdetections)).toEqual({ other: 1 });
    // …one it rejects even when named is not of the format: reported, not held to detection, still scored.
    expect(score.foreignRecords).toBe(1);
    expect(score.foreignExamples).toEqual(['iptables/log/test.log:1']);
    expect(score.expectedLeaves).toBe(3);
  });
});
