import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../model/event.ts';
import { isParseFailure, type Parser, parseFailure } from './parser.ts';
import { decodeObject, ParserRegistry } from './parser-registry.ts';

function record(text: string, extra: Partial<RawRecord> = {}): RawRecord {
  return { text, unit: 'hq', receivedAt: 0, source: { kind: 'test', name: 'fixture' }, ...extra };
}

function fakeParser(format: string, accepts: (text: string, json?: Record<string, unknown>) => boolean): Parser {
  return {
    format,
    description: format,
    sniff: accepts,
    parse: (raw): EcsEvent => ({ '@timestamp': '2026-01-01T00:00:00.000Z', unit: raw.unit, message: format }),
  };
}

const kv = fakeParser('kv', (text) => text.includes('='));
const json = fakeParser('json', (_text, object) => object !== undefined);

describe('ParserRegistry', () => {
  it('detects the first parser whose sniff accepts the record', () => {
    const registry = new ParserRegistry([kv, json]);
    expect(registry.detect(record('a=1'))?.format).toBe('kv');
    expect(registry.detect(record('{"a":1}'))?.format).toBe('json');
    expect(registry.detect(record('plain words'))).toBeUndefined();
  });

  it('turns an unrecognised record into a failure that names the reason, not a throw', () => {
    const result = new ParserRegistry([kv]).parse(record('plain words'));
    expect(isParseFailure(result)).toBe(true);
    expect(isParseFailure(result) && result.reason).toMatch(/no parser/);
  });

  it('uses a named format or alias and rejects an unknown one', () => {
    const registry = new ParserRegistry([kv, json], { 'Splunk:KV': 'kv' });
    expect((registry.parse(record('{"a":1}'), 'kv') as EcsEvent).message).toBe('kv');
    expect(registry.get('splunk:kv')?.format).toBe('kv');
    const unknown = registry.parse(record('a=1'), 'nope');
    expect(isParseFailure(unknown) && unknown.reason).toMatch(/unknown format 'nope'/);
  });

  it('honours the record format hint when parsing with auto', () => {
    const registry = new ParserRegistry([kv, json]);
    expect((registry.parse(record('{"a":"b=c"}', { formatHint: 'kv' })) as EcsEvent).message).toBe('kv');
  });

  it('keeps a parser bug from escaping: the record becomes a failure with the error', () => {
    const broken: Parser = {
      format: 'broken',
      description: '',
      sniff: () => true,
      parse: () => {
        throw new Error('boom');
      },
    };
    const result = new ParserRegistry([broken]).parse(record('x'));
    expect(isParseFailure(result) && result.reason).toBe('parser error: boom');
  });

  it('rejects two parsers with the same format at build time', () => {
    expect(() => new ParserRegistry([kv, kv])).toThrow(/duplicate parser format 'kv'/);
  });

  it('prefers the format last detected for the same source', () => {
    const calls: string[] = [];
    const a = fakeParser('a', (text) => {
      calls.push('a');
      return text.startsWith('x');
    });
    const b = fakeParser('b', (text) => {
      calls.push('b');
      return text.includes('x');
    });
    const registry = new ParserRegistry([a, b]);
    expect(registry.detect(record('yx'))?.format).toBe('b');
    calls.length = 0;
    expect(registry.detect(record('zx'))?.format).toBe('b');
    expect(calls).toEqual(['b']);
  });

  it('parseFailure builds a failure value', () => {
    const failure = parseFailure(record('x'), 'cef', 'bad header');
    expect(failure).toMatchObject({ failed: true, format: 'cef', reason: 'bad header' });
  });
});

describe('decodeObject', () => {
  it('decodes objects only and never throws', () => {
    expect(decodeObject(' {"a":1}')).toEqual({ a: 1 });
    expect(decodeObject('[1]')).toBeUndefined();
    expect(decodeObject('{broken')).toBeUndefined();
    expect(decodeObject('')).toBeUndefined();
    expect(decodeObject(`${'['.repeat(200_000)}`)).toBeUndefined();
    expect(decodeObject(`{"a":${'['.repeat(200_000)}`)).toBeUndefined();
  });
});
