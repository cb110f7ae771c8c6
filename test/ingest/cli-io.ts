// A fake CliIo for running `vigil` commands through main() in tests: captures stdout and stderr.
import { Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/command.ts';

export interface CapturedIo extends CliIo {
  stdoutText(): string;
  stderrText(): string;
}

function capture(isTTY = false): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  (stream as Writable & { isTTY?: boolean }).isTTY = isTTY;
  return { stream, text: () => chunks.join('') };
}

export function fakeIo(options: { cwd?: string; env?: NodeJS.ProcessEnv; stderrIsTty?: boolean } = {}): CapturedIo {
  const stdout = capture();
  const stderr = capture(options.stderrIsTty ?? false);
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutText: stdout.text,
    stderrText: stderr.text,
  };
}

export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
