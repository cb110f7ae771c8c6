// Field mapping as data: which events a Sigma logsource means, and where a rule's field names
// live in Vigil's ECS events. Windows rules read the original event data under
// `winlog.event_data.<Field>` (kept by every Windows parser); other products map Sigma's common
// names onto the ECS fields our syslog, web, network and CloudTrail parsers produce.

/** A Windows channel (case-insensitive) and optionally the event ids a logsource means in it. */
export interface WindowsChannelFilter {
  readonly channel: string;
  readonly eventIds?: readonly number[];
}

export interface LogSourceMapping {
  /** Windows events only: channel/event-id pairs (OR). Undefined = any Windows event. */
  readonly windows?: readonly WindowsChannelFilter[];
  /** Field renames: Sigma field → candidate ECS paths tried before the product default. */
  readonly fields?: Readonly<Record<string, readonly string[]>>;
  /** Non-Windows events: at least one of these ECS paths must be present. */
  readonly requireAny?: readonly string[];
  /**
   * Vendor namespace whose per-service object a rule naming a `service` needs instead of
   * `requireAny` (`zeek` + `service: dns` → the event must carry `zeek.dns`); unmapped fields of
   * such a rule are looked up there first (`Z` → `zeek.dns.Z`).
   */
  readonly serviceNamespace?: string;
}

export const sysmonChannel = 'Microsoft-Windows-Sysmon/Operational';
const sysmon = (...eventIds: number[]): WindowsChannelFilter[] => [{ channel: sysmonChannel, eventIds }];

/** Security 4688 names the process fields differently from Sysmon 1. */
const securityProcessFields: Record<string, string[]> = {
  Image: ['winlog.event_data.Image', 'winlog.event_data.NewProcessName'],
  ParentImage: ['winlog.event_data.ParentImage', 'winlog.event_data.ParentProcessName'],
  LogonId: ['winlog.event_data.LogonId', 'winlog.event_data.SubjectLogonId'],
  ProcessId: ['winlog.event_data.ProcessId', 'winlog.event_data.NewProcessId'],
  ParentProcessId: ['winlog.event_data.ParentProcessId', 'winlog.event_data.ProcessId'],
};

/** Windows `category` → events. */
export const windowsCategories: Readonly<Record<string, LogSourceMapping>> = {
  process_creation: {
    windows: [
      { channel: sysmonChannel, eventIds: [1] },
      { channel: 'Security', eventIds: [4688] },
    ],
    fields: securityProcessFields,
  },
  file_change: { windows: sysmon(2) },
  network_connection: { windows: sysmon(3) },
  sysmon_status: { windows: sysmon(4, 16) },
  process_termination: { windows: sysmon(5) },
  driver_load: { windows: sysmon(6) },
  image_load: { windows: sysmon(7) },
  create_remote_thread: { windows: sysmon(8) },
  raw_access_thread: { windows: sysmon(9) },
  process_access: { windows: sysmon(10) },
  file_event: { windows: sysmon(11) },
  registry_add: { windows: sysmon(12) },
  registry_delete: { windows: sysmon(12) },
  registry_set: { windows: sysmon(13) },
  registry_rename: { windows: sysmon(14) },
  registry_event: { windows: sysmon(12, 13, 14) },
  create_stream_hash: { windows: sysmon(15) },
  pipe_created: { windows: sysmon(17, 18) },
  wmi_event: { windows: sysmon(19, 20, 21) },
  dns_query: { windows: sysmon(22) },
  file_delete: { windows: sysmon(23, 26) },
  clipboard_change: { windows: sysmon(24) },
  process_tampering: { windows: sysmon(25) },
  file_block_executable: { windows: sysmon(27) },
  file_block_shredding: { windows: sysmon(28) },
  file_executable_detected: { windows: sysmon(29) },
  sysmon_error: { windows: sysmon(255) },
  ps_module: { windows: [{ channel: 'Microsoft-Windows-PowerShell/Operational', eventIds: [4103] }] },
  ps_script: { windows: [{ channel: 'Microsoft-Windows-PowerShell/Operational', eventIds: [4104] }] },
  ps_classic_start: { windows: [{ channel: 'Windows PowerShell', eventIds: [400] }] },
  ps_classic_provider_start: { windows: [{ channel: 'Windows PowerShell', eventIds: [600] }] },
  ps_classic_script: { windows: [{ channel: 'Windows PowerShell', eventIds: [800] }] },
  antivirus: {
    windows: [{ channel: 'Microsoft-Windows-Windows Defender/Operational', eventIds: [1006, 1015, 1116, 1117] }],
  },
  dns: { windows: [{ channel: 'Microsoft-Windows-DNS-Client/Operational' }] },
};

/** Windows `service` → channel. */
export const windowsServices: Readonly<Record<string, readonly string[]>> = {
  security: ['Security'],
  system: ['System'],
  application: ['Application'],
  sysmon: [sysmonChannel],
  powershell: ['Microsoft-Windows-PowerShell/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'dns-client': ['Microsoft-Windows-DNS Client Events/Operational'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  'appmodel-runtime': ['Microsoft-Windows-AppModel-Runtime/Admin'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  'security-mitigations': [
    'Microsoft-Windows-Security-Mitigations/Kernel Mode',
    'Microsoft-Windows-Security-Mitigations/User Mode',
  ],
  'terminalservices-localsessionmanager': ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational'],
  'msexchange-management': ['MSExchange Management'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  ldap: ['Microsoft-Windows-LDAP-Client/Debug'],
  'smbserver-connectivity': ['Microsoft-Windows-SMBServer/Connectivity'],
  'smbserver-security': ['Microsoft-Windows-SMBServer/Security'],
  openssh: ['OpenSSH/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  vhdmp: ['Microsoft-Windows-VHDMP/Operational'],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'kernel-shimengine': ['Microsoft-Windows-Kernel-ShimEngine/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'certificateservicesclient-lifecycle-system': [
    'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  ],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker-Admin'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  'sysmon-operational': [sysmonChannel],
  'windows-defender': ['Microsoft-Windows-Windows Defender/Operational'],
};

/** Windows system fields (the `Event.System` block) → winlog.*. */
export const windowsSystemFields: Readonly<Record<string, readonly string[]>> = {
  EventID: ['winlog.event_id', 'event.code'],
  Channel: ['winlog.channel'],
  Provider_Name: ['winlog.provider_name'],
  Provider: ['winlog.provider_name'],
  Computer: ['winlog.computer_name', 'host.name'],
  ComputerName: ['winlog.event_data.ComputerName', 'winlog.computer_name', 'host.name'],
  EventRecordID: ['winlog.record_id'],
  Level: ['winlog.event_data.Level', 'winlog.level'],
  Task: ['winlog.event_data.Task', 'winlog.task'],
  Keywords: ['winlog.event_data.Keywords', 'winlog.keywords'],
  Security_UserID: ['winlog.user.identifier'],
  Execution_ProcessID: ['winlog.process.pid'],
};

/** Linux / macOS process and file fields (auditd-free, as our syslog and EDR-like parsers produce). */
const hostProcessFields: Record<string, string[]> = {
  Image: ['process.executable'],
  CommandLine: ['process.command_line'],
  ParentImage: ['process.parent.executable'],
  ParentCommandLine: ['process.parent.command_line'],
  User: ['user.name'],
  CurrentDirectory: ['process.working_directory'],
  ProcessId: ['process.pid'],
  ParentProcessId: ['process.parent.pid'],
  LogonId: ['process.user.id'],
  TargetFilename: ['file.path'],
  DestinationIp: ['destination.ip'],
  DestinationPort: ['destination.port'],
  DestinationHostname: ['destination.domain'],
  SourceIp: ['source.ip'],
  SourcePort: ['source.port'],
};

const webFields: Record<string, string[]> = {
  'cs-method': ['http.request.method'],
  'c-uri': ['url.original', 'url.path'],
  'cs-uri': ['url.original', 'url.path'],
  'cs-uri-stem': ['url.path'],
  'c-uri-stem': ['url.path'],
  'cs-uri-query': ['url.query'],
  'c-uri-query': ['url.query'],
  'c-uri-extension': ['url.extension'],
  'c-useragent': ['user_agent.original'],
  'cs-user-agent': ['user_agent.original'],
  'cs-referrer': ['http.request.referrer'],
  'cs-cookie': ['http.request.cookie'],
  'sc-status': ['http.response.status_code'],
  'cs-host': ['url.domain', 'destination.domain'],
  'r-dns': ['url.domain', 'destination.domain'],
  'c-ip': ['source.ip'],
  'cs-bytes': ['http.request.bytes'],
  'sc-bytes': ['http.response.bytes'],
  'cs-version': ['http.version'],
  'cs-username': ['user.name'],
  'dst-ip': ['destination.ip'],
  dst_ip: ['destination.ip'],
  src_ip: ['source.ip'],
};

const networkFields: Record<string, string[]> = {
  src_ip: ['source.ip'],
  dst_ip: ['destination.ip'],
  src_port: ['source.port'],
  dst_port: ['destination.port'],
  'id.orig_h': ['source.ip'],
  'id.resp_h': ['destination.ip'],
  'id.orig_p': ['source.port'],
  'id.resp_p': ['destination.port'],
  action: ['event.action'],
  query: ['dns.question.name'],
  answer: ['dns.answers.data'],
  record_type: ['dns.question.type'],
  qtype_name: ['dns.question.type'],
  rcode_name: ['dns.response_code'],
};

/** Zeek http rules also use the web-log names of the URI and user agent. */
const zeekFields: Record<string, string[]> = {
  ...networkFields,
  'c-uri': ['url.original', 'zeek.http.uri'],
  'c-useragent': ['user_agent.original', 'zeek.http.user_agent'],
};

const cloudTrailFields: Record<string, string[]> = {
  eventName: ['event.action', 'aws.cloudtrail.event_name'],
  eventSource: ['event.provider', 'aws.cloudtrail.event_source'],
  awsRegion: ['cloud.region'],
  sourceIPAddress: ['source.ip', 'source.address', 'aws.cloudtrail.source_ip_address'],
  userAgent: ['user_agent.original'],
  errorCode: ['aws.cloudtrail.error_code', 'error.code'],
  errorMessage: ['aws.cloudtrail.error_message', 'error.message'],
  eventType: ['aws.cloudtrail.event_type'],
  recipientAccountId: ['cloud.account.id', 'aws.cloudtrail.recipient_account_id'],
};

/** Non-Windows logsources, keyed `product/category/service` with `*` for any part. */
export const otherLogSources: Readonly<Record<string, LogSourceMapping>> = {
  'linux/process_creation/*': { fields: hostProcessFields, requireAny: ['process.executable', 'process.command_line'] },
  'macos/process_creation/*': { fields: hostProcessFields, requireAny: ['process.executable', 'process.command_line'] },
  'linux/file_event/*': { fields: hostProcessFields, requireAny: ['file.path'] },
  'macos/file_event/*': { fields: hostProcessFields, requireAny: ['file.path'] },
  'linux/network_connection/*': { fields: hostProcessFields, requireAny: ['destination.ip'] },
  '*/webserver/*': { fields: webFields, requireAny: ['url.original', 'http.request.method'] },
  '*/proxy/*': { fields: webFields, requireAny: ['url.original', 'http.request.method'] },
  '*/firewall/*': { fields: networkFields, requireAny: ['source.ip', 'destination.ip'] },
  '*/dns/*': { fields: networkFields, requireAny: ['dns.question.name'] },
  'zeek/*/*': { fields: zeekFields, requireAny: ['zeek'], serviceNamespace: 'zeek' },
  'aws/*/cloudtrail': { fields: cloudTrailFields, requireAny: ['aws.cloudtrail'] },
  // Host logs (syslog, auth, auditd via syslog) name their program; `message`/`event.original`
  // would admit every parsed event (Zeek, firewalls, CloudTrail all keep their original line).
  'linux/*/*': { fields: hostProcessFields, requireAny: ['process.name', 'process.executable'] },
};

/**
 * Logsources no mapping above covers (`product: cisco`, `service: nginx`, …) run only on events
 * that name that product: the logsource's name is its `product`, else its `service`, else its
 * `category`, and an event belongs to it when (case-insensitive) one of `productIdentityFields`
 * equals the name or one of its `productAliases` (`event.dataset` also by its part before the first
 * dot: `cisco.asa` → `cisco`), or when the event carries a top-level vendor namespace of that name
 * (our parsers keep vendor fields under `cisco.*`, `okta.*`, `fortinet.*`, `nginx.*`, …).
 * Nothing else reaches such a rule: an unknown logsource never means "every event".
 */
export const productIdentityFields: readonly string[] = [
  'observer.vendor',
  'observer.product',
  'event.module',
  'event.dataset',
  'cloud.provider',
];

/** Other names of a Sigma product in events (vendor names, namespaces). */
export const productAliases: Readonly<Record<string, readonly string[]>> = {
  paloalto: ['palo alto networks', 'pan-os', 'panw'],
  fortigate: ['fortinet'],
  fortios: ['fortinet', 'fortigate'],
  m365: ['microsoft 365', 'o365', 'office365'],
  gcp: ['google cloud', 'google_workspace'],
};

/** Lower-cased names an event may use for an unmapped logsource. */
export function logSourceIdentity(product?: string, category?: string, service?: string): string[] {
  const name = (product ?? service ?? category ?? '').toLowerCase();
  if (name === '') return [];
  return [name, ...(productAliases[name] ?? [])];
}

/** The mapping of a non-Windows logsource: the most specific matching key wins. */
export function otherLogSourceMapping(product = '*', category = '*', service = '*'): LogSourceMapping | undefined {
  const keys = [
    `${product}/${category}/${service}`,
    `${product}/${category}/*`,
    `${product}/*/${service}`,
    `*/${category}/*`,
    `${product}/*/*`,
  ];
  for (const key of keys) {
    const mapping = otherLogSources[key];
    if (mapping) return mapping;
  }
  return undefined;
}

/** Default path for an unmapped field of a non-Windows rule: the Sigma name itself as a dotted path, CloudTrail under aws.cloudtrail, Zeek under zeek.<service>. */
export function defaultFieldPaths(field: string, product: string | undefined, service: string | undefined): string[] {
  if (product === 'aws' || service === 'cloudtrail') {
    const [head = '', ...rest] = field.split('.');
    const snake = head.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    return [field, `aws.cloudtrail.${[snake, ...rest].join('.')}`];
  }
  const namespace = otherLogSourceMapping(product, undefined, service)?.serviceNamespace;
  if (namespace && service) return [`${namespace}.${service}.${field}`, field];
  return [field];
}
