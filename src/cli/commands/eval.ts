// `vigil eval <name> …`: evaluations that print one JSON object. Each evaluation is a row of the
// table below with its own usage and a lazily imported runner, so adding one (e.g. `eval analyst`)
// is one new row plus its module; the noise evaluation lives in src/eval/noise-eval.ts.
import { parseArgs } from 'node:util';
// The analyst evaluation's usage text only (its module loads the evaluation lazily).
import { analystEvalUsage } from '../../eval/analyst-eval-command.ts';
import { type CliCommand, type CliIo, UsageError } from '../command.ts';

interface Evaluation {
  readonly summary: string;
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

const noiseUsage = `Usage: vigil eval noise [--details] [--keep DIR] [--quiet] MANIFEST.json

Replays recorded scenarios (each onto a victim host of its own, shifted into the evaluated
period) into a simulated organisation's day, runs the whole pipeline (parse → detect with the
manifest's rules → correlate → triage) in a temporary store and prints one JSON object:
events, alerts, alertGroups, incidents, incidentsNeedingAttention, reduction,
scenarios {total, detectable, surfaced, recall}, purity, backgroundIncidentsNeedingAttention,
seconds (and more). See docs/noise-evaluation.md.

Manifest (paths relative to it):
  { "rules": ["dir", …],
    "scenarios": [ { "id": "name", "files": ["a.jsonl", "b.zip"], "benign": false } ],
    "background": { "simulate": { "hosts": 200, "hours": 24, "seed": 1 } },
    "attack": "enterprise-attack.json" }          (optional: ATT&CK names for tactics)

Options:
  --details     add per-scenario results, background and mixed incidents, noisiest rules
  --keep DIR    keep the temporary stores in DIR (created when missing; use a new folder)
  --quiet       no progress lines on stderr
`;

const evaluations: Record<string, Evaluation> = {
  noise: {
    summary: 'Noise funnel: alerts → incidents needing attention, recall of attack scenarios',
    usage: noiseUsage,
    async run(argv, io) {
      let values: { details?: boolean; keep?: string; quiet?: boolean };
      let positionals: string[];
      try {
        ({ values, positionals } = parseArgs({
          args: [...argv],
          options: { details: { type: 'boolean' }, keep: { type: 'string' }, quiet: { type: 'boolean' } },
          allowPositionals: true,
          strict: true,
        }));
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      if (positionals.length !== 1) throw new UsageError('give exactly one MANIFEST.json');
      const { loadNoiseManifest, runNoiseEvaluation, ManifestError } = await import('../../eval/noise-eval.ts');
      const { resolve } = await import('node:path');
      const { mkdir } = await import('node:fs/promises');
      try {
        const manifest = await loadNoiseManifest(resolve(io.cwd, positionals[0]!));
        let workDir: string | undefined;
        if (values.keep) {
          workDir = resolve(io.cwd, values.keep);
          await mkdir(workDir, { recursive: true });
        }
        const result = await runNoiseEvaluation(manifest, {
          details: values.details === true,
          ...(workDir ? { workDir, keep: true } : {}),
          progress: values.quiet ? undefined : (message) => io.stderr.write(`eval noise: ${message}\n`),
        });
        io.stdout.write(`${JSON.stringify(result, null, values.details ? 2 : undefined)}\n`);
        return 0;
      } catch (error) {
        if (error instanceof ManifestError) {
          io.stderr.write(`vigil eval noise: ${error.message}\n`);
          return 2;
        }
        throw error;
      }
    },
  },
  analyst: {
    summary: 'Digital analyst: verdict accuracy, valid citations, duration and tokens over labelled incidents',
    usage: analystEvalUsage,
    async run(argv, io) {
      const { runAnalystEvalCommand } = await import('../../eval/analyst-eval-command.ts');
      return runAnalystEvalCommand(argv, io);
    },
  },
  // More evaluations go here as rows: `name: { summary, usage, run }` (lazily importing its module).
};

function usage(): string {
  const width = Math.max(...Object.keys(evaluations).map((name) => name.length));
  const rows = Object.entries(evaluations).map(
    ([name, evaluation]) => `  ${name.padEnd(width)}  ${evaluation.summary}`,
  );
  // main.ts answers every --help with this text, so it carries each evaluation's usage too.
  const details = Object.values(evaluations).map((evaluation) => evaluation.usage.trimEnd());
  return `Usage: vigil eval <evaluation> [options] …\n\nEvaluations (each prints one JSON object):\n${rows.join('\n')}\n\n${details.join('\n\n')}\n`;
}

export const command: CliCommand = {
  name: 'eval',
  summary: 'Evaluations: noise funnel, analyst',
  get usage() {
    return usage();
  },
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (!name) throw new UsageError('name an evaluation');
    const evaluation = evaluations[name];
    if (!evaluation) throw new UsageError(`unknown evaluation '${name}'`);
    return evaluation.run(rest, io);
  },
};
