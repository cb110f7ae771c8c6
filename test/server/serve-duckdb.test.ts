// End to end over the real embedded store: what `vigil serve` acknowledges survives a restart,
// and `vigil keys` manages keys in the same data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadConfig, type VigilConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/pipeline/logger.ts';
import { startVigil } from '../../src/server/start-vigil.ts';

function configFor(dataDir: string): VigilConfig {
  const config = loadConfig({ env: {}, cwd: dataDir, flags: { dataDir: { value: dataDir, flag: '--data' } } });
  return { ...config, http: { ...config.http, port: 0 }, syslog: { ...config.syslog, enabled: false } };
}

async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
  });
  stderr.on('data', (chunk) => {
    err += chunk;
  });
  const code = await main(argv, { stdout, stderr, env: {}, cwd: process.cwd() });
  return { code, stdout: out, stderr: err };
}

describe('vigil serve over DuckDB', () => {
  it('keeps acknowledged events across a restart and manages keys with vigil keys', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-serve-'));
    const options = { log: silentLogger, print: () => {}, geoip: false, consoleRoot: false as const };
    const first = await startVigil(configFor(dataDir), options);
    const secret = first.initialAdminSecret!;
    const headers = { authorization: `Bearer ${secret}` };
    const lines = [
      '<34>Nov 22 07:01:00 fw-1 sshd[42]: Failed password for root from 203.0.113.9 port 22 ssh2',
      'not a log line any parser knows',
    ];
    const ingest = await fetch(`${first.url}/api/v1/ingest?unit=finance`, {
      method: 'POST',
      headers,
      body: lines.join('\n'),
    });
    expect(await ingest.json()).toEqual({
      stored: 1,
      failed: 1,
      errors: [{ line: 2, reason: 'no parser recognised this record' }],
    });
    await first.close();

    const second = await startVigil(configFor(dataDir), options);
    expect(second.initialAdminSecret).toBeUndefined();
    const search = await fetch(`${second.url}/api/v1/events?q=source.ip:203.0.113.9`, { headers });
    const page = (await search.json()) as { total: number; events: { event: { unit: string } }[] };
    expect(page.total).toBe(1);
    expect(page.events[0]!.event.unit).toBe('finance');
    const letters = await fetch(`${second.url}/api/v1/dead-letters`, { headers });
    expect(((await letters.json()) as { total: number }).total).toBe(1);
    await second.close();

    const created = await runCli([
      'keys',
      'create',
      '--data',
      dataDir,
      '--unit',
      'hr',
      '--role',
      'read',
      '--name',
      'hr',
      '--json',
    ]);
    expect(created.code).toBe(0);
    const { key } = JSON.parse(created.stdout) as { key: { id: string } };
    const listed = await runCli(['keys', 'list', '--data', dataDir, '--json']);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).name),
    ).toEqual(expect.arrayContaining(['initial-admin', 'hr']));
    expect((await runCli(['keys', 'delete', key.id, '--data', dataDir])).code).toBe(0);
    expect((await runCli(['keys', 'delete', key.id, '--data', dataDir])).code).toBe(1);
    expect(
      (await runCli(['keys', 'create', '--data', dataDir, '--unit', 'hr', '--role', 'boss', '--name', 'x'])).code,
    ).toBe(2);
  });
});
