import { describe, expect, it } from 'vitest';
import type { EcsEvent } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createElbParser } from './elb-parser.ts';

const parser = createElbParser();
const alb =
  'https 2026-11-20T10:00:00.186641Z app/web-lb/50dc6c495c0c9188 203.0.113.5:2817 10.0.0.1:443 0.000 0.001 0.000 502 - 34 366 "POST https://shop.example.com:443/login?next=%2Fcart HTTP/2.0" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/t/73e2 "Root=1-58337262-36d228ad5d99923122bbe354" "shop.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/x" 1 2026-11-20T09:59:59.000000Z "forward" "-" "-" "10.0.0.1:443" "-" "-" "-"';
const classic =
  '2026-11-20T10:00:00.000000Z my-classic 198.51.100.9:51000 10.0.1.5:80 0.00004 0.0012 0.00002 200 200 0 512 "GET http://www.example.com:80/index.html HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0" - -';

function parse(text: string): EcsEvent {
  const result = parser.parse({ text, unit: 'u', receivedAt: 0, source: { kind: 'test', name: 'test' } });
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result for ${text}`);
  return result;
}

describe('aws-elb', () => {
  it('maps an ALB line', () => {
    expect(parse(alb)).toMatchObject({
      '@timestamp': '2026-11-20T10:00:00.186Z',
      event: { outcome: 'failure', start: '2026-11-20T09:59:59.000Z', category: ['web'] },
      source: { ip: '203.0.113.5', port: 2817 },
      destination: { ip: '10.0.0.1', port: 443 },
      http: {
        request: { method: 'POST', body: { bytes: 34 } },
        response: { status_code: 502, body: { bytes: 366 } },
        version: '2.0',
      },
      url: { scheme: 'https', domain: 'shop.example.com', port: 443, path: '/login', query: 'next=/cart' },
      tls: { version: '1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' },
      user_agent: { name: 'curl' },
      cloud: { provider: 'aws' },
      aws: { elb: { name: 'app/web-lb/50dc6c495c0c9188', type: 'https', action_executed: ['forward'] } },
    });
  });

  it('maps a Classic ELB line', () => {
    expect(parse(classic)).toMatchObject({
      source: { ip: '198.51.100.9', port: 51000 },
      http: { response: { status_code: 200 } },
      url: { path: '/index.html', extension: 'html' },
      user_agent: { name: 'Firefox', os: { name: 'Linux' } },
    });
  });

  it('maps a Classic ELB TCP/SSL listener line as a connection with byte counts', () => {
    const event = parse(
      '2026-11-20T10:05:00.100000Z edge-lb 198.51.100.20:40100 10.0.2.7:8443 0.0009 0.00001 0.00002 - - 120 4096 "- - - " "-" ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.3',
    );
    expect(event).toMatchObject({
      event: { category: ['network'] },
      source: { ip: '198.51.100.20', port: 40100, bytes: 120 },
      destination: { ip: '10.0.2.7', bytes: 4096 },
      tls: { cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384', version: '1.3', version_protocol: 'tls' },
      aws: { elb: { protocol: 'tcp', name: 'edge-lb' } },
    });
    expect(event['http']).toBeUndefined();
    expect((event['event'] as Record<string, unknown>)['outcome']).toBeUndefined();
  });

  it('maps an NLB TLS listener line (times in ms, SNI, ALPN preference list)', () => {
    const event = parse(
      'tls 2.0 2026-11-20T11:00:09 net/api-nlb/0f1e2d3c4b5a6978 aa11bb22cc33dd44 203.0.113.77:50123 10.0.3.9:443 12 4 310 2048 - arn:aws:acm:eu-west-1:123456789012:certificate/abcd - ECDHE-RSA-AES128-GCM-SHA256 tlsv12 - api.example.net h2 h2 "h2","http/1.1" 2026-11-20T10:59:58',
    );
    expect(event).toMatchObject({
      '@timestamp': '2026-11-20T11:00:09.000Z',
      event: { category: ['network'], end: '2026-11-20T11:00:09.000Z' },
      source: { ip: '203.0.113.77', port: 50123, bytes: 310 },
      destination: { bytes: 2048, domain: 'api.example.net' },
      tls: { cipher: 'ECDHE-RSA-AES128-GCM-SHA256', version: '1.2', version_protocol: 'tls', next_protocol: 'h2' },
      aws: {
        elb: {
          type: 'tls',
          listener: 'aa11bb22cc33dd44',
          connection_time: { ms: 12 },
          tls_handshake_time: { ms: 4 },
          chosen_cert: { arn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abcd' },
          alpn_client_preference_list: 'h2","http/1.1',
          tls_connection_creation_time: '2026-11-20T10:59:58.000Z',
          backend: { ip: '10.0.3.9', port: '443' },
        },
      },
    });
  });

  it('reads NLB 1.0 lines (no ALPN fields) and escaped preference lists', () => {
    const old = parse(
      'tls 1.0 2026-11-20T11:00:09 net/api-nlb/0f1e2d3c4b5a6978 aa11bb22cc33dd44 203.0.113.77:50123 10.0.3.9:443 - - 0 0 - - - - - - -',
    );
    expect(old).toMatchObject({ source: { bytes: 0 }, destination: { bytes: 0 } });
    expect(old['tls']).toBeUndefined();
    const escaped = parse(
      'tls 2.0 2026-11-20T11:00:09 net/api-nlb/0f1e2d3c4b5a6978 aa11bb22cc33dd44 203.0.113.77:50123 10.0.3.9:443 1 1 5 5 - - - TLS_AES_128_GCM_SHA256 tlsv13 - - http/1.1 http/1.1 \\"http/1.1\\" -',
    );
    expect(escaped).toMatchObject({
      tls: { version: '1.3' },
      aws: { elb: { alpn_client_preference_list: 'http/1.1' } },
    });
  });

  it('maps ALB connection logs to client.* with the mTLS certificate and verify status', () => {
    const ok = parse(
      '2026-11-20T12:00:00.250000Z 192.0.2.44 51515 443 TLSv1.3 TLS_AES_256_GCM_SHA384 2.5 "CN=device-7,O=Example Corp,C=DE" NotBefore=2026-01-01T00:00:00Z;NotAfter=2027-01-01T00:00:00Z 0A1B2C3D Success TID_abc123',
    );
    expect(ok).toMatchObject({
      '@timestamp': '2026-11-20T12:00:00.250Z',
      event: { category: ['network'], outcome: 'success' },
      client: { ip: '192.0.2.44', port: 51515 },
      tls: {
        cipher: 'TLS_AES_256_GCM_SHA384',
        version: '1.3',
        client: {
          x509: {
            serial_number: '0A1B2C3D',
            not_before: '2026-01-01T00:00:00.000Z',
            subject: { distinguished_name: 'CN=device-7,O=Example Corp,C=DE' },
          },
        },
      },
      aws: {
        elb: { listener: '443', tls_handshake_latency: 2.5, tls_verify_status: 'Success', conn_trace_id: 'TID_abc123' },
      },
    });
    expect(ok['source']).toBeUndefined();
    const failed = parse(
      '2026-11-20T12:00:01.000000Z 192.0.2.45 51516 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 - "CN=old" NotBefore=2020-01-01T00:00:00Z;NotAfter=2021-01-01T00:00:00Z 01 Failed:ClientCertExpired',
    );
    expect(failed).toMatchObject({
      event: { outcome: 'failure' },
      aws: { elb: { tls_verify_status: 'Failed', tls_error_code: 'ClientCertExpired' } },
    });
    const plain = parse('2026-11-20T12:00:02.000000Z 192.0.2.46 40000 80 - - - "-" - - - TID_def456');
    expect(plain).toMatchObject({ client: { ip: '192.0.2.46', port: 40000 }, aws: { elb: { listener: '80' } } });
    expect(plain['tls']).toBeUndefined();
  });

  it('keeps spaces inside ALB request URLs, drops URLs with a broken port, and tolerates a missing space', () => {
    const spaced = parse(
      'http 2026-11-20T13:00:00.000000Z app/web-lb/50dc6c495c0c9188 203.0.113.9:3000 - -1 -1 -1 400 - 10 20 "GET http://10.9.8.7:80/run?a=1 b=2 HTTP/1.1" "Odd agent, v1" - - - "-" "-" "-" 0 2026-11-20T13:00:00.000000Z "-" "-" "-" "-" "-" "Ambiguous" "SpaceInUri"',
    );
    expect(spaced).toMatchObject({
      http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 400 } },
      url: { path: '/run', query: 'a=1 b=2', port: 80 },
      user_agent: { original: 'Odd agent, v1' },
      aws: { elb: { classification: 'Ambiguous', classification_reason: 'SpaceInUri' } },
    });
    const broken = parse(
      'http 2026-11-20T13:00:01.000000Z app/web-lb/50dc6c495c0c9188 203.0.113.9:3001 - -1 -1 -1 400 - 0 0 "- http://shop.example.com:80- -" "-" - - - "-" "-" "-" - 2026-11-20T13:00:01.000000Z "-" "-" "-"',
    );
    expect(broken['url']).toBeUndefined();
    expect(broken).toMatchObject({ http: { response: { status_code: 400 } }, user_agent: { original: '-' } });
    const squashed = parse(
      'wss 2026-11-20T13:00:02.000000Z app/web-lb/50dc6c495c0c9188 203.0.113.9:3002 10.0.0.5:8080 0.000 0.001 0.000 101 101 100 200 "GET https://10.0.0.30:443/ HTTP/1.1" "-" - - arn:tg "Root=1-abc" "-" "-"1 2026-11-20T13:00:01.500000Z "forward" "-" "-"',
    );
    expect(squashed).toMatchObject({
      event: { start: '2026-11-20T13:00:01.500Z' },
      aws: { elb: { matched_rule_priority: '1', action_executed: ['forward'] } },
    });
  });

  it('reads IPv6 client addresses', () => {
    const event = parse(alb.replace('203.0.113.5:2817', '2001:db8::7:2817'));
    expect(event).toMatchObject({ source: { ip: '2001:db8::7', port: 2817 } });
  });

  it('sniffs load balancer lines only', () => {
    expect(parser.sniff!(alb, undefined)).toBe(true);
    expect(parser.sniff!(classic, undefined)).toBe(true);
    expect(
      parser.sniff!(
        'tls 2.0 2026-11-20T11:00:09 net/a/b l 203.0.113.7:5 10.0.3.9:443 1 1 5 5 - - - - - - - - - - -',
        undefined,
      ),
    ).toBe(true);
    expect(parser.sniff!('2026-11-20T12:00:02.000000Z 192.0.2.46 40000 80 - - - "-" - - - TID_1', undefined)).toBe(
      true,
    );
    expect(
      parser.sniff!('2026-11-20T12:00:02.000000Z 192.0.2.46 sshd[22]: Accepted password for x from 1.2.3.4', undefined),
    ).toBe(false);
    expect(parser.sniff!('2026-11-20T12:00:02.000000Z 10.1.1.1 514 1 kernel: a b c d e f g h', undefined)).toBe(false);
    expect(parser.sniff!('http 2026 x', undefined)).toBe(false);
    expect(parser.sniff!('1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 200 5', undefined)).toBe(false);
    expect(parser.sniff!('2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped', undefined)).toBe(false);
    expect(
      isParseFailure(parser.parse({ text: 'https "open', unit: 'u', receivedAt: 0, source: { kind: 't', name: 't' } })),
    ).toBe(true);
  });
});
