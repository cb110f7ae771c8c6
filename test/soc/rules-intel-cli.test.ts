// `vigil rules` and `vigil intel` through main(): validation with file:line and exit codes,
// listing, imports into a data directory — and a node started on that directory loads them.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createSocRuntime } from '../../src/cli/soc-runtime.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { Metrics } from '../../src/pipeline/metrics.ts';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.ts';
import { fakeIo, jsonLines } from '../ingest/cli-io.ts';
import { repoRoot } from '../shared-data.ts';

const contentRules = join(repoRoot, 'content', 'rules');
let directory: string;
let badRules: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vigil-cli-rules-'));
  badRules = join(directory, 'bad');
  await mkdir(badRules);
  await writeFile(
    join(badRules, 'unknown-modifier.yml'),
    'title: Bad\nid: 11111111-2222-4333-8444-555555555555\nlogsource: {product: windows}\ndetection:\n  sel:\n    Image|sometimes: x\n  condition: sel\n',
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('vigil rules', () => {
  it('validates: counts what loaded and names every refusal with path:line and reason (exit 1)', async () => {
    const io = fakeIo();
    expect(await main(['rules', 'validate', contentRules, badRules], io)).toBe(1);
    const lines = io.stdoutText().trim().split('\n');
    expect(lines[0]).toBe(
      `${join(badRules, 'unknown-modifier.yml')}:6: unknown modifier 'sometimes' in 'Image|sometimes' (11111111-2222-4333-8444-555555555555)`,
    );
    expect(lines.at(-1)).toBe('3 rules and 1 correlations loaded from 4 files; 1 rejected');
    const json = fakeIo();
    expect(await main(['rules', 'validate', '--json', contentRules], json)).toBe(0);
    expect(JSON.parse(json.stdoutText())).toEqual({ loaded: 3, correlations: 1, files: 3, rejected: [], warnings: [] });
  });

  it('lists rules with author, level and tags as NDJSON', async () => {
    const io = fakeIo();
    expect(await main(['rules', 'list', '--json', contentRules], io)).toBe(0);
    const rules = jsonLines(io.stdoutText());
    expect(rules).toHaveLength(4);
    expect(rules).toContainEqual(
      expect.objectContaining({
        id: '2b8e4d6a-1c3f-4e5a-8b7d-9f0e1a2c3d42',
        level: 'critical',
        author: 'Vigil Detection Team',
        tags: ['attack.credential-access', 'attack.t1003.001'],
      }),
    );
  });

  it('imports only the valid files into DATA/rules', async () => {
    const data = join(directory, 'data');
    const io = fakeIo();
    expect(await main(['rules', 'import', '--data', data, '--json', contentRules, badRules], io)).toBe(0);
    const result = JSON.parse(io.stdoutText());
    expect(result).toMatchObject({ imported: 4, files: 3 });
    expect(result.rejected).toHaveLength(1);
    expect((await readdir(join(data, 'rules', 'rules', 'windows'))).sort()).toEqual([
      'lsass_access_by_dump_tool.yml',
      'office_spawns_script_host.yml',
    ]);
    const refused = fakeIo();
    expect(await main(['rules', 'import', '--data', data, badRules], refused)).toBe(1);
    expect(refused.stdoutText()).toContain('refused ');
  });

  it('needs an action and existing paths', async () => {
    expect(await main(['rules'], fakeIo())).toBe(2);
    expect(await main(['rules', 'validate', join(directory, 'missing')], fakeIo())).toBe(2);
  });
});

describe('vigil intel', () => {
  it('imports feeds into DATA/intel, refuses empty ones, and looks values up (subdomains too)', async () => {
    const data = join(directory, 'data');
    const feed = join(directory, 'c2.txt');
    await writeFile(feed, '# Test C2\n203.0.113.66\nbad.example.net\n');
    const empty = join(directory, 'empty.txt');
    await writeFile(empty, '# nothing here\n');
    const io = fakeIo();
    expect(await main(['intel', 'import', '--data', data, '--json', feed, empty], io)).toBe(1);
    const [imported, refused] = jsonLines(io.stdoutText());
    expect(imported).toMatchObject({ source: 'c2.txt', format: 'list', indicators: 2, imported: true });
    expect(refused).toMatchObject({ source: 'empty.txt', indicators: 0, imported: false });
    expect(await readdir(join(data, 'intel'))).toEqual(['c2.txt.intel']);

    const lookup = fakeIo();
    expect(
      await main(['intel', 'lookup', '--data', data, '--json', 'www.bad.example.net', '198.51.100.1'], lookup),
    ).toBe(0);
    const [hit, miss] = jsonLines(lookup.stdoutText());
    expect(hit).toMatchObject({ type: 'domain', indicators: [{ value: 'bad.example.net', source: 'c2.txt' }] });
    expect(miss).toMatchObject({ indicators: [] });
    expect(await main(['intel', 'lookup', '--data', data, '198.51.100.1'], fakeIo())).toBe(1);
  });

  it('a node started on the data directory loads the imported rules and feeds', async () => {
    const data = join(directory, 'data');
    const store = await DuckDbStore.open(':memory:');
    const runtime = await createSocRuntime({
      dataDir: data,
      store,
      log: silentLogger,
      metrics: new Metrics(),
      rules: [],
      intel: [],
      socPath: ':memory:',
      adminPassword: 'correct horse battery staple',
    });
    try {
      const ready = await runtime.ready;
      expect(ready).toMatchObject({ rules: 3, rejected: 0, correlations: 1, indicators: 2 });
      expect(runtime.intel.sources()).toMatchObject([{ source: 'c2.txt', indicators: 2, origin: 'data-dir' }]);
    } finally {
      await runtime.close();
      await store.close();
    }
  });
});
