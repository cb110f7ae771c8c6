// Two tiny parsers for pipeline and server tests, so they do not depend on the shipped parsers:
// `test-json` takes JSON objects (time from `timestamp`), `test-text` takes any line as a message.
import type { EcsEvent, JsonObject, RawRecord } from '../../src/model/event.ts';
import { type Parser, parseFailure } from '../../src/parse/parser.ts';
import { ParserRegistry } from '../../src/parse/parser-registry.ts';

export const testJsonParser: Parser = {
  format: 'test-json',
  description: 'JSON objects (tests)',
  sniff: (_text, json) => json !== undefined,
  parse(record: RawRecord) {
    let json: JsonObject | undefined = record.json;
    if (!json) {
      try {
        const value: unknown = JSON.parse(record.text);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) json = value as JsonObject;
      } catch {
        return parseFailure(record, 'test-json', 'invalid JSON');
      }
    }
    if (!json) return parseFailure(record, 'test-json', 'not a JSON object');
    if (json['explode'] === true) throw new Error('boom');
    const { timestamp, ...rest } = json;
    const time = typeof timestamp === 'string' ? timestamp : new Date(record.receivedAt).toISOString();
    const event: EcsEvent = { ...rest, '@timestamp': time, unit: record.unit };
    return event;
  },
};

export const testTextParser: Parser = {
  format: 'test-text',
  description: 'Any line as a message (tests)',
  parse(record: RawRecord) {
    if (record.text.length === 0) return parseFailure(record, 'test-text', 'empty');
    return { '@timestamp': new Date(record.receivedAt).toISOString(), unit: record.unit, message: record.text };
  },
};

export function createTestRegistry(): ParserRegistry {
  return new ParserRegistry([testJsonParser, testTextParser], { _json: 'test-json', syslog: 'test-text' });
}
