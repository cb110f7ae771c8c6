// `vigil serve --demo`: on a store without units, seed a simulated organisation (units, assets)
// and a day of its ordinary telemetry through the real pipeline, so a first start has something
// to search and detect on. Records go in as a shared collector would send them (unit "default").
import type { RawRecord, RecordSource } from '../model/event.ts';
import type { Logger } from '../pipeline/logger.ts';
import { OverloadedError, type RecordSink } from '../pipeline/record-sink.ts';
import { organisationAssets } from '../simulate/organisation.ts';
import { simulate } from '../simulate/simulator.ts';
import type { Store } from '../store/store.ts';

export interface DemoOptions {
  readonly hosts?: number;
  readonly hours?: number;
  readonly seed?: number;
  readonly batchSize?: number;
  /** Stops seeding (shutdown). */
  readonly signal?: AbortSignal;
}

export interface DemoResult {
  readonly seeded: boolean;
  readonly records: number;
  readonly stored: number;
  readonly failed: number;
}

/** Seeds demo data unless the store already has units. `afterInventory` lets enrichment reload. */
export async function seedDemoData(
  store: Store,
  sink: RecordSink,
  log: Logger,
  afterInventory: () => Promise<void>,
  options: DemoOptions = {},
): Promise<DemoResult> {
  if ((await store.listUnits()).length > 0) return { seeded: false, records: 0, stored: 0, failed: 0 };
  const simulation = simulate({ hosts: options.hosts ?? 50, hours: options.hours ?? 24, seed: options.seed ?? 1 });
  for (const unit of simulation.organisation.units) await store.putUnit(unit);
  for (const asset of organisationAssets(simulation.organisation)) await store.putAsset(asset);
  await afterInventory();
  log.info('demo: seeded the inventory', {
    units: simulation.organisation.units.length,
    hosts: simulation.organisation.hosts.length,
  });

  const source: RecordSource = { kind: 'demo', name: 'simulate' };
  const batchSize = options.batchSize ?? 1000;
  let batch: RawRecord[] = [];
  let records = 0;
  let stored = 0;
  let failed = 0;
  const flush = async () => {
    const sending = batch;
    batch = [];
    while (!options.signal?.aborted) {
      try {
        const result = await sink.submit(sending);
        stored += result.stored;
        failed += result.failed;
        return;
      } catch (error) {
        if (!(error instanceof OverloadedError) || options.signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, error.retryAfterSeconds * 1000));
      }
    }
  };
  for (const record of simulation.records()) {
    if (options.signal?.aborted) break;
    batch.push({ text: record.text, source, unit: 'default', receivedAt: record.time });
    records++;
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  log.info('demo: ingested a simulated day', { records, stored, failed });
  return { seeded: true, records, stored, failed };
}
