import { describe, expect, it } from 'vitest';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { at, evtxEvent, parseOne } from './windows-test-support.ts';

const parser = createEvtxJsonParser();
const security = { provider: 'Microsoft-Windows-Security-Auditing', keywords: '0x8020000000000000' };

describe('Security mappings', () => {
  it('maps a network logon (4624) to the target user, source address and logon session', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4624,
        {
          SubjectUserSid: 'S-1-5-18',
          SubjectUserName: 'SRV-01$',
          SubjectDomainName: 'CORP',
          SubjectLogonId: '0x3e7',
          TargetUserSid: 'S-1-5-21-9-9-9-1105',
          TargetUserName: 'carol',
          TargetDomainName: 'CORP',
          TargetLogonId: '0x8d2f1',
          LogonType: '3',
          WorkstationName: 'WS-22',
          ProcessId: '0x0',
          ProcessName: '-',
          IpAddress: '::ffff:10.20.30.40',
          IpPort: '51515',
        },
        security,
      ),
    );
    expect(event.event).toMatchObject({
      code: '4624',
      action: 'logged-in',
      category: ['authentication'],
      type: ['start'],
      outcome: 'success',
    });
    expect(event.user).toEqual({ id: 'S-1-5-21-9-9-9-1105', name: 'carol', domain: 'CORP' });
    expect(event.source).toEqual({ ip: '10.20.30.40', port: 51515, domain: 'WS-22' });
    expect(at(event, 'winlog.logon')).toEqual({ id: '0x8d2f1', type: 'Network' });
    expect(at(event, 'related.user')).toEqual(['SRV-01$', 'carol']);
    expect(event.process).toBeUndefined();
  });

  it('marks failed logons (4625) as failures with their status codes', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4625,
        {
          TargetUserName: 'admin',
          TargetDomainName: 'CORP',
          Status: '0xc000006d',
          SubStatus: '0xc000006a',
          LogonType: 10,
        },
        { ...security, keywords: '0x8010000000000000' },
      ),
    );
    expect(at(event, 'event.outcome')).toBe('failure');
    expect(at(event, 'winlog.logon')).toEqual({
      type: 'RemoteInteractive',
      failure: { status: '0xc000006d', sub_status: '0xc000006a' },
    });
  });

  it('maps account and group management to user.target and group', () => {
    const created = parseOne(
      parser,
      evtxEvent(
        4720,
        {
          SubjectUserName: 'admin',
          SubjectDomainName: 'CORP',
          SubjectUserSid: 'S-1-5-21-1-500',
          TargetUserName: 'backdoor',
          TargetDomainName: 'CORP',
          TargetSid: 'S-1-5-21-1-1337',
        },
        security,
      ),
    );
    expect(created.user).toEqual({
      id: 'S-1-5-21-1-500',
      name: 'admin',
      domain: 'CORP',
      target: { id: 'S-1-5-21-1-1337', name: 'backdoor', domain: 'CORP' },
    });
    expect(at(created, 'event.action')).toBe('added-user-account');
    const added = parseOne(
      parser,
      evtxEvent(
        4732,
        {
          MemberName: 'CN=Back Door,OU=Users,DC=corp,DC=example',
          MemberSid: 'S-1-5-21-1-1337',
          TargetUserName: 'Administrators',
          TargetDomainName: 'Builtin',
          TargetSid: 'S-1-5-32-544',
          SubjectUserName: 'admin',
        },
        security,
      ),
    );
    expect(added.group).toEqual({ id: 'S-1-5-32-544', name: 'Administrators', domain: 'Builtin' });
    expect(at(added, 'user.target')).toEqual({ id: 'S-1-5-21-1-1337', name: 'Back Door' });
    expect(at(added, 'event.type')).toEqual(['group', 'change']);
  });

  it('maps the audit log cleared event (1102) from UserData', () => {
    const json = evtxEvent(
      1102,
      {},
      { provider: 'Microsoft-Windows-Eventlog', channel: 'Security', keywords: '0x4020000000000000' },
    );
    const eventElement = json.Event as Record<string, unknown>;
    delete eventElement.EventData;
    eventElement.UserData = {
      LogFileCleared: {
        SubjectUserSid: 'S-1-5-21-1-500',
        SubjectUserName: 'admin',
        SubjectDomainName: 'CORP',
        SubjectLogonId: '0x7b186',
      },
    };
    const event = parseOne(parser, json);
    expect(at(event, 'event.action')).toBe('audit-log-cleared');
    expect(at(event, 'user.name')).toBe('admin');
    expect(at(event, 'winlog.event_data.SubjectUserName')).toBe('admin');
  });
});

describe('Service Control Manager mappings', () => {
  it('maps a service installation (7045) to service.* and user.name', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        7045,
        {
          ServiceName: 'PSEXESVC',
          ImagePath: '%SystemRoot%\\PSEXESVC.exe',
          ServiceType: 'user mode service',
          StartType: 'demand start',
          AccountName: 'LocalSystem',
        },
        { provider: 'Service Control Manager', channel: 'System' },
      ),
    );
    expect(event.event).toMatchObject({ code: '7045', action: 'service-installed', category: ['configuration'] });
    expect(event.service).toEqual({ name: 'PSEXESVC', type: 'user mode service' });
    expect(at(event, 'winlog.event_data.ImagePath')).toBe('%SystemRoot%\\PSEXESVC.exe');
  });
});
