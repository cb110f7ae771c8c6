import { describe, expect, it } from 'vitest';
import { UserAgentParser } from './user-agent.ts';

describe('UserAgentParser', () => {
  const parser = new UserAgentParser();

  it.each([
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36',
      {
        name: 'Chrome',
        version: '70.0.3538.102',
        os: { name: 'Mac OS X', version: '10.14.0', full: 'Mac OS X 10.14.0' },
        device: { name: 'Mac' },
      },
    ],
    [
      'Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2',
      { name: 'Firefox Alpha', os: { name: 'Windows', version: '7', full: 'Windows 7' }, device: { name: 'Other' } },
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
      { name: 'Edge', os: { name: 'Windows', version: '10' } },
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
      { name: 'Mobile Safari', version: '17.1', os: { name: 'iOS', version: '17.1' }, device: { name: 'iPhone' } },
    ],
    [
      'Mozilla/5.0 (compatible; Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)',
      { name: 'Facebot', version: '1.0', device: { name: 'Spider' } },
    ],
    [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      { name: 'Googlebot', device: { name: 'Spider' } },
    ],
    ['curl/7.58.0', { name: 'curl', version: '7.58.0', device: { name: 'Other' } }],
    ['-', { name: 'Other', device: { name: 'Other' } }],
  ])('%s', (text, expected) => {
    expect(parser.parse(text)).toMatchObject({ original: text, ...expected });
  });

  it('returns a fresh object each time, so enrichment cannot corrupt the cache', () => {
    const first = parser.parse('curl/8.0.0');
    first['name'] = 'changed';
    expect(parser.parse('curl/8.0.0')['name']).toBe('curl');
  });

  it('handles huge and binary agents without work', () => {
    expect(parser.parse('x'.repeat(100_000))).toMatchObject({ name: 'Other' });
    expect(parser.parse('\u0000\uFFFD\uD800')).toMatchObject({ name: 'Other' });
  });
});
