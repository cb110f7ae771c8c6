import { describe, expect, it } from 'vitest';
import type { Alert } from '../model/alert.ts';
import type { Suppression } from '../model/suppression.ts';
import { LiveSuppressions, SuppressionMatcher, wildcardMatch } from './suppressions.ts';

const now = Date.parse('2026-12-03T10:00:00Z');

function alert(overrides: Partial<Alert> = {}, event: Record<string, unknown> = {}): Alert {
  return {
    id: 'a1',
    unit: 'finance',
    kind: 'sigma',
    '@timestamp': '2026-12-03T09:59:00.000Z',
    createdAt: now,
    rule: { id: 'rule-1', title: 'Rule one', level: 'high' },
    eventIds: ['e1'],
    event: { '@timestamp': '2026-12-03T09:59:00.000Z', unit: 'finance', ...event } as Alert['event'],
    ...overrides,
  };
}

function suppression(overrides: Partial<Suppression> = {}): Suppression {
  return {
    id: 's1',
    unit: 'finance',
    ruleId: 'rule-1',
    match: { 'host.name': 'FIN-WS007' },
    reason: 'backup agent',
    owner: 'anna',
    createdBy: 'anna',
    createdAt: now - 1000,
    expiresAt: now + 86_400_000,
    ...overrides,
  };
}

describe('wildcardMatch', () => {
  it('matches whole values, case-insensitively, with * anywhere', () => {
    expect(wildcardMatch('abc', 'ABC')).toBe(true);
    expect(wildcardMatch('abc', 'abcd')).toBe(false);
    expect(wildcardMatch('fin-*', 'FIN-ws007')).toBe(true);
    expect(wildcardMatch('*.corp.example', 'fin-ws007.corp.example')).toBe(true);
    expect(wildcardMatch('*.corp.example', 'fin-ws007.corp.example.evil')).toBe(false);
    expect(wildcardMatch('a*b*c', 'aXXbYYc')).toBe(true);
    expect(wildcardMatch('a*b*c', 'aXXcYYb')).toBe(false);
    expect(wildcardMatch('*', '')).toBe(true);
    expect(wildcardMatch('ab*ba', 'aba')).toBe(false); // prefix and suffix may not overlap
    expect(wildcardMatch('a**b', 'ab')).toBe(true);
  });

  it('treats regular-expression characters literally', () => {
    expect(wildcardMatch('c:\\windows\\*.exe', 'C:\\Windows\\System32\\cmd.exe')).toBe(true);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
    expect(wildcardMatch('(x+)+$', '(x+)+$')).toBe(true);
  });

  it('stays fast on pathological patterns', () => {
    const value = 'a'.repeat(50_000);
    const started = performance.now();
    expect(wildcardMatch(`${'a*'.repeat(200)}b`, value)).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('SuppressionMatcher', () => {
  const event = { host: { name: 'fin-ws007' }, user: { name: 'CORP\\anna.berg' } };

  it('suppresses an alert of the rule whose fields all match', () => {
    const matcher = new SuppressionMatcher([
      suppression({ match: { 'host.name': 'FIN-WS007', 'user.name': 'corp\\*' } }),
    ]);
    expect(matcher.match(alert({}, event), now)?.id).toBe('s1');
  });

  it('does not suppress another rule, another unit, or a differing field', () => {
    const matcher = new SuppressionMatcher([suppression({ match: { 'host.name': 'fin-ws007', 'user.name': 'bob' } })]);
    expect(matcher.match(alert({}, event), now)).toBeUndefined();
    const hostOnly = new SuppressionMatcher([suppression()]);
    expect(hostOnly.match(alert({ rule: { id: 'rule-2', title: 'x', level: 'low' } }, event), now)).toBeUndefined();
    expect(hostOnly.match(alert({ unit: 'hr' }, event), now)).toBeUndefined();
    expect(hostOnly.match(alert({}, { host: { name: 'fin-ws008' } }), now)).toBeUndefined();
  });

  it('does not match a field the event lacks (not even with *)', () => {
    const matcher = new SuppressionMatcher([suppression({ match: { 'process.name': '*' } })]);
    expect(matcher.match(alert({}, event), now)).toBeUndefined();
    expect(matcher.match(alert({}, { ...event, process: { name: 'x' } }), now)?.id).toBe('s1');
  });

  it('with no fields, suppresses every alert of the rule in the unit', () => {
    const matcher = new SuppressionMatcher([suppression({ match: {} })]);
    expect(matcher.match(alert({}, event), now)?.id).toBe('s1');
  });

  it('stops applying at expiry, without being rebuilt', () => {
    const matcher = new SuppressionMatcher([suppression({ expiresAt: now + 1000 })]);
    expect(matcher.match(alert({}, event), now)?.id).toBe('s1');
    expect(matcher.match(alert({}, event), now + 1000)).toBeUndefined();
  });

  it('matches array values, numbers, flattened keys and correlation group-by values', () => {
    const matcher = new SuppressionMatcher([
      suppression({ match: { 'source.port': '22', tags: 'noisy' } }),
      suppression({ id: 's2', ruleId: 'corr', match: { 'user.name': 'svc-*' } }),
    ]);
    expect(matcher.match(alert({}, { source: { port: 22 }, tags: ['a', 'NOISY'] }), now)?.id).toBe('s1');
    expect(matcher.match(alert({}, { 'source.port': 22, tags: 'noisy' }), now)?.id).toBe('s1');
    const correlation = alert({
      kind: 'sigma-correlation',
      rule: { id: 'corr', title: 'c', level: 'high' },
      event: undefined,
      groupBy: { 'user.name': 'svc-backup' },
    });
    expect(matcher.match(correlation, now)?.id).toBe('s2');
  });

  it('ignores prototype keys', () => {
    const matcher = new SuppressionMatcher([suppression({ match: { 'constructor.name': 'object' } })]);
    expect(matcher.match(alert({}, event), now)).toBeUndefined();
  });

  it('reports the oldest matching suppression', () => {
    const matcher = new SuppressionMatcher([
      suppression({ id: 'new', createdAt: now - 10 }),
      suppression({ id: 'old', createdAt: now - 100 }),
    ]);
    expect(matcher.match(alert({}, event), now)?.id).toBe('old');
  });
});

describe('LiveSuppressions', () => {
  it('swaps the whole set', async () => {
    const live = new LiveSuppressions();
    expect(live.match(alert({}, { host: { name: 'fin-ws007' } }), now)).toBeUndefined();
    await live.reload(async () => [suppression()]);
    expect(live.size).toBe(1);
    expect(live.match(alert({}, { host: { name: 'fin-ws007' } }), now)?.id).toBe('s1');
    live.replace([]);
    expect(live.match(alert({}, { host: { name: 'fin-ws007' } }), now)).toBeUndefined();
  });
});
