// The file reader against real third-party data in ../shared/data (OTRF zip datasets and
// EVTX-as-JSON samples): every line becomes a record, nothing is skipped or fails.
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../src/ingest/files/read-records.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';

describe.skipIf(!hasSharedData('otrf', 'atomic'))('readRecords on OTRF zip datasets', () => {
  it('reads a Security Datasets zip entry by entry as JSON records', async () => {
    const path = sharedData('otrf', 'atomic', 'windows', 'defense_evasion', 'host', 'cmd_netsh_fw_mod_open_ports.zip');
    let records = 0;
    let withEventId = 0;
    const problems: string[] = [];
    for await (const batch of readRecords([path], {
      onSkip: (skip) => problems.push(skip.reason),
      onFailure: (failure) => problems.push(failure.reason),
    })) {
      records += batch.length;
      for (const record of batch) if (record.json?.['EventID'] !== undefined) withEventId++;
    }
    expect(problems).toEqual([]);
    expect(records).toBeGreaterThan(1000);
    expect(withEventId).toBe(records);
  });
});

describe.skipIf(!hasSharedData('evtx-attack-samples'))('readRecords on EVTX-as-JSON samples', () => {
  it('walks the sample folders and decodes every line as an Event object', async () => {
    let records = 0;
    let events = 0;
    const failures: string[] = [];
    for await (const batch of readRecords([sharedData('evtx-attack-samples', 'Credential Access')], {
      onFailure: (failure) => failures.push(`${failure.path}:${failure.line} ${failure.reason}`),
    })) {
      records += batch.length;
      for (const record of batch) if (record.json?.['Event'] !== undefined) events++;
    }
    expect(failures).toEqual([]);
    expect(records).toBeGreaterThan(100);
    expect(events).toBe(records);
  });
});
