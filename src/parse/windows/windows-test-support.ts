// Test helpers for the Windows parsers: build raw records and unwrap single parse results.
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';

export { at } from '../parse-test-support.ts';

export function rawRecord(json: JsonObject | undefined, text = JSON.stringify(json ?? null)): RawRecord {
  return {
    text,
    ...(json !== undefined ? { json } : {}),
    source: { kind: 'file', name: 'test' },
    unit: 'district-07',
    receivedAt: Date.parse('2026-01-01T00:00:00.000Z'),
  };
}

export function parseOne(parser: Parser, json: JsonObject): EcsEvent {
  const result = parser.parse(rawRecord(json));
  if (isParseFailure(result)) throw new Error(`parse failure: ${result.reason}`);
  if (Array.isArray(result)) throw new Error('expected one event');
  return result;
}

/** A Sysmon or Security event in evtx-JSON shape with the given id and event data. */
export function evtxEvent(
  eventId: number,
  eventData: JsonObject,
  options: { provider?: string; channel?: string; keywords?: string } = {},
): JsonObject {
  const provider = options.provider ?? 'Microsoft-Windows-Sysmon';
  return {
    Event: {
      System: {
        Provider: { Name: provider },
        EventID: eventId,
        Level: 4,
        Keywords: options.keywords ?? '0x8000000000000000',
        TimeCreated: { SystemTime: '2026-02-01T08:00:00.123456Z' },
        EventRecordID: 77,
        Execution: { ProcessID: 1000, ThreadID: 2000 },
        Channel:
          options.channel ??
          (provider === 'Microsoft-Windows-Sysmon' ? 'Microsoft-Windows-Sysmon/Operational' : 'Security'),
        Computer: 'srv-01.corp.example',
        Security: { UserID: 'S-1-5-18' },
      },
      EventData: eventData,
    },
  };
}
