// Which principals and resources a CloudTrail record names: `related.entity`, the acting entity
// (`user|service|host.entity.id`) and the targets of the call (`user|host|service.target.entity.id`).
// The tables follow Elastic's aws.cloudtrail ingest pipeline, service by service, so the same
// record yields the same entity fields in Vigil as in Elastic.

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The string values at a dotted path; a segment ending in `[]` walks every element of an array
 * (`responseElements.instancesSet.items[].instanceId`).
 */
export function valuesAt(root: unknown, path: string): string[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const each = segment.endsWith('[]');
    const key = each ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const value of current) {
      if (!isObject(value) || !Object.hasOwn(value, key)) continue;
      const child = value[key];
      if (each) {
        if (Array.isArray(child)) next.push(...child);
      } else {
        next.push(child);
      }
    }
    current = next;
  }
  return current.filter((value): value is string => typeof value === 'string' && value !== '');
}

interface ServiceEntities {
  /** Paths whose values are related to every call of the service. */
  readonly related?: readonly string[];
  /** Per API call, the paths naming its targets. */
  readonly targets?: Readonly<Record<string, readonly string[]>>;
}

const resourceArns = 'resources[].ARN';
const account = 'recipientAccountId';

const services: Readonly<Record<string, ServiceEntities>> = {
  'cloudformation.amazonaws.com': {
    targets: { CreateStackSet: ['responseElements.stackSetId'], CreateStack: ['responseElements.stackId'] },
  },
  'cloudtrail.amazonaws.com': {
    related: [
      'requestParameters.name',
      'requestParameters.s3BucketName',
      'responseElements.cloudWatchLogsLogGroupArn',
      'responseElements.cloudWatchLogsRoleArn',
      'responseElements.kmsKeyId',
      'responseElements.snsTopicARN',
      'responseElements.trailARN',
      'responseElements.name',
    ],
    targets: {
      DeleteTrail: ['requestParameters.name'],
      StopLogging: ['requestParameters.name'],
      DescribeTrails: [account],
    },
  },
  'ec2-instance-connect.amazonaws.com': {
    targets: {
      SendSSHPublicKey: ['requestParameters.instanceId'],
      SendSerialConsoleSSHPublicKey: ['requestParameters.instanceId'],
    },
  },
  'config.amazonaws.com': {
    related: ['requestParameters.configurationRecorderName'],
    targets: {
      StopConfigurationRecorder: ['requestParameters.configurationRecorderName'],
      StartConfigurationRecorder: ['requestParameters.configurationRecorderName'],
    },
  },
  'ec2.amazonaws.com': {
    related: [
      'requestParameters.groupId',
      'requestParameters.groupName',
      'requestParameters.roleName',
      'requestParameters.subnetId',
      'requestParameters.volumeId',
      'requestParameters.networkInterfaceId',
      'requestParameters.vpcId',
      'requestParameters.snapshotId',
      'responseElements.groupId',
      'responseElements.reservationId',
      'responseElements.vpc.vpcId',
      'responseElements.vpc.dhcpOptionsId',
      'responseElements.snapshotId',
      'responseElements.volumeId',
      'responseElements.securityGroupRuleSet.items[].groupId',
      'responseElements.securityGroupRuleSet.items[].referencedGroupInfo.groupId',
      'responseElements.securityGroupRuleSet.items[].securityGroupRuleId',
      'responseElements.groupSet.items[].groupId',
      'requestParameters.groupSet.items[].groupId',
      'requestParameters.instancesSet.items[].instanceId',
      'responseElements.instancesSet.items[].subnetId',
      'responseElements.instancesSet.items[].vpcId',
      'responseElements.instancesSet.items[].instanceId',
      'responseElements.instancesSet.items[].imageId',
      'responseElements.instancesSet.items[].iamInstanceProfile.arn',
      'responseElements.instancesSet.items[].networkInterfaceSet.items[].networkInterfaceId',
      'responseElements.instancesSet.items[].networkInterfaceSet.items[].vpcId',
      'responseElements.instancesSet.items[].networkInterfaceSet.items[].subnetId',
      'responseElements.instancesSet.items[].networkInterfaceSet.items[].groupSet.items[].groupId',
      'requestParameters.revokedSecurityGroupRuleSet.items[].securityGroupRuleId',
      'requestParameters.revokedSecurityGroupRuleSet.items[].groupId',
    ],
    targets: {
      AuthorizeSecurityGroupIngress: [
        'requestParameters.groupId',
        'responseElements.securityGroupRuleSet.items[].securityGroupRuleId',
      ],
      AuthorizeSecurityGroupEgress: [
        'requestParameters.groupId',
        'responseElements.securityGroupRuleSet.items[].securityGroupRuleId',
      ],
      CreateTrafficMirrorFilter: [
        'responseElements.CreateTrafficMirrorFilterResponse.trafficMirrorFilter.trafficMirrorFilterId',
      ],
      CreateTrafficMirrorFilterRule: [
        'responseElements.CreateTrafficMirrorFilterRuleResponse.trafficMirrorFilterRule.trafficMirrorFilterRuleId',
      ],
      CreateTrafficMirrorSession: [
        'responseElements.CreateTrafficMirrorSessionResponse.trafficMirrorSession.trafficMirrorSessionId',
      ],
      CreateTrafficMirrorTarget: [
        'responseElements.CreateTrafficMirrorTargetResponse.trafficMirrorTarget.trafficMirrorTargetId',
      ],
      DeleteFlowLogs: ['requestParameters.DeleteFlowLogsRequest.FlowLogId.content'],
      DeleteNetworkAcl: ['requestParameters.networkAclId'],
      DeleteNetworkAclEntry: ['requestParameters.networkAclId', 'requestParameters.ruleNumber'],
      GetPasswordData: ['requestParameters.instanceId'],
      ModifyImageAttribute: ['requestParameters.imageId'],
      ModifySnapshotAttribute: ['requestParameters.snapshotId'],
      DescribeSecurityGroups: [account],
      DescribeNetworkInterfaces: [account],
      DescribeRegions: [account],
      DescribeVpcs: [account],
      DescribeNetworkAcls: [account],
      DescribeVolumes: [account],
    },
  },
  'elasticfilesystem.amazonaws.com': {
    targets: {
      DeleteFileSystem: ['requestParameters.fileSystemId'],
      DeleteMountTarget: ['requestParameters.mountTargetId'],
    },
  },
  'events.amazonaws.com': { targets: { DeleteRule: ['requestParameters.name'] } },
  'guardduty.amazonaws.com': {
    related: ['requestParameters.detectorId', 'responseElements.detectorId'],
    targets: { CreateDetector: ['responseElements.detectorId'], DeleteDetector: ['requestParameters.detectorId'] },
  },
  'iam.amazonaws.com': {
    related: [
      'requestParameters.userName',
      'requestParameters.serialNumber',
      'requestParameters.accessKeyId',
      'requestParameters.policyArn',
      'requestParameters.roleName',
      'requestParameters.policyName',
      'responseElements.accessKey.userName',
      'responseElements.accessKey.accessKeyId',
      'responseElements.user.arn',
      'responseElements.user.userId',
      'responseElements.user.userName',
      'responseElements.userId',
      'responseElements.role.arn',
      'responseElements.serialNumber',
    ],
    targets: {
      AttachGroupPolicy: ['requestParameters.groupName'],
      AttachRolePolicy: ['requestParameters.roleName'],
      ListAttachedRolePolicies: ['requestParameters.roleName'],
      UpdateAssumeRolePolicy: ['requestParameters.roleName'],
      AttachUserPolicy: ['requestParameters.policyArn', 'requestParameters.userName'],
      CreateAccessKey: ['responseElements.accessKey.accessKeyId', 'requestParameters.userName'],
      CreateUser: ['requestParameters.userName'],
      DeactivateMFADevice: ['requestParameters.userName'],
      DeleteVirtualMFADevice: ['requestParameters.serialNumber'],
      GetPolicy: ['requestParameters.policyArn'],
      CreatePolicy: ['responseElements.policy.arn'],
      ListRoles: [account],
      ListUsers: [account],
    },
  },
  'kms.amazonaws.com': {
    related: [
      'requestParameters.keyId',
      'responseElements.keyId',
      'responseElements.keyMetadata.arn',
      'responseElements.keyMetadata.keyId',
    ],
    targets: { DisableKey: [resourceArns], ScheduleKeyDeletion: [resourceArns] },
  },
  'lambda.amazonaws.com': {
    related: [
      'requestParameters.functionName',
      'responseElements.functionArn',
      'responseElements.functionName',
      'responseElements.role',
      'responseElements.vpcConfig.securityGroupIds',
      'responseElements.vpcConfig.subnetIds',
    ],
  },
  'logs.amazonaws.com': {
    targets: {
      DeleteLogGroup: ['requestParameters.logGroupName'],
      DeleteLogStream: ['requestParameters.logStreamName'],
    },
  },
  'monitoring.amazonaws.com': { targets: { DeleteAlarms: ['requestParameters.alarmNames[]'] } },
  'rds.amazonaws.com': {
    related: [
      'requestParameters.dBInstanceIdentifier',
      'requestParameters.dBInstanceArn',
      'responseElements.dBInstanceIdentifier',
      'responseElements.dbInstanceArn',
      'responseElements.dBSubnetGroup.vpcId',
      'responseElements.vpcSecurityGroups.vpcSecurityGroupId',
      'responseElements.dBSubnetGroup.subnets[].subnetIdentifier',
      'responseElements.vpcSecurityGroups[].vpcSecurityGroupId',
    ],
    targets: {
      DeleteDBCluster: ['responseElements.dBClusterArn'],
      ModifyDBCluster: ['responseElements.dBClusterArn'],
      StopDBCluster: ['responseElements.dBClusterArn'],
      DeleteDBInstance: ['responseElements.dBInstanceArn'],
      ModifyDBInstance: ['responseElements.dBInstanceArn'],
      RestoreDBInstanceFromDBSnapshot: ['responseElements.dBInstanceArn'],
      RestoreDBInstanceFromS3: ['responseElements.dBInstanceArn'],
      StopDBInstance: ['responseElements.dBInstanceArn'],
      DeleteGlobalCluster: ['responseElements.globalClusterArn'],
      ModifyDBClusterSnapshotAttribute: ['responseElements.dBClusterSnapshotIdentifier'],
      ModifyDBSnapshotAttribute: ['responseElements.dBSnapshotIdentifier'],
      DescribeDBInstances: [account],
    },
  },
  'rolesanywhere.amazonaws.com': {
    targets: { CreateTrustAnchor: ['responseElements.trustAnchor.trustAnchorArn'] },
  },
  'route53resolver.amazonaws.com': {
    targets: { DeleteResolverQueryLogConfig: ['responseElements.resolverQueryLogConfig.arn'] },
  },
  's3.amazonaws.com': {
    related: ['requestParameters.bucketName'],
    targets: {
      CopyObject: [resourceArns],
      PutBucketLogging: [resourceArns],
      PutBucketVersioning: [resourceArns],
      PutObject: [resourceArns],
      GetBucketPolicy: [resourceArns],
      ListObjects: [resourceArns],
      HeadObject: [resourceArns],
      GetObject: [resourceArns],
      DeleteObject: [resourceArns],
      DeleteBucket: [resourceArns],
      PutBucketReplication: [resourceArns, 'requestParameters.ReplicationConfiguration.Rule.Destination.Bucket'],
      ListBuckets: [account],
    },
  },
  'secretsmanager.amazonaws.com': {
    targets: {
      BatchGetSecretValue: ['requestParameters.secretIdList[]'],
      GetSecretValue: ['requestParameters.secretId'],
    },
  },
  'signin.amazonaws.com': { targets: { ConsoleLogin: [account] } },
  'ssm.amazonaws.com': {
    targets: {
      GetParameter: [resourceArns],
      GetParameters: [resourceArns],
      CreateControlChannel: [resourceArns],
      OpenControlChannel: [resourceArns],
      StartSession: ['requestParameters.target'],
      CreateDocument: ['requestParameters.name'],
      TerminateSession: ['requestParameters.sessionId'],
      OpenDataChannel: ['requestParameters.sessionId'],
      ListInstanceAssociations: [account],
    },
  },
  'sts.amazonaws.com': {
    related: [
      'requestParameters.roleArn',
      'sourceIdentity',
      'additionalEventData.MFAIdentifier',
      'responseElements.assumedRoleUser.arn',
      'requestParameters.roleSessionName',
      'responseElements.accessKeyId',
    ],
    targets: { AssumeRole: ['requestParameters.roleArn'], GetCallerIdentity: [account] },
  },
  'wafv2.amazonaws.com': {
    related: ['requestParameters.id', 'responseElements.summary'],
    targets: { DeleteRuleGroup: ['requestParameters.id'], DeleteWebACL: ['requestParameters.id'] },
  },
  'sns.amazonaws.com': {
    targets: {
      CreateTopic: ['responseElements.topicArn'],
      Subscribe: ['requestParameters.topicArn'],
      Publish: ['requestParameters.topicArn'],
    },
  },
  'bedrock.amazonaws.com': { targets: { Converse: ['requestParameters.modelId'] } },
  'elasticloadbalancing.amazonaws.com': { targets: { DescribeLoadBalancers: [account] } },
  'dynamodb.amazonaws.com': { targets: { ListTables: [account] } },
};

const identityRelated = [
  'userIdentity.accessKeyId',
  'userIdentity.arn',
  'userIdentity.userName',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'userIdentity.sessionContext.sessionIssuer.userName',
];

const userResourceTypes = new Set([
  'user',
  'role',
  'assumed-role',
  'federated-user',
  'instance-profile',
  'mfa',
  'serialNumber',
]);
const hostResourceTypes = new Set(['instance', 'volume', 'snapshot', 'image']);
const serviceResourceTypes = new Set([
  'stack',
  'stack-set',
  'trail',
  'configuration-recorder',
  'file-system',
  'mount-target',
  'rule',
  'detector',
  'key',
  'function',
  'log-group',
  'log-stream',
  'alarm',
  'db',
  'cluster',
  'global-cluster',
  'trust-anchor',
  'resolver-query-log-config',
  'secret',
  'parameter',
  'document',
  'session',
  'webacl',
  'rulegroup',
  'ipset',
  'topic',
  'model',
  'loadbalancer',
  'table',
  'group',
  'policy',
  'security-group',
  'network-interface',
  'vpc',
  'subnet',
  'network-acl',
  'dhcp-options',
]);
const hostIdPrefixes = ['i-', 'vol-', 'snap-', 'ami-'];
const serviceIdPrefixes = [
  'sg-',
  'sgr-',
  'eni-',
  'vpc-',
  'subnet-',
  'acl-',
  'rtb-',
  'igw-',
  'nat-',
  'vpce-',
  'tgw-',
  'pcx-',
];

export type EntityKind = 'user' | 'host' | 'service' | 'other';

function isServiceLinkedRole(value: string): boolean {
  return value.includes('/AWSServiceRoleFor') || value.includes('/aws-service-role/');
}

/** The resource type of an ARN (`arn:aws:iam::1:role/x` → `role`), when it has one. */
function arnResourceType(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts.length < 6) return undefined;
  const resource = parts[5]!;
  const slash = resource.indexOf('/');
  return slash > 0 ? resource.slice(0, slash) : resource;
}

/** Which kind of entity a call's target is, from its ARN resource type or its id prefix. */
export function targetKind(target: string): EntityKind {
  if (target.startsWith('arn:')) {
    const type = arnResourceType(target);
    if (type === undefined) return 'other';
    if (isServiceLinkedRole(target)) return 'service';
    if (userResourceTypes.has(type)) return 'user';
    if (hostResourceTypes.has(type)) return 'host';
    if (serviceResourceTypes.has(type) || target.split(':')[2] === 's3') return 'service';
    return 'other';
  }
  if (target.length === 20 && target.startsWith('AKIA')) return 'user';
  if (hostIdPrefixes.some((prefix) => target.startsWith(prefix))) return 'host';
  if (serviceIdPrefixes.some((prefix) => target.startsWith(prefix))) return 'service';
  return 'other';
}

function actorKind(actor: string, identityType: string | undefined): EntityKind {
  if (identityType === 'AWSService' || isServiceLinkedRole(actor)) return 'service';
  if (identityType === 'IAMUser' || identityType === 'Root' || identityType === 'AssumedRole') return 'user';
  if (actor.startsWith('arn:')) {
    const type = arnResourceType(actor);
    if (type === 'user' || type === 'role' || type === 'assumed-role' || type === 'federated-user') return 'user';
    if (type === 'instance') return 'host';
  }
  return actor.startsWith('i-') ? 'host' : 'other';
}

function first(trail: Json, path: string): string | undefined {
  return valuesAt(trail, path)[0];
}

/** The instances an SSM SendCommand runs on; `*` means every instance of the account. */
function sendCommandTargets(trail: Json): string[] {
  let ids = valuesAt(trail, 'requestParameters.instanceIds[]');
  if (ids.length === 0) ids = valuesAt(trail, 'requestParameters.targets[].values[]');
  if (ids.length === 1 && ids[0] === '*') return valuesAt(trail, account);
  return ids;
}

function callTargets(trail: Json, source: string, action: string): string[] {
  if (source === 'ssm.amazonaws.com' && action === 'SendCommand') return sendCommandTargets(trail);
  if (source === 'lambda.amazonaws.com') {
    // Lambda API names carry a version suffix (AddPermission20150331v2).
    if (action.includes('AddPermission')) return valuesAt(trail, 'requestParameters.functionName');
    if (action.includes('ListFunctions')) return valuesAt(trail, account);
    return [];
  }
  const paths = services[source]?.targets?.[action] ?? [];
  const targets = paths.flatMap((path) => valuesAt(trail, path));
  if (action === 'DeleteNetworkAclEntry') {
    const rule = (trail['requestParameters'] as Json | undefined)?.['ruleNumber'];
    if (typeof rule === 'number') targets.push(String(rule));
  }
  return targets;
}

/** The acting principal: the caller's ARN, except where a call says who really acts. */
function actorOf(trail: Json, source: string, action: string): string | undefined {
  const identityType = first(trail, 'userIdentity.type');
  if (source === 'sts.amazonaws.com' && action === 'AssumeRole') {
    if (identityType === 'AWSService') return first(trail, 'userIdentity.invokedBy');
    if (identityType === 'AssumedRole') return first(trail, 'userIdentity.sessionContext.sessionIssuer.arn');
  }
  return first(trail, 'userIdentity.arn') ?? first(trail, 'userIdentity.onBehalfOf.userId');
}

export interface CloudTrailEntities {
  readonly related: string[];
  readonly targets: Readonly<Record<EntityKind, string[]>>;
  readonly actor?: { readonly id: string; readonly kind: EntityKind };
}

/** Entities of one CloudTrail record (empty lists when it names none). */
export function entitiesOf(trail: Json): CloudTrailEntities {
  const source = first(trail, 'eventSource') ?? '';
  const action = first(trail, 'eventName') ?? '';
  const related = new Set<string>();
  const add = (values: readonly string[]) => {
    for (const value of values) related.add(value);
  };
  for (const path of identityRelated) add(valuesAt(trail, path));
  if (first(trail, 'userIdentity.type') === 'IdentityCenterUser')
    add(valuesAt(trail, 'userIdentity.onBehalfOf.identityStoreArn'));
  add(valuesAt(trail, resourceArns));
  for (const path of services[source]?.related ?? []) add(valuesAt(trail, path));

  const targets: Record<EntityKind, string[]> = { user: [], host: [], service: [], other: [] };
  for (const target of new Set(callTargets(trail, source, action))) {
    targets[targetKind(target)].push(target);
    related.add(target);
  }
  const actorId = action === '' ? undefined : actorOf(trail, source, action);
  const result: CloudTrailEntities = { related: [...related], targets };
  if (actorId === undefined) return result;
  return { ...result, actor: { id: actorId, kind: actorKind(actorId, first(trail, 'userIdentity.type')) } };
}
