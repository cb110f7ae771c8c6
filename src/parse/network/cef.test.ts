// CEF: header and extension escaping, the common keys in ECS, custom-string labels, times and
// severity, and failures for truncated records.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, ParseFailure, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { cefParser, parseExtension } from './cef.ts';

function parse(text: string, timezone?: string): EcsEvent {
  const result = cefParser.parse(record(text, timezone));
  if (isParseFailure(result)) throw new Error(`unexpected failure: ${result.reason}`);
  return result as EcsEvent;
}

function record(text: string, timezone?: string): RawRecord {
  return {
    text,
    source: { kind: 'file', name: 'cef.test' },
    unit: 'unit-a',
    receivedAt: Date.parse('2026-03-01T00:00:00Z'),
    ...(timezone ? { timezone } : {}),
  };
}

const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);

describe('CEF parser', () => {
  it('maps the header and the common extension keys to ECS', () => {
    const event = parse(
      'CEF:0|Acme|Gateway|2.1|sig-100|Blocked upload|8|rt=1767323045123 src=10.0.0.5 dst=203.0.113.9 spt=51000 dpt=443 ' +
        'proto=TCP app=HTTPS act=blocked suser=alice duser=bob shost=ws1.corp dhost=files.example ' +
        'request=https://files.example/upload?id=7 requestMethod=POST fname=report.pdf ' +
        'fileHash=d41d8cd98f00b204e9800998ecf8427e outcome=failure',
    );
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.123Z');
    expect(at(event, 'observer.vendor')).toBe('Acme');
    expect(at(event, 'observer.product')).toBe('Gateway');
    expect(at(event, 'observer.version')).toBe('2.1');
    expect(at(event, 'event.code')).toBe('sig-100');
    expect(at(event, 'event.severity')).toBe(8);
    expect(at(event, 'message')).toBe('Blocked upload');
    expect(at(event, 'source.ip')).toBe('10.0.0.5');
    expect(at(event, 'destination.ip')).toBe('203.0.113.9');
    expect(at(event, 'source.port')).toBe(51000);
    expect(at(event, 'destination.port')).toBe(443);
    expect(at(event, 'network.transport')).toBe('tcp');
    expect(at(event, 'network.protocol')).toBe('https');
    expect(at(event, 'network.community_id')).toMatch(/^1:[A-Za-z0-9+/]{27}=$/);
    expect(at(event, 'event.action')).toBe('blocked');
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'source.user.name')).toBe('alice');
    expect(at(event, 'destination.user.name')).toBe('bob');
    expect(at(event, 'source.domain')).toBe('ws1.corp');
    expect(at(event, 'destination.domain')).toBe('files.example');
    expect(at(event, 'url.original')).toBe('https://files.example/upload?id=7');
    expect(at(event, 'url.domain')).toBe('files.example');
    expect(at(event, 'url.query')).toBe('id=7');
    expect(at(event, 'http.request.method')).toBe('POST');
    expect(at(event, 'file.name')).toBe('report.pdf');
    expect(at(event, 'file.hash.md5')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(at(event, 'related.ip')).toEqual(['10.0.0.5', '203.0.113.9']);
    expect(at(event, 'related.user')).toEqual(['alice', 'bob']);
  });

  it('unescapes \\| and \\\\ in the header and \\=, \\\\, \\n in extension values', () => {
    const event = parse(
      'CEF:0|Acme\\|Labs|Gate\\\\way|1.0|7|Name with \\| pipe|5|msg=a\\=b and c\\\\d\\nnext line cs1=x=y cs1Label=Raw value',
    );
    expect(at(event, 'observer.vendor')).toBe('Acme|Labs');
    expect(at(event, 'observer.product')).toBe('Gate\\way');
    expect(at(event, 'rule.name')).toBe('Name with | pipe');
    expect(at(event, 'message')).toBe('a=b and c\\d\nnext line');
    // An unescaped '=' inside a value does not start a key: the value keeps it (best effort).
    expect(event.labels).toEqual({ Raw_value: 'x=y' });
  });

  it('names cs1..cs6 and cn1 by their labels and keeps all keys under cef.extensions', () => {
    const event = parse(
      'CEF:0|V|P|1|2|N|3|cs1=HR cs1Label=department cs2=gold cs2Label=tier cs6=last cs6Label=six cn1=42 cn1Label=score cs3=unlabelled',
    );
    expect(event.labels).toEqual({ department: 'HR', tier: 'gold', six: 'last', score: '42', cs3: 'unlabelled' });
    expect(at(event, 'cef.extensions.cs1Label')).toBe('department');
  });

  it('reads rt/start/end in the common CEF shapes and the record zone', () => {
    const event = parse(
      'CEF:0|V|P|1|2|N|3|rt=Jan 02 2026 03:04:05 start=Jan 02 2026 03:00:00 end=Jan 02 2026 03:04:05',
      '+02:00',
    );
    expect(event['@timestamp']).toBe('2026-01-02T01:04:05.000Z');
    expect(at(event, 'event.start')).toBe('2026-01-02T01:00:00.000Z');
    expect(at(event, 'event.end')).toBe('2026-01-02T01:04:05.000Z');
    expect(at(event, 'event.duration')).toBe(245_000_000_000);
    const zoned = parse('CEF:0|V|P|1|2|N|3|rt=Jan 02 2026 03:04:05.250 UTC');
    expect(zoned['@timestamp']).toBe('2026-01-02T03:04:05.250Z');
  });

  it('maps word severities to numbers', () => {
    expect(at(parse('CEF:0|V|P|1|2|N|Very-High|'), 'event.severity')).toBe(10);
    expect(at(parse('CEF:0|V|P|1|2|N|Low|'), 'event.severity')).toBe(3);
  });

  it('reads the syslog header in front of CEF', () => {
    const event = parse('<134>Jan  2 03:04:05 sensor1 CEF:0|V|P|1|2|N|3|src=10.0.0.1');
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.000Z');
    expect(at(event, 'observer.hostname')).toBe('sensor1');
    expect(at(event, 'log.syslog.priority')).toBe(134);
  });

  it('fails with a reason on a truncated header or a dangling escape', () => {
    const truncated = cefParser.parse(record('CEF:0|Acme|Gateway|2.1|100')) as ParseFailure;
    expect(truncated.failed).toBe(true);
    expect(truncated.reason).toMatch(/truncated CEF header: 4 of 7/);
    const dangling = cefParser.parse(record('CEF:0|V|P|1|2|N|3|msg=abc\\')) as ParseFailure;
    expect(dangling.reason).toMatch(/truncated CEF extension/);
  });

  it('parses an extension in one pass even with thousands of keys', () => {
    const text = Array.from({ length: 50_000 }, (_, index) => `k${index}=v ${index}`).join(' ');
    const started = performance.now();
    const values = parseExtension(text, 0);
    expect(performance.now() - started).toBeLessThan(500);
    expect(values.k49999).toBe('v 49999');
    expect(Object.keys(values)).toHaveLength(50_000);
  });
});

describe('CEF behind an RFC 5424 header', () => {
  it('is detected and keeps the header time when rt is absent', () => {
    const text = '<134>1 2026-01-02T03:04:05.500Z sensor1 cefd 77 - - CEF:0|V|P|1|2|N|3|src=10.0.0.1 msg=hello world';
    expect(cefParser.sniff?.(text, undefined)).toBe(true);
    const event = parse(text);
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.500Z');
    expect(at(event, 'message')).toBe('hello world');
  });
});
