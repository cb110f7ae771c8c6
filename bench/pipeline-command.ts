// The `vigil bench pipeline` entry of the bench command table.

import { UsageError } from '../src/cli/command.ts';
import type { BenchDefinition } from '../src/cli/commands/bench.ts';
import { integerOption } from '../src/cli/commands/bench.ts';
import { DiscardStore } from './discard-store.ts';
import { runPipelineBench } from './pipeline-bench.ts';

export const pipelineBench: BenchDefinition = {
  summary: 'parse → enrich → store in-process',
  usage: `Usage: vigil bench pipeline [--events N] [--batch N] [--seed N] [--no-geoip]

Generates a seeded mix of Sysmon, Windows Security, Suricata EVE and Linux auth events in memory
and runs it through the real pipeline (all parsers, inventory + GeoIP enrichment, DuckDB store in
a temporary directory) on this process's one JavaScript thread.

Options:
  --events N    Events to generate (default 200000)
  --batch N     Records per submit (default 1000)
  --seed N      Generator seed (default 42)
  --no-geoip    Leave out the GeoIP enricher
  --concurrency N  Submits in flight at once (default 4), like that many concurrent senders
  --store-batch N  Events per store write (default: the pipeline's batchMaxEvents, 2000)
  --store S     duckdb (default) or discard (count events only: the pipeline without the database)
`,
  options: {
    events: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'no-geoip': { type: 'boolean' },
    store: { type: 'string' },
    'store-batch': { type: 'string' },
    concurrency: { type: 'string' },
  },
  run: (values) => {
    const store = values['store'] ?? 'duckdb';
    if (store !== 'duckdb' && store !== 'discard') throw new UsageError('--store must be duckdb or discard');
    return runPipelineBench({
      ...(store === 'discard' ? { openStore: async () => new DiscardStore(), storeName: 'discard' } : {}),
      events: integerOption(values['events'], '--events', 200_000),
      batchSize: integerOption(values['batch'], '--batch', 1000),
      concurrency: integerOption(values['concurrency'], '--concurrency', 4),
      ...(values['store-batch']
        ? { storeBatchEvents: integerOption(values['store-batch'], '--store-batch', 2000) }
        : {}),
      seed: integerOption(values['seed'], '--seed', 42),
      geoip: values['no-geoip'] !== true,
    });
  },
};
