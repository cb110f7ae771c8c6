// Suricata EVE records beyond the alert/TLS samples: dns v1/v2 answers, flow accounting, http, tls,
// fileinfo, and EVE lines that arrive inside a shipper's document.
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

  it('types a flow that is still new as its start, not its end', () => {
    const event = parse({
      ...base,
      event_type: 'flow',
      app_proto: 'failed',
      flow: {
        pkts_toserver: 1,
        pkts_toclient: 0,
        start: '2026-01-02T03:04:00.000+0100',
        end: '2026-01-02T03:04:00.000+0100',
        state: 'new',
      },
    });
    expect(at(event, 'event.type')).toEqual(['connection', 'start']);
    expect(at(event, 'event.duration')).toBe(0);
    expect(at(event, 'destination.packets')).toBe(0);
    expect(at(event, 'network.protocol')).toBeUndefined();
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
    expect(at(event, 'event.category')).toEqual(['network']);
    expect(at(event, 'event.type')).toBeUndefined();
    expect(at(event, 'suricata.eve.flow_id')).toBe('1');
  });

  it('names Suricata as the observer of every record', () => {
    const event = parse({ timestamp: '2026-01-02T03:04:05.000+0000', event_type: 'stats', stats: { uptime: 5 } });
    expect(at(event, 'observer')).toEqual({ product: 'Suricata', vendor: 'OISF', type: 'ids' });
    expect(at(event, 'event.kind')).toBe('metric');
  });

  it('keeps a v1 answer record out of dns.question and splits the name into domain parts', () => {
    const event = parse({
      ...base,
      event_type: 'dns',
      dns: {
        type: 'answer',
        id: 77,
        rd: true,
        ra: true,
        aa: false,
        rcode: 'NOERROR',
        rrname: 'cdn.edge.shop.example.co.uk',
        rrtype: 'CNAME',
        ttl: 30,
        rdata: 'edge.example.net',
      },
    });
    expect(at(event, 'dns.question.name')).toBeUndefined();
    expect(at(event, 'dns.question.registered_domain')).toBe('example.co.uk');
    expect(at(event, 'dns.question.top_level_domain')).toBe('co.uk');
    expect(at(event, 'dns.question.subdomain')).toBe('cdn.edge.shop');
    expect(at(event, 'dns.answers')).toEqual([
      { name: 'cdn.edge.shop.example.co.uk', type: 'CNAME', ttl: 30, data: 'edge.example.net' },
    ]);
    expect(at(event, 'dns.resolved_ip')).toBeUndefined();
    expect(at(event, 'dns.header_flags')).toEqual(['RD', 'RA']);
  });

  it('keeps every resolved address of a v2 answer, repeats included, and relates them once', () => {
    const answer = { rrname: 'files.example.org', rrtype: 'A', ttl: 20, rdata: '198.18.7.9' };
    const event = parse({
      ...base,
      event_type: 'dns',
      dns: { version: 2, type: 'answer', id: 5, rrname: 'files.example.org', rrtype: 'A', answers: [answer, answer] },
    });
    expect(at(event, 'dns.question.name')).toBe('files.example.org');
    expect(at(event, 'dns.question.top_level_domain')).toBe('org');
    expect(at(event, 'dns.resolved_ip')).toEqual(['198.18.7.9', '198.18.7.9']);
    expect(at(event, 'related.ip')).toEqual(['10.0.0.5', '10.0.0.1', '198.18.7.9']);
  });

  it('maps an http transaction as web access with its outcome and user agent', () => {
    const event = parse({
      ...base,
      dest_port: 3128,
      proto: 'TCP',
      event_type: 'http',
      http: {
        hostname: 'updates.example.test',
        url: 'http://updates.example.test/pkg/list.cab?v=3',
        http_user_agent: 'Fetcher-Agent/4.1 (build 77)',
        http_method: 'GET',
        status: 404,
        length: 12,
      },
    });
    expect(at(event, 'event.category')).toEqual(['network', 'web']);
    expect(at(event, 'event.type')).toEqual(['access', 'protocol']);
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'url.path')).toBe('http://updates.example.test/pkg/list.cab');
    expect(at(event, 'url.query')).toBe('v=3');
    expect(at(event, 'destination.domain')).toBe('updates.example.test');
    expect(at(event, 'user_agent.name')).toBe('Fetcher-Agent');
    expect(at(event, 'user_agent.version')).toBe('4.1');
    expect(at(event, 'user_agent.device.name')).toBe('Other');
  });

  it('maps the TLS server name, JA3 hashes and a "TLSv1.3" version', () => {
    const event = parse({
      ...base,
      dest_port: 443,
      proto: 'TCP',
      event_type: 'tls',
      tls: {
        sni: 'portal.example.test.',
        version: 'TLSv1.3',
        ja3: { hash: 'a'.repeat(32) },
        ja3s: { hash: 'b'.repeat(32) },
      },
    });
    expect(at(event, 'tls.client.server_name')).toBe('portal.example.test');
    expect(at(event, 'destination.domain')).toBe('portal.example.test');
    expect(at(event, 'related.hosts')).toEqual(['portal.example.test']);
    expect(at(event, 'related.hash')).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
    expect(at(event, 'tls.version_protocol')).toBe('tls');
    expect(at(event, 'tls.version')).toBe('1.3');
    expect(at(event, 'network.protocol')).toBe('tls');
  });

  it('takes an event_type named like an object property for an unknown type', () => {
    const event = parse({ ...base, event_type: 'constructor' });
    expect(at(event, 'network.protocol')).toBeUndefined();
    expect(at(event, 'event.type')).toBeUndefined();
    expect(at(event, 'event.kind')).toBe('event');
  });

  it('prefers mitre_attack over mitre_tactic_id for threat.tactic.id', () => {
    const metadata = { mitre_attack: ['TA0001'], mitre_tactic_id: ['TA0002'], mitre_technique_id: ['T1190'] };
    const event = parse({ ...base, event_type: 'alert', alert: { signature_id: 4, signature: 's', metadata } });
    expect(at(event, 'threat.tactic.id')).toEqual(['TA0001']);
    expect(at(event, 'threat.technique.id')).toEqual(['T1190']);
  });

  it('types an alert by its action, blocked as denied', () => {
    const alert = (action: string) =>
      at(
        parse({ ...base, event_type: 'alert', alert: { action, signature_id: 9, signature: 's', severity: 3 } }),
        'event.type',
      );
    expect(alert('blocked')).toEqual(['denied']);
    expect(alert('allowed')).toEqual(['allowed']);
  });
});

describe('Suricata EVE inside a shipped document', () => {
  const eveLine = JSON.stringify({
    ...base,
    event_type: 'dns',
    dns: { type: 'query', id: 3, rrname: 'intranet.example.net', rrtype: 'A' },
  });
  const shippedDocument = {
    '@timestamp': '2026-02-01T00:00:00.000Z',
    host: { name: 'sensor-07' },
    event: { module: 'suricata', original: eveLine },
    network: { transport: 'UDP' },
  };

  it('is detected and parsed from event.original, keeping the shipper host', () => {
    const text = JSON.stringify(shippedDocument);
    const json = JSON.parse(text);
    expect(suricataEveParser.sniff?.(text, json)).toBe(true);
    const result = suricataEveParser.parse({
      text,
      json,
      source: { kind: 'file', name: 't' },
      unit: 'u',
      receivedAt: 0,
    });
    if (isParseFailure(result)) throw new Error(result.reason);
    const event = result as EcsEvent;
    expect(event['@timestamp']).toBe('2026-01-02T02:04:05.500Z');
    expect(at(event, 'event.original')).toBe(eveLine);
    expect(at(event, 'host.name')).toBe('sensor-07');
    expect(at(event, 'network.transport')).toBe('udp');
    expect(at(event, 'dns.question.name')).toBe('intranet.example.net');
  });

  it('reads the EVE line from message when event.original is absent', () => {
    const json = { message: eveLine, agent: { type: 'filebeat' } };
    expect(suricataEveParser.sniff?.(JSON.stringify(json), json)).toBe(true);
    const other = { event: { original: '{"event_type":"x"}' } };
    expect(suricataEveParser.sniff?.(JSON.stringify(other), other)).toBe(false);
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
