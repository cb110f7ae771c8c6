import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '../../../test/shared-data.ts';
import { createDefaultParserRegistry } from '../default-parsers.ts';
import { isParseFailure } from '../parser.ts';
import { createWindowsFlatParser, windowsFlatFormat } from './windows-flat-parser.ts';
import { at, parseOne, rawRecord } from './windows-test-support.ts';

const parser = createWindowsFlatParser();

describe('windows-flat parser', () => {
  it('separates NXLog metadata from event data, keeping Sysmon EventType values', () => {
    const event = parseOne(parser, {
      EventTime: '2020-09-19 21:17:03',
      EventReceivedTime: '2020-09-19 21:17:06',
      SourceModuleType: 'im_msvistalog',
      Hostname: 'WORKSTATION5.theshire.local',
      Keywords: JSON.parse('-9223372036854775808'),
      EventType: 'SetValue',
      EventTypeOrignal: 'INFO',
      SeverityValue: 2,
      Severity: 'INFO',
      EventID: 13,
      SourceName: 'Microsoft-Windows-Sysmon',
      ProviderGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      Version: 2,
      Task: 13,
      OpcodeValue: 0,
      RecordNumber: 2581831,
      ExecutionProcessID: 3392,
      ThreadID: 5552,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Domain: 'NT AUTHORITY',
      AccountName: 'SYSTEM',
      UserID: 'S-1-5-18',
      AccountType: 'User',
      Category: 'Registry value set (rule: RegistryEvent)',
      Opcode: 'Info',
      RuleName: '-',
      UtcTime: '2020-09-20 01:17:03.100',
      ProcessGuid: '{d273d0f0-e867-5f64-1300-000000000800}',
      ProcessId: '428',
      Image: 'C:\\windows\\system32\\svchost.exe',
      TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\x',
      Details: 'Binary Data',
      Message: 'Registry value set:\r\nRuleName: -',
      '@timestamp': '2020-09-20T01:17:06.360Z',
      '@version': '1',
      host: 'wec.internal.cloudapp.net',
      port: 64545,
      tags: ['mordorDataset'],
    });
    expect(at(event, 'winlog.event_data')).toEqual({
      EventType: 'SetValue',
      RuleName: '-',
      UtcTime: '2020-09-20 01:17:03.100',
      ProcessGuid: '{d273d0f0-e867-5f64-1300-000000000800}',
      ProcessId: '428',
      Image: 'C:\\windows\\system32\\svchost.exe',
      TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\x',
      Details: 'Binary Data',
    });
    expect(event).toMatchObject({
      '@timestamp': '2020-09-20T01:17:03.100Z',
      message: 'Registry value set:\r\nRuleName: -',
      host: { name: 'WORKSTATION5.theshire.local' },
      registry: { hive: 'HKLM', data: { type: 'REG_BINARY' } },
      winlog: {
        event_id: '13',
        record_id: '2581831',
        process: { pid: 3392, thread: { id: 5552 } },
        user: { identifier: 'S-1-5-18' },
        task: 'Registry value set (rule: RegistryEvent)',
        level: 'information',
      },
    });
  });

  it('treats ProcessID as event data (Windows Filtering Platform) and maps 5156 connections', () => {
    const event = parseOne(parser, {
      SourceName: 'Microsoft-Windows-Security-Auditing',
      TimeCreated: '2020-10-19 12:28:44.333',
      Channel: 'Security',
      Hostname: 'WORKSTATION5',
      EventID: 5156,
      ProcessID: '3428',
      Application: '\\device\\harddiskvolume2\\agent.exe',
      Direction: '%%14593',
      SourceAddress: '192.168.2.5',
      SourcePort: '57233',
      DestAddress: '168.63.129.16',
      DestPort: '80',
      Protocol: '6',
    });
    expect(at(event, 'winlog.event_data.ProcessID')).toBe('3428');
    expect(at(event, 'winlog.process')).toBeUndefined();
    expect(event).toMatchObject({
      '@timestamp': '2020-10-19T12:28:44.333Z',
      process: { pid: 3428, name: 'agent.exe' },
      source: { ip: '192.168.2.5', port: 57233 },
      destination: { ip: '168.63.129.16', port: 80 },
      network: { transport: 'tcp', direction: 'egress' },
    });
  });
});

describe.skipIf(!hasSharedData('otrf', 'index.json'))('OTRF Security-Datasets (../shared/data/otrf)', () => {
  it('parses every event in every dataset zip, auto-detected as windows-flat', () => {
    const index = JSON.parse(readFileSync(sharedData('otrf', 'index.json'), 'utf8')) as { file: string }[];
    const registry = createDefaultParserRegistry();
    let records = 0;
    let parsed = 0;
    let sysmonProcesses = 0;
    const problems: string[] = [];
    for (const dataset of index) {
      const entries = unzipSync(readFileSync(join(sharedData('otrf'), dataset.file)));
      for (const name of Object.keys(entries)) {
        for (const line of strFromU8(entries[name]!).split('\n')) {
          if (line.trim() === '') continue;
          records++;
          const record = rawRecord(undefined, line);
          const detected = registry.detect(record)?.format;
          const result = registry.parse(record);
          if (detected !== windowsFlatFormat || isParseFailure(result) || Array.isArray(result)) {
            problems.push(`${dataset.file}: ${detected} ${isParseFailure(result) ? result.reason : ''}`);
            continue;
          }
          if (typeof at(result, 'winlog.event_id') !== 'string' || typeof at(result, 'winlog.channel') !== 'string') {
            problems.push(`${dataset.file}: no event id or channel`);
            continue;
          }
          if (at(result, 'winlog.provider_name') === 'Microsoft-Windows-Sysmon' && at(result, 'process.executable')) {
            sysmonProcesses++;
          }
          parsed++;
        }
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(records).toBeGreaterThan(50_000);
    expect(parsed).toBe(records);
    expect(sysmonProcesses).toBeGreaterThan(30_000);
  });
});
