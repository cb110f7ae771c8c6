// The `vigil bench ingest` entry of the bench command table.
import type { BenchDefinition } from '../src/cli/commands/bench.ts';
import { integerOption } from '../src/cli/commands/bench.ts';
import { runIngestBench } from './ingest-bench.ts';

export const ingestBench: BenchDefinition = {
  summary: 'NDJSON over HTTP into an in-process server',
  usage: `Usage: vigil bench ingest [--events N] [--connections C] [--batch N] [--seed N] [--no-geoip]

Starts a Vigil node in this process (HTTP API, pipeline, DuckDB in a temporary data dir) and
posts the seeded event mix to POST /api/v1/ingest as NDJSON over keep-alive connections.

Options:
  --events N         Events to send (default 200000)
  --connections C    Concurrent keep-alive connections (default 4)
  --batch N          Lines per request (default 1000)
  --seed N           Generator seed (default 42)
  --no-geoip         Leave out the GeoIP enricher
`,
  options: {
    events: { type: 'string' },
    connections: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    'no-geoip': { type: 'boolean' },
  },
  run: (values) =>
    runIngestBench({
      events: integerOption(values['events'], '--events', 200_000),
      connections: integerOption(values['connections'], '--connections', 4),
      batchSize: integerOption(values['batch'], '--batch', 1000),
      seed: integerOption(values['seed'], '--seed', 42),
      geoip: values['no-geoip'] !== true,
    }),
};
