import { describe, expect, it } from 'vitest';
import { validateQuery } from '../store/query/validate-query.ts';
import { questionToQuery } from './question-to-query.ts';

const now = Date.UTC(2026, 11, 3, 12, 0, 0);
const hour = 3_600_000;

describe('questionToQuery (ask without an LLM)', () => {
  it.each([
    [
      'failed logons for alice in the last 24 hours',
      'event.category:authentication AND event.outcome:failure AND user.name:alice',
      24 * hour,
    ],
    [
      'Show failed logins by user bob in the past 2 days',
      'event.category:authentication AND event.outcome:failure AND user.name:bob',
      48 * hour,
    ],
    [
      'powershell on host fin-ws01 in the last 15 minutes',
      '(process.name:powershell.exe OR process.name:pwsh.exe) AND host.name:fin-ws01',
      15 * 60_000,
    ],
    ['connections to 203.0.113.66 on port 443', 'destination.ip:203.0.113.66 AND destination.port:443', 24 * hour],
    [
      'new services installed on fin-dc01 today',
      '(event.code:7045 OR event.code:4697) AND host.name:fin-dc01',
      12 * hour,
    ],
    [
      'brute force from 198.51.100.7 last week',
      'event.category:authentication AND event.outcome:failure AND source.ip:198.51.100.7',
      7 * 24 * hour,
    ],
  ])('%s', (question, query, span) => {
    const translated = questionToQuery(question, now);
    expect(translated.query).toBe(query);
    expect(translated.to! - translated.from!).toBe(span);
    expect(validateQuery(translated.query, { now })).toEqual({ ok: true });
  });

  it('falls back to a full-text search of the significant words, still a valid query', () => {
    const translated = questionToQuery('anything about mimikatz?', now);
    expect(translated.understood).toBe(0);
    expect(translated.query).toBe('mimikatz');
    expect(validateQuery(translated.query)).toEqual({ ok: true });
  });

  it('quotes values that need it and never returns an invalid query', () => {
    const translated = questionToQuery('logons for user "svc(backup)" yesterday', now);
    expect(validateQuery(translated.query)).toEqual({ ok: true });
    expect(translated.from).toBe(Date.UTC(2026, 11, 2));
    expect(translated.to).toBe(Date.UTC(2026, 11, 3));
  });
});
