import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createCloudTrailParser } from './cloudtrail-parser.ts';

const parser = createCloudTrailParser();
const fileText = readFileSync(join(import.meta.dirname, '__fixtures__', 'cloudtrail-records.json'), 'utf8').trim();

function related(event: EcsEvent, field: 'entity' | 'user'): string[] {
  return ((event['related'] as Record<string, string[]> | undefined)?.[field] ?? []) as string[];
}

function record(text: string): RawRecord {
  return { text, unit: 'unit-a', receivedAt: 0, source: { kind: 'test', name: 'test' } };
}

describe('aws-cloudtrail', () => {
  it('turns a {"Records":[…]} file into one event per record', () => {
    const result = parser.parse(record(fileText));
    expect(Array.isArray(result)).toBe(true);
    const [create, remove] = result as EcsEvent[];
    expect(create).toMatchObject({
      '@timestamp': '2026-11-20T10:00:00.000Z',
      unit: 'unit-a',
      event: {
        action: 'CreateUser',
        provider: 'iam.amazonaws.com',
        category: ['iam'],
        type: ['user', 'creation'],
        outcome: 'success',
        id: 'e-1',
      },
      cloud: { provider: 'aws', region: 'us-east-1', account: { id: '123456789012' }, service: { name: 'iam' } },
      source: { address: '198.51.100.7', ip: '198.51.100.7' },
      user: {
        name: 'alice',
        id: 'AIDAEXAMPLE1',
        target: { name: 'mallory' },
        entity: { id: ['arn:aws:iam::123456789012:user/alice'] },
      },
      user_agent: {
        original: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1',
        name: 'aws-cli',
        version: '2.15.0',
        os: { name: 'Linux', version: '6.1', full: 'Linux 6.1' },
      },
      related: { user: ['mallory', 'AIDAEXAMPLE1', 'alice'], ip: ['198.51.100.7'] },
    });
    expect(new Set(related(create!, 'entity'))).toEqual(
      new Set([
        'AKIAEXAMPLE1',
        'arn:aws:iam::123456789012:user/alice',
        'alice',
        'mallory',
        'arn:aws:iam::123456789012:user/mallory',
      ]),
    );
    expect(JSON.parse(create!.event!['original'] as string)).toMatchObject({ eventID: 'e-1' });
    expect(remove).toMatchObject({
      event: { action: 'DeleteBucket', category: ['file'], type: ['deletion'], outcome: 'failure' },
      error: { code: 'AccessDenied', message: 'Access Denied' },
      // A role session acts as the role it was issued from; the session name is what changed.
      user: { name: 'Admin', id: 'AROAEXAMPLE:bob', changes: { name: 'bob' } },
      tls: { version_protocol: 'tls', version: '1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
      aws: { cloudtrail: { flattened: { request_parameters: { bucketName: 'payroll' } } } },
    });
  });

  it('parses a single record line and an EventBridge envelope as one event with the line as original', () => {
    const single = JSON.stringify((JSON.parse(fileText) as { Records: unknown[] }).Records[0]);
    const event = parser.parse(record(single)) as EcsEvent;
    expect(event.event).toMatchObject({ action: 'CreateUser', original: single });
    const envelope = JSON.stringify({ 'detail-type': 'AWS API Call via CloudTrail', detail: JSON.parse(single) });
    expect(parser.sniff!(envelope, JSON.parse(envelope))).toBe(true);
    expect((parser.parse(record(envelope)) as EcsEvent).event).toMatchObject({
      action: 'CreateUser',
      original: envelope,
    });
  });

  it('sniffs CloudTrail only and fails as a value on other JSON', () => {
    expect(parser.sniff!(fileText, JSON.parse(fileText))).toBe(true);
    expect(parser.sniff!('{"eventName":"x"}', { eventName: 'x' })).toBe(false);
    expect(
      parser.sniff!('{"eventType":"user.session.start","published":"x"}', { eventType: 'user.session.start' }),
    ).toBe(false);
    expect(isParseFailure(parser.parse(record('{"a":1}')))).toBe(true);
    expect(isParseFailure(parser.parse(record('not json')))).toBe(true);
  });

  it('does not let __proto__ keys pollute prototypes', () => {
    const hostile =
      '{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"X","requestParameters":{"__proto__":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}';
    const event = parser.parse(record(hostile)) as EcsEvent;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const cloudtrail = (event['aws'] as { cloudtrail: Record<string, unknown> }).cloudtrail;
    expect(Object.getPrototypeOf(cloudtrail)).toBe(Object.prototype);
    expect(JSON.stringify(cloudtrail)).not.toContain('polluted');
  });

  describe('maps fields the way Elastic does', () => {
    const account = '210987654321';
    const iamUser = {
      type: 'IAMUser',
      principalId: 'AIDAINVENTED0001',
      arn: `arn:aws:iam::${account}:user/carol@corp.example`,
      accountId: account,
      accessKeyId: 'AKIAINVENTED00000001',
      userName: 'carol@corp.example',
    };
    function call(fields: Record<string, unknown>): EcsEvent {
      const line = JSON.stringify({
        eventVersion: '1.09',
        userIdentity: iamUser,
        eventTime: '2026-10-01T08:00:00Z',
        awsRegion: 'eu-central-1',
        sourceIPAddress: '192.0.2.44',
        recipientAccountId: account,
        eventType: 'AwsApiCall',
        ...fields,
      });
      return parser.parse(record(line)) as EcsEvent;
    }

    it('takes a console sign-in result from responseElements and targets the account', () => {
      const event = call({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
        responseElements: { ConsoleLogin: 'Failure' },
        additionalEventData: { MFAUsed: 'No' },
      });
      expect(event.event).toMatchObject({ category: ['authentication'], type: ['info'], outcome: 'failure' });
      expect(event['user']).toMatchObject({ name: 'carol@corp.example', email: 'carol@corp.example' });
      expect(event['related']).toMatchObject({ user: ['AIDAINVENTED0001', 'carol@corp.example'] });
      expect(related(event, 'entity')).toContain(account);
    });

    it('names the service behind a role assumed for an AWS service', () => {
      const roleArn = `arn:aws:iam::${account}:role/batch-runner`;
      const event = call({
        userIdentity: { type: 'AWSService', invokedBy: 'lambda.amazonaws.com' },
        sourceIPAddress: 'lambda.amazonaws.com',
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
        requestParameters: { roleArn, roleSessionName: 'job-77' },
        resources: [{ ARN: roleArn, accountId: account, type: 'AWS::IAM::Role' }],
      });
      expect(event['service']).toEqual({ name: 'lambda.amazonaws.com', entity: { id: ['lambda.amazonaws.com'] } });
      expect(event['user']).toEqual({ target: { entity: { id: [roleArn] } } });
      expect(event['source']).toMatchObject({ address: 'lambda.amazonaws.com' });
      expect(new Set(related(event, 'entity'))).toEqual(new Set([roleArn, 'job-77']));
    });

    it('reads the person behind an Identity Center session named after an e-mail address', () => {
      const event = call({
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROAINVENTED:dana@corp.example',
          arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_ReadOnly_0f0f/dana@corp.example`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              arn: `arn:aws:iam::${account}:role/AWSReservedSSO_ReadOnly_0f0f`,
              userName: 'AWSReservedSSO_ReadOnly_0f0f',
            },
          },
        },
        eventSource: 'ec2.amazonaws.com',
        eventName: 'DescribeVpcs',
      });
      expect(event['user']).toMatchObject({ name: 'AWSReservedSSO_ReadOnly_0f0f', email: 'dana@corp.example' });
      expect(related(event, 'user')).toEqual(
        expect.arrayContaining(['dana@corp.example', 'dana', 'AWSReservedSSO_ReadOnly_0f0f']),
      );
      expect(event['user']).toMatchObject({
        entity: { id: [`arn:aws:iam::${account}:role/AWSReservedSSO_ReadOnly_0f0f`] },
      });
      expect(event.event).toMatchObject({ category: ['network'], type: ['info'] });
    });

    it('sorts the targets of a call into user, host and service entities', () => {
      const ingress = call({
        eventSource: 'ec2.amazonaws.com',
        eventName: 'AuthorizeSecurityGroupIngress',
        requestParameters: { groupId: 'sg-0aa11bb22cc33dd44' },
        responseElements: {
          securityGroupRuleSet: { items: [{ groupId: 'sg-0aa11bb22cc33dd44', securityGroupRuleId: 'sgr-0123abcd' }] },
        },
      });
      expect(ingress.event).toMatchObject({ category: ['network'], type: ['access'] });
      expect(ingress['service']).toEqual({ target: { entity: { id: ['sg-0aa11bb22cc33dd44', 'sgr-0123abcd'] } } });
      const command = call({
        eventSource: 'ssm.amazonaws.com',
        eventName: 'SendCommand',
        requestParameters: { targets: [{ key: 'instanceids', values: ['i-0feedbeef0001'] }] },
      });
      expect(command['host']).toEqual({
        id: ['i-0feedbeef0001'],
        target: { id: ['i-0feedbeef0001'], entity: { id: ['i-0feedbeef0001'] } },
      });
      expect(command['related']).toMatchObject({ hosts: ['i-0feedbeef0001'] });
      const instanceArn = `arn:aws:ec2:eu-central-1:${account}:instance/i-0feedbeef0002`;
      const channel = call({
        userIdentity: {
          type: 'AssumedRole',
          principalId: 'AROAINVENTED:i-0feedbeef0002',
          arn: `arn:aws:sts::${account}:assumed-role/node-role/i-0feedbeef0002`,
          sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${account}:role/node-role`, userName: 'node-role' } },
        },
        eventSource: 'ssm.amazonaws.com',
        eventName: 'OpenControlChannel',
        resources: [{ ARN: instanceArn, type: 'AWS::EC2::Instance' }],
      });
      expect(channel['host']).toEqual({ target: { id: ['i-0feedbeef0002'], entity: { id: [instanceArn] } } });
      expect(channel['user']).toMatchObject({
        name: 'node-role',
        entity: { id: [`arn:aws:iam::${account}:role/node-role`] },
      });
      expect(related(channel, 'user')).toContain('i-0feedbeef0002');
      expect(channel.event).toMatchObject({ category: ['session'], type: ['start'] });
      expect(command.event).toMatchObject({ category: ['process'] });
      expect(command.event).not.toHaveProperty('type');
      const key = call({
        eventSource: 'iam.amazonaws.com',
        eventName: 'CreateAccessKey',
        requestParameters: { userName: 'erin' },
        responseElements: { accessKey: { userName: 'erin', accessKeyId: 'AKIAINVENTED00000002' } },
      });
      expect(key['user']).toMatchObject({ target: { name: 'erin', entity: { id: ['AKIAINVENTED00000002'] } } });
      expect(key.event).toMatchObject({ category: ['iam'], type: ['user', 'change'] });
    });

    it('keeps the service category for calls Elastic does not categorise, with type info', () => {
      const event = call({ eventSource: 'lambda.amazonaws.com', eventName: 'CreateFunction20150331' });
      expect(event.event).toMatchObject({ category: ['process'], type: ['info'], outcome: 'success' });
    });

    it('drops the placeholders CloudTrail writes for absent values', () => {
      const event = call({
        eventSource: 's3.amazonaws.com',
        eventName: 'GetObject',
        sourceIPAddress: '-',
        userAgent: '',
        requestParameters: null,
      });
      expect(event).not.toHaveProperty('source');
      expect(event).not.toHaveProperty('user_agent');
      expect(event.event).toMatchObject({ category: ['file'], type: ['info'] });
    });

    it('recognises SDK agents, their platform and the botocore spider rule', () => {
      const event = call({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListBuckets',
        userAgent: '[aws-cli/1.18.69 Python/3.8.2 Linux/5.10.0-21-cloud-amd64 botocore/1.17.0]',
      });
      expect(event['user_agent']).toMatchObject({
        name: 'aws-cli',
        version: '1.18.69',
        os: { name: 'Linux', version: '5.10.0', full: 'Linux 5.10.0' },
        device: { name: 'Spider' },
      });
      const sdk = call({
        eventSource: 'bedrock.amazonaws.com',
        eventName: 'Converse',
        userAgent: 'Boto3/1.34.1 md/Botocore#1.34.1 ua/2.0 os/linux#6.1.0-invented md/arch#x86_64 Botocore/1.34.1',
      });
      expect(sdk['user_agent']).toMatchObject({ name: 'Boto3', version: '1.34.1', os: { name: 'Linux' } });
      expect(sdk.event).not.toHaveProperty('type');
      const windows = call({
        eventSource: 'iam.amazonaws.com',
        eventName: 'ListUsers',
        userAgent: 'aws-cli/1.9.0 Python/2.7.10 Windows/10',
      });
      expect(windows['user_agent']).toEqual({
        original: 'aws-cli/1.9.0 Python/2.7.10 Windows/10',
        name: 'aws-cli',
        version: '1.9.0',
        os: { name: 'Windows' },
        device: { name: 'Other' },
      });
    });
  });

  it('parses CloudTrail digest files and Insights events, which name no API call', () => {
    const digest = JSON.stringify({
      awsAccountId: '210987654321',
      digestStartTime: '2026-09-30T10:00:00Z',
      digestEndTime: '2026-09-30T11:00:00Z',
      digestS3Bucket: 'trail-digests',
      digestS3Object: 'AWSLogs/210987654321/CloudTrail-Digest/eu-central-1/2026/09/30/digest-1100.json.gz',
      previousDigestHashAlgorithm: 'SHA-256',
      previousDigestHashValue: '9f8e7d6c5b4a',
      previousDigestSignature: 'a1b2c3d4e5f6',
      logFiles: [],
    });
    expect(parser.sniff!(digest, JSON.parse(digest))).toBe(true);
    expect(parser.parse(record(digest))).toMatchObject({
      '@timestamp': '2026-09-30T11:00:00.000Z',
      event: { kind: 'event', type: ['info'], outcome: 'success' },
      cloud: { account: { id: '210987654321' } },
      file: { path: expect.stringContaining('digest-1100'), hash: { sha256: 'a1b2c3d4e5f6' } },
      related: { hash: ['9f8e7d6c5b4a'] },
    });
    const insight = JSON.stringify({
      eventVersion: '1.08',
      eventTime: '2026-09-30T12:00:00Z',
      awsRegion: 'eu-central-1',
      eventID: 'insight-1',
      eventType: 'AwsCloudTrailInsight',
      insightDetails: { state: 'Start', eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser' },
      eventCategory: 'Insight',
    });
    expect(parser.sniff!(insight, JSON.parse(insight))).toBe(true);
    const event = parser.parse(record(insight)) as EcsEvent;
    expect(event.event).toMatchObject({ id: 'insight-1', kind: 'event', type: ['info'] });
    expect(event.event).not.toHaveProperty('action');
    expect(event['aws']).toMatchObject({ cloudtrail: { flattened: { insight_details: { state: 'Start' } } } });
  });
});
