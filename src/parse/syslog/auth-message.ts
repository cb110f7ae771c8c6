// Program-specific extraction for Linux auth messages (sshd, sudo, su, PAM, shadow-utils) into ECS,
// with `event.*` categorisation in the spirit of Elastic's system/auth data stream. Regexes are
// anchored and precompiled; each message is tried only against its program's few patterns.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject } from '../../model/event.ts';

type Fields = JsonObject;

// sshd
const sshLoginPattern =
  /^(Accepted|Failed|Postponed) (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)(?: (ssh\d?)(?:: (.+))?)?$/;
const sshInvalidUserPattern = /^Invalid user (.*?) from (\S+)(?: port (\d+))?$/;
const sshNoIdentificationPattern = /^Did not receive identification string from (\S+)(?: port (\d+))?/;
const sshReceivedDisconnectPattern =
  /^(?:error: )?Received disconnect from (\S+?)(?: port (\d+))?:\s*(\d+): (.*?)(?: \[preauth\])?$/;
const sshDisconnectedPattern =
  /^(Disconnected from|Connection closed by|Connection reset by)(?: (?:invalid |authenticating )?user (\S+))? (\S+)(?: port (\d+))?(?: \[preauth\])?$/;
const sshTooManyPattern =
  /^(?:error: maximum authentication attempts exceeded for|Disconnecting(?: (?:invalid |authenticating )?user)?:? Too many authentication failures for|Disconnecting (?:invalid |authenticating )?user) (?:invalid user )?(\S+)(?: from)? ?(\S+)?(?: port (\d+))?/;
const sshReverseMappingPattern =
  /^reverse mapping checking getaddrinfo for (\S+) \[([^\]]+)\] failed(?: - POSSIBLE BREAK-IN ATTEMPT!)?/;
const sshConnectionFromPattern = /^Connection from (\S+) port (\d+) on (\S+) port (\d+)/;
const sshUserAuthRequestPattern = /^input_userauth_request: invalid user (.*?)(?: \[preauth\])?$/;
const sshRepeatedPattern = /^message repeated (\d+) times: \[ ?(.*?) ?\]$/;
const sshGenericUserFromPattern = /^(.*?) user (\S+) from (\S+)/;
const sshSubsystemPattern = /^subsystem request for (\S+) by user (\S+)/;

// PAM (any program)
const pamSessionPattern =
  /^(?:pam_unix\(([^:)]+):session\): )?session (opened|closed) for user (\S+?)(?:\(uid=(\d+)\))?(?: by (\S*?)\(uid=(\d+)\))?$/;
const pamAuthFailurePattern = /^(?:pam_\w+\(([^:)]+):(\w+)\): )?authentication failure; (.*)$/;
const pamMoreFailuresPattern = /^PAM (\d+) more authentication failures?; (.*)$/;
const pamPasswordChangedPattern = /^pam_unix\(([^:)]+):chauthtok\): password changed for (\S+)/;
/** Any other password-change (chauthtok) outcome is a refused change: weak password, unknown user, … */
const pamChauthtokPattern = /^pam_\w+\(([^:)]+):chauthtok\): (.*)$/;
const pamUnknownUserPattern = /^user "([^"]+)" does not exist/;
const pamFaillockPattern =
  /^pam_faillock\([^:)]+:auth\): Consecutive login failures for user (\S+) account temporarily locked/;
const pamRequirementPattern = /^pam_succeed_if\([^)]*\): requirement .* not met by user "([^"]+)"/;
const pamKeyValuePattern = /(\w+)=(\S*)/g;

// ftpd / xinetd
const connectionFromPattern = /^connection from (\S+) \(([^)]*)\)/;

// sudo (an error, e.g. "3 incorrect password attempts", comes before TTY=/PWD= only on failure)
const sudoPattern =
  /^\s*(\S+) : (?:((?!TTY=|PWD=).*?) ; )?(?:TTY=(\S+) ; )?PWD=(.*?) ; USER=(\S+) ;(?: GROUP=(\S+) ;)?(?: TSID=\S+ ;)?(?: ENV=.*? ;)? COMMAND=(.*)$/;

// su
const suOldPattern = /^(Successful|FAILED) su for (\S+) by (\S+)/;
const suUtilLinuxPattern = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)/;
const suShortPattern = /^([+-]) (\S+) (\S+?):(\S+)$/;

// cron, systemd-logind, passwd
const cronCommandPattern = /^\((\S+)\) CMD \((.*)\)$/;
const logindNewSessionPattern = /^New session (\S+) of user (\S+)\.$/;
const logindRemovedSessionPattern =
  /^(?:Removed session|Session) (\S+?)(?: logged out\. Waiting for processes to exit)?\.$/;
const passwdChangedPattern = /^password for '([^']+)' changed by '([^']+)'/;
/** chfn/chsh/chage: the account whose details were changed. */
const accountChangedPattern = /^changed (?:user '([^']+)' information|password expiry for (\S+)|user '([^']+)' shell)/;
const chkpwdFailedPattern = /^password check failed for user \(([^)]+)\)/;
/** systemd's unit job results; "Started/Stopped target …" are targets, not services. */
const systemdUnitPattern = /^(Started|Stopped) (?!target )\S/;

// shadow-utils
const newGroupPattern = /^(?:new group|group added to \S+): name=([^,]+)(?:, GID=(\d+))?/;
const newUserPattern = /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*?)(?:, from=(\S+))?$/;
const addToGroupPattern = /^add '([^']+)' to (?:shadow )?group '([^']+)'/;
const deleteFromGroupPattern = /^delete '([^']+)' from (?:shadow )?group '([^']+)'/;
const deleteUserPattern = /^delete user '([^']+)'/;
const removedOwnedGroupPattern = /^removed (?:shadow )?group '([^']+)' owned by '([^']+)'/;
const removedGroupPattern = /^(?:removed (?:shadow )?group '([^']+)'|group '([^']+)' removed)/;
const gpasswdMemberPattern = /^user (\S+) (added|removed) by (\S+) (?:to|from) group (\S+)/;
const failedAddingPattern = /^failed adding (user|group) '([^']+)'/;
const changeUserPattern = /^(change|lock|unlock) user '([^']+)'(?: (\w+))?/;
const groupChangedPattern = /^group changed in \S+ \(group ([^/]+)\/(\d+)/;

function setEvent(
  event: EcsEvent,
  action: string | undefined,
  category: string[] | undefined,
  type: string[] | undefined,
  outcome?: 'success' | 'failure',
): void {
  const fields = event.event as Fields;
  if (action !== undefined) fields['action'] = action;
  if (category !== undefined) fields['category'] = category;
  if (type !== undefined) fields['type'] = type;
  if (outcome !== undefined) fields['outcome'] = outcome;
}

/** The object under `key`, created when absent. */
function child(parent: Fields, key: string): Fields {
  const existing = parent[key];
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing;
  const created: Fields = {};
  parent[key] = created;
  return created;
}

function vendor(event: EcsEvent, group: string): Fields {
  return child(child(child(event as Fields, 'system'), 'auth'), group);
}

function setSource(event: EcsEvent, address: string, port?: string): void {
  const source: Fields = { address };
  if (isIP(address) !== 0) {
    source['ip'] = address;
    addRelated(event, 'ip', address);
  } else {
    source['domain'] = address;
  }
  if (port !== undefined) source['port'] = Number(port);
  event['source'] = source;
}

function setUser(event: EcsEvent, name: string | undefined, id?: string): void {
  if (!name) return;
  const user = child(event as Fields, 'user');
  user['name'] = name;
  if (id !== undefined) user['id'] = id;
  addRelated(event, 'user', name);
}

function setEffectiveUser(event: EcsEvent, name: string | undefined): void {
  if (!name) return;
  // Merge: a shipper (journald) may already have put the effective uid/gid there.
  child(child(event as Fields, 'user'), 'effective')['name'] = name;
  addRelated(event, 'user', name);
}

/** The account an IAM action is done to (`user.target.*`). */
function setTargetUser(event: EcsEvent, name: string | undefined, id?: string): void {
  if (!name) return;
  const target = child(child(event as Fields, 'user'), 'target');
  target['name'] = name;
  if (id !== undefined) target['id'] = id;
  addRelated(event, 'user', name);
}

/** user.name unless the record already names the acting user (a shipper's user.name). */
function setUserIfUnset(event: EcsEvent, name: string | undefined): void {
  const user = (event as Fields)['user'];
  if (typeof user === 'object' && user !== null && !Array.isArray(user) && typeof user['name'] === 'string') {
    addRelated(event, 'user', user['name']);
    return;
  }
  setUser(event, name);
}

function addRelated(event: EcsEvent, kind: 'ip' | 'user' | 'hosts', value: string): void {
  const related = child(event as Fields, 'related');
  const list = related[kind] as string[] | undefined;
  if (list === undefined) related[kind] = [value];
  else if (!list.includes(value)) list.push(value);
}

/**
 * A sudo command log line without its syslog header (`alice : TTY=pts/0 ; PWD=/ ; USER=root ;
 * COMMAND=…`), as `journalctl -o cat` or a collector that forwards only the message writes it.
 */
export function isSudoMessage(text: string): boolean {
  return text.length <= 4096 && sudoPattern.test(text);
}

/** Add what the program's message says to `event` (already holding the syslog fields). */
export function extractAuthFields(program: string, message: string, event: EcsEvent): void {
  if (message.length > 4096) return;
  switch (program) {
    case 'sshd':
    case 'sshd-session':
    case 'sshd-auth':
      if (!extractSshd(message, event)) extractPam(message, event);
      return;
    case 'sudo':
      if (!extractSudo(message, event)) extractPam(message, event);
      return;
    case 'su':
      if (!extractSu(message, event)) extractPam(message, event);
      return;
    case 'useradd':
    case 'groupadd':
    case 'usermod':
    case 'userdel':
    case 'groupdel':
    case 'groupmod':
    case 'gpasswd':
      extractShadowUtils(program, message, event);
      return;
    case 'chfn':
    case 'chsh':
    case 'chage': {
      const match = accountChangedPattern.exec(message);
      if (match !== null) setUser(event, match[1] ?? match[2] ?? match[3]);
      return;
    }
    case 'unix_chkpwd': {
      const match = chkpwdFailedPattern.exec(message);
      if (match === null) return;
      setUser(event, match[1]);
      setEvent(event, undefined, ['authentication'], ['info'], 'failure');
      return;
    }
    case 'systemd': {
      const match = systemdUnitPattern.exec(message);
      if (match === null) {
        extractPam(message, event);
        return;
      }
      const started = match[1] === 'Started';
      setEvent(event, started ? 'service-start' : 'service-stop', ['process'], [started ? 'start' : 'end']);
      return;
    }
    case 'CRON':
    case 'cron':
    case 'crond': {
      const match = cronCommandPattern.exec(message);
      if (match === null) {
        extractPam(message, event);
        return;
      }
      setUser(event, match[1]);
      const process = child(event as Fields, 'process');
      process['command_line'] = match[2]!;
      setEvent(event, 'cron-command', ['process'], ['start']);
      return;
    }
    case 'systemd-logind': {
      let match = logindNewSessionPattern.exec(message);
      if (match) {
        setUser(event, match[2]);
        vendor(event, 'logind')['session_id'] = match[1]!;
        setEvent(event, 'logged-on', ['session'], ['start']);
        return;
      }
      match = logindRemovedSessionPattern.exec(message);
      if (match) {
        vendor(event, 'logind')['session_id'] = match[1]!;
        setEvent(event, 'logged-off', ['session'], ['end']);
      }
      return;
    }
    case 'passwd':
    case 'chpasswd': {
      const match = passwdChangedPattern.exec(message);
      if (match === null) {
        extractPam(message, event);
        return;
      }
      setUser(event, match[2]);
      setTargetUser(event, match[1]);
      setEvent(event, 'password-changed', ['iam'], ['change'], 'success');
      return;
    }
    case 'ftpd':
    case 'vsftpd':
    case 'xinetd': {
      const match = connectionFromPattern.exec(message);
      if (match === null) return;
      setSource(event, match[1]!);
      if (match[2]) (event['source'] as Fields)['domain'] = match[2];
      setEvent(event, 'connection-accepted', ['network'], ['connection', 'start']);
      return;
    }
    default:
      extractPam(message, event);
  }
}

type Handler = (match: RegExpExecArray, event: EcsEvent) => void;

/** sshd messages in the order they are tried; the first matching pattern wins. */
const sshHandlers: readonly (readonly [RegExp, Handler])[] = [
  [
    sshLoginPattern,
    (match, event) => {
      const outcome = match[1] === 'Accepted' ? 'success' : match[1] === 'Failed' ? 'failure' : undefined;
      const ssh = vendor(event, 'ssh');
      ssh['event'] = match[1]!;
      ssh['method'] = match[2]!;
      if (match[8]) ssh['signature'] = match[8];
      setUser(event, match[4]);
      setSource(event, match[5]!, match[6]);
      const category = outcome === 'success' ? ['authentication', 'session'] : ['authentication'];
      setEvent(event, 'ssh_login', category, ['info'], outcome);
    },
  ],
  [
    sshInvalidUserPattern,
    (match, event) => {
      vendor(event, 'ssh')['event'] = 'Invalid';
      setUser(event, match[1]);
      setSource(event, match[2]!, match[3]);
      setEvent(event, 'ssh_login', ['authentication'], ['info'], 'failure');
    },
  ],
  [
    sshNoIdentificationPattern,
    (match, event) => {
      vendor(event, 'ssh')['dropped_ip'] = match[1]!;
      setSource(event, match[1]!, match[2]);
    },
  ],
  [
    sshReceivedDisconnectPattern,
    (match, event) => {
      setSource(event, match[1]!, match[2]);
      vendor(event, 'ssh')['event'] = 'Received disconnect';
      setEvent(event, 'ssh_disconnect', ['network'], ['connection', 'end']);
    },
  ],
  [
    sshDisconnectedPattern,
    (match, event) => {
      setUser(event, match[2]);
      setSource(event, match[3]!, match[4]);
      vendor(event, 'ssh')['event'] = match[1]!;
      setEvent(event, 'ssh_disconnect', ['network'], ['connection', 'end']);
    },
  ],
  [
    sshTooManyPattern,
    (match, event) => {
      setUser(event, match[1]);
      if (match[2] && match[2] !== '[preauth]') setSource(event, match[2], match[3]);
      vendor(event, 'ssh')['event'] = 'Too many authentication failures';
      setEvent(event, 'ssh_login', ['authentication'], ['info'], 'failure');
    },
  ],
  [
    sshReverseMappingPattern,
    (match, event) => {
      const source: Fields = { domain: match[1]! };
      if (isIP(match[2]!) !== 0) {
        source['ip'] = match[2]!;
        source['address'] = match[2]!;
        addRelated(event, 'ip', match[2]!);
      }
      event['source'] = source;
    },
  ],
  [
    sshConnectionFromPattern,
    (match, event) => {
      setSource(event, match[1]!, match[2]);
      const destination: Fields = { address: match[3]!, port: Number(match[4]) };
      if (isIP(match[3]!) !== 0) destination['ip'] = match[3]!;
      event['destination'] = destination;
      setEvent(event, 'ssh_connection', ['network'], ['connection', 'start']);
    },
  ],
  [
    sshUserAuthRequestPattern,
    (match, event) => {
      setUser(event, match[1]);
      setEvent(event, 'ssh_login', ['authentication'], ['info'], 'failure');
    },
  ],
];

function extractSshd(message: string, event: EcsEvent, depth = 0): boolean {
  for (const [pattern, handle] of sshHandlers) {
    const match = pattern.exec(message);
    if (match) {
      handle(match, event);
      return true;
    }
  }
  if (depth === 0) {
    const repeated = sshRepeatedPattern.exec(message);
    if (repeated) return extractSshd(repeated[2]!, event, 1);
  }
  if (message.startsWith('pam_') || message.startsWith('PAM ') || message.startsWith('session ')) return false;
  const subsystem = sshSubsystemPattern.exec(message);
  if (subsystem) {
    setUser(event, subsystem[2]);
    return true;
  }
  const generic = sshGenericUserFromPattern.exec(message);
  if (generic) {
    vendor(event, 'ssh')['event'] = generic[1]!;
    setUser(event, generic[2]);
    setSource(event, generic[3]!);
    return true;
  }
  return false;
}

function pamKeyValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  pamKeyValuePattern.lastIndex = 0;
  for (let match = pamKeyValuePattern.exec(text); match; match = pamKeyValuePattern.exec(text)) {
    values.set(match[1]!, match[2]!);
  }
  return values;
}

function extractPam(message: string, event: EcsEvent): boolean {
  let match = pamSessionPattern.exec(message);
  if (match) {
    const opened = match[2] === 'opened';
    const target = match[3]!;
    if (match[5] !== undefined) {
      // "… for user root by alice(uid=1000)": alice became root. "by (uid=0)" names no one: the
      // acting user's name is empty, as Elastic records it (and not a related user).
      if (match[5] === '') child(event as Fields, 'user')['name'] = '';
      else setUser(event, match[5]);
      child(event as Fields, 'user')['id'] = match[6]!;
      setEffectiveUser(event, target);
    } else {
      setUser(event, target, match[4]);
    }
    const pam = vendor(event, 'pam');
    if (match[1]) pam['origin'] = match[1];
    pam['session_state'] = match[2]!;
    setEvent(event, opened ? 'logged-on' : 'logged-off', ['session'], [opened ? 'start' : 'end']);
    return true;
  }
  match = pamAuthFailurePattern.exec(message);
  if (match) {
    const values = pamKeyValues(match[3]!);
    const rhost = values.get('rhost');
    if (rhost) setSource(event, rhost);
    const user = values.get('user') || values.get('ruser') || undefined;
    if (match[2] === 'chauthtok') {
      // A failed password change: the caller (logname) tried to change user's password.
      setUserIfUnset(event, values.get('logname') || user);
      setTargetUser(event, user);
      setEvent(event, 'authentication_failure', ['iam', 'authentication'], ['change', 'info'], 'failure');
      return true;
    }
    setUser(event, user);
    setEvent(event, 'authentication_failure', ['authentication'], ['info'], 'failure');
    return true;
  }
  match = pamMoreFailuresPattern.exec(message);
  if (match) {
    const values = pamKeyValues(match[2]!);
    const rhost = values.get('rhost');
    if (rhost) setSource(event, rhost);
    setUser(event, values.get('user') || values.get('ruser') || undefined);
    setEvent(event, 'authentication_failure', ['authentication'], ['info'], 'failure');
    return true;
  }
  match = pamPasswordChangedPattern.exec(message);
  if (match) {
    setUserIfUnset(event, match[2]);
    setTargetUser(event, match[2]);
    setEvent(event, 'password-changed', ['iam'], ['change'], 'success');
    return true;
  }
  match = pamChauthtokPattern.exec(message);
  if (match) {
    const unknown = pamUnknownUserPattern.exec(match[2]!);
    if (unknown) {
      setUserIfUnset(event, undefined);
      setTargetUser(event, unknown[1]);
    }
    setEvent(event, 'password-changed', ['iam'], ['change'], 'failure');
    return true;
  }
  match = pamFaillockPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    setEvent(event, 'account-locked', ['authentication'], ['info'], 'failure');
    return true;
  }
  match = pamRequirementPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    return true;
  }
  return false;
}

/** `systemctl [options] start|stop|restart|reload UNIT…` run through sudo. */
const systemctlVerbs: Record<string, readonly [action: string, type: string]> = {
  start: ['service-start', 'start'],
  stop: ['service-stop', 'end'],
  restart: ['service-restart', 'change'],
  'try-restart': ['service-restart', 'change'],
  'reload-or-restart': ['service-restart', 'change'],
  reload: ['service-reload', 'change'],
};

function systemctlOf(command: string): { verb: readonly [string, string]; unit: string } | undefined {
  const words = command.split(/\s+/);
  const executable = words[0] ?? '';
  if (executable !== 'systemctl' && !executable.endsWith('/systemctl')) return undefined;
  const operands = words.slice(1).filter((word) => word !== '' && !word.startsWith('-'));
  const verb = systemctlVerbs[operands[0] ?? ''];
  const unit = operands[1];
  if (verb === undefined || unit === undefined) return undefined;
  return { verb, unit: unit.endsWith('.service') ? unit.slice(0, -'.service'.length) : unit };
}

function extractSudo(message: string, event: EcsEvent): boolean {
  const match = sudoPattern.exec(message);
  if (!match) return false;
  const sudo = vendor(event, 'sudo');
  if (match[2]) sudo['error'] = match[2];
  if (match[3]) sudo['tty'] = match[3];
  sudo['pwd'] = match[4]!;
  sudo['user'] = match[5]!;
  if (match[6]) sudo['group'] = match[6];
  sudo['command'] = match[7]!;
  setUser(event, match[1]);
  setEffectiveUser(event, match[5]);
  if (match[2]) {
    setEvent(event, undefined, ['process'], undefined, 'failure');
    return true;
  }
  const systemctl = systemctlOf(match[7]!);
  if (systemctl) {
    event['service'] = { name: systemctl.unit };
    setEvent(event, systemctl.verb[0], ['process'], [systemctl.verb[1]]);
  } else {
    setEvent(event, undefined, ['process'], ['start']);
  }
  return true;
}

function extractSu(message: string, event: EcsEvent): boolean {
  let match = suOldPattern.exec(message);
  if (match) {
    setUser(event, match[3]);
    setEffectiveUser(event, match[2]);
    setEvent(event, 'su', ['authentication'], ['start'], match[1] === 'Successful' ? 'success' : 'failure');
    return true;
  }
  match = suUtilLinuxPattern.exec(message);
  if (match) {
    setUser(event, match[3]);
    setEffectiveUser(event, match[2]);
    (event['process'] as Fields)['tty'] = { name: match[4]! };
    setEvent(event, 'su', ['authentication'], ['start'], match[1] ? 'failure' : 'success');
    return true;
  }
  match = suShortPattern.exec(message);
  if (match) {
    setUser(event, match[3]);
    setEffectiveUser(event, match[4]);
    setEvent(event, 'su', ['authentication'], ['start'], match[1] === '+' ? 'success' : 'failure');
    return true;
  }
  return false;
}

/**
 * What each shadow-utils program does, as Elastic categorises its messages when nothing more
 * specific is recognised (a message we cannot read still says a user or group was touched).
 */
const shadowUtilsDefaults: Record<string, { readonly type: string[]; readonly action?: string }> = {
  useradd: { type: ['user', 'creation'] },
  userdel: { type: ['user', 'deletion'] },
  usermod: { type: ['user', 'change'] },
  groupadd: { type: ['group', 'creation'], action: 'group-created' },
  groupdel: { type: ['group', 'deletion'], action: 'group-deleted' },
  groupmod: { type: ['group', 'change'], action: 'group-changed' },
  gpasswd: { type: ['change'] },
};

function extractShadowUtils(program: string, message: string, event: EcsEvent): void {
  const defaults = shadowUtilsDefaults[program]!;
  /** An IAM event: `type` and `action` fall back to the program's defaults. */
  const iam = (action?: string, type?: string[], outcome: 'success' | 'failure' = 'success'): void =>
    setEvent(event, action ?? defaults.action, ['iam'], type ?? defaults.type, outcome);
  let match = newUserPattern.exec(message);
  if (match) {
    setUser(event, match[1], match[2]);
    setTargetUser(event, match[1], match[2]);
    event['group'] = { id: match[3]! };
    const useradd = vendor(event, 'useradd');
    useradd['home'] = match[4]!;
    useradd['shell'] = match[5]!;
    iam('user-created', ['user', 'creation']);
    return;
  }
  match = newGroupPattern.exec(message);
  if (match) {
    event['group'] = match[2] ? { id: match[2], name: match[1]! } : { name: match[1]! };
    iam('group-created', ['group', 'creation']);
    return;
  }
  match = addToGroupPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    setTargetUser(event, match[1]);
    event['group'] = { name: match[2]! };
    iam('group-member-added');
    return;
  }
  match = deleteFromGroupPattern.exec(message);
  if (match) {
    setTargetUser(event, match[1]);
    event['group'] = { name: match[2]! };
    iam('group-member-removed');
    return;
  }
  match = gpasswdMemberPattern.exec(message);
  if (match) {
    setUser(event, match[3]);
    setTargetUser(event, match[1]);
    event['group'] = { name: match[4]! };
    iam(match[2] === 'added' ? 'group-member-added' : 'group-member-removed');
    return;
  }
  match = deleteUserPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    setTargetUser(event, match[1]);
    iam('user-deleted', ['user', 'deletion']);
    return;
  }
  match = removedOwnedGroupPattern.exec(message);
  if (match) {
    event['group'] = { name: match[1]! };
    setTargetUser(event, match[2]);
    iam('group-deleted', ['group', 'deletion']);
    return;
  }
  match = removedGroupPattern.exec(message);
  if (match) {
    // userdel removing the user's own group is part of deleting the user.
    event['group'] = { name: (match[1] ?? match[2])! };
    iam();
    return;
  }
  match = changeUserPattern.exec(message);
  if (match) {
    setUser(event, match[2]);
    iam(`user-${match[1]}${match[3] ? `-${match[3]}` : ''}`, ['user', 'change']);
    return;
  }
  match = groupChangedPattern.exec(message);
  if (match) {
    event['group'] = { name: match[1]!, id: match[2]! };
    iam('group-changed', ['group', 'change']);
    return;
  }
  match = failedAddingPattern.exec(message);
  if (match) {
    if (match[1] === 'user') setUser(event, match[2]);
    else event['group'] = { name: match[2]! };
    iam(undefined, undefined, 'failure');
    return;
  }
  iam();
}
