// Judges one parse of a hostile record: a throw, a blown time budget, prototype pollution or a
// malformed result is a problem; an event with the record's unit and a valid @timestamp, or a
// failure with a reason, is fine.
import type { JsonObject, RawRecord } from '../../src/model/event.ts';
import { isParseFailure } from '../../src/parse/parser.ts';
import type { ParseResult } from '../../src/parse/parser-registry.ts';
import type { HostileInput } from './hostile-inputs.ts';

export const hostileUnit = 'tenant-a';
const isoUtcMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort().join(',');

export function hostileRecord(input: HostileInput): RawRecord {
  const text = input.text();
  let json: JsonObject | undefined;
  if (input.withJson) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) json = value as JsonObject;
    } catch {
      json = undefined;
    }
  }
  return {
    text,
    ...(json ? { json } : {}),
    source: { kind: 'file', name: `hostile/${input.name}`, path: 'hostile.log', line: 1 },
    unit: hostileUnit,
    receivedAt: Date.parse('2026-01-01T00:00:00.000Z'),
  };
}

/** What is wrong with a parse result, as readable lines (empty when it is acceptable). */
export function resultProblems(result: ParseResult): string[] {
  if (isParseFailure(result)) {
    const problems: string[] = [];
    if (typeof result.reason !== 'string' || result.reason.trim() === '') problems.push('failure without a reason');
    if (typeof result.format !== 'string' || result.format === '') problems.push('failure without a format');
    if (/^parser error:/.test(result.reason)) problems.push(`parser '${result.format}' threw: ${result.reason}`);
    return problems;
  }
  const events = Array.isArray(result) ? result : [result];
  if (events.length === 0) return ['an empty event list: the record was silently dropped'];
  const problems: string[] = [];
  for (const event of events) {
    if (typeof event !== 'object' || event === null) {
      problems.push(`not an event: ${String(event)}`);
      continue;
    }
    if (event.unit !== hostileUnit) {
      problems.push(`unit is ${JSON.stringify(event.unit)}, not the record's '${hostileUnit}'`);
    }
    const timestamp = event['@timestamp'];
    if (typeof timestamp !== 'string' || !isoUtcMillis.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      problems.push(`invalid @timestamp ${String(JSON.stringify(timestamp)).slice(0, 60)}`);
    }
    try {
      JSON.stringify(event);
    } catch (error) {
      problems.push(`event is not serialisable: ${describeError(error)}`);
    }
  }
  return problems;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Run one step (sniff or parse) and list its problems: throw, time over budget, pollution, bad result. */
export function checkStep<T>(step: string, run: () => T, budgetMs: number, judge?: (value: T) => string[]): string[] {
  const problems: string[] = [];
  const start = performance.now();
  let value: T | undefined;
  let threw = false;
  try {
    value = run();
  } catch (error) {
    threw = true;
    problems.push(`${step} threw ${describeError(error)}`);
  }
  const ms = performance.now() - start;
  if (ms >= budgetMs) problems.push(`${step} took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)`);
  if (Object.getOwnPropertyNames(Object.prototype).sort().join(',') !== prototypeNames) {
    problems.push(`${step} polluted Object.prototype`);
  }
  if (({} as Record<string, unknown>).polluted !== undefined) problems.push(`${step} polluted Object.prototype`);
  if (!threw && judge) problems.push(...judge(value as T).map((problem) => `${step}: ${problem}`));
  return problems;
}
