// `vigil eval analyst`: labelled scenarios through the whole pipeline, investigated by the
// deterministic analyst and by an LLM over the scripted endpoint, measured from the stored reports.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/command.ts';
import { loadAnalystScenarios, runAnalystEvaluation, ScenarioError } from '../../src/eval/analyst-eval.ts';
import { runAnalystEvalCommand } from '../../src/eval/analyst-eval-command.ts';
import { repoRoot } from '../shared-data.ts';
import { type ChatRequest, type ScriptedServer, startScriptedServer } from './scripted-openai-server.ts';

const samples = join(repoRoot, 'content', 'samples');
const rules = join(repoRoot, 'content', 'rules');

function scenarioDir(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-analyst-eval-'));
  writeFileSync(
    join(dir, 'office.json'),
    JSON.stringify({
      unit: 'finance',
      records: [
        join(samples, 'office_spawns_script_host.fires.jsonl'),
        join(samples, 'lsass_access_by_dump_tool.fires.jsonl'),
      ],
      rules: [rules],
      expect: [{ entity: 'fin-ws007', verdict: 'malicious' }],
    }),
  );
  writeFileSync(
    join(dir, 'ssh.json'),
    JSON.stringify({
      unit: 'finance',
      records: [join(samples, 'ssh_failed_password.fires.log')],
      rules: [rules],
      expect: [
        { entity: 'lnx-web01', verdict: 'suspicious' },
        { entity: 'nowhere-host', verdict: 'benign' },
      ],
    }),
  );
  for (const [name, document] of Object.entries(extra)) writeFileSync(join(dir, name), JSON.stringify(document));
  return dir;
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the analyst evaluation', () => {
  it('measures the deterministic analyst: accuracy, citations, durations, and labels no incident matched', async () => {
    const { scenarios, skipped } = await loadAnalystScenarios(
      scenarioDir({ 'shared.json': { records: ['/nonexistent/recording.jsonl'], rules: [rules] } }),
    );
    expect(skipped).toEqual([expect.objectContaining({ reason: 'missing /nonexistent/recording.jsonl' })]);
    const result = await runAnalystEvaluation(scenarios, { details: true });
    expect(result).toMatchObject({
      analyst: 'deterministic',
      scenarios: 2,
      incidents: 2,
      investigated: 2,
      failed: 0,
      labelled: 2,
      tokens: { input: 0, output: 0 },
      unmatchedLabels: [{ scenario: 'ssh', entity: 'nowhere-host' }],
    });
    expect(result.citations.total).toBeGreaterThan(0);
    expect(result.citations.validShare).toBe(1);
    expect(result.reportsWithAllCitationsValid).toBe(2);
    expect(result.durationMs.max).toBeLessThan(5000);
    expect(result.correct).toBe(result.details!.filter((row) => row.verdict === row.expected).length);
    expect(result.verdictAccuracy).toBe(result.correct / 2);
  });

  it('measures an LLM over an OpenAI-compatible endpoint, counting its tokens', async () => {
    // A model that reads get_incident and cites exactly the ids it was shown.
    server = await startScriptedServer((request: ChatRequest) => {
      const tool = request.messages.find((message) => message.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'get_incident', arguments: {} }] };
      const text = String(tool.content)
        .replace(/^<tool_output>\n/, '')
        .replace(/\n<\/tool_output>[\s\S]*$/, '');
      const incident = JSON.parse(text) as { groups: { rule: string; alertIds: string[]; eventIds: string[] }[] };
      return {
        toolCalls: [
          {
            name: 'submit_report',
            arguments: {
              verdict: incident.groups.length > 1 ? 'malicious' : 'suspicious',
              confidence: 0.8,
              summary: 'scripted',
              evidence: incident.groups.map((group) => ({
                claim: group.rule,
                alertIds: group.alertIds,
                eventIds: group.eventIds,
              })),
            },
          },
        ],
      };
    });
    const { scenarios } = await loadAnalystScenarios(scenarioDir());
    const result = await runAnalystEvaluation(scenarios, { llm: { baseUrl: server.baseUrl, model: 'scripted' } });
    expect(result).toMatchObject({
      analyst: 'llm',
      model: 'scripted',
      investigated: 2,
      fallbacks: 0,
      correct: 2,
      verdictAccuracy: 1,
      citations: { validShare: 1 },
      // Two model calls of 1000 + 100 tokens per investigation.
      tokens: { input: 4000, output: 400, meanPerInvestigation: 2200 },
    });
  });

  it('refuses a scenario it cannot read, naming the file and the field', async () => {
    const dir = scenarioDir({
      'bad.json': { records: ['x'], rules: [rules], expect: [{ entity: 'h', verdict: 'evil' }] },
    });
    await expect(loadAnalystScenarios(dir)).rejects.toThrow(ScenarioError);
    await expect(loadAnalystScenarios(dir)).rejects.toThrow(/bad\.json: expect must be a list/);
  });

  it('runs as a command: one JSON object on stdout, the endpoint from the environment', async () => {
    const dir = scenarioDir();
    const io = (env: NodeJS.ProcessEnv) => {
      const stdout = new PassThrough();
      let text = '';
      stdout.on('data', (chunk) => (text += chunk));
      return { io: { stdout, stderr: new PassThrough(), env, cwd: dir }, text: () => text };
    };
    await expect(runAnalystEvalCommand(['.'], io({ VIGIL_LLM_BASE_URL: 'http://127.0.0.1:9/v1' }).io)).rejects.toThrow(
      UsageError,
    );
    const run = io({});
    expect(await runAnalystEvalCommand(['--quiet', '.'], run.io)).toBe(0);
    const result = JSON.parse(run.text()) as { analyst: string; investigated: number };
    expect(result).toMatchObject({ analyst: 'deterministic', investigated: 2 });
  });
});
