import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, RawRecord } from '../../model/event.ts';
import { isParseFailure } from '../parser.ts';
import { createOktaParser } from './okta-parser.ts';

const parser = createOktaParser();
const arrayText = readFileSync(join(import.meta.dirname, '__fixtures__', 'okta-events.json'), 'utf8').trim();
const events = JSON.parse(arrayText) as Record<string, unknown>[];

function record(text: string, json?: Record<string, unknown>): RawRecord {
  return {
    text,
    json: json as RawRecord['json'],
    unit: 'unit-a',
    receivedAt: 0,
    source: { kind: 'test', name: 'test' },
  };
}

function parseOne(index: number): EcsEvent {
  const text = JSON.stringify(events[index]);
  const result = parser.parse(record(text, events[index]));
  if (isParseFailure(result) || Array.isArray(result)) throw new Error('expected one event');
  return result;
}

describe('okta', () => {
  it('maps a session start: actor, client, outcome and categorisation', () => {
    expect(parseOne(0)).toMatchObject({
      '@timestamp': '2026-11-20T08:15:42.318Z',
      unit: 'unit-a',
      message: 'User login to Okta',
      log: { level: 'info' },
      event: {
        id: '9f2c1e40-7a3b-11ef-8c3d-0d1e2f3a4b5c',
        action: 'user.session.start',
        category: ['authentication', 'session'],
        type: ['start'],
        outcome: 'success',
        kind: 'event',
      },
      user: { name: 'jane.doe@example.org', full_name: 'Jane Doe', id: '00u1abcdEFGHijkl0x7', domain: 'example.org' },
      source: {
        ip: '198.51.100.23',
        geo: { city_name: 'Frankfurt am Main', country_name: 'Germany', location: { lat: 50.1109, lon: 8.6821 } },
        as: { number: 64500, organization: { name: 'example transit' } },
        domain: 'example.net',
      },
      user_agent: { name: 'Chrome', os: { name: 'Windows', version: '10' } },
      related: { user: ['jane.doe@example.org'], ip: ['198.51.100.23'] },
      okta: { event_type: 'user.session.start', authentication_context: { external_session_id: '102abcDEFghiJKL' } },
    });
  });

  it('maps MFA failures with their reason and the proxy chain', () => {
    const event = parseOne(1);
    expect(event.event).toMatchObject({
      category: ['authentication'],
      outcome: 'failure',
      reason: 'INVALID_CREDENTIALS',
    });
    expect(event['related']).toMatchObject({ ip: ['203.0.113.77', '192.0.2.10'] });
    expect(event['user_agent']).toBeUndefined();
  });

  it('maps group membership changes to user.target and group', () => {
    expect(parseOne(2)).toMatchObject({
      event: { category: ['iam'], type: ['group', 'change'] },
      user: {
        name: 'admin@example.org',
        target: {
          name: 'mallory@example.org',
          full_name: 'Mallory M',
          group: { name: 'Super Admins', id: '00gSUPERADMINS' },
        },
      },
      group: { name: 'Super Admins' },
      related: { user: ['admin@example.org', 'mallory@example.org'] },
    });
  });

  it('parses the API array form into several events and sniffs both forms', () => {
    expect(parser.sniff!(arrayText, undefined)).toBe(true);
    const result = parser.parse(record(arrayText));
    expect(Array.isArray(result) && result.map((event) => event.event?.['action'])).toEqual([
      'user.session.start',
      'user.authentication.auth_via_mfa',
      'group.user_membership.add',
    ]);
    const one = JSON.stringify(events[0]);
    expect(parser.sniff!(one, events[0])).toBe(true);
  });

  it('does not sniff other JSON and fails as a value on it', () => {
    expect(parser.sniff!('{"eventType":"x"}', { eventType: 'x' })).toBe(false);
    expect(parser.sniff!('[1,2]', undefined)).toBe(false);
    expect(
      parser.sniff!('{"eventSource":"iam.amazonaws.com","eventName":"X","eventVersion":"1"}', {
        eventSource: 'iam.amazonaws.com',
        eventName: 'X',
        eventVersion: '1',
      }),
    ).toBe(false);
    expect(isParseFailure(parser.parse(record('{"a":1}')))).toBe(true);
    expect(isParseFailure(parser.parse(record('[{"a":1}]')))).toBe(true);
  });
});
