// `vigil eval noise` end to end on a small manifest over ../shared/data: a few recorded attacks
// (one of them a single medium-level detection, the hardest kind to surface), a recording of
// normal work declared benign, the full SigmaHQ rule set and a small simulated organisation.
// Runs the real CLI command, so the JSON a user reads is what is checked.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { NoiseEvaluationResult } from '../../src/eval/noise-eval.ts';
import { hasSharedData, repoRoot, sharedData } from '../shared-data.ts';

const attacks = {
  msxsl: ['evtx-attack-samples', 'Execution', 'exec_msxsl_xsl_sysmon_1_7.jsonl'],
  dcsync: ['evtx-attack-samples', 'Credential Access', 'CA_DCSync_4662.jsonl'],
  smbmap: ['evtx-attack-samples', 'Lateral Movement', 'smbmap_upload_exec_sysmon.jsonl'],
  esentutl: ['otrf', 'atomic', 'windows', 'credential_access', 'host', 'cmd_sam_copy_esentutl.zip'],
};
const available = hasSharedData('sigma', 'rules') && Object.values(attacks).every((parts) => hasSharedData(...parts));

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    ({
      write(text: string) {
        append(text);
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const code = await main(args, {
    stdout: sink((text) => {
      stdout += text;
    }),
    stderr: sink((text) => {
      stderr += text;
    }),
    env: {},
    cwd: repoRoot,
  });
  return { code, stdout, stderr };
}

describe.skipIf(!available)('vigil eval noise on shared attack recordings', () => {
  it('surfaces every detectable attack, each in an incident of its own, and reports the funnel', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vigil-eval-noise-'));
    const manifest = {
      rules: [sharedData('sigma', 'rules'), join(repoRoot, 'content', 'rules')],
      attack: sharedData('attack', 'enterprise-attack.json'),
      scenarios: [
        ...Object.entries(attacks).map(([id, parts]) => ({ id, files: [sharedData(...parts)] })),
        {
          id: 'office-day',
          files: [join(repoRoot, 'content', 'samples', 'office_spawns_script_host.quiet.jsonl')],
          benign: true,
        },
      ],
      background: { simulate: { hosts: 30, hours: 3, seed: 7 } },
    };
    const path = join(directory, 'manifest.json');
    writeFileSync(path, JSON.stringify(manifest));

    const { code, stdout, stderr } = await runCli(['eval', 'noise', '--details', '--quiet', path]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as NoiseEvaluationResult;
    for (const key of [
      'events',
      'alerts',
      'alertGroups',
      'incidents',
      'incidentsNeedingAttention',
      'reduction',
      'scenarios',
      'purity',
      'backgroundIncidentsNeedingAttention',
      'seconds',
    ])
      expect(result).toHaveProperty(key);
    expect(result.records.failed).toBe(0);
    expect(result.events).toBe(result.records.submitted);
    expect(result.alerts).toBeGreaterThan(result.incidentsNeedingAttention);
    expect(result.reduction).toBeCloseTo(1 - result.incidentsNeedingAttention / result.alerts, 4);

    // Every attack raises a medium-or-above alert with the full rule set, and every one reaches a person.
    expect(result.scenarios).toEqual({ total: 5, detectable: 4, surfaced: 4, recall: 1, benign: 1 });
    const details = result.details!;
    for (const id of Object.keys(attacks))
      expect(details.scenarios.find((scenario) => scenario.id === id)).toMatchObject({
        detectable: true,
        surfaced: true,
      });
    // Each victim's incident holds its own scenario only.
    expect(details.mixedIncidents).toEqual([]);
    expect(result.purity).toBe(1);
  }, 120_000);
});
