import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createSyslogParser } from './syslog-parser.ts';

const parser = createSyslogParser();
const receivedAt = Date.parse('2026-11-22T08:00:00Z');

function record(text: string, extra: Partial<RawRecord> = {}): RawRecord {
  return { text, unit: 'unit-a', receivedAt, source: { kind: 'test', name: 'test' }, ...extra };
}

function parse(text: string, extra: Partial<RawRecord> = {}): EcsEvent {
  const result = parser.parse(record(text, extra));
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result for ${text}`);
  return result;
}

describe('syslog parser', () => {
  it('maps the header to ECS and keeps the raw line and unit', () => {
    const line =
      '<86>Feb 21 21:54:44 web-1 sshd[3402]: Accepted publickey for alice from 10.0.2.2 port 63673 ssh2: RSA SHA256:x';
    const event = parse(line);
    expect(event).toMatchObject({
      '@timestamp': '2026-02-21T21:54:44.000Z',
      unit: 'unit-a',
      message: 'Accepted publickey for alice from 10.0.2.2 port 63673 ssh2: RSA SHA256:x',
      event: {
        original: line,
        kind: 'event',
        action: 'ssh_login',
        category: ['authentication', 'session'],
        outcome: 'success',
      },
      host: { hostname: 'web-1', name: 'web-1' },
      process: { name: 'sshd', pid: 3402 },
      source: { ip: '10.0.2.2', port: 63673 },
      user: { name: 'alice' },
      related: { ip: ['10.0.2.2'], user: ['alice'], hosts: ['web-1'] },
      log: {
        syslog: {
          priority: 86,
          facility: { code: 10, name: 'authpriv' },
          severity: { code: 6, name: 'Informational' },
        },
      },
    });
  });

  it('maps RFC 5424 fields under log.syslog', () => {
    const event = parse('<165>1 2003-10-11T22:14:15.003Z mymachine su 77 ID47 [origin ip="192.0.2.1"] su failed');
    expect(event['log']).toEqual({
      syslog: {
        priority: 165,
        facility: { code: 20, name: 'local4' },
        severity: { code: 5, name: 'Notice' },
        version: '1',
        hostname: 'mymachine',
        appname: 'su',
        procid: '77',
        msgid: 'ID47',
        structured_data: { origin: { ip: '192.0.2.1' } },
      },
    });
    expect(event['@timestamp']).toBe('2003-10-11T22:14:15.003Z');
  });

  it('reads zone-less times in the record time zone', () => {
    const event = parse('Jul  4 12:00:00 h cron[1]: job', { timezone: 'Europe/Berlin' });
    expect(event['@timestamp']).toBe('2026-07-04T10:00:00.000Z');
    expect(event.event?.['timezone']).toBe('Europe/Berlin');
  });

  it.each([
    [
      'sshd[1]: Failed password for invalid user admin from 203.0.113.9 port 4242 ssh2',
      { user: { name: 'admin' }, source: { ip: '203.0.113.9', port: 4242 }, event: { outcome: 'failure' } },
    ],
    [
      'sshd[1]: message repeated 3 times: [ Failed password for root from 203.0.113.9 port 58 ssh2]',
      { user: { name: 'root' }, event: { action: 'ssh_login', outcome: 'failure' } },
    ],
    [
      'sshd[1]: Disconnected from authenticating user root 203.0.113.9 port 58 [preauth]',
      { user: { name: 'root' }, source: { ip: '203.0.113.9' }, event: { action: 'ssh_disconnect' } },
    ],
    [
      'sshd[1]: Received disconnect from 203.0.113.9 port 58:11: Bye Bye [preauth]',
      { source: { ip: '203.0.113.9', port: 58 }, event: { type: ['connection', 'end'] } },
    ],
    [
      'sshd[1]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.9  user=root',
      {
        user: { name: 'root' },
        source: { ip: '203.0.113.9' },
        event: { category: ['authentication'], outcome: 'failure' },
      },
    ],
    [
      'sshd[1]: pam_unix(sshd:session): session opened for user bob by (uid=0)',
      {
        user: { name: '', id: '0', effective: { name: 'bob' } },
        related: { user: ['bob'] },
        event: { action: 'logged-on', category: ['session'] },
      },
    ],
    [
      'sudo: bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh',
      {
        user: { name: 'bob', effective: { name: 'root' } },
        system: { auth: { sudo: { error: '3 incorrect password attempts', command: '/bin/sh' } } },
        event: { category: ['process'], outcome: 'failure' },
      },
    ],
    [
      'sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
      {
        user: { name: 'alice', effective: { name: 'root' } },
        system: { auth: { sudo: { tty: 'pts/0', pwd: '/home/alice', command: '/bin/ls' } } },
        event: { category: ['process'] },
      },
    ],
    [
      'su[9]: FAILED SU (to root) bob on pts/1',
      { user: { name: 'bob', effective: { name: 'root' } }, event: { action: 'su', outcome: 'failure' } },
    ],
    [
      'su[9]: Successful su for root by bob',
      { user: { name: 'bob', effective: { name: 'root' } }, event: { outcome: 'success' } },
    ],
    [
      "usermod[5]: add 'bob' to group 'sudo'",
      {
        user: { name: 'bob', target: { name: 'bob' } },
        group: { name: 'sudo' },
        event: { action: 'group-member-added', category: ['iam'], type: ['user', 'change'] },
      },
    ],
    [
      'CRON[77]: (root) CMD (/usr/local/bin/backup.sh --full)',
      { user: { name: 'root' }, process: { name: 'CRON', command_line: '/usr/local/bin/backup.sh --full' } },
    ],
    [
      'systemd-logind[610]: New session 42 of user bob.',
      { user: { name: 'bob' }, event: { action: 'logged-on', category: ['session'], type: ['start'] } },
    ],
    ['systemd-logind[610]: Removed session 42.', { event: { action: 'logged-off', type: ['end'] } }],
    [
      "passwd[5]: password for 'bob' changed by 'root'",
      { user: { name: 'root', target: { name: 'bob' } }, event: { action: 'password-changed' } },
    ],
    ["userdel[5]: delete user 'bob'", { user: { name: 'bob' }, event: { type: ['user', 'deletion'] } }],
    ["groupdel[5]: group 'ops' removed", { group: { name: 'ops' }, event: { type: ['group', 'deletion'] } }],
    [
      'passwd[5]: pam_unix(passwd:chauthtok): password changed for bob',
      { user: { name: 'bob', target: { name: 'bob' } }, event: { action: 'password-changed', type: ['change'] } },
    ],
    [
      'sudo[3]: carol : PWD=/srv ; USER=root ; COMMAND=/usr/bin/id',
      { user: { name: 'carol', effective: { name: 'root' } }, event: { category: ['process'], type: ['start'] } },
    ],
    [
      'sudo[3]: carol : TTY=pts/4 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl --user restart --now nginx.service',
      { service: { name: 'nginx' }, event: { action: 'service-restart', category: ['process'], type: ['change'] } },
    ],
    [
      'sudo[3]: carol : TTY=pts/4 ; PWD=/srv ; USER=root ; COMMAND=/bin/systemctl stop cups',
      { service: { name: 'cups' }, event: { action: 'service-stop', type: ['end'] } },
    ],
    [
      'systemd[1]: Started cups.service - CUPS Scheduler.',
      { event: { action: 'service-start', category: ['process'], type: ['start'] } },
    ],
    ['systemd[1]: Stopped Network Time Service.', { event: { action: 'service-stop', type: ['end'] } }],
    [
      'useradd[8]: new user: name=dave, UID=2001, GID=2002, home=/home/dave, shell=/bin/zsh',
      {
        user: { name: 'dave', id: '2001', target: { name: 'dave', id: '2001' } },
        group: { id: '2002' },
        event: { action: 'user-created', type: ['user', 'creation'], outcome: 'success' },
      },
    ],
    [
      "useradd[8]: failed adding user 'erin', exit code: 9",
      { user: { name: 'erin' }, event: { category: ['iam'], type: ['user', 'creation'], outcome: 'failure' } },
    ],
    [
      "userdel[8]: delete 'dave' from shadow group 'audio'",
      {
        user: { target: { name: 'dave' } },
        group: { name: 'audio' },
        event: { action: 'group-member-removed', type: ['user', 'deletion'] },
      },
    ],
    [
      "userdel[8]: removed group 'dave' owned by 'dave'",
      { group: { name: 'dave' }, user: { target: { name: 'dave' } }, event: { type: ['group', 'deletion'] } },
    ],
    ["userdel[8]: removed shadow group 'dave'", { group: { name: 'dave' }, event: { type: ['user', 'deletion'] } }],
    [
      'gpasswd[8]: user frank added by root to group docker',
      {
        user: { name: 'root', target: { name: 'frank' } },
        group: { name: 'docker' },
        related: { user: ['root', 'frank'] },
        event: { category: ['iam'], type: ['change'] },
      },
    ],
    [
      'groupdel[8]: an unreadable message',
      { event: { action: 'group-deleted', category: ['iam'], type: ['group', 'deletion'], outcome: 'success' } },
    ],
    [
      'passwd[5]: pam_unix(passwd:chauthtok): new password not acceptable',
      { event: { action: 'password-changed', type: ['change'], outcome: 'failure' } },
    ],
    [
      'passwd[5]: pam_unix(passwd:chauthtok): authentication failure; logname=gina uid=1000 euid=0 tty=pts/1 ruser= rhost=  user=hank',
      {
        user: { name: 'gina', target: { name: 'hank' } },
        event: { category: ['iam', 'authentication'], type: ['change', 'info'], outcome: 'failure' },
      },
    ],
    [
      'sshd[6]: pam_faillock(sshd:auth): Consecutive login failures for user ivan account temporarily locked',
      { user: { name: 'ivan' }, event: { action: 'account-locked', category: ['authentication'], outcome: 'failure' } },
    ],
    [
      'sshd[6]: pam_succeed_if(sshd:auth): requirement "uid >= 1000" not met by user "root"',
      { user: { name: 'root' } },
    ],
    ['sshd[6]: subsystem request for sftp by user judy', { user: { name: 'judy' } }],
    [
      'unix_chkpwd[7]: password check failed for user (kim)',
      { user: { name: 'kim' }, event: { category: ['authentication'], type: ['info'], outcome: 'failure' } },
    ],
    ["chfn[7]: changed user 'lena' information", { user: { name: 'lena' } }],
  ])('extracts %s', (body, expected) => {
    expect(parse(`Nov 20 10:00:00 host ${body}`)).toMatchObject(expected);
  });

  it('does not call a sudo command that ran a failure', () => {
    const event = parse('Nov 20 10:00:00 host sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls');
    expect((event.event as Record<string, unknown>)['outcome']).toBeUndefined();
    expect(
      (event as { system?: { auth?: { sudo?: Record<string, unknown> } } }).system?.auth?.sudo?.['error'],
    ).toBeUndefined();
  });

  it('takes the message without the padding after the tag', () => {
    const event = parse('Nov 20 10:00:00 host sudo:   carol : (command continued) /tmp/x');
    expect(event.message).toBe('carol : (command continued) /tmp/x');
  });

  it('keeps a first token that is no host name in the message', () => {
    const event = parse('2026-03-01T08:00:00Z Updater[77/0x7000] [lvl=2] checking {all} products');
    expect(event.message).toBe('Updater[77/0x7000] [lvl=2] checking {all} products');
    expect(event['host']).toBeUndefined();
    expect(parse('Mar 9 01:02:03 --- last message repeated 4 times ---').message).toBe(
      '--- last message repeated 4 times ---',
    );
  });

  it('maps syslog and journald messages that arrive as shipper JSON documents', () => {
    const journald = {
      '@timestamp': '2026-02-03T04:05:06.789Z',
      message: 'Accepted password for mona from 198.51.100.7 port 40022 ssh2',
      host: { hostname: 'db-7', name: 'db-7' },
      process: { pid: 4321, command_line: 'sshd: mona [priv]' },
      user: { id: '0', effective: { id: '0' } },
      syslog: { identifier: 'sshd', pid: 4321 },
      journald: { pid: 4321 },
    };
    expect(parser.sniff!(JSON.stringify(journald), journald)).toBe(true);
    const event = parser.parse(record(JSON.stringify(journald), { json: journald })) as EcsEvent;
    expect(event).toMatchObject({
      '@timestamp': '2026-02-03T04:05:06.789Z',
      message: journald.message,
      event: { kind: 'event', original: journald.message, action: 'ssh_login', outcome: 'success' },
      process: { name: 'sshd', pid: 4321, command_line: 'sshd: mona [priv]' },
      user: { name: 'mona', id: '0' },
      source: { ip: '198.51.100.7', port: 40022 },
      related: { hosts: ['db-7'], user: ['mona'], ip: ['198.51.100.7'] },
    });
    // The record's own JSON is not changed by the enrichment.
    expect(journald.user).toEqual({ id: '0', effective: { id: '0' } });

    const shipped = {
      '@timestamp': '2026-02-03T04:05:07.000Z',
      message: 'pam_unix(passwd:chauthtok): password changed for nina',
      log: { syslog: { appname: 'passwd', hostname: 'db-7' } },
      host: { hostname: 'db-7' },
      user: { name: 'oscar' },
    };
    const changed = parser.parse(record(JSON.stringify(shipped), { json: shipped })) as EcsEvent;
    expect(changed).toMatchObject({
      user: { name: 'oscar', target: { name: 'nina' } },
      related: { user: ['oscar', 'nina'] },
      event: { action: 'password-changed', outcome: 'success' },
    });
    expect(parser.sniff!('{"message":"hello"}', { message: 'hello' })).toBe(false);
  });

  it('reads a sudo command line that lost its syslog header', () => {
    const text = '  paula : TTY=pts/2 ; PWD=/opt ; USER=root ; COMMAND=/usr/bin/du -sh /opt';
    expect(parser.sniff!(text, undefined)).toBe(true);
    expect(parse(text)).toMatchObject({
      '@timestamp': new Date(receivedAt).toISOString(),
      message: text,
      event: { original: text, category: ['process'], type: ['start'] },
      process: { name: 'sudo' },
      user: { name: 'paula', effective: { name: 'root' } },
      system: { auth: { sudo: { command: '/usr/bin/du -sh /opt', pwd: '/opt', tty: 'pts/2' } } },
    });
    expect(parser.sniff!('paula : went home ; USER=root', undefined)).toBe(false);
  });

  it('fails (as a value) on a line that is not syslog', () => {
    const result = parser.parse(record('just some text'));
    expect(isParseFailure(result)).toBe(true);
  });

  it('sniffs syslog but not the bodies of more specific formats', () => {
    const sniff = (text: string) => parser.sniff!(text, undefined);
    expect(sniff('Feb 21 21:54:44 localhost sshd[3402]: Accepted password')).toBe(true);
    expect(sniff('<13>1 2020-01-01T00:00:00Z host app - - - msg')).toBe(true);
    expect(sniff('2018-08-14T14:30:02.203151+02:00 linux-sqrz systemd[4179]: Stopped target.')).toBe(true);
    expect(sniff('Sep 19 08:26:10 host CEF:0|Security|threatmanager|1.0|100|worm|10|src=10.0.0.1')).toBe(false);
    expect(sniff('<13>Sep 19 08:26:10 host LEEF:1.0|Microsoft|MSExchange|4.0|15345|src=1')).toBe(false);
    expect(sniff('Apr 15 2013 09:36:50: %ASA-4-106023: Deny tcp src dmz:10.1.2.30/63016')).toBe(false);
    expect(sniff('Nov 30 16:44:36 PA-220 1,2018/11/30 16:44:36,012801096514,THREAT,url')).toBe(false);
    expect(sniff('<185>date=2026-03-31 time=07:48:26 devname="MYDEV" devid="X"')).toBe(false);
    expect(sniff('Jan  5 20:17:05 fw kernel: [WAN]IN=eth0 OUT=eth2 MAC=00 SRC=1.2.3.4 DST=5.6.7.8')).toBe(false);
    expect(sniff('2020-01-01 a sentence')).toBe(false);
    expect(sniff('{"message":"Feb 21 21:54:44 localhost sshd"}')).toBe(false);
  });
});

describe.skipIf(!hasSharedData('loghub'))('syslog parser on loghub samples', () => {
  function parseFile(name: string): EcsEvent[] {
    const lines = readFileSync(sharedData('loghub', name), 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    return lines.map((line) => {
      const result = parser.parse(record(line));
      if (isParseFailure(result) || Array.isArray(result)) throw new Error(`failed: ${line}`);
      return result;
    });
  }

  it('parses every OpenSSH line and extracts users and source addresses', () => {
    const events = parseFile('OpenSSH/OpenSSH_2k.log');
    expect(events).toHaveLength(2000);
    expect(events.every((event) => (event['process'] as { name?: string })?.name === 'sshd')).toBe(true);
    const withSource = events.filter((event) => event['source'] !== undefined).length;
    const failures = events.filter((event) => event.event?.['outcome'] === 'failure').length;
    const successes = events.filter((event) => event.event?.['outcome'] === 'success').length;
    // The sample is dominated by brute-force attempts against LabSZ.
    expect(withSource).toBeGreaterThan(1700);
    expect(failures).toBeGreaterThan(900);
    expect(successes).toBeGreaterThan(0);
  });

  it('parses every Linux syslog line with host, program and timestamp', () => {
    const events = parseFile('Linux/Linux_2k.log');
    expect(events).toHaveLength(2000);
    for (const event of events) {
      expect(event['host']).toMatchObject({ hostname: 'combo' });
      expect(event['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const authFailures = events.filter((event) => event.event?.['action'] === 'authentication_failure');
    expect(authFailures.length).toBeGreaterThan(100);
    expect(authFailures.some((event) => (event['source'] as { ip?: string })?.ip === '218.188.2.4')).toBe(true);
  });
});
