import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecord } from '../../model/event.ts';
import { type ReadFailure, type ReadRecordsOptions, readRecords, type SkippedFile } from './read-records.ts';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'vigil-read-records-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function file(name: string, content: string | Uint8Array): Promise<string> {
  const path = join(directory, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
  return path;
}

async function readAll(paths: string[], options: ReadRecordsOptions = {}) {
  const records: RawRecord[] = [];
  const batches: number[] = [];
  const failures: ReadFailure[] = [];
  const skipped: SkippedFile[] = [];
  for await (const batch of readRecords(paths, {
    ...options,
    onFailure: (failure) => failures.push(failure),
    onSkip: (skip) => skipped.push(skip),
  })) {
    batches.push(batch.length);
    records.push(...batch);
  }
  return { records, batches, failures, skipped };
}

describe('readRecords', () => {
  it('reads NDJSON lines with 1-based line numbers, skipping blank lines, CRLF and BOM', async () => {
    const path = await file('a.ndjson', '\uFEFF{"a":1}\r\n\n  \n{"b":2}\nnot json\n{"c":3}');
    const { records, failures } = await readAll([path], { unit: 'finance' });
    expect(records.map((record) => [record.text, record.source.line])).toEqual([
      ['{"a":1}', 1],
      ['{"b":2}', 4],
      ['not json', 5],
      ['{"c":3}', 6],
    ]);
    expect(records[0]!.json).toEqual({ a: 1 });
    expect(records[2]!.json).toBeUndefined();
    expect(records[0]!.source).toMatchObject({ kind: 'file', path, name: path });
    expect(records[0]!.unit).toBe('finance');
    expect(failures).toEqual([]);
  });

  it('reads a JSON array, an {"events":[…]} wrapper, a CloudTrail {"Records":[…]} and a single pretty object', async () => {
    const array = await file('array.json', JSON.stringify([{ id: 1 }, { id: 2 }, 'plain text', 7], null, 2));
    const events = await file('events.json', JSON.stringify({ events: [{ id: 3 }] }));
    const cloudtrail = await file('trail.json', JSON.stringify({ Records: [{ id: 4 }, { id: 5 }] }, null, 2));
    const single = await file('single.json', JSON.stringify({ id: 6, nested: { x: 1 } }, null, 2));
    const { records } = await readAll([array, events, cloudtrail, single]);
    expect(records.map((record) => record.json?.['id'] ?? record.text)).toEqual([1, 2, 'plain text', '7', 3, 4, 5, 6]);
    expect(records.map((record) => record.source.line)).toEqual([1, 2, 3, 4, 1, 1, 2, 1]);
  });

  it('reads a .json file holding NDJSON as lines, and reports an invalid JSON array document', async () => {
    const ndjson = await file('lines.json', '{"id":1}\n{"id":2}\n');
    const broken = await file('broken.json', '[{"id":1},');
    const { records, failures } = await readAll([ndjson, broken]);
    expect(records.map((record) => record.json?.['id'])).toEqual([1, 2]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ path: broken, line: 0 });
    expect(failures[0]!.reason).toMatch(/invalid JSON document/);
  });

  it('gunzips .gz files while streaming and keeps what was read before a truncation', async () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `line ${index} ${'x'.repeat(50)}`).join('\n');
    const good = await file('app.log.gz', gzipSync(lines));
    const whole = gzipSync(lines);
    const truncated = await file('cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const { records, failures } = await readAll([good, truncated]);
    const fromGood = records.filter((record) => record.source.path === good);
    expect(fromGood).toHaveLength(5000);
    expect(fromGood[4999]!.text).toBe(`line 4999 ${'x'.repeat(50)}`);
    const fromCut = records.filter((record) => record.source.path === truncated);
    expect(fromCut.length).toBeGreaterThan(0);
    expect(fromCut.length).toBeLessThan(5000);
    expect(failures.some((failure) => failure.path === truncated && /read error/.test(failure.reason))).toBe(true);
  });

  it('reads every log entry of a .zip archive (OTRF style) and skips unsupported entries', async () => {
    const encoder = new TextEncoder();
    const archive = zipSync({
      'dataset.json': encoder.encode('{"EventID":4688}\n{"EventID":4624}\n'),
      'nested/more.log': encoder.encode('hello\nworld\n'),
      'tool.exe': new Uint8Array([0x4d, 0x5a, 0, 0]),
    });
    const path = await file('otrf.zip', archive);
    const { records, skipped } = await readAll([path]);
    expect(records.map((record) => [record.source.path, record.source.line, record.text])).toEqual([
      [`${path}!dataset.json`, 1, '{"EventID":4688}'],
      [`${path}!dataset.json`, 2, '{"EventID":4624}'],
      [`${path}!nested/more.log`, 1, 'hello'],
      [`${path}!nested/more.log`, 2, 'world'],
    ]);
    expect(skipped.map((skip) => skip.path)).toEqual([`${path}!tool.exe`]);
  });

  it('reports a corrupt zip as skipped instead of throwing', async () => {
    const path = await file('corrupt.zip', 'PK\u0003\u0004 this is not really a zip');
    const { records, skipped } = await readAll([path]);
    expect(records).toEqual([]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.path).toBe(path);
  });

  it('walks folders recursively in sorted order, skips unknown extensions with a reason and ignores dot-entries', async () => {
    await file('tree/b.log', 'b1\n');
    await file('tree/a/inner.jsonl', '{"x":1}\n');
    await file('tree/image.png', 'PNG');
    await file('tree/.hidden/secret.log', 'hidden\n');
    await file('tree/rotated.log.1', 'rotated\n');
    const { records, skipped } = await readAll([join(directory, 'tree')]);
    expect(records.map((record) => record.text)).toEqual(['{"x":1}', 'b1', 'rotated']);
    expect(skipped).toEqual([
      {
        path: join(directory, 'tree', 'image.png'),
        code: 'unknown-extension',
        reason: expect.stringMatching(/unknown file extension/),
      },
    ]);
  });

  it('reads an explicitly named file with an unknown extension as lines and reports missing paths', async () => {
    const path = await file('messages', 'Nov 22 07:00:00 host sshd[1]: hello\n');
    const missing = join(directory, 'nope.log');
    const { records, skipped } = await readAll([path, missing]);
    expect(records.map((record) => record.text)).toEqual(['Nov 22 07:00:00 host sshd[1]: hello']);
    expect(skipped).toEqual([{ path: missing, code: 'unreadable', reason: 'no such file or directory' }]);
  });

  it('turns an over-long line into a failure and keeps reading after it', async () => {
    const path = await file('long.log', `first\n${'A'.repeat(200_000)}\nthird\n${'B'.repeat(5000)}`);
    const { records, failures } = await readAll([path], { maxLineBytes: 1024 });
    expect(records.map((record) => [record.text, record.source.line])).toEqual([
      ['first', 1],
      ['third', 3],
    ]);
    expect(failures.map((failure) => failure.line)).toEqual([2, 4]);
    expect(failures[0]!.reason).toMatch(/longer than 1024 bytes/);
  });

  it('survives 16 MB without a newline and binary garbage with bounded memory', async () => {
    const binary = Buffer.alloc(4096);
    for (let index = 0; index < binary.length; index++) binary[index] = (index * 7919) % 256;
    const path = await file(
      'hostile.log',
      Buffer.concat([Buffer.alloc(16 * 1024 * 1024, 0x41), Buffer.from('\nok\n'), binary]),
    );
    const { records, failures } = await readAll([path]);
    expect(failures[0]).toMatchObject({ path, line: 1 });
    expect(records[0]).toMatchObject({ text: 'ok', source: { line: 2 } });
    // The binary tail becomes records (the parser decides); nothing throws.
    expect(records.length).toBeGreaterThan(1);
  });

  it('yields batches of the configured size across files', async () => {
    const one = await file('batch/one.log', Array.from({ length: 7 }, (_, index) => `a${index}`).join('\n'));
    const two = await file('batch/two.log', Array.from({ length: 6 }, (_, index) => `b${index}`).join('\n'));
    const { batches, records } = await readAll([one, two], { batchSize: 5 });
    expect(batches).toEqual([5, 5, 3]);
    expect(records).toHaveLength(13);
  });

  it('passes the format hint and time zone through to every record', async () => {
    const path = await file('hint.log', 'x\n');
    const { records } = await readAll([path], { formatHint: 'syslog', timezone: 'Europe/Berlin' });
    expect(records[0]).toMatchObject({ formatHint: 'syslog', timezone: 'Europe/Berlin' });
  });
});
