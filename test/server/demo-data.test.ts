import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createDefaultParserRegistry } from '../../src/parse/default-parsers.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { Pipeline } from '../../src/pipeline/pipeline.ts';
import { seedDemoData } from '../../src/server/demo-data.ts';
import { loadDefaultEnrichers } from '../../src/server/start-vigil.ts';
import { MemoryStore } from './memory-store.ts';

describe('seedDemoData (vigil serve --demo)', () => {
  it('seeds units, assets and simulated telemetry placed into units by enrichment, once', async () => {
    const store = new MemoryStore();
    const pipeline = new Pipeline({
      registry: createDefaultParserRegistry(),
      store,
      metrics: new Metrics(),
      log: silentLogger,
    });
    const config = loadConfig({ env: {}, cwd: '/tmp' });
    const reload = async () =>
      pipeline.setEnrichers(await loadDefaultEnrichers(store, config, silentLogger, { geoip: false }));
    const result = await seedDemoData(store, pipeline, silentLogger, reload, { hosts: 8, hours: 2, batchSize: 100 });
    expect(result.seeded).toBe(true);
    expect(store.units.size).toBeGreaterThan(0);
    expect(store.assets.size).toBe(8);
    expect(result.records).toBeGreaterThan(0);
    expect(result.stored + result.failed).toBeGreaterThanOrEqual(result.records);
    expect(store.events.length).toBe(result.stored);
    const units = new Set(store.events.map((stored) => stored.event.unit));
    const known = new Set(store.units.keys());
    expect([...units].some((unit) => known.has(unit))).toBe(true);

    const again = await seedDemoData(store, pipeline, silentLogger, reload);
    expect(again.seeded).toBe(false);
    await pipeline.close();
  });
});
