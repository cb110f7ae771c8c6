// Windows Security auditing events (channel Security) → ECS user, user.target, group, process, source
// and winlog.logon fields, with the event.action names Elastic's Security integration uses.
// Subject*, Target*, Member* fields keep their original names under winlog.event_data as well.
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import { addUnique, baseName, cleanIp, commandLineWords, hasKeys, parseInteger, parsePort } from './windows-fields.ts';
import type { WindowsRecord } from './windows-record.ts';

interface Categorisation {
  readonly category: readonly string[];
  readonly type: readonly string[];
  readonly action: string;
}

function entry(action: string, category: string[], type: string[]): Categorisation {
  return { action, category, type };
}

const authentication = ['authentication'];
const iam = ['iam'];
const process = ['process'];

/** Security event id → ECS categorisation. */
export const securityEvents: Readonly<Record<string, Categorisation>> = {
  '104': entry('log-cleared', iam, ['admin', 'change']),
  '1100': entry('logging-service-shutdown', process, ['end']),
  '1102': entry('audit-log-cleared', iam, ['admin', 'change']),
  '1104': entry('logging-full', process, ['change']),
  '1108': entry('logging-processing-error', process, ['error']),
  '4608': entry('windows-started-up', process, ['start']),
  '4609': entry('windows-shutdown-initiated', process, ['end']),
  '4610': entry('authentication-package-loaded', ['configuration'], ['info']),
  '4616': entry('system-time-changed', ['configuration'], ['change']),
  '4624': entry('logged-in', authentication, ['start']),
  '4625': entry('logon-failed', authentication, ['start']),
  '4627': entry('group-membership-info', iam, ['group', 'info']),
  '4634': entry('logged-out', authentication, ['end']),
  '4647': entry('logged-out', authentication, ['end']),
  '4648': entry('logged-in-explicit', authentication, ['start']),
  '4656': entry('requested-handle-to-object', ['file'], ['access']),
  '4657': entry('registry-value-modified', ['configuration', 'registry'], ['change']),
  '4658': entry('closed-handle-to-object', ['file'], ['access']),
  '4660': entry('deleted-object', ['file'], ['deletion']),
  '4661': entry('requested-handle-to-object', iam, ['access']),
  '4662': entry('operation-performed-on-object', iam, ['access']),
  '4663': entry('accessed-object', ['file'], ['access']),
  '4670': entry('permissions-changed-on-object', ['configuration'], ['change']),
  '4672': entry('logged-in-special', iam, ['admin']),
  '4673': entry('privileged-service-called', iam, ['admin']),
  '4674': entry('privileged-operation-on-object', iam, ['admin']),
  '4688': entry('created-process', process, ['start']),
  '4689': entry('exited-process', process, ['end']),
  '4690': entry('duplicated-handle', process, ['access']),
  '4697': entry('service-installed', ['iam', 'configuration'], ['admin', 'change']),
  '4698': entry('scheduled-task-created', ['iam', 'configuration'], ['creation', 'admin']),
  '4699': entry('scheduled-task-deleted', ['iam', 'configuration'], ['deletion', 'admin']),
  '4700': entry('scheduled-task-enabled', ['iam', 'configuration'], ['change', 'admin']),
  '4701': entry('scheduled-task-disabled', ['iam', 'configuration'], ['change', 'admin']),
  '4702': entry('scheduled-task-updated', ['iam', 'configuration'], ['change', 'admin']),
  '4703': entry('token-right-adjusted', iam, ['admin', 'change']),
  '4704': entry('user-right-assigned', iam, ['admin', 'change']),
  '4705': entry('user-right-removed', iam, ['admin', 'change']),
  '4713': entry('kerberos-policy-changed', ['configuration'], ['change']),
  '4719': entry('changed-audit-config', iam, ['admin', 'change']),
  '4720': entry('added-user-account', iam, ['user', 'creation']),
  '4722': entry('enabled-user-account', iam, ['user', 'change']),
  '4723': entry('changed-password', iam, ['user', 'change']),
  '4724': entry('reset-password', iam, ['user', 'change']),
  '4725': entry('disabled-user-account', iam, ['user', 'deletion']),
  '4726': entry('deleted-user-account', iam, ['user', 'deletion']),
  '4727': entry('added-group-account', iam, ['group', 'creation']),
  '4728': entry('added-member-to-group', iam, ['group', 'change']),
  '4729': entry('removed-member-from-group', iam, ['group', 'change']),
  '4730': entry('deleted-group-account', iam, ['group', 'deletion']),
  '4731': entry('added-group-account', iam, ['group', 'creation']),
  '4732': entry('added-member-to-group', iam, ['group', 'change']),
  '4733': entry('removed-member-from-group', iam, ['group', 'change']),
  '4734': entry('deleted-group-account', iam, ['group', 'deletion']),
  '4735': entry('modified-group-account', iam, ['group', 'change']),
  '4737': entry('modified-group-account', iam, ['group', 'change']),
  '4738': entry('modified-user-account', iam, ['user', 'change']),
  '4739': entry('domain-policy-changed', ['configuration'], ['change']),
  '4740': entry('locked-out-user-account', iam, ['user', 'change']),
  '4741': entry('added-computer-account', iam, ['creation', 'admin']),
  '4742': entry('changed-computer-account', iam, ['change', 'admin']),
  '4743': entry('deleted-computer-account', iam, ['deletion', 'admin']),
  '4744': entry('added-distribution-group-account', iam, ['group', 'creation']),
  '4745': entry('changed-distribution-group-account', iam, ['group', 'change']),
  '4746': entry('added-member-to-distribution-group', iam, ['group', 'change']),
  '4747': entry('removed-member-from-distribution-group', iam, ['group', 'change']),
  '4748': entry('deleted-distribution-group-account', iam, ['group', 'deletion']),
  '4749': entry('added-distribution-group-account', iam, ['group', 'creation']),
  '4750': entry('changed-distribution-group-account', iam, ['group', 'change']),
  '4751': entry('added-member-to-distribution-group', iam, ['group', 'change']),
  '4752': entry('removed-member-from-distribution-group', iam, ['group', 'change']),
  '4753': entry('deleted-distribution-group-account', iam, ['group', 'deletion']),
  '4754': entry('added-group-account', iam, ['group', 'creation']),
  '4755': entry('modified-group-account', iam, ['group', 'change']),
  '4756': entry('added-member-to-group', iam, ['group', 'change']),
  '4757': entry('removed-member-from-group', iam, ['group', 'change']),
  '4758': entry('deleted-group-account', iam, ['group', 'deletion']),
  '4759': entry('added-distribution-group-account', iam, ['group', 'creation']),
  '4760': entry('changed-distribution-group-account', iam, ['group', 'change']),
  '4761': entry('added-member-to-distribution-group', iam, ['group', 'change']),
  '4762': entry('removed-member-from-distribution-group', iam, ['group', 'change']),
  '4763': entry('deleted-distribution-group-account', iam, ['group', 'deletion']),
  '4764': entry('type-changed-group-account', iam, ['group', 'change']),
  '4765': entry('added-sid-history', iam, ['user', 'change']),
  '4766': entry('failed-to-add-sid-history', iam, ['user', 'change']),
  '4767': entry('unlocked-user-account', iam, ['user', 'change']),
  '4768': entry('kerberos-authentication-ticket-requested', authentication, ['start']),
  '4769': entry('kerberos-service-ticket-requested', authentication, ['start']),
  '4770': entry('kerberos-service-ticket-renewed', authentication, ['start']),
  '4771': entry('kerberos-preauth-failed', authentication, ['start']),
  '4776': entry('credential-validated', authentication, ['start']),
  '4778': entry('session-reconnected', authentication, ['start']),
  '4779': entry('session-disconnected', authentication, ['end']),
  '4780': entry('set-admin-security-descriptor', iam, ['admin', 'change']),
  '4781': entry('renamed-user-account', iam, ['user', 'change']),
  '4782': entry('accessed-password-hash', iam, ['user', 'access']),
  '4793': entry('called-password-policy-api', iam, ['user', 'info']),
  '4794': entry('set-directory-services-restore-mode-password', iam, ['user', 'change', 'admin']),
  '4798': entry('group-membership-enumerated', iam, ['user', 'info']),
  '4799': entry('user-member-enumerated', iam, ['group', 'info']),
  '4800': entry('workstation-locked', authentication, ['info']),
  '4801': entry('workstation-unlocked', authentication, ['info']),
  '4817': entry('object-audit-settings-changed', ['configuration'], ['change']),
  '4902': entry('user-audit-policy-created', iam, ['admin', 'creation']),
  '4904': entry('registered-security-event-source', ['configuration'], ['change']),
  '4905': entry('unregistered-security-event-source', ['configuration'], ['change']),
  '4906': entry('crash-on-audit-changed', iam, ['admin', 'change']),
  '4907': entry('audit-setting-changed', iam, ['admin', 'change']),
  '4908': entry('special-group-table-changed', iam, ['admin', 'change']),
  '4912': entry('per-user-audit-policy-changed', iam, ['admin', 'change']),
  '4946': entry('firewall-rule-added', ['configuration'], ['creation']),
  '4947': entry('firewall-rule-modified', ['configuration'], ['change']),
  '4948': entry('firewall-rule-deleted', ['configuration'], ['deletion']),
  '4964': entry('logged-in-special', iam, ['admin']),
  '5136': entry('directory-service-object-modified', iam, ['change']),
  '5137': entry('directory-service-object-created', iam, ['creation']),
  '5140': entry('network-share-object-accessed', ['network', 'file'], ['info', 'access']),
  '5142': entry('network-share-object-added', ['network', 'file'], ['creation']),
  '5143': entry('network-share-object-modified', ['network', 'file'], ['change']),
  '5144': entry('network-share-object-deleted', ['network', 'file'], ['deletion']),
  '5145': entry('network-share-object-access-checked', ['network', 'file'], ['info', 'access']),
  '5152': entry('windows-filtering-platform-packet-dropped', ['network'], ['connection', 'denied']),
  '5154': entry('windows-filtering-platform-listen-permitted', ['network'], ['connection', 'allowed']),
  '5156': entry('windows-filtering-platform-connection-permitted', ['network'], ['connection', 'start', 'allowed']),
  '5157': entry('windows-filtering-platform-connection-blocked', ['network'], ['connection', 'denied']),
  '5158': entry('windows-filtering-platform-bind-permitted', ['network'], ['connection', 'allowed']),
};

/** Events whose Target* account is the one that logs on or off (ECS user). */
const logonTargetEvents = new Set(['4624', '4625', '4627', '4634', '4647', '4800', '4801', '4964']);
/** Kerberos and NTLM credential checks: the Target account is the authenticating user. */
const credentialEvents = new Set(['4768', '4769', '4770', '4771', '4772', '4773', '4776', '4777']);
/** Account management: Subject acts on Target (ECS user.target). */
const userManagementEvents = new Set([
  '4720',
  '4722',
  '4723',
  '4724',
  '4725',
  '4726',
  '4738',
  '4740',
  '4741',
  '4742',
  '4743',
  '4765',
  '4766',
  '4767',
  '4780',
  '4781',
  '4794',
  '4798',
]);
const failureEvents = new Set(['4625', '4771', '4773', '4777', '5152', '5157', '4766']);

const logonTypes: Readonly<Record<string, string>> = {
  '0': 'System',
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

const ipProtocols: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

function text(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

/** Fill an ECS user-like object from a name/domain/SID triple; returns the name when set. */
function setAccount(
  target: JsonObject,
  name: string | undefined,
  domain: string | undefined,
  id: string | undefined,
): string | undefined {
  if (id !== undefined) target.id = id;
  if (name !== undefined) target.name = name;
  if (domain !== undefined) target.domain = domain;
  return name;
}

function setExecutable(target: JsonObject, executable: string): void {
  target.executable = executable;
  const name = baseName(executable);
  if (name !== undefined) target.name = name;
}

/** Map a Security-channel record onto `document`. */
export function mapSecurity(record: WindowsRecord, document: EcsEvent, event: JsonObject): void {
  const data = record.data;
  const id = record.eventId ?? '';
  const categorisation = Object.hasOwn(securityEvents, id) ? securityEvents[id] : undefined;
  if (categorisation) {
    event.category = [...categorisation.category];
    event.type = [...categorisation.type];
    event.action = categorisation.action;
  }
  if (event.outcome === undefined && failureEvents.has(id)) event.outcome = 'failure';
  else if (event.outcome === undefined && categorisation) event.outcome = 'success';

  const related: JsonObject = {};
  const user: JsonObject = {};
  const subjectName = setAccount(
    user,
    text(data, 'SubjectUserName'),
    text(data, 'SubjectDomainName'),
    text(data, 'SubjectUserSid'),
  );
  const targetName = text(data, 'TargetUserName');
  const targetDomain = text(data, 'TargetDomainName');
  const targetSid = text(data, 'TargetUserSid') ?? text(data, 'TargetSid');
  if (subjectName !== undefined) addUnique(related, 'user', subjectName);

  const logon: JsonObject = {};
  let logonId = text(data, 'SubjectLogonId');

  if (logonTargetEvents.has(id) || credentialEvents.has(id)) {
    // The account logging on replaces the subject (usually the machine account or SYSTEM).
    delete user.id;
    delete user.name;
    delete user.domain;
    setAccount(user, targetName, targetDomain, targetSid);
    if (targetName !== undefined) addUnique(related, 'user', targetName);
    logonId = text(data, 'TargetLogonId') ?? logonId;
  } else if (id === '4648') {
    const effective: JsonObject = {};
    setAccount(effective, targetName, targetDomain, undefined);
    if (hasKeys(effective)) user.effective = effective;
    if (targetName !== undefined) addUnique(related, 'user', targetName);
    const server = text(data, 'TargetServerName');
    if (server !== undefined) document.destination = { domain: server };
  } else if (id === '4688') {
    const effective: JsonObject = {};
    setAccount(effective, targetName, targetDomain, targetSid);
    if (hasKeys(effective)) user.effective = effective;
    if (targetName !== undefined) addUnique(related, 'user', targetName);
  } else if (userManagementEvents.has(id)) {
    const userTarget: JsonObject = {};
    if (id === '4781') {
      const oldName = text(data, 'OldTargetUserName');
      const newName = text(data, 'NewTargetUserName');
      setAccount(userTarget, oldName, targetDomain, targetSid);
      if (oldName !== undefined) addUnique(related, 'user', oldName);
      if (newName !== undefined) {
        user.changes = { name: newName };
        addUnique(related, 'user', newName);
      }
    } else {
      setAccount(userTarget, targetName, targetDomain, targetSid);
      if (targetName !== undefined) addUnique(related, 'user', targetName);
    }
    if (hasKeys(userTarget)) user.target = userTarget;
  } else if (categorisation?.type[0] === 'group' && id !== '4627') {
    const group: JsonObject = {};
    setAccount(group, targetName, targetDomain, targetSid);
    if (hasKeys(group)) document.group = group;
    const memberSid = text(data, 'MemberSid');
    const memberName = text(data, 'MemberName');
    if (memberSid !== undefined || memberName !== undefined) {
      const userTarget: JsonObject = {};
      if (memberSid !== undefined) userTarget.id = memberSid;
      if (memberName !== undefined) {
        const name = distinguishedNameCommonName(memberName);
        userTarget.name = name;
        addUnique(related, 'user', name);
      }
      user.target = userTarget;
    }
  } else if (subjectName === undefined && targetName !== undefined) {
    setAccount(user, targetName, targetDomain, targetSid);
    addUnique(related, 'user', targetName);
  }
  if (hasKeys(user)) document.user = user;

  // Logon session.
  if (logonId !== undefined) logon.id = logonId;
  const logonTypeCode = text(data, 'LogonType');
  if (logonTypeCode !== undefined) {
    logon.type = Object.hasOwn(logonTypes, logonTypeCode) ? (logonTypes[logonTypeCode] as string) : logonTypeCode;
  }
  if (id === '4625' || id === '4771' || id === '4776') {
    const failure: JsonObject = {};
    const status = text(data, 'Status');
    const subStatus = text(data, 'SubStatus');
    const reason = text(data, 'FailureReason');
    if (status !== undefined) failure.status = status;
    if (subStatus !== undefined) failure.sub_status = subStatus;
    if (reason !== undefined) failure.reason = reason;
    if (hasKeys(failure)) logon.failure = failure;
  }
  if (hasKeys(logon)) (document.winlog as JsonObject).logon = logon;

  // Process.
  const processFields: JsonObject = {};
  if (id === '4688') {
    const pid = parseInteger(text(data, 'NewProcessId'));
    if (pid !== undefined) processFields.pid = pid;
    const executable = text(data, 'NewProcessName');
    if (executable !== undefined) setExecutable(processFields, executable);
    const commandLine = text(data, 'CommandLine');
    if (commandLine !== undefined) {
      processFields.command_line = commandLine;
      const args = commandLineWords(commandLine);
      processFields.args = args;
      processFields.args_count = args.length;
    }
    const parent: JsonObject = {};
    const parentPid = parseInteger(text(data, 'ProcessId'));
    if (parentPid !== undefined) parent.pid = parentPid;
    const parentExecutable = text(data, 'ParentProcessName');
    if (parentExecutable !== undefined) setExecutable(parent, parentExecutable);
    if (hasKeys(parent)) processFields.parent = parent;
  } else {
    const pid = parseInteger(text(data, 'ProcessId') ?? text(data, 'ProcessID') ?? text(data, 'CallerProcessId'));
    if (pid !== undefined && pid > 0) processFields.pid = pid;
    const executable = text(data, 'ProcessName') ?? text(data, 'Application') ?? text(data, 'CallerProcessName');
    if (executable !== undefined) setExecutable(processFields, executable);
  }
  if (hasKeys(processFields)) document.process = processFields;

  // Network peers.
  if (id === '5156' || id === '5157' || id === '5158' || id === '5152' || id === '5154') {
    mapFilteringPlatform(data, document, related);
  } else {
    const ip = cleanIp(text(data, 'IpAddress') ?? text(data, 'ClientAddress') ?? '');
    const port = parsePort(text(data, 'IpPort'));
    const workstation = text(data, 'WorkstationName') ?? text(data, 'Workstation') ?? text(data, 'ClientName');
    if (ip !== undefined || port !== undefined || workstation !== undefined) {
      const source: JsonObject = {};
      if (ip !== undefined) {
        source.ip = ip;
        addUnique(related, 'ip', ip);
      }
      if (port !== undefined) source.port = port;
      if (workstation !== undefined) source.domain = workstation;
      document.source = source;
    }
  }

  const serviceName = text(data, 'ServiceName');
  if (serviceName !== undefined) document.service = { name: serviceName };
  const objectName = text(data, 'ObjectName');
  if (objectName !== undefined && (id === '4656' || id === '4658' || id === '4660' || id === '4663')) {
    if (text(data, 'ObjectType') === 'File') document.file = { path: objectName };
  }
  if (hasKeys(related)) document.related = related;
}

function mapFilteringPlatform(data: JsonObject, document: EcsEvent, related: JsonObject): void {
  const source: JsonObject = {};
  const destination: JsonObject = {};
  const sourceIp = cleanIp(text(data, 'SourceAddress') ?? '');
  const destinationIp = cleanIp(text(data, 'DestAddress') ?? '');
  const sourcePort = parsePort(text(data, 'SourcePort'));
  const destinationPort = parsePort(text(data, 'DestPort'));
  if (sourceIp !== undefined) {
    source.ip = sourceIp;
    addUnique(related, 'ip', sourceIp);
  }
  if (sourcePort !== undefined) source.port = sourcePort;
  if (destinationIp !== undefined) {
    destination.ip = destinationIp;
    addUnique(related, 'ip', destinationIp);
  }
  if (destinationPort !== undefined) destination.port = destinationPort;
  if (hasKeys(source)) document.source = source;
  if (hasKeys(destination)) document.destination = destination;
  const network: JsonObject = {};
  const protocol = text(data, 'Protocol');
  if (protocol !== undefined) {
    network.transport = Object.hasOwn(ipProtocols, protocol) ? (ipProtocols[protocol] as string) : protocol;
  }
  const direction = text(data, 'Direction');
  if (direction === '%%14593' || direction === 'Outbound') network.direction = 'egress';
  else if (direction === '%%14592' || direction === 'Inbound') network.direction = 'ingress';
  if (hasKeys(network)) document.network = network;
}

/** "CN=John Smith,OU=Users,DC=corp" → "John Smith"; other text unchanged. */
function distinguishedNameCommonName(value: string): string {
  if (!value.startsWith('CN=') && !value.startsWith('cn=')) return value;
  let end = 3;
  while (end < value.length) {
    const code = value.charCodeAt(end);
    if (code === 92) {
      end += 2;
      continue;
    }
    if (code === 44) break;
    end++;
  }
  return value.slice(3, end).replace(/\\(.)/g, '$1');
}
