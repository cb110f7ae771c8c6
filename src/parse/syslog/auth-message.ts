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

// PAM (any program)
const pamSessionPattern =
  /^(?:pam_unix\(([^:)]+):session\): )?session (opened|closed) for user (\S+?)(?:\(uid=(\d+)\))?(?: by (\S*?)\(uid=(\d+)\))?$/;
const pamAuthFailurePattern = /^(?:pam_unix\(([^:)]+):auth\): )?authentication failure; (.*)$/;
const pamMoreFailuresPattern = /^PAM (\d+) more authentication failures?; (.*)$/;
const pamPasswordChangedPattern = /^pam_unix\(([^:)]+):chauthtok\): password changed for (\S+)/;
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

// shadow-utils
const newGroupPattern = /^(?:new group|group added to \S+): name=([^,]+)(?:, GID=(\d+))?/;
const newUserPattern = /^new user: name=([^,]+), UID=(\d+), GID=(\d+), home=([^,]*), shell=([^,]*?)(?:, from=(\S+))?$/;
const addToGroupPattern = /^add '([^']+)' to (?:shadow )?group '([^']+)'/;
const deleteFromGroupPattern = /^delete '([^']+)' from (?:shadow )?group '([^']+)'/;
const deleteUserPattern = /^delete user '([^']+)'/;
const removedGroupPattern = /^(?:removed group '([^']+)' owned by '[^']*'|group '([^']+)' removed)/;
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
  const user = child(event as Fields, 'user');
  user['effective'] = { name };
  addRelated(event, 'user', name);
}

function addRelated(event: EcsEvent, kind: 'ip' | 'user' | 'hosts', value: string): void {
  const related = child(event as Fields, 'related');
  const list = related[kind] as string[] | undefined;
  if (list === undefined) related[kind] = [value];
  else if (!list.includes(value)) list.push(value);
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
      extractShadowUtils(message, event);
      return;
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
      const target = child(child(event as Fields, 'user'), 'target');
      target['name'] = match[1]!;
      addRelated(event, 'user', match[1]!);
      setEvent(event, 'password-changed', ['iam'], ['user', 'change'], 'success');
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
    const by = match[5];
    if (by) {
      setUser(event, by, match[6]);
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
  match = pamAuthFailurePattern.exec(message) ?? pamMoreFailuresPattern.exec(message);
  if (match) {
    const values = pamKeyValues(match[2]!);
    const rhost = values.get('rhost');
    if (rhost) setSource(event, rhost);
    const user = values.get('user') || values.get('ruser') || undefined;
    setUser(event, user);
    setEvent(event, 'authentication_failure', ['authentication'], ['info'], 'failure');
    return true;
  }
  match = pamPasswordChangedPattern.exec(message);
  if (match) {
    setUser(event, match[2]);
    setEvent(event, 'password-changed', ['iam'], ['user', 'change'], 'success');
    return true;
  }
  return false;
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
  setEvent(event, undefined, ['process'], undefined, match[2] ? 'failure' : undefined);
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

function extractShadowUtils(message: string, event: EcsEvent): boolean {
  let match = newUserPattern.exec(message);
  if (match) {
    setUser(event, match[1], match[2]);
    event['group'] = { id: match[3]! };
    const useradd = vendor(event, 'useradd');
    useradd['home'] = match[4]!;
    useradd['shell'] = match[5]!;
    setEvent(event, 'user-created', ['iam'], ['user', 'creation'], 'success');
    return true;
  }
  match = newGroupPattern.exec(message);
  if (match) {
    event['group'] = match[2] ? { id: match[2], name: match[1]! } : { name: match[1]! };
    setEvent(event, 'group-created', ['iam'], ['group', 'creation'], 'success');
    return true;
  }
  match = addToGroupPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    event['group'] = { name: match[2]! };
    setEvent(event, 'user-added-to-group', ['iam'], ['group', 'change'], 'success');
    return true;
  }
  match = deleteFromGroupPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    event['group'] = { name: match[2]! };
    setEvent(event, 'user-removed-from-group', ['iam'], ['group', 'change'], 'success');
    return true;
  }
  match = deleteUserPattern.exec(message);
  if (match) {
    setUser(event, match[1]);
    setEvent(event, 'user-deleted', ['iam'], ['user', 'deletion'], 'success');
    return true;
  }
  match = removedGroupPattern.exec(message);
  if (match) {
    event['group'] = { name: (match[1] ?? match[2])! };
    setEvent(event, 'group-deleted', ['iam'], ['group', 'deletion'], 'success');
    return true;
  }
  match = changeUserPattern.exec(message);
  if (match) {
    setUser(event, match[2]);
    setEvent(event, `user-${match[1]}${match[3] ? `-${match[3]}` : ''}`, ['iam'], ['user', 'change'], 'success');
    return true;
  }
  match = groupChangedPattern.exec(message);
  if (match) {
    event['group'] = { name: match[1]!, id: match[2]! };
    setEvent(event, 'group-changed', ['iam'], ['group', 'change'], 'success');
    return true;
  }
  return false;
}
