// Small decoders shared by the network parsers for values ECS splits further: URLs into
// url.* parts, X.509 distinguished names into x509 subject/issuer parts, and simple user agents.
import type { JsonObject } from '../../model/event.ts';
import { put } from './network-fields.ts';

/**
 * Fill url.original/path/query/extension (and scheme/domain/port for absolute URLs) under `event`.
 * A path-only URL ("/a?b") keeps domain empty unless `host` is given.
 */
export function putUrl(event: JsonObject, original: string | undefined, host?: string): void {
  if (original === undefined || original === '') return;
  put(event, 'url.original', original);
  let rest = original;
  const schemeEnd = rest.indexOf('://');
  if (schemeEnd > 0 && schemeEnd < 16) {
    put(event, 'url.scheme', rest.slice(0, schemeEnd).toLowerCase());
    rest = rest.slice(schemeEnd + 3);
    const slash = firstOf(rest, '/', '?', '#');
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    rest = slash === -1 ? '' : rest.slice(slash);
    const at = authority.lastIndexOf('@');
    const hostPort = at === -1 ? authority : authority.slice(at + 1);
    const colon = hostPort.lastIndexOf(':');
    if (colon !== -1 && hostPort.indexOf(']') < colon && /^\d{1,5}$/.test(hostPort.slice(colon + 1))) {
      put(event, 'url.domain', hostPort.slice(0, colon));
      put(event, 'url.port', Number(hostPort.slice(colon + 1)));
    } else put(event, 'url.domain', hostPort);
    if (rest === '') rest = '/';
  } else if (host !== undefined) {
    put(event, 'url.domain', host);
  }
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    put(event, 'url.fragment', rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  const question = rest.indexOf('?');
  const path = question === -1 ? rest : rest.slice(0, question);
  if (question !== -1) put(event, 'url.query', rest.slice(question + 1));
  put(event, 'url.path', path);
  const lastSlash = path.lastIndexOf('/');
  const lastDot = path.lastIndexOf('.');
  if (lastDot > lastSlash + 1 && path.length - lastDot <= 8) put(event, 'url.extension', path.slice(lastDot + 1));
}

function firstOf(text: string, ...characters: string[]): number {
  let best = -1;
  for (const character of characters) {
    const index = text.indexOf(character);
    if (index !== -1 && (best === -1 || index < best)) best = index;
  }
  return best;
}

const dnKeys: Record<string, string> = {
  CN: 'common_name',
  O: 'organization',
  OU: 'organizational_unit',
  C: 'country',
  L: 'locality',
  ST: 'state_or_province',
  DC: 'domain_component',
};

/** Split "CN=a, O=b, C=US" (comma or slash separated) into ECS x509 name parts (arrays). */
export function putDistinguishedName(target: JsonObject, prefix: string, dn: string | undefined): void {
  if (dn === undefined || dn === '' || dn.length > 4096) return;
  const parts = dn.startsWith('/') ? dn.slice(1).split('/') : dn.split(/,(?=\s*[A-Za-z]+=)/);
  for (const part of parts) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    const key = dnKeys[part.slice(0, equals).trim().toUpperCase()];
    const value = part.slice(equals + 1).trim();
    if (key === undefined || value === '') continue;
    const path = `${prefix}.${key}`;
    const node = target as Record<string, unknown>;
    appendDeep(node, path, value);
  }
}

function appendDeep(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let node = target;
  for (let index = 0; index < parts.length - 1; index++) {
    const key = parts[index]!;
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  const existing = node[last];
  if (Array.isArray(existing)) existing.push(value);
  else node[last] = [value];
}

const simpleAgent = /^([A-Za-z][\w.-]{0,40})\/(\d[\w.]{0,30})$/;

/** user_agent.original, plus name/version for "product/version" agents (curl, Wget, python-requests). */
export function putUserAgent(event: JsonObject, agent: string | undefined): void {
  if (agent === undefined || agent === '') return;
  put(event, 'user_agent.original', agent);
  const match = agent.length <= 80 ? simpleAgent.exec(agent) : null;
  if (match) {
    put(event, 'user_agent.name', match[1]);
    put(event, 'user_agent.version', match[2]);
    put(event, 'user_agent.device.name', 'Other');
  }
}
