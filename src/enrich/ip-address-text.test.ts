import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseAddress, parseIpv4Number } from './ip-address-text.ts';

const isPublic = (ip: string) => isPublicAddress(parseAddress(ip));

describe('IPv4 text', () => {
  it('parses dotted quads to unsigned numbers', () => {
    expect(parseIpv4Number('0.0.0.0')).toBe(0);
    expect(parseIpv4Number('255.255.255.255')).toBe(4294967295);
    expect(parseIpv4Number('10.1.2.3')).toBe(0x0a010203);
  });

  it('rejects near-misses', () => {
    for (const bad of [
      '256.0.0.1',
      '1.2.3',
      '1.2.3.4.5',
      '1..2.3',
      '01.2.3.4',
      '1.2.3.4 ',
      'a.b.c.d',
      '',
      '1.2.3.-4',
    ]) {
      expect(parseIpv4Number(bad), bad).toBe(-1);
    }
  });
});

describe('public addresses', () => {
  it('treats private, loopback, link-local, CGNAT, multicast and documentation ranges as not public', () => {
    for (const ip of [
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.10.10',
      '100.64.0.1',
      '100.127.255.255',
      '224.0.0.251',
      '239.255.255.250',
      '255.255.255.255',
      '0.0.0.0',
      '192.0.2.1',
      '198.51.100.7',
      '203.0.113.9',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '2001:db8::1',
      '::ffff:192.168.1.1',
    ]) {
      expect(isPublic(ip), ip).toBe(false);
    }
  });

  it('treats the addresses around those ranges as public', () => {
    for (const ip of [
      '8.8.8.8',
      '172.32.0.1',
      '172.15.255.255',
      '100.128.0.1',
      '11.0.0.1',
      '2001:4860:4860::8888',
      '::ffff:8.8.8.8',
    ]) {
      expect(isPublic(ip), ip).toBe(true);
    }
    expect(isPublic('not-an-ip')).toBe(false);
  });
});
