// The insert ceiling of the embedded store on this machine, with no JavaScript in the loop: DuckDB
// generates rows of the events table natively (`INSERT … SELECT … FROM range()`) in batches like
// the pipeline's and commits each one, then checkpoints. The row shape follows what the pipeline
// bench's mix stores (measured over its parsed events: documents average ~1.57 KB; 36 % of events
// keep an `event.original`, ~370 bytes; short hot columns); variants leave the document and/or the
// original out to show what each costs. No end-to-end pipeline that stores the same rows
// can be faster than this.
//
// Run: npx node bench/duckdb-ceiling.ts [events, default 200000] [batch, default 2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { eventsTableSql } from '../src/store/duckdb/event-chunk-writer.ts';

interface Variant {
  readonly name: string;
  readonly document: boolean;
  readonly original: boolean;
}

const variants: readonly Variant[] = [
  { name: 'hot columns + document + original (what the store writes)', document: true, original: true },
  { name: 'hot columns + original, empty document', document: false, original: true },
  { name: 'hot columns + document, no original', document: true, original: false },
  { name: 'hot columns only', document: false, original: false },
];

const total = Number(process.argv[2] ?? 200_000);
const batch = Number(process.argv[3] ?? 2_000);
if (!(total > 0 && batch > 0)) throw new Error('Usage: bench/duckdb-ceiling.ts [events] [batch]');

function valueSql(name: string, type: string, variant: Variant): string {
  // Values vary with the row so dictionary compression is not flattered.
  if (name === 'doc') return variant.document ? `repeat('{"k":"' || (i % 9973)::VARCHAR || '"}', 131)` : `''`;
  if (name === 'event_original')
    return variant.original ? `CASE WHEN i % 100 < 36 THEN repeat('raw ' || (i % 7919)::VARCHAR, 46) END` : 'NULL';
  switch (type) {
    case 'VARCHAR':
      return `'v' || (i % 500)::VARCHAR`;
    case 'VARCHAR[]':
      return `['a' || (i % 50)::VARCHAR]`;
    case 'DOUBLE':
      return '(i % 1000)::DOUBLE';
    case 'TIMESTAMP':
      return `TIMESTAMP '2026-01-01' + to_milliseconds(i)`;
    case 'UHUGEINT':
      return '(i % 65536)::UHUGEINT';
    default:
      throw new Error(`No generator for column ${name} of type ${type}`);
  }
}

async function run(variant: Variant): Promise<Record<string, unknown>> {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-duckdb-ceiling-'));
  const instance = await DuckDBInstance.create(join(directory, 'ceiling.duckdb'), { checkpoint_threshold: '256MB' });
  const connection = await instance.connect();
  try {
    await connection.run(eventsTableSql());
    const columns = (
      await connection.runAndReadAll(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position`,
      )
    ).getRows() as [string, string][];
    const select = columns.map(([name, type]) => valueSql(name, type, variant)).join(', ');
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (let from = 0; from < total; from += batch) {
      const to = Math.min(total, from + batch);
      await connection.run(`INSERT INTO events SELECT ${select} FROM range(${from}, ${to}) t(i)`);
    }
    await connection.run('CHECKPOINT');
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const [documentBytes, originalBytes] = (
      await connection.runAndReadAll(
        'SELECT avg(length(doc))::INTEGER, coalesce(avg(length(event_original)), 0)::INTEGER FROM events',
      )
    ).getRows()[0] as [number, number];
    return {
      variant: variant.name,
      rows: total,
      batch,
      columns: columns.length,
      documentBytes,
      originalBytes,
      seconds: Number(seconds.toFixed(2)),
      rowsPerSecond: Math.round(total / seconds),
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(directory, { recursive: true, force: true });
  }
}

const results = [];
for (const variant of variants) results.push(await run(variant));
console.log(JSON.stringify({ benchmark: 'duckdb-ceiling', node: process.version, results }, null, 2));
