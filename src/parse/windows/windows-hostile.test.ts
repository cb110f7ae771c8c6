// Hostile and odd input for the three Windows parsers: never throw, never pollute prototypes, and
// sniff only the shape each parser owns (no false positives on other JSON log formats).
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';
import { decodeObject } from '../parser-registry.ts';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { createWindowsFlatParser } from './windows-flat-parser.ts';
import { rawRecord } from './windows-test-support.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

/** Every value is a JSON scalar, an array or an object whose prototype is Object.prototype. */
function expectPlainJson(value: unknown, path: string): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    expect(Number.isFinite(value), path).toBe(true);
    return;
  }
  expect(typeof value, path).toBe('object');
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) expectPlainJson(item, `${path}[${index}]`);
    return;
  }
  expect(Object.getPrototypeOf(value), path).toBe(Object.prototype);
  for (const [key, inner] of Object.entries(value as object)) expectPlainJson(inner, `${path}.${key}`);
}

const parsers: Parser[] = [createEvtxJsonParser(), createWinlogbeatParser(), createWindowsFlatParser()];

const hostileTexts = [
  '',
  '\u0000\u0001\u0002binary\uFFFD',
  '{"Event":',
  'null',
  '[]',
  '{"Event":{"System":null,"EventData":null}}',
  '{"Event":{"System":{"EventID":{"#text":null},"Provider":[1,2],"TimeCreated":"yesterday","Execution":7},"EventData":[null,5,{"#attributes":{"Name":"__proto__"},"#text":"x"},{"Name":"constructor","#text":"y"}]}}',
  '{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational"},"EventData":{"__proto__":{"polluted":"yes"},"Hashes":"=,=,SHA1=","QueryResults":"type: ;;;","TargetObject":"","Details":"QWORD (0x1-)","CommandLine":"\\"\\"\\"","User":"\\\\"},"UserData":{"__proto__":{"polluted":"yes"},"X":{"__proto__":"a","constructor":"b"}}}}',
  '{"winlog":{"event_id":"x","event_data":{"__proto__":{"polluted":"yes"},"a":{"deep":1},"b":[1,2]},"user_data":{"__proto__":{"polluted":"yes"}},"process":{"pid":"NaN"}},"__proto__":{"polluted":"yes"},"event":null}',
  '{"winlog":{"event_id":4624,"channel":"Security","event_data":null,"keywords":[null,5]}}',
  '{"EventID":{"x":1},"Channel":"Security","__proto__":{"polluted":"yes"},"constructor":"c","Keywords":"0xzz","Level":{"a":1},"TimeCreated":12}',
  '{"EventID":"4624","SourceName":"Microsoft-Windows-Security-Auditing","IpAddress":"999.999.1.1","IpPort":"99999","LogonType":"99","ProcessId":"0xZZ"}',
  '{"EventID":"4624","SourceName":"Microsoft-Windows-Security-Auditing","LogonType":"__proto__"}',
  '{"EventID":5156,"Channel":"Security","Protocol":"constructor","SourceAddress":"::ffff:1.2.3.4"}',
  '{"EventID":22,"SourceName":"Microsoft-Windows-Sysmon","QueryName":"x","QueryResults":"type:  __proto__ a;type:  toString b;"}',
  `{"Event":{"System":{"EventID":1},"EventData":{"CommandLine":"${'a '.repeat(50_000)}"}}}`,
];

describe('Windows parsers on hostile input', () => {
  for (const parser of parsers) {
    it(`${parser.format}: never throws and never pollutes Object.prototype`, () => {
      for (const text of hostileTexts) {
        const json = decodeObject(text);
        expect(() => parser.sniff?.(text, json)).not.toThrow();
        const result = parser.parse(rawRecord(json as JsonObject | undefined, text));
        if (!isParseFailure(result)) {
          const events = Array.isArray(result) ? result : [result];
          for (const event of events) {
            expect(typeof event['@timestamp']).toBe('string');
            expect(event.unit).toBe('district-07');
            expectPlainJson(event, '');
            const data = (event.winlog as JsonObject | undefined)?.event_data as object | undefined;
            if (data) expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
          }
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }
    });
  }

  it('survives an out-of-range transport time by falling back to the current time', () => {
    const json = { Event: { System: { EventID: 1, Channel: 'X' } } } as JsonObject;
    const result = createEvtxJsonParser().parse({ ...rawRecord(json), time: 1e20, receivedAt: Number.NaN });
    if (isParseFailure(result) || Array.isArray(result)) throw new Error('expected one event');
    expect(Number.isNaN(Date.parse(result['@timestamp']))).toBe(false);
  });

  it('keeps a __proto__ event-data key out of the output instead of changing the prototype', () => {
    const text = '{"Event":{"System":{"EventID":1},"EventData":{"__proto__":"x","Image":"C:\\\\a.exe"}}}';
    const result = createEvtxJsonParser().parse(rawRecord(decodeObject(text) as JsonObject, text));
    if (isParseFailure(result) || Array.isArray(result)) throw new Error('expected one event');
    const data = (result.winlog as JsonObject).event_data as JsonObject;
    expect(Object.keys(data)).toEqual(['Image']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });
});

const otherFormats: Record<string, JsonObject> = {
  suricataEve: {
    timestamp: '2026-01-01T00:00:00.000000+0000',
    flow_id: 1,
    event_type: 'alert',
    src_ip: '10.0.0.1',
    dest_ip: '10.0.0.2',
    alert: { signature_id: 1, signature: 'x' },
  },
  zeekConn: { ts: 1_700_000_000.1, uid: 'C1', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', proto: 'tcp' },
  cloudTrail: {
    eventVersion: '1.08',
    eventID: 'abc',
    eventTime: '2026-01-01T00:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateUser',
    awsRegion: 'us-east-1',
  },
  genericEcs: { '@timestamp': '2026-01-01T00:00:00Z', event: { code: '4624', kind: 'event' }, host: { name: 'h' } },
  splunkWinEvent: { EventCode: 4624, LogName: 'Security', ComputerName: 'h' },
};

describe('Windows sniffers', () => {
  it('recognise only their own shape', () => {
    const evtx = { Event: { System: { EventID: 1 }, EventData: {} } };
    const winlogbeat = { winlog: { event_id: 1, channel: 'Security' } };
    const flat = { EventID: 1, Channel: 'Security', Hostname: 'h' };
    const [evtxParser, winlogbeatParser, flatParser] = parsers as [Parser, Parser, Parser];
    expect([evtxParser, winlogbeatParser, flatParser].map((parser) => parser.sniff?.('', evtx))).toEqual([
      true,
      false,
      false,
    ]);
    expect([evtxParser, winlogbeatParser, flatParser].map((parser) => parser.sniff?.('', winlogbeat))).toEqual([
      false,
      true,
      false,
    ]);
    expect([evtxParser, winlogbeatParser, flatParser].map((parser) => parser.sniff?.('', flat))).toEqual([
      false,
      false,
      true,
    ]);
  });

  for (const [name, json] of Object.entries(otherFormats)) {
    it(`do not claim ${name}`, () => {
      for (const parser of parsers) expect(parser.sniff?.(JSON.stringify(json), json)).toBe(false);
    });
  }

  it('do not claim non-JSON text', () => {
    for (const parser of parsers) expect(parser.sniff?.('<13>Jan  1 00:00:00 host sshd[1]: x', undefined)).toBe(false);
  });
});
