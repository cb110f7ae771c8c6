// `vigil bench sigma` as a user runs it, kept small: the whole SigmaHQ corpus over one folder of
// EVTX attack samples for a few thousand events, printing the documented JSON object.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fakeIo } from '../ingest/cli-io.ts';
import { hasSharedData, sharedData } from '../shared-data.ts';

const hasData = hasSharedData('sigma', 'rules') && hasSharedData('evtx-attack-samples', 'Credential Access');

describe.skipIf(!hasData)('vigil bench sigma', () => {
  it('prints throughput, rule load, memory, alerts and the ratio to the in-run baseline', async () => {
    const io = fakeIo();
    const args = ['bench', 'sigma', '--events', '4000', '--data', sharedData()];
    const input = ['--input', sharedData('evtx-attack-samples', 'Credential Access')];
    expect(await main([...args, ...input], io)).toBe(0);
    const result = JSON.parse(io.stdoutText()) as Record<string, number>;
    for (const key of [
      'eventsPerSecond',
      'ruleLoadSeconds',
      'rules',
      'peakRssMb',
      'alerts',
      'baselineEventsPerSecond',
      'ratio',
    ]) {
      expect(typeof result[key], key).toBe('number');
    }
    expect(result.events).toBe(4000);
    expect(result.rules).toBeGreaterThan(3000);
    expect(result.alerts).toBeGreaterThan(0);
    expect(result.eventsPerSecond).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(Number(result.eventsPerSecond) / Number(result.baselineEventsPerSecond), 2);
    expect(io.stderrText()).toMatch(/bench sigma: loaded \d+ rules/);

    // Same rules, same events: the same alerts on every run.
    const again = fakeIo();
    expect(await main([...args, ...input], again)).toBe(0);
    expect((JSON.parse(again.stdoutText()) as Record<string, number>).alerts).toBe(result.alerts);
  }, 120_000);

  it('is listed by vigil bench --help', async () => {
    const help = fakeIo();
    expect(await main(['bench', '--help'], help)).toBe(0);
    expect(help.stdoutText()).toMatch(/vigil bench sigma\n.*\n.*--events N/);
  });
});
