// The same Windows event arriving as evtx JSON, as a Winlogbeat document and as a flat OTRF/NXLog
// object must give the same ECS document: Sigma rules and searches cannot depend on the shipper.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EcsEvent, JsonObject, RawRecord } from '../../model/event.ts';
import { isParseFailure, type Parser } from '../parser.ts';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { createWindowsFlatParser } from './windows-flat-parser.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

interface ThreeShapes {
  evtx: JsonObject;
  winlogbeat: JsonObject;
  flat: JsonObject;
}

function fixture(name: string): ThreeShapes {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8')) as ThreeShapes;
}

function parseWith(parser: Parser, json: JsonObject): EcsEvent {
  const record: RawRecord = {
    text: JSON.stringify(json),
    json,
    source: { kind: 'file', name: 'fixture' },
    unit: 'finance',
    receivedAt: Date.parse('2026-03-05T00:00:00.000Z'),
  };
  const result = parser.parse(record);
  if (isParseFailure(result) || Array.isArray(result)) throw new Error(`unexpected result ${JSON.stringify(result)}`);
  return result;
}

function allShapes(name: string): { evtx: EcsEvent; winlogbeat: EcsEvent; flat: EcsEvent } {
  const shapes = fixture(name);
  const winlogbeat = parseWith(createWinlogbeatParser(), shapes.winlogbeat);
  // The shipper's own receive time is kept by the Winlogbeat parser only; it is not part of the event.
  return {
    evtx: parseWith(createEvtxJsonParser(), shapes.evtx),
    winlogbeat,
    flat: parseWith(createWindowsFlatParser(), shapes.flat),
  };
}

describe('one event, three shapes', () => {
  it('Sysmon process creation gives the same ECS document from evtx JSON, Winlogbeat and flat', () => {
    const { evtx, winlogbeat, flat } = allShapes('sysmon-process-create.json');
    expect(winlogbeat).toEqual(evtx);
    expect(flat).toEqual(evtx);
    expect(evtx['@timestamp']).toBe('2026-03-04T10:11:12.300Z');
    expect(evtx.unit).toBe('finance');
    expect(evtx.process).toMatchObject({
      pid: 6012,
      entity_id: '{11111111-2222-3333-4444-555555555555}',
      executable: 'C:\\Windows\\System32\\cmd.exe',
      name: 'cmd.exe',
      command_line: 'cmd.exe /c "whoami /all"',
      args: ['cmd.exe', '/c', 'whoami /all'],
      working_directory: 'C:\\Users\\alice\\',
      parent: { pid: 4410, name: 'explorer.exe', executable: 'C:\\Windows\\explorer.exe' },
      hash: { md5: 'b'.repeat(32), sha1: 'a'.repeat(40), sha256: 'c'.repeat(64) },
      pe: { imphash: 'd'.repeat(32), original_file_name: 'Cmd.Exe', company: 'Microsoft Corporation' },
    });
    expect(evtx.user).toEqual({ id: 'S-1-5-18', domain: 'CORP', name: 'alice' });
    expect(evtx.event).toMatchObject({ code: '1', kind: 'event', category: ['process'], type: ['start'] });
  });

  it('Security 4688 gives the same ECS document, including an #attributes-encoded evtx record', () => {
    const { evtx, winlogbeat, flat } = allShapes('security-process-created.json');
    expect(winlogbeat).toEqual(evtx);
    expect(flat).toEqual(evtx);
    expect(evtx['@timestamp']).toBe('2026-03-04T10:20:30.123Z');
    expect(evtx.event).toMatchObject({ code: '4688', action: 'created-process', outcome: 'success' });
    expect(evtx.process).toMatchObject({
      pid: 0x177c,
      executable: 'C:\\Windows\\System32\\whoami.exe',
      name: 'whoami.exe',
      parent: { pid: 0x177b, executable: 'C:\\Windows\\System32\\cmd.exe', name: 'cmd.exe' },
    });
    expect(evtx.user).toMatchObject({ id: 'S-1-5-21-1-2-3-1104', name: 'alice', domain: 'CORP' });
    expect((evtx.winlog as JsonObject).keywords).toEqual(['Audit Success']);
  });

  it('exposes the Sigma lookup fields identically in every shape', () => {
    for (const name of ['sysmon-process-create.json', 'security-process-created.json']) {
      const shapes = allShapes(name);
      for (const shape of [shapes.evtx, shapes.winlogbeat, shapes.flat]) {
        const winlog = shape.winlog as JsonObject;
        expect(typeof winlog.event_id).toBe('string');
        expect(winlog.channel).toMatch(/^(Security|Microsoft-Windows-Sysmon\/Operational)$/);
        expect(winlog.provider_name).toMatch(/^Microsoft-Windows-(Sysmon|Security-Auditing)$/);
        expect(winlog.computer_name).toBe('ws-17.corp.example');
        expect((winlog.event_data as JsonObject).CommandLine).toMatch(/whoami \/all/);
      }
    }
    const sysmon = allShapes('sysmon-process-create.json').flat;
    expect((sysmon.winlog as JsonObject).event_data).toMatchObject({
      Image: 'C:\\Windows\\System32\\cmd.exe',
      ParentImage: 'C:\\Windows\\explorer.exe',
      ProcessId: '6012',
      TerminalSessionId: '1',
      RuleName: '-',
    });
    const security = allShapes('security-process-created.json').evtx;
    expect((security.winlog as JsonObject).event_data).toMatchObject({
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
      ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      TargetUserName: '-',
    });
  });
});
