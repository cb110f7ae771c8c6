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
  readonly tags: string[];
}

// Elastic's pipeline appends event.category/type from a few hand-kept lists; later versions add
// the values of a table generated from Okta's event-type catalogue (ecs_category_type), with tags.
// An event type in the hand-kept lists is classified by them alone (its table values would add
// to, and change, what most published versions give), other types by the table (the part of it
// reproduced here); the rest fall back to the prefix rules further down. Tags come from the table.
const manualLists: readonly (readonly [string, readonly string[]])[] = [
  [
    'category:iam',
    [
      'group.user_membership.add',
      'group.user_membership.remove',
      'user.lifecycle.activate',
      'user.lifecycle.create',
      'user.lifecycle.deactivate',
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
    ],
  ],
  [
    'category:configuration',
    [
      'policy.lifecycle.activate',
      'policy.lifecycle.create',
      'policy.lifecycle.deactivate',
      'policy.lifecycle.delete',
      'policy.lifecycle.update',
      'policy.rule.activate',
      'policy.rule.add',
      'policy.rule.deactivate',
      'policy.rule.delete',
      'policy.rule.update',
      'application.lifecycle.create',
      'application.lifecycle.delete',
      'application.lifecycle.activate',
      'application.lifecycle.deactivate',
      'application.lifecycle.update',
    ],
  ],
  [
    'category:authentication',
    ['user.session.start', 'user.session.end', 'user.authentication.sso', 'policy.evaluate_sign_on'],
  ],
  ['category:session', ['user.session.start', 'user.session.end']],
  [
    'type:info',
    ['system.org.rate_limit.warning', 'system.org.rate_limit.violation', 'core.concurrency.org.limit.violation'],
  ],
  [
    'type:network',
    [
      'security.request.blocked',
      'system.org.rate_limit.warning',
      'system.org.rate_limit.violation',
      'core.concurrency.org.limit.violation',
    ],
  ],
  ['type:start', ['user.session.start']],
  ['type:end', ['user.session.end']],
  ['type:group', ['group.user_membership.add', 'group.user_membership.remove']],
  [
    'type:info',
    [
      'user.lifecycle.activate',
      'user.lifecycle.create',
      'user.lifecycle.deactivate',
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
      'user.authentication.sso',
      'user.session.start',
      'user.session.end',
      'application.user_membership.add',
      'application.user_membership.remove',
      'application.user_membership.change_username',
    ],
  ],
  [
    'type:change',
    [
      'user.lifecycle.activate',
      'user.lifecycle.deactivate',
      'user.lifecycle.suspend',
      'user.lifecycle.unsuspend',
      'group.user_membership.add',
      'group.user_membership.remove',
      'policy.lifecycle.activate',
      'policy.lifecycle.deactivate',
      'policy.lifecycle.update',
      'policy.rule.activate',
      'policy.rule.add',
      'policy.rule.deactivate',
      'policy.rule.update',
      'application.user_membership.add',
      'application.user_membership.remove',
      'application.user_membership.change_username',
    ],
  ],
  ['type:creation', ['user.lifecycle.create', 'policy.lifecycle.create', 'application.lifecycle.create']],
  ['type:deletion', ['policy.lifecycle.delete', 'application.lifecycle.delete']],
  ['type:info', ['policy.evaluate_sign_on']],
];

/** `eventType category(,…) type(,…) tag(,…)`, one line per Okta event type. */
const eventTypeTable = `
group.lifecycle.create iam creation,group event-hook-eligible,group
group.lifecycle.delete iam deletion,group event-hook-eligible,group
group.privilege.grant iam group,info event-hook-eligible,group
group.privilege.revoke iam deletion,group event-hook-eligible,group
group.profile.update iam admin,change,group event-hook-eligible,group
group.user_membership.add iam creation,group,user event-hook-eligible,group
group.user_membership.remove iam deletion,group,user event-hook-eligible,group
group.user_membership.rule.add_exclusion iam creation,group,user group
group.user_membership.rule.deactivated iam group,user group
group.user_membership.rule.error iam group,user group
group.user_membership.rule.evaluation iam group,user group
group.user_membership.rule.invalidate iam group,user group
group.user_membership.rule.trigger iam group,user group
iam.role.create iam creation,info admin-role,event-hook-eligible
iam.role.delete iam deletion,info admin-role,event-hook-eligible
iam.role.update iam change,info admin-role,changeDetails,event-hook-eligible
iam.resourceset.create configuration creation,info admin-role,event-hook-eligible
iam.resourceset.delete configuration deletion,info admin-role,event-hook-eligible
iam.resourceset.update configuration change,info admin-role,changeDetails,event-hook-eligible
policy.auth_reevaluate.action authentication info policy,security,session
policy.auth_reevaluate.enforce authentication info policy,security,session
policy.auth_reevaluate.fail authentication info event-hook-eligible,policy,security,session
policy.continuous_access.action configuration access policy,security,session
policy.continuous_access.evaluate configuration access policy,security,session
policy.entity_risk.action configuration info policy,security,session
policy.entity_risk.evaluate configuration info policy,security,session
policy.evaluate_sign_on authentication info policy
policy.execute.user.start iam user policy
policy.lifecycle.activate configuration info event-hook-eligible,policy
policy.lifecycle.create configuration creation policy
policy.lifecycle.deactivate configuration info event-hook-eligible,policy
policy.lifecycle.delete configuration deletion policy
policy.lifecycle.overwrite configuration info policy
policy.lifecycle.update configuration change changeDetails,event-hook-eligible,policy
policy.mapping.create configuration creation policy
policy.rule.action.execute configuration info policy
policy.rule.activate configuration info event-hook-eligible,policy
policy.rule.add configuration creation event-hook-eligible,policy
policy.rule.deactivate configuration info event-hook-eligible,policy
policy.rule.delete configuration deletion event-hook-eligible,policy
policy.rule.invalidate configuration info policy
policy.rule.update configuration change event-hook-eligible,policy
policy.scheduled.execute configuration info policy
security.attack.end threat indicator threat-insight
security.attack.start threat indicator threat-insight
security.authenticator.lifecycle.activate authentication info,start authenticator,event-hook-eligible,oie-only
security.authenticator.lifecycle.create authentication info authenticator,event-hook-eligible,oie-only
security.authenticator.lifecycle.deactivate authentication end,info,start authenticator,event-hook-eligible,oie-only
security.authenticator.lifecycle.update authentication info authenticator,event-hook-eligible,oie-only
security.breached_credential.detected authentication info account,event-hook-eligible,security,user
security.request.blocked threat - security
security.session.detect_client_roaming session info security,session
security.threat.detected threat indicator security,threat-insight
system.mfa.factor.activate authentication start admin,mfa
system.mfa.factor.deactivate authentication end admin,mfa
system.org.rate_limit.burst configuration info system
system.org.rate_limit.violation configuration info event-hook-eligible,system
system.org.rate_limit.warning configuration info event-hook-eligible,system
system.push.send_factor_verify_push authentication info push
system.sms.send_factor_verify_message authentication info sms,system
system.sms.send_password_reset_message authentication info sms,system
system.sms.send_phone_verification_message authentication info event-hook-eligible,sms,system
system.voice.send_mfa_challenge_call authentication info voice
system.voice.send_password_reset_call authentication info voice
system.voice.send_phone_verification_call authentication info event-hook-eligible,voice
task.lifecycle.activate configuration info task
task.lifecycle.create configuration creation task
task.lifecycle.deactivate configuration info task
task.lifecycle.delete configuration deletion task
task.lifecycle.update configuration change task
user.account.expire_password authentication end,info account,user
user.account.lock iam user account,event-hook-eligible,user
user.account.lock.limit iam user account,user
user.account.preference_update iam user account,user
user.account.privilege.grant iam info,user event-hook-eligible,user
user.account.privilege.revoke iam deletion,user event-hook-eligible,user
user.account.report_suspicious_activity_by_enduser iam info,user event-based-trigger-eligible,event-hook-eligible,user
user.account.reset_password authentication info account,event-hook-eligible,user
user.account.unlock iam user account,event-hook-eligible,user
user.account.unlock_by_admin iam user account,event-hook-eligible,user
user.account.unlock_failure iam user account,user
user.account.unlock_token iam user account,user
user.account.update_password authentication info account,end-user-visible,event-hook-eligible,user
user.account.update_primary_email iam change,user account,end-user-visible,user,user-config
user.account.update_profile iam change,user account,event-hook-eligible,user,user-config
user.account.update_secondary_email iam change,user account,end-user-visible,user,user-config
user.account.update_user_type iam change,user account,user,user-config
user.account.use_token iam user account,user
user.authentication.auth authentication info user
user.authentication.auth_unconfigured_identifier authentication info directory,user
user.authentication.auth_via_AD_agent authentication info directory,user
user.authentication.auth_via_IDP authentication info event-hook-eligible,user
user.authentication.auth_via_LDAP_agent authentication info directory,user
user.authentication.auth_via_inbound_SAML authentication info user
user.authentication.auth_via_inbound_delauth authentication info user
user.authentication.auth_via_iwa authentication info user
user.authentication.auth_via_mfa authentication info event-hook-eligible,mfa
user.authentication.auth_via_radius authentication info app,radius
user.authentication.auth_via_richclient authentication info user
user.authentication.auth_via_social authentication info event-hook-eligible,user
user.authentication.authenticate authentication info device-trust-authentication,event-hook-eligible,user
user.authentication.dsso_via_non_priority_source authentication info directory,user
user.authentication.slo authentication info user
user.authentication.sso authentication info event-hook-eligible,user
user.authentication.universal_logout authentication end event-hook-eligible,session,user
user.authentication.universal_logout.scheduled authentication end event-hook-eligible,session,user
user.authentication.verify authentication info end-user-visible,user
user.behavior.profile.reset iam admin,change,user behavior-profile,event-hook-eligible
user.credential.enroll authentication info device-trust-cert-distribution-and-binding,event-hook-eligible,user
user.identity_verification authentication info event-hook-eligible,policy,session,user
user.identity_verification.start authentication start event-hook-eligible,policy,session,user
user.import.password authentication info credential,event-hook-eligible,import,user
user.lifecycle.activate iam user event-hook-eligible,user
user.lifecycle.create iam creation,user event-hook-eligible,user
user.lifecycle.deactivate iam user event-hook-eligible,user
user.lifecycle.delete.completed iam deletion,user user
user.lifecycle.delete.initiated iam deletion,user event-hook-eligible,user
user.lifecycle.jit.error.read_only iam user user
user.lifecycle.password_mass_expiry authentication info user
user.lifecycle.reactivate iam user event-hook-eligible,user
user.lifecycle.suspend iam user event-hook-eligible,user
user.lifecycle.unsuspend iam user event-hook-eligible,user
user.mfa.attempt_bypass authentication info mfa
user.mfa.factor.activate authentication info,start end-user-visible,event-hook-eligible,mfa
user.mfa.factor.deactivate authentication end,info end-user-visible,event-hook-eligible,mfa
user.mfa.factor.reset_all authentication info event-hook-eligible,mfa
user.mfa.factor.suspend authentication info event-hook-eligible,mfa,oie-only
user.mfa.factor.unsuspend authentication info event-hook-eligible,mfa,oie-only
user.mfa.factor.update authentication info event-hook-eligible,mfa
user.mfa.okta_verify authentication info mfa
user.mfa.okta_verify.deny_push authentication info mfa
user.mfa.okta_verify.deny_push_upgrade_needed authentication info mfa
user.risk.change iam change,user event-hook-eligible,risk,security
user.risk.detect iam user event-hook-eligible,risk,security
user.session.access_admin_app session info admin,app,session,user
user.session.clear session info event-hook-eligible,session,user
user.session.context.change session info event-hook-eligible,session,user
user.session.end session end event-hook-eligible,session,user
user.session.expire session end session,user
user.session.impersonation.end session end session,user
user.session.impersonation.extend session info session,user
user.session.impersonation.grant session info session,user
user.session.impersonation.initiate session start session,user
user.session.impersonation.revoke session info session,user
user.session.start session start end-user-visible,event-hook-eligible,session,user
zone.activate configuration info network-zone
zone.create configuration creation network-zone
zone.deactivate configuration info network-zone
zone.delete configuration deletion network-zone
zone.make_blacklist configuration info network-zone
zone.remove_blacklist configuration deletion network-zone
zone.update configuration change network-zone
`;

const knownEventTypes: ReadonlyMap<string, Classification> = buildKnownEventTypes();

function buildKnownEventTypes(): Map<string, Classification> {
  const known = new Map<string, { category: string[]; type: string[]; tags: string[] }>();
  const entry = (eventType: string) => {
    let value = known.get(eventType);
    if (value === undefined) {
      value = { category: [], type: [], tags: [] };
      known.set(eventType, value);
    }
    return value;
  };
  for (const [target, eventTypes] of manualLists) {
    const [field, value] = target.split(':') as ['category' | 'type', string];
    for (const eventType of eventTypes) addUnique(entry(eventType)[field], value);
  }
  const listed = new Set(known.keys());
  for (const line of eventTypeTable.split('\n')) {
    const [eventType, categories, types, tags] = line.split(' ');
    if (eventType === undefined || eventType === '' || tags === undefined) continue;
    const value = entry(eventType);
    if (!listed.has(eventType)) {
      for (const category of categories!.split(',')) addUnique(value.category, category);
      for (const type of types!.split(',')) if (type !== '-') addUnique(value.type, type);
    }
    if (tags !== '-') value.tags.push(...tags.split(','));
  }
  return known;
}

/** Prefix rules for event types outside Elastic's lists; the first matching rule wins. */
const rules: readonly (readonly [RegExp, Omit<Classification, 'tags'>])[] = [
  [/^user\.session\./, { category: ['session'], type: ['info'] }],
  [/^user\.(authentication|mfa)\./, { category: ['authentication'], type: ['info'] }],
  [/^user\.(account|lifecycle)\./, { category: ['iam'], type: ['user', 'change'] }],
  [/^group\.user_membership\./, { category: ['iam'], type: ['group', 'change'] }],
  [/^group\.lifecycle\.create/, { category: ['iam'], type: ['group', 'creation'] }],
  [/^group\.lifecycle\.delete/, { category: ['iam'], type: ['group', 'deletion'] }],
  [/^group\.privilege\./, { category: ['iam'], type: ['group', 'change'] }],
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
  const known = knownEventTypes.get(eventType);
  if (known !== undefined) return known;
  for (const [pattern, classification] of rules) {
    if (pattern.test(eventType)) return { ...classification, tags: [] };
  }
  return { category: ['iam'], type: ['info'], tags: [] };
}

function outcomeOf(result: string | undefined): string {
  switch (result?.toLowerCase()) {
    case 'success':
    case 'allow':
      return 'success';
    case 'failure':
    case 'deny':
      return 'failure';
    default:
      // Elastic sets `unknown` also when Okta gives no result.
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

/**
 * An actor or target as ECS user fields: alternateId → name, displayName → full_name, id. Okta
 * writes `unknown` where a target has no login; the actor's values are kept as Elastic keeps them.
 */
function userOf(entity: Json, isTarget: boolean): JsonObject {
  const user: JsonObject = {};
  const known = (value: string | undefined) => (isTarget && value === 'unknown' ? undefined : value);
  const name = known(text(entity['alternateId']));
  if (name !== undefined) user['name'] = name;
  const fullName = known(text(entity['displayName']));
  if (fullName !== undefined) user['full_name'] = fullName;
  const id = known(text(entity['id']));
  if (id !== undefined) user['id'] = id;
  return user;
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
  };
  if (classification.category.length > 0) eventFields['category'] = [...classification.category];
  if (classification.type.length > 0) eventFields['type'] = [...classification.type];
  const id = text(okta['uuid']);
  if (id !== undefined) eventFields['id'] = id;
  eventFields['outcome'] = outcomeOf(text(outcome?.['result']));
  const reason = text(outcome?.['reason']);
  if (reason !== undefined) eventFields['reason'] = reason;
  const event: EcsEvent = {
    '@timestamp': new Date(published ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
  };
  if (classification.tags.length > 0) event.tags = [...classification.tags];
  const displayMessage = text(okta['displayMessage']);
  if (displayMessage !== undefined) event.message = displayMessage;
  const severity = text(okta['severity']);
  if (severity !== undefined) event['log'] = { level: severity.toLowerCase() };

  // The actor (a person, an API client or Okta itself) is the user, and also client.user /
  // source.user: the one who made the request. related.user takes its login and display name.
  const relatedUsers: string[] = [];
  const relatedIps: string[] = [];
  const actor = userOf(isObject(okta['actor']) ? okta['actor'] : {}, false);
  const user: JsonObject = {};
  if (typeof actor['full_name'] === 'string') addUnique(relatedUsers, actor['full_name']);
  if (typeof actor['name'] === 'string') {
    const name = actor['name'];
    addUnique(relatedUsers, name);
    user['name'] = name;
    const at = name.indexOf('@');
    if (at > 0) {
      user['email'] = name;
      user['domain'] = name.slice(at + 1);
    }
  }
  if (actor['full_name'] !== undefined) user['full_name'] = actor['full_name'];
  if (actor['id'] !== undefined) user['id'] = actor['id'];

  const client = isObject(okta['client']) ? okta['client'] : {};
  const source: JsonObject = {};
  const clientFields: JsonObject = {};
  const clientIp = text(client['ipAddress']);
  if (clientIp !== undefined && isIP(clientIp) !== 0) {
    source['ip'] = clientIp;
    source['address'] = clientIp;
    clientFields['ip'] = clientIp;
    addUnique(relatedIps, clientIp);
  }
  const geo = geoOf(client['geographicalContext']);
  if (geo !== undefined) {
    source['geo'] = geo;
    clientFields['geo'] = { ...geo };
  }
  const security = isObject(okta['securityContext']) ? okta['securityContext'] : undefined;
  if (security !== undefined) {
    const asNumber = security['asNumber'];
    const asOrg = text(security['asOrg']);
    if (typeof asNumber === 'number' || asOrg !== undefined) {
      const as: JsonObject = {};
      if (typeof asNumber === 'number') as['number'] = asNumber;
      if (asOrg !== undefined) as['organization'] = { name: asOrg };
      source['as'] = as;
      clientFields['as'] = structuredClone(as);
    }
    const domain = text(security['domain']);
    if (domain !== undefined && domain !== '.') {
      source['domain'] = domain;
      clientFields['domain'] = domain;
    }
  }
  if (Object.keys(actor).length > 0) {
    source['user'] = { ...actor };
    clientFields['user'] = { ...actor };
  }
  if (Object.keys(source).length > 0) event['source'] = source;
  if (Object.keys(clientFields).length > 0) event['client'] = clientFields;
  const agent = isObject(client['userAgent']) ? client['userAgent'] : undefined;
  const rawAgent = text(agent?.['rawUserAgent']);
  if (rawAgent !== undefined) event['user_agent'] = userAgents.parse(rawAgent);

  // Targets: the first user target is user.target, the first group target is group / user.target.group.
  const targets = Array.isArray(okta['target']) ? okta['target'] : [];
  for (const target of targets) {
    if (!isObject(target)) continue;
    const targetType = text(target['type']);
    if (targetType === 'User' && user['target'] === undefined) {
      const targetUser = userOf(target, true);
      if (typeof targetUser['full_name'] === 'string') addUnique(relatedUsers, targetUser['full_name']);
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

/** Events shipped several to a record, one JSON object a line (log forwarders that batch lines). */
function decodeLines(text: string): { okta: Json; line: string }[] | undefined {
  if (text.charCodeAt(0) !== 123 /* { */ || !text.includes('\n')) return undefined;
  const events: { okta: Json; line: string }[] = [];
  for (const line of text.split('\n').slice(0, maxEvents)) {
    if (line.trim() === '') continue;
    const value = decode(line);
    if (!isOktaEvent(value)) break;
    events.push({ okta: value as Json, line });
  }
  return events.length > 0 ? events : undefined;
}

/**
 * The Okta event of a shipped document: the document itself, or the event a shipper wrapped as
 * `json` (an object) or `message` (its JSON text, which then is the original).
 */
function unwrap(value: unknown, text: string): { okta: Json; original: string } | undefined {
  if (isOktaEvent(value)) return { okta: value as Json, original: text };
  if (!isObject(value)) return undefined;
  if (isOktaEvent(value['json'])) return { okta: value['json'] as Json, original: JSON.stringify(value['json']) };
  const message = value['message'];
  if (typeof message === 'string' && message.charCodeAt(0) === 123 /* { */) {
    const inner = decode(message);
    if (isOktaEvent(inner)) return { okta: inner as Json, original: message };
  }
  return undefined;
}

export function createOktaParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: oktaFormat,
    description: 'Okta System Log events (LogEvent JSON, one per record, an array or one a line)',
    sniff(text, json) {
      if (json !== undefined) return unwrap(json, text) !== undefined;
      if (!text.includes('"eventType"') || !text.includes('"published"')) return false;
      // The API returns arrays of events: check cheaply before decoding.
      if (text.charCodeAt(0) === 91 /* [ */) {
        const value = decode(text);
        return Array.isArray(value) && value.length > 0 && isOktaEvent(value[0]);
      }
      const newline = text.indexOf('\n');
      return newline > 0 && isOktaEvent(decode(text.slice(0, newline)));
    },
    parse(record) {
      const value: unknown = record.json ?? decode(record.text);
      if (Array.isArray(value)) {
        const events = value.slice(0, maxEvents).filter(isOktaEvent) as Json[];
        if (events.length === 0) return parseFailure(record, oktaFormat, 'no Okta System Log event in the array');
        return events.map((okta) => toEvent(record, okta, JSON.stringify(okta), userAgents));
      }
      if (value === undefined) {
        const lines = decodeLines(record.text);
        if (lines !== undefined) {
          if (lines.length === 1) return toEvent(record, lines[0]!.okta, record.text, userAgents);
          return lines.map(({ okta, line }) => toEvent(record, okta, line, userAgents));
        }
      }
      const event = unwrap(value, record.text);
      if (event === undefined)
        return parseFailure(record, oktaFormat, 'not an Okta System Log event (eventType, published, actor)');
      return toEvent(record, event.okta, event.original, userAgents);
    },
  };
}
