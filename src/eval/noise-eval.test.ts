import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNoiseManifest, ManifestError, parseNoiseManifest, runNoiseEvaluation } from './noise-eval.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const samples = join(repoRoot, 'content', 'samples');

/** A manifest over our own content: two attacks, one recording of normal work, a tiny organisation. */
function writeManifest(extra: Record<string, unknown> = {}): string {
  const directory = mkdtempSync(join(tmpdir(), 'vigil-noise-test-'));
  // Recorded on other machines and at other times: the evaluation must move them.
  const quiet = readFileSync(join(samples, 'office_spawns_script_host.quiet.jsonl'), 'utf8');
  writeFileSync(join(directory, 'normal-day.jsonl'), quiet);
  const manifest = {
    rules: [join(repoRoot, 'content', 'rules')],
    scenarios: [
      { id: 'dump', files: [join(samples, 'lsass_access_by_dump_tool.fires.jsonl')] },
      { id: 'macro', files: [join(samples, 'office_spawns_script_host.fires.jsonl')] },
      { id: 'office-work', files: ['normal-day.jsonl'], benign: true },
    ],
    background: { simulate: { hosts: 6, hours: 2, seed: 3 } },
    ...extra,
  };
  const path = join(directory, 'manifest.json');
  writeFileSync(path, JSON.stringify(manifest));
  return path;
}

describe('noise manifest', () => {
  it('resolves paths against the manifest folder', async () => {
    const path = writeManifest();
    const manifest = await loadNoiseManifest(path);
    expect(manifest.scenarios[2]).toEqual({
      id: 'office-work',
      files: [join(dirname(path), 'normal-day.jsonl')],
      benign: true,
    });
    expect(manifest.background?.simulate).toEqual({ hosts: 6, hours: 2, seed: 3 });
  });

  it('names the field that is wrong', () => {
    expect(() => parseNoiseManifest({ rules: ['r'], scenarios: [{ id: 'a' }] }, '/tmp')).toThrow(
      /scenarios\[0\]\.files/,
    );
    expect(() => parseNoiseManifest({ rules: [], scenarios: [] }, '/tmp')).toThrow(ManifestError);
    expect(() =>
      parseNoiseManifest(
        {
          rules: ['r'],
          scenarios: [
            { id: 'a', files: ['x'] },
            { id: 'a', files: ['y'] },
          ],
        },
        '/tmp',
      ),
    ).toThrow(/used twice/);
    expect(() =>
      parseNoiseManifest({ rules: ['r'], scenarios: [], background: { simulate: { hosts: 1 } } }, '/tmp'),
    ).toThrow(/background\.simulate\.hosts/);
  });
});

describe('noise evaluation', () => {
  it('replays each scenario onto its own host and counts the funnel from the stored results', async () => {
    const manifest = await loadNoiseManifest(writeManifest());
    const result = await runNoiseEvaluation(manifest, { details: true });
    const records = ['lsass_access_by_dump_tool.fires.jsonl', 'office_spawns_script_host.fires.jsonl'].reduce(
      (sum, name) => sum + readFileSync(join(samples, name), 'utf8').trim().split('\n').length,
      0,
    );
    expect(result.events).toBe(result.background.records + records + 2);
    expect(result.records.failed).toBe(0);
    expect(result.scenarios).toEqual({ total: 3, detectable: 2, surfaced: 2, recall: 1, benign: 1 });
    expect(result.alerts).toBeGreaterThanOrEqual(2);
    expect(result.incidentsNeedingAttention).toBeGreaterThanOrEqual(2);
    expect(result.reduction).toBeCloseTo(1 - result.incidentsNeedingAttention / result.alerts, 4);
    expect(result.purity).toBe(1);
    expect(result.rules.loaded).toBe(3);

    const details = result.details!;
    const hosts = details.scenarios.map((scenario) => scenario.host);
    expect(new Set(hosts).size).toBe(3);
    // The recorded machine names are gone: alerts are about the victims.
    const dump = details.scenarios.find((scenario) => scenario.id === 'dump')!;
    expect(dump).toMatchObject({ detectable: true, surfaced: true, benign: false });
    expect(dump.rules[0]).toMatch(/^Credential Dumping Tool Run Against LSASS ×/);
    const work = details.scenarios.find((scenario) => scenario.id === 'office-work')!;
    expect(work).toMatchObject({ benign: true, alerts: 0, surfaced: false });
    for (const incident of details.mixedIncidents) expect(incident.sources.length).toBe(1);
  }, 60_000);

  it('counts what a benign recording raises as background, never as recall', async () => {
    // The attack sample declared benign: its alert now needs attention as background noise.
    const path = writeManifest({
      scenarios: [{ id: 'admin-dump', files: [join(samples, 'lsass_access_by_dump_tool.fires.jsonl')], benign: true }],
    });
    const result = await runNoiseEvaluation(await loadNoiseManifest(path));
    expect(result.scenarios).toMatchObject({ total: 1, detectable: 0, surfaced: 0, benign: 1 });
    expect(result.backgroundIncidentsNeedingAttention).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
