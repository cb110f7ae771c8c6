// A seeded, realistic mix of security telemetry lines for benchmarks: Sysmon 1/3/11/13 and
// Security 4624/4625/4688 in the EVTX-as-JSON shape, Suricata EVE alert/dns/flow, and Linux
// sshd/sudo syslog lines. Values vary (hosts, users, IPs, GUIDs, hashes) so no cache is flattered.

/** Share of each kind in the mix, in percent (sums to 100). */
export const eventMixShares = {
  'sysmon-1': 12,
  'sysmon-3': 14,
  'sysmon-11': 8,
  'sysmon-13': 8,
  'security-4624': 10,
  'security-4625': 4,
  'security-4688': 8,
  'suricata-alert': 4,
  'suricata-dns': 12,
  'suricata-flow': 10,
  'syslog-sshd': 7,
  'syslog-sudo': 3,
} as const;

export type EventMixKind = keyof typeof eventMixShares;

/** Small fast PRNG (mulberry32): the same seed gives the same lines on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const images = [
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Windows\\explorer.exe',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE',
  'C:\\Windows\\System32\\rundll32.exe',
  'C:\\Windows\\System32\\sc.exe',
  'C:\\Windows\\System32\\net.exe',
  'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  'C:\\Windows\\System32\\taskhostw.exe',
  'C:\\Program Files\\7-Zip\\7z.exe',
];
const commandTails = [
  '-k netsvcs -p -s Schedule',
  '/c whoami /all',
  '-NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1',
  '--type=renderer --lang=en-US --field-trial-handle=1732',
  'stop CDPSvc',
  'user /domain',
  'C:\\Windows\\System32\\shell32.dll,Control_RunDLL',
  'a -tzip C:\\Users\\Public\\backup.zip C:\\Data',
];
const registryKeys = [
  'HKLM\\System\\CurrentControlSet\\Services\\TermService\\Parameters\\ServiceDll',
  'HKU\\S-1-5-21-1004336348-1177238915-682003330-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
  'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\Temp',
  'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\ScriptBlockLogging\\EnableScriptBlockLogging',
];
const domains = [
  'www.google.com',
  'login.microsoftonline.com',
  'update.example.org',
  'cdn.jsdelivr.net',
  'api.github.com',
  'x7f3k2.badcdn.top',
  'intranet.bank.local',
];
const signatures = [
  ['ET POLICY Outdated Windows Flash Version IE', 'Policy Violation', 3],
  ['GPL ATTACK_RESPONSE id check returned root', 'Potentially Bad Traffic', 2],
  ['ET SCAN Nmap Scripting Engine User-Agent Detected', 'Web Application Attack', 1],
  ['ET MALWARE Cobalt Strike Beacon Observed', 'A Network Trojan was detected', 1],
] as const;

class Values {
  readonly #random: () => number;
  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }
  int(max: number): number {
    return Math.floor(this.#random() * max);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }
  hex(length: number): string {
    let text = '';
    while (text.length < length) text += this.int(0x100000000).toString(16).toUpperCase().padStart(8, '0');
    return text.slice(0, length);
  }
  guid(): string {
    const hex = this.hex(32);
    return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}}`;
  }
  internalIp(): string {
    return `10.${1 + this.int(6)}.${this.int(256)}.${1 + this.int(254)}`;
  }
  externalIp(): string {
    return `${this.pick([23, 52, 91, 104, 142, 185, 203])}.${this.int(256)}.${this.int(256)}.${1 + this.int(254)}`;
  }
  host(): string {
    return `${this.pick(['fin', 'hr', 'ops', 'dev', 'br12'])}-ws${String(this.int(200)).padStart(3, '0')}`;
  }
  user(): string {
    return `${this.pick(['anna', 'li.wei', 'jmartin', 'svc_backup', 'k.schmidt', 'admin', 'omar', 'zhang.min'])}${this.int(40)}`;
  }
}

function system(values: Values, provider: 'sysmon' | 'security', eventId: number, time: string, computer: string) {
  const sysmon = provider === 'sysmon';
  return {
    Provider: sysmon
      ? { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' }
      : { Name: 'Microsoft-Windows-Security-Auditing', Guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' },
    EventID: eventId,
    Version: sysmon ? 5 : 2,
    Level: sysmon ? 4 : 0,
    Task: sysmon ? eventId : 12544,
    Opcode: 0,
    Keywords: sysmon ? '0x8000000000000000' : eventId === 4625 ? '0x8010000000000000' : '0x8020000000000000',
    TimeCreated: { SystemTime: time },
    EventRecordID: 100_000 + values.int(9_000_000),
    Correlation: null,
    Execution: { ProcessID: 500 + values.int(6000), ThreadID: 100 + values.int(9000) },
    Channel: sysmon ? 'Microsoft-Windows-Sysmon/Operational' : 'Security',
    Computer: `${computer}.corp.example`,
    Security: sysmon ? { UserID: 'S-1-5-18' } : null,
  };
}

function utc(time: string): string {
  return `${time.slice(0, 10)} ${time.slice(11, 23)}`;
}

function line(kind: EventMixKind, values: Values, epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  const time = `${iso.slice(0, 23)}${String(values.int(1000)).padStart(3, '0')}Z`;
  const computer = values.host();
  const image = values.pick(images);
  switch (kind) {
    case 'sysmon-1': {
      const parent = values.pick(images);
      return JSON.stringify({
        Event: {
          System: system(values, 'sysmon', 1, time, computer),
          EventData: {
            RuleName: '-',
            UtcTime: utc(time),
            ProcessGuid: values.guid(),
            ProcessId: values.int(20000),
            Image: image,
            FileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
            Description: 'Windows Command Processor',
            Product: 'Microsoft® Windows® Operating System',
            Company: 'Microsoft Corporation',
            OriginalFileName: image.slice(image.lastIndexOf('\\') + 1),
            CommandLine: `"${image}" ${values.pick(commandTails)}`,
            CurrentDirectory: 'C:\\Windows\\system32\\',
            User: `CORP\\${values.user()}`,
            LogonGuid: values.guid(),
            LogonId: `0x${values.hex(6).toLowerCase()}`,
            TerminalSessionId: values.int(3),
            IntegrityLevel: values.pick(['Medium', 'High', 'System']),
            Hashes: `SHA1=${values.hex(40)},MD5=${values.hex(32)},SHA256=${values.hex(64)},IMPHASH=${values.hex(32)}`,
            ParentProcessGuid: values.guid(),
            ParentProcessId: values.int(20000),
            ParentImage: parent,
            ParentCommandLine: `"${parent}"`,
          },
        },
      });
    }
    case 'sysmon-3': {
      const outbound = values.int(3) > 0;
      return JSON.stringify({
        Event: {
          System: system(values, 'sysmon', 3, time, computer),
          EventData: {
            RuleName: '-',
            UtcTime: utc(time),
            ProcessGuid: values.guid(),
            ProcessId: values.int(20000),
            Image: image,
            User: `CORP\\${values.user()}`,
            Protocol: values.int(10) > 0 ? 'tcp' : 'udp',
            Initiated: true,
            SourceIsIpv6: false,
            SourceIp: values.internalIp(),
            SourceHostname: `${computer}.corp.example`,
            SourcePort: 49152 + values.int(16000),
            SourcePortName: '-',
            DestinationIsIpv6: false,
            DestinationIp: outbound ? values.externalIp() : values.internalIp(),
            DestinationHostname: outbound ? values.pick(domains) : '-',
            DestinationPort: values.pick([443, 80, 445, 389, 3389, 53, 8080]),
            DestinationPortName: '-',
          },
        },
      });
    }
    case 'sysmon-11':
      return JSON.stringify({
        Event: {
          System: system(values, 'sysmon', 11, time, computer),
          EventData: {
            RuleName: '-',
            UtcTime: utc(time),
            ProcessGuid: values.guid(),
            ProcessId: values.int(20000),
            Image: image,
            TargetFilename: `C:\\Users\\${values.user()}\\AppData\\Local\\Temp\\${values.hex(8).toLowerCase()}.${values.pick(['tmp', 'dll', 'ps1', 'docx', 'exe'])}`,
            CreationUtcTime: utc(time),
          },
        },
      });
    case 'sysmon-13':
      return JSON.stringify({
        Event: {
          System: system(values, 'sysmon', 13, time, computer),
          EventData: {
            RuleName: '-',
            EventType: 'SetValue',
            UtcTime: utc(time),
            ProcessGuid: values.guid(),
            ProcessId: values.int(20000),
            Image: image,
            TargetObject: values.pick(registryKeys),
            Details: values.pick([
              'DWORD (0x00000001)',
              `C:\\Users\\Public\\${values.hex(6).toLowerCase()}.exe`,
              '%%ProgramFiles%%\\RDP Wrapper\\rdpwrap.dll',
            ]),
          },
        },
      });
    case 'security-4624':
    case 'security-4625': {
      const failed = kind === 'security-4625';
      const user = values.user();
      const data: Record<string, string | number> = {
        SubjectUserSid: 'S-1-5-18',
        SubjectUserName: `${computer.toUpperCase()}$`,
        SubjectDomainName: 'CORP',
        SubjectLogonId: '0x3e7',
        TargetUserSid: failed ? 'S-1-0-0' : `S-1-5-21-308926384-506822093-3341789130-${1000 + values.int(5000)}`,
        TargetUserName: user,
        TargetDomainName: 'CORP',
        LogonType: values.pick([2, 3, 3, 3, 10]),
        LogonProcessName: values.pick(['User32 ', 'NtLmSsp ', 'Kerberos']),
        AuthenticationPackageName: values.pick(['Negotiate', 'NTLM', 'Kerberos']),
        WorkstationName: values.host().toUpperCase(),
        ProcessId: `0x${values.hex(3).toLowerCase()}`,
        ProcessName: 'C:\\Windows\\System32\\lsass.exe',
        IpAddress: values.int(4) === 0 ? values.externalIp() : values.internalIp(),
        IpPort: String(49152 + values.int(16000)),
      };
      if (failed) {
        data['Status'] = '0xc000006d';
        data['FailureReason'] = '%%2313';
        data['SubStatus'] = values.pick(['0xc000006a', '0xc0000064']);
      } else {
        data['TargetLogonId'] = `0x${values.hex(7).toLowerCase()}`;
        data['LogonGuid'] = values.guid();
        data['ImpersonationLevel'] = '%%1833';
        data['ElevatedToken'] = values.pick(['%%1842', '%%1843']);
      }
      return JSON.stringify({
        Event: { System: system(values, 'security', failed ? 4625 : 4624, time, computer), EventData: data },
      });
    }
    case 'security-4688':
      return JSON.stringify({
        Event: {
          System: system(values, 'security', 4688, time, computer),
          EventData: {
            SubjectUserSid: `S-1-5-21-308926384-506822093-3341789130-${1000 + values.int(5000)}`,
            SubjectUserName: values.user(),
            SubjectDomainName: 'CORP',
            SubjectLogonId: `0x${values.hex(6).toLowerCase()}`,
            NewProcessId: `0x${values.hex(4).toLowerCase()}`,
            NewProcessName: image,
            TokenElevationType: values.pick(['%%1936', '%%1937', '%%1938']),
            ProcessId: `0x${values.hex(4).toLowerCase()}`,
            CommandLine: `"${image}" ${values.pick(commandTails)}`,
            ParentProcessName: values.pick(images),
          },
        },
      });
    case 'suricata-alert':
    case 'suricata-dns':
    case 'suricata-flow': {
      const eveTime = `${iso.slice(0, 23)}${String(values.int(1000)).padStart(3, '0')}+0000`;
      const base = {
        timestamp: eveTime,
        flow_id: 1_000_000_000_000_000 + values.int(900_000_000) * 1000,
        in_iface: 'ens192',
        event_type: kind.slice('suricata-'.length),
        src_ip: values.internalIp(),
        src_port: 49152 + values.int(16000),
        dest_ip: values.externalIp(),
        dest_port: kind === 'suricata-dns' ? 53 : values.pick([443, 80, 8080, 22]),
        proto: kind === 'suricata-dns' ? 'UDP' : 'TCP',
      };
      if (kind === 'suricata-alert') {
        const [signature, category, severity] = values.pick(signatures);
        return JSON.stringify({
          ...base,
          alert: {
            action: 'allowed',
            gid: 1,
            signature_id: 2_000_000 + values.int(100_000),
            rev: 1 + values.int(9),
            signature,
            category,
            severity,
          },
          http: {
            hostname: values.pick(domains),
            url: `/${values.hex(10).toLowerCase()}`,
            http_user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
            http_method: 'GET',
            protocol: 'HTTP/1.1',
            status: 200,
            length: values.int(50_000),
          },
          app_proto: 'http',
          flow: {
            pkts_toserver: 1 + values.int(40),
            pkts_toclient: 1 + values.int(40),
            bytes_toserver: values.int(40_000),
            bytes_toclient: values.int(400_000),
            start: eveTime,
          },
        });
      }
      if (kind === 'suricata-dns') {
        return JSON.stringify({
          ...base,
          dns: {
            version: 2,
            type: 'query',
            id: values.int(65536),
            rrname: values.pick(domains),
            rrtype: values.pick(['A', 'AAAA', 'TXT']),
            tx_id: values.int(10),
          },
        });
      }
      return JSON.stringify({
        ...base,
        app_proto: values.pick(['tls', 'http', 'ssh', 'failed']),
        flow: {
          pkts_toserver: 1 + values.int(400),
          pkts_toclient: 1 + values.int(400),
          bytes_toserver: values.int(400_000),
          bytes_toclient: values.int(4_000_000),
          start: eveTime,
          end: eveTime,
          age: values.int(300),
          state: values.pick(['closed', 'established', 'new']),
          reason: values.pick(['timeout', 'shutdown']),
          alerted: false,
        },
        tcp: { tcp_flags: '1b', syn: true, fin: true, psh: true, ack: true, state: 'closed' },
      });
    }
    case 'syslog-sshd':
    case 'syslog-sudo': {
      const date = new Date(epochMs);
      const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
        date.getUTCMonth()
      ]!;
      const stamp = `${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${iso.slice(11, 19)}`;
      const host = `lnx-${values.pick(['web', 'db', 'bastion', 'app'])}${values.int(30)}`;
      const pri = values.int(2) === 0 ? '' : kind === 'syslog-sudo' ? '<85>' : '<38>';
      const user = values.user();
      if (kind === 'syslog-sudo') {
        return `${pri}${stamp} ${host} sudo: ${user} : TTY=pts/${values.int(5)} ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/${values.pick(['systemctl restart nginx', 'apt-get update', 'cat /etc/shadow', 'tail -f /var/log/syslog'])}`;
      }
      const pid = 1000 + values.int(60000);
      const ip = values.int(3) === 0 ? values.externalIp() : values.internalIp();
      const port = 1024 + values.int(64000);
      switch (values.int(4)) {
        case 0:
          return `${pri}${stamp} ${host} sshd[${pid}]: Accepted publickey for ${user} from ${ip} port ${port} ssh2: RSA SHA256:${values.hex(43)}`;
        case 1:
          return `${pri}${stamp} ${host} sshd[${pid}]: Failed password for ${values.int(3) === 0 ? 'invalid user ' : ''}${user} from ${ip} port ${port} ssh2`;
        case 2:
          return `${pri}${stamp} ${host} sshd[${pid}]: Accepted password for ${user} from ${ip} port ${port} ssh2`;
        default:
          return `${pri}${stamp} ${host} sshd[${pid}]: Invalid user ${user} from ${ip} port ${port}`;
      }
    }
  }
}

/** `count` lines of the mix in a shuffled but deterministic order, one second apart on average. */
export function generateEventMix(count: number, seed = 42, startMs = Date.UTC(2026, 10, 22, 6, 0, 0)): string[] {
  const values = new Values(seed);
  const kinds = Object.keys(eventMixShares) as EventMixKind[];
  const cumulative: number[] = [];
  let total = 0;
  for (const kind of kinds) {
    total += eventMixShares[kind];
    cumulative.push(total);
  }
  const lines = new Array<string>(count);
  let time = startMs;
  for (let index = 0; index < count; index++) {
    const roll = values.int(total);
    let pick = 0;
    while (cumulative[pick]! <= roll) pick++;
    time += values.int(2000);
    lines[index] = line(kinds[pick]!, values, time);
  }
  return lines;
}
