// Zeek log type detection (by _path or by field set) and the conn/dns/http/ssl mappings.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { zeekLogType, zeekParser } from './zeek.ts';

function parse(log: object): EcsEvent {
  const text = JSON.stringify(log);
  const record: RawRecord = {
    text,
    json: JSON.parse(text),
    source: { kind: 'file', name: 't' },
    unit: 'u',
    receivedAt: 0,
  };
  const result = zeekParser.parse(record);
  if (isParseFailure(result)) throw new Error(result.reason);
  return result as EcsEvent;
}
const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);
const flow = {
  ts: 1767323045.25,
  uid: 'C1',
  'id.orig_h': '10.0.0.5',
  'id.orig_p': 51000,
  'id.resp_h': '10.0.0.1',
  'id.resp_p': 53,
  proto: 'udp',
};

describe('Zeek parser', () => {
  it('detects the log type from _path or from the fields', () => {
    expect(zeekLogType({ _path: 'weird' })).toBe('weird');
    expect(zeekLogType({ conn_state: 'SF' })).toBe('conn');
    expect(zeekLogType({ query: 'a.example', qtype_name: 'A' })).toBe('dns');
    expect(zeekLogType({ method: 'GET', host: 'a' })).toBe('http');
    expect(zeekLogType({ version: 'TLSv12', cipher: 'x' })).toBe('ssl');
    expect(zeekLogType({ _path: '__proto__', note: 'x' })).toBe('notice');
  });

  it('maps conn bytes, packets, duration and direction', () => {
    const event = parse({
      ...flow,
      conn_state: 'SF',
      duration: 1.5,
      orig_ip_bytes: 100,
      resp_ip_bytes: 900,
      orig_pkts: 2,
      resp_pkts: 3,
      local_orig: true,
      local_resp: false,
      service: 'dns',
    });
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.250Z');
    expect(at(event, 'network.bytes')).toBe(1000);
    expect(at(event, 'network.packets')).toBe(5);
    expect(at(event, 'event.duration')).toBe(1_500_000_000);
    expect(at(event, 'network.direction')).toBe('outbound');
    expect(at(event, 'network.protocol')).toBe('dns');
    expect(at(event, 'zeek.session_id')).toBe('C1');
    expect(at(event, 'zeek.conn.conn_state')).toBe('SF');
  });

  it('maps dns and ssl records', () => {
    const dns = parse({
      ...flow,
      query: 'example.org',
      qtype_name: 'A',
      rcode_name: 'NOERROR',
      answers: ['93.184.216.34'],
      TTLs: [60],
      RD: true,
    });
    expect(at(dns, 'dns.question.name')).toBe('example.org');
    expect(at(dns, 'dns.answers')).toEqual([{ data: '93.184.216.34', ttl: 60 }]);
    expect(at(dns, 'dns.header_flags')).toEqual(['RD']);
    const ssl = parse({
      ...flow,
      proto: 'tcp',
      version: 'TLSv13',
      cipher: 'TLS_AES_128_GCM_SHA256',
      server_name: 'example.org',
      established: true,
      subject: 'CN=example.org,O=Example',
    });
    expect(at(ssl, 'tls.version')).toBe('1.3');
    expect(at(ssl, 'tls.version_protocol')).toBe('tls');
    expect(at(ssl, 'tls.client.server_name')).toBe('example.org');
    expect(at(ssl, 'tls.server.x509.subject.common_name')).toEqual(['example.org']);
  });
});

describe('Zeek ssh, x509, weird and smtp logs', () => {
  it('maps the fields users search for', () => {
    const ssh = parse({ ...flow, proto: 'tcp', auth_success: false, auth_attempts: 3, client: 'SSH-2.0-libssh' });
    expect(at(ssh, 'event.outcome')).toBe('failure');
    expect(at(ssh, 'event.category')).toEqual(['network', 'authentication']);
    const x509 = parse({
      ts: 1767323045,
      id: 'F1',
      fuid: 'F1',
      'certificate.version': 3,
      'certificate.serial': '0A1B',
      'certificate.subject': 'CN=example.org,O=Example',
      'certificate.not_valid_after': 1798859045,
      'san.dns': ['example.org', 'www.example.org'],
      _path: 'x509',
    });
    expect(at(x509, 'tls.server.x509.serial_number')).toBe('0A1B');
    expect(at(x509, 'tls.server.x509.subject.common_name')).toEqual(['example.org']);
    expect(at(x509, 'tls.server.x509.not_after')).toBe('2027-01-02T03:04:05.000Z');
    expect(at(x509, 'tls.server.x509.alternative_names')).toEqual(['example.org', 'www.example.org']);
    const weird = parse({ ...flow, name: 'bad_TCP_checksum', addl: 'seen twice', notice: false });
    expect(at(weird, 'rule.name')).toBe('bad_TCP_checksum');
    const smtp = parse({
      ...flow,
      proto: 'tcp',
      mailfrom: 'a@example.org',
      rcptto: ['b@example.org'],
      subject: 'Invoice',
      trans_depth: 1,
      _path: 'smtp',
    });
    expect(at(smtp, 'email.from.address')).toBe('a@example.org');
    expect(at(smtp, 'email.to.address')).toEqual(['b@example.org']);
    expect(at(smtp, 'email.subject')).toBe('Invoice');
  });
});
