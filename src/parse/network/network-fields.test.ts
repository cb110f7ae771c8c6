// Community ID, MAC formatting and safe copying of decoded vendor objects.
import { describe, expect, it } from 'vitest';
import { communityId, formatMac, safeCopy } from './network-fields.ts';

describe('communityId', () => {
  it('hashes a TCP flow the same in both directions', () => {
    const forward = communityId(6, '192.168.15.224', '175.16.199.1', 52984, 443);
    expect(forward).toBe('1:uw+iNVMmjYN9VAmQZQDw4+dyarA=');
    expect(communityId(6, '175.16.199.1', '192.168.15.224', 443, 52984)).toBe(forward);
  });

  it('pairs ICMP echo request and reply, and hashes IPv6', () => {
    expect(communityId(1, '10.0.0.1', '10.0.0.2', 8, 0)).toBe(communityId(1, '10.0.0.2', '10.0.0.1', 0, 0));
    expect(communityId(6, '2001:db8::1', '2001:db8::2', 1, 2)).toMatch(/^1:/);
    expect(communityId(6, '2001:db8::1', '10.0.0.1', 1, 2)).toBeUndefined();
    expect(communityId(6, '10.0.0.1', '10.0.0.2', undefined, 2)).toBeUndefined();
  });
});

describe('formatMac', () => {
  it('writes upper-case dash-separated pairs and rejects other lengths', () => {
    expect(formatMac('00:1b:17:00:01:18')).toBe('00-1B-17-00-01-18');
    expect(formatMac('001b.1700.0118')).toBe('00-1B-17-00-01-18');
    expect(formatMac('00:1b')).toBeUndefined();
  });
});

describe('safeCopy', () => {
  it('drops prototype keys and cuts very deep nesting', () => {
    const copied = safeCopy(JSON.parse('{"a":1,"__proto__":{"x":1},"b":{"constructor":2,"c":[1,{"d":2}]}}')) as Record<
      string,
      unknown
    >;
    expect(copied).toEqual({ a: 1, b: { c: [1, { d: 2 }] } });
    let deep: unknown = 'leaf';
    for (let index = 0; index < 10_000; index++) deep = { deep };
    expect(() => safeCopy(deep)).not.toThrow();
  });
});
