// The `vigil bench sigma` entry of the bench command table.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchDefinition } from '../src/cli/commands/bench.ts';
import { integerOption } from '../src/cli/commands/bench.ts';
import { runSigmaBench } from './sigma-bench.ts';

/** ../shared/data beside the repository (this file is in <repo>/bench/). */
const defaultDataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'data');

export const sigmaBench: BenchDefinition = {
  summary: 'all SigmaHQ rules over the EVTX attack samples and OTRF events, one core',
  usage: `Usage: vigil bench sigma [--events N] [--data DIR] [--rules PATH]… [--input PATH]…

Loads every rule under DIR/sigma/rules*, parses DIR/evtx-attack-samples and DIR/otrf once, and
replays those events through the Sigma engine until N events were matched, on this process's
one JavaScript thread. The baseline is JSON.parse over the same raw lines in the same run.

Options:
  --events N    Events to replay (default 1000000)
  --data DIR    Shared data folder (default ../shared/data beside the repository)
  --rules PATH  Rule file or folder instead of DIR/sigma/rules* (repeatable)
  --input PATH  Event file or folder instead of the EVTX samples and OTRF (repeatable)
`,
  options: {
    events: { type: 'string' },
    data: { type: 'string' },
    rules: { type: 'string', multiple: true },
    input: { type: 'string', multiple: true },
  },
  run: (values, _positionals, io) => {
    const raw = values as Record<string, string | string[] | boolean | undefined>;
    const list = (value: string | string[] | boolean | undefined): string[] | undefined =>
      Array.isArray(value) ? value.map((entry) => path.resolve(io.cwd, entry)) : undefined;
    const dataDir = typeof raw.data === 'string' ? path.resolve(io.cwd, raw.data) : defaultDataDir;
    const rules = list(raw.rules);
    const inputs = list(raw.input);
    return runSigmaBench({
      dataDir,
      events: integerOption(values.events, '--events', 1_000_000),
      ...(rules ? { rules } : {}),
      ...(inputs ? { inputs } : {}),
      progress: (message) => io.stderr.write(`bench sigma: ${message}\n`),
    });
  },
};
