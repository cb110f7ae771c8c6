import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { EcsEvent } from '../../model/event.ts';
import { CorrelationEngine, correlationAlert, type RuleMatch } from './correlation-engine.ts';
import { type CorrelationRule, parseCorrelationRule, parseTimespan } from './correlation-rule.ts';

const minute = 60_000;
const t0 = Date.UTC(2026, 10, 22, 8, 0, 0);

function correlations(yaml: string): CorrelationRule[] {
  return parseAllDocuments(yaml)
    .map((document) => document.toJS() as Record<string, unknown>)
    .filter((document) => document.correlation)
    .map((document, index) => parseCorrelationRule(document, `test.yml:doc${index + 1}`));
}

function winEvent(data: Record<string, string | number>, unit = 'hq'): EcsEvent {
  return { '@timestamp': new Date(t0).toISOString(), unit, winlog: { event_data: data } };
}

let sequence = 0;
function match(rule: string, time: number, data: Record<string, string | number>, unit = 'hq'): RuleMatch {
  return { ruleName: rule, ruleId: `${rule}-id`, eventId: `E${++sequence}`, event: winEvent(data, unit), time };
}

// The specification's own examples (sigma-correlation-rules-specification.md), with small thresholds.
const failedLogins = correlations(`
title: Many failed logins
id: 0e95725d-7320-415d-80f7-004da920fc11
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - ComputerName
    timespan: 1h
    condition:
        gte: 5
level: high
`);

describe('correlation rule parsing', () => {
  it('reads timespans in s/m/h/d', () => {
    expect(parseTimespan('90m')).toBe(90 * minute);
    expect(parseTimespan('1d')).toBe(86_400_000);
    for (const bad of ['1H', '0m', 'm', '5 m', 5, undefined]) expect(parseTimespan(bad)).toBeUndefined();
  });

  it('rejects spec violations naming the file and the requirement', () => {
    const base = {
      title: 't',
      correlation: { type: 'event_count', rules: ['a'], 'group-by': ['x'], timespan: '1h', condition: { gte: 2 } },
    };
    const broken = (change: Record<string, unknown>) => ({ ...base, correlation: { ...base.correlation, ...change } });
    const cases: [Record<string, unknown>, RegExp][] = [
      [broken({ type: 'sum' }), /correlation type must be one of/],
      [broken({ timespan: '1 hour' }), /timespan must be/],
      [broken({ rules: [] }), /at least one rule/],
      [broken({ condition: undefined }), /needs a condition/],
      [broken({ type: 'value_count' }), /value_count needs condition.field/],
      [broken({ condition: { gte: 2, above: 3 } }), /unknown condition key 'above'/],
      [broken({ condition: { gte: 'many' } }), /condition gte must be a number/],
      [broken({ aliases: { ip: { other_rule: 'source.ip' } } }), /does not reference/],
      [{ ...base, title: undefined }, /title is mandatory/],
      [{ ...base, level: 'urgent' }, /level must be one of/],
    ];
    for (const [document, message] of cases) {
      expect(() => parseCorrelationRule(document, 'rules/mr_x.yml:3')).toThrow(message);
      expect(() => parseCorrelationRule(document, 'rules/mr_x.yml:3')).toThrow(/^rules\/mr_x\.yml:3: /);
    }
  });

  it('defaults temporal conditions to all referenced rules and generate to false', () => {
    const [rule] = correlations(
      'title: t\ncorrelation:\n  type: temporal\n  rules: [a, b, c]\n  group-by: [User]\n  timespan: 5m\n',
    );
    expect(rule!.condition).toEqual({ gte: 3 });
    expect(rule!.generate).toBe(false);
  });
});

describe('event_count', () => {
  it('fires once when the count is reached within the sliding window, per group', () => {
    const engine = new CorrelationEngine(failedLogins);
    const hits = [];
    for (let n = 0; n < 4; n++)
      hits.push(...engine.onMatch(match('failed_login', t0 + n * minute, { ComputerName: 'DC1' })));
    hits.push(...engine.onMatch(match('failed_login', t0 + 5 * minute, { ComputerName: 'WS7' })));
    expect(hits).toEqual([]);
    hits.push(...engine.onMatch(match('failed_login', t0 + 10 * minute, { ComputerName: 'DC1' })));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({
      unit: 'hq',
      groupBy: { ComputerName: 'DC1' },
      value: 5,
      firstTime: t0,
      lastTime: t0 + 10 * minute,
    });
    expect(hits[0]!.eventIds).toHaveLength(5);
    // The window restarts after a report: the next match alone does not fire again.
    expect(engine.onMatch(match('failed_login', t0 + 11 * minute, { ComputerName: 'DC1' }))).toEqual([]);
  });

  it('slides: matches older than the timespan no longer count', () => {
    const engine = new CorrelationEngine(failedLogins);
    for (let n = 0; n < 4; n++) engine.onMatch(match('failed_login', t0 + n * minute, { ComputerName: 'DC1' }));
    // 61 minutes after the first: the window [1m, 61m] holds three earlier matches and this one.
    expect(engine.onMatch(match('failed_login', t0 + 61 * minute, { ComputerName: 'DC1' }))).toEqual([]);
    const hits = engine.onMatch(match('failed_login', t0 + 61 * minute, { ComputerName: 'DC1' }));
    expect(hits.map((hit) => [hit.value, hit.firstTime])).toEqual([[5, t0 + minute]]);
  });

  it('never mixes units: the same host name in two units is two groups', () => {
    const engine = new CorrelationEngine(failedLogins);
    const hits = [];
    for (let n = 0; n < 3; n++) {
      hits.push(...engine.onMatch(match('failed_login', t0 + n, { ComputerName: 'DC1' }, 'bank-a')));
      hits.push(...engine.onMatch(match('failed_login', t0 + n, { ComputerName: 'DC1' }, 'bank-b')));
    }
    expect(hits).toEqual([]);
  });

  it('ignores matches without the group-by field and matches of unrelated rules', () => {
    const engine = new CorrelationEngine(failedLogins);
    for (let n = 0; n < 10; n++) {
      expect(engine.onMatch(match('failed_login', t0 + n, { User: 'x' }))).toEqual([]);
      expect(engine.onMatch(match('other_rule', t0 + n, { ComputerName: 'DC1' }))).toEqual([]);
    }
  });

  it('accepts references by rule id as well as by name', () => {
    const [rule] = correlations(
      'title: t\ncorrelation:\n  type: event_count\n  rules: [rule-uuid-1]\n  group-by: [ComputerName]\n  timespan: 1m\n  condition: {gte: 2}\n',
    );
    const engine = new CorrelationEngine([rule!]);
    const byId = (time: number): RuleMatch => ({
      ruleId: 'rule-uuid-1',
      eventId: `I${time}`,
      event: winEvent({ ComputerName: 'A' }),
      time,
    });
    engine.onMatch(byId(t0));
    expect(engine.onMatch(byId(t0 + 1))).toHaveLength(1);
  });
});

describe('value_count and value aggregates', () => {
  it('counts distinct values of the field per group (spec: failed logons with many user accounts)', () => {
    const [rule] = correlations(`
title: Failed login
correlation:
    type: value_count
    rules: [failed_login]
    group-by: [ComputerName, WorkstationName]
    timespan: 1d
    condition:
        field: User
        gte: 3
`);
    const engine = new CorrelationEngine([rule!]);
    const at = (n: number, user: string) =>
      match('failed_login', t0 + n * minute, { ComputerName: 'DC1', WorkstationName: 'WS9', User: user });
    expect(engine.onMatch(at(0, 'alice'))).toEqual([]);
    expect(engine.onMatch(at(1, 'alice'))).toEqual([]);
    expect(engine.onMatch(at(2, 'bob'))).toEqual([]);
    const hits = engine.onMatch(at(3, 'carol'));
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ value: 3, groupBy: { ComputerName: 'DC1', WorkstationName: 'WS9' } });
  });

  const aggregate = (type: string, condition: string) =>
    new CorrelationEngine(
      correlations(
        `title: t\ncorrelation:\n  type: ${type}\n  rules: [net]\n  group-by: [SourceIP]\n  timespan: 24h\n  condition: {field: BytesOut, ${condition}}\n`,
      ),
    );
  const bytes = (engine: CorrelationEngine, values: (number | string)[]) =>
    values.flatMap((value, n) =>
      engine.onMatch(match('net', t0 + n * minute, { SourceIP: '10.0.0.5', BytesOut: value })),
    );

  it('sums, averages, takes min, max and median of numeric values', () => {
    expect(bytes(aggregate('value_sum', 'gt: 1000'), [400, 400, 'n/a', 300]).map((hit) => hit.value)).toEqual([1100]);
    // Spec example: average traffic above 500.
    expect(bytes(aggregate('value_avg', 'gt: 500'), [100, 2000]).map((hit) => hit.value)).toEqual([1050]);
    expect(bytes(aggregate('value_max', 'gte: 9000'), [10, 9000]).map((hit) => hit.value)).toEqual([9000]);
    expect(bytes(aggregate('value_min', 'lte: 50'), [60, 40]).map((hit) => hit.value)).toEqual([40]);
    expect(bytes(aggregate('value_median', 'gte: 20'), [10, 20, 300]).map((hit) => hit.value)).toEqual([20]);
  });

  it('value_percentile flags a value that is rare within its group (≤ 10% of matches), once', () => {
    const [rule] = correlations(`
title: Rare process for this computer
correlation:
    type: value_percentile
    rules: [process_creation]
    group-by: [ComputerName]
    timespan: 24h
    condition:
        field: Image
        lte: 10
`);
    const engine = new CorrelationEngine([rule!]);
    const run = (n: number, image: string) =>
      engine.onMatch(match('process_creation', t0 + n * minute, { ComputerName: 'WS1', Image: image }));
    for (let n = 0; n < 19; n++) expect(run(n, 'C:\\Windows\\explorer.exe').length).toBeLessThanOrEqual(0);
    const rare = run(20, 'C:\\Users\\Public\\x.exe');
    expect(rare).toHaveLength(1);
    expect(rare[0]!.value).toBe(5);
    expect(run(21, 'C:\\Users\\Public\\x.exe')).toEqual([]);
  });
});

describe('temporal and temporal_ordered', () => {
  const recon = correlations(`
title: Recon commands
correlation:
    type: temporal
    rules: [recon_cmd_a, recon_cmd_b, recon_cmd_c]
    group-by: [ComputerName, User]
    timespan: 5m
`);

  it('fires when all rules match in any order within the timespan for the same host and user', () => {
    const engine = new CorrelationEngine(recon);
    const who = { ComputerName: 'WS1', User: 'bob' };
    expect(engine.onMatch(match('recon_cmd_c', t0, who))).toEqual([]);
    expect(engine.onMatch(match('recon_cmd_a', t0 + minute, who))).toEqual([]);
    expect(engine.onMatch(match('recon_cmd_a', t0 + 2 * minute, { ...who, User: 'eve' }))).toEqual([]);
    expect(engine.onMatch(match('recon_cmd_b', t0 + 3 * minute, who))).toHaveLength(1);
  });

  it('does not fire when the matches are spread wider than the timespan', () => {
    const engine = new CorrelationEngine(recon);
    const who = { ComputerName: 'WS1', User: 'bob' };
    engine.onMatch(match('recon_cmd_a', t0, who));
    engine.onMatch(match('recon_cmd_b', t0 + 4 * minute, who));
    expect(engine.onMatch(match('recon_cmd_c', t0 + 6 * minute, who))).toEqual([]);
  });

  // The specification's example: multiple failed logins followed by a successful login (a chain).
  const bruteForce = correlations(`
title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
author: Florian Roth (Nextron Systems)
correlation:
    type: temporal_ordered
    rules:
        - multiple_failed_login
        - successful_login
    group-by:
        - User
    timespan: 10m
level: high
---
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
`);

  it('chains: ten failures then a success for one user fire the outer correlation', () => {
    const engine = new CorrelationEngine(bruteForce);
    const hits = [];
    for (let n = 0; n < 10; n++)
      hits.push(...engine.onMatch(match('failed_login', t0 + n * 10_000, { User: 'alice' })));
    expect(hits.map((hit) => hit.rule.title)).toEqual(['Multiple failed logons']);
    const outer = engine.onMatch(match('successful_login', t0 + 3 * minute, { User: 'alice' }));
    expect(outer.map((hit) => hit.rule.title)).toEqual([
      'Correlation - Multiple Failed Logins Followed by Successful Login',
    ]);
    const alert = correlationAlert(outer[0]!);
    expect(alert).toMatchObject({
      kind: 'sigma-correlation',
      unit: 'hq',
      rule: { level: 'high', author: 'Florian Roth (Nextron Systems)' },
    });
  });

  it('requires the order: a success before the failures does not fire', () => {
    const engine = new CorrelationEngine(bruteForce);
    expect(engine.onMatch(match('successful_login', t0, { User: 'alice' }))).toEqual([]);
    const hits = [];
    for (let n = 0; n < 10; n++) hits.push(...engine.onMatch(match('failed_login', t0 + 1000 + n, { User: 'alice' })));
    expect(hits.map((hit) => hit.rule.title)).toEqual(['Multiple failed logons']);
  });

  it('suppresses standalone alerts of rules used only inside correlations (generate: false)', () => {
    expect([...new CorrelationEngine(bruteForce).suppressedRules()].sort()).toEqual([
      'failed_login',
      'multiple_failed_login',
      'successful_login',
    ]);
    const generating = correlations(
      'title: t\ncorrelation:\n  type: event_count\n  generate: true\n  rules: [failed_login]\n  group-by: [User]\n  timespan: 1m\n  condition: {gte: 2}\n',
    );
    expect(new CorrelationEngine([...bruteForce, ...generating]).suppressedRules().has('failed_login')).toBe(false);
  });

  it('lists references that name no known rule', () => {
    const engine = new CorrelationEngine(bruteForce);
    expect(engine.unresolvedReferences(new Set(['failed_login']))).toEqual([
      { correlation: 'b180ead8-d58f-40b2-ae54-c8940995b9b6', reference: 'successful_login' },
    ]);
  });
});

describe('aliases, upper bounds, memory and restarts', () => {
  it('groups across different fields of different rules through aliases (spec example)', () => {
    const engine = new CorrelationEngine(
      correlations(`
title: Error then connection between the same hosts
correlation:
    type: temporal
    rules: [internal_error, new_network_connection]
    group-by: [internal_ip, remote_ip]
    timespan: 10s
    aliases:
        internal_ip:
            internal_error: destination.ip
            new_network_connection: source.ip
        remote_ip:
            internal_error: source.ip
            new_network_connection: destination.ip
`),
    );
    const event = (source: string, destination: string): EcsEvent => ({
      '@timestamp': '2026-11-22T08:00:00.000Z',
      unit: 'hq',
      source: { ip: source },
      destination: { ip: destination },
    });
    engine.onMatch({ ruleName: 'internal_error', eventId: 'a', event: event('203.0.113.9', '10.0.0.5'), time: t0 });
    expect(
      engine.onMatch({
        ruleName: 'new_network_connection',
        eventId: 'b',
        event: event('10.0.0.6', '203.0.113.9'),
        time: t0 + 1000,
      }),
    ).toEqual([]);
    const hits = engine.onMatch({
      ruleName: 'new_network_connection',
      eventId: 'c',
      event: event('10.0.0.5', '203.0.113.9'),
      time: t0 + 2000,
    });
    expect(hits).toHaveLength(1);
    expect(hits[0]!.groupBy).toEqual({ internal_ip: '10.0.0.5', remote_ip: '203.0.113.9' });
  });

  it('decides "fewer than" conditions when the window has ended', () => {
    const engine = new CorrelationEngine(
      correlations(
        'title: Quiet beacon\ncorrelation:\n  type: event_count\n  rules: [beacon]\n  group-by: [ComputerName]\n  timespan: 1h\n  condition: {lt: 3}\n',
      ),
    );
    expect(engine.onMatch(match('beacon', t0, { ComputerName: 'A' }))).toEqual([]);
    expect(engine.onMatch(match('beacon', t0 + minute, { ComputerName: 'A' }))).toEqual([]);
    for (let n = 0; n < 5; n++) engine.onMatch(match('beacon', t0 + n * minute, { ComputerName: 'B' }));
    expect(engine.advance(t0 + 30 * minute)).toEqual([]);
    const hits = engine.advance(t0 + 61 * minute);
    expect(hits.map((hit) => [hit.groupBy.ComputerName, hit.value])).toEqual([['A', 2]]);
  });

  it('bounds memory: beyond maxGroups the least recently updated group is evicted', () => {
    const engine = new CorrelationEngine(failedLogins, { maxGroups: 100 });
    for (let n = 0; n < 1000; n++) engine.onMatch(match('failed_login', t0 + n, { ComputerName: `host-${n}` }));
    expect(engine.evictions).toBe(900);
    expect(engine.snapshot().correlations[0]!.groups).toHaveLength(100);
  });

  it('survives a restart: a restored engine completes a window opened before it', () => {
    const before = new CorrelationEngine(failedLogins);
    for (let n = 0; n < 4; n++) before.onMatch(match('failed_login', t0 + n * minute, { ComputerName: 'DC1' }));
    const saved = JSON.parse(JSON.stringify(before.snapshot()));
    const after = new CorrelationEngine(failedLogins);
    after.restore(saved);
    expect(after.onMatch(match('failed_login', t0 + 5 * minute, { ComputerName: 'DC1' }))).toHaveLength(1);
    const fresh = new CorrelationEngine(failedLogins);
    expect(fresh.onMatch(match('failed_login', t0 + 5 * minute, { ComputerName: 'DC1' }))).toEqual([]);
  });
});
