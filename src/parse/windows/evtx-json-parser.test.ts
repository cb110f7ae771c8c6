import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import type { JsonObject } from '../../model/event.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { isParseFailure } from '../parser.ts';
import { createEvtxJsonParser, evtxJsonFormat } from './evtx-json-parser.ts';
import { at, evtxEvent, parseOne, rawRecord } from './windows-test-support.ts';

const parser = createEvtxJsonParser();

function jsonlFiles(dir: string, into: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) jsonlFiles(path, into);
    else if (name.endsWith('.jsonl')) into.push(path);
  }
  return into;
}

describe('windows-evtx-json parser', () => {
  it('reads System metadata into winlog.*, event.*, host.name and @timestamp', () => {
    const event = parseOne(
      parser,
      evtxEvent(
        7036,
        { param1: 'Windows Event Log', param2: 'running' },
        { provider: 'Service Control Manager', channel: 'System' },
      ),
    );
    expect(event).toMatchObject({
      '@timestamp': '2026-02-01T08:00:00.123Z',
      unit: 'district-07',
      host: { name: 'srv-01.corp.example' },
      event: { code: '7036', provider: 'Service Control Manager', kind: 'event' },
      log: { level: 'information' },
      winlog: {
        event_id: '7036',
        channel: 'System',
        provider_name: 'Service Control Manager',
        computer_name: 'srv-01.corp.example',
        record_id: '77',
        process: { pid: 1000, thread: { id: 2000 } },
        user: { identifier: 'S-1-5-18' },
        event_data: { param1: 'Windows Event Log', param2: 'running' },
      },
    });
  });

  it('accepts "@Name" attributes, unnamed Data lists and EventData as an array', () => {
    const xmltodict = parseOne(parser, {
      Event: {
        System: {
          Provider: { '@Name': 'MSSQLSERVER' },
          EventID: { '@Qualifiers': '16384', '#text': '15457' },
          TimeCreated: { '@SystemTime': '2026-02-01T08:00:00Z' },
          Channel: 'Application',
          Computer: 'sql-01',
        },
        EventData: { Data: ['xp_cmdshell', '0', '1'], Binary: null },
      },
    });
    expect(xmltodict.winlog).toMatchObject({
      event_id: '15457',
      provider_name: 'MSSQLSERVER',
      event_data: { param1: 'xp_cmdshell', param2: '0', param3: '1' },
    });
    // Sigma addresses unnamed data as one field `Data`.
    expect(at(xmltodict, 'winlog.event_data.Data')).toEqual(['xp_cmdshell', '0', '1']);
    expect(at(xmltodict, 'winlog.event_data.Binary')).toBeUndefined();
    expect(xmltodict['@timestamp']).toBe('2026-02-01T08:00:00.000Z');
    const array = parseOne(parser, {
      Event: {
        System: { EventID: 1, Channel: 'X' },
        EventData: [{ '@Name': 'A', '#text': 'a' }, 'loose'],
      },
    });
    expect(at(array, 'winlog.event_data')).toEqual({ A: 'a', param2: 'loose' });
    const evtxDump = parseOne(parser, {
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: {
          Provider: { '#attributes': { Name: 'MSSQLSERVER' } },
          EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 15457 },
          Channel: 'Application',
        },
        EventData: { Data: { '#text': ['xp_cmdshell', '0', '1'] }, Binary: '0A' },
      },
    });
    expect(at(evtxDump, 'winlog.event_data')).toEqual({
      param1: 'xp_cmdshell',
      param2: '0',
      param3: '1',
      Data: ['xp_cmdshell', '0', '1'],
      Binary: '0A',
    });
    expect(at(evtxDump, 'winlog.event_id')).toBe('15457');
    const separateAttributes = parseOne(parser, {
      Event: {
        System: {
          Provider: '',
          Provider_attributes: { Name: 'Microsoft-Windows-Security-Auditing' },
          EventID: 4624,
          TimeCreated: '',
          TimeCreated_attributes: { SystemTime: '2026-02-01T08:00:01.5Z' },
          Execution_attributes: { ProcessID: 4, ThreadID: 8 },
          Channel: 'Security',
        },
        EventData: { TargetUserName: 'erin' },
      },
    });
    expect(separateAttributes).toMatchObject({
      '@timestamp': '2026-02-01T08:00:01.500Z',
      event: { provider: 'Microsoft-Windows-Security-Auditing', action: 'logged-in' },
      winlog: { process: { pid: 4, thread: { id: 8 } } },
      user: { name: 'erin' },
    });
  });

  it('uses the receive time when the record has no time, and keeps a rendered message', () => {
    const event = parseOne(parser, {
      Event: {
        System: { EventID: 4104, Channel: 'PowerShell' },
        RenderingInfo: { Message: 'Creating Scriptblock text' },
      },
    });
    expect(event['@timestamp']).toBe('2026-01-01T00:00:00.000Z');
    expect(event.message).toBe('Creating Scriptblock text');
  });

  it('returns a parse failure for records without Event.System', () => {
    for (const json of [
      {},
      { Event: null },
      { Event: { EventData: {} } },
      { Event: { System: 'x' } },
    ] as JsonObject[]) {
      const result = parser.parse(rawRecord(json));
      expect(isParseFailure(result)).toBe(true);
    }
    expect(isParseFailure(parser.parse(rawRecord(undefined, 'not json')))).toBe(true);
  });
});

describe.skipIf(!hasSharedData('evtx-attack-samples'))('EVTX-ATTACK-SAMPLES (../shared/data)', () => {
  it('parses every record of every jsonl file with zero failures, auto-detected as windows-evtx-json', () => {
    const registry = createDefaultParserRegistry();
    const files = jsonlFiles(sharedData('evtx-attack-samples'));
    let records = 0;
    let parsed = 0;
    const failures: string[] = [];
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        records++;
        const record = rawRecord(undefined, line);
        const detected = registry.detect(record);
        if (detected?.format !== evtxJsonFormat) {
          failures.push(`${file}: detected as ${detected?.format}`);
          continue;
        }
        const result = registry.parse(record);
        if (isParseFailure(result) || Array.isArray(result)) {
          failures.push(`${file}: ${isParseFailure(result) ? result.reason : 'array'}`);
          continue;
        }
        if (typeof at(result, 'winlog.event_id') !== 'string' || !/^\d{4}-\d\d-\d\dT.*Z$/.test(result['@timestamp'])) {
          failures.push(`${file}: missing event id or timestamp`);
          continue;
        }
        parsed++;
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(files.length).toBeGreaterThan(150);
    expect(records).toBeGreaterThan(6000);
    expect(parsed).toBe(records);
  });
});

describe.skipIf(!hasSharedData('sigma', 'regression_data'))('SigmaHQ regression data (../shared/data)', () => {
  it('parses every regression sample and keeps Sigma field names under winlog.event_data', () => {
    const registry = createDefaultParserRegistry();
    let records = 0;
    let withImage = 0;
    for (const file of jsonlFiles(sharedData('sigma', 'regression_data'))) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        records++;
        const result = registry.parse(rawRecord(undefined, line));
        if (isParseFailure(result) || Array.isArray(result)) throw new Error(`${file}: not parsed`);
        const source = JSON.parse(line) as { Event: { EventData?: Record<string, unknown> | null } };
        const image = source.Event.EventData?.Image;
        if (typeof image === 'string') {
          expect(at(result, 'winlog.event_data.Image')).toBe(image);
          withImage++;
        }
      }
    }
    expect(records).toBeGreaterThan(100);
    expect(withImage).toBeGreaterThan(50);
  });
});
