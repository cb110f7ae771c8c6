// PowerShell events (the classic "Windows PowerShell" log: 400/403/600/800, and
// Microsoft-Windows-PowerShell/Operational or PowerShell 7's PowerShellCore/Operational: 4103/4104/4105/4106, …) → ECS process, file, user, source/
// destination user and event fields, plus the powershell.* fields of Elastic's Windows integration. The
// host context these events carry as "Key=Value" text is parsed the way Elastic's pipelines read it.
import type { EcsEvent, JsonObject } from '../../model/event.ts';
import { addUnique, commandLineArgs, setPathParts, splitUser } from './windows-fields.ts';
import type { WindowsRecord } from './windows-record.ts';

export const classicPowerShellChannel = 'Windows PowerShell';
export const powerShellOperationalChannel = 'Microsoft-Windows-PowerShell/Operational';
/** PowerShell 7 writes the same 4103/4104/4105/4106 events to its own channel. */
export const powerShellCoreChannel = 'PowerShellCore/Operational';

function isOperationalChannel(channel: string | undefined): boolean {
  return channel === powerShellOperationalChannel || channel === powerShellCoreChannel;
}

/** Whether a record belongs to one of the PowerShell logs. */
export function isPowerShellChannel(channel: string | undefined): boolean {
  return channel === classicPowerShellChannel || isOperationalChannel(channel);
}

type Fields = Map<string, string>;

function isKeyCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95;
}

function isIdentifier(text: string): boolean {
  if (text === '') return false;
  for (let index = 0; index < text.length; index++) if (!isKeyCode(text.charCodeAt(index))) return false;
  return true;
}

function isTrimmed(code: number, spaces: boolean): boolean {
  return code === 10 || code === 9 || code === 13 || (spaces && code === 32);
}

/** Trim newlines and tabs (and spaces when asked) from both ends. */
function trimControl(text: string, spaces: boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmed(text.charCodeAt(start), spaces)) start++;
  while (end > start && isTrimmed(text.charCodeAt(end - 1), spaces)) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The classic log's context block: "\tKey=Value" entries separated by "\n\t". A piece that does not start
 * with "Key=" continues the previous value, so a multi-line HostApplication stays whole.
 */
export function parseClassicContext(text: string, into: Fields): void {
  let lastKey: string | undefined;
  let lastValue = '';
  const flush = (): void => {
    if (lastKey !== undefined) into.set(lastKey, trimControl(lastValue, false));
  };
  for (const piece of text.split('\n\t')) {
    const equals = piece.indexOf('=');
    const key = equals > 0 ? trimControl(piece.slice(0, equals), false) : '';
    if (isIdentifier(key)) {
      flush();
      lastKey = key;
      lastValue = piece.slice(equals + 1);
    } else if (lastKey !== undefined && trimControl(piece, false) !== '') {
      lastValue += `\n\t${piece}`;
    }
  }
  flush();
}

/** Remove all whitespace from a key ("Host Application" → "HostApplication"), as Elastic does. */
function compactKey(key: string): string {
  let result = '';
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) result += key[index];
  }
  return result;
}

/** The operational log's ContextInfo (4103): one "Key Name = Value" per line. */
export function parseOperationalContext(text: string, into: Fields): void {
  for (const line of text.split('\n')) {
    let separator = line.indexOf('=');
    // Some renderings write "Host Name : value"; the first '=' wins when both appear.
    if (separator < 0) separator = line.indexOf(':');
    if (separator <= 0) continue;
    const key = compactKey(line.slice(0, separator));
    if (!isIdentifier(key)) continue;
    into.set(key, trimControl(line.slice(separator + 1), true));
  }
}

function field(fields: Fields, key: string): string | undefined {
  const value = fields.get(key);
  return value !== undefined && value !== '' ? value : undefined;
}

function number(fields: Fields, key: string): number | undefined {
  const value = field(fields, key);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/** "DOMAIN\\name" as domain and name; anything else (no or several backslashes) is not split. */
function domainAndName(text: string | undefined): { domain: string; name: string } | undefined {
  if (text === undefined) return undefined;
  const parts = splitUser(text);
  if (parts.domain === undefined || parts.domain === '' || parts.name === '' || parts.name.includes('\\')) {
    return undefined;
  }
  return { domain: parts.domain, name: parts.name };
}

interface InvocationDetail {
  type?: string;
  related_command?: string;
  name?: string;
  value: string;
}

/** One line of a pipeline execution detail: `Type(Command): value` or `ParameterBinding(Command): name="x"; value="y"`. */
export function parseInvocationDetail(line: string): InvocationDetail {
  const open = line.indexOf('(');
  const close = open > 0 ? line.indexOf(')', open + 1) : -1;
  const type = open > 0 ? line.slice(0, open) : '';
  if (close < 0 || line.charCodeAt(close + 1) !== 58 || type.includes(':') || close === open + 1) {
    return { value: line };
  }
  const command = line.slice(open + 1, close);
  const value = line.slice(close + 2).trimStart();
  if (type !== 'ParameterBinding') return { type, related_command: command, value };
  const nameStart = value.startsWith('name=') ? 5 : -1;
  const valueMarker = value.lastIndexOf('; value=');
  if (nameStart < 0 || valueMarker < 0) return { type, related_command: command, value };
  return {
    type,
    related_command: command,
    name: value.slice(nameStart, valueMarker),
    value: value.slice(valueMarker + 8),
  };
}

function invocationDetails(text: string | undefined): JsonObject[] {
  if (text === undefined) return [];
  const details: JsonObject[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    details.push({ ...parseInvocationDetail(line) });
  }
  return details;
}

/** The event data as text fields, keys without whitespace; nested or non-text values are left out. */
function eventDataFields(data: JsonObject): Fields {
  const fields: Fields = new Map();
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    if (typeof value === 'string') fields.set(compactKey(key), value);
  }
  return fields;
}

function eventType(eventId: string | undefined, operational: boolean): string {
  if (eventId === (operational ? '4105' : '400')) return 'start';
  if (eventId === (operational ? '4106' : '403')) return 'end';
  return 'info';
}

function mapProcess(fields: Fields, document: EcsEvent, pid: number | undefined, hostIdKey: string): void {
  const process: JsonObject = {};
  const entityId = field(fields, hostIdKey);
  if (entityId !== undefined) process.entity_id = entityId;
  const commandLine = field(fields, 'HostApplication');
  if (commandLine !== undefined) {
    process.command_line = commandLine;
    const args = commandLineArgs(commandLine);
    if (args.length > 0) {
      process.args = args;
      process.args_count = args.length;
    }
  }
  const title = field(fields, 'HostName');
  if (title !== undefined) process.title = title;
  if (pid !== undefined) process.pid = pid;
  for (const key in process) {
    if (Object.hasOwn(process, key)) {
      document.process = process;
      return;
    }
  }
}

function mapScriptFile(path: string | undefined, document: EcsEvent): void {
  if (path === undefined) return;
  const file: JsonObject = {};
  if (path.length > 1) setPathParts(file, path);
  file.path = path;
  document.file = file;
}

function mapUsers(fields: Fields, document: EcsEvent, userKey: string, userId: string | undefined): void {
  const user: JsonObject = {};
  if (userId !== undefined) user.id = userId;
  const actor = domainAndName(field(fields, userKey));
  const connected = domainAndName(field(fields, 'ConnectedUser'));
  const related: string[] = [];
  if (actor !== undefined) related.push(actor.name);
  if (connected !== undefined) {
    // A remote session: the connected user acts, the session's user is the destination.
    related.push(connected.name);
    document.source = { user: { domain: connected.domain, name: connected.name } };
    if (actor !== undefined) document.destination = { user: { domain: actor.domain, name: actor.name } };
    user.domain = connected.domain;
    user.name = connected.name;
  } else if (actor !== undefined) {
    user.domain = actor.domain;
    user.name = actor.name;
  }
  if (user.id !== undefined || user.name !== undefined) document.user = user;
  if (related.length > 0) {
    const relatedObject: JsonObject = {};
    for (const name of related) addUnique(relatedObject, 'user', name);
    document.related = relatedObject;
  }
}

function putText(target: JsonObject, key: string, value: string | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Elastic's powershell.* vendor fields (not ECS, but what analysts pivot on in Kibana). */
function powerShellFields(fields: Fields, details: JsonObject[]): JsonObject {
  const powershell: JsonObject = {};
  const engine: JsonObject = {};
  putText(engine, 'version', field(fields, 'EngineVersion'));
  putText(engine, 'new_state', field(fields, 'NewEngineState'));
  putText(engine, 'previous_state', field(fields, 'PreviousEngineState'));
  const provider: JsonObject = {};
  putText(provider, 'name', field(fields, 'ProviderName'));
  putText(provider, 'new_state', field(fields, 'NewProviderState'));
  const command: JsonObject = {};
  putText(command, 'value', field(fields, 'CommandLine'));
  putText(command, 'path', field(fields, 'CommandPath'));
  putText(command, 'name', field(fields, 'CommandName'));
  putText(command, 'type', field(fields, 'CommandType'));
  if (details.length > 0) command.invocation_details = details;
  const file: JsonObject = {};
  putText(file, 'script_block_id', field(fields, 'ScriptBlockId'));
  putText(file, 'script_block_text', field(fields, 'ScriptBlockText'));
  const hostVersion = field(fields, 'HostVersion');
  if (hostVersion !== undefined) powershell.process = { executable_version: hostVersion };
  putText(powershell, 'id', field(fields, 'ShellID'));
  putText(powershell, 'pipeline_id', field(fields, 'PipelineId') ?? field(fields, 'PipelineID'));
  putText(powershell, 'runspace_id', field(fields, 'RunspaceId') ?? field(fields, 'RunspaceID'));
  const sequence = number(fields, 'DetailSequence') ?? number(fields, 'MessageNumber');
  if (sequence !== undefined) powershell.sequence = sequence;
  const total = number(fields, 'DetailTotal') ?? number(fields, 'MessageTotal');
  if (total !== undefined) powershell.total = total;
  for (const [key, value] of [
    ['engine', engine],
    ['provider', provider],
    ['command', command],
    ['file', file],
  ] as const) {
    if (Object.keys(value).length > 0) powershell[key] = value;
  }
  return powershell;
}

/** Map a PowerShell record (either log) onto `document`. */
export function mapPowerShell(record: WindowsRecord, document: EcsEvent, event: JsonObject): void {
  const operational = isOperationalChannel(record.channel);
  const fields = eventDataFields(record.data);
  let details: JsonObject[];
  if (operational) {
    const context = field(fields, 'ContextInfo');
    if (record.eventId === '4103' && context !== undefined) parseOperationalContext(context, fields);
    details = record.eventId === '4103' ? invocationDetails(field(fields, 'Payload')) : [];
  } else {
    // 800 keeps its context in the second unnamed value, the other classic events in the third.
    const context = field(fields, record.eventId === '800' ? 'param2' : 'param3');
    if (context !== undefined) parseClassicContext(context, fields);
    details = record.eventId === '800' ? invocationDetails(field(fields, 'param3')) : [];
  }

  event.category = ['process'];
  event.type = [eventType(record.eventId, operational)];
  const sequence = number(fields, 'SequenceNumber');
  if (sequence !== undefined) event.sequence = sequence;

  // The operational log's Execution process is the PowerShell host itself; the classic log has none.
  mapProcess(fields, document, operational ? record.processId : undefined, operational ? 'HostID' : 'HostId');
  mapScriptFile(field(fields, 'Path') ?? field(fields, 'ScriptName'), document);
  mapUsers(fields, document, operational ? 'User' : 'UserId', operational ? record.userId : undefined);

  const powershell = powerShellFields(fields, details);
  if (Object.keys(powershell).length > 0) document.powershell = powershell;
}
