// `vigil ingest` through main(): over HTTP to an in-process server (memory store), and into the
// embedded DuckDB store under --data once that store is part of the build.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig, type VigilConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { type RunningVigil, startVigil } from '../../src/server/start-vigil.ts';
import { MemoryStore } from '../server/memory-store.ts';
import { repoRoot } from '../shared-data.ts';
import { fakeIo, jsonLines } from './cli-io.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vigil-cli-ingest-'));
  await mkdir(join(directory, 'logs'));
  const lines = Array.from(
    { length: 250 },
    (_, index) =>
      `<38>Nov 22 07:00:${String(index % 60).padStart(2, '0')} web${index % 5} sshd[${1000 + index}]: Accepted publickey for user${index} from 198.51.100.${index % 250} port 22 ssh2`,
  );
  await writeFile(join(directory, 'logs', 'auth.log'), `${lines.join('\n')}\nnot a syslog line\n`);
  await writeFile(join(directory, 'logs', 'notes.pdf'), 'PDF');
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function testConfig(): VigilConfig {
  const config = loadConfig({ env: {}, cwd: directory });
  return { ...config, http: { ...config.http, port: 0 }, syslog: { ...config.syslog, enabled: false } };
}

describe('vigil ingest --url', () => {
  let running: RunningVigil;
  let store: MemoryStore;
  beforeAll(async () => {
    store = new MemoryStore();
    running = await startVigil(testConfig(), {
      log: silentLogger,
      print: () => {},
      openStore: async () => store,
      geoip: false,
    });
  });
  afterAll(async () => {
    await running.close();
  });

  it('sends every file line to the server and prints a JSON summary', async () => {
    const io = fakeIo();
    const code = await main(
      [
        'ingest',
        '--url',
        running.url,
        '--key',
        running.initialAdminSecret!,
        '--unit',
        'finance',
        '--format',
        'syslog',
        '--batch',
        '100',
        '--json',
        join(directory, 'logs'),
      ],
      io,
    );
    expect(io.stderrText()).toMatch(/"extensions":\{".pdf":1\}/);
    expect(code).toBe(0);
    const summary = JSON.parse(io.stdoutText()) as Record<string, number>;
    expect(summary).toMatchObject({ files: 1, records: 251, stored: 250, failures: 1, deadLetters: 1 });
    expect(summary['eventsPerSecond']).toBeGreaterThan(0);
    expect(store.events).toHaveLength(250);
    expect(store.events.every(({ event }) => event.unit === 'finance')).toBe(true);
    expect(store.deadLetters).toHaveLength(1);
    // The dead letter is listed on stderr (line numbers are per request over HTTP).
    expect(jsonLines(io.stderrText()).some((line) => line['type'] === 'failure')).toBe(true);
  });

  it('fails with exit 1 and the server message when the key is wrong', async () => {
    const io = fakeIo();
    const code = await main(
      ['ingest', '--url', running.url, '--key', 'vgl_wrong', join(directory, 'logs', 'auth.log')],
      io,
    );
    expect(code).toBe(1);
    expect(io.stderrText()).toMatch(/HTTP 401/);
  });

  it('draws a progress line when stderr is a terminal', async () => {
    const io = fakeIo({ stderrIsTty: true });
    const code = await main(
      ['ingest', '--url', running.url, '--key', running.initialAdminSecret!, join(directory, 'logs', 'auth.log')],
      io,
    );
    expect(code).toBe(0);
    expect(io.stderrText()).toMatch(/\[#+\] 100% {2}files 1\/1 {2}records 251/);
    expect(io.stderrText()).toMatch(/ingested 250 events from 1 files/);
  });

  it('rejects --url without a key as a usage error', async () => {
    expect(await main(['ingest', '--url', running.url, join(directory, 'logs')], fakeIo())).toBe(2);
  });
});

// Runs once the embedded DuckDB store (another module) is part of the build; before that the
// local path has nothing to write into.
const hasDuckDb = ['duckdb-store.ts', 'duck-db-store.ts'].some((name) =>
  existsSync(join(repoRoot, 'src', 'store', 'duckdb', name)),
);
describe.skipIf(!hasDuckDb)('vigil ingest --data (embedded store)', () => {
  it('stores the events in the data directory and reports them', async () => {
    const data = join(directory, 'data');
    const io = fakeIo({ cwd: directory });
    const code = await main(
      ['ingest', '--data', data, '--format', 'syslog', '--json', join(directory, 'logs', 'auth.log')],
      io,
    );
    expect(io.stderrText()).not.toMatch(/cannot open/);
    expect(code).toBe(0);
    expect(JSON.parse(io.stdoutText())).toMatchObject({ stored: 250, deadLetters: 1 });
    expect(existsSync(join(data, 'vigil.duckdb'))).toBe(true);
  });
});
