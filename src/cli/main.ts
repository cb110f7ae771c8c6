// Entry point of the `vigil` CLI: dispatches to lazily loaded sub-commands.
import { type CliCommand, type CliIo, UsageError } from './command.ts';

const commands: Record<string, string> = {
  serve: 'Run the API, ingest listeners and web console (embedded DuckDB under --data)',
  ingest: 'Send log files (NDJSON, JSON, plain lines, .gz) through the pipeline into the store',
  parse: 'Parse log files to ECS events, printed as NDJSON',
  hunt: 'Offline Sigma scan of log files (alerts as NDJSON, table or CSV)',
  rules: 'Import, validate and list Sigma rules',
  intel: 'Import threat intelligence (STIX, MISP, IOC lists)',
  bench: 'Benchmarks: pipeline, ingest, sigma',
  simulate: 'Generate realistic benign telemetry (with attack replays)',
  eval: 'Evaluations: noise funnel, analyst',
  keys: 'Create, list and delete API keys',
};

async function loadCommand(name: string): Promise<CliCommand | undefined> {
  try {
    const module = (await import(`./commands/${name}.ts`)) as { command: CliCommand };
    return module.command;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(error).includes(`${name}.ts`)) {
      return undefined;
    }
    throw error;
  }
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`);
  return `Vigil — security operations platform\n\nUsage: vigil <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'vigil <command> --help' for a command's options.\n`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return 0;
  }
  if (name === '--version') {
    io.stdout.write('vigil 0.1.0\n');
    return 0;
  }
  if (!(name in commands)) {
    io.stderr.write(`vigil: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    io.stderr.write(`vigil: '${name}' is not available in this build\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`vigil ${name}: ${error.message}\n\n${command.usage.trimEnd()}\n`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) {
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`vigil: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
