// Zeek protocol/inventory/sensor logs: recognised without `_path`, and mapped to ECS through the
// Zeek parser (flow defaults, actions, outcomes, users, files, inventory hosts).
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { isParseFailure } from '../parser.ts';
import { sniffZeek, zeekLogType, zeekParser } from './zeek.ts';
import { zeekProtocolLogType } from './zeek-protocols.ts';

function recordOf(log: object): RawRecord {
  const text = JSON.stringify(log);
  return { text, json: JSON.parse(text), source: { kind: 'file', name: 't' }, unit: 'u', receivedAt: 0 };
}

function parse(log: object): EcsEvent {
  const result = zeekParser.parse(recordOf(log));
  if (isParseFailure(result)) throw new Error(result.reason);
  return result as EcsEvent;
}

const at = (event: EcsEvent, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as JsonObject | undefined)?.[key], event);

const tcpFlow = {
  ts: 1767323045.25,
  uid: 'CAbcdEfgh12345678',
  'id.orig_h': '10.20.30.40',
  'id.orig_p': 50123,
  'id.resp_h': '10.20.30.1',
  'id.resp_p': 445,
};

describe('zeekProtocolLogType', () => {
  it('recognises each log by the fields only it writes', () => {
    expect(zeekProtocolLogType({ ...tcpFlow, named_pipe: '\\pipe\\lsass', operation: 'LsarOpenPolicy2' })).toBe(
      'dce_rpc',
    );
    expect(zeekProtocolLogType({ ts: 1, uids: ['CAbcdEfgh1'], msg_types: ['DISCOVER'] })).toBe('dhcp');
    expect(zeekProtocolLogType({ ...tcpFlow, command: 'RETR', reply_code: 226 })).toBe('ftp');
    expect(zeekProtocolLogType({ ...tcpFlow, command: 'JOIN', value: '#ops' })).toBe('irc');
    expect(zeekProtocolLogType({ ...tcpFlow, analyzer_name: 'SSL', failure_reason: 'bad record' })).toBe('dpd');
    expect(zeekProtocolLogType({ ...tcpFlow, command: 'TREE_CONNECT', tree: '\\\\fs01\\IPC$' })).toBe('smb_cmd');
    expect(zeekProtocolLogType({ ts: 1, host: '10.1.1.9', port_num: 22, port_proto: 'tcp', service: ['SSH'] })).toBe(
      'known_services',
    );
    expect(zeekProtocolLogType({ ts: 1, host: '10.1.1.9' })).toBe('known_hosts');
    expect(zeekProtocolLogType({ ts: 1, src: '10.1.1.9', dst: '10.9.9.9', proto: 'icmp' })).toBe('traceroute');
    expect(zeekProtocolLogType({ ts: 1, peer: 'worker-2', percent_lost: 0.5, gaps: 3, acks: 600 })).toBe(
      'capture_loss',
    );
  });

  it('claims sip, signature, radius and kerberos before the core types their fields resemble', () => {
    const sip = { ...tcpFlow, method: 'INVITE', trans_depth: 0, status_code: 200, call_id: 'a@b', seq: '1 INVITE' };
    expect(zeekLogType(sip)).toBe('sip');
    const signature = { ts: 1, uid: 'CAbcdEfgh1', note: 'Signatures::Sensitive_Signature', sig_id: 's1', sub_msg: '' };
    expect(zeekLogType(signature)).toBe('signature');
    expect(zeekLogType({ ...tcpFlow, username: 'kim', mac: 'aa:bb:cc:00:11:22', result: 'success' })).toBe('radius');
    expect(zeekLogType({ ...tcpFlow, request_type: 'AS', client: 'kim/EXAMPLE.TEST', cipher: 'rc4-hmac' })).toBe(
      'kerberos',
    );
    // The core logs stay theirs.
    expect(zeekLogType({ ...tcpFlow, method: 'GET', trans_depth: 1, uri: '/' })).toBe('http');
    expect(zeekLogType({ ts: 1, note: 'Scan::Port_Scan', msg: 'x' })).toBe('notice');
  });

  it('leaves other JSON with a ts alone', () => {
    expect(zeekProtocolLogType({ ts: 1, host: 'web01' })).toBeUndefined();
    expect(zeekProtocolLogType({ ts: 1, username: 'bob', result: 'ok' })).toBeUndefined();
    expect(zeekProtocolLogType({ ts: 1, command: 'deploy', password: 'x' })).toBeUndefined();
    expect(zeekProtocolLogType({ ts: 1, host: '10.1.1.9', level: 'info' })).toBeUndefined();
    expect(zeekProtocolLogType({ ts: 1, src: '10.1.1.9', dst: '10.9.9.9', proto: 'tcp', bytes: 9 })).toBeUndefined();
    expect(sniffZeek('', { ts: 1, host: 'web01', message: 'hello' })).toBe(false);
    expect(sniffZeek('', { ts: '2026-01-02T03:04:05Z', host: '10.1.1.9' })).toBe(true);
  });

  it('auto-detects an inventory record as Zeek', () => {
    const registry = createDefaultParserRegistry();
    const result = registry.parse(
      recordOf({ ts: 1, host: '10.1.1.9', software_type: 'HTTP::SERVER', name: 'nginx' }),
      'auto',
    );
    expect(isParseFailure(result)).toBe(false);
    expect(at(result as EcsEvent, 'zeek.software.name')).toBe('nginx');
  });
});

describe('Zeek protocol log mapping', () => {
  it('gives protocol logs their transport and a Community ID when Zeek writes no proto', () => {
    const event = parse({ ...tcpFlow, _path: 'smb_mapping', path: '\\\\fs01\\share', share_type: 'DISK' });
    expect(at(event, 'network.protocol')).toBe('smb');
    expect(at(event, 'network.transport')).toBe('tcp');
    expect(at(event, 'network.community_id')).toMatch(/^1:/);
    expect(at(event, 'event.type')).toEqual(['connection', 'protocol']);
  });

  it('keeps the transport Zeek wrote', () => {
    const event = parse({ ...tcpFlow, proto: 'udp', _path: 'dce_rpc', endpoint: 'epmapper', operation: 'ept_map' });
    expect(at(event, 'network.transport')).toBe('udp');
    expect(at(event, 'event.action')).toBe('ept_map');
  });

  it('maps a DHCP lease to client and server', () => {
    const event = parse({
      ts: 1767323045.25,
      uids: ['CAbcdEfgh1', 'CAbcdEfgh2'],
      client_addr: '10.5.0.23',
      server_addr: '10.5.0.1',
      domain: 'lab.example',
      msg_types: ['REQUEST', 'ACK'],
    });
    expect(at(event, 'event.id')).toEqual(['CAbcdEfgh1', 'CAbcdEfgh2']);
    expect(at(event, 'client.address')).toBe('10.5.0.23');
    expect(at(event, 'source.port')).toBe(68);
    expect(at(event, 'destination.ip')).toBe('10.5.0.1');
    expect(at(event, 'destination.port')).toBe(67);
    expect(at(event, 'related.ip')).toEqual(['10.5.0.23', '10.5.0.1']);
    expect(at(event, 'network.name')).toBe('lab.example');
    expect(at(event, 'network.community_id')).toMatch(/^1:/);
  });

  it('maps a Kerberos ticket request to the user, realm, outcome and certificate subjects', () => {
    const event = parse({
      ...tcpFlow,
      'id.resp_p': 88,
      request_type: 'AS',
      client: 'kim/EXAMPLE.TEST',
      success: false,
      'cert.client_subject': 'CN=kim,O=Example\\, Ltd.,C=NL',
    });
    expect(at(event, 'user.name')).toBe('kim');
    expect(at(event, 'user.domain')).toBe('EXAMPLE.TEST');
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'event.category')).toEqual(['network', 'authentication']);
    expect(at(event, 'tls.client.x509.subject.organization')).toEqual(['Example Ltd.']);
    expect(at(event, 'server.address')).toBe('10.20.30.1');
  });

  it('maps an SMB file open to file fields, times cut to milliseconds', () => {
    const event = parse({
      ...tcpFlow,
      action: 'SMB::FILE_OPEN',
      path: '\\\\fs01\\data',
      name: 'report.xlsx',
      size: 2048,
      'times.modified': 1767323045.2509,
      'times.created': '2026-01-02T03:04:01.000999Z',
    });
    expect(at(event, 'file.name')).toBe('report.xlsx');
    expect(at(event, 'file.path')).toBe('\\\\\\\\fs01\\\\data\\report.xlsx');
    expect(at(event, 'file.size')).toBe(2048);
    expect(at(event, 'file.mtime')).toBe('2026-01-02T03:04:05.250Z');
    expect(at(event, 'file.created')).toBe('2026-01-02T03:04:01.000Z');
    expect(at(event, 'event.category')).toEqual(['network', 'file']);
  });

  it('maps a SIP request: method, outcome from the status, URI', () => {
    const sip = { ...tcpFlow, 'id.resp_p': 5060, trans_depth: 0, call_id: 'x1@10.20.30.40', seq: '7 REGISTER' };
    const rejected = parse({ ...sip, method: 'REGISTER', uri: 'sip:pbx.example', status_code: 403 });
    expect(at(rejected, 'event.action')).toBe('REGISTER');
    expect(at(rejected, 'event.outcome')).toBe('failure');
    expect(at(rejected, 'url.full')).toBe('sip:pbx.example');
    expect(at(rejected, 'network.transport')).toBe('udp');
    expect(at(rejected, 'http')).toBeUndefined();
    const ringing = parse({ ...sip, method: 'INVITE', status_code: 180 });
    expect(at(ringing, 'event.outcome')).toBe('success');
    expect(at(parse({ ...sip, method: 'OPTIONS' }), 'event.outcome')).toBeUndefined();
  });

  it('maps a signature match to an alert with its rule and endpoints', () => {
    const event = parse({
      ts: 1767323045.25,
      uid: 'CAbcdEfgh1',
      src_addr: '10.20.30.40',
      src_port: 40000,
      dst_addr: '10.20.30.1',
      dst_port: 80,
      note: 'Signatures::Sensitive_Signature',
      sig_id: 'lab-sig-7',
      event_msg: '10.20.30.40: probe',
      sub_msg: '',
    });
    expect(at(event, 'event.kind')).toBe('alert');
    expect(at(event, 'rule.id')).toBe('lab-sig-7');
    expect(at(event, 'rule.description')).toBe('10.20.30.40: probe');
    expect(at(event, 'source.port')).toBe(40000);
    expect(at(event, 'destination.ip')).toBe('10.20.30.1');
    expect(at(event, 'zeek.signature.sig_id')).toBe('lab-sig-7');
  });

  it('maps RADIUS and FTP users, outcomes and actions', () => {
    const radius = parse({ ...tcpFlow, 'id.resp_p': 1812, username: 'kim', result: 'failed' });
    expect(at(radius, 'user.name')).toBe('kim');
    expect(at(radius, 'related.user')).toEqual(['kim']);
    expect(at(radius, 'event.outcome')).toBe('failure');
    expect(at(radius, 'network.transport')).toBe('udp');
    expect(at(parse({ ...tcpFlow, username: 'kim', result: 'unknown' }), 'event.outcome')).toBeUndefined();
    expect(at(parse({ ...tcpFlow, username: 'kim', result: '__proto__' }), 'event.outcome')).toBeUndefined();
    const ftp = parse({ ...tcpFlow, user: 'anonymous', command: 'RETR', reply_code: 226, file_size: 77 });
    expect(at(ftp, 'event.action')).toBe('RETR');
    expect(at(ftp, 'user.name')).toBe('anonymous');
    expect(at(ftp, 'file.size')).toBe(77);
  });

  it('maps inventory logs to the host they describe', () => {
    const service = parse({
      ts: '2026-01-02T03:04:05.250Z',
      host: '10.1.1.9',
      port_num: 22,
      port_proto: 'tcp',
      service: ['SSH'],
    });
    expect(at(service, 'server.ip')).toBe('10.1.1.9');
    expect(at(service, 'server.port')).toBe(22);
    expect(at(service, 'network.application')).toEqual(['SSH']);
    expect(at(service, 'network.transport')).toBe('tcp');
    const cert = parse({
      ts: 1,
      host: '2001:db8::9',
      port_num: 443,
      subject: 'CN=intranet.example,O=Lab',
      issuer_subject: 'CN=Lab CA',
      serial: '0A1B',
    });
    expect(at(cert, 'host.ip')).toEqual(['2001:db8::9']);
    expect(at(cert, 'network.type')).toBe('ipv6');
    expect(at(cert, 'tls.server.x509.subject.common_name')).toEqual(['intranet.example']);
    expect(at(cert, 'tls.server.x509.issuer.distinguished_name')).toBe('CN=Lab CA');
    expect(at(cert, 'event.category')).toEqual(['network', 'file']);
  });

  it('marks sensor statistics as metrics without a network category', () => {
    const event = parse({ ts: 1, peer: 'worker-2', mem: 80, pkts_proc: 10, events_proc: 20, events_queued: 20 });
    expect(at(event, 'event.kind')).toBe('metric');
    expect(at(event, 'event.category')).toBeUndefined();
  });

  it('gives no Community ID for a tunnel discovered on port 0', () => {
    const event = parse({ ...tcpFlow, 'id.orig_p': 0, tunnel_type: 'Tunnel::HTTP', action: 'Tunnel::DISCOVER' });
    expect(at(event, 'event.action')).toBe('Tunnel::DISCOVER');
    expect(at(event, 'network.community_id')).toBeUndefined();
  });
});
