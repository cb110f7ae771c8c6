import { describe, expect, it } from 'vitest';
import { facilityName, parseSyslogHeader, severityName } from './syslog-header.ts';

const receivedAt = Date.parse('2026-11-22T08:00:00Z');

describe('parseSyslogHeader: RFC 5424', () => {
  it('reads every header field, structured data and the message', () => {
    const line =
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] An application event';
    const header = parseSyslogHeader(line, { receivedAt });
    expect(header).toMatchObject({
      format: 'rfc5424',
      priority: 165,
      facility: 20,
      severity: 5,
      timestamp: Date.parse('2003-10-11T22:14:15.003Z'),
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      procId: '1234',
      pid: 1234,
      msgId: 'ID47',
      message: 'An application event',
    });
    expect(header?.structuredData?.['exampleSDID@32473']?.['eventSource']).toBe('Application');
    expect(header?.structuredData?.['examplePriority@32473']?.['class']).toBe('high');
    expect(line.slice(header!.messageOffset)).toBe('An application event');
  });

  it('treats - as absent, strips the BOM, unescapes SD values and honours offsets', () => {
    const header = parseSyslogHeader('<34>1 2003-10-11T22:14:15.003-07:00 - su - - [a x="q\\"u\\]o"] \uFEFFhello', {});
    expect(header).toMatchObject({ hostname: undefined, appName: 'su', procId: undefined, msgId: undefined });
    expect(header?.timestamp).toBe(Date.parse('2003-10-12T05:14:15.003Z'));
    expect(header?.structuredData?.['a']?.['x']).toBe('q"u]o');
    expect(header?.message).toBe('hello');
  });

  it('accepts a nil timestamp and a message-less record', () => {
    const header = parseSyslogHeader('<13>1 - host app - - -');
    expect(header).toMatchObject({ timestamp: undefined, hostname: 'host', appName: 'app', message: '' });
  });

  it('returns a partial header for a truncated record and rejects garbage after the version', () => {
    expect(parseSyslogHeader('<13>1 2020-01-01T00:00:00Z host')).toMatchObject({ hostname: 'host', message: '' });
    expect(parseSyslogHeader('<13>1 not-a-date host app - - - x')).toBeUndefined();
    expect(parseSyslogHeader('<13>1 2020-01-01T00:00:00Z h a p m [broken')).toBeUndefined();
    expect(parseSyslogHeader('<13>1 2020-01-01T00:00:00Z h a p m [id flag] then a="b"')).toBeUndefined();
  });

  it('does not let SD-IDs named __proto__ touch prototypes', () => {
    const header = parseSyslogHeader('<13>1 - h a - - [__proto__ polluted="yes"] m');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.entries(header?.structuredData ?? {})).toEqual([['__proto__', { polluted: 'yes' }]]);
  });
});

describe('parseSyslogHeader: RFC 3164 / BSD', () => {
  it('reads PRI, BSD date, host, tag and pid', () => {
    const header = parseSyslogHeader(
      '<38>Feb 21 21:54:44 localhost sshd[3402]: Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2',
      { receivedAt },
    );
    expect(header).toMatchObject({
      format: 'rfc3164',
      priority: 38,
      facility: 4,
      severity: 6,
      hostname: 'localhost',
      appName: 'sshd',
      procId: '3402',
      pid: 3402,
      message: 'Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2',
    });
    expect(new Date(header!.timestamp!).toISOString()).toBe('2026-02-21T21:54:44.000Z');
  });

  it('infers the year: at most one day in the future of the receive time', () => {
    const inDecember = parseSyslogHeader('Dec 31 23:59:59 h app: x', {
      receivedAt: Date.parse('2027-01-01T00:30:00Z'),
    });
    expect(new Date(inDecember!.timestamp!).toISOString()).toBe('2026-12-31T23:59:59.000Z');
    const tomorrow = parseSyslogHeader('Nov 23 07:00:00 h app: x', { receivedAt });
    expect(new Date(tomorrow!.timestamp!).toISOString()).toBe('2026-11-23T07:00:00.000Z');
    const twoDaysAhead = parseSyslogHeader('Nov 24 09:00:00 h app: x', { receivedAt });
    expect(new Date(twoDaysAhead!.timestamp!).toISOString()).toBe('2025-11-24T09:00:00.000Z');
    const leapDay = parseSyslogHeader('Feb 29 10:00:00 h app: x', { receivedAt });
    expect(new Date(leapDay!.timestamp!).toISOString()).toBe('2024-02-29T10:00:00.000Z');
  });

  it('reads zone-less times in the given zone (IANA or offset)', () => {
    const berlin = parseSyslogHeader('Jul  4 12:00:00 h app: x', { receivedAt, timezone: 'Europe/Berlin' });
    expect(new Date(berlin!.timestamp!).toISOString()).toBe('2026-07-04T10:00:00.000Z');
    const gmtMinus2 = parseSyslogHeader('2019-06-14T10:40:20.912134 localhost sudo: pam', { timezone: 'GMT-0200' });
    expect(new Date(gmtMinus2!.timestamp!).toISOString()).toBe('2019-06-14T12:40:20.912Z');
  });

  it('reads rsyslog ISO timestamps with their own offset', () => {
    const header = parseSyslogHeader(
      '2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target Basic System.',
      { timezone: 'America/New_York' },
    );
    expect(header).toMatchObject({ hostname: 'linux-sqrz', appName: 'systemd', pid: 4179 });
    expect(new Date(header!.timestamp!).toISOString()).toBe('2018-08-14T12:30:02.203Z');
    const compact = parseSyslogHeader('1986-04-26T01:23:45.101+0400 rmbkmonitor04 shutdown[2649]: halt');
    expect(new Date(compact!.timestamp!).toISOString()).toBe('1986-04-25T21:23:45.101Z');
  });

  it('handles the Cisco shapes: year in the date, colon after the date, no host', () => {
    const withYear = parseSyslogHeader('Oct 10 2018 12:34:56 localhost CiscoASA[999]: %ASA-4-113029: Group');
    expect(withYear).toMatchObject({
      hostname: 'localhost',
      appName: 'CiscoASA',
      pid: 999,
      message: '%ASA-4-113029: Group',
    });
    expect(new Date(withYear!.timestamp!).toISOString()).toBe('2018-10-10T12:34:56.000Z');
    const colon = parseSyslogHeader('<165>Oct 04 2019 15:27:55: %ASA-5-106100: access-list');
    expect(colon).toMatchObject({ priority: 165, hostname: undefined, appName: undefined });
    expect(colon?.message).toBe('%ASA-5-106100: access-list');
    const spacedColon = parseSyslogHeader('Apr 17 2020 14:08:08 SNL-ASA-VPN-A01 : %ASA-6-302016: Teardown');
    expect(spacedColon).toMatchObject({
      hostname: 'SNL-ASA-VPN-A01',
      appName: undefined,
      message: '%ASA-6-302016: Teardown',
    });
  });

  it('takes a first token ending in a colon as the tag of a host-less line', () => {
    const header = parseSyslogHeader('Feb 21 21:54:44 sshd[12]: Accepted password', { receivedAt });
    expect(header).toMatchObject({ hostname: undefined, appName: 'sshd', pid: 12, message: 'Accepted password' });
  });

  it('keeps bodies without a tag intact (PAN-OS CSV, CEF, key=value)', () => {
    const panos = parseSyslogHeader('Nov 30 16:44:36 PA-220 1,2018/11/30 16:44:36,012801096514,THREAT,url', {
      receivedAt,
    });
    expect(panos).toMatchObject({
      hostname: 'PA-220',
      appName: undefined,
      message: '1,2018/11/30 16:44:36,012801096514,THREAT,url',
    });
    const cef = parseSyslogHeader(
      'Sep 19 08:26:10 host CEF:0|Security|threatmanager|1.0|100|worm: stopped|10|src=10.0.0.1',
      {
        receivedAt,
      },
    );
    expect(cef).toMatchObject({ hostname: 'host', appName: undefined });
    expect(cef?.message.startsWith('CEF:0|')).toBe(true);
  });

  it('reads tags with spaces and parentheses as macOS and PAM write them', () => {
    const chrome = parseSyslogHeader('Dec 13 11:35:57 a-mac Google Chrome[85294]: objc[85294]: __weak', { receivedAt });
    expect(chrome).toMatchObject({ appName: 'Google Chrome', pid: 85294, message: 'objc[85294]: __weak' });
    const pam = parseSyslogHeader('Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure;', {
      receivedAt,
    });
    expect(pam).toMatchObject({ appName: 'sshd(pam_unix)', pid: 19939 });
    const noPid = parseSyslogHeader('Jan  5 20:17:05 MainFirewall kernel: [LAN_LOCAL-default-A]IN=eth0', {
      receivedAt,
    });
    expect(noPid).toMatchObject({ appName: 'kernel', pid: undefined, message: '[LAN_LOCAL-default-A]IN=eth0' });
  });

  it('accepts a PRI followed directly by a body (FortiGate)', () => {
    const header = parseSyslogHeader('<185>date=2026-03-31 time=07:48:26 devname="MYDEV"');
    expect(header).toMatchObject({ priority: 185, facility: 23, severity: 1 });
    expect(header?.timestamp).toBeUndefined();
    expect(header?.message).toBe('date=2026-03-31 time=07:48:26 devname="MYDEV"');
  });
});

describe('parseSyslogHeader: not syslog and hostile input', () => {
  it.each([
    '',
    'hello world',
    '{"a":1}',
    '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326',
    '<999>Jan  1 00:00:00 h a: b',
    '<12',
    'Foo 12 12:00:00 host app: x',
    'Jan 12 12:00:00x',
    '2020-01-01 is a date-led sentence',
  ])('returns undefined for %j', (line) => {
    expect(parseSyslogHeader(line)).toBeUndefined();
  });

  it('never throws on truncated headers', () => {
    const full = '<165>1 2003-10-11T22:14:15.003Z host app 12 ID [sd a="b"] msg';
    for (let length = 0; length <= full.length; length++)
      expect(() => parseSyslogHeader(full.slice(0, length))).not.toThrow();
    const bsd = '<38>Feb 21 21:54:44 localhost sshd[3402]: Accepted';
    for (let length = 0; length <= bsd.length; length++)
      expect(() => parseSyslogHeader(bsd.slice(0, length))).not.toThrow();
  });

  it('stays fast on a 16 MB line and on binary input', () => {
    const huge = `<13>Jan  1 00:00:00 host ${'a'.repeat(16 * 1024 * 1024)}`;
    const started = performance.now();
    const header = parseSyslogHeader(huge);
    expect(header?.hostname).toBe('host');
    expect(header?.message.length).toBe(16 * 1024 * 1024);
    expect(parseSyslogHeader(`<13>1 - ${'x'.repeat(16 * 1024 * 1024)}`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parseSyslogHeader('\u0000\uFFFD\uD800<13>')).toBeUndefined();
  });

  it('names facilities and severities', () => {
    expect(facilityName(4)).toBe('auth');
    expect(facilityName(23)).toBe('local7');
    expect(severityName(3)).toBe('Error');
    expect(severityName(9)).toBeUndefined();
  });
});
