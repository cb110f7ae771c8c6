// Builders of Windows event records in the evtx-as-JSON shape (`{"Event":{"System":…,
// "EventData":…}}`) that EVTX exporters write, so simulated telemetry takes the same parsing
// path as real exported logs.
import type { Random } from './random.ts';

export interface WindowsRecordContext {
  readonly random: Random;
  readonly computer: string; // FQDN
  readonly time: number; // epoch ms
  recordId: number;
}

const sysmonProvider = { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' };
const securityProvider = {
  Name: 'Microsoft-Windows-Security-Auditing',
  Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
};

function utcTime(time: number): string {
  return new Date(time).toISOString().replace('T', ' ').replace('Z', '');
}

function record(
  context: WindowsRecordContext,
  provider: object,
  channel: string,
  eventId: number,
  data: Record<string, unknown>,
): string {
  context.recordId++;
  return JSON.stringify({
    Event: {
      System: {
        Provider: provider,
        EventID: eventId,
        Version: 5,
        Level: 4,
        Task: 0,
        Opcode: 0,
        Keywords: channel === 'Security' ? '0x8020000000000000' : '0x8000000000000000',
        TimeCreated: { SystemTime: `${new Date(context.time).toISOString().slice(0, -1)}000Z` },
        EventRecordID: context.recordId,
        Correlation: null,
        Execution: { ProcessID: channel === 'Security' ? 640 : 2844, ThreadID: context.random.int(100, 9000) },
        Channel: channel,
        Computer: context.computer,
        Security: channel === 'Security' ? null : { UserID: 'S-1-5-18' },
      },
      EventData: data,
    },
  });
}

export interface ProcessSpec {
  readonly image: string;
  readonly commandLine: string;
  readonly user: string; // DOMAIN\\user or NT AUTHORITY\\SYSTEM
  readonly parentImage: string;
  readonly parentCommandLine?: string;
  readonly integrity?: 'Low' | 'Medium' | 'High' | 'System';
  readonly description?: string;
  readonly company?: string;
}

export interface ProcessIdentity {
  readonly guid: string;
  readonly pid: number;
}

export function sysmonProcessCreate(
  context: WindowsRecordContext,
  spec: ProcessSpec,
): { text: string; process: ProcessIdentity } {
  const { random } = context;
  const process = { guid: random.guid(), pid: random.int(1000, 20000) };
  const name = spec.image.slice(spec.image.lastIndexOf('\\') + 1);
  const text = record(context, sysmonProvider, 'Microsoft-Windows-Sysmon/Operational', 1, {
    RuleName: '-',
    UtcTime: utcTime(context.time),
    ProcessGuid: process.guid,
    ProcessId: process.pid,
    Image: spec.image,
    FileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
    Description: spec.description ?? name,
    Product: 'Microsoft® Windows® Operating System',
    Company: spec.company ?? 'Microsoft Corporation',
    OriginalFileName: name,
    CommandLine: spec.commandLine,
    CurrentDirectory: 'C:\\Windows\\system32\\',
    User: spec.user,
    LogonGuid: random.guid(),
    LogonId: `0x${random.hex(6).toLowerCase()}`,
    TerminalSessionId: spec.user.startsWith('NT AUTHORITY') ? 0 : 1,
    IntegrityLevel: spec.integrity ?? (spec.user.startsWith('NT AUTHORITY') ? 'System' : 'Medium'),
    Hashes: `SHA1=${random.hex(40)},MD5=${random.hex(32)},SHA256=${random.hex(64)},IMPHASH=${random.hex(32)}`,
    ParentProcessGuid: random.guid(),
    ParentProcessId: random.int(500, 9000),
    ParentImage: spec.parentImage,
    ParentCommandLine: spec.parentCommandLine ?? `"${spec.parentImage}"`,
  });
  return { text, process };
}

export function sysmonNetworkConnect(
  context: WindowsRecordContext,
  spec: {
    image: string;
    user: string;
    process: ProcessIdentity;
    sourceIp: string;
    destinationIp: string;
    destinationPort: number;
    destinationHostname?: string;
  },
): string {
  return record(context, sysmonProvider, 'Microsoft-Windows-Sysmon/Operational', 3, {
    RuleName: '-',
    UtcTime: utcTime(context.time),
    ProcessGuid: spec.process.guid,
    ProcessId: spec.process.pid,
    Image: spec.image,
    User: spec.user,
    Protocol: 'tcp',
    Initiated: true,
    SourceIsIpv6: false,
    SourceIp: spec.sourceIp,
    SourceHostname: context.computer,
    SourcePort: context.random.int(49152, 65535),
    SourcePortName: '-',
    DestinationIsIpv6: false,
    DestinationIp: spec.destinationIp,
    DestinationHostname: spec.destinationHostname ?? '-',
    DestinationPort: spec.destinationPort,
    DestinationPortName: spec.destinationPort === 443 ? 'https' : spec.destinationPort === 80 ? 'http' : '-',
  });
}

export function sysmonDnsQuery(
  context: WindowsRecordContext,
  spec: { image: string; user: string; process: ProcessIdentity; query: string; answer: string },
): string {
  return record(context, sysmonProvider, 'Microsoft-Windows-Sysmon/Operational', 22, {
    RuleName: '-',
    UtcTime: utcTime(context.time),
    ProcessGuid: spec.process.guid,
    ProcessId: spec.process.pid,
    QueryName: spec.query,
    QueryStatus: '0',
    QueryResults: `::ffff:${spec.answer};`,
    Image: spec.image,
    User: spec.user,
  });
}

export function sysmonFileCreate(
  context: WindowsRecordContext,
  spec: { image: string; user: string; process: ProcessIdentity; target: string },
): string {
  return record(context, sysmonProvider, 'Microsoft-Windows-Sysmon/Operational', 11, {
    RuleName: '-',
    UtcTime: utcTime(context.time),
    ProcessGuid: spec.process.guid,
    ProcessId: spec.process.pid,
    Image: spec.image,
    TargetFilename: spec.target,
    CreationUtcTime: utcTime(context.time),
    User: spec.user,
  });
}

export function sysmonRegistrySet(
  context: WindowsRecordContext,
  spec: { image: string; user: string; process: ProcessIdentity; target: string; details: string },
): string {
  return record(context, sysmonProvider, 'Microsoft-Windows-Sysmon/Operational', 13, {
    RuleName: '-',
    EventType: 'SetValue',
    UtcTime: utcTime(context.time),
    ProcessGuid: spec.process.guid,
    ProcessId: spec.process.pid,
    Image: spec.image,
    TargetObject: spec.target,
    Details: spec.details,
    User: spec.user,
  });
}

export function securityLogon(
  context: WindowsRecordContext,
  spec: {
    user: string;
    domain: string;
    logonType: number;
    ip: string;
    workstation: string;
    success: boolean;
    process?: string;
  },
): string {
  const data: Record<string, unknown> = {
    SubjectUserSid: 'S-1-5-18',
    SubjectUserName: `${context.computer.split('.')[0]!.toUpperCase()}$`,
    SubjectDomainName: spec.domain,
    SubjectLogonId: '0x3e7',
    TargetUserSid: `S-1-5-21-1004336348-1177238915-682003330-${context.random.int(1100, 9000)}`,
    TargetUserName: spec.user,
    TargetDomainName: spec.domain,
    LogonType: spec.logonType,
    LogonProcessName: spec.logonType === 3 ? 'NtLmSsp ' : 'User32 ',
    AuthenticationPackageName: spec.logonType === 3 ? 'Kerberos' : 'Negotiate',
    WorkstationName: spec.workstation,
    IpAddress: spec.ip,
    IpPort: String(context.random.int(49152, 65535)),
    ProcessName: spec.process ?? 'C:\\Windows\\System32\\svchost.exe',
  };
  if (spec.success) {
    data.TargetLogonId = `0x${context.random.hex(7).toLowerCase()}`;
    data.LogonGuid = context.random.guid();
    data.ElevatedToken = '%%1843';
    return record(context, securityProvider, 'Security', 4624, data);
  }
  data.Status = '0xc000006d';
  data.SubStatus = '0xc000006a';
  data.FailureReason = '%%2313';
  return record(context, securityProvider, 'Security', 4625, data);
}

export function securityLogoff(
  context: WindowsRecordContext,
  spec: { user: string; domain: string; logonType: number },
): string {
  return record(context, securityProvider, 'Security', 4634, {
    TargetUserSid: 'S-1-5-21-1004336348-1177238915-682003330-1105',
    TargetUserName: spec.user,
    TargetDomainName: spec.domain,
    TargetLogonId: `0x${context.random.hex(7).toLowerCase()}`,
    LogonType: spec.logonType,
  });
}

export function securitySpecialPrivileges(
  context: WindowsRecordContext,
  spec: { user: string; domain: string },
): string {
  return record(context, securityProvider, 'Security', 4672, {
    SubjectUserSid: 'S-1-5-21-1004336348-1177238915-682003330-500',
    SubjectUserName: spec.user,
    SubjectDomainName: spec.domain,
    SubjectLogonId: `0x${context.random.hex(7).toLowerCase()}`,
    PrivilegeList: 'SeSecurityPrivilege\n\t\t\tSeBackupPrivilege\n\t\t\tSeRestorePrivilege\n\t\t\tSeDebugPrivilege',
  });
}
