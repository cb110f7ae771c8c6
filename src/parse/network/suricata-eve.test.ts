// Suricata EVE records beyond the alert/TLS samples: dns answers, flow accounting, http, fileinfo.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { suricataEveParser } from './suricata-eve.ts';

function parse(eve: object): EcsEvent {
  const text = JSON.stringify(eve);
  const record: RawRecord = {
    text,
    json: JSON.parse(text),
    source: { kind: 'file', name: 't' },
    unit: 'u',
    receivedAt: 0,
  };
  const result = suricataEveParser.parse(record);
  if (isParseFailure(result)) throw new Error(result.reason);
  return result as EcsEvent;
}
const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);
const base = {
  timestamp: '2026-01-02T03:04:05.500+0100',
  flow_id: 1,
  src_ip: '10.0.0.5',
  src_port: 53000,
  dest_ip: '10.0.0.1',
  dest_port: 53,
  proto: 'UDP',
};

describe('Suricata EVE parser', () => {
  it('maps dns answers to dns.* and resolved IPs', () => {
    const event = parse({
      ...base,
      event_type: 'dns',
      dns: {
        version: 2,
        type: 'answer',
        id: 9,
        rrname: 'example.org',
        rrtype: 'A',
        rcode: 'NOERROR',
        answers: [{ rrname: 'example.org', rrtype: 'A', ttl: 60, rdata: '93.184.216.34' }],
      },
    });
    expect(event['@timestamp']).toBe('2026-01-02T02:04:05.500Z');
    expect(at(event, 'dns.question.name')).toBe('example.org');
    expect(at(event, 'dns.response_code')).toBe('NOERROR');
    expect(at(event, 'dns.answers')).toEqual([{ name: 'example.org', type: 'A', ttl: 60, data: '93.184.216.34' }]);
    expect(at(event, 'dns.resolved_ip')).toEqual(['93.184.216.34']);
    expect(at(event, 'event.type')).toEqual(['protocol']);
    expect(at(event, 'network.protocol')).toBe('dns');
  });

  it('maps flow counters, duration and the end of a closed flow', () => {
    const event = parse({
      ...base,
      event_type: 'flow',
      flow: {
        pkts_toserver: 3,
        pkts_toclient: 2,
        bytes_toserver: 300,
        bytes_toclient: 200,
        start: '2026-01-02T03:04:00.000+0100',
        end: '2026-01-02T03:04:05.000+0100',
        state: 'closed',
      },
    });
    expect(at(event, 'network.bytes')).toBe(500);
    expect(at(event, 'network.packets')).toBe(5);
    expect(at(event, 'event.duration')).toBe(5_000_000_000);
    expect(at(event, 'event.type')).toEqual(['connection', 'end']);
  });

  it('maps fileinfo and keeps the record under suricata.eve', () => {
    const event = parse({
      ...base,
      event_type: 'fileinfo',
      fileinfo: { filename: '/dl/a.exe', size: 10, sha256: 'ab'.repeat(32) },
    });
    expect(at(event, 'file.name')).toBe('a.exe');
    expect(at(event, 'file.path')).toBe('/dl/a.exe');
    expect(at(event, 'file.hash.sha256')).toBe('ab'.repeat(32));
    expect(at(event, 'event.category')).toEqual(['network', 'file']);
    expect(at(event, 'suricata.eve.flow_id')).toBe('1');
  });
});

describe('Suricata EVE through syslog', () => {
  it('finds the JSON object behind a syslog header', () => {
    const text = `<134>Jan  2 03:04:05 ids1 suricata[812]: ${JSON.stringify({ ...base, event_type: 'alert', alert: { signature_id: 1, signature: 'x', severity: 1 } })}`;
    expect(suricataEveParser.sniff?.(text, undefined)).toBe(true);
    const result = suricataEveParser.parse({ text, source: { kind: 'file', name: 't' }, unit: 'u', receivedAt: 0 });
    expect(isParseFailure(result)).toBe(false);
    expect(at(result as EcsEvent, 'rule.id')).toBe('1');
    expect((result as EcsEvent).event?.original).toBe(text);
    expect(suricataEveParser.sniff?.('host app: {"timestamp":"x","level":"info"}', undefined)).toBe(false);
  });
});
