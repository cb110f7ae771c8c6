import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createJsonParser } from './json-parser.ts';

const parser = createJsonParser();
const receivedAt = Date.parse('2026-11-22T08:00:00Z');

function parse(text: string, extra: Partial<RawRecord> = {}): EcsEvent {
  const result = parser.parse({ text, unit: 'unit-a', receivedAt, source: { kind: 'test', name: 'test' }, ...extra });
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result for ${text}`);
  return result;
}

describe('json', () => {
  it('keeps an ECS document, normalises @timestamp and sets unit and event.original', () => {
    const text =
      '{"@timestamp":"2026-11-20T10:00:00+02:00","event":{"action":"login","category":["authentication"]},"user":{"name":"alice"},"unit":"other-unit"}';
    expect(parse(text)).toEqual({
      '@timestamp': '2026-11-20T08:00:00.000Z',
      unit: 'unit-a',
      event: { action: 'login', category: ['authentication'], original: text },
      user: { name: 'alice' },
      json: { unit: 'other-unit' },
    });
  });

  it('expands dotted ECS keys and keeps an existing event.original', () => {
    const event = parse(
      '{"@timestamp":1700000000123,"event.action":"x","event.original":"raw line","source.ip":"1.2.3.4"}',
    );
    expect(event).toMatchObject({
      '@timestamp': '2023-11-14T22:13:20.123Z',
      event: { action: 'x', original: 'raw line' },
      source: { ip: '1.2.3.4' },
    });
  });

  it.each([
    ['{"timestamp":"2026-11-20 10:00:00","msg":"a"}', '2026-11-20T09:00:00.000Z'],
    ['{"time":1763632800}', '2025-11-20T10:00:00.000Z'],
    ['{"ts":1763632800.25}', '2025-11-20T10:00:00.250Z'],
    ['{"eventTime":"2026-11-20T10:00:00Z"}', '2026-11-20T10:00:00.000Z'],
    ['{"date":"20/Nov/2026:10:00:00 +0000"}', '2026-11-20T10:00:00.000Z'],
    ['{"ts":1763632800000000000}', '2025-11-20T10:00:00.000Z'],
    ['{"level":"info","msg":"no time"}', '2026-11-22T08:00:00.000Z'],
    ['{"time":"not a time"}', '2026-11-22T08:00:00.000Z'],
  ])('takes @timestamp from %s', (text, expected) => {
    expect(parse(text, { timezone: '+01:00' })['@timestamp']).toBe(expected);
  });

  it('moves values whose ECS type the input contradicts under json.*', () => {
    const event = parse('{"event":"login","message":{"a":1},"tags":"x","labels":{"n":1},"@timestamp":"garbage"}');
    expect(event.event).toEqual({ original: expect.any(String) });
    expect(event['json']).toEqual({
      event: 'login',
      message: { a: 1 },
      tags: 'x',
      labels: { n: 1 },
      '@timestamp': 'garbage',
    });
    expect(event['@timestamp']).toBe('2026-11-22T08:00:00.000Z');
  });

  it('turns scalars in ECS field sets into their main field and keeps the value under json.*', () => {
    const event = parse('{"host":"web-1","user":"alice","error":"boom","source":"10.0.0.1","ts":1763632800}');
    expect(event).toMatchObject({
      host: { name: 'web-1' },
      user: { name: 'alice' },
      error: { message: 'boom' },
      json: { host: 'web-1', user: 'alice', error: 'boom', source: '10.0.0.1' },
    });
    expect(event['source']).toBeUndefined();
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const event = parse(
      '{"__proto__":{"polluted":1},"a":{"__proto__":{"polluted":2}},"b.__proto__.polluted":3,"user":{"name":"x"}}',
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(event['a'])).toBe(Object.prototype);
    expect(JSON.stringify(event)).not.toContain('"polluted":1');
    expect(event['user']).toEqual({ name: 'x' });
  });

  it('does not change the record decoded JSON', () => {
    const json = { event: { kind: 'alert' }, 'event.action': 'x' };
    const result = parser.parse({
      text: JSON.stringify(json),
      json,
      unit: 'u',
      receivedAt,
      source: { kind: 't', name: 't' },
    });
    expect(isParseFailure(result)).toBe(false);
    expect(json.event).toEqual({ kind: 'alert' });
  });

  it('sniffs every JSON object and nothing else; fails as a value on non-objects', () => {
    expect(parser.sniff!('{}', {})).toBe(true);
    expect(parser.sniff!('[1]', undefined)).toBe(false);
    expect(parser.sniff!('plain text', undefined)).toBe(false);
    for (const text of ['[1,2]', 'nope', '', '{"a":', '\u0000\uFFFD']) {
      expect(isParseFailure(parser.parse({ text, unit: 'u', receivedAt, source: { kind: 't', name: 't' } }))).toBe(
        true,
      );
    }
  });

  it('handles a 16 MB object', () => {
    const text = `{"message":"${'a'.repeat(16 * 1024 * 1024)}","ts":1763632800}`;
    const event = parse(text);
    expect((event.message as string).length).toBe(16 * 1024 * 1024);
  });

  it('fails as a value, with the reason, on documents nested past 64 levels; keeps 64', () => {
    const nested = (levels: number) => `{"ts":1763632800,"a":${'{"b":'.repeat(levels)}1${'}'.repeat(levels)}}`;
    expect(parse(nested(63)).a).toBeDefined();
    const record = { text: nested(100_000), unit: 'u', receivedAt, source: { kind: 'test', name: 'test' } };
    const result = parser.parse(record);
    expect(isParseFailure(result) && result.reason).toBe('JSON nested deeper than 64 levels');
  });
});
