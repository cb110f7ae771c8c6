import { describe, expect, it } from 'vitest';
import { HostPatternMatcher, hostPatternProblem } from './host-pattern-matcher.ts';

describe('HostPatternMatcher', () => {
  const matcher = new HostPatternMatcher([
    { pattern: '*.bank.local', value: 'bank' },
    { pattern: 'fin-*', value: 'finance' },
    { pattern: '*.branch12.bank.local', value: 'branch12' },
    { pattern: 'db-*-prod', value: 'databases' },
  ]);

  it('matches wildcards, case-insensitively, with the most specific pattern winning', () => {
    expect(matcher.match('FIN-WS-042')).toBe('finance');
    expect(matcher.match('teller1.branch12.bank.local')).toBe('branch12');
    expect(matcher.match('a.b.branch12.bank.local')).toBe('branch12');
    expect(matcher.match('mail.bank.local')).toBe('bank');
    expect(matcher.match('mail.bank.local.')).toBe('bank');
    expect(matcher.match('db-orders-prod')).toBe('databases');
    expect(matcher.match('db-orders-test')).toBeUndefined();
    expect(matcher.match('bank.local')).toBeUndefined();
    expect(matcher.match('')).toBeUndefined();
  });

  it('treats dots and dashes in patterns literally', () => {
    const literal = new HostPatternMatcher([{ pattern: 'web.prod', value: 'web' }]);
    expect(literal.match('web.prod')).toBe('web');
    expect(literal.match('webxprod')).toBeUndefined();
  });

  it('answers the same from its cache', () => {
    for (let round = 0; round < 3; round++) expect(matcher.match('fin-01')).toBe('finance');
  });

  it('rejects patterns that are empty, match everything, carry regex syntax or too many stars', () => {
    expect(hostPatternProblem('')).toMatch(/empty/);
    expect(hostPatternProblem('**')).toMatch(/every host/);
    expect(hostPatternProblem('fin-(a|b)')).toMatch(/characters/);
    expect(hostPatternProblem('*a*b*c*d')).toMatch(/more than 3/);
    expect(hostPatternProblem('fin-*')).toBeUndefined();
  });

  it('stays fast on a long non-matching name', () => {
    const slowBait = new HostPatternMatcher([{ pattern: '*a*a*a', value: 'x' }]);
    const start = performance.now();
    expect(slowBait.match(`${'a'.repeat(250)}b`)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(500);
  });
});
