import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createCloudTrailParser } from './cloudtrail-parser.ts';

const parser = createCloudTrailParser();
const fileText = readFileSync(join(import.meta.dirname, '__fixtures__', 'cloudtrail-records.json'), 'utf8').trim();

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
        type: ['creation'],
        outcome: 'success',
        id: 'e-1',
      },
      cloud: { provider: 'aws', region: 'us-east-1', account: { id: '123456789012' }, service: { name: 'iam' } },
      source: { address: '198.51.100.7', ip: '198.51.100.7' },
      user: { name: 'alice', id: 'AIDAEXAMPLE1', target: { name: 'mallory' } },
      user_agent: { original: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1', name: 'aws-cli' },
      related: { user: ['alice', 'mallory'], ip: ['198.51.100.7'] },
    });
    expect(JSON.parse(create!.event!['original'] as string)).toMatchObject({ eventID: 'e-1' });
    expect(remove).toMatchObject({
      event: { action: 'DeleteBucket', category: ['file'], type: ['deletion'], outcome: 'failure' },
      error: { code: 'AccessDenied', message: 'Access Denied' },
      user: { name: 'bob', roles: ['Admin'] },
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
    expect(Object.getPrototypeOf(cloudtrail['flattened'])).toBe(Object.prototype);
    expect(JSON.stringify(cloudtrail)).not.toContain('polluted');
  });
});
