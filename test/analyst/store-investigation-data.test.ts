// The analyst's view over the real stores (DuckDB): retro-hunting a Sigma rule on the incident's
// hosts, in the caller's unit only, with a bad rule answered as a value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIncidentFixture } from '../../src/analyst/__fixtures__/incident-fixture.ts';
import type { InvestigationData } from '../../src/analyst/investigation-data.ts';
import { storeInvestigationData } from '../../src/analyst/store-investigation-data.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { DuckDbSocStore } from '../../src/store/soc/duckdb-soc-store.ts';
import type { EventToStore } from '../../src/store/store.ts';

let store: DuckDbStore;
let soc: DuckDbSocStore;
let data: InvestigationData;
const day = { from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 24) };

beforeEach(async () => {
  const fixture = buildIncidentFixture();
  store = await DuckDbStore.open(':memory:');
  soc = await DuckDbSocStore.open(':memory:');
  // Stored as our Windows parsers store Sysmon events: the channel, the event id and the
  // original Windows fields under winlog.event_data, which Windows rules are written against.
  const events: EventToStore[] = [...fixture.events.values()].map((stored) => {
    const process = stored.event['process'] as { command_line?: string } | undefined;
    const code = (stored.event['event'] as { code?: string } | undefined)?.code;
    const winlog = {
      channel: 'Microsoft-Windows-Sysmon/Operational',
      ...(code ? { event_id: Number(code) } : {}),
      event_data: (process?.command_line ? { CommandLine: process.command_line } : {}) as Record<string, string>,
    };
    return { ...stored, event: { ...stored.event, winlog } };
  });
  // The same host name in another unit must stay out of a finance hunt.
  events.push({ id: 'L1', event: { ...events.find((stored) => stored.id === 'E2')!.event, unit: 'legal' } });
  await store.appendEvents(events);
  data = storeInvestigationData({ store, soc });
});
afterEach(async () => {
  await soc.close();
  await store.close();
});

// Sysmon process creation, as a rule writer would scope it (a made-up product such as "any"
// would only reach events that name that product).
const rule = `title: Dump of LSASS by command line
id: 5b1c0d3e-0d39-4c47-9b5e-1f1c4a6b9e01
logsource:
  product: windows
  category: process_creation
detection:
  selection:
    CommandLine|contains: lsass
  condition: selection
level: high
`;

describe('retro-hunting from the analyst', () => {
  it("matches the rule on the incident's hosts, in the caller's unit only", async () => {
    const finance = { kind: 'units', units: ['finance'] } as const;
    const result = await data.retroHunt!(finance, rule, ['fin-ws007'], day.from, day.to);
    expect(result).toEqual({ matches: 1, eventIds: ['E2'] });
    const elsewhere = await data.retroHunt!(finance, rule, ['other-host'], day.from, day.to);
    expect(elsewhere.matches).toBe(0);
  });

  it('answers a rule it cannot use with an error value', async () => {
    const result = await data.retroHunt!(
      { kind: 'units', units: ['finance'] },
      'title: x\ndetection: {}\n',
      ['fin-ws007'],
      day.from,
      day.to,
    );
    expect(result.matches).toBe(0);
    expect(result.error).toMatch(/^the rule was not accepted/);
  });
});
