// Zeek log type detection (by _path or by field set) and the conn/dns/http/ssl mappings.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { sniffZeek, zeekLogType, zeekParser } from './zeek.ts';

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
    expect(at(ssh, 'event.category')).toEqual(['network']);
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
    expect(at(x509, 'file.x509.serial_number')).toBe('0A1B');
    expect(at(x509, 'file.x509.subject.common_name')).toEqual(['example.org']);
    expect(at(x509, 'file.x509.not_after')).toBe('2027-01-02T03:04:05.000Z');
    expect(at(x509, 'file.x509.alternative_names')).toEqual(['example.org', 'www.example.org']);
    expect(at(x509, 'tls')).toBeUndefined();
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

describe('Zeek records as Elastic maps them', () => {
  const tcp = { ...flow, proto: 'tcp', 'id.resp_p': 443 };
  // http, ssl and smtp logs write no proto: those protocols only run over TCP.
  const { proto: _udp, ...noProto } = flow;

  it('types a connection by its state and tags the locality flags Zeek wrote', () => {
    const finished = parse({ ...tcp, conn_state: 'SF', local_orig: false, local_resp: false });
    expect(at(finished, 'event.type')).toEqual(['connection', 'start', 'end']);
    expect(at(finished, 'tags')).toEqual(['local_orig', 'local_resp']);
    expect(at(parse({ ...tcp, conn_state: 'REJ' }), 'event.type')).toEqual(['connection', 'start', 'denied']);
    expect(at(parse({ ...tcp, conn_state: 'OTH' }), 'event.type')).toEqual(['connection', 'info']);
    const withMacs = parse({
      ...tcp,
      conn_state: 'S0',
      orig_l2_addr: '02:00:5e:10:00:01',
      resp_l2_addr: '02:00:5e:10:00:02',
    });
    expect(at(withMacs, 'source.mac')).toBe('02:00:5e:10:00:01');
    expect(at(withMacs, 'destination.mac')).toBe('02:00:5e:10:00:02');
  });

  it('keeps ICMP type and code out of the ports, and hashes no flow with port 0', () => {
    const icmp = parse({ ...flow, proto: 'icmp', 'id.orig_p': 8, 'id.resp_p': 0, conn_state: 'OTH' });
    expect(at(icmp, 'source.port')).toBeUndefined();
    expect(at(icmp, 'destination.port')).toBeUndefined();
    expect(at(icmp, 'network.community_id')).toMatch(/^1:/);
    const portZero = parse({ ...tcp, 'id.orig_p': 0, 'id.resp_p': 0, conn_state: 'OTH' });
    expect(at(portZero, 'source.port')).toBe(0);
    expect(at(portZero, 'network.community_id')).toBeUndefined();
  });

  it('unwraps a record from a Splunk search export', () => {
    const inner = { ...tcp, conn_state: 'SF' };
    const wrapped = {
      preview: false,
      result: { _raw: JSON.stringify(inner), host: 'sensor-7.corp.test', source: '/data/zeek/conn.log' },
    };
    expect(sniffZeek(JSON.stringify(wrapped), wrapped)).toBe(true);
    expect(sniffZeek('{}', { preview: false, result: { _raw: '{"user":"x"}' } })).toBe(false);
    const event = parse(wrapped);
    expect(event['@timestamp']).toBe('2026-01-02T03:04:05.250Z');
    expect(at(event, 'event.original')).toBe(JSON.stringify(inner));
    expect(at(event, 'host.name')).toBe('sensor-7.corp.test');
    expect(at(event, 'log.file.path')).toBe('/data/zeek/conn.log');
    expect(at(event, 'source.ip')).toBe('10.0.0.5');
  });

  it('maps dns class, outcome, round-trip time, every resolved address and the registered domain', () => {
    const dns = parse({
      ...flow,
      query: 'api.shop.example.co.uk',
      qclass: 1,
      qclass_name: 'C_INTERNET',
      rcode: 0,
      rcode_name: 'NOERROR',
      rtt: 0.25,
      answers: ['cdn.example.net', '192.0.2.7', '192.0.2.7'],
      TTLs: [30.0, 60.0, 60.0],
    });
    expect(at(dns, 'dns.question.class')).toBe('IN');
    expect(at(dns, 'event.outcome')).toBe('success');
    expect(at(dns, 'event.type')).toEqual(['connection', 'protocol', 'info']);
    expect(at(dns, 'event.duration')).toBe(250_000_000);
    expect(at(dns, 'dns.resolved_ip')).toEqual(['192.0.2.7', '192.0.2.7']);
    expect(at(dns, 'dns.question.registered_domain')).toBe('example.co.uk');
    expect(at(dns, 'dns.question.top_level_domain')).toBe('co.uk');
    expect(at(dns, 'dns.question.subdomain')).toBe('api.shop');
    expect(at(parse({ ...flow, query: 'x.invalid', rcode: 3, rcode_name: 'NXDOMAIN' }), 'event.outcome')).toBe(
      'failure',
    );
  });

  it('maps http as a web event over tcp with the url user and parsed agent', () => {
    const http = parse({
      ...noProto,
      'id.resp_p': 80,
      trans_depth: 1,
      method: 'POST',
      host: 'portal.example.org',
      uri: '/login?next=%2Fhome',
      username: 'jdoe',
      user_agent: 'curl/8.4.0',
      status_code: 403,
    });
    expect(at(http, 'event.category')).toEqual(['network', 'web']);
    expect(at(http, 'event.action')).toBe('POST');
    expect(at(http, 'event.outcome')).toBe('failure');
    expect(at(http, 'network.transport')).toBe('tcp');
    expect(at(http, 'network.community_id')).toMatch(/^1:/);
    expect(at(http, 'url.username')).toBe('jdoe');
    expect(at(http, 'url.path')).toBe('/login');
    expect(at(http, 'user_agent.name')).toBe('curl');
    const unparsable = parse({ ...flow, trans_depth: 1, method: 'GET', uri: '/info?a&b RTSP/1.0' });
    expect(at(unparsable, 'url.original')).toBe('/info?a&b RTSP/1.0');
    expect(at(unparsable, 'url.path')).toBeUndefined();
    expect(at(unparsable, 'tags')).toEqual(['_zeek_http_url_parse_failure']);
  });

  it('maps ssl client and server, certificate dates and hashes', () => {
    const ssl = parse({
      ...noProto,
      'id.resp_p': 443,
      version: 'TLSv12',
      established: true,
      subject: 'CN=shop.example.org,O=Example\\, Ltd.,C=GB',
      ja3: 'aaaa0000aaaa0000aaaa0000aaaa0000',
      ja3s: 'bbbb1111bbbb1111bbbb1111bbbb1111',
      resp_certificate_sha1: 'abcdef0123456789abcdef0123456789abcdef01',
      not_valid_before: 1767225600,
      not_valid_after: 1798761600,
      client_subject: 'CN=laptop-42,OU=Staff',
    });
    expect(at(ssl, 'client.address')).toBe('10.0.0.5');
    expect(at(ssl, 'server.address')).toBe('10.0.0.1');
    expect(at(ssl, 'network.transport')).toBe('tcp');
    expect(at(ssl, 'tls.server.subject')).toBe('CN=shop.example.org,O=Example Ltd.,C=GB');
    expect(at(ssl, 'tls.server.x509.subject.organization')).toEqual(['Example Ltd.']);
    expect(at(ssl, 'tls.server.not_before')).toBe('2026-01-01T00:00:00.000Z');
    expect(at(ssl, 'tls.server.not_after')).toBe('2027-01-01T00:00:00.000Z');
    expect(at(ssl, 'tls.server.hash.sha1')).toBe('ABCDEF0123456789ABCDEF0123456789ABCDEF01');
    expect(at(ssl, 'tls.client.x509.subject.organizational_unit')).toEqual(['Staff']);
    expect(at(ssl, 'related.hash')).toEqual(['bbbb1111bbbb1111bbbb1111bbbb1111', 'aaaa0000aaaa0000aaaa0000aaaa0000']);
  });

  it('maps files hosts, connection id and hashes', () => {
    const file = parse({
      ts: 1767323045,
      fuid: 'FAbCdEfGh12',
      tx_hosts: ['198.51.100.20'],
      rx_hosts: ['10.0.0.5'],
      conn_uids: ['CXyZ12345678'],
      source: 'HTTP',
      mime_type: 'application/pdf',
      md5: '0123456789abcdef0123456789abcdef',
    });
    expect(at(file, 'server.ip')).toBe('198.51.100.20');
    expect(at(file, 'client.ip')).toBe('10.0.0.5');
    expect(at(file, 'event.id')).toBe('CXyZ12345678');
    expect(at(file, 'related.ip')).toEqual(['198.51.100.20', '10.0.0.5']);
    expect(at(file, 'related.hash')).toEqual(['0123456789abcdef0123456789abcdef']);
  });

  it('detects x509, weird and smtp records without a uid or _path', () => {
    const x509 = {
      ts: 1767323045,
      id: 'FQrStUvWx123',
      'certificate.version': 3,
      'certificate.sig_alg': 'sha384WithRSAEncryption',
      'certificate.exponent': '65537',
    };
    expect(sniffZeek(JSON.stringify(x509), x509)).toBe(true);
    const certificate = parse(x509);
    expect(at(certificate, 'event.id')).toBe('FQrStUvWx123');
    expect(at(certificate, 'file.x509.signature_algorithm')).toBe('SHA384-RSA');
    expect(at(certificate, 'file.x509.public_key_exponent')).toBe(65537);
    const weird = { ts: 1767323045, name: 'truncated_header', notice: false, peer: 'worker-2' };
    expect(sniffZeek(JSON.stringify(weird), weird)).toBe(true);
    expect(zeekLogType(weird)).toBe('weird');
    const smtp = parse({ ...noProto, 'id.resp_p': 25, trans_depth: 1, helo: 'mail.example.org', tls: true });
    expect(at(smtp, 'network.protocol')).toBe('smtp');
    expect(at(smtp, 'tls.established')).toBe(true);
    expect(at(smtp, 'event.type')).toEqual(['connection', 'protocol']);
  });
});
