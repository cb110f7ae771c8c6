// The command side of `vigil eval analyst DIR`: options and environment → the evaluation in
// analyst-eval.ts → one JSON object on stdout. The LLM endpoint comes from --llm-* flags or the
// same VIGIL_LLM_* variables `vigil serve` reads; without one the deterministic analyst runs.
import { parseArgs } from 'node:util';
import { type CliIo, UsageError } from '../cli/command.ts';

export const analystEvalUsage = `Usage: vigil eval analyst [options] DIR

Runs the whole pipeline on each scenario file (DIR/*.json: recorded telemetry, rules, intel and
the expected verdict per incident), lets the digital analyst investigate every incident and
prints one JSON object: verdictAccuracy, confusion, citations {total, valid, validShare},
durationMs {mean, p95, max}, tokens {input, output, meanPerInvestigation}, fallbacks, failed.
Scenarios whose files are missing (e.g. ../shared/data) are listed in skippedScenarios.
See bench/analyst/README.md and docs/analyst.md.

Options:
  --llm-base-url URL   OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama);
                       default $VIGIL_LLM_BASE_URL; none = the deterministic analyst
  --llm-model NAME     model name (default $VIGIL_LLM_MODEL)
  --llm-api-key KEY    API key (default $VIGIL_LLM_API_KEY)
  --max-steps N        model steps per investigation (default $VIGIL_LLM_MAX_STEPS or 12)
  --timeout-ms N       wall time per investigation (default $VIGIL_LLM_TIMEOUT_MS or 120000)
  --no-fallback        count an LLM failure as a failure instead of using the deterministic plan
  --min-priority N     investigate only incidents at or above this priority (default 0)
  --details            add one row per incident
  --quiet              no progress lines on stderr
`;

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new UsageError(`--${name} must be a whole number, got '${value}'`);
  return number;
}

export async function runAnalystEvalCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        'llm-base-url': { type: 'string' },
        'llm-model': { type: 'string' },
        'llm-api-key': { type: 'string' },
        'max-steps': { type: 'string' },
        'timeout-ms': { type: 'string' },
        'no-fallback': { type: 'boolean' },
        'min-priority': { type: 'string' },
        details: { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one scenario directory');
  const env = io.env;
  const baseUrl = (values['llm-base-url'] as string | undefined) ?? env.VIGIL_LLM_BASE_URL ?? '';
  const model = (values['llm-model'] as string | undefined) ?? env.VIGIL_LLM_MODEL ?? '';
  if (baseUrl && !model) throw new UsageError('an LLM endpoint needs a model: --llm-model or VIGIL_LLM_MODEL');
  const apiKey = (values['llm-api-key'] as string | undefined) ?? env.VIGIL_LLM_API_KEY;
  const { resolve } = await import('node:path');
  const { loadAnalystScenarios, runAnalystEvaluation, ScenarioError } = await import('./analyst-eval.ts');
  try {
    const { scenarios, skipped } = await loadAnalystScenarios(resolve(io.cwd, positionals[0]!));
    const result = await runAnalystEvaluation(scenarios, {
      skipped,
      details: values.details === true,
      minPriority: integer('min-priority', values['min-priority'] as string | undefined, 0),
      ...(baseUrl
        ? {
            llm: {
              baseUrl,
              model,
              ...(apiKey ? { apiKey } : {}),
              maxSteps: integer(
                'max-steps',
                (values['max-steps'] as string | undefined) ?? env.VIGIL_LLM_MAX_STEPS,
                12,
              ),
              timeoutMs: integer(
                'timeout-ms',
                (values['timeout-ms'] as string | undefined) ?? env.VIGIL_LLM_TIMEOUT_MS,
                120_000,
              ),
              fallback: values['no-fallback'] !== true,
            },
          }
        : {}),
      progress: values.quiet ? undefined : (message) => io.stderr.write(`eval analyst: ${message}\n`),
    });
    io.stdout.write(`${JSON.stringify(result, null, values.details ? 2 : undefined)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ScenarioError) {
      io.stderr.write(`vigil eval analyst: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
