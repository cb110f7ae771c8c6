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

  it('sniffs load balancer lines only', () => {
    expect(parser.sniff!(alb, undefined)).toBe(true);
    expect(parser.sniff!(classic, undefined)).toBe(true);
    expect(parser.sniff!('http 2026 x', undefined)).toBe(false);
    expect(parser.sniff!('1.2.3.4 - - [07/Dec/2016:11:05:07 +0100] "GET / HTTP/1.1" 200 5', undefined)).toBe(false);
    expect(parser.sniff!('2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped', undefined)).toBe(false);
    expect(
      isParseFailure(parser.parse({ text: 'https "open', unit: 'u', receivedAt: 0, source: { kind: 't', name: 't' } })),
    ).toBe(true);
  });
});
