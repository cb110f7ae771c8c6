// Entities an alert is about (host, user, IP, process, file, domain), read from its event and
// normalised so the same thing written two ways links: short lower-case host names, canonical
// IPs, lower-case hashes. Well-known system accounts and local addresses are not entities.
import type { Alert } from '../model/alert.ts';
import type { EcsEvent } from '../model/event.ts';
import type { Entity, EntityKind } from '../model/incident.ts';

const systemUsers = new Set([
  '-',
  'system',
  'local service',
  'network service',
  'localservice',
  'networkservice',
  'nt authority\\system',
  'nt authority\\local service',
  'nt authority\\network service',
  'anonymous logon',
  'dwm-1',
  'dwm-2',
  'umfd-0',
  'umfd-1',
  'n/a',
]);

function get(event: EcsEvent, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string' && item.length > 0);
  return [];
}

/**
 * Account names every machine has on its own (built-in local accounts, default cloud and lab
 * images): the same name on two hosts is two accounts, so they never link hosts.
 */
const everywhereUsers = new Set([
  'administrator',
  'admin',
  'guest',
  'root',
  'user',
  'test',
  'defaultaccount',
  'wdagutilityaccount',
  'ubuntu',
  'ec2-user',
]);

/** "WS-042.corp.example" → "ws-042"; IP-looking names stay as they are. */
export function normaliseHost(name: string): string {
  const lower = name.trim().toLowerCase();
  if (/^[\d.]+$/.test(lower) || lower.includes(':')) return lower;
  const dot = lower.indexOf('.');
  return dot > 0 ? lower.slice(0, dot) : lower;
}

/** "CORP\\Alice" and "alice@corp" → "alice"; system and machine accounts → undefined. */
export function normaliseUser(name: string): string | undefined {
  let lower = name.trim().toLowerCase();
  if (!lower || systemUsers.has(lower)) return undefined;
  const slash = lower.lastIndexOf('\\');
  if (slash >= 0) lower = lower.slice(slash + 1);
  const at = lower.indexOf('@');
  if (at > 0) lower = lower.slice(0, at);
  if (!lower || systemUsers.has(lower) || lower.endsWith('$')) return undefined;
  return lower;
}

/** Addresses that identify nothing across hosts: loopback, unspecified, link-local, multicast. */
export function isLinkableIp(ip: string): boolean {
  const lower = ip.toLowerCase();
  if (lower === '::1' || lower === '::' || lower === '0.0.0.0' || lower === '255.255.255.255' || lower === '-')
    return false;
  if (lower.startsWith('127.') || lower.startsWith('169.254.') || lower.startsWith('fe80:')) return false;
  if (/^2(2[4-9]|3\d)\./.test(lower) || lower.startsWith('ff')) return false;
  return /^[\d.]+$/.test(lower) || lower.includes(':');
}

export function isPrivateIp(ip: string): boolean {
  return (
    /^10\./.test(ip) ||
    /^192\.168\./.test(ip) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(ip) ||
    /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./.test(ip) ||
    /^f[cd]/i.test(ip)
  );
}

/** The host an event happened on (not the sensor that saw it). */
export function eventHost(event: EcsEvent): string | undefined {
  for (const path of ['host.name', 'host.hostname', 'winlog.computer_name']) {
    const [value] = texts(get(event, path));
    if (value) return normaliseHost(value);
  }
  return undefined;
}

const sources: ReadonlyArray<readonly [string, EntityKind]> = [
  ['user.name', 'user'],
  ['user.target.name', 'user'],
  ['source.user.name', 'user'],
  ['source.ip', 'ip'],
  ['destination.ip', 'ip'],
  ['client.ip', 'ip'],
  ['server.ip', 'ip'],
  ['process.entity_id', 'process'],
  ['process.parent.entity_id', 'process'],
  ['file.hash.sha256', 'file'],
  ['process.hash.sha256', 'file'],
  ['file.hash.md5', 'file'],
  ['dns.question.name', 'domain'],
  ['url.domain', 'domain'],
];

/** Entities of one event, de-duplicated, host first. */
export function eventEntities(event: EcsEvent): Entity[] {
  const entities: Entity[] = [];
  const seen = new Set<string>();
  const add = (kind: EntityKind, value: string | undefined) => {
    if (!value) return;
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    entities.push({ kind, value });
  };
  add('host', eventHost(event));
  for (const [path, kind] of sources) {
    for (const raw of texts(get(event, path))) {
      if (kind === 'user') add(kind, normaliseUser(raw));
      else if (kind === 'ip') add(kind, isLinkableIp(raw) ? raw.toLowerCase() : undefined);
      else if (kind === 'process') add(kind, raw.replace(/[{}]/g, '').toLowerCase());
      else add(kind, raw.trim().toLowerCase().replace(/\.$/, ''));
    }
  }
  return entities;
}

const userDomains: ReadonlyArray<readonly [string, string]> = [
  ['user.name', 'user.domain'],
  ['user.target.name', 'user.target.domain'],
  ['source.user.name', 'source.user.domain'],
];

/** Where an operating system and installed software keep their programs: the same file on every machine. */
const installedPrograms = /^(?:[a-z]:)?\\(?:windows|program files(?: \(x86\))?|programdata\\microsoft)\\/;

const fileHashes: ReadonlyArray<readonly [string, string]> = [
  ['process.hash.sha256', 'process.executable'],
  ['process.hash.md5', 'process.executable'],
  ['file.hash.sha256', 'file.path'],
  ['file.hash.md5', 'file.path'],
];

/**
 * Keys of the event's entities that exist only on its host, so they describe the host and never
 * link two: local accounts (their domain is the computer itself), names every machine has, and
 * hashes of installed programs (every machine of a build has the same powershell.exe).
 */
export function hostBoundKeys(event: EcsEvent): Set<string> {
  const bound = new Set<string>();
  const host = eventHost(event);
  for (const [namePath, domainPath] of userDomains) {
    const [domain] = texts(get(event, domainPath));
    for (const raw of texts(get(event, namePath))) {
      const name = normaliseUser(raw);
      if (!name) continue;
      const slash = raw.lastIndexOf('\\');
      const written = (slash > 0 ? raw.slice(0, slash) : domain)?.trim().toLowerCase();
      const local = written !== undefined && host !== undefined && normaliseHost(written) === host;
      if (local || everywhereUsers.has(name)) bound.add(`user:${name}`);
    }
  }
  for (const [hashPath, pathPath] of fileHashes) {
    const [path] = texts(get(event, pathPath));
    if (!path || !installedPrograms.test(path.trim().toLowerCase())) continue;
    for (const hash of texts(get(event, hashPath))) bound.add(`file:${hash.trim().toLowerCase()}`);
  }
  return bound;
}

function baseName(path: string | undefined): string {
  if (!path) return '';
  const lower = path.trim().toLowerCase();
  return lower.slice(Math.max(lower.lastIndexOf('\\'), lower.lastIndexOf('/')) + 1);
}

/**
 * What did it, for telling routine from new behaviour: the program and its parent program
 * ("powershell.exe<ccmexec.exe"). A rule tripped by the same programs on many hosts is one habit.
 */
export function behaviourOf(event: EcsEvent): string {
  const [image] = texts(get(event, 'process.executable'));
  const [name] = texts(get(event, 'process.name'));
  const [parent] = texts(get(event, 'process.parent.executable'));
  const [parentName] = texts(get(event, 'process.parent.name'));
  return `${baseName(image ?? name)}<${baseName(parent ?? parentName)}`;
}

export function alertEntities(alert: Alert): Entity[] {
  return alert.event ? eventEntities(alert.event) : [];
}

export function entityKey(entity: Entity): string {
  return `${entity.kind}:${entity.value}`;
}
