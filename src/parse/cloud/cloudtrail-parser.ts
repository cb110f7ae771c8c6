// The 'aws-cloudtrail' parser: AWS CloudTrail records to ECS. Accepts one record per line, the
// `{"Records":[…]}` file form (several events) and EventBridge envelopes (`detail` holds the record).
// Categorisation follows the API verb and service, the way analysts group CloudTrail activity.
import { isIP } from 'node:net';
import type { EcsEvent, JsonObject, JsonValue, RawRecord } from '../../model/event.ts';
import { type Parser, parseFailure } from '../parser.ts';
import { parseTimestamp } from '../time/parse-timestamp.ts';
import { UserAgentParser } from '../web/user-agent.ts';

export const cloudTrailFormat = 'aws-cloudtrail';
const maxRecords = 100_000;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Whether an object is one CloudTrail record. */
export function isCloudTrailRecord(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value['eventSource'] === 'string' &&
    typeof value['eventName'] === 'string' &&
    (typeof value['eventVersion'] === 'string' || typeof value['awsRegion'] === 'string')
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

const authenticationActions = new Set([
  'ConsoleLogin',
  'AssumeRole',
  'AssumeRoleWithSAML',
  'AssumeRoleWithWebIdentity',
  'GetSessionToken',
  'GetFederationToken',
  'SwitchRole',
  'ExitRole',
  'CheckMfa',
  'GetSigninToken',
  'PasswordUpdated',
  'CredentialVerification',
  'CredentialChallenge',
]);

/** ECS event.type for an API verb. */
function typeOf(action: string): string[] {
  if (/^(Create|Run|Register|Import|Allocate|Issue|Request|Launch|Start)/.test(action)) return ['creation'];
  if (/^(Delete|Terminate|Deregister|Remove|Release|Revoke|Disable|Stop|Cancel|Purge)/.test(action))
    return action.startsWith('Remove') ||
      action.startsWith('Revoke') ||
      action.startsWith('Disable') ||
      action.startsWith('Stop')
      ? ['change']
      : ['deletion'];
  if (
    /^(Put|Update|Attach|Detach|Modify|Add|Set|Change|Associate|Disassociate|Enable|Reset|Replace|Tag|Untag|Authorize|Upload|Copy|Restore)/.test(
      action,
    )
  )
    return ['change'];
  if (/^(Get|Describe|List|Lookup|Head|Search|Select|Scan|Query|BatchGet|Generate|Decrypt|Encrypt)/.test(action))
    return ['access'];
  return ['info'];
}

/** ECS event.category for a service and API verb. */
function categoryOf(service: string, action: string): string[] {
  if (authenticationActions.has(action) || service === 'signin' || service === 'sts' || service === 'sso')
    return ['authentication'];
  switch (service) {
    case 'iam':
    case 'identitystore':
    case 'organizations':
      return ['iam'];
    case 's3':
      return ['file'];
    case 'ec2':
      return /SecurityGroup|NetworkAcl|Vpc|Subnet|Route|Gateway|Address|NetworkInterface/.test(action)
        ? ['network']
        : ['host'];
    case 'rds':
    case 'dynamodb':
    case 'redshift':
      return ['database'];
    case 'lambda':
    case 'ecs':
    case 'eks':
      return ['process'];
    case 'elasticloadbalancing':
    case 'cloudfront':
    case 'route53':
    case 'apigateway':
    case 'waf':
    case 'wafv2':
    case 'network-firewall':
      return ['network'];
    default:
      return ['configuration'];
  }
}

function addUnique(list: string[], value: string | undefined): void {
  if (value !== undefined && !list.includes(value)) list.push(value);
}

function lastArnSegment(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash === -1 ? arn : arn.slice(slash + 1);
}

function snakeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** A JSON value copied as data, dropping `__proto__` keys and bounding depth. */
function copyJson(value: unknown, depth = 0): JsonValue {
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (depth > 32) return null;
  if (Array.isArray(value)) return value.map((item) => copyJson(item, depth + 1));
  const result: JsonObject = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') continue;
    result[key] = copyJson((value as Json)[key], depth + 1);
  }
  return result;
}

function toEvent(record: RawRecord, trail: Json, original: string, userAgents: UserAgentParser): EcsEvent {
  const action = text(trail['eventName']) ?? '';
  const provider = text(trail['eventSource']) ?? '';
  const service = provider.endsWith('.amazonaws.com') ? provider.slice(0, -'.amazonaws.com'.length) : provider;
  const time = typeof trail['eventTime'] === 'string' ? parseTimestamp(trail['eventTime']) : undefined;
  const errorCode = text(trail['errorCode']);
  const errorMessage = text(trail['errorMessage']);
  const responseElements = isObject(trail['responseElements']) ? trail['responseElements'] : undefined;
  // ConsoleLogin reports failures in responseElements rather than errorCode.
  const consoleResult = text(responseElements?.['ConsoleLogin']);
  const failed = errorCode !== undefined || consoleResult === 'Failure';
  const eventFields: JsonObject = {
    original,
    kind: 'event',
    action,
    provider,
    outcome: failed ? 'failure' : 'success',
    category: categoryOf(service, action),
    type: typeOf(action),
  };
  const eventId = text(trail['eventID']);
  if (eventId !== undefined) eventFields['id'] = eventId;
  const event: EcsEvent = {
    '@timestamp': new Date(time ?? record.receivedAt).toISOString(),
    unit: record.unit,
    event: eventFields,
  };

  const identity = isObject(trail['userIdentity']) ? trail['userIdentity'] : {};
  const cloud: JsonObject = { provider: 'aws' };
  const region = text(trail['awsRegion']);
  if (region !== undefined) cloud['region'] = region;
  const accountId = text(trail['recipientAccountId']) ?? text(identity['accountId']);
  if (accountId !== undefined) cloud['account'] = { id: accountId };
  if (service !== '') cloud['service'] = { name: service };
  event['cloud'] = cloud;

  const relatedUsers: string[] = [];
  const relatedIps: string[] = [];
  const relatedEntities: string[] = [];
  const sourceAddress = text(trail['sourceIPAddress']);
  if (sourceAddress !== undefined) {
    const source: JsonObject = { address: sourceAddress };
    if (isIP(sourceAddress) !== 0) {
      source['ip'] = sourceAddress;
      relatedIps.push(sourceAddress);
    } else if (sourceAddress.includes('.')) {
      source['domain'] = sourceAddress;
    }
    event['source'] = source;
  }
  const userAgent = text(trail['userAgent']);
  if (userAgent !== undefined) event['user_agent'] = userAgents.parse(userAgent);

  // The acting identity: IAM user name, the role behind an assumed-role session, or the root account.
  const identityType = text(identity['type']);
  const identityArn = text(identity['arn']);
  const sessionContext = isObject(identity['sessionContext']) ? identity['sessionContext'] : undefined;
  const issuer = isObject(sessionContext?.['sessionIssuer']) ? sessionContext['sessionIssuer'] : undefined;
  const user: JsonObject = {};
  let userName = text(identity['userName']);
  if (userName === undefined && identityType === 'AssumedRole' && identityArn !== undefined) {
    userName = lastArnSegment(identityArn);
  }
  if (userName === undefined && identityType === 'Root') userName = 'root';
  if (userName !== undefined) {
    user['name'] = userName;
    addUnique(relatedUsers, userName);
  }
  const principalId = text(identity['principalId']);
  if (principalId !== undefined) user['id'] = principalId;
  const roleName = identityType === 'AssumedRole' ? text(issuer?.['userName']) : undefined;
  if (roleName !== undefined) user['roles'] = [roleName];
  if (identityArn !== undefined) addUnique(relatedEntities, identityArn);
  const invokedBy = text(identity['invokedBy']);
  if (invokedBy !== undefined) event['service'] = { name: invokedBy, entity: { id: [invokedBy] } };

  // The target of the call: resources, IAM principals named in the request, assumed roles.
  const request = isObject(trail['requestParameters']) ? trail['requestParameters'] : undefined;
  const targetIds: string[] = [];
  const resources = Array.isArray(trail['resources']) ? trail['resources'] : [];
  for (const resource of resources) {
    if (isObject(resource)) addUnique(targetIds, text(resource['ARN']) ?? text(resource['arn']));
  }
  if (request !== undefined) {
    addUnique(targetIds, text(request['roleArn']));
    const targetUser = text(request['userName']);
    if (targetUser !== undefined && service === 'iam') {
      user['target'] = { name: targetUser };
      addUnique(relatedUsers, targetUser);
    }
    const groupName = text(request['groupName']);
    if (groupName !== undefined && service === 'iam') event['group'] = { name: groupName };
  }
  if (targetIds.length > 0) {
    const target = (user['target'] as JsonObject | undefined) ?? {};
    target['entity'] = { id: targetIds };
    user['target'] = target;
  }
  for (const id of targetIds) addUnique(relatedEntities, id);
  const assumed = isObject(responseElements?.['assumedRoleUser']) ? responseElements['assumedRoleUser'] : undefined;
  addUnique(relatedEntities, text(assumed?.['arn']));
  addUnique(relatedEntities, text(request?.['roleSessionName']));
  if (Object.keys(user).length > 0) event['user'] = user;

  if (errorCode !== undefined || errorMessage !== undefined) {
    const error: JsonObject = {};
    if (errorCode !== undefined) error['code'] = errorCode;
    if (errorMessage !== undefined) error['message'] = errorMessage;
    event['error'] = error;
  }
  const tlsDetails = isObject(trail['tlsDetails']) ? trail['tlsDetails'] : undefined;
  if (tlsDetails !== undefined) {
    const tls: JsonObject = {};
    const version = text(tlsDetails['tlsVersion']);
    if (version !== undefined) {
      const [protocol, number] = version.split('v');
      tls['version_protocol'] = (protocol ?? '').toLowerCase();
      if (number !== undefined) tls['version'] = number;
    }
    const cipher = text(tlsDetails['cipherSuite']);
    if (cipher !== undefined) tls['cipher'] = cipher;
    const host = text(tlsDetails['clientProvidedHostHeader']);
    if (host !== undefined) tls['client'] = { server_name: host };
    event['tls'] = tls;
  }
  const related: JsonObject = {};
  if (relatedUsers.length > 0) related['user'] = relatedUsers;
  if (relatedIps.length > 0) related['ip'] = relatedIps;
  if (relatedEntities.length > 0) related['entity'] = relatedEntities;
  if (Object.keys(related).length > 0) event['related'] = related;

  // Vendor fields keep the record's own structure (snake_case keys at the first level).
  const vendor: JsonObject = {};
  for (const key of Object.keys(trail)) {
    if (key === '__proto__' || key === 'eventTime' || key === 'eventName' || key === 'eventSource') continue;
    const value = trail[key];
    if (key === 'requestParameters' || key === 'responseElements' || key === 'additionalEventData') {
      const flattened = (vendor['flattened'] as JsonObject | undefined) ?? {};
      flattened[snakeKey(key)] = copyJson(value);
      vendor['flattened'] = flattened;
      continue;
    }
    if (key === 'userIdentity' && isObject(value)) {
      const converted: JsonObject = {};
      for (const identityKey of Object.keys(value)) {
        if (identityKey !== '__proto__') converted[snakeKey(identityKey)] = copyJson(value[identityKey]);
      }
      vendor['user_identity'] = converted;
      continue;
    }
    vendor[key === 'eventID' ? 'event_id' : key === 'requestID' ? 'request_id' : snakeKey(key)] = copyJson(value);
  }
  event['aws'] = { cloudtrail: vendor };
  return event;
}

export function createCloudTrailParser(): Parser {
  const userAgents = new UserAgentParser();
  return {
    format: cloudTrailFormat,
    description: 'AWS CloudTrail records (one per line, {"Records":[…]} files, EventBridge events)',
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
