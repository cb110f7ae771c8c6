import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './parse-timestamp.ts';
import { localTimeToEpochMs, resolveTimeZone, toIsoUtc } from './time-zone.ts';

const iso = (value: number | undefined): string | undefined => (value === undefined ? undefined : toIsoUtc(value));

describe('parseTimestamp', () => {
  it.each([
    ['2019-06-14T10:40:20.912134Z', undefined, '2019-06-14T10:40:20.912Z'],
    ['2019-06-14T10:40:20.912134', 'GMT-0200', '2019-06-14T12:40:20.912Z'],
    ['2019-06-14 10:40:20', '+05:30', '2019-06-14T05:10:20.000Z'],
    ['1986-04-26T01:23:45.101+0400', 'Europe/Berlin', '1986-04-25T21:23:45.101Z'],
    ['2021/03/04 05:06:07', undefined, '2021-03-04T05:06:07.000Z'],
    ['2024-02-29', undefined, '2024-02-29T00:00:00.000Z'],
    ['10/Oct/2000:13:55:36 -0700', undefined, '2000-10-10T20:55:36.000Z'],
    ['Wed Oct 11 14:32:52.123456 2000', undefined, '2000-10-11T14:32:52.123Z'],
    ['Oct 10 2018 12:34:56', 'America/New_York', '2018-10-10T16:34:56.000Z'],
    ['1700000000', undefined, '2023-11-14T22:13:20.000Z'],
    ['1700000000.5', undefined, '2023-11-14T22:13:20.500Z'],
    ['1700000000123', undefined, '2023-11-14T22:13:20.123Z'],
    ['1773733509096718719', undefined, '2026-03-17T07:45:09.096Z'],
    ['Wed, 21 Oct 2015 07:28:00 GMT', undefined, '2015-10-21T07:28:00.000Z'],
  ])('%s in %s', (text, timezone, expected) => {
    expect(iso(parseTimestamp(text, { timezone }))).toBe(expected);
  });

  it.each(['', 'yesterday', '2019-02-30T00:00:00Z', '2019-13-01', '32/Oct/2000:13:55:36 -0700', 'x'.repeat(100)])(
    'rejects %j',
    (text) => {
      expect(parseTimestamp(text)).toBeUndefined();
    },
  );

  it('infers the year of BSD dates from the reference time', () => {
    const referenceMs = Date.parse('2026-01-01T00:10:00Z');
    expect(iso(parseTimestamp('Dec 31 23:50:00', { referenceMs }))).toBe('2025-12-31T23:50:00.000Z');
    expect(iso(parseTimestamp('Jan  1 00:20:00', { referenceMs }))).toBe('2026-01-01T00:20:00.000Z');
  });
});

describe('time zones', () => {
  it('applies daylight saving time of IANA zones', () => {
    expect(iso(localTimeToEpochMs(2026, 1, 15, 12, 0, 0, 0, 'Europe/Berlin'))).toBe('2026-01-15T11:00:00.000Z');
    expect(iso(localTimeToEpochMs(2026, 7, 15, 12, 0, 0, 0, 'Europe/Berlin'))).toBe('2026-07-15T10:00:00.000Z');
    expect(iso(localTimeToEpochMs(2026, 7, 15, 12, 0, 0, 0, 'Asia/Kolkata'))).toBe('2026-07-15T06:30:00.000Z');
    // Ambiguous fall-back hour: the earlier instant.
    expect(iso(localTimeToEpochMs(2026, 10, 25, 2, 30, 0, 0, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('resolves offsets in the spellings configs use and rejects unknown zones', () => {
    expect(resolveTimeZone('+05:00')?.offsetMinutesAt(0)).toBe(300);
    expect(resolveTimeZone('-0200')?.offsetMinutesAt(0)).toBe(-120);
    expect(resolveTimeZone('GMT-0200')?.offsetMinutesAt(0)).toBe(-120);
    expect(resolveTimeZone('UTC')?.offsetMinutesAt(0)).toBe(0);
    expect(resolveTimeZone('Mars/Olympus')).toBeUndefined();
    expect(resolveTimeZone('+25:00')).toBeUndefined();
  });

  it('formats only representable instants', () => {
    expect(toIsoUtc(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(toIsoUtc(Number.NaN)).toBeUndefined();
    expect(toIsoUtc(1e20)).toBeUndefined();
  });
});
