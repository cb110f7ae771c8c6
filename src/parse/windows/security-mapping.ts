// Windows Security auditing events (channel Security) → ECS user, user.target, user.effective, group,
// process, source, file and service fields, with the categorisation Elastic's Security integration
// uses, so documents line up with Elastic's. Event data keeps its original names under winlog.event_data.
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
const iamConfiguration = ['iam', 'configuration'];
const configuration = ['configuration'];
const process = ['process'];
const shareAccess = ['network', 'file'];

/**
 * Security event id → ECS categorisation. Names follow Elastic's pipeline (including its spellings,
 * e.g. "auditlog-archieved"); ids Elastic leaves uncategorised keep descriptive names of our own.
 */
export const securityEvents: Readonly<Record<string, Categorisation>> = {
  '104': entry('log-cleared', iam, ['admin', 'change']),
  '1100': entry('logging-service-shutdown', process, ['end']),
  '1102': entry('audit-log-cleared', iam, ['admin', 'change']),
  '1104': entry('logging-full', iam, ['admin']),
  '1105': entry('auditlog-archieved', iam, ['admin']),
  '1108': entry('logging-processing-error', iam, ['admin']),
  '4608': entry('windows-started-up', process, ['start']),
  '4609': entry('windows-shutdown-initiated', process, ['end']),
  '4610': entry('authentication-package-loaded', configuration, ['access']),
  '4611': entry('trusted-logon-process-registered', configuration, ['change']),
  '4614': entry('notification-package-loaded', configuration, ['access']),
  '4616': entry('system-time-changed', configuration, ['change']),
  '4622': entry('security-package-loaded', configuration, ['access']),
  '4624': entry('logged-in', authentication, ['start']),
  '4625': entry('logon-failed', authentication, ['start']),
  '4627': entry('group-membership-info', iam, ['info']),
  '4634': entry('logged-out', authentication, ['end']),
  '4647': entry('logged-out', authentication, ['end']),
  '4648': entry('logged-in-explicit', authentication, ['start']),
  '4656': entry('requested-handle-to-object', ['file'], ['access']),
  '4657': entry('registry-value-modified', ['registry', 'configuration'], ['change']),
  '4658': entry('handle-closed-object', iamConfiguration, ['change']),
  '4659': entry('object-was-requested-with-intent-to-delete', iamConfiguration, ['change']),
  '4660': entry('object-deleted', ['file', 'registry'], ['deletion']),
  '4661': entry('requested-handle-to-object', iam, ['access']),
  '4662': entry('operation-performed-on-object', iam, ['access']),
  '4663': entry('accessed-object', ['file'], ['access']),
  '4664': entry('create-hard-link', ['file'], ['creation']),
  '4670': entry('permissions-changed', iamConfiguration, ['admin', 'change']),
  '4672': entry('logged-in-special', iam, ['admin']),
  '4673': entry('privileged-service-called', iam, ['admin']),
  '4674': entry('privileged-operation', iam, ['admin']),
  '4675': entry('sids-filtered', authentication, ['info']),
  '4688': entry('created-process', process, ['start']),
  '4689': entry('exited-process', process, ['end']),
  '4690': entry('duplicate-handle-attempt', process, ['access']),
  '4691': entry('indirect-object-access-requested', process, ['access']),
  '4692': entry('dpapi-master-key-backup-attempted', configuration, ['access']),
  '4695': entry('auditable-data-unprotection-attempted', configuration, ['access']),
  '4697': entry('service-installed', iamConfiguration, ['admin', 'change']),
  '4698': entry('scheduled-task-created', iamConfiguration, ['creation', 'admin']),
  '4699': entry('scheduled-task-deleted', iamConfiguration, ['deletion', 'admin']),
  '4700': entry('scheduled-task-enabled', iamConfiguration, ['change', 'admin']),
  '4701': entry('scheduled-task-disabled', iamConfiguration, ['change', 'admin']),
  '4702': entry('scheduled-task-updated', iamConfiguration, ['change', 'admin']),
  '4703': entry('token-right-adjusted', iam, ['admin', 'change']),
  '4704': entry('user-right-assigned', iam, ['change', 'user']),
  '4705': entry('user-right-removed', iam, ['change', 'user']),
  '4706': entry('domain-trust-added', configuration, ['creation']),
  '4707': entry('domain-trust-removed', configuration, ['deletion']),
  '4713': entry('kerberos-policy-changed', configuration, ['change']),
  '4714': entry('encrypted-data-recovery-policy-changed', configuration, ['change']),
  '4715': entry('object-audit-policy-changed', configuration, ['change']),
  '4716': entry('trusted-domain-information-changed', configuration, ['change']),
  '4717': entry('system-security-access-granted', iamConfiguration, ['admin', 'change']),
  '4718': entry('system-security-access-removed', iamConfiguration, ['admin', 'deletion']),
  '4719': entry('changed-audit-config', iamConfiguration, ['admin', 'change']),
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
  '4739': entry('domain-policy-changed', configuration, ['change']),
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
  '4778': entry('session-reconnected', ['authentication', 'session'], ['start']),
  '4779': entry('session-disconnected', ['authentication', 'session'], ['end']),
  '4780': entry('set-admin-security-descriptor', iam, ['admin', 'change']),
  '4781': entry('renamed-user-account', iam, ['user', 'change']),
  '4782': entry('accessed-password-hash', iam, ['user', 'access']),
  '4793': entry('password-policy-checking-api-called', ['api'], ['info']),
  '4794': entry('set-directory-services-restore-mode-password', iam, ['user', 'change', 'admin']),
  '4797': entry('query-existence-of-blank-password', iam, ['user', 'info']),
  '4798': entry('group-membership-enumerated', iam, ['user', 'info']),
  '4799': entry('user-member-enumerated', iam, ['group', 'info']),
  '4800': entry('workstation-locked', authentication, ['info']),
  '4801': entry('workstation-unlocked', authentication, ['info']),
  '4817': entry('object-audit-changed', iamConfiguration, ['admin', 'change']),
  // Active Directory Certificate Services (Elastic's names and categories).
  '4868': entry('certificate-manager-denied-pending-certificate-request', configuration, ['change']),
  '4869': entry('certificate-services-received-resubmitted-certificate-request', configuration, ['info']),
  '4870': entry('certificate-revoked', iam, ['change']),
  '4871': entry('certificate-revocation-list-publication-requested', iam, ['info']),
  '4873': entry('certificate-request-extension-changed', iam, ['change']),
  '4874': entry('certificate-request-attributes-changed', iam, ['change']),
  '4875': entry('certificate-services-shutdown-requested', configuration, ['info']),
  '4876': entry('certificate-services-backup-started', ['session'], ['start']),
  '4886': entry('certificate-request-received', iam, ['info']),
  '4887': entry('certificate-issued', iam, ['creation']),
  '4888': entry('certificate-request-denied', iam, ['info']),
  '4889': entry('certificate-request-pending', iam, ['info']),
  '4891': entry('certificate-services-configuration-entry-changed', configuration, ['change']),
  '4892': entry('certificate-services-property-changed', configuration, ['change']),
  '4902': entry('user-audit-policy-created', iamConfiguration, ['admin', 'creation']),
  '4904': entry('security-event-source-added', iamConfiguration, ['admin', 'change']),
  '4905': entry('security-event-source-removed', iamConfiguration, ['admin', 'deletion']),
  '4906': entry('crash-on-audit-changed', iamConfiguration, ['admin', 'change']),
  '4907': entry('audit-setting-changed', iamConfiguration, ['admin', 'change']),
  '4908': entry('special-group-table-changed', iamConfiguration, ['admin', 'change']),
  '4912': entry('per-user-audit-policy-changed', iamConfiguration, ['admin', 'change']),
  '4946': entry('firewall-rule-added', configuration, ['creation']),
  '4947': entry('firewall-rule-modified', configuration, ['change']),
  '4948': entry('firewall-rule-deleted', configuration, ['deletion']),
  '4950': entry('windows-firewall-setting-changed', configuration, ['change']),
  '4954': entry('windows-firewall-group-policy-changed', configuration, ['change']),
  '4964': entry('logged-in-special', iam, ['admin', 'group']),
  '5024': entry('windows-firewall-service-started', process, ['start']),
  '5025': entry('windows-firewall-service-stopped', process, ['end']),
  '5033': entry('windows-firewall-driver-started', ['driver'], ['start']),
  '5034': entry('windows-firewall-driver-stopped', ['driver'], ['end']),
  '5037': entry('windows-firewall-driver-error', ['driver'], ['end']),
  '5136': entry('directory-service-object-modified', iamConfiguration, ['admin', 'change']),
  '5137': entry('directory-service-object-created', iamConfiguration, ['admin', 'creation']),
  '5141': entry('directory-service-object-deleted', iamConfiguration, ['admin', 'deletion']),
  '5140': entry('network-share-object-accessed', shareAccess, ['info', 'access']),
  '5142': entry('network-share-object-added', shareAccess, ['creation']),
  '5143': entry('network-share-object-modified', shareAccess, ['change']),
  '5144': entry('network-share-object-deleted', shareAccess, ['deletion']),
  '5145': entry('network-share-object-access-checked', shareAccess, ['info', 'access']),
  '5152': entry('windows-filtering-platform-packet-dropped', ['network'], ['connection', 'denied']),
  '5154': entry('windows-filtering-platform-listen-permitted', ['network'], ['connection', 'allowed']),
  '5156': entry('windows-filtering-platform-connection-permitted', ['network'], ['connection', 'start', 'allowed']),
  '5157': entry('windows-filtering-platform-connection-blocked', ['network'], ['connection', 'denied']),
  '5158': entry('windows-filtering-platform-bind-permitted', ['network'], ['connection', 'allowed']),
};

function idSet(text: string): ReadonlySet<string> {
  return new Set(text.split(' '));
}

/** Logons, logoffs and credential checks: the Target account is the user, the subject is only context. */
const logonEvents = idSet('4624 4625 4634 4647 4768 4769 4770 4771 4776 4964 4675 4800 4801');
/** The target fills the user, then the subject (who asked) takes precedence field by field. */
const subjectOverTargetEvents = idSet('4648 4627 4793');
/** The Target account is the one the subject acted on (user.target; the id only from TargetSid). */
const userTargetEvents = idSet(
  '4670 4720 4722 4723 4724 4725 4726 4738 4740 4767 4798 4817 4907 4627 4675 4793 4797 4704 4705 4765 4766 4780 4794',
);
/** The Target account is the identity the action ran as (user.effective). */
const effectiveUserEvents = idSet('4648 4688 4627 4675 4793');
/** The Target account is a group (group.*; a MemberName is the user.target). */
const groupEvents = idSet(
  '4727 4728 4729 4730 4731 4732 4733 4734 4735 4737 4744 4745 4746 4747 4748 4749 4750 4751 4752 4753 ' +
    '4754 4755 4756 4757 4758 4759 4760 4761 4762 4763 4764 4799 4627 4675 4793',
);
/** Events whose subject name Elastic lists in related.user although the user is the Target account. */
const relatedSubjectLogonEvents = idSet('4624 4648');
/** Events that name a file in ObjectName when ObjectType is File. */
const objectFileEvents = idSet('4656 4658 4659 4660 4663');
const failureEvents = idSet('4625 4771 4773 4777 5152 5157 4766');

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

/** Service types of event 4697 (Microsoft's documented values). */
const serviceTypes: Readonly<Record<string, string>> = {
  '0x1': 'Kernel Driver',
  '0x2': 'File System Driver',
  '0x8': 'Recognizer Driver',
  '0x10': 'Win32 Own Process',
  '0x20': 'Win32 Share Process',
  '0x110': 'Interactive Own Process',
  '0x120': 'Interactive Share Process',
};

/** Well-known account RIDs of a domain SID that Elastic lists in related.user when a DACL names them. */
const wellKnownAccounts: Readonly<Record<string, string>> = { '500': 'Administrator', '501': 'Guest', '502': 'KRBTGT' };

const ipProtocols: Readonly<Record<string, string>> = { '1': 'icmp', '6': 'tcp', '17': 'udp', '58': 'ipv6-icmp' };

/** A meaningful event-data value: not empty and not Windows' "-" placeholder. */
function text(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

/** The value as logged, "-" included (Elastic copies these placeholders into process and source). */
function raw(data: JsonObject, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** "alice@CORP.EXAMPLE" → "alice": Kerberos and UPN-style names keep only the account part. */
function accountName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const at = name.indexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

interface Account {
  id?: string;
  name?: string;
  domain?: string;
}

function accountObject(account: Account): JsonObject {
  const object: JsonObject = {};
  if (account.id !== undefined) object.id = account.id;
  if (account.name !== undefined) object.name = account.name;
  if (account.domain !== undefined) object.domain = account.domain;
  return object;
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
  mapAccounts(id, data, document, related);
  mapLogon(id, data, document);
  mapProcess(id, data, document);
  mapPeers(id, data, document, related);
  mapObjects(id, data, document);
  mapDescriptorAccounts(id, data, related);
  mapDirectoryObject(id, data, document, event, related);
  if (hasKeys(related)) document.related = related;
}

const directoryOperations: Readonly<Record<string, string>> = {
  '%%14674': 'Value Added',
  '%%14675': 'Value Deleted',
};

/** The first RDN's value of a distinguished name, unescaped: "CN=Smith\\, Ann,OU=Staff,…" → "Smith, Ann". */
export function firstRdnValue(dn: string): string | undefined {
  const equals = dn.indexOf('=');
  if (equals < 0) return undefined;
  // Built from slices between escapes (a string grown one character at a time stays in pieces).
  const parts: string[] = [];
  let runStart = equals + 1;
  let index = runStart;
  for (; index < dn.length; index++) {
    const character = dn[index];
    if (character === '\\' && index + 1 < dn.length) {
      parts.push(dn.slice(runStart, index));
      index++;
      runStart = index;
    } else if (character === ',') {
      break;
    }
  }
  parts.push(dn.slice(runStart, index));
  const value = parts.join('');
  return value === '' ? undefined : value;
}

/** Directory service changes (5136/5137/5141): the operation as event.reason, a changed user object as user.target. */
function mapDirectoryObject(
  id: string,
  data: JsonObject,
  document: EcsEvent,
  event: JsonObject,
  related: JsonObject,
): void {
  if (id !== '5136' && id !== '5137' && id !== '5141') return;
  const operation = text(data, 'OperationType');
  if (operation !== undefined) {
    event.reason = (Object.hasOwn(directoryOperations, operation) && directoryOperations[operation]) || operation;
  }
  const dn = text(data, 'ObjectDN');
  if (dn === undefined || text(data, 'ObjectClass') !== 'user') return;
  const name = firstRdnValue(dn);
  if (name === undefined) return;
  const user = (document.user as JsonObject | undefined) ?? {};
  user.target = { name };
  document.user = user;
  addUnique(related, 'user', name);
}

function mapAccounts(id: string, data: JsonObject, document: EcsEvent, related: JsonObject): void {
  const subject: Account = {
    id: text(data, 'SubjectUserSid'),
    name: text(data, 'SubjectUserName'),
    domain: text(data, 'SubjectDomainName'),
  };
  const targetName = accountName(text(data, 'TargetUserName'));
  const targetDomain = text(data, 'TargetDomainName');
  const targetUserSid = text(data, 'TargetUserSid');
  const targetSid = text(data, 'TargetSid');
  const target: Account = { id: targetUserSid ?? targetSid, name: targetName, domain: targetDomain };

  let user: Account;
  if (logonEvents.has(id)) {
    user = target;
    if (targetName !== undefined) addUnique(related, 'user', targetName);
    if (relatedSubjectLogonEvents.has(id) && subject.name !== undefined) addUnique(related, 'user', subject.name);
  } else if (subjectOverTargetEvents.has(id)) {
    user = { id: subject.id ?? target.id, name: subject.name ?? targetName, domain: subject.domain ?? targetDomain };
    if (targetName !== undefined) addUnique(related, 'user', targetName);
    if (subject.name !== undefined) addUnique(related, 'user', subject.name);
  } else if (id === '4778' || id === '4779') {
    user = { name: text(data, 'AccountName'), domain: text(data, 'AccountDomain') };
    if (user.name !== undefined) addUnique(related, 'user', user.name);
  } else if (subject.id === undefined && subject.name === undefined && targetName !== undefined && !hasTargetRole(id)) {
    // Events without a subject (e.g. some Kerberos and audit-system events) are about the target.
    user = target;
    addUnique(related, 'user', targetName);
  } else {
    user = subject;
    if (subject.name !== undefined) addUnique(related, 'user', subject.name);
  }
  const userObject = accountObject(user);

  if (effectiveUserEvents.has(id)) {
    const effective = accountObject({ id: targetUserSid, name: targetName, domain: targetDomain });
    if (hasKeys(effective)) userObject.effective = effective;
    if (targetName !== undefined) addUnique(related, 'user', targetName);
  }

  const userTarget: JsonObject = {};
  if (groupEvents.has(id)) {
    // Group names are not principals: an "@" in one is part of the name.
    const group = accountObject({
      id: targetSid ?? targetUserSid,
      name: text(data, 'TargetUserName'),
      domain: stripDomainComponent(targetDomain),
    });
    if (hasKeys(group)) document.group = group;
    const memberName = text(data, 'MemberName');
    const memberSid = text(data, 'MemberSid');
    if (memberSid !== undefined) userTarget.id = memberSid;
    if (memberName !== undefined) {
      const member = distinguishedNameMember(memberName);
      userTarget.name = member.name;
      if (member.domain !== undefined) userTarget.domain = member.domain;
      addUnique(related, 'user', member.name);
    }
    if (hasKeys(userTarget) && hasKeys(group)) userTarget.group = { ...group };
  }
  if (userTargetEvents.has(id)) {
    if (targetSid !== undefined) userTarget.id = targetSid;
    if (targetName !== undefined) {
      userTarget.name = targetName;
      addUnique(related, 'user', targetName);
    }
    if (targetDomain !== undefined) userTarget.domain = targetDomain;
  }
  // 4781 renames an account: the old name is the target, the new one the change.
  const oldName = text(data, 'OldTargetUserName');
  const newName = text(data, 'NewTargetUserName');
  if (oldName !== undefined) {
    userTarget.name = oldName;
    if (targetSid !== undefined) userTarget.id = targetSid;
    if (targetDomain !== undefined) userTarget.domain = targetDomain;
    addUnique(related, 'user', oldName);
  }
  if (newName !== undefined) {
    userObject.changes = { name: newName };
    addUnique(related, 'user', newName);
  }
  if (hasKeys(userTarget)) userObject.target = userTarget;
  if (id === '4688' && targetName !== undefined) addUnique(related, 'user', targetName);
  if (hasKeys(userObject)) document.user = userObject;
}

/** Whether the event's Target* fields name something other than the acting user. */
function hasTargetRole(id: string): boolean {
  return (
    userTargetEvents.has(id) ||
    groupEvents.has(id) ||
    effectiveUserEvents.has(id) ||
    id === '4741' ||
    id === '4742' ||
    id === '4743'
  );
}

function mapLogon(id: string, data: JsonObject, document: EcsEvent): void {
  const logon: JsonObject = {};
  const logonId =
    logonEvents.has(id) || id === '4627'
      ? (text(data, 'TargetLogonId') ?? text(data, 'SubjectLogonId'))
      : (text(data, 'SubjectLogonId') ?? text(data, 'LogonID'));
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
}

function setExecutable(target: JsonObject, executable: string): void {
  target.executable = executable;
  // Elastic names the process after the last path component, "-" staying "-".
  const name = executable === '-' ? '-' : baseName(executable);
  if (name !== undefined) target.name = name;
}

function mapProcess(id: string, data: JsonObject, document: EcsEvent): void {
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
    // ProcessId 0x0 is logged for work done by the kernel on behalf of a remote caller; Elastic keeps it.
    const pid = parseInteger(text(data, 'ProcessId') ?? text(data, 'ProcessID') ?? text(data, 'CallerProcessId'));
    if (pid !== undefined && pid >= 0) processFields.pid = pid;
    const executable = raw(data, 'ProcessName') ?? text(data, 'Application') ?? text(data, 'CallerProcessName');
    if (executable !== undefined) setExecutable(processFields, executable);
  }
  if (hasKeys(processFields)) document.process = processFields;
}

/** A port as logged, 0 included (Elastic keeps source.port 0 for local and Kerberos logons). */
function portNumber(value: string | undefined): number | undefined {
  const port = parseInteger(value);
  return port !== undefined && port >= 0 && port < 65536 ? port : undefined;
}

function mapPeers(id: string, data: JsonObject, document: EcsEvent, related: JsonObject): void {
  if (id === '5156' || id === '5157' || id === '5158' || id === '5152' || id === '5154') {
    mapFilteringPlatform(data, document, related);
    return;
  }
  const source: JsonObject = {};
  const ip = cleanIp(text(data, 'IpAddress') ?? text(data, 'ClientAddress') ?? '');
  if (ip !== undefined) {
    source.ip = ip;
    addUnique(related, 'ip', ip);
  }
  const port = portNumber(text(data, 'IpPort'));
  if (port !== undefined) source.port = port;
  const workstation = raw(data, 'WorkstationName') ?? text(data, 'Workstation') ?? text(data, 'ClientName');
  if (workstation !== undefined) source.domain = workstation;
  if (hasKeys(source)) document.source = source;

  const serviceName = text(data, 'ServiceName');
  const serviceTypeCode = text(data, 'ServiceType');
  const serviceType =
    serviceTypeCode !== undefined && Object.hasOwn(serviceTypes, serviceTypeCode.toLowerCase())
      ? serviceTypes[serviceTypeCode.toLowerCase()]
      : undefined;
  if (serviceName !== undefined || serviceType !== undefined) {
    const service: JsonObject = {};
    if (serviceName !== undefined) service.name = serviceName;
    if (serviceType !== undefined) service.type = serviceType;
    document.service = service;
  }
}

function mapObjects(id: string, data: JsonObject, document: EcsEvent): void {
  if (id === '5140' || id === '5145') {
    mapShareFile(data, document);
    return;
  }
  if (id === '4664') {
    const fileName = text(data, 'FileName');
    if (fileName !== undefined) document.file = { path: fileName };
    return;
  }
  const objectName = text(data, 'ObjectName');
  if (objectName !== undefined && objectFileEvents.has(id) && text(data, 'ObjectType') === 'File') {
    document.file = { path: objectName };
  }
}

/** Join Windows path parts with exactly one backslash between them. */
function joinPath(base: string, relative: string): string {
  const baseEnds = base.endsWith('\\');
  const relativeStarts = relative.startsWith('\\');
  if (baseEnds && relativeStarts) return base + relative.slice(1);
  return baseEnds || relativeStarts ? base + relative : `${base}\\${relative}`;
}

/**
 * 5140/5145: the relative target inside the share's local path is the file (name, directory and
 * extension from the joined path, as Elastic's current pipeline does); without a relative target the
 * share's local path is the directory.
 */
function mapShareFile(data: JsonObject, document: EcsEvent): void {
  const file: JsonObject = {};
  const relative = text(data, 'RelativeTargetName');
  const local = text(data, 'ShareLocalPath');
  const share = text(data, 'ShareName');
  if (relative !== undefined && local !== undefined) {
    const path = joinPath(local, relative);
    file.path = path;
    const slash = path.lastIndexOf('\\');
    file.name = path.slice(slash + 1);
    if (slash > 0) file.directory = path.slice(0, slash);
  } else if (relative !== undefined) {
    file.name = baseName(relative) ?? relative;
  } else if (local !== undefined) {
    file.directory = local;
  }
  const name = file.name as string | undefined;
  const dot = name === undefined ? -1 : name.lastIndexOf('.');
  if (name !== undefined && dot >= 0 && dot < name.length - 1) file.extension = name.slice(dot + 1);
  if (relative !== undefined && share !== undefined) file.target_path = joinPath(share, relative);
  if (hasKeys(file)) document.file = file;
}

/**
 * Security descriptors (4670 permissions, 4817 audit settings, 4907, 4908): an ACE granting rights to a
 * domain's Administrator, Guest or krbtgt account puts that account in related.user.
 */
function mapDescriptorAccounts(id: string, data: JsonObject, related: JsonObject): void {
  if (id !== '4670' && id !== '4817' && id !== '4907' && id !== '4908') return;
  for (const key of ['OldSd', 'NewSd']) {
    const descriptor = text(data, key);
    if (descriptor === undefined) continue;
    for (const match of descriptor.matchAll(/\(([^()]*)\)/g)) {
      const trustee = (match[1] as string).split(';')[5];
      if (trustee === undefined || !trustee.startsWith('S-1-5-21-')) continue;
      const rid = trustee.slice(trustee.lastIndexOf('-') + 1);
      const account = Object.hasOwn(wellKnownAccounts, rid) ? wellKnownAccounts[rid] : undefined;
      if (account !== undefined) addUnique(related, 'user', account);
    }
  }
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

/** "DC=corp" → "corp": group domains are sometimes logged as a domain component. */
function stripDomainComponent(domain: string | undefined): string | undefined {
  if (domain === undefined) return undefined;
  return domain.replace(/(?:DC|dc)=/g, '');
}

/**
 * A group member's distinguished name → its common name and, like Elastic, the fourth RDN as the
 * domain ("CN=John Smith,CN=Users,DC=corp,DC=example" → John Smith, example). Escaped commas stay
 * part of the name. Other text is the name itself.
 */
function distinguishedNameMember(value: string): { name: string; domain?: string } {
  if (!value.startsWith('CN=') && !value.startsWith('cn=')) return { name: value };
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 92) {
      index++;
      continue;
    }
    if (code === 44) {
      parts.push(value.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(value.slice(start));
  const name = (parts[0] as string).slice(3).replace(/\\(.)/g, '$1');
  const fourth = parts[3];
  if (fourth === undefined) return { name };
  return { name, domain: fourth.replace(/^(?:DC|dc)=/, '') };
}
