import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../model/event.ts';
import { createEvtxJsonParser } from './evtx-json-parser.ts';
import { parseClassicContext, parseInvocationDetail, parseOperationalContext } from './powershell-mapping.ts';
import { at, evtxEvent, parseOne } from './windows-test-support.ts';
import { createWinlogbeatParser } from './winlogbeat-parser.ts';

const winlogbeat = createWinlogbeatParser();

function classic(eventId: string, eventData: JsonObject, host: JsonObject = { name: 'ws-114' }): JsonObject {
  return {
    '@timestamp': '2026-03-02T10:15:00.000Z',
    host,
    winlog: {
      channel: 'Windows PowerShell',
      provider_name: 'PowerShell',
      event_id: eventId,
      computer_name: 'ws-114.lab.example',
      record_id: 5120,
      level: 'information',
      time_created: '2026-03-02T10:15:00.250Z',
      event_data: eventData,
    },
  };
}

function operational(eventId: string, eventData: JsonObject): JsonObject {
  return {
    '@timestamp': '2026-03-02T11:00:00.000Z',
    host: { name: 'app-07' },
    winlog: {
      channel: 'Microsoft-Windows-PowerShell/Operational',
      provider_name: 'Microsoft-Windows-PowerShell',
      event_id: eventId,
      computer_name: 'app-07.lab.example',
      record_id: 9001,
      process: { pid: 6120, thread: { id: 7004 } },
      user: { identifier: 'S-1-5-21-1000-2000-3000-1105' },
      time_created: '2026-03-02T11:00:00.500Z',
      event_data: eventData,
    },
  };
}

describe('PowerShell mappings (classic log)', () => {
  it('maps pipeline execution details (800) to process, user, file and invocation details', () => {
    const event = parseOne(
      winlogbeat,
      classic('800', {
        param1: 'Get-Service -Name spooler',
        param2:
          '\tDetailSequence=1\n\tDetailTotal=1\n\n\tSequenceNumber=42\n\n\tUserId=LAB\\mira\n\tHostName=ConsoleHost\n' +
          '\tHostVersion=5.1.19041.1\n\tHostId=0f0e0d0c-1111-2222-3333-444455556666\n' +
          '\tHostApplication=C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -File "C:\\ops\\check svc.ps1"\n' +
          '\tEngineVersion=5.1.19041.1\n\tRunspaceId=aaaa-bbbb\n\tPipelineId=3\n\tScriptName=C:\\ops\\check svc.ps1\n' +
          '\tCommandLine=Get-Service -Name spooler',
        param3:
          'CommandInvocation(Get-Service): "Get-Service"\nParameterBinding(Get-Service): name="Name"; value="spooler"',
      }),
    );
    expect(event['@timestamp']).toBe('2026-03-02T10:15:00.250Z');
    expect(event.event).toMatchObject({ category: ['process'], type: ['info'], sequence: 42, code: '800' });
    expect(event.process).toEqual({
      entity_id: '0f0e0d0c-1111-2222-3333-444455556666',
      command_line:
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -NoProfile -File "C:\\ops\\check svc.ps1"',
      args: [
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        '-NoProfile',
        '-File',
        'C:\\ops\\check svc.ps1',
      ],
      args_count: 4,
      title: 'ConsoleHost',
    });
    expect(event.user).toEqual({ domain: 'LAB', name: 'mira' });
    expect(event.related).toEqual({ user: ['mira'] });
    expect(event.file).toEqual({
      path: 'C:\\ops\\check svc.ps1',
      name: 'check svc.ps1',
      directory: 'C:\\ops',
      extension: 'ps1',
    });
    expect(at(event, 'powershell.command.invocation_details')).toEqual([
      { type: 'CommandInvocation', related_command: 'Get-Service', value: '"Get-Service"' },
      { type: 'ParameterBinding', related_command: 'Get-Service', name: '"Name"', value: '"spooler"' },
    ]);
    expect(at(event, 'powershell.command.value')).toBe('Get-Service -Name spooler');
    // The original event data stays untouched for Sigma rules.
    expect(at(event, 'winlog.event_data.param1')).toBe('Get-Service -Name spooler');
  });

  it('marks engine start (400) and stop (403) and reads the context from the third value', () => {
    const context =
      '\tNewEngineState=Available\n\tPreviousEngineState=None\n\n\tSequenceNumber=7\n\n\tHostName=ServerRemoteHost\n' +
      '\tHostId=9a9a\n\tHostApplication=C:\\Windows\\system32\\wsmprovhost.exe -Embedding\n\tEngineVersion=\n\tCommandLine=';
    const started = parseOne(winlogbeat, classic('400', { param1: 'Available', param2: 'None', param3: context }));
    const stopped = parseOne(winlogbeat, classic('403', { param1: 'Stopped', param2: 'Available', param3: context }));
    expect(at(started, 'event.type')).toEqual(['start']);
    expect(at(stopped, 'event.type')).toEqual(['end']);
    expect(at(started, 'process.args')).toEqual(['C:\\Windows\\system32\\wsmprovhost.exe', '-Embedding']);
    expect(at(started, 'powershell.engine')).toEqual({ new_state: 'Available', previous_state: 'None' });
    // No user in the classic engine events, and an empty EngineVersion is not a value.
    expect(started.user).toBeUndefined();
  });

  it('keeps a multi-line host application whole', () => {
    const fields = new Map<string, string>();
    parseClassicContext(
      '\tHostName=ConsoleHost\n\tHostApplication=powershell.exe function Probe {\n\t\t$x = 1\n\t}\n\tEngineVersion=5.1',
      fields,
    );
    expect(fields.get('HostApplication')).toBe('powershell.exe function Probe {\n\t\t$x = 1\n\t}');
    expect(fields.get('EngineVersion')).toBe('5.1');
  });
});

describe('PowerShell mappings (operational log)', () => {
  it('maps a remote module logging event (4103): the connected user acts, the session user is the destination', () => {
    const event = parseOne(
      winlogbeat,
      operational('4103', {
        ContextInfo:
          '        Severity = Informational\n        Host Name = ServerRemoteHost\n        Host Version = 1.0.0.0\n' +
          '        Host ID = 5e5e-6f6f\n        Host Application = C:\\Windows\\system32\\wsmprovhost.exe -Embedding\n' +
          '        Engine Version = 5.1.19041.1\n        Runspace ID = 1234-5678\n        Pipeline ID = 2\n' +
          '        Command Name = whoami.exe\n        Command Type = Application\n        Script Name =\n' +
          '        Command Path = C:\\Windows\\system32\\whoami.exe\n        Sequence Number = 88\n' +
          '        User = LAB\\svc-deploy\n        Connected User = LAB\\kofi\n        Shell ID = Microsoft.PowerShell',
        Payload: 'CommandInvocation(whoami.exe): "whoami.exe"',
      }),
    );
    expect(event.event).toMatchObject({ category: ['process'], type: ['info'], sequence: 88 });
    expect(event.user).toEqual({ id: 'S-1-5-21-1000-2000-3000-1105', domain: 'LAB', name: 'kofi' });
    expect(event.source).toEqual({ user: { domain: 'LAB', name: 'kofi' } });
    expect(event.destination).toEqual({ user: { domain: 'LAB', name: 'svc-deploy' } });
    expect(event.related).toEqual({ user: ['svc-deploy', 'kofi'] });
    expect(event.process).toMatchObject({
      entity_id: '5e5e-6f6f',
      title: 'ServerRemoteHost',
      pid: 6120,
      args_count: 2,
    });
    expect(at(event, 'powershell.id')).toBe('Microsoft.PowerShell');
    expect(at(event, 'powershell.command.path')).toBe('C:\\Windows\\system32\\whoami.exe');
    expect(event.file).toBeUndefined();
  });

  it('maps a script block (4104) in evtx JSON to file and script block fields', () => {
    const event = parseOne(
      createEvtxJsonParser(),
      evtxEvent(
        4104,
        {
          MessageNumber: '1',
          MessageTotal: '1',
          ScriptBlockText: 'Invoke-WebRequest -Uri http://192.0.2.10/a.ps1',
          ScriptBlockId: 'cafe-0001',
          Path: 'D:\\jobs\\fetch.ps1',
        },
        { provider: 'Microsoft-Windows-PowerShell', channel: 'Microsoft-Windows-PowerShell/Operational' },
      ),
    );
    expect(event.event).toMatchObject({ category: ['process'], type: ['info'], code: '4104' });
    expect(event.file).toEqual({
      path: 'D:\\jobs\\fetch.ps1',
      name: 'fetch.ps1',
      directory: 'D:\\jobs',
      extension: 'ps1',
    });
    expect(event.user).toEqual({ id: 'S-1-5-18' });
    expect(event.process).toEqual({ pid: 1000 });
    expect(at(event, 'powershell.file')).toEqual({
      script_block_id: 'cafe-0001',
      script_block_text: 'Invoke-WebRequest -Uri http://192.0.2.10/a.ps1',
    });
    expect(at(event, 'powershell.sequence')).toBe(1);
  });

  it("maps PowerShell 7's own operational channel the same way", () => {
    const document = operational('4104', { ScriptBlockText: 'Get-Date', ScriptBlockId: 'b-7', Path: 'C:\\s\\d.ps1' });
    (document.winlog as JsonObject).channel = 'PowerShellCore/Operational';
    const event = parseOne(winlogbeat, document);
    expect(event.event).toMatchObject({ category: ['process'], type: ['info'] });
    expect(event.file).toMatchObject({ name: 'd.ps1' });
    expect(event.user).toEqual({ id: 'S-1-5-21-1000-2000-3000-1105' });
  });

  it('marks runspace start (4105) and stop (4106)', () => {
    const started = parseOne(winlogbeat, operational('4105', { RunspaceId: 'r-1', ScriptBlockId: 's-1' }));
    const stopped = parseOne(winlogbeat, operational('4106', { RunspaceId: 'r-1', ScriptBlockId: 's-1' }));
    expect(at(started, 'event.type')).toEqual(['start']);
    expect(at(stopped, 'event.type')).toEqual(['end']);
    expect(at(started, 'powershell.runspace_id')).toBe('r-1');
  });

  it('reads "Key : value" context lines too', () => {
    const fields = new Map<string, string>();
    parseOperationalContext('        Host Name : ConsoleHost\n        Host Application = C:\\a\\pwsh.exe -c x', fields);
    expect(fields.get('HostName')).toBe('ConsoleHost');
    expect(fields.get('HostApplication')).toBe('C:\\a\\pwsh.exe -c x');
  });
});

describe('PowerShell invocation details', () => {
  it('leaves a line it cannot read as a plain value', () => {
    expect(parseInvocationDetail('no detail here')).toEqual({ value: 'no detail here' });
    expect(parseInvocationDetail('NonTerminatingError(Copy-Item): "Access denied"')).toEqual({
      type: 'NonTerminatingError',
      related_command: 'Copy-Item',
      value: '"Access denied"',
    });
  });
});

describe('Windows host', () => {
  it('marks the host as Windows and keeps what the shipper knows about its OS', () => {
    const bare = parseOne(winlogbeat, classic('600', { param3: '\tProviderName=Registry' }));
    expect(at(bare, 'host.os')).toEqual({ family: 'windows', type: 'windows' });
    const shipped = parseOne(
      winlogbeat,
      classic(
        '600',
        { param3: '\tProviderName=Registry' },
        { name: 'ws-114', os: { name: 'Windows 11 Pro', build: '22631' } },
      ),
    );
    expect(shipped.host).toEqual({
      name: 'ws-114',
      os: { family: 'windows', type: 'windows', name: 'Windows 11 Pro', build: '22631' },
    });
  });
});
