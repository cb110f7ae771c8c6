// Test helpers shared by the parser tests: a raw record of a line, one parsed event (a failure or
// several events fail the test), and a dotted-path read.
import type { EcsEvent, JsonObject, RawRecord } from '../model/event.ts';
import { isParseFailure, type Parser } from './parser.ts';

export interface TestRecordOptions {
  /** The record's decoded JSON object, as a source hands it over. */
  readonly json?: JsonObject;
  /** RawRecord.timezone (the source's configured zone). */
  readonly timezone?: string;
  /** Default 2026-03-01T00:00:00Z. */
  readonly receivedAt?: number;
}

export function textRecord(text: string, options: TestRecordOptions = {}): RawRecord {
  return {
    text,
    ...(options.json !== undefined ? { json: options.json } : {}),
    ...(options.timezone !== undefined ? { timezone: options.timezone } : {}),
    source: { kind: 'file', name: 'test.log' },
    unit: 'u',
    receivedAt: options.receivedAt ?? Date.parse('2026-03-01T00:00:00Z'),
  };
}

/** The one event `parser` makes of `text`; throws (failing the test) on a parse failure or several events. */
export function parseText(parser: Parser, text: string, options: TestRecordOptions = {}): EcsEvent {
  const result = parser.parse(textRecord(text, options));
  if (isParseFailure(result)) throw new Error(`parse failure: ${result.reason}`);
  if (Array.isArray(result)) throw new Error('expected one event');
  return result;
}

/** Read a dotted path from an event (test convenience, not for hot paths). */
export function at(event: EcsEvent, path: string): unknown {
  let current: unknown = event;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
