// The catalogue of ordinary activity the simulator plays: people logging on, browsing and
// working in Office, software updaters, endpoint management (SCCM, GPO scripts), antivirus,
// administrators' inventory and recon-looking commands, service accounts, Linux admin work,
// internet scanners knocking on exposed SSH. Several of these trip real detection rules, as
// they do in every real network: that is the noise Vigil must fold away.
import type { Organisation, SimHost, SimUser } from './organisation.ts';
import type { Random } from './random.ts';
import {
  type ProcessIdentity,
  securityLogoff,
  securityLogon,
  securitySpecialPrivileges,
  sysmonDnsQuery,
  sysmonFileCreate,
  sysmonNetworkConnect,
  sysmonProcessCreate,
  sysmonRegistrySet,
  type WindowsRecordContext,
} from './windows-records.ts';

export interface SimRecord {
  readonly time: number;
  readonly text: string;
  readonly host: string;
  readonly unit: string;
}

export interface ActivityContext {
  readonly random: Random;
  readonly organisation: Organisation;
  readonly host: SimHost;
  readonly time: number;
  /** Per-host record counters, so EventRecordIDs increase like a real log. */
  readonly recordIds: Map<string, number>;
}

type Activity = (context: ActivityContext) => SimRecord[];

const websites: readonly (readonly [string, string])[] = [
  ['www.microsoft.com', '23.55.221.103'],
  ['outlook.office365.com', '52.97.201.226'],
  ['teams.microsoft.com', '52.113.194.132'],
  ['www.google.com', '142.250.185.100'],
  ['update.googleapis.com', '142.250.186.35'],
  ['github.com', '140.82.121.4'],
  ['www.bloomberg.com', '151.101.2.49'],
  ['www.reuters.com', '23.46.182.84'],
  ['login.microsoftonline.com', '20.190.160.20'],
  ['cdn.jsdelivr.net', '151.101.1.229'],
  ['www.baidu.com', '110.242.68.66'],
  ['www.sap.com', '193.16.224.1'],
];

function windowsContext(context: ActivityContext, offsetMs = 0): WindowsRecordContext {
  const key = context.host.name;
  const windows = {
    random: context.random,
    computer: context.host.fqdn,
    time: context.time + offsetMs,
    recordId: context.recordIds.get(key) ?? 1000,
  };
  return windows;
}

/** Emits Windows records while keeping the host's record id counter in step. */
function windows(
  context: ActivityContext,
  build: (windows: WindowsRecordContext, emit: (text: string, offsetMs?: number) => void) => void,
): SimRecord[] {
  const records: SimRecord[] = [];
  const state = windowsContext(context);
  build(state, (text, offsetMs = 0) =>
    records.push({ time: context.time + offsetMs, text, host: context.host.name, unit: context.host.unit }),
  );
  context.recordIds.set(context.host.name, state.recordId);
  return records;
}

const userOf = (context: ActivityContext): string =>
  `${context.organisation.domain}\\${context.host.owner ?? 'svc_app'}`;
const system = 'NT AUTHORITY\\SYSTEM';

function process(
  windowsContext: WindowsRecordContext,
  emit: (text: string) => void,
  spec: Parameters<typeof sysmonProcessCreate>[1],
): ProcessIdentity {
  const { text, process: identity } = sysmonProcessCreate(windowsContext, spec);
  emit(text);
  return identity;
}

const logon: Activity = (context) =>
  windows(context, (state, emit) => {
    const user = context.host.owner ?? 'svc_app';
    const dc = context.random.pick(context.organisation.domainControllers);
    emit(
      securityLogon(state, {
        user,
        domain: context.organisation.domain,
        logonType: 2,
        ip: '127.0.0.1',
        workstation: context.host.name,
        success: true,
        process: 'C:\\Windows\\System32\\winlogon.exe',
      }),
    );
    process(state, emit, {
      image: 'C:\\Windows\\System32\\userinit.exe',
      commandLine: 'C:\\Windows\\system32\\userinit.exe',
      user: userOf(context),
      parentImage: 'C:\\Windows\\System32\\winlogon.exe',
    });
    process(state, emit, {
      image: 'C:\\Windows\\explorer.exe',
      commandLine: 'C:\\Windows\\Explorer.EXE',
      user: userOf(context),
      parentImage: 'C:\\Windows\\System32\\userinit.exe',
    });
    // Logon script from the domain's NETLOGON share.
    process(state, emit, {
      image: 'C:\\Windows\\System32\\cmd.exe',
      commandLine: `C:\\Windows\\system32\\cmd.exe /c "\\\\${context.organisation.dnsSuffix}\\NETLOGON\\logon.bat"`,
      user: userOf(context),
      parentImage: 'C:\\Windows\\explorer.exe',
    });
    process(state, emit, {
      image: 'C:\\Windows\\System32\\net.exe',
      commandLine: `net  use Z: \\\\${dc.fqdn}\\shares\\${context.host.unit} /persistent:no`,
      user: userOf(context),
      parentImage: 'C:\\Windows\\System32\\cmd.exe',
    });
    process(state, emit, {
      image: `C:\\Users\\${context.host.owner}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe`,
      commandLine: `"C:\\Users\\${context.host.owner}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --process-start-reason=AutoStart`,
      user: userOf(context),
      parentImage: 'C:\\Windows\\explorer.exe',
      company: 'Microsoft Corporation',
    });
  });

const browse: Activity = (context) =>
  windows(context, (state, emit) => {
    const browser = context.random.chance(0.6)
      ? 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'
      : 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const identity = process(state, emit, {
      image: browser,
      commandLine: `"${browser}" --type=utility --utility-sub-type=network.mojom.NetworkService`,
      user: userOf(context),
      parentImage: browser,
      company: browser.includes('chrome') ? 'Google LLC' : 'Microsoft Corporation',
    });
    for (let index = 0; index < context.random.int(1, 3); index++) {
      const [site, address] = context.random.pick(websites);
      emit(
        sysmonDnsQuery(state, {
          image: browser,
          user: userOf(context),
          process: identity,
          query: site,
          answer: address,
        }),
        index * 1000 + 50,
      );
      emit(
        sysmonNetworkConnect(state, {
          image: browser,
          user: userOf(context),
          process: identity,
          sourceIp: context.host.ip,
          destinationIp: address,
          destinationPort: 443,
          destinationHostname: site,
        }),
        index * 1000 + 120,
      );
    }
  });

const office: Activity = (context) =>
  windows(context, (state, emit) => {
    const app = context.random.pick(['WINWORD.EXE', 'EXCEL.EXE', 'POWERPNT.EXE', 'OUTLOOK.EXE']);
    const image = `C:\\Program Files\\Microsoft Office\\root\\Office16\\${app}`;
    const document = `C:\\Users\\${context.host.owner}\\Documents\\${context.random.pick(['Q3 report', 'budget 2027', 'minutes', 'customer list', 'project plan'])}.${app === 'EXCEL.EXE' ? 'xlsx' : app === 'POWERPNT.EXE' ? 'pptx' : 'docx'}`;
    const identity = process(state, emit, {
      image,
      commandLine: `"${image}" /n "${document}"`,
      user: userOf(context),
      parentImage: 'C:\\Windows\\explorer.exe',
    });
    emit(
      sysmonFileCreate(state, {
        image,
        user: userOf(context),
        process: identity,
        target: `C:\\Users\\${context.host.owner}\\AppData\\Local\\Microsoft\\Office\\UnsavedFiles\\~$${context.random.hex(6)}.tmp`,
      }),
      2000,
    );
  });

const softwareUpdate: Activity = (context) =>
  windows(context, (state, emit) => {
    const updater = context.random.pick([
      ['C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe', '/ua /installsource scheduler'],
      ['C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe', '/ua /installsource scheduler'],
      ['C:\\Program Files\\Mozilla Firefox\\maintenanceservice.exe', ''],
    ] as const);
    const identity = process(state, emit, {
      image: updater[0],
      commandLine: `"${updater[0]}" ${updater[1]}`.trim(),
      user: system,
      parentImage: 'C:\\Windows\\System32\\svchost.exe',
      parentCommandLine: 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
    });
    emit(
      sysmonNetworkConnect(state, {
        image: updater[0],
        user: system,
        process: identity,
        sourceIp: context.host.ip,
        destinationIp: '142.250.186.35',
        destinationPort: 443,
        destinationHostname: 'update.googleapis.com',
      }),
      800,
    );
    if (context.random.chance(0.3)) {
      emit(
        sysmonRegistrySet(state, {
          image: updater[0],
          user: system,
          process: identity,
          target: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\GoogleUpdate',
          details: '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /c',
        }),
        1500,
      );
    }
  });

const endpointManagement: Activity = (context) =>
  windows(context, (state, emit) => {
    // SCCM runs PowerShell with -ExecutionPolicy Bypass from its temp folder: a classic false positive.
    process(state, emit, {
      image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      commandLine: `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoLogo -Noninteractive -NoProfile -ExecutionPolicy Bypass "& 'C:\\WINDOWS\\CCM\\SystemTemp\\${context.random.guid().slice(1, -1)}.ps1'"`,
      user: system,
      parentImage: 'C:\\Windows\\CCM\\CcmExec.exe',
      parentCommandLine: 'C:\\WINDOWS\\CCM\\CcmExec.exe',
      integrity: 'System',
    });
    if (context.random.chance(0.4)) {
      process(state, emit, {
        image: 'C:\\Windows\\System32\\gpupdate.exe',
        commandLine: 'gpupdate.exe /target:computer',
        user: system,
        parentImage: 'C:\\Windows\\System32\\svchost.exe',
      });
    }
  });

const antivirus: Activity = (context) =>
  windows(context, (state, emit) => {
    process(state, emit, {
      image: 'C:\\Program Files\\Windows Defender\\MpCmdRun.exe',
      commandLine:
        '"C:\\Program Files\\Windows Defender\\MpCmdRun.exe" -SignatureUpdate -ScheduleJob -RestrictPrivileges',
      user: system,
      parentImage: 'C:\\Windows\\System32\\svchost.exe',
    });
  });

const adminWork: Activity = (context) =>
  windows(context, (state, emit) => {
    const admin = context.random.pick(context.organisation.users.filter((user) => user.admin));
    const user = `${context.organisation.domain}\\${admin.name}`;
    const shell = context.random.chance(0.5)
      ? 'C:\\Windows\\System32\\cmd.exe'
      : 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
    emit(
      securityLogon(state, {
        user: admin.name,
        domain: context.organisation.domain,
        logonType: 10,
        ip: context.organisation.hosts[2]?.ip ?? '10.10.1.2',
        workstation: 'ADMIN-JUMP',
        success: true,
      }),
    );
    emit(securitySpecialPrivileges(state, { user: admin.name, domain: context.organisation.domain }));
    // Inventory and troubleshooting commands that also look like discovery to a rule.
    const commands = context.random.pick([
      ['C:\\Windows\\System32\\whoami.exe', 'whoami /all'],
      ['C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all'],
      ['C:\\Windows\\System32\\nltest.exe', `nltest /dclist:${context.organisation.dnsSuffix}`],
      ['C:\\Windows\\System32\\net.exe', 'net  localgroup administrators'],
      ['C:\\Windows\\System32\\wbem\\WMIC.exe', 'wmic  computersystem get model,manufacturer'],
      ['C:\\Windows\\System32\\sc.exe', 'sc  query state= all'],
      ['C:\\Windows\\System32\\tasklist.exe', 'tasklist /v'],
      [
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        'powershell.exe -Command "Get-Service | Where-Object {$_.Status -eq \'Stopped\'}"',
      ],
    ] as const);
    process(state, emit, { image: commands[0], commandLine: commands[1], user, parentImage: shell, integrity: 'High' });
  });

const serviceWork: Activity = (context) =>
  windows(context, (state, emit) => {
    const kind = context.random.pick(['backup', 'sql', 'task', 'iis']);
    if (kind === 'backup') {
      process(state, emit, {
        image: 'C:\\Windows\\System32\\vssadmin.exe',
        commandLine: 'vssadmin.exe list shadows',
        user: system,
        parentImage: 'C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe',
      });
    } else if (kind === 'sql') {
      process(state, emit, {
        image: 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
        commandLine:
          '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER',
        user: `${context.organisation.domain}\\svc_sql`,
        parentImage: 'C:\\Windows\\System32\\services.exe',
      });
    } else if (kind === 'task') {
      process(state, emit, {
        image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        commandLine: 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\Cleanup-TempFiles.ps1',
        user: `${context.organisation.domain}\\svc_tasks`,
        parentImage: 'C:\\Windows\\System32\\taskeng.exe',
      });
    } else {
      const identity = process(state, emit, {
        image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
        commandLine: 'c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "DefaultAppPool"',
        user: 'IIS APPPOOL\\DefaultAppPool',
        parentImage: 'C:\\Windows\\System32\\svchost.exe',
      });
      emit(
        sysmonNetworkConnect(state, {
          image: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe',
          user: 'IIS APPPOOL\\DefaultAppPool',
          process: identity,
          sourceIp: context.host.ip,
          destinationIp: context.organisation.hosts[3]?.ip ?? '10.10.100.4',
          destinationPort: 1433,
        }),
        300,
      );
    }
  });

const domainLogons: Activity = (context) =>
  windows(context, (state, emit) => {
    // A domain controller sees network logons from everywhere, and the odd mistyped password.
    for (let index = 0; index < context.random.int(3, 8); index++) {
      const client = context.random.pick(context.organisation.hosts);
      const user = client.owner ?? context.random.pick(context.organisation.users).name;
      emit(
        securityLogon(state, {
          user,
          domain: context.organisation.domain,
          logonType: 3,
          ip: client.ip,
          workstation: client.name,
          success: !context.random.chance(0.03),
        }),
        index * 700,
      );
      if (context.random.chance(0.5))
        emit(securityLogoff(state, { user, domain: context.organisation.domain, logonType: 3 }), index * 700 + 200);
    }
  });

function syslog(
  context: ActivityContext,
  app: string,
  message: string,
  offsetMs = 0,
  severity = 6,
  facility = 10,
): SimRecord {
  const time = context.time + offsetMs;
  const pid = context.random.int(300, 60000);
  return {
    time,
    text: `<${facility * 8 + severity}>1 ${new Date(time).toISOString()} ${context.host.name} ${app} ${pid} - - ${message}`,
    host: context.host.name,
    unit: context.host.unit,
  };
}

const linuxAdmin: Activity = (context) => {
  const admin: SimUser = context.random.pick(context.organisation.users.filter((user) => user.admin));
  const from = context.organisation.hosts[2]?.ip ?? '10.10.1.2';
  const port = context.random.int(40000, 60000);
  const command = context.random.pick([
    '/usr/bin/systemctl restart nginx',
    '/usr/bin/apt-get upgrade -y',
    '/usr/bin/journalctl -u postgresql',
    '/usr/bin/tail -n 200 /var/log/syslog',
  ]);
  return [
    syslog(
      context,
      'sshd',
      `Accepted publickey for ${admin.name} from ${from} port ${port} ssh2: ED25519 SHA256:${context.random.hex(20)}`,
      0,
      6,
      4,
    ),
    syslog(
      context,
      'sshd',
      `pam_unix(sshd:session): session opened for user ${admin.name}(uid=1001) by (uid=0)`,
      20,
      6,
      10,
    ),
    syslog(
      context,
      'sudo',
      `${admin.name} : TTY=pts/0 ; PWD=/home/${admin.name} ; USER=root ; COMMAND=${command}`,
      30_000,
      5,
      10,
    ),
    syslog(context, 'sshd', `pam_unix(sshd:session): session closed for user ${admin.name}`, 300_000, 6, 10),
  ];
};

const linuxCron: Activity = (context) => [
  syslog(context, 'CRON', `(root) CMD (/usr/local/bin/backup.sh >/dev/null 2>&1)`, 0, 6, 9),
  syslog(context, 'CRON', 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)', 5, 6, 10),
];

const internetScanner: Activity = (context) => {
  // Exposed SSH gets password guessing from the internet all day long.
  const attacker = `${context.random.pick([45, 61, 80, 92, 103, 185, 193, 218])}.${context.random.int(1, 254)}.${context.random.int(0, 255)}.${context.random.int(1, 254)}`;
  const records: SimRecord[] = [];
  // Most knocks are a few tries; a quarter are a burst of password guessing.
  const attempts = context.random.chance(0.25) ? context.random.int(6, 15) : context.random.int(1, 4);
  for (let index = 0; index < attempts; index++) {
    const user = context.random.pick(['root', 'admin', 'test', 'oracle', 'ubuntu', 'user']);
    records.push(
      syslog(
        context,
        'sshd',
        `${user === 'root' ? 'Failed password for root' : `Failed password for invalid user ${user}`} from ${attacker} port ${context.random.int(30000, 65000)} ssh2`,
        index * 2000,
        6,
        4,
      ),
    );
  }
  return records;
};

const zeekBrowsing: Activity = (context) => {
  const [site, address] = context.random.pick(websites);
  const base = {
    ts: context.time / 1000,
    uid: `C${context.random.hex(17)}`,
    'id.orig_h': context.host.ip,
    'id.orig_p': context.random.int(49152, 65535),
  };
  return [
    {
      time: context.time,
      text: JSON.stringify({
        _path: 'dns',
        ...base,
        'id.resp_h': context.organisation.dnsIp,
        'id.resp_p': 53,
        proto: 'udp',
        trans_id: context.random.int(1, 65535),
        query: site,
        qclass: 1,
        qclass_name: 'C_INTERNET',
        qtype: 1,
        qtype_name: 'A',
        rcode: 0,
        rcode_name: 'NOERROR',
        AA: false,
        TC: false,
        RD: true,
        RA: true,
        Z: 0,
        answers: [address],
        TTLs: [300],
        rejected: false,
      }),
      host: context.host.name,
      unit: context.host.unit,
    },
    {
      time: context.time + 80,
      text: JSON.stringify({
        _path: 'conn',
        ...base,
        uid: `C${context.random.hex(17)}`,
        'id.resp_h': address,
        'id.resp_p': 443,
        proto: 'tcp',
        service: 'ssl',
        duration: context.random.next() * 30,
        orig_bytes: context.random.int(500, 20000),
        resp_bytes: context.random.int(2000, 900000),
        conn_state: 'SF',
        local_orig: true,
        local_resp: false,
        missed_bytes: 0,
        history: 'ShADadFf',
        orig_pkts: context.random.int(5, 60),
        resp_pkts: context.random.int(5, 700),
      }),
      host: context.host.name,
      unit: context.host.unit,
    },
  ];
};

export interface RoleProfile {
  /** Activities per hour in working hours, and outside them. */
  readonly day: number;
  readonly night: number;
  readonly activities: readonly (readonly [Activity, number])[];
}

export const roleProfiles: Record<SimHost['role'], RoleProfile> = {
  workstation: {
    day: 9,
    night: 0.4,
    activities: [
      [browse, 40],
      [office, 25],
      [zeekBrowsing, 20],
      [softwareUpdate, 5],
      [endpointManagement, 4],
      [antivirus, 3],
      [adminWork, 0.6],
    ],
  },
  'windows-server': {
    day: 5,
    night: 3,
    activities: [
      [serviceWork, 50],
      [endpointManagement, 10],
      [antivirus, 10],
      [adminWork, 6],
      [softwareUpdate, 4],
    ],
  },
  'domain-controller': {
    day: 30,
    night: 6,
    activities: [
      [domainLogons, 85],
      [adminWork, 5],
      [antivirus, 5],
      [endpointManagement, 5],
    ],
  },
  'linux-server': {
    day: 4,
    night: 3,
    activities: [
      [linuxCron, 50],
      [linuxAdmin, 15],
      [internetScanner, 35],
    ],
  },
};

/** The morning logon of a workstation's owner (once a working day). */
export const morningLogon: Activity = logon;
