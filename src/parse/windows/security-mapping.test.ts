import { describe, expect, it } from 'vitest';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { at, evtxEvent, parseOne } from './windows-test-support.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

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
    expect(at(event, 'related.user')).toEqual(['carol', 'SRV-01$']);
    // Like Elastic, the kernel's placeholder process (0x0, "-") is kept as logged.
    expect(event.process).toEqual({ pid: 0, executable: '-', name: '-' });
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
    expect(at(added, 'user.target')).toEqual({
      id: 'S-1-5-21-1-1337',
      name: 'Back Door',
      domain: 'example',
      group: { id: 'S-1-5-32-544', name: 'Administrators', domain: 'Builtin' },
    });
    expect(at(added, 'related.user')).toEqual(['admin', 'Back Door']);
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

describe('Security mappings: who acted on whom', () => {
  const admin = {
    SubjectUserSid: 'S-1-5-21-7-7-7-500',
    SubjectUserName: 'ops-admin',
    SubjectDomainName: 'NORTHWIND',
    SubjectLogonId: '0x51f00',
  };

  it('keeps a computer account change (4742) on the subject, not on user.target', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4742,
        { ...admin, TargetUserName: 'KIOSK-12$', TargetDomainName: 'NORTHWIND', TargetSid: 'S-1-5-21-7-7-7-4242' },
        security,
      ),
    );
    expect(event.user).toEqual({ id: 'S-1-5-21-7-7-7-500', name: 'ops-admin', domain: 'NORTHWIND' });
    expect(at(event, 'related.user')).toEqual(['ops-admin']);
    expect(at(event, 'event.type')).toEqual(['change', 'admin']);
  });

  it('keeps an "@" in a created group name (4731) and no user.target without a member', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4731,
        { ...admin, TargetUserName: 'ops@night', TargetDomainName: 'NORTHWIND', TargetSid: 'S-1-5-21-7-7-7-3100' },
        security,
      ),
    );
    expect(event.group).toEqual({ id: 'S-1-5-21-7-7-7-3100', name: 'ops@night', domain: 'NORTHWIND' });
    expect(at(event, 'user.target')).toBeUndefined();
  });

  it('maps a user right assignment (4704) to user.target.id from TargetSid', () => {
    const event = parseOne(
      parser,
      evtxEvent(4704, { ...admin, TargetSid: 'S-1-5-80-1-2-3', PrivilegeList: 'SeServiceLogonRight' }, security),
    );
    expect(at(event, 'user.target')).toEqual({ id: 'S-1-5-80-1-2-3' });
    expect(event.event).toMatchObject({ action: 'user-right-assigned', category: ['iam'], type: ['change', 'user'] });
  });

  it('maps group membership information (4627): the logged-on account is user, effective user, target and group', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4627,
        {
          SubjectUserSid: 'S-1-0-0',
          SubjectUserName: '-',
          SubjectDomainName: '-',
          TargetUserSid: 'S-1-5-21-7-7-7-1203',
          TargetUserName: 'dana',
          TargetDomainName: 'NORTHWIND',
          LogonType: '3',
        },
        security,
      ),
    );
    expect(event.user).toEqual({
      id: 'S-1-0-0',
      name: 'dana',
      domain: 'NORTHWIND',
      effective: { id: 'S-1-5-21-7-7-7-1203', name: 'dana', domain: 'NORTHWIND' },
      target: { name: 'dana', domain: 'NORTHWIND' },
    });
    expect(event.group).toEqual({ id: 'S-1-5-21-7-7-7-1203', name: 'dana', domain: 'NORTHWIND' });
    expect(at(event, 'related.user')).toEqual(['dana']);
    expect(event.event).toMatchObject({ action: 'group-membership-info', type: ['info'] });
  });

  it('drops the realm of a Kerberos principal (4768) and keeps port 0', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4768,
        {
          TargetUserName: 'erin@NORTHWIND.EXAMPLE',
          TargetDomainName: 'NORTHWIND.EXAMPLE',
          TargetSid: 'S-1-5-21-7-7-7-1301',
          IpAddress: '::ffff:172.16.4.9',
          IpPort: '0',
          Status: '0x0',
        },
        security,
      ),
    );
    expect(event.user).toEqual({ id: 'S-1-5-21-7-7-7-1301', name: 'erin', domain: 'NORTHWIND.EXAMPLE' });
    expect(event.source).toEqual({ ip: '172.16.4.9', port: 0 });
  });

  it('maps an explicit-credential logon (4648) to the subject with the target as effective user', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4648,
        { ...admin, TargetUserName: 'svc-backup', TargetDomainName: 'NORTHWIND', TargetServerName: 'files-02' },
        security,
      ),
    );
    expect(event.user).toEqual({
      id: 'S-1-5-21-7-7-7-500',
      name: 'ops-admin',
      domain: 'NORTHWIND',
      effective: { name: 'svc-backup', domain: 'NORTHWIND' },
    });
    expect(at(event, 'related.user')).toEqual(['svc-backup', 'ops-admin']);
  });

  it('maps a remote desktop reconnect (4778) from the session account and client', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4778,
        {
          AccountName: 'frank',
          AccountDomain: 'NORTHWIND',
          LogonID: '0x9c0de',
          ClientName: 'LAPTOP-77',
          ClientAddress: '10.9.8.7',
        },
        security,
      ),
    );
    expect(event.user).toEqual({ name: 'frank', domain: 'NORTHWIND' });
    expect(event.source).toEqual({ ip: '10.9.8.7', domain: 'LAPTOP-77' });
    expect(event.event).toMatchObject({ category: ['authentication', 'session'], type: ['start'] });
  });

  it('maps a detailed file share check (5145) to file path, directory and share path', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        5145,
        {
          ...admin,
          ShareName: '\\\\*\\Finance',
          ShareLocalPath: '\\??\\D:\\Shares\\Finance',
          RelativeTargetName: 'reports\\q3.xlsx',
          IpAddress: '10.9.8.6',
          IpPort: '50122',
        },
        security,
      ),
    );
    expect(event.file).toEqual({
      name: 'q3.xlsx',
      extension: 'xlsx',
      directory: '\\??\\D:\\Shares\\Finance\\reports',
      path: '\\??\\D:\\Shares\\Finance\\reports\\q3.xlsx',
      target_path: '\\\\*\\Finance\\reports\\q3.xlsx',
    });
    expect(event.source).toEqual({ ip: '10.9.8.6', port: 50122 });
  });

  it('names the service type of an installed service (4697)', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4697,
        { ...admin, ServiceName: 'updsvc', ServiceFileName: 'C:\\upd\\upd.exe', ServiceType: '0x10' },
        security,
      ),
    );
    expect(event.service).toEqual({ name: 'updsvc', type: 'Win32 Own Process' });
  });

  it('lists a domain Administrator granted rights in a changed descriptor (4670) in related.user', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        4670,
        {
          ...admin,
          ObjectType: 'File',
          ObjectName: 'C:\\Data\\plan.docx',
          OldSd: 'D:(A;;FA;;;SY)',
          NewSd: 'D:(A;;FA;;;SY)(A;;FA;;;S-1-5-21-7-7-7-500)(A;;FR;;;S-1-5-21-7-7-7-1203)',
          ProcessId: '0x1a4',
          ProcessName: 'C:\\Windows\\explorer.exe',
        },
        security,
      ),
    );
    expect(at(event, 'related.user')).toEqual(['ops-admin', 'Administrator']);
    expect(event.process).toEqual({ pid: 420, executable: 'C:\\Windows\\explorer.exe', name: 'explorer.exe' });
  });

  it('takes host.name from the shipper when a Winlogbeat document has one', () => {
    const event = parseOne(createWinlogbeatParser(), {
      host: { name: 'KIOSK-12' },
      winlog: {
        channel: 'Security',
        provider_name: 'Microsoft-Windows-Security-Auditing',
        event_id: 4672,
        computer_name: 'KIOSK-12.northwind.example',
        event_data: { ...admin, PrivilegeList: 'SeDebugPrivilege' },
      },
    });
    expect(at(event, 'host.name')).toBe('KIOSK-12');
    expect(at(event, 'winlog.computer_name')).toBe('KIOSK-12.northwind.example');
    expect(at(event, 'user.name')).toBe('ops-admin');
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
