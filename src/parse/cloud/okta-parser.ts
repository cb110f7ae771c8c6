// The 'okta' parser: Okta System Log events (the LogEvent objects of /api/v1/logs, one per record
// or a JSON array of them) to ECS: actor → user/source, client → source/user_agent, targets →
// user.target / group, eventType → event.category/type/action, outcome → event.outcome.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { UserAgentParser } from '../web/user-agent.ts';

export const oktaFormat = 'okta';
const maxEvents = 100_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether an object is an Okta System Log event. */
export function isOktaEvent(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value['eventType'] === 'string' &&
    typeof value['published'] === 'string' &&
    isObject(value['actor']) &&
    (typeof value['uuid'] === 'string' || 'legacyEventType' in value || 'displayMessage' in value)
  );
}

interface Classification {
  readonly category: string[];
  readonly type: string[];
}

/** event.category/type from the eventType prefix; the first matching rule wins. */
const rules: readonly (readonly [RegExp, Classification])[] = [
  [/^user\.session\.start$/, { category: ['authentication', 'session'], type: ['start'] }],
  [/^user\.session\.(end|expire)/, { category: ['authentication', 'session'], type: ['end'] }],
  [/^user\.session\.impersonation/, { category: ['authentication', 'session'], type: ['info'] }],
  [/^user\.session\.access_admin_app$/, { category: ['authentication', 'session'], type: ['info'] }],
  [/^user\.authentication\./, { category: ['authentication'], type: ['info'] }],
  [/^user\.mfa\.factor\.(activate|update)/, { category: ['iam'], type: ['user', 'change'] }],
  [/^user\.mfa\.factor\.(deactivate|reset_all|suspend)/, { category: ['iam'], type: ['user', 'change'] }],
  [/^user\.mfa\./, { category: ['authentication'], type: ['info'] }],
  [/^user\.account\.(lock|unlock)/, { category: ['iam'], type: ['user', 'change'] }],
  [
    /^user\.account\.(update_password|reset_password|update_primary_email|update_profile)/,
    { category: ['iam'], type: ['user', 'change'] },
  ],
  [/^user\.lifecycle\.create/, { category: ['iam'], type: ['user', 'creation'] }],
  [/^user\.lifecycle\.delete/, { category: ['iam'], type: ['user', 'deletion'] }],
  [/^user\.lifecycle\./, { category: ['iam'], type: ['user', 'change'] }],
  [/^group\.user_membership\.(add|remove)/, { category: ['iam'], type: ['group', 'change'] }],
  [/^group\.lifecycle\.create/, { category: ['iam'], type: ['group', 'creation'] }],
  [/^group\.lifecycle\.delete/, { category: ['iam'], type: ['group', 'deletion'] }],
  [/^group\.privilege\./, { category: ['iam'], type: ['group', 'change'] }],
  [/^user\.account\.privilege\./, { category: ['iam'], type: ['user', 'change'] }],
  [/^application\.user_membership\./, { category: ['iam'], type: ['user', 'change'] }],
  [/^application\.lifecycle\.create/, { category: ['configuration'], type: ['creation'] }],
  [/^application\.lifecycle\.delete/, { category: ['configuration'], type: ['deletion'] }],
  [
    /^(policy|application|system|zone|network_zone|security|org|iam)\./,
    { category: ['configuration'], type: ['change'] },
  ],
  [/^app\.oauth2\./, { category: ['authentication'], type: ['info'] }],
];

function classify(eventType: string): Classification {
  for (const [pattern, classification] of rules) if (pattern.test(eventType)) return classification;
  return { category: ['iam'], type: ['info'] };
}

function outcomeOf(result: string | undefined): string | undefined {
  switch (result) {
    case 'SUCCESS':
    case 'ALLOW':
      return 'success';
    case 'FAILURE':
    case 'DENY':
      return 'failure';
    case undefined:
      return undefined;
    default:
      return 'unknown';
  }
}

function copyJson(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (depth > 32) return null;
  if (Array.isArray(value)) return value.map((item) => copyJson(item, depth + 1));
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (key !== '__proto__') result[snakeKey(key)] = copyJson((value as Json)[key], depth + 1);
  }
  return result;
}

function snakeKey(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function addUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

function geoOf(context: unknown): JsonObject | undefined {
  if (!isObject(context)) return undefined;
  const geo: JsonObject = {};
  const city = text(context['city']);
  const state = text(context['state']);
  const country = text(context['country']);
  const postal = text(context['postalCode']);
  if (city !== undefined) geo['city_name'] = city;
  if (state !== undefined) geo['region_name'] = state;
  if (country !== undefined) geo['country_name'] = country;
  if (postal !== undefined) geo['postal_code'] = postal;
  const location = context['geolocation'];
  if (isObject(location) && typeof location['lat'] === 'number' && typeof location['lon'] === 'number') {
    geo['location'] = { lat: location['lat'], lon: location['lon'] };
  }
  return Object.keys(geo).length > 0 ? geo : undefined;
}

function toEvent(record: RawRecord, okta: Json, original: string, userAgents: UserAgentParser): EcsEvent {
  const eventType = text(okta['eventType']) ?? '';
  const classification = classify(eventType);
  const outcome = isObject(okta['outcome']) ? okta['outcome'] : undefined;
  const published = typeof okta['published'] === 'string' ? parseTimestamp(okta['published']) : undefined;
  const eventFields: JsonObject = {
    original,
    kind: 'event',
    action: eventType,
    category: classification.category,
    type: classification.type,
  };
  const id = text(okta['uuid']);
  if (id !== undefined) eventFields['id'] = id;
  const result = outcomeOf(text(outcome?.['result']));
  if (result !== undefined) eventFields['outcome'] = result;
  const reason = text(outcome?.['reason']);
  if (reason !== undefined) eventFields['reason'] = reason;
  const event: EcsEvent = {
    '@timestamp': new Date(published ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
  };
  const displayMessage = text(okta['displayMessage']);
  if (displayMessage !== undefined) event.message = displayMessage;
  const severity = text(okta['severity']);
  if (severity !== undefined) event['log'] = { level: severity.toLowerCase() };

  const relatedUsers: string[] = [];
  const relatedIps: string[] = [];
  const actor = isObject(okta['actor']) ? okta['actor'] : {};
  const user: JsonObject = {};
  const actorType = text(actor['type']);
  if (actorType === undefined || actorType === 'User') {
    const name = text(actor['alternateId']);
    if (name !== undefined && name !== 'unknown') {
      user['name'] = name;
      addUnique(relatedUsers, name);
      const at = name.indexOf('@');
      if (at > 0) {
        user['email'] = name;
        user['domain'] = name.slice(at + 1);
      }
    }
    const fullName = text(actor['displayName']);
    if (fullName !== undefined && fullName !== 'unknown') user['full_name'] = fullName;
    const actorId = text(actor['id']);
    if (actorId !== undefined && actorId !== 'unknown') user['id'] = actorId;
  }

  const client = isObject(okta['client']) ? okta['client'] : {};
  const source: JsonObject = {};
  const clientIp = text(client['ipAddress']);
  if (clientIp !== undefined && isIP(clientIp) !== 0) {
    source['ip'] = clientIp;
    source['address'] = clientIp;
    addUnique(relatedIps, clientIp);
  }
  const geo = geoOf(client['geographicalContext']);
  if (geo !== undefined) source['geo'] = geo;
  const security = isObject(okta['securityContext']) ? okta['securityContext'] : undefined;
  if (security !== undefined) {
    const asNumber = security['asNumber'];
    const asOrg = text(security['asOrg']);
    if (typeof asNumber === 'number' || asOrg !== undefined) {
      const as: JsonObject = {};
      if (typeof asNumber === 'number') as['number'] = asNumber;
      if (asOrg !== undefined) as['organization'] = { name: asOrg };
      source['as'] = as;
    }
    const domain = text(security['domain']);
    if (domain !== undefined && domain !== '.') source['domain'] = domain;
  }
  if (Object.keys(user).length > 0 && Object.keys(source).length > 0) source['user'] = { ...user };
  if (Object.keys(source).length > 0) event['source'] = source;
  const agent = isObject(client['userAgent']) ? client['userAgent'] : undefined;
  const rawAgent = text(agent?.['rawUserAgent']);
  if (rawAgent !== undefined && rawAgent !== 'UNKNOWN') event['user_agent'] = userAgents.parse(rawAgent);

  // Targets: the first user target is user.target, the first group target is group / user.target.group.
  const targets = Array.isArray(okta['target']) ? okta['target'] : [];
  for (const target of targets) {
    if (!isObject(target)) continue;
    const targetType = text(target['type']);
    if (targetType === 'User' && user['target'] === undefined) {
      const targetUser: JsonObject = {};
      const name = text(target['alternateId']);
      if (name !== undefined) {
        targetUser['name'] = name;
        addUnique(relatedUsers, name);
      }
      const fullName = text(target['displayName']);
      if (fullName !== undefined) targetUser['full_name'] = fullName;
      const targetId = text(target['id']);
      if (targetId !== undefined) targetUser['id'] = targetId;
      user['target'] = targetUser;
    } else if (targetType === 'UserGroup' && event['group'] === undefined) {
      const group: JsonObject = {};
      const name = text(target['displayName']);
      if (name !== undefined) group['name'] = name;
      const groupId = text(target['id']);
      if (groupId !== undefined) group['id'] = groupId;
      event['group'] = group;
      const targetUser = (user['target'] as JsonObject | undefined) ?? {};
      targetUser['group'] = { ...group };
      user['target'] = targetUser;
    }
  }
  if (Object.keys(user).length > 0) event['user'] = user;

  // Proxies and the full IP chain add to related.ip.
  const request = isObject(okta['request']) ? okta['request'] : undefined;
  if (Array.isArray(request?.['ipChain'])) {
    for (const hop of request['ipChain']) if (isObject(hop)) addUnique(relatedIps, text(hop['ip']));
  }
  const related: JsonObject = {};
  if (relatedUsers.length > 0) related['user'] = relatedUsers;
  if (relatedIps.length > 0) related['ip'] = relatedIps;
  if (Object.keys(related).length > 0) event['related'] = related;

  const vendor: JsonObject = {};
  for (const key of Object.keys(okta)) {
    if (key === '__proto__' || key === 'published') continue;
    vendor[key === 'uuid' ? 'uuid' : snakeKey(key)] = copyJson(okta[key]);
  }
  event['okta'] = vendor;
  return event;
}

function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function createOktaParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: oktaFormat,
    description: 'Okta System Log events (LogEvent JSON, one per record or an array)',
    sniff(text, json) {
      if (json !== undefined) return isOktaEvent(json);
      // The API returns arrays of events: check cheaply before decoding.
      if (text.charCodeAt(0) !== 91 /* [ */ || !text.includes('"eventType"') || !text.includes('"published"'))
        return false;
      const value = decode(text);
      return Array.isArray(value) && value.length > 0 && isOktaEvent(value[0]);
    },
    parse(record) {
      const value: unknown = record.json ?? decode(record.text);
      if (Array.isArray(value)) {
        const events = value.slice(0, maxEvents).filter(isOktaEvent) as Json[];
        if (events.length === 0) return parseFailure(record, oktaFormat, 'no Okta System Log event in the array');
        return events.map((okta) => toEvent(record, okta, JSON.stringify(okta), userAgents));
      }
      if (!isOktaEvent(value))
        return parseFailure(record, oktaFormat, 'not an Okta System Log event (eventType, published, actor)');
      return toEvent(record, value as Json, record.text, userAgents);
    },
  };
}
