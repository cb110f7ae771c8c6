// PAN-OS log types beyond TRAFFIC/THREAT basics: detection without a syslog hostname, the
// high-resolution timestamp, GlobalProtect, User-ID, HIP match, authentication, decryption,
// tunnel inspection, GTP, SCTP, IP tag, correlation, audit and shipper JSON documents.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { at, parseText, textRecord } from '../parse-test-support.ts';
import { panosParser, sniffPanos } from './panos.ts';

const record = (text: string, timezone?: string, json?: JsonObject): RawRecord =>
  textRecord(text, { timezone, json, receivedAt: 0 });
const parse = (text: string, timezone?: string): EcsEvent => parseText(panosParser, text, { timezone, receivedAt: 0 });

/** A CSV record: header fields 0–6 then `fields` placed at their PAN-OS positions (7 …). */
function line(type: string, subType: string, fields: Record<number, string>, length: number): string {
  const values = Array.from({ length }, (_, index) => fields[index] ?? '');
  values.splice(0, 7, '1', '2026/02/03 04:05:06', '0099887766', type, subType, '2561', '2026/02/03 04:05:01');
  return values.join(',');
}

describe('PAN-OS detection', () => {
  const globalProtect = line(
    'GLOBALPROTECT',
    '0',
    {
      7: 'vsys1',
      8: 'gateway-auth',
      9: 'login',
      12: 'corp\\dana',
      14: 'LAPTOP-7',
      15: '203.0.113.40',
      17: '10.8.0.12',
    },
    40,
  );

  it('finds the record after a syslog header without a hostname', () => {
    const text = `Feb  3 04:05:07 ${globalProtect}`;
    expect(sniffPanos(text)).toBe(true);
    expect(createDefaultParserRegistry().detect(record(text))?.format).toBe('panos');
    expect(at(parse(text), 'event.code')).toBe('gateway-auth');
  });

  it('reads the message of a shipper document about PAN-OS, and no other JSON', () => {
    const document = { message: globalProtect, observer: { vendor: 'Palo Alto Networks' } };
    expect(sniffPanos(JSON.stringify(document), document)).toBe(true);
    const event = panosParser.parse(record(JSON.stringify(document), '+01:00', document)) as EcsEvent;
    expect(at(event, 'event.original')).toBe(globalProtect);
    expect(at(event, 'source.ip')).toBe('10.8.0.12');
    const asText = panosParser.parse(record(JSON.stringify(document))) as EcsEvent;
    expect(at(asText, 'event.original')).toBe(globalProtect);
    const other = { message: globalProtect, service: 'log-relay' };
    expect(sniffPanos(JSON.stringify(other), other)).toBe(false);
  });
});

describe('PAN-OS timestamps', () => {
  it('takes the receive time, and the high-resolution timestamp when the firewall sets one', () => {
    const stamped = line(
      'SYSTEM',
      'general',
      { 8: 'general', 13: 'high', 22: 'fw-b', 25: '2026-02-03T04:05:01.250+01:00' },
      26,
    );
    expect(parse(stamped, '+01:00')['@timestamp']).toBe('2026-02-03T03:05:01.250Z');
    const unset = line('SYSTEM', 'general', { 8: 'general', 22: 'fw-b', 25: '1970-01-01T01:00:00.000+01:00' }, 26);
    // Receive time (field 1, 04:05:06), not the generated time (04:05:01).
    expect(parse(unset, '+01:00')['@timestamp']).toBe('2026-02-03T03:05:06.000Z');
  });
});

describe('PAN-OS TRAFFIC and THREAT', () => {
  it('hashes only flows with ports, keeps 0.0.0.0 NAT out of source.nat and counts a denied drop twice', () => {
    const ping = line(
      'TRAFFIC',
      'drop',
      {
        7: '10.1.1.5',
        8: '192.0.2.80',
        9: '0.0.0.0',
        10: '0.0.0.0',
        11: 'block-icmp',
        24: '0',
        25: '0',
        26: '0',
        27: '0',
      },
      53,
    )
      .split(',')
      .map((value, index) => (index === 28 ? '0x100000' : index === 29 ? 'icmp' : index === 30 ? 'deny' : value))
      .join(',');
    const event = parse(ping);
    expect(at(event, 'network.community_id')).toBeUndefined();
    expect(at(event, 'source.nat')).toBeUndefined();
    expect(at(event, 'related.ip')).toEqual(['10.1.1.5', '192.0.2.80']);
    expect(at(event, 'event.type')).toEqual(['denied', 'denied', 'connection']);
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'labels')).toEqual({ non_standard_port_usage: true });
  });

  it('keeps the commas of a braced Link Switches column inside that column', () => {
    const fields: Record<number, string> = { 7: '10.1.1.5', 8: '192.0.2.80', 29: 'tcp', 30: 'allow', 52: 'fw-c' };
    fields[69] = '{wan1,tag-a,ethernet}';
    fields[82] = 'desk-12';
    const event = parse(line('TRAFFIC', 'end', fields, 103));
    expect(at(event, 'observer.hostname')).toBe('fw-c');
    expect(at(event, 'related.hosts')).toEqual(['fw-c', 'desk-12']);
  });

  it('splits a scheme-less URL, names files and parses the user agent of THREAT records', () => {
    const base = {
      7: '10.1.1.5',
      8: '192.0.2.80',
      24: '50123',
      25: '8443',
      29: 'tcp',
      34: 'high',
      35: 'server-to-client',
    };
    const url = parse(
      line(
        'THREAT',
        'url',
        { ...base, 30: 'block-url', 31: 'shop.example.net:8443/cart/pay.php?id=7', 46: 'curl/8.5.0' },
        60,
      ),
    );
    expect(at(url, 'url')).toEqual({
      original: 'shop.example.net:8443/cart/pay.php?id=7',
      domain: 'shop.example.net',
      port: 8443,
      path: '/cart/pay.php',
      query: 'id=7',
      extension: 'php',
    });
    expect(at(url, 'destination.domain')).toBeUndefined();
    expect(at(url, 'event.outcome')).toBe('failure');
    expect(at(url, 'event.type')).toEqual(['denied']);
    expect(at(url, 'network.direction')).toBe('outbound');
    expect(at(url, 'event.severity')).toBe(2);
    expect(at(url, 'user_agent.name')).toBe('curl');
    const emptyQuery = parse(line('THREAT', 'url', { ...base, 30: 'alert', 31: 'files.example.net/get.cgi?' }, 60));
    expect(at(emptyQuery, 'url.query')).toBe('');
    expect(at(emptyQuery, 'destination.domain')).toBe('files.example.net');
    const virus = parse(line('THREAT', 'virus', { ...base, 30: 'alert', 31: 'invoice.pdf.exe' }, 60));
    expect(at(virus, 'file.name')).toBe('invoice.pdf.exe');
    expect(at(virus, 'url')).toBeUndefined();
    expect(at(virus, 'event.action')).toBe('virus_detected');
    expect(at(virus, 'event.outcome')).toBe('success');
  });
});

describe('PAN-OS other log types', () => {
  it('maps GlobalProtect users, hosts and addresses', () => {
    const event = parse(
      line(
        'GLOBALPROTECT',
        '0',
        {
          7: 'vsys1',
          8: 'portal-auth',
          12: 'dana@corp.example',
          14: 'LAPTOP-7',
          15: '203.0.113.40',
          17: '10.8.0.12',
          19: 'host-uuid-1',
          22: 'Windows',
          23: 'Windows 11',
          28: 'failure',
          30: '12',
        },
        40,
      ),
    );
    expect(at(event, 'source.user')).toEqual({ name: 'dana', domain: 'corp.example' });
    expect(at(event, 'user.name')).toBe('dana');
    expect(at(event, 'source.nat.ip')).toBe('203.0.113.40');
    expect(at(event, 'host')).toEqual({
      name: 'laptop-7',
      ip: ['10.8.0.12'],
      id: 'host-uuid-1',
      os: { family: 'Windows', full: 'Windows 11' },
    });
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'event.duration')).toBe(12e9);
    expect(at(event, 'related.hosts')).toEqual(['laptop-7']);
  });

  it('maps User-ID, HIP match, authentication and correlation records', () => {
    const userId = parse(
      line('USERID', 'login', { 8: '10.2.3.4', 9: 'corp\\erin', 11: '0', 14: '0', 15: '0', 25: 'fw-d' }, 32),
    );
    expect(at(userId, 'event.category')).toEqual(['network', 'iam']);
    expect(at(userId, 'source.user.domain')).toBe('corp');
    expect(at(userId, 'observer.hostname')).toBe('fw-d');
    const hip = parse(
      line('HIPMATCH', '0', { 7: 'erin', 9: 'MAC-9', 11: '10.2.3.4', 26: '2001:db8::9', 29: 'aa:bb:cc:00:11:22' }, 31),
    );
    expect(at(hip, 'source.ip')).toBe('2001:db8::9');
    expect(at(hip, 'host.mac')).toBe('AA-BB-CC-00-11-22');
    expect(at(hip, 'network.type')).toBe('ipv6');
    const auth = parse(
      line(
        'AUTHENTICATION',
        'login',
        { 8: '10.2.3.4', 9: 'erin', 10: 'corp\\erin', 20: 'auth-fail', 29: 'fw-d', 40: 'desk-3' },
        46,
      ),
    );
    expect(at(auth, 'source.user.name')).toEqual(['erin', 'corp\\erin']);
    expect(at(auth, 'event.outcome')).toBe('failure');
    expect(at(auth, 'related.hosts')).toEqual(['fw-d', 'desk-3']);
    const correlation = parse(line('CORRELATION', '0', { 7: '10.2.3.4', 8: 'erin', 11: 'critical', 17: 'fw-d' }, 22));
    expect(at(correlation, 'event.severity')).toBe(1);
    expect(at(correlation, 'user.name')).toBe('erin');
  });

  it('maps decryption TLS details', () => {
    const event = parse(
      line(
        'DECRYPTION',
        '0',
        {
          7: '10.1.1.5',
          8: '192.0.2.80',
          24: '50123',
          25: '443',
          29: 'tcp',
          30: 'allow',
          39: 'TLS1.3',
          41: 'AES_128_GCM',
          49: '0a1b2c',
          50: 'ffee00',
          51: '2026/01/01 00:00:00',
          54: '4096',
          60: 'api.example.org',
          61: 'Example CA',
          63: 'api.example.org',
        },
        97,
      ),
    );
    expect(at(event, 'tls')).toMatchObject({
      version: '1.3',
      version_protocol: 'tls',
      cipher: 'AES_128_GCM',
      client: {
        server_name: 'api.example.org',
        not_before: '2026-01-01T00:00:00.000Z',
        hash: { sha256: 'ffee00' },
        x509: { serial_number: '0a1b2c', public_key_size: 4096, issuer: { common_name: ['Example CA'] } },
      },
    });
    expect(at(event, 'related.hash')).toEqual(['ffee00']);
    expect(at(event, 'event.outcome')).toBe('success');
  });

  it('maps tunnel inspection, GTP, SCTP and IP tag records', () => {
    const tunnel = parse(
      line(
        'START',
        'start',
        {
          7: '10.1.1.5',
          8: '192.0.2.80',
          24: '1000',
          25: '2152',
          29: 'udp',
          30: 'allow',
          47: '900',
          61: '2026/02/03 04:00:00',
          62: '60',
          63: 'gtp-inspect',
          64: '198.51.100.7',
        },
        83,
      ),
    );
    expect(at(tunnel, 'event.type')).toEqual(['allowed', 'start', 'connection']);
    expect(at(tunnel, 'event.action')).toBe('flow_started');
    expect(at(tunnel, 'event.end')).toBe('2026-02-03T04:01:00.000Z');
    expect(at(tunnel, 'rule.name')).toBe('gtp-inspect');
    expect(at(tunnel, 'related.ip')).toContain('198.51.100.7');
    const gtp = parse(
      line(
        'GTP',
        '0',
        { 7: '10.1.1.5', 8: '192.0.2.80', 29: 'udp', 36: '198.51.100.8', 41: 'low', 78: 'gtp-rule' },
        94,
      ),
    );
    expect(at(gtp, 'rule.name')).toBe('gtp-rule');
    expect(at(gtp, 'related.ip')).toContain('198.51.100.8');
    const sctp = parse(
      line('SCTP', '0', { 7: '10.1.1.5', 8: '192.0.2.80', 30: 'sctp', 37: 'fw-e', 60: '30', 61: '10', 62: '20' }, 65),
    );
    expect(at(sctp, 'network.transport')).toBe('sctp');
    expect(at(sctp, 'source.packets')).toBe(10);
    expect(at(sctp, 'observer.hostname')).toBe('fw-e');
    const tag = parse(line('IPTAG', 'register', { 8: '10.4.4.4', 9: 'quarantine', 10: '42', 23: 'fw-e' }, 26));
    expect(at(tag, 'event.code')).toBe('42');
    expect(at(tag, 'source.ip')).toBe('10.4.4.4');
  });

  it('maps CONFIG commands and the audit log', () => {
    const config = parse(
      line('CONFIG', '0', { 7: '10.9.9.9', 9: 'override', 10: 'admin', 12: 'Succeeded', 23: 'fw-f' }, 25),
    );
    expect(at(config, 'event.action')).toBeUndefined();
    expect(at(config, 'event.outcome')).toBe('success');
    expect(at(config, 'observer.hostname')).toBe('fw-f');
    expect(at(config, 'related.user')).toEqual(['admin']);
    const commit = parse(
      line('CONFIG', '0', { 7: '10.9.9.9', 9: 'commit', 10: 'ops', 11: 'Web', 12: 'Submitted' }, 16),
    );
    expect(at(commit, 'event.action')).toBe('cmd-commit');
    expect(at(commit, 'event.outcome')).toBe('unknown');
    const text =
      'Feb 03 04:05:06 10.20.30.1 0099887766,2026/02/03 04:05:06,audit,2561,cli-op,ops,"<show><system/></show>",success';
    expect(sniffPanos(text)).toBe(true);
    const audit = parse(text, '-03:00');
    expect(audit['@timestamp']).toBe('2026-02-03T07:05:06.000Z');
    expect(at(audit, 'source.ip')).toBe('10.20.30.1');
    expect(at(audit, 'observer.serial_number')).toBe('0099887766');
    expect(at(audit, 'message')).toBe('2561,cli-op,ops,"<show><system/></show>",success');
  });
});
