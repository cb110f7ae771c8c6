// The 'aws-cloudtrail' parser: AWS CloudTrail records to ECS. Accepts one record per line, the
// `{"Records":[…]}` file form (several events), EventBridge envelopes (`detail` holds the record),
// CloudTrail Insights events and digest files. Fields map the way Elastic's aws.cloudtrail pipeline
// maps them, so rules and dashboards written for either read the same values.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { UserAgentParser } from '../web/user-agent.ts';
import { entitiesOf } from './cloudtrail-entities.ts';

export const cloudTrailFormat = 'aws-cloudtrail';
const maxRecords = 100_000;
const maxDepth = 32;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function objectAt(value: unknown, key: string): Json | undefined {
  if (!isObject(value)) return undefined;
  const child = value[key];
  return isObject(child) ? child : undefined;
}

/** Whether an object is one CloudTrail record: an API call, an Insights event or a digest file. */
export function isCloudTrailRecord(value: unknown): boolean {
  if (!isObject(value)) return false;
  if (typeof value['eventSource'] === 'string' && typeof value['eventName'] === 'string')
    return typeof value['eventVersion'] === 'string' || typeof value['awsRegion'] === 'string';
  if (value['eventType'] === 'AwsCloudTrailInsight') return isObject(value['insightDetails']);
  return (
    typeof value['awsAccountId'] === 'string' &&
    (typeof value['digestS3Object'] === 'string' || typeof value['digestEndTime'] === 'string')
  );
}

function recordsOf(json: Json): Json[] | undefined {
  if (isCloudTrailRecord(json)) return [json];
  const records = json['Records'];
  if (Array.isArray(records) && records.length > 0 && isCloudTrailRecord(records[0])) {
    return records.slice(0, maxRecords).filter(isCloudTrailRecord) as Json[];
  }
  const detail = json['detail'];
  if (isCloudTrailRecord(detail)) return [detail as Json];
  return undefined;
}

/**
 * A copy of the record without `__proto__` keys and without the values Elastic drops before
 * mapping (null, "", "-", "none", and objects or lists left empty), bounded in depth.
 */
function cleaned(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null || value === '' || value === '-' || value === 'none') return undefined;
  if (typeof value !== 'object') return value as JsonValue;
  if (depth > maxDepth) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => cleaned(item, depth + 1)).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const result: JsonObject = {};
  let size = 0;
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    const child = cleaned((value as Json)[key], depth + 1);
    if (child === undefined) continue;
    result[key] = child;
    size += 1;
  }
  return size > 0 ? result : undefined;
}

type Categorisation = readonly [category: readonly string[], type: readonly string[]];

const iam = ['iam'];
const iamGroupChange: Categorisation = [iam, ['group', 'change']];
const iamGroupInfo: Categorisation = [iam, ['group', 'info']];
const iamUserChange: Categorisation = [iam, ['user', 'change']];
const iamUserInfo: Categorisation = [iam, ['user', 'info']];
const iamAdminChange: Categorisation = [iam, ['admin', 'change']];
const authenticationInfo: Categorisation = [['authentication'], ['info']];
const sessionStart: Categorisation = [['session'], ['start']];

/** ECS category and type per API call, as Elastic's pipeline assigns them. */
const categorisation: Readonly<Record<string, Categorisation>> = {
  AddUserToGroup: iamGroupChange,
  AssumeRole: authenticationInfo,
  AttachGroupPolicy: iamGroupChange,
  AttachUserPolicy: iamUserChange,
  ChangePassword: iamUserChange,
  ConsoleLogin: authenticationInfo,
  CreateAccessKey: iamUserChange,
  CreateBucket: [['file'], ['creation']],
  CreateGroup: [iam, ['group', 'creation']],
  CreateKeyPair: [iam, ['admin', 'creation']],
  CreateUser: [iam, ['user', 'creation']],
  CreateVirtualMFADevice: iamUserChange,
  DeactivateMFADevice: iamUserChange,
  DeleteAccessKey: iamUserChange,
  DeleteBucket: [['file'], ['deletion']],
  DeleteGroup: [iam, ['group', 'deletion']],
  DeleteGroupPolicy: iamGroupChange,
  DeleteSSHPublicKey: iamUserChange,
  DeleteUser: [iam, ['user', 'deletion']],
  DeleteUserPermissionsBoundary: iamUserChange,
  DeleteUserPolicy: iamUserChange,
  DeleteVirtualMFADevice: iamUserChange,
  DetachGroupPolicy: iamGroupChange,
  DetachUserPolicy: iamUserChange,
  EnableMFADevice: iamUserChange,
  GetGroup: iamGroupInfo,
  GetGroupPolicy: iamGroupInfo,
  GetUser: iamUserInfo,
  GetUserPolicy: iamUserInfo,
  ListAttachedGroupPolicies: iamGroupInfo,
  ListAttachedUserPolicies: iamUserInfo,
  ListGroupPolicies: iamGroupInfo,
  ListGroups: iamGroupInfo,
  ListGroupsForUser: iamUserInfo,
  ListUserPolicies: iamUserInfo,
  ListUsers: iamUserInfo,
  ListUserTags: iamUserInfo,
  PutGroupPolicy: iamGroupChange,
  PutUserPermissionsBoundary: iamUserChange,
  PutUserPolicy: iamUserChange,
  RemoveUserFromGroup: iamGroupChange,
  SetDefaultPolicyVersion: iamAdminChange,
  SetSecurityTokenServicePreferences: iamAdminChange,
  TagUser: iamUserChange,
  UntagUser: iamUserChange,
  UpdateAccessKey: iamUserChange,
  UpdateAccountPasswordPolicy: iamAdminChange,
  UpdateGroup: iamGroupChange,
  UpdateLoginProfile: iamUserChange,
  UpdateRole: iamAdminChange,
  UpdateSSHPublicKey: iamUserChange,
  UpdateUser: iamUserChange,
  GetCallerIdentity: authenticationInfo,
  DescribeInstances: [['host'], ['info']],
  DescribeSecurityGroups: [['network'], ['info']],
  ListBuckets: [['file'], ['info']],
  DescribeNetworkInterfaces: [['network'], ['info']],
  DescribeRegions: [['api'], ['info']],
  ListRoles: [iam, ['info']],
  DescribeVpcs: [['network'], ['info']],
  DescribeNetworkAcls: [['network'], ['info']],
  DescribeLoadBalancers: [['network'], ['info']],
  DescribeVolumes: [['host'], ['info']],
  DescribeTrails: [['configuration'], ['info']],
  ListFunctions: [['package'], ['info']],
  ListTables: [['database'], ['info']],
  ListInstanceAssociations: [['host'], ['info']],
  DescribeDBInstances: [['database'], ['info']],
  AuthorizeSecurityGroupIngress: [['network'], ['access']],
  CreateTopic: [['configuration'], ['creation']],
  Subscribe: [['configuration'], ['change']],
  Publish: [['api'], []],
  SendCommand: [['process'], []],
  GetPolicy: [iam, ['info']],
  CreatePolicy: [iam, ['creation']],
  ListAttachedRolePolicies: [iam, ['info']],
  AttachRolePolicy: [iam, ['change']],
  Converse: [['api'], []],
  CreateDocument: [['file'], ['creation']],
  StartSession: sessionStart,
  CreateControlChannel: sessionStart,
  OpenControlChannel: sessionStart,
  CreateDataChannel: sessionStart,
  OpenDataChannel: sessionStart,
  TerminateSession: [['session'], ['end']],
  ListObjects: [['file'], ['info']],
  HeadObject: [['file'], ['info']],
  GetObject: [['file'], ['info']],
  PutObject: [['file'], ['change']],
  DeleteTrail: [['configuration'], ['deletion']],
  DeleteObject: [['file'], ['delete']],
};

/** A category for calls Elastic leaves uncategorised, from the service that served them. */
function serviceCategory(service: string, action: string): string | undefined {
  switch (service) {
    case 'signin':
    case 'sts':
    case 'sso':
      return 'authentication';
    case 'iam':
    case 'identitystore':
    case 'organizations':
      return 'iam';
    case 's3':
      return 'file';
    case 'ec2':
      return /SecurityGroup|NetworkAcl|Vpc|Subnet|Route|Gateway|Address|NetworkInterface/.test(action)
        ? 'network'
        : 'host';
    case 'rds':
    case 'dynamodb':
    case 'redshift':
      return 'database';
    case 'lambda':
    case 'ecs':
    case 'eks':
      return 'process';
    case 'elasticloadbalancing':
    case 'cloudfront':
    case 'route53':
    case 'apigateway':
    case 'waf':
    case 'wafv2':
    case 'network-firewall':
      return 'network';
    default:
      return service === '' ? undefined : 'configuration';
  }
}

function addUnique(list: string[], value: unknown): void {
  if (typeof value === 'string' && value !== '' && !list.includes(value)) list.push(value);
}

function snakeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function snakeObject(value: Json): JsonObject {
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    const child = value[key] as JsonValue;
    result[snakeKey(key)] = isObject(child) ? snakeObject(child) : child;
  }
  return result;
}

function timestampOf(value: unknown): number | undefined {
  return typeof value === 'string' ? parseTimestamp(value) : undefined;
}

const flattenedKeys: Readonly<Record<string, string>> = {
  requestParameters: 'request_parameters',
  responseElements: 'response_elements',
  additionalEventData: 'additional_eventdata',
  serviceEventDetails: 'service_event_details',
  insightDetails: 'insight_details',
};
const digestKeys = new Set([
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
  'newestEventTime',
  'oldestEventTime',
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
  'previousDigestSignature',
  'logFiles',
]);

/** Vendor fields keep the record's own structure (snake_case keys; request and response as data). */
function vendorFields(trail: Json): JsonObject {
  const vendor: JsonObject = {};
  const flattened: JsonObject = {};
  const digest: JsonObject = {};
  for (const key of Object.keys(trail)) {
    if (key === 'eventTime' || key === 'eventName' || key === 'eventSource') continue;
    const value = trail[key] as JsonValue;
    const flattenedKey = flattenedKeys[key];
    if (flattenedKey !== undefined) flattened[flattenedKey] = value;
    else if (digestKeys.has(key)) digest[snakeKey(key.replace(/^digest/, ''))] = value;
    else if (key === 'userIdentity' && isObject(value)) vendor['user_identity'] = snakeObject(value);
    else if (key === 'resources' && Array.isArray(value))
      vendor['resources'] = value.map((item) => (isObject(item) ? snakeObject(item) : item));
    else vendor[key === 'eventID' ? 'event_id' : key === 'requestID' ? 'request_id' : snakeKey(key)] = value;
  }
  if (Object.keys(digest).length > 0) flattened['digest'] = digest;
  if (Object.keys(flattened).length > 0) vendor['flattened'] = flattened;
  return vendor;
}

/** `TLSv1.3` → protocol `tls`, version `1.3`, as Elastic's dissect does. */
function tlsOf(details: Json | undefined): JsonObject | undefined {
  if (details === undefined) return undefined;
  const tls: JsonObject = {};
  const version = text(details['tlsVersion']);
  if (version !== undefined && version !== 'tlsVersion') {
    const v = version.indexOf('v');
    if (v === -1) {
      tls['version'] = version;
    } else {
      tls['version_protocol'] = version.slice(0, v).toLowerCase();
      tls['version'] = version.slice(v + 1);
    }
  }
  const cipher = text(details['cipherSuite']);
  if (cipher !== undefined) tls['cipher'] = cipher;
  const host = text(details['clientProvidedHostHeader']);
  if (host !== undefined) tls['client'] = { server_name: host };
  return Object.keys(tls).length > 0 ? tls : undefined;
}

/** EC2 instance ids among host targets (`i-…` or `arn:aws:ec2:…:instance/i-…`). */
function instanceIds(hosts: readonly string[]): string[] {
  const ids: string[] = [];
  for (const host of hosts) addUnique(ids, /^(?:arn:[^:]*:ec2:[^:]*:[^:]*:instance\/)?(i-[0-9a-f]+)$/.exec(host)?.[1]);
  return ids;
}

/** The session name an assumed-role or federated ARN ends with. */
function sessionNameOf(arn: string | undefined): string | undefined {
  const match = arn === undefined ? null : /^arn:aws:sts:.*\/(.*)$/.exec(arn);
  return text(match?.[1]);
}

function toEvent(record: RawRecord, rawTrail: Json, original: string, userAgents: UserAgentParser): EcsEvent {
  const trail = (cleaned(rawTrail) ?? {}) as Json;
  const action = text(trail['eventName']);
  const provider = text(trail['eventSource']);
  const service = provider?.endsWith('.amazonaws.com') ? provider.slice(0, -'.amazonaws.com'.length) : provider;
  const time = timestampOf(trail['digestEndTime']) ?? timestampOf(trail['eventTime']);
  const request = objectAt(trail, 'requestParameters');
  const response = objectAt(trail, 'responseElements');
  const identity = objectAt(trail, 'userIdentity') ?? {};
  const identityType = text(identity['type']);
  const issuer = objectAt(objectAt(identity, 'sessionContext'), 'sessionIssuer');

  const errorCode = text(trail['errorCode']);
  const errorMessage = text(trail['errorMessage']);
  let outcome = errorCode !== undefined || errorMessage !== undefined ? 'failure' : 'success';
  // ConsoleLogin reports its result in responseElements rather than errorCode.
  const consoleResult = action === 'ConsoleLogin' ? text(response?.['ConsoleLogin']) : undefined;
  if (consoleResult !== undefined) outcome = consoleResult.toLowerCase();
  const eventFields: JsonObject = { original, kind: 'event', outcome };
  if (action !== undefined) eventFields['action'] = action;
  if (provider !== undefined) eventFields['provider'] = provider;
  const eventId = text(trail['eventID']);
  if (eventId !== undefined) eventFields['id'] = eventId;
  const known = action === undefined ? undefined : categorisation[action];
  const fallback = action === undefined ? undefined : serviceCategory(service ?? '', action);
  const category = known?.[0] ?? (fallback === undefined ? [] : [fallback]);
  if (category.length > 0) eventFields['category'] = [...category];
  const type = known?.[1] ?? ['info'];
  if (type.length > 0) eventFields['type'] = [...type];
  const event: EcsEvent = {
    '@timestamp': new Date(time ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
  };

  const cloud: JsonObject = { provider: 'aws' };
  const region = text(trail['awsRegion']);
  if (region !== undefined) cloud['region'] = region;
  const accountId = text(trail['awsAccountId']) ?? text(identity['accountId']) ?? text(trail['recipientAccountId']);
  if (accountId !== undefined) cloud['account'] = { id: accountId };
  if (service !== undefined) cloud['service'] = { name: service };
  event['cloud'] = cloud;

  const relatedUsers: string[] = [];
  const relatedIps: string[] = [];
  const sourceAddress = text(trail['sourceIPAddress']);
  if (sourceAddress !== undefined) {
    const source: JsonObject = { address: sourceAddress };
    if (isIP(sourceAddress) !== 0) {
      source['ip'] = sourceAddress;
      relatedIps.push(sourceAddress);
    } else if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(sourceAddress)) {
      source['domain'] = sourceAddress;
    }
    event['source'] = source;
  }
  const userAgent = text(trail['userAgent']);
  if (userAgent !== undefined) event['user_agent'] = userAgents.parse(userAgent);

  // The caller: the IAM user, or for a role session the role it was issued from.
  const user: JsonObject = {};
  let userName = text(identity['userName']);
  const assumed = identityType === 'AssumedRole' || identityType === 'FederatedUser';
  if (assumed) userName = text(issuer?.['userName']) ?? userName;
  if (userName === undefined && action === 'UserAuthentication')
    userName = text(objectAt(trail, 'additionalEventData')?.['UserName']);
  if (userName !== undefined) user['name'] = userName;
  let userId = text(identity['principalId']);
  if (userId === undefined && identityType === 'IdentityCenterUser')
    userId = text(objectAt(identity, 'onBehalfOf')?.['userId']);
  if (userId !== undefined) user['id'] = userId;
  const sessionNames: string[] = [];
  const session = assumed ? sessionNameOf(text(identity['arn'])) : undefined;
  if (session !== undefined) sessionNames.push(session);
  if (session !== undefined && session.indexOf('@') > 0) {
    // Identity Center sessions are named after the person's e-mail address.
    user['email'] = session;
    sessionNames.push(session.slice(0, session.indexOf('@')));
  }
  const changedName = text(request?.['newUserName']) ?? session;
  if (changedName !== undefined) user['changes'] = { name: changedName };
  if (userName !== undefined && user['email'] === undefined && userName.indexOf('@') > 0) user['email'] = userName;

  // Who the call was about: IAM users and groups named in the request or created by it.
  const target: JsonObject = {};
  const targetId = text(objectAt(response, 'user')?.['userId']);
  if (targetId !== undefined) target['id'] = targetId;
  const targetName = text(request?.['userName']);
  if (targetName !== undefined) target['name'] = targetName;
  const group: JsonObject = {};
  const groupId = text(objectAt(response, 'group')?.['groupId']);
  if (groupId !== undefined) group['id'] = groupId;
  const groupName = text(request?.['groupName']);
  if (groupName !== undefined) group['name'] = groupName;
  if (Object.keys(group).length > 0) event['group'] = group;

  addUnique(relatedUsers, request?.['userName']);
  addUnique(relatedUsers, request?.['newUserName']);
  addUnique(relatedUsers, targetId);
  addUnique(relatedUsers, userId);
  addUnique(relatedUsers, userName);
  addUnique(relatedUsers, changedName);
  for (const name of sessionNames) addUnique(relatedUsers, name);

  const related: JsonObject = {};
  const serviceFields: JsonObject = {};
  const hostFields: JsonObject = {};
  const invokedBy = text(identity['invokedBy']);
  if (invokedBy !== undefined) serviceFields['name'] = invokedBy;
  if (action !== undefined) {
    const entities = entitiesOf(trail);
    if (entities.related.length > 0) related['entity'] = entities.related;
    const { user: users, host: hosts, service: services } = entities.targets;
    if (users.length > 0) target['entity'] = { id: users };
    if (hosts.length > 0) {
      const hostTarget: JsonObject = { entity: { id: hosts } };
      const instances = instanceIds(hosts);
      if (instances.length > 0) {
        hostTarget['id'] = instances;
        related['hosts'] = instances;
        // Commands sent to bare instance ids name the hosts they run on.
        const bare = hosts.filter((id) => id.startsWith('i-'));
        if (bare.length > 0) hostFields['id'] = bare;
      }
      hostFields['target'] = hostTarget;
    }
    if (services.length > 0) serviceFields['target'] = { entity: { id: services } };
    const actor = entities.actor;
    // A role session is the role acting: its entity is the role the session was issued from.
    const issuerArn = assumed ? text(issuer?.['arn']) : undefined;
    if (actor?.kind === 'user') user['entity'] = { id: [issuerArn ?? actor.id] };
    if (actor?.kind === 'service') serviceFields['entity'] = { id: [actor.id] };
    if (actor?.kind === 'host') hostFields['entity'] = { id: [actor.id] };
  }
  if (Object.keys(serviceFields).length > 0) event['service'] = serviceFields;
  if (Object.keys(hostFields).length > 0) event['host'] = hostFields;
  if (Object.keys(target).length > 0) user['target'] = target;
  if (Object.keys(user).length > 0) event['user'] = user;

  if (errorCode !== undefined || errorMessage !== undefined) {
    const error: JsonObject = {};
    if (errorCode !== undefined) error['code'] = errorCode;
    if (errorMessage !== undefined) error['message'] = errorMessage;
    event['error'] = error;
  }
  const tls = tlsOf(objectAt(trail, 'tlsDetails'));
  if (tls !== undefined) event['tls'] = tls;

  // Digest files: the digest's own object, and the digest before it (its SHA-256 hash, and the
  // signature Elastic has long filed as file.hash.sha256).
  const digestObject = text(trail['digestS3Object']);
  const sha256 = trail['previousDigestHashAlgorithm'] === 'SHA-256';
  const previousSignature = sha256 ? text(trail['previousDigestSignature']) : undefined;
  const previousHash = sha256 ? text(trail['previousDigestHashValue']) : undefined;
  if (digestObject !== undefined || previousSignature !== undefined) {
    const file: JsonObject = {};
    if (digestObject !== undefined) file['path'] = digestObject;
    if (previousSignature !== undefined) file['hash'] = { sha256: previousSignature };
    event['file'] = file;
  }
  const relatedHash = previousHash ?? previousSignature;
  if (relatedHash !== undefined) related['hash'] = [relatedHash];

  if (relatedUsers.length > 0) related['user'] = relatedUsers;
  if (relatedIps.length > 0) related['ip'] = relatedIps;
  if (Object.keys(related).length > 0) event['related'] = related;
  event['aws'] = { cloudtrail: vendorFields(trail) };
  return event;
}

export function createCloudTrailParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: cloudTrailFormat,
    description: 'AWS CloudTrail records (one per line, {"Records":[…]} files, EventBridge events, digests)',
    sniff(_text, json) {
      if (json === undefined) return false;
      if (isCloudTrailRecord(json)) return true;
      const records = json['Records'];
      if (Array.isArray(records)) return isCloudTrailRecord(records[0]);
      return isCloudTrailRecord(json['detail']);
    },
    parse(record) {
      let json: Json | undefined = record.json;
      if (json === undefined) {
        try {
          const value: unknown = JSON.parse(record.text);
          json = isObject(value) ? value : undefined;
        } catch {
          return parseFailure(record, cloudTrailFormat, 'not JSON');
        }
      }
      if (json === undefined) return parseFailure(record, cloudTrailFormat, 'not a JSON object');
      const records = recordsOf(json);
      if (records === undefined)
        return parseFailure(record, cloudTrailFormat, 'no CloudTrail record (eventSource, eventName)');
      // A lone record (or an EventBridge envelope) keeps the received text as its original.
      if (records.length === 1 && json['Records'] === undefined)
        return toEvent(record, records[0]!, record.text, userAgents);
      return records.map((trail) => toEvent(record, trail, JSON.stringify(trail), userAgents));
    },
  };
}
