import { describe, expect, it } from 'vitest';
import { relocateRecord } from './replay.ts';
import { simulate } from './simulator.ts';

const start = Date.UTC(2026, 10, 23, 0, 0, 0); // a Monday

describe('simulate', () => {
  it('is reproducible: the same seed gives the same records', () => {
    const first = [...simulate({ hosts: 20, hours: 3, seed: 7, start: start + 8 * 3_600_000 }).records()];
    const second = [...simulate({ hosts: 20, hours: 3, seed: 7, start: start + 8 * 3_600_000 }).records()];
    const other = [...simulate({ hosts: 20, hours: 3, seed: 8, start: start + 8 * 3_600_000 }).records()];
    expect(first.length).toBeGreaterThan(100);
    expect(second.map((record) => record.text)).toEqual(first.map((record) => record.text));
    expect(other.map((record) => record.text)).not.toEqual(first.map((record) => record.text));
  });

  it('emits records in time order within the period, busier by day than by night, from every role', () => {
    const simulation = simulate({ hosts: 60, hours: 24, seed: 1, start });
    const records = [...simulation.records()];
    for (let index = 1; index < records.length; index++)
      expect(records[index]!.time).toBeGreaterThanOrEqual(records[index - 1]!.time);
    expect(records[0]!.time).toBeGreaterThanOrEqual(simulation.start);
    expect(records.at(-1)!.time).toBeLessThan(simulation.end);
    const perHour = (hourOfDay: number) =>
      records.filter((record) => new Date(record.time).getUTCHours() === hourOfDay).length;
    expect(perHour(10)).toBeGreaterThan(perHour(3) * 2);
    const roles = new Set(
      records.map((record) => simulation.organisation.hosts.find((host) => host.name === record.host)!.role),
    );
    expect([...roles].sort()).toEqual(['domain-controller', 'linux-server', 'windows-server', 'workstation']);
    // Every record names a unit of the organisation and is well-formed (JSON or RFC 5424 syslog).
    const units = new Set(simulation.organisation.units.map((unit) => unit.id));
    for (const record of records) {
      expect(units.has(record.unit)).toBe(true);
      if (record.text.startsWith('{')) expect(() => JSON.parse(record.text)).not.toThrow();
      else expect(record.text).toMatch(/^<\d+>1 \d{4}-\d{2}-\d{2}T/);
    }
  });

  it('rejects nonsense sizes with a clear message', () => {
    expect(() => simulate({ hosts: 1, hours: 1, seed: 1 })).toThrow(/hosts must be/);
    expect(() => simulate({ hosts: 10, hours: 0, seed: 1 })).toThrow(/hours must be/);
  });
});

describe('relocateRecord', () => {
  const recorded = JSON.stringify({
    Event: {
      System: {
        EventID: 1,
        TimeCreated: { SystemTime: '2020-03-21T12:35:35.026859Z' },
        Computer: 'MSEDGEWIN10',
        Channel: 'Microsoft-Windows-Sysmon/Operational',
      },
      EventData: {
        UtcTime: '2020-03-21 12:35:35.023',
        User: 'MSEDGEWIN10\\IEUser',
        SourceHostname: 'msedgewin10.lab.local',
        CommandLine: 'whoami',
      },
    },
  });

  it('moves timestamps by the offset and the computer onto the victim host', () => {
    const offset = Date.UTC(2026, 10, 23, 10) - Date.UTC(2020, 2, 21, 12, 35, 35, 26);
    const moved = JSON.parse(relocateRecord(recorded, { offsetMs: offset, host: 'FIN-WS007.corp.example' })!);
    expect(moved.Event.System.TimeCreated.SystemTime).toBe('2026-11-23T10:00:00.000000Z');
    expect(moved.Event.EventData.UtcTime).toBe('2026-11-23 09:59:59.997');
    expect(moved.Event.System.Computer).toBe('FIN-WS007.corp.example');
    expect(moved.Event.EventData.User).toBe('FIN-WS007\\IEUser');
    expect(moved.Event.EventData.SourceHostname).toBe('FIN-WS007.corp.example');
    expect(moved.Event.EventData.CommandLine).toBe('whoami');
  });

  it('moves the flat OTRF shape too and leaves non-JSON alone', () => {
    const flat = JSON.stringify({
      '@timestamp': '2020-09-21T19:03:41.493Z',
      Hostname: 'WORKSTATION5.theshire.local',
      EventID: 4104,
      Message: 'on WORKSTATION5',
    });
    const moved = JSON.parse(relocateRecord(flat, { offsetMs: 1000, host: 'victim-1' })!);
    expect(moved).toMatchObject({
      '@timestamp': '2020-09-21T19:03:42.493Z',
      Hostname: 'victim-1',
      Message: 'on victim-1',
    });
    expect(relocateRecord('<13>Jan 1 host app: x', { offsetMs: 1 })).toBeUndefined();
  });
});
