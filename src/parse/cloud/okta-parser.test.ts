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
        type: ['start', 'info'],
        outcome: 'success',
        kind: 'event',
      },
      user: { name: 'jane.doe@example.org', full_name: 'Jane Doe', id: '00u1abcdEFGHijkl0x7', domain: 'example.org' },
      source: {
        ip: '198.51.100.23',
        geo: { city_name: 'Frankfurt am Main', country_name: 'Germany', location: { lat: 50.1109, lon: 8.6821 } },
        as: { number: 64500, organization: { name: 'example transit' } },
        domain: 'example.net',
        user: { name: 'jane.doe@example.org', full_name: 'Jane Doe', id: '00u1abcdEFGHijkl0x7' },
      },
      client: {
        ip: '198.51.100.23',
        domain: 'example.net',
        user: { name: 'jane.doe@example.org', full_name: 'Jane Doe', id: '00u1abcdEFGHijkl0x7' },
      },
      user_agent: { name: 'Chrome', os: { name: 'Windows', version: '10' } },
      related: { user: ['Jane Doe', 'jane.doe@example.org'], ip: ['198.51.100.23'] },
      okta: { event_type: 'user.session.start', authentication_context: { external_session_id: '102abcDEFghiJKL' } },
    });
    expect(parseOne(0).tags).toEqual(['end-user-visible', 'event-hook-eligible', 'session', 'user']);
  });

  it('maps MFA failures with their reason; related.ip is the client, not the proxy chain', () => {
    const event = parseOne(1);
    expect(event.event).toMatchObject({
      category: ['authentication'],
      type: ['info'],
      outcome: 'failure',
      reason: 'INVALID_CREDENTIALS',
    });
    expect(event['related']).toMatchObject({ ip: ['203.0.113.77'] });
    // Elastic runs even Okta's UNKNOWN placeholder through the user-agent parser.
    expect(event['user_agent']).toEqual({ original: 'UNKNOWN', name: 'Other', device: { name: 'Other' } });
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
      related: { user: ['Okta Admin', 'admin@example.org', 'Mallory M'] },
    });
  });

  it('maps a system actor as the user and takes user.target from the User target, not the app user', () => {
    const event = parseOne(3);
    expect(event).toMatchObject({
      user: {
        name: 'system@okta.com',
        full_name: 'Okta System',
        target: { full_name: 'Ops Lead', id: '00uOPSLEAD01' },
      },
      client: { user: { name: 'system@okta.com', id: 'sysPrincipal0x7' } },
      related: { user: ['Okta System', 'system@okta.com', 'Ops Lead'] },
    });
    expect(event['client']).not.toHaveProperty('ip');
    expect(event['related']).not.toHaveProperty('ip');
  });

  it('reads native iOS app agents (Okta Verify) as iOS WebKit clients', () => {
    expect(parseOne(4)['user_agent']).toMatchObject({
      name: 'Mobile Safari UI/WKWebView',
      device: { name: 'iPhone' },
      os: { name: 'iOS', version: '17.2.1', full: 'iOS 17.2.1' },
    });
    expect(parseOne(4).event).toMatchObject({ category: ['authentication'], type: ['info'] });
  });

  it('reads the outcome case-insensitively and marks a missing one unknown', () => {
    const parsed = (outcome: unknown) => {
      const value = { ...events[2], outcome };
      const result = parser.parse(record(JSON.stringify(value), value));
      if (isParseFailure(result) || Array.isArray(result)) throw new Error('expected one event');
      return result.event?.['outcome'];
    };
    expect(parsed({ result: 'Deny' })).toBe('failure');
    expect(parsed({ result: 'allow' })).toBe('success');
    expect(parsed({ result: 'CHALLENGE' })).toBe('unknown');
    expect(parsed(null)).toBe('unknown');
  });

  it('classifies by the event-type table, and by prefix (without tags) outside it', () => {
    const classified = (eventType: string) => {
      const value = { ...events[2], eventType };
      const result = parser.parse(record(JSON.stringify(value), value));
      if (isParseFailure(result) || Array.isArray(result)) throw new Error('expected one event');
      return { category: result.event?.['category'], type: result.event?.['type'], tags: result.tags };
    };
    expect(classified('group.privilege.grant')).toEqual({
      category: ['iam'],
      type: ['group', 'info'],
      tags: ['event-hook-eligible', 'group'],
    });
    expect(classified('app.oauth2.as.authorize.code')).toEqual({
      category: ['authentication'],
      type: ['info'],
      tags: undefined,
    });
    // Listed by Elastic's hand-kept lists: those alone give category and type.
    expect(classified('group.user_membership.remove')).toEqual({
      category: ['iam'],
      type: ['group', 'change'],
      tags: ['event-hook-eligible', 'group'],
    });
    expect(classified('security.request.blocked')).toEqual({
      category: undefined,
      type: ['network'],
      tags: ['security'],
    });
  });

  it('parses the API array form into several events and sniffs both forms', () => {
    expect(parser.sniff!(arrayText, undefined)).toBe(true);
    const result = parser.parse(record(arrayText));
    expect(Array.isArray(result) && result.map((event) => event.event?.['action'])).toEqual([
      'user.session.start',
      'user.authentication.auth_via_mfa',
      'group.user_membership.add',
      'app.user_management',
      'user.authentication.verify',
    ]);
    const one = JSON.stringify(events[0]);
    expect(parser.sniff!(one, events[0])).toBe(true);
  });

  it('sniffs and parses events batched one a line into one record', () => {
    const lines = [events[0], events[2]].map((event) => JSON.stringify(event));
    const text = lines.join('\n');
    expect(parser.sniff!(text, undefined)).toBe(true);
    const result = parser.parse(record(text));
    if (!Array.isArray(result)) throw new Error('expected several events');
    expect(result.map((event) => event.event?.['action'])).toEqual(['user.session.start', 'group.user_membership.add']);
    expect(result[1]!.event?.['original']).toBe(lines[1]);
    expect(parser.sniff!(`{"eventType":"x","published":"y"}\n{"a":1}`, undefined)).toBe(false);
  });
  it('takes the event out of shipper documents that wrap it as json or as message text', () => {
    const line = JSON.stringify(events[1]);
    const shipped = { '@timestamp': '2026-11-20T08:16:05Z', input: { type: 'httpjson' }, message: line };
    expect(parser.sniff!(JSON.stringify(shipped), shipped)).toBe(true);
    const fromMessage = parser.parse(record(JSON.stringify(shipped), shipped));
    if (isParseFailure(fromMessage) || Array.isArray(fromMessage)) throw new Error('expected one event');
    expect(fromMessage.event).toMatchObject({ action: 'user.authentication.auth_via_mfa', original: line });
    const wrapped = { json: events[2], data_stream: { dataset: 'okta.system' } };
    const fromJson = parser.parse(record(JSON.stringify(wrapped), wrapped));
    if (isParseFailure(fromJson) || Array.isArray(fromJson)) throw new Error('expected one event');
    expect(fromJson.event?.['action']).toBe('group.user_membership.add');
    const other = { message: '{"eventType":"x"}' };
    expect(parser.sniff!(JSON.stringify(other), other)).toBe(false);
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
