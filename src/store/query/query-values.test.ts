import { describe, expect, it } from 'vitest';
import { parseCidrValue, parseIpValue, parseNumberValue, parseTimeValue } from './query-values.ts';

const now = Date.parse('2026-11-22T08:30:45.500Z');

describe('parseTimeValue', () => {
  it('reads ISO times (UTC when no zone), dates, epoch ms and now-relative times', () => {
    expect(parseTimeValue('2026-11-22T07:00:00Z', now)).toEqual({
      ms: Date.parse('2026-11-22T07:00:00Z'),
      wholeDay: false,
    });
    expect(parseTimeValue('2026-11-22T07:00:00.123+02:00', now)?.ms).toBe(Date.parse('2026-11-22T05:00:00.123Z'));
    expect(parseTimeValue('2026-11-22 07:00', now)?.ms).toBe(Date.parse('2026-11-22T07:00:00Z'));
    expect(parseTimeValue('2026-11-22', now)).toEqual({ ms: Date.parse('2026-11-22T00:00:00Z'), wholeDay: true });
    expect(parseTimeValue('1795330800000', now)?.ms).toBe(1795330800000);
    expect(parseTimeValue('now', now)?.ms).toBe(now);
    expect(parseTimeValue('now-15m', now)?.ms).toBe(now - 15 * 60_000);
    expect(parseTimeValue('now+2h', now)?.ms).toBe(now + 2 * 3_600_000);
    expect(parseTimeValue('now-1d/d', now)?.ms).toBe(Date.parse('2026-11-21T00:00:00Z'));
    expect(parseTimeValue('now-1M', now)?.ms).toBe(Date.parse('2026-10-22T08:30:45.500Z'));
  });

  it('refuses anything else', () => {
    for (const text of ['yesterday', '2026-02-30', '2026-13-01', 'now-5x', '22/11/2026', '12345']) {
      expect(parseTimeValue(text, now), text).toBeUndefined();
    }
  });
});

describe('IP values', () => {
  it('maps IPv4 into the IPv6 space and parses IPv6 forms', () => {
    expect(parseIpValue('10.0.0.1')).toBe(0xffff0a000001n);
    expect(parseIpValue('::ffff:10.0.0.1')).toBe(0xffff0a000001n);
    expect(parseIpValue('2001:db8::1')).toBe((0x20010db8n << 96n) + 1n);
    expect(parseIpValue('::')).toBe(0n);
    for (const text of ['10.0.0', '256.1.1.1', '1::2::3', 'host', '1:2:3:4:5:6:7:8:9']) {
      expect(parseIpValue(text), text).toBeUndefined();
    }
  });

  it('turns CIDR blocks into inclusive ranges', () => {
    expect(parseCidrValue('10.1.2.3/8')).toEqual({
      low: 0xffff0a000000n,
      high: 0xffff0affffffn,
      v4: { low: 0x0a000000, high: 0x0affffff },
    });
    expect(parseCidrValue('0.0.0.0/0')?.v4).toEqual({ low: 0, high: 0xffffffff });
    expect(parseCidrValue('fe80::/10')).toMatchObject({ low: 0xfe80n << 112n, high: (0xfec0n << 112n) - 1n });
    for (const text of ['10.0.0.0/33', '10.0.0.0', '10.0.0.0/x', 'fe80::/129']) {
      expect(parseCidrValue(text), text).toBeUndefined();
    }
  });
});

describe('parseNumberValue', () => {
  it('reads decimal numbers only', () => {
    expect(parseNumberValue('42')).toBe(42);
    expect(parseNumberValue('-1.5e3')).toBe(-1500);
    expect(parseNumberValue('0x10')).toBeUndefined();
    expect(parseNumberValue('')).toBeUndefined();
    expect(parseNumberValue('1e999')).toBeUndefined();
  });
});
