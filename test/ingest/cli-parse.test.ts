// `vigil parse` through main(): ECS NDJSON on stdout, failures with file:line on stderr, exit codes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fakeIo, jsonLines } from './cli-io.ts';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vigil-cli-parse-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const sshd = '<38>Nov 22 07:00:00 web01 sshd[4242]: Failed password for root from 203.0.113.9 port 50022 ssh2';

describe('vigil parse', () => {
  it('prints one ECS event per line and reports unparsable lines with file and line on stderr', async () => {
    const path = join(directory, 'auth.log');
    await writeFile(path, `${sshd}\n\u0001\u0002 binary junk\n${sshd.replace('root', 'admin')}\n`);
    const io = fakeIo();
    const code = await main(['parse', '--format', 'syslog', '--unit', 'finance', '--stats', path], io);
    expect(code).toBe(0);
    const events = jsonLines(io.stdoutText());
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ unit: 'finance', host: { name: 'web01' }, user: { name: 'root' } });
    expect(events[1]).toMatchObject({ user: { name: 'admin' } });
    const problems = jsonLines(io.stderrText());
    expect(problems[0]).toMatchObject({ type: 'failure', file: path, line: 2, format: 'syslog' });
    expect(problems.at(-1)).toMatchObject({ type: 'summary', records: 3, events: 2, failures: 1 });
  });

  it('auto-detects formats across a folder with gzip files and summarises skipped non-log files in one line', async () => {
    const folder = join(directory, 'mixed');
    await import('node:fs/promises').then((fs) => fs.mkdir(folder));
    await writeFile(join(folder, 'a.log.gz'), gzipSync(`${sshd}\n`));
    await writeFile(join(folder, 'b.evtx'), Buffer.from('ElfFile\u0000'));
    await writeFile(join(folder, 'c.evtx'), Buffer.from('ElfFile\u0000'));
    const io = fakeIo();
    expect(await main(['parse', folder], io)).toBe(0);
    expect(jsonLines(io.stdoutText())).toHaveLength(1);
    expect(jsonLines(io.stderrText())).toEqual([
      expect.objectContaining({ type: 'skipped', count: 2, extensions: { '.evtx': 2 } }),
    ]);
  });

  it('exits 1 when records were read but none parsed, and when no input exists', async () => {
    const path = join(directory, 'junk.log');
    await writeFile(path, 'nothing here is syslog\n');
    const io = fakeIo();
    expect(await main(['parse', '--format', 'syslog', path], io)).toBe(1);
    expect(io.stdoutText()).toBe('');
    const missing = fakeIo();
    expect(await main(['parse', join(directory, 'missing.log')], missing)).toBe(1);
    expect(jsonLines(missing.stderrText())[0]).toMatchObject({ type: 'skipped', reason: 'no such file or directory' });
  });

  it('exits 0 for an empty file and 2 for usage errors (unknown format, no files)', async () => {
    const empty = join(directory, 'empty.log');
    await writeFile(empty, '');
    expect(await main(['parse', empty], fakeIo())).toBe(0);
    const unknown = fakeIo();
    expect(await main(['parse', '--format', 'no-such-format', empty], unknown)).toBe(2);
    expect(unknown.stderrText()).toMatch(/unknown format 'no-such-format'/);
    expect(await main(['parse'], fakeIo())).toBe(2);
  });

  it('lists the available formats', async () => {
    const io = fakeIo();
    expect(await main(['parse', '--list-formats'], io)).toBe(0);
    expect(io.stdoutText()).toMatch(/^syslog\t/m);
  });
});
