import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from './main.ts';

function io() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  return { io: { stdout, stderr, env: {}, cwd: process.cwd() }, out: () => out, err: () => err };
}

describe('vigil CLI', () => {
  it('lists the commands with --help', async () => {
    const capture = io();
    expect(await main(['--help'], capture.io)).toBe(0);
    expect(capture.out()).toMatch(/serve\s+Run the API/);
    expect(capture.out()).toMatch(/hunt\s+Offline Sigma scan/);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const capture = io();
    expect(await main(['frobnicate'], capture.io)).toBe(2);
    expect(capture.err()).toContain("unknown command 'frobnicate'");
  });
});
