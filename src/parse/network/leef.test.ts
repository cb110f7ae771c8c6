// LEEF 1.0 (tab-separated) and 2.0 (delimiter named in the header, as a character or hex).
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { leefParser } from './leef.ts';

function record(text: string): RawRecord {
  return {
    text,
    source: { kind: 'file', name: 'leef.test' },
    unit: 'unit-a',
    receivedAt: Date.parse('2026-03-01T00:00:00Z'),
  };
}

function parse(text: string): EcsEvent {
  const result = leefParser.parse(record(text));
  if (isParseFailure(result)) throw new Error(`unexpected failure: ${result.reason}`);
  return result as EcsEvent;
}

const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);

describe('LEEF parser', () => {
  it('reads LEEF 1.0 with tab-separated attributes', () => {
    const event = parse(
      'LEEF:1.0|Acme|Firewall|3.0|deny|src=10.0.0.5\tdst=203.0.113.9\tsrcPort=51000\tdstPort=22\tproto=6\tusrName=bob\tsev=6\tdevTime=1767323045000\tcat=Firewall deny',
    );
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.000Z');
    expect(at(event, 'observer.vendor')).toBe('Acme');
    expect(at(event, 'event.code')).toBe('deny');
    expect(at(event, 'source.ip')).toBe('10.0.0.5');
    expect(at(event, 'destination.port')).toBe(22);
    expect(at(event, 'network.transport')).toBe('tcp');
    expect(at(event, 'network.iana_number')).toBe('6');
    expect(at(event, 'user.name')).toBe('bob');
    expect(at(event, 'event.severity')).toBe(6);
    expect(at(event, 'leef.category')).toBe('Firewall deny');
  });

  it('uses the delimiter a LEEF 2.0 header names, as a character or as hex', () => {
    const caret = parse('LEEF:2.0|Acme|Proxy|1.2|url_block|^|src=10.0.0.7^url=http://bad.example/x?y=1^usrName=carol');
    expect(at(caret, 'source.ip')).toBe('10.0.0.7');
    expect(at(caret, 'url.domain')).toBe('bad.example');
    expect(at(caret, 'url.query')).toBe('y=1');
    expect(at(caret, 'user.name')).toBe('carol');
    const hex = parse('LEEF:2.0|Acme|Proxy|1.2|x|x7C|src=10.0.0.8|dst=10.0.0.9');
    expect(at(hex, 'destination.ip')).toBe('10.0.0.9');
    const tab = parse('LEEF:2.0|Acme|Proxy|1.2|x|0x09|src=10.0.0.8\tusrName=dave');
    expect(at(tab, 'user.name')).toBe('dave');
  });

  it('keeps "=" inside values and reads a syslog header in front', () => {
    const event = parse('<13>Jan  2 03:04:05 qradar LEEF:2.0|V|P|1|E|^|msg=a=b c^src=10.0.0.1');
    expect(at(event, 'message')).toBe('a=b c');
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.000Z');
    expect(at(event, 'observer.hostname')).toBe('qradar');
  });

  it('fails with a reason on a truncated header or an unusable delimiter', () => {
    expect((leefParser.parse(record('LEEF:1.0|Acme|Firewall')) as ParseFailure).reason).toMatch(
      /truncated LEEF header/,
    );
    expect((leefParser.parse(record('LEEF:2.0|V|P|1|E|notadelimiter|a=b')) as ParseFailure).reason).toMatch(
      /unusable LEEF 2.0 delimiter/,
    );
  });
});
