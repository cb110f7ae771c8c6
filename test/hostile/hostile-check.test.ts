// The hostile-input judge must catch the defects it exists for: a careless parser fails it.
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../src/model/event.ts';
import { type Parser, parseFailure } from '../../src/parse/parser.ts';
import { checkStep, hostileRecord, resultProblems } from './hostile-check.ts';
import { type HostileInput, hostileInputs } from './hostile-inputs.ts';

function input(name: string): HostileInput {
  const found = hostileInputs().find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no hostile input '${name}'`);
  return found;
}

function merge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key in source) {
    const value = source[key];
    if (typeof value === 'object' && value !== null) {
      target[key] ??= {};
      merge(target[key] as Record<string, unknown>, value as Record<string, unknown>);
    } else target[key] = value;
  }
}

/** Spreads untrusted JSON, merges it recursively, trusts its timestamp: everything the suite forbids. */
const careless: Parser = {
  format: 'careless',
  description: 'test double',
  parse(record: RawRecord): EcsEvent {
    const data = JSON.parse(record.text) as JsonObject;
    const event: Record<string, unknown> = { unit: record.unit };
    merge(event, data);
    event['@timestamp'] = new Date(String(data['@timestamp'] ?? data.timestamp)).toISOString();
    return event as EcsEvent;
  },
};

const careful: Parser = {
  format: 'careful',
  description: 'test double',
  parse: (record) => parseFailure(record, 'careful', 'not this format'),
};

function problemsOf(parser: Parser, name: string): string[] {
  const hostile = input(name);
  return checkStep('parse', () => parser.parse(hostileRecord(hostile)), hostile.budgetMs, resultProblems);
}

describe('hostile-input judge', () => {
  it('reports throws on bad text and out-of-range timestamps', () => {
    expect(problemsOf(careless, 'empty line').join()).toMatch(/parse threw SyntaxError/);
    expect(problemsOf(careless, 'JSON: ecs, impossible timestamp').join()).toMatch(/parse threw RangeError/);
  });

  it('reports a tenant taken from the data', () => {
    expect(problemsOf(careless, 'JSON: ecs, tenant in the data').join()).toMatch(/unit is "victim-unit"/);
  });

  it('reports prototype pollution', () => {
    const before = Object.getOwnPropertyNames(Object.prototype);
    try {
      expect(problemsOf(careless, '__proto__ key').join()).toMatch(/polluted Object.prototype/);
    } finally {
      for (const name of Object.getOwnPropertyNames(Object.prototype)) {
        if (!before.includes(name)) delete (Object.prototype as Record<string, unknown>)[name];
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports a blown time budget and an empty result', () => {
    const slow: Parser = {
      format: 'slow',
      description: 'test double',
      parse: () => {
        const end = performance.now() + 30;
        while (performance.now() < end) {}
        return [] as EcsEvent[];
      },
    };
    const problems = checkStep('parse', () => slow.parse(hostileRecord(input('empty line'))), 10, resultProblems);
    expect(problems.join('\n')).toMatch(/took \d+ ms \(budget 10 ms\)/);
    expect(problems.join('\n')).toMatch(/silently dropped/);
  });

  it('accepts a failure with a reason', () => {
    expect(problemsOf(careful, '16 MB line of letters')).toEqual([]);
  });
});
