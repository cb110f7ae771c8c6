// The shape of one `vigil` sub-command. Each lives in src/cli/commands/<name>.ts and is loaded
// lazily by main.ts, so `vigil --help` stays fast and commands do not load each other's code.

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  /** Full usage text printed for `vigil <name> --help`. */
  readonly usage: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A usage error: main.ts prints the message and the command's usage, exit code 2. */
export class UsageError extends Error {}
